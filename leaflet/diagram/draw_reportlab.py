"""Draw a diagram scene as a reportlab vector Drawing, for the leaflet PDF."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from reportlab.platypus import Flowable

from leaflet.diagram.paths import Path as ScenePath
from leaflet.diagram.scene import Circle, Scene

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing, Group

Parts = Literal["all", "shapes", "labels"]
"""What of a scene to draw: everything, its shapes (figures, leaders, marks) or its labels."""


class PdfDiagram(Flowable):  # type: ignore[misc]
    """A scene on a PDF page: its shapes as PDF operators made beforehand (`pdf_shapes`), its
    labels drawn with the document's fonts."""

    def __init__(self, shapes: tuple[str, ...], labels: Drawing) -> None:
        super().__init__()
        self.shapes, self.labels = shapes, labels
        self.width, self.height = labels.width, labels.height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        from reportlab.graphics import renderPDF

        self.canv._code.extend(self.shapes)
        renderPDF.draw(self.labels, self.canv, 0, 0)


def pdf_shapes(scene: Scene, width_pt: float, height_pt: float | None = None) -> tuple[str, ...]:
    """The scene's shapes as PDF page operators, drawn at the origin, as `to_drawing` places
    them. They name no font, image or graphics state, so any page can take them: made once,
    they are drawn in any number of documents."""
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(io.BytesIO())
    renderPDF.draw(to_drawing(scene, width_pt, height_pt, parts="shapes"), canvas, 0, 0)
    shapes = tuple(canvas._code)
    named = [op for op in shapes if op.split()[-1:] in (["Tf"], ["gs"], ["Do"], ["cs"], ["CS"])]
    if named:
        raise ValueError(f"the diagram's shapes name a resource: {named[0]!r}")
    return shapes


def to_drawing(
    scene: Scene, width_pt: float, height_pt: float | None = None, parts: Parts = "all"
) -> Drawing:
    """The scene as vector shapes, width_pt wide; a height_pt other than the scene's letterboxes."""
    from reportlab.graphics.shapes import Drawing, Group, String
    from reportlab.lib.colors import HexColor

    from leaflet.fonts import register_reportlab_fonts

    family = register_reportlab_fonts()
    box_h = height_pt if height_pt is not None else width_pt / scene.aspect
    w = min(width_pt, box_h * scene.aspect)
    h = w / scene.aspect
    left, bottom = (width_pt - w) / 2, (box_h - h) / 2

    def xy(p: tuple[float, float]) -> tuple[float, float]:
        return (left + p[0] * w, bottom + (1 - p[1]) * h)

    drawing = Drawing(width_pt, box_h, initialFontName=family)
    group = Group()
    if parts != "labels":
        _draw_shapes(scene, group, xy, h)
    if parts != "shapes":
        for t in scene.texts():
            x, y = xy((t.x, t.baseline))
            group.add(
                String(
                    x,
                    y,
                    t.text,
                    fontName=f"{family}-Bold" if t.bold else family,
                    fontSize=t.size * h,
                    fillColor=HexColor(t.colour),
                    textAnchor=t.align,
                )
            )
    drawing.add(group)
    return drawing


def _draw_shapes(
    scene: Scene, group: Group, xy: Callable[[tuple[float, float]], tuple[float, float]], h: float
) -> None:
    from reportlab.graphics.shapes import Circle as RLCircle
    from reportlab.graphics.shapes import Line, Path
    from reportlab.lib.colors import HexColor

    def path_shape(path: ScenePath) -> None:
        shape = Path(
            fillColor=HexColor(path.fill) if path.fill else None,
            strokeColor=HexColor(path.stroke) if path.stroke else None,
            strokeWidth=path.stroke_width * h,
            strokeLineJoin=1,
            strokeLineCap=1,
            autoclose=None,
        )
        for op in path.ops:
            pts = [c for p in op.points for c in xy(p)]
            if op.kind == "move":
                shape.moveTo(*pts)
            elif op.kind == "line":
                shape.lineTo(*pts)
            elif op.kind == "curve":
                shape.curveTo(*pts)
            else:
                shape.closePath()
        group.add(shape)

    for figure in scene.figures:
        for path in figure.paths:
            path_shape(path)

    for label in scene.labels:
        (x1, y1), (x2, y2) = xy(label.leader.start), xy(label.leader.end)
        group.add(
            Line(
                x1,
                y1,
                x2,
                y2,
                strokeColor=HexColor(label.leader.colour),
                strokeWidth=label.leader.width * h,
                strokeLineCap=1,
            )
        )

    def circle(c: Circle) -> None:
        x, y = xy(c.centre)
        group.add(
            RLCircle(
                x,
                y,
                c.radius * h,
                fillColor=HexColor(c.fill),
                strokeColor=HexColor(c.stroke),
                strokeWidth=c.stroke_width * h,
            )
        )

    for patch in scene.patches():
        path_shape(patch)
    for lump in scene.lumps():
        circle(lump)
