"""Draw a diagram scene as an antialiased PNG with Pillow (for previews and documentation)."""

from __future__ import annotations

import io
from pathlib import Path as FilePath

from leaflet.diagram.paths import Path, flatten
from leaflet.diagram.scene import Circle, Scene, Text

SUPERSAMPLE = 3


def _rgb(colour: str) -> tuple[int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def to_png(scene: Scene, width_px: int) -> bytes:
    """The scene as PNG bytes, width_px wide; the same scene always gives the same bytes."""
    from PIL import Image, ImageDraw

    from leaflet.fonts import LEAFLET_FONT, pil_font

    height_px = round(width_px / scene.aspect)
    w, h = width_px * SUPERSAMPLE, height_px * SUPERSAMPLE
    image = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(image)

    def xy(p: tuple[float, float]) -> tuple[float, float]:
        return (p[0] * w, p[1] * h)

    def stroke(width: float) -> int:
        return max(1, round(width * h))

    def draw_path(path: Path) -> None:
        for points, closed in flatten(path.ops, steps=24):
            pts = [xy(p) for p in points]
            if closed and path.fill:
                draw.polygon(pts, fill=_rgb(path.fill))
            if path.stroke:
                line = [*pts, pts[0], pts[1]] if closed else pts
                draw.line(
                    line, fill=_rgb(path.stroke), width=stroke(path.stroke_width), joint="curve"
                )

    for figure in scene.figures:
        for path in figure.paths:
            draw_path(path)

    for label in scene.labels:
        draw.line(
            [xy(label.leader.start), xy(label.leader.end)],
            fill=_rgb(label.leader.colour),
            width=stroke(label.leader.width),
        )

    def circle(c: Circle) -> None:
        x, y = xy(c.centre)
        r = c.radius * h
        draw.ellipse(
            (x - r, y - r, x + r, y + r),
            fill=_rgb(c.fill),
            outline=_rgb(c.stroke),
            width=stroke(c.stroke_width),
        )

    for patch in scene.patches():
        draw_path(patch)
    for lump in scene.lumps():
        circle(lump)

    def text(t: Text) -> None:
        font = pil_font(LEAFLET_FONT, "bold" if t.bold else "regular", t.size * h)
        anchor = {"start": "ls", "middle": "ms", "end": "rs"}[t.align]
        draw.text((t.x * w, t.baseline * h), t.text, font=font, fill=_rgb(t.colour), anchor=anchor)

    for t in scene.texts():
        text(t)

    out = image.resize((width_px, height_px), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    out.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def save_png(scene: Scene, path: str | FilePath, width_px: int) -> None:
    """Write the scene as a PNG file."""
    FilePath(path).write_bytes(to_png(scene, width_px))
