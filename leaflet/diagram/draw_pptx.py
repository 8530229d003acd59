"""Draw a diagram scene as native, editable python-pptx shapes in one named group."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from leaflet import pptx_xml
from leaflet.diagram.paths import Path, flatten
from leaflet.diagram.scene import Circle, Marker, Scene, Text
from leaflet.pptx_xml import NS, attr, is_rtl, run_text, script_fonts_xml

if TYPE_CHECKING:
    from pptx.shapes.group import GroupShape

EMU_PER_PT = 12700
TEXT_PADDING_PT = 2.0
_EMPTY_BODY = (
    '<p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:pPr algn="ctr"/></a:p>'
    "</p:txBody>"
)
_ALIGN = {"start": "l", "middle": "ctr"}
_TEXT_BOX = ' txBox="1"'
MARK_NAMES: dict[Marker, str] = {"lumps": "Lump", "patch": "Patch", "spots": "Spot"}
"""How each marker's shapes are named in the group (the selection pane shows these)."""


def add_diagram(
    shapes: Any,
    scene: Scene,
    left_emu: int,
    top_emu: int,
    width_emu: int,
    height_emu: int,
    *,
    name: str = "Body-site diagram",
    alt: str,
    lang: str,
) -> GroupShape:
    """Add the scene to a slide's shapes as one group, fitted and centred in the given box.

    Curves become freeforms of short line segments (outlines and patches); lumps and spots are
    ovals, leaders connectors, and labels text boxes in Arial sized from Arimo metrics, their
    runs marked as written in `lang`. The group carries `alt`, the figure's alt text, as its
    description. The group's XML is written in one piece and parsed once: the same
    elements python-pptx's shape API makes (theme style references dropped, so no theme effect
    or colour leaks in), without its per-element cost.
    """
    from pptx.oxml import parse_xml
    from pptx.util import Pt

    from leaflet.fonts import DECK_FONT_NAME, DECK_MEASURE_FONT, Face, text_width_pt

    w = min(width_emu, round(height_emu * scene.aspect))
    h = round(w / scene.aspect)
    x0 = left_emu + (width_emu - w) // 2
    y0 = top_emu + (height_emu - h) // 2

    def emu(p: tuple[float, float]) -> tuple[int, int]:
        return (x0 + round(p[0] * w), y0 + round(p[1] * h))

    ids = _ShapeIds(shapes)
    group_id = ids.next()
    parts: list[str] = []
    boxes: list[tuple[int, int, int, int]] = []

    def xfrm(x: int, y: int, cx: int, cy: int, flip: str = "") -> str:
        boxes.append((x, y, cx, cy))
        return pptx_xml.xfrm(x, y, cx, cy, flip)

    def nv_sp(title: str, sp_attrs: str = "") -> str:
        return (
            f'<p:nvSpPr><p:cNvPr id="{ids.next()}" name={attr(title)}/>'
            f"<p:cNvSpPr{sp_attrs}/><p:nvPr/></p:nvSpPr>"
        )

    def freeform(path: Path, title: str) -> None:
        subpaths = flatten(path.ops, steps=12)
        # (operation, x, y) in EMU; every subpath starts with a move
        ops: list[tuple[str, int, int]] = []
        for points, closed in subpaths:
            ops.append(("moveTo", *emu(points[0])))
            ops += [("lnTo", *emu(p)) for p in points[1:]]
            if closed:
                ops.append(("close", 0, 0))
        xs = [x for op, x, _ in ops if op != "close"]
        ys = [y for op, _, y in ops if op != "close"]
        left, top = min(xs), min(ys)
        dx, dy = max(xs) - left, max(ys) - top
        body = "".join(
            "<a:close/>"
            if op == "close"
            else f'<a:{op}><a:pt x="{x - left}" y="{y - top}"/></a:{op}>'
            for op, x, y in ops
        )
        fill = f"<a:solidFill>{_rgb(path.fill)}</a:solidFill>" if path.fill else "<a:noFill/>"
        if path.stroke:
            line = _line(round(path.stroke_width * h), path.stroke)
        else:
            line = "<a:ln><a:noFill/></a:ln>"
        parts.append(
            f"<p:sp>{nv_sp(title)}<p:spPr>"
            f"{xfrm(left, top, dx, dy)}<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/>"
            '<a:cxnLst/><a:rect l="l" t="t" r="r" b="b"/><a:pathLst>'
            f'<a:path w="{dx}" h="{dy}">{body}</a:path></a:pathLst></a:custGeom>'
            f"{fill}{line}</p:spPr>{_EMPTY_BODY}</p:sp>"
        )

    for figure in scene.figures:
        for index, path in enumerate(figure.paths):
            freeform(path, f"{figure.view} outline {index + 1}")

    for label in scene.labels:
        (bx, by), (ex, ey) = emu(label.leader.start), emu(label.leader.end)
        flip = (' flipH="1"' if bx > ex else "") + (' flipV="1"' if by > ey else "")
        place = xfrm(min(bx, ex), min(by, ey), abs(ex - bx), abs(ey - by), flip)
        parts.append(
            f'<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="{ids.next()}"'
            f" name={attr(f'Leader: {label.text.text}')}/><p:cNvCxnSpPr/><p:nvPr/>"
            f"</p:nvCxnSpPr><p:spPr>{place}"
            '<a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
            f"{_line(round(label.leader.width * h), label.leader.colour)}</p:spPr></p:cxnSp>"
        )

    def oval(c: Circle, title: str) -> None:
        cx, cy = emu(c.centre)
        r = round(c.radius * h)
        parts.append(
            f"<p:sp>{nv_sp(title)}<p:spPr>{xfrm(cx - r, cy - r, 2 * r, 2 * r)}"
            '<a:prstGeom prst="ellipse"><a:avLst/></a:prstGeom>'
            f"<a:solidFill>{_rgb(c.fill)}</a:solidFill>"
            f"{_line(max(1, round(c.stroke_width * h)), c.stroke)}</p:spPr>{_EMPTY_BODY}</p:sp>"
        )

    mark = MARK_NAMES[scene.marker]
    for cluster in scene.clusters:
        for patch in cluster.patches:
            freeform(patch, f"{mark}: {cluster.site}")
    if scene.legend:
        for patch in scene.legend.patches:
            freeform(patch, f"{mark}: legend")
    for cluster in scene.clusters:
        for lump in cluster.lumps:
            oval(lump, f"{mark}: {cluster.site}")
    if scene.legend:
        for lump in scene.legend.lumps:
            oval(lump, f"{mark}: legend")

    pad = round(TEXT_PADDING_PT * EMU_PER_PT)
    language = attr(lang)
    scripts = script_fonts_xml(lang)
    direction = ' rtl="1"' if is_rtl(lang) else ""

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
        parts.append(
            f"<p:sp>{nv_sp(f'Label: {t.text}', _TEXT_BOX)}<p:spPr>"
            f"{xfrm(round(left), top, box_w, box_h)}"
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr><p:txBody>'
            f'<a:bodyPr wrap="none" anchor="t" lIns="{pad}" rIns="{pad}" tIns="0" bIns="0">'
            f'<a:noAutofit/></a:bodyPr><a:lstStyle/><a:p><a:pPr algn="{_ALIGN.get(t.align, "r")}"'
            f"{direction}/>"
            f'<a:r><a:rPr lang={language} sz="{Pt(size_pt).centipoints}"'
            f' b="{1 if t.bold else 0}">'
            f'<a:solidFill>{_rgb(t.colour)}</a:solidFill><a:latin typeface="{DECK_FONT_NAME}"/>'
            f"{scripts}"
            f"</a:rPr><a:t>{run_text(t.text)}</a:t></a:r></a:p></p:txBody></p:sp>"
        )

    for t in scene.texts():
        text_box(t)

    if boxes:
        gx, gy = min(b[0] for b in boxes), min(b[1] for b in boxes)
        gcx = max(b[0] + b[2] for b in boxes) - gx
        gcy = max(b[1] + b[3] for b in boxes) - gy
    else:
        gx = gy = gcx = gcy = 0
    descr = alt
    group = parse_xml(
        f'<p:grpSp {NS}><p:nvGrpSpPr><p:cNvPr id="{group_id}" name={attr(name)}'
        f" descr={attr(descr)}/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm>"
        f'<a:off x="{gx}" y="{gy}"/><a:ext cx="{gcx}" cy="{gcy}"/>'
        f'<a:chOff x="{gx}" y="{gy}"/><a:chExt cx="{gcx}" cy="{gcy}"/></a:xfrm></p:grpSpPr>'
        + "".join(parts)
        + "</p:grpSp>"
    )
    shapes._spTree.insert_element_before(group, "p:extLst")
    added: GroupShape = shapes[-1]  # the group, inserted last
    return added


class _ShapeIds:
    """Shape ids as python-pptx hands them out: the lowest unused, from the slide's tree."""

    def __init__(self, shapes: Any) -> None:
        self.used = {int(i) for i in shapes._spTree.xpath("//@id") if i.isdigit()}
        self.last = 0

    def next(self) -> int:
        n = self.last + 1
        while n in self.used:
            n += 1
        self.last = n
        return n


def _rgb(value: str) -> str:
    red, green, blue = (int(value[k : k + 2], 16) for k in (1, 3, 5))
    return f'<a:srgbClr val="{red:02X}{green:02X}{blue:02X}"/>'


def _line(width_emu: int, colour: str) -> str:
    # a zero width is python-pptx's default, which it leaves out
    width = f' w="{width_emu}"' if width_emu else ""
    return f"<a:ln{width}><a:solidFill>{_rgb(colour)}</a:solidFill></a:ln>"
