"""Draw a diagram scene as native, editable python-pptx shapes in one named group."""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, Any

from leaflet.diagram.paths import flatten
from leaflet.diagram.scene import Circle, Scene, Text

if TYPE_CHECKING:
    from pptx.shapes.group import GroupShape

EMU_PER_PT = 12700
TEXT_PADDING_PT = 2.0


def add_diagram(
    shapes: Any,
    scene: Scene,
    left_emu: int,
    top_emu: int,
    width_emu: int,
    height_emu: int,
    *,
    name: str = "Body-site diagram",
    alt: str | None = None,
) -> GroupShape:
    """Add the scene to a slide's shapes as one group, fitted and centred in the given box.

    Curves become freeforms of short line segments (PowerPoint's freeform builder has no curves);
    lumps are ovals, leaders connectors, and labels text boxes in Arial sized from Arimo metrics.
    The group carries the scene's alt text as its description.
    """
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
    from pptx.oxml.ns import qn
    from pptx.util import Emu, Pt

    from leaflet.fonts import DECK_FONT_NAME, DECK_MEASURE_FONT, Face, text_width_pt

    w = min(width_emu, round(height_emu * scene.aspect))
    h = round(w / scene.aspect)
    x0 = left_emu + (width_emu - w) // 2
    y0 = top_emu + (height_emu - h) // 2

    def emu(p: tuple[float, float]) -> tuple[int, int]:
        return (x0 + round(p[0] * w), y0 + round(p[1] * h))

    def colour(value: str) -> RGBColor:
        rgb = (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))
        return RGBColor(*rgb)  # type: ignore[no-untyped-call]

    group = shapes.add_group_shape()
    group.name = name
    inner = group.shapes
    # python-pptx recomputes the group's extents after every child it adds (quadratic in the
    # children); do it once, after the last.
    inner._recalculate_extents = lambda: None

    def plain(shape: Any) -> None:
        # drop the theme style reference so no theme effect (shadow, glow) or colour leaks in
        style = shape._element.find(qn("p:style"))
        if style is not None:
            shape._element.remove(style)

    for figure in scene.figures:
        for index, path in enumerate(figure.paths):
            subpaths = flatten(path.ops, steps=12)
            first, _ = subpaths[0]
            start = emu(first[0])
            builder = _freeform_class().new(inner, start[0], start[1], 1.0, 1.0)
            for k, (points, closed) in enumerate(subpaths):
                if k:
                    builder.move_to(*emu(points[0]))
                builder.add_line_segments([emu(p) for p in points[1:]], close=closed)
            shape = builder.convert_to_shape()
            shape.name = f"{figure.view} outline {index + 1}"
            if path.fill:
                shape.fill.solid()
                shape.fill.fore_color.rgb = colour(path.fill)
            else:
                shape.fill.background()
            if path.stroke:
                shape.line.color.rgb = colour(path.stroke)
                shape.line.width = Emu(round(path.stroke_width * h))
            else:
                shape.line.fill.background()
            plain(shape)

    for label in scene.labels:
        (bx, by), (ex, ey) = emu(label.leader.start), emu(label.leader.end)
        line = inner.add_connector(MSO_CONNECTOR.STRAIGHT, bx, by, ex, ey)
        line.name = f"Leader: {label.text.text}"
        line.line.color.rgb = colour(label.leader.colour)
        line.line.width = Emu(round(label.leader.width * h))
        plain(line)

    def oval(c: Circle, title: str) -> None:
        cx, cy = emu(c.centre)
        r = round(c.radius * h)
        shape = inner.add_shape(MSO_SHAPE.OVAL, cx - r, cy - r, 2 * r, 2 * r)
        shape.name = title
        shape.fill.solid()
        shape.fill.fore_color.rgb = colour(c.fill)
        shape.line.color.rgb = colour(c.stroke)
        shape.line.width = Emu(max(1, round(c.stroke_width * h)))
        plain(shape)

    for cluster in scene.clusters:
        for lump in cluster.lumps:
            oval(lump, f"Lump: {cluster.site}")
    if scene.legend:
        for lump in scene.legend.lumps:
            oval(lump, "Lump: legend")

    def text_box(t: Text) -> None:
        # half points, down; the tolerance keeps EMU rounding from costing a size asked for
        size_pt = math.floor(t.size * h / EMU_PER_PT * 2 + 1e-3) / 2
        face: Face = "bold" if t.bold else "regular"
        width_pt = text_width_pt(t.text, DECK_MEASURE_FONT, face, size_pt) + 2 * TEXT_PADDING_PT
        box_w = round(width_pt * EMU_PER_PT)
        box_h = round(size_pt * 1.3 * EMU_PER_PT)
        x, baseline = emu((t.x, t.baseline))
        left = {"start": x - TEXT_PADDING_PT * EMU_PER_PT, "middle": x - box_w / 2}.get(
            t.align, x - box_w + TEXT_PADDING_PT * EMU_PER_PT
        )
        top = baseline - round(size_pt * 0.98 * EMU_PER_PT)
        box = inner.add_textbox(round(left), top, box_w, box_h)
        box.name = f"Label: {t.text}"
        frame = box.text_frame
        frame.word_wrap = False
        frame.auto_size = MSO_AUTO_SIZE.NONE
        frame.vertical_anchor = MSO_ANCHOR.TOP
        frame.margin_left = frame.margin_right = Pt(TEXT_PADDING_PT)
        frame.margin_top = frame.margin_bottom = 0
        paragraph = frame.paragraphs[0]
        paragraph.alignment = {"start": PP_ALIGN.LEFT, "middle": PP_ALIGN.CENTER}.get(
            t.align, PP_ALIGN.RIGHT
        )
        run = paragraph.add_run()
        run.text = t.text
        run.font.name = DECK_FONT_NAME
        run.font.size = Pt(size_pt)
        run.font.bold = t.bold
        run.font.color.rgb = colour(t.colour)

    for t in scene.texts():
        text_box(t)

    del inner._recalculate_extents
    inner._recalculate_extents()
    group._element.nvGrpSpPr.cNvPr.set("descr", scene.alt if alt is None else alt)
    return group  # type: ignore[no-any-return]


@functools.cache
def _freeform_class() -> Any:
    from pptx.shapes.freeform import FreeformBuilder
    from pptx.util import Length

    class Freeform(FreeformBuilder):
        """python-pptx's builder recomputes its offset (a min over every point) for each point it
        writes, which is quadratic in the points; the points are all added before the first
        look-up, so each offset is computed once."""

        @functools.cached_property
        def shape_offset_x(self) -> Length:
            return super().shape_offset_x

        @functools.cached_property
        def shape_offset_y(self) -> Length:
            return super().shape_offset_y

    return Freeform
