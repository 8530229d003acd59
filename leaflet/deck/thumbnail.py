"""The deck's thumbnail: its title slide drawn from the plan with Pillow, as a small JPEG.

File browsers and PowerPoint's Open dialog show `docProps/thumbnail.jpeg`; drawing it from the
plan (rather than rasterising the slide) keeps it in step with the slide and its bytes fixed.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from typing import Any

from leaflet.deck.fit import INSET_X_PT, INSET_Y_PT, Para, pitch_pt
from leaflet.deck.plan import (
    ACCENT_PT,
    MARGIN_PT,
    SLIDE_H_PT,
    SLIDE_W_PT,
    PictureBlock,
    SlidePlan,
    TextBlock,
)
from leaflet.fonts import DECK_MEASURE_FONT, pil_font
from leaflet.inline import Run
from leaflet.model import Theme

WIDTH_PX = 256
"""PowerPoint's own thumbnails are 256 pixels wide."""
SUPERSAMPLE = 2
"""Drawn this many times larger, then reduced, so that small text and edges stay smooth."""
RULE = (MARGIN_PT + INSET_X_PT, 150.0, 140.0, ACCENT_PT)
"""The cover layout's accent rule: left, top, width, height in points."""


def thumbnail(
    cover: SlidePlan, theme: Theme, on_primary: str, logo: Callable[[str], bytes] | None
) -> bytes:
    """The title slide as a JPEG 256 pixels wide; `logo` reads an image by its plan path."""
    from PIL import Image, ImageDraw

    scale = WIDTH_PX * SUPERSAMPLE / SLIDE_W_PT
    size = (round(SLIDE_W_PT * scale), round(SLIDE_H_PT * scale))
    image = Image.new("RGB", size, theme.primary)
    draw = ImageDraw.Draw(image)

    def box(left: float, top: float, width: float, height: float) -> list[float]:
        return [left * scale, top * scale, (left + width) * scale, (top + height) * scale]

    draw.rectangle(box(*RULE), fill=theme.accent)
    r = cover.title_rect
    _text(
        draw,
        [Para((Run(cover.title),), bullet=False)],
        r.left,
        r.top,
        r.width,
        cover.title_size,
        scale,
        on_primary,
        bold=True,
    )
    for block in cover.blocks:
        if isinstance(block, TextBlock):
            b = block.rect
            _text(draw, block.paras, b.left, b.top, b.width, block.size_pt, scale, on_primary)
        elif isinstance(block, PictureBlock) and logo is not None:
            p = block.rect
            draw.rectangle(box(p.left, p.top, p.width, p.height), fill="#FFFFFF")
            pad = 8 * scale
            room = (p.width * scale - 2 * pad, p.height * scale - 2 * pad)
            shown = _fitted(logo(block.path), room)
            at = (
                round(p.left * scale + (p.width * scale - shown.width) / 2),
                round(p.top * scale + (p.height * scale - shown.height) / 2),
            )
            image.paste(shown, at, shown)
    small = image.resize((WIDTH_PX, round(size[1] / SUPERSAMPLE)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    small.save(out, "JPEG", quality=88, optimize=False, progressive=False)
    return out.getvalue()


@functools.lru_cache(maxsize=8)
def _fitted(data: bytes, room: tuple[float, float]) -> Any:
    """The image scaled to fit room, kept for the next deck with the same logo in the same box
    (every topic of a library, as a rule). Kept images are never changed: they are pasted."""
    from PIL import Image

    picture = Image.open(io.BytesIO(data)).convert("RGBA")
    fit = min(room[0] / picture.width, room[1] / picture.height)
    return picture.resize(
        (max(1, round(picture.width * fit)), max(1, round(picture.height * fit))),
        Image.Resampling.LANCZOS,
    )


def _text(
    draw: Any,
    paras: tuple[Para, ...] | list[Para],
    left: float,
    top: float,
    width: float,
    size_pt: float,
    scale: float,
    colour: str,
    bold: bool = False,
) -> None:
    """Paragraphs wrapped at words in a frame's inner width, top-aligned as on the slide."""
    y = (top + INSET_Y_PT) * scale
    inner = (width - 2 * INSET_X_PT) * scale
    for k, item in enumerate(paras):
        size = size_pt * item.scale
        face = "bold" if bold or all(s.bold for s in item.spans) else "regular"
        font = pil_font(DECK_MEASURE_FONT, face, size * scale)
        pitch = pitch_pt(item, size_pt) * scale
        if k:
            y += item.space_before * pitch
        for line in _wrap(item.text, font.getlength, inner):
            # the first baseline sits about 0.8 of the pitch down, as PowerPoint sets it
            draw.text(
                ((left + INSET_X_PT) * scale, y + 0.8 * pitch),
                line,
                font=font,
                fill=colour,
                anchor="ls",
            )
            y += pitch


def _wrap(text: str, measure: Callable[[str], float], width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        trial = f"{line} {word}" if line else word
        if line and measure(trial) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line]


__all__ = ["WIDTH_PX", "thumbnail"]
