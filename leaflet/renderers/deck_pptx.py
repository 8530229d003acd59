"""The deck edition: slide plans drawn as a 16:9 PPTX on a restyled master, with python-pptx."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.presentation import Presentation as PresentationType
from pptx.util import Emu, Pt

from leaflet.assets import prepared_image
from leaflet.colour import contrast_ratio
from leaflet.deck.fit import INSET_X_PT, INSET_Y_PT, LINE_HEIGHT, Para, pitch_pt
from leaflet.deck.plan import (
    ACCENT_PT,
    FOOTER_H_PT,
    FOOTER_RECT,
    FOOTER_TOP_PT,
    MARGIN_PT,
    NUMBER_RECT,
    SLIDE_H_PT,
    SLIDE_W_PT,
    TITLE_BAR_PT,
    TITLE_INSET_X_PT,
    DiagramBlock,
    PictureBlock,
    QrBlock,
    Rect,
    SlidePlan,
    TableBlock,
    TextBlock,
    plan,
)
from leaflet.fonts import DECK_FONT_NAME
from leaflet.model import Theme
from leaflet.pptx_xml import NS, A, P, attr, is_rtl, run_text, script_fonts_xml, xfrm
from leaflet.renderers import Options, Rendered

if TYPE_CHECKING:
    from leaflet.deck.package import Slides
    from leaflet.edition import Edition

EMU_PER_PT = 12700
LAYOUTS = {"cover": "Title Slide", "content": "Title and Content", "title_only": "Title Only"}
KEEP_LAYOUTS = (*LAYOUTS.values(), "Blank")
BULLETS = ("•", "–", "·")


def emu(points: float) -> Emu:
    return Emu(round(points * EMU_PER_PT))


def render(edition: Edition, options: Options) -> Rendered:
    """The edition's slides, planned from its blocks and drawn; nothing is read from elsewhere."""
    from leaflet.deck.package import Slides, package_bytes, styled_presentation

    theme = edition.theme
    prs = styled_presentation(theme.model_dump_json(), lambda prs: _template(prs, theme))
    layouts = {layout.name: layout for layout in prs.slide_layouts}
    notes = _Notes()
    on_primary = "bg1" if on_colour(edition.theme.primary, edition.theme) == "#FFFFFF" else "tx1"
    plans = plan(edition)
    slides = Slides(prs)
    for slide_plan in plans:
        layout = layouts[LAYOUTS[slide_plan.layout]]
        draw_slide(prs, layout, slide_plan, edition.lang, options, notes, on_primary, slides)
    _core_properties(prs, edition)
    _package_properties(prs, plans, edition, options)
    return Rendered(package_bytes(prs), len(prs.slides), "slide")


def _template(prs: PresentationType, theme: Theme) -> None:
    prs.slide_width = emu(SLIDE_W_PT)
    prs.slide_height = emu(SLIDE_H_PT)
    style_template(prs, theme)


# --- the template: theme colours and fonts, master and layouts -----------------------------


def _el(tag: str, **attrs: str) -> Any:
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(key, value)
    return element


def _sub(parent: Any, tag: str, **attrs: str) -> Any:
    child = _el(tag, **attrs)
    parent.append(child)
    return child


def _solid(scheme: str) -> Any:
    fill = _el("a:solidFill")
    _sub(fill, "a:schemeClr", val=scheme)
    return fill


def on_colour(background: str, theme: Theme) -> str:
    """White or the text colour, whichever reads better on the background."""
    white, dark = "#FFFFFF", theme.text
    return white if contrast_ratio(white, background) >= contrast_ratio(dark, background) else dark


def style_template(prs: PresentationType, theme: Theme) -> None:
    """Restyle the default template so a user restyles the deck in PowerPoint's master view."""
    master = prs.slide_master
    _style_theme(master.part.part_related_by(RT.THEME), theme)
    _style_master(master._element, theme)
    for layout in list(prs.slide_layouts):
        if layout.name not in KEEP_LAYOUTS:
            prs.slide_layouts.remove(layout)
            continue
        for sp in list(layout.placeholders):
            xfrm = sp._element.spPr.find(qn("a:xfrm"))
            if xfrm is not None:
                sp._element.spPr.remove(xfrm)
        if layout.name == "Title Slide":
            _style_cover_layout(layout._element, theme)


def _style_theme(part: Any, theme: Theme) -> None:
    root = etree.fromstring(part.blob)
    ns = {"a": A}
    scheme = root.find(".//a:clrScheme", ns)
    scheme.set("name", "leaflet")
    colours = {
        "dk1": theme.text,
        "lt1": theme.background,
        "dk2": theme.primary,
        "accent1": theme.primary,
        "accent2": theme.accent,
        "hlink": theme.primary,
    }
    for slot, value in colours.items():
        element = scheme.find(f"a:{slot}", ns)
        for child in list(element):
            element.remove(child)
        _sub(element, "a:srgbClr", val=value[1:])
    fonts = root.find(".//a:fontScheme", ns)
    fonts.set("name", "leaflet")
    for latin in fonts.findall("./*/a:latin", ns):
        latin.set("typeface", DECK_FONT_NAME)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _set_xfrm(sp_pr: Any, rect: Rect) -> None:
    xfrm = sp_pr.find(qn("a:xfrm"))
    if xfrm is None:
        xfrm = _el("a:xfrm")
        sp_pr.insert(0, xfrm)
    for child in list(xfrm):
        xfrm.remove(child)
    _sub(xfrm, "a:off", x=str(emu(rect.left)), y=str(emu(rect.top)))
    _sub(xfrm, "a:ext", cx=str(emu(rect.width)), cy=str(emu(rect.height)))


def _set_insets(body_pr: Any, x_pt: float, y_pt: float, anchor: str = "t") -> None:
    for side, value in (("lIns", x_pt), ("rIns", x_pt), ("tIns", y_pt), ("bIns", y_pt)):
        body_pr.set(side, str(emu(value)))
    body_pr.set("anchor", anchor)
    body_pr.set("wrap", "square")
    for child in list(body_pr):
        body_pr.remove(child)


def _run_style(def_rpr: Any, size_pt: float, scheme: str | None, bold: bool = False) -> None:
    def_rpr.set("sz", str(round(size_pt * 100)))
    def_rpr.set("b", "1" if bold else "0")
    for child in list(def_rpr):
        def_rpr.remove(child)
    if scheme:
        def_rpr.append(_solid(scheme))
    _sub(def_rpr, "a:latin", typeface="+mj-lt" if bold else "+mn-lt")


def _style_master(master: Any, theme: Theme) -> None:
    c_sld = master.find(qn("p:cSld"))
    background = c_sld.find(qn("p:bg"))
    c_sld.remove(background)
    background = _el("p:bg")
    bg_pr = _sub(background, "p:bgPr")
    bg_pr.append(_solid("bg1"))
    _sub(bg_pr, "a:effectLst")
    c_sld.insert(0, background)
    tree = c_sld.find(qn("p:spTree"))
    places = {
        "title": Rect(0, 0, SLIDE_W_PT, TITLE_BAR_PT),
        "body": Rect(MARGIN_PT, TITLE_BAR_PT + 26, SLIDE_W_PT - 2 * MARGIN_PT, 374),
        "dt": Rect(SLIDE_W_PT - MARGIN_PT - 330, FOOTER_TOP_PT, 220, FOOTER_H_PT),
        "ftr": FOOTER_RECT,
        "sldNum": NUMBER_RECT,
    }
    on_primary = "bg1" if on_colour(theme.primary, theme) == "#FFFFFF" else "tx1"
    for sp in tree.findall(qn("p:sp")):
        kind = sp.find(f".//{qn('p:ph')}").get("type", "body")
        sp_pr = sp.find(qn("p:spPr"))
        _set_xfrm(sp_pr, places[kind])
        body_pr = sp.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}")
        if kind == "title":
            sp_pr.append(_solid("tx2"))
            _set_insets(body_pr, TITLE_INSET_X_PT, INSET_Y_PT, "ctr")
        elif kind == "body":
            _set_insets(body_pr, INSET_X_PT, INSET_Y_PT)
        else:
            _set_insets(body_pr, INSET_X_PT, 0, "ctr")
            lvl = sp.find(f".//{qn('a:lvl1pPr')}")
            lvl.set("algn", "r" if kind in ("sldNum", "dt") else "l")
            _run_style(lvl.find(qn("a:defRPr")), 14, "tx1")
    accent = parse_xml(
        f'<p:sp xmlns:p="{P}" xmlns:a="{A}"><p:nvSpPr>'
        f'<p:cNvPr id="20" name="Accent strip">{_DECORATIVE}</p:cNvPr>'
        '<p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr><a:xfrm>'
        f'<a:off x="0" y="{emu(TITLE_BAR_PT)}"/>'
        f'<a:ext cx="{emu(SLIDE_W_PT)}" cy="{emu(ACCENT_PT)}"/>'
        '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill>'
        '<a:schemeClr val="accent2"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr></p:sp>'
    )
    tree.append(accent)
    styles = master.find(qn("p:txStyles"))
    title_lvl = styles.find(f"{qn('p:titleStyle')}/{qn('a:lvl1pPr')}")
    title_lvl.set("algn", "l")
    _set_spacing(title_lvl, 1.0)
    _run_style(title_lvl.find(qn("a:defRPr")), 36, on_primary, bold=True)
    body = styles.find(qn("p:bodyStyle"))
    for level in range(1, 10):
        lvl = body.find(qn(f"a:lvl{level}pPr"))
        if lvl is None:
            continue
        indent = 24 + 30 * (level - 1)
        lvl.set("marL", str(emu(indent)))
        lvl.set("indent", str(emu(-20 if level > 1 else -24)))
        _set_spacing(lvl, LINE_HEIGHT)
        _bullet(lvl, BULLETS[min(level - 1, 2)])
        _run_style(lvl.find(qn("a:defRPr")), 24 if level == 1 else 20, "tx1")


def _set_spacing(p_pr: Any, line: float) -> None:
    for tag in ("a:lnSpc", "a:spcBef", "a:spcAft"):
        old = p_pr.find(qn(tag))
        if old is not None:
            p_pr.remove(old)
    spacing = _el("a:lnSpc")
    _sub(spacing, "a:spcPct", val=str(round(line * 100000)))
    p_pr.insert(0, spacing)


def _bullet(p_pr: Any, char: str | None) -> None:
    for tag in ("a:buClr", "a:buFont", "a:buChar", "a:buNone", "a:buSzPct"):
        old = p_pr.find(qn(tag))
        if old is not None:
            p_pr.remove(old)
    if char is None:
        items = [_el("a:buNone")]
    else:
        colour = _el("a:buClr")
        _sub(colour, "a:schemeClr", val="accent2")
        items = [colour, _el("a:buFont", typeface=DECK_FONT_NAME), _el("a:buChar", char=char)]
    anchor = 0
    for tag in ("a:lnSpc", "a:spcBef", "a:spcAft"):
        if p_pr.find(qn(tag)) is not None:
            anchor += 1
    for offset, item in enumerate(items):
        p_pr.insert(anchor + offset, item)


def _style_cover_layout(layout: Any, theme: Theme) -> None:
    """The title and closing slides: the primary colour all over, a short accent rule."""
    layout.set("showMasterSp", "0")
    c_sld = layout.find(qn("p:cSld"))
    background = _el("p:bg")
    bg_pr = _sub(background, "p:bgPr")
    bg_pr.append(_solid("tx2"))
    _sub(bg_pr, "a:effectLst")
    c_sld.insert(0, background)
    on_primary = "bg1" if on_colour(theme.primary, theme) == "#FFFFFF" else "tx1"
    tree = c_sld.find(qn("p:spTree"))
    for sp in tree.findall(qn("p:sp")):
        ph = sp.find(f".//{qn('p:ph')}")
        kind = ph.get("type", "body")
        sp_pr = sp.find(qn("p:spPr"))
        if kind == "ctrTitle":
            _set_xfrm(sp_pr, Rect(MARGIN_PT, 170, SLIDE_W_PT - 2 * MARGIN_PT, 120))
            _sub(sp_pr, "a:noFill")
            _set_insets(sp.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}"), INSET_X_PT, INSET_Y_PT, "b")
            lvl = sp.find(f".//{qn('a:lvl1pPr')}")
            if lvl is None:
                lvl = _sub(sp.find(f".//{qn('a:lstStyle')}"), "a:lvl1pPr")
            lvl.set("algn", "l")
            _run_style(_child(lvl, "a:defRPr"), 48, on_primary, bold=True)
        elif kind == "subTitle":
            _set_xfrm(sp_pr, Rect(MARGIN_PT, 306, SLIDE_W_PT - 2 * MARGIN_PT, 180))
            _set_insets(sp.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}"), INSET_X_PT, INSET_Y_PT)
            lvl = sp.find(f".//{qn('a:lvl1pPr')}")
            lvl.set("algn", "l")
            lvl.set("marL", "0")
            lvl.set("indent", "0")
            _set_spacing(lvl, LINE_HEIGHT)
            _bullet(lvl, None)
            _run_style(_child(lvl, "a:defRPr"), 28, on_primary)
    rule = parse_xml(
        f'<p:sp xmlns:p="{P}" xmlns:a="{A}"><p:nvSpPr>'
        f'<p:cNvPr id="20" name="Accent rule">{_DECORATIVE}</p:cNvPr>'
        '<p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr><p:spPr><a:xfrm>'
        f'<a:off x="{emu(MARGIN_PT + INSET_X_PT)}" y="{emu(150)}"/>'
        f'<a:ext cx="{emu(140)}" cy="{emu(ACCENT_PT)}"/></a:xfrm><a:prstGeom prst="rect">'
        '<a:avLst/></a:prstGeom><a:solidFill><a:schemeClr val="accent2"/></a:solidFill>'
        "<a:ln><a:noFill/></a:ln></p:spPr></p:sp>"
    )
    tree.append(rule)


def _child(parent: Any, tag: str) -> Any:
    found = parent.find(qn(tag))
    return found if found is not None else _sub(parent, tag)


# --- drawing the plans ------------------------------------------------------------------------


def draw_slide(
    prs: PresentationType,
    layout: Any,
    slide_plan: SlidePlan,
    language: str,
    options: Options,
    notes: _Notes | None = None,
    on_primary: str = "bg1",
    slides: Slides | None = None,
) -> None:
    """One slide; `on_primary` is the scheme colour of text on the primary (a table header)."""
    slide = prs.slides.add_slide(layout) if slides is None else slides.add(layout)
    _draw_title(slide, slide_plan, language)
    for block in slide_plan.blocks:
        if isinstance(block, TextBlock):
            _draw_text(slide, block, language)
        elif isinstance(block, TableBlock):
            _draw_table(slide, block, language, on_primary)
        elif isinstance(block, DiagramBlock):
            _draw_diagram(slide, block, language)
        elif isinstance(block, PictureBlock):
            _draw_picture(slide, block, options)
        elif isinstance(block, QrBlock):
            _draw_qr(slide, block)
        else:  # pragma: no cover - every block kind has a branch above
            raise TypeError(f"no drawing rule for {type(block).__name__}")
    if slide_plan.layout != "cover" and slide_plan.title_rect.height > TITLE_BAR_PT:
        # a grown title bar covers the master's strip: the strip moves under it
        _accent_strip(slide, slide_plan.title_rect.bottom)
    if slide_plan.footer:
        _draw_footer(slide, layout, slide_plan.footer, language, len(prs.slides))
    _drop_empty_placeholders(slide.shapes._spTree)
    (notes or _Notes()).add(slide, slide_plan.notes)


class _Notes:
    """Notes slides for one deck: python-pptx makes the first, the rest are copies of it.

    Each python-pptx notes slide clones the notes master's placeholders shape by shape and scans
    the whole package for a free part name; the clones are the same for every slide.
    """

    def __init__(self) -> None:
        self.blank: Any = None

    def add(self, slide: Any, text: str) -> None:
        from pptx.opc.constants import CONTENT_TYPE as CT
        from pptx.opc.packuri import PackURI
        from pptx.parts.slide import NotesSlidePart

        slide_part = slide.part
        if self.blank is None:
            notes_slide = slide.notes_slide
            self.blank = copy.deepcopy(notes_slide._element)
        else:
            # notes slides are made in slide order, so python-pptx's free name is the slide's
            number = slide_part.partname.idx
            part = NotesSlidePart(
                PackURI(f"/ppt/notesSlides/notesSlide{number}.xml"),
                CT.PML_NOTES_SLIDE,
                slide_part.package,
                copy.deepcopy(self.blank),
            )
            part.relate_to(slide_part.package.presentation_part.notes_master_part, RT.NOTES_MASTER)
            part.relate_to(slide_part, RT.SLIDE)
            slide_part.relate_to(part, RT.NOTES_SLIDE)
            notes_slide = part.notes_slide
        _set_paragraphs(_body_of(notes_slide._element, "body"), _plain_xml(text))


def _draw_title(slide: Any, slide_plan: SlidePlan, language: str) -> None:
    """The title placeholder's text, one run in the plan's size."""
    title = slide_plan.title
    if not title or "\n" in title or "\v" in title:
        # several paragraphs or line breaks: python-pptx's own text setter decides their shape
        shape = slide.shapes.title
        if slide_plan.layout == "cover" or slide_plan.title_rect.height != TITLE_BAR_PT:
            _place(shape, slide_plan.title_rect)
        shape.text_frame.text = title
        run = shape.text_frame.paragraphs[0].runs[0]
        run.font.size = Pt(slide_plan.title_size)
        run.font._rPr.set("lang", language)
        for paragraph in shape.text_frame.paragraphs:
            _script_paragraph(paragraph._p, language)
        return
    sp = _placeholder(slide.shapes._spTree, 0)
    if slide_plan.layout == "cover" or slide_plan.title_rect.height != TITLE_BAR_PT:
        r = slide_plan.title_rect
        sp_pr = parse_xml(f"<p:spPr {NS}>{_xfrm(r)}</p:spPr>")
        sp.replace(sp.find(qn("p:spPr")), sp_pr)
    fonts = script_fonts_xml(language)
    fonts = f'<a:latin typeface="{DECK_FONT_NAME}"/>{fonts}' if fonts else ""
    p_pr = '<a:pPr algn="r" rtl="1"/>' if is_rtl(language) else ""
    _set_paragraphs(
        sp.find(qn("p:txBody")),
        f'<a:p>{p_pr}<a:r><a:rPr sz="{Pt(slide_plan.title_size).centipoints}"'
        f" lang={attr(language)}>{fonts}</a:rPr><a:t>{run_text(title)}</a:t></a:r></a:p>",
    )


def _script_paragraph(p: Any, language: str) -> None:
    """A paragraph python-pptx wrote, given the language's direction and script fonts."""
    fonts = script_fonts_xml(language)
    if is_rtl(language):
        p_pr = p.get_or_add_pPr()
        p_pr.set("algn", "r")
        p_pr.set("rtl", "1")
    if not fonts:
        return
    for r_pr in p.iter(qn("a:rPr")):
        for child in parse_xml(
            f'<a:rPr xmlns:a="{A}"><a:latin typeface="{DECK_FONT_NAME}"/>{fonts}</a:rPr>'
        ):
            r_pr.append(child)


def _body_of(element: Any, kind: str) -> Any:
    """The text body of the first placeholder of this type in a slide-like part's element."""
    for ph in element.iter(qn("p:ph")):
        if ph.get("type") == kind:
            return ph.getparent().getparent().getparent().find(qn("p:txBody"))
    raise KeyError(f"no {kind} placeholder")


def _set_paragraphs(tx_body: Any, paragraphs: str) -> None:
    """A text body's paragraphs replaced by these, as python-pptx's text setters replace them."""
    for p in tx_body.findall(qn("a:p")):
        tx_body.remove(p)
    tx_body.extend(list(parse_xml(f"<p:txBody {NS}>{paragraphs}</p:txBody>")))


def _plain_xml(text: str) -> str:
    """Plain text as python-pptx's `TextFrame.text` writes it: a paragraph a line, a run
    between line breaks (vertical tabs), no run for an empty piece."""
    return "".join(
        "<a:p>"
        + "<a:br/>".join(
            f"<a:r><a:t>{run_text(p)}</a:t></a:r>" if p else "" for p in line.split("\v")
        )
        + "</a:p>"
        for line in text.split("\n")
    )


def _place(shape: Any, rect: Rect) -> None:
    shape.left, shape.top = emu(rect.left), emu(rect.top)
    shape.width, shape.height = emu(rect.width), emu(rect.height)


def _frame_xml(
    paras: Sequence[Para],
    size_pt: float,
    language: str,
    align: str,
    part: Any,
    colour: str | None = None,
) -> str:
    """A text frame's body properties and paragraphs, as python-pptx's text-frame API writes
    them: explicit sizes, indents, bullets and exact spacing, as measured; `colour` is a
    scheme colour for every run (a table header's), else the theme's text colour applies.
    """
    fill = f'<a:solidFill><a:schemeClr val="{colour}"/></a:solidFill>' if colour else ""
    lang = attr(language)
    scripts = script_fonts_xml(language)
    if scripts:
        fill += f'<a:latin typeface="{DECK_FONT_NAME}"/>{scripts}'
    rtl = is_rtl(language)
    algn = "r" if (align == "right") != rtl else "l"
    direction = ' rtl="1"' if rtl else ""
    out = [_BODY_PR]
    for k, item in enumerate(paras):
        size = size_pt * item.scale
        indent = item.indent_pt()
        pitch = pitch_pt(item, size_pt)
        gap = item.space_before * pitch if k else 0
        hang = -indent if item.bullet and indent else 0
        bullet = _BULLET_XML[min(item.level, 2)] if item.bullet else "<a:buNone/>"
        out.append(
            f'<a:p><a:pPr marL="{emu(indent)}" indent="{emu(hang)}" lvl="{item.level}"'
            f' algn="{algn}"{direction}><a:lnSpc>'
            f'<a:spcPts val="{round(pitch * 100)}"/></a:lnSpc><a:spcBef>'
            f'<a:spcPts val="{round(gap * 100)}"/></a:spcBef><a:spcAft>'
            f'<a:spcPts val="0"/></a:spcAft>{bullet}</a:pPr>'
        )
        sz = Pt(size).centipoints
        for span in item.spans:
            attrs = f'sz="{sz}" b="{int(span.bold)}" i="{int(span.italic)}" lang={lang}'
            if span.url:
                rid = part.relate_to(span.url, RT.HYPERLINK, is_external=True)
                r_pr = f"<a:rPr {attrs}>{fill}<a:hlinkClick r:id={attr(rid)}/></a:rPr>"
                # one run a word, each with its space: LibreOffice sets a linked run as one
                # unbreakable field, and would wrap a long link text inside a word
                out += [
                    f"<a:r>{r_pr}<a:t>{run_text(word)}</a:t></a:r>"
                    for word in re.findall(r"\s*\S+\s*|\s+", span.text)
                ]
                continue
            r_pr = f"<a:rPr {attrs}>{fill}</a:rPr>" if fill else f"<a:rPr {attrs}/>"
            out.append(f"<a:r>{r_pr}<a:t>{run_text(span.text)}</a:t></a:r>")
        out.append("</a:p>")
    if not paras:
        out.append("<a:p/>")
    return "".join(out)


def _inset_attrs() -> str:
    # python-pptx leaves out an inset equal to the default it reads back
    x, y = emu(INSET_X_PT), emu(INSET_Y_PT)
    insets = (("lIns", x, 91440), ("rIns", x, 91440), ("tIns", y, 45720), ("bIns", y, 45720))
    return "".join(f' {name}="{value}"' for name, value, default in insets if value != default)


_BODY_PR = (
    f'<a:bodyPr wrap="square" anchor="t"{_inset_attrs()}><a:noAutofit/></a:bodyPr><a:lstStyle/>'
)
_BULLET_XML = tuple(
    '<a:buClr><a:schemeClr val="accent2"/></a:buClr>'
    f"<a:buFont typeface={attr(DECK_FONT_NAME)}/><a:buChar char={attr(char)}/>"
    for char in BULLETS
)


def _fill_empty_runs(element: Any) -> None:
    """An empty run python-pptx writes as <a:t></a:t>, which parsing reads back as <a:t/>."""
    for t in element.iter(qn("a:t")):
        if t.text is None:
            t.text = ""


def _xfrm(r: Rect) -> str:
    return xfrm(emu(r.left), emu(r.top), emu(r.width), emu(r.height))


def _draw_text(slide: Any, block: TextBlock, language: str) -> None:
    r = block.rect
    body = _frame_xml(block.paras, block.size_pt, language, block.align, slide.part)
    xfrm = _xfrm(r)
    tree = slide.shapes._spTree
    if block.placeholder is not None:
        sp = _placeholder(tree, block.placeholder)
        new = parse_xml(f"<p:sp {NS}><p:spPr>{xfrm}</p:spPr><p:txBody>{body}</p:txBody></p:sp>")
        sp.find(qn("p:nvSpPr")).find(qn("p:cNvPr")).set("name", block.name)
        sp.replace(sp.find(qn("p:spPr")), new[0])
        sp.replace(sp.find(qn("p:txBody")), new[0])
    else:
        sp = parse_xml(
            f'<p:sp {NS}><p:nvSpPr><p:cNvPr id="{slide.shapes._next_shape_id}"'
            f' name={attr(block.name)}/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>'
            f'<p:spPr>{xfrm}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/>'
            f"</p:spPr><p:txBody>{body}</p:txBody></p:sp>"
        )
        tree.insert_element_before(sp, "p:extLst")
    if any(not span.text for item in block.paras for span in item.spans):
        _fill_empty_runs(sp)


def _placeholder(tree: Any, idx: int) -> Any:
    """The slide's placeholder shape with this idx, as `slide.placeholders[idx]` finds it."""
    for sp in tree.iterchildren(qn("p:sp")):
        ph = sp.find(qn("p:nvSpPr")).find(qn("p:nvPr")).find(qn("p:ph"))
        if ph is not None and int(ph.get("idx", "0")) == idx:
            return sp
    raise KeyError(f"no placeholder on slide with idx == {idx}")


def _cell_pr(fill: str) -> str:
    """A cell's insets, white rules on every side and its fill, all in the file: no table
    style is named, so Keynote, Google Slides and LibreOffice show what PowerPoint shows."""
    rules = "".join(
        f'<a:{side} w="12700" cap="flat" cmpd="sng" algn="ctr"><a:solidFill>'
        '<a:schemeClr val="bg1"/></a:solidFill><a:prstDash val="solid"/></a:' + side + ">"
        for side in ("lnL", "lnR", "lnT", "lnB")
    )
    return (
        f'<a:tcPr marL="{emu(INSET_X_PT)}" marR="{emu(INSET_X_PT)}" marT="{emu(INSET_Y_PT)}"'
        f' marB="{emu(INSET_Y_PT)}" anchor="t">{rules}<a:solidFill>{fill}</a:solidFill></a:tcPr>'
    )


_HEADER_FILL = '<a:schemeClr val="accent1"/>'
_BAND_FILLS = (
    '<a:schemeClr val="accent1"><a:tint val="40000"/></a:schemeClr>',
    '<a:schemeClr val="accent1"><a:tint val="20000"/></a:schemeClr>',
)
"""The header in the primary colour, body rows in two tints of it, as PowerPoint's Medium
Style 2 draws them, but written into each cell."""


def _draw_table(slide: Any, block: TableBlock, language: str, on_primary: str = "bg1") -> None:
    r = block.rect
    widths = [emu(width) for width in block.widths]
    heights = [emu(height) for height in block.heights]
    # right to left, the first column stands at the right (the cells keep their order)
    table_rtl = ' rtl="1"' if is_rtl(language) else ""
    out = [
        f'<p:graphicFrame {NS}><p:nvGraphicFramePr><p:cNvPr id="{slide.shapes._next_shape_id}"'
        f' name={attr(block.name)}/><p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/>'
        f'</p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr><p:xfrm><a:off x="{emu(r.left)}"'
        f' y="{emu(r.top)}"/><a:ext cx="{sum(widths)}" cy="{sum(heights)}"/></p:xfrm><a:graphic>'
        f'<a:graphicData uri="{_TABLE_URI}"><a:tbl><a:tblPr{table_rtl} firstRow="1"'
        ' bandRow="1"/>'
        "<a:tblGrid>",
        *(f'<a:gridCol w="{w}"/>' for w in widths),
        "</a:tblGrid>",
    ]
    for k, (row, height) in enumerate(zip(block.rows, heights, strict=True)):
        out.append(f'<a:tr h="{height}">')
        colour = on_primary if k == 0 else None
        cell_pr = _cell_pr(_HEADER_FILL if k == 0 else _BAND_FILLS[(k - 1) % 2])
        for cell_paras in row:
            body = _frame_xml(cell_paras, block.size_pt, language, "left", slide.part, colour)
            out.append(f"<a:tc><a:txBody>{body}</a:txBody>{cell_pr}</a:tc>")
        out.append("</a:tr>")
    out.append("</a:tbl></a:graphicData></a:graphic></p:graphicFrame>")
    frame = parse_xml("".join(out))
    slide.shapes._spTree.insert_element_before(frame, "p:extLst")
    if any(not span.text for row in block.rows for cell in row for p in cell for span in p.spans):
        _fill_empty_runs(frame)


_TABLE_URI = "http://schemas.openxmlformats.org/drawingml/2006/table"


def _draw_diagram(slide: Any, block: DiagramBlock, language: str) -> None:
    from leaflet.diagram.draw_pptx import add_diagram

    r = block.rect
    add_diagram(
        slide.shapes,
        block.scene,
        emu(r.left),
        emu(r.top),
        emu(r.width),
        emu(r.height),
        name=block.name,
        alt=block.alt,
        lang=language,
    )


def _draw_qr(slide: Any, block: QrBlock) -> None:
    """The QR code as one group (a white square, one freeform of the dark modules), whose
    alt text says where it leads."""
    from leaflet import qr

    r = block.rect
    tree = slide.shapes._spTree
    xml = qr.pptx_group_xml(
        qr.matrix(block.url),
        slide.shapes._next_shape_id,
        emu(r.left),
        emu(r.top),
        emu(r.width),
        block.alt,
    )
    group = parse_xml(xml.replace("<p:grpSp>", f"<p:grpSp {NS}>", 1))
    group.find(qn("p:nvGrpSpPr")).find(qn("p:cNvPr")).set("name", block.name)
    tree.append(group)


def _draw_picture(slide: Any, block: PictureBlock, options: Options) -> None:
    r = block.rect
    card = slide.shapes.add_shape(1, emu(r.left), emu(r.top), emu(r.width), emu(r.height))
    card.name = "Logo card"
    card.fill.solid()
    card.fill.fore_color.rgb = _rgb("#FFFFFF")
    card.line.fill.background()
    card.shadow.inherit = False
    pad = 8
    # read once from inside the project, decoded by content and normalised to 8-bit PNG
    png = prepared_image(options.project_dir, block.path)
    scale = min((r.width - 2 * pad) / png.width_px, (r.height - 2 * pad) / png.height_px)
    width, height = png.width_px * scale, png.height_px * scale
    picture = slide.shapes.add_picture(
        io.BytesIO(png.data),
        emu(r.left + (r.width - width) / 2),
        emu(r.top + (r.height - height) / 2),
        emu(width),
        emu(height),
    )
    picture.name = block.name
    picture._element.nvPicPr.cNvPr.set("descr", block.alt)
    mark_decorative(card._element.nvSpPr.cNvPr)


DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"
_DECORATIVE = (
    f'<a:extLst xmlns:a="{A}"><a:ext uri="{DECORATIVE_URI}">'
    f'<adec:decorative xmlns:adec="{DECORATIVE_NS}" val="1"/></a:ext></a:extLst>'
)


def mark_decorative(c_nv_pr: Any) -> None:
    """A shape that says nothing (a card behind the logo, an accent strip) marked decorative as
    PowerPoint marks it, so that screen readers skip it and the accessibility checker asks for
    no alt text."""
    if "descr" in c_nv_pr.attrib:
        del c_nv_pr.attrib["descr"]
    c_nv_pr.append(parse_xml(_DECORATIVE))


def _rgb(colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour[1:])  # type: ignore[no-untyped-call]


def _accent_strip(slide: Any, top_pt: float) -> None:
    strip = slide.shapes.add_shape(1, 0, emu(top_pt), emu(SLIDE_W_PT), emu(ACCENT_PT))
    strip.name = "Accent strip"
    strip.fill.solid()
    strip.fill.fore_color.theme_color = 6  # MSO_THEME_COLOR.ACCENT_2
    strip.line.fill.background()
    strip.shadow.inherit = False
    mark_decorative(strip._element.nvSpPr.cNvPr)


def _draw_footer(
    slide: Any, layout: Any, blocks: tuple[TextBlock, TextBlock], language: str, number: int
) -> None:
    """Footer and slide-number placeholders of the layout, so PowerPoint treats them as such."""
    idx = {ph.get("type"): ph.get("idx") for ph in layout._element.iter(qn("p:ph"))}
    text, number_block = blocks
    tree = slide.shapes._spTree
    for block, kind in ((text, "ftr"), (number_block, "sldNum")):
        r = block.rect
        size = round(block.size_pt * 100)
        fonts = script_fonts_xml(language)
        r_pr = (
            f'<a:rPr lang={attr(language)} sz="{size}"><a:latin typeface="{DECK_FONT_NAME}"/>'
            f"{fonts}</a:rPr>"
            if fonts
            else f'<a:rPr lang={attr(language)} sz="{size}"/>'
        )
        if kind == "sldNum":
            content = (
                '<a:fld id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" type="slidenum">'
                f"{r_pr}<a:t>{number}</a:t></a:fld>"
            )
        else:
            words = run_text(block.paras[0].text)
            content = f"<a:r>{r_pr}<a:t>{words}</a:t></a:r>"
        rtl = is_rtl(language)
        algn = "r" if (block.align == "right") != rtl else "l"
        direction = ' rtl="1"' if rtl else ""
        x, y = emu(INSET_X_PT), emu(INSET_Y_PT)
        sp = parse_xml(
            f'<p:sp xmlns:p="{P}" xmlns:a="{A}"><p:nvSpPr>'
            f'<p:cNvPr id="{slide.shapes._next_shape_id}" name={attr(block.name)}/>'
            '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>'
            f'<p:ph type="{kind}" sz="quarter" idx="{idx.get(kind) or 0}"/></p:nvPr></p:nvSpPr>'
            f"<p:spPr>{_xfrm(r)}</p:spPr>"
            f'<p:txBody><a:bodyPr lIns="{x}" rIns="{x}" tIns="{y}" bIns="{y}" anchor="ctr"'
            ' wrap="square"/><a:lstStyle/><a:p>'
            f'<a:pPr algn="{algn}"{direction} marL="0" indent="0">'
            f"<a:buNone/></a:pPr>{content}</a:p></p:txBody></p:sp>"
        )
        tree.append(sp)


def _drop_empty_placeholders(tree: Any) -> None:
    """Placeholders the plan left without text, so no "Click to add text" prompt shows."""
    for shape in list(tree):
        nv_pr = shape[0].find(qn("p:nvPr")) if len(shape) else None
        if nv_pr is not None and nv_pr.find(qn("p:ph")) is not None and _no_text(shape):
            tree.remove(shape)


def _no_text(shape: Any) -> bool:
    """What python-pptx's `not shape.text_frame.text` says, read from the XML."""
    body = shape.find(qn("p:txBody"))
    if body is None:
        return True
    return (
        len(body.findall(qn("a:p"))) <= 1
        and not any(t.text for t in body.iter(qn("a:t")))
        and next(body.iter(qn("a:br")), None) is None
    )


def _core_properties(prs: PresentationType, edition: Edition) -> None:
    """Properties from the edition, never the clock, so that bytes repeat."""
    from leaflet.edition.blocks import plain

    governance = edition.governance
    props = prs.core_properties
    props.title = plain(edition.title.title)
    props.subject = edition.subject
    props.author = edition.title.organisation
    props.last_modified_by = edition.title.organisation
    props.language = edition.lang
    props.version = governance.version
    props.revision = 1
    props.keywords = edition.topic
    dates = governance.dates
    if dates is not None:
        props.created = dt.datetime.combine(dates.published, dt.time())
        props.modified = dt.datetime.combine(dates.reviewed, dt.time())
        props.last_printed = dt.datetime.combine(dates.published, dt.time())


PRESENTATION_FORMAT = "Widescreen"
"""What PowerPoint calls a 13.333 × 7.5 in (16:9) slide in app.xml; "On-screen Show (16:9)"
is its name for 10 × 5.625 in."""


def _package_properties(
    prs: PresentationType, plans: Sequence[SlidePlan], edition: Edition, options: Options
) -> None:
    """The extended properties (docProps/app.xml) and thumbnail, true to the deck: its format,
    its slide, note, paragraph and word counts and titles; the title slide as the thumbnail."""
    from leaflet.deck.thumbnail import thumbnail

    parts = {str(part.partname): part for part in prs.part.package.iter_parts()}
    titles = [p.title for p in plans]
    paragraphs = [
        item.text
        for p in plans
        for block in p.blocks
        for item in _block_paras(block)
        if item.text.strip()
    ] + titles
    words = sum(len(text.split()) for text in paragraphs)
    vector = "".join(f"<vt:lpstr>{run_text(t)}</vt:lpstr>" for t in titles)
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'docPropsVTypes"><TotalTime>0</TotalTime><Words>{words}</Words>'
        f"<Application>leaflet</Application>"
        f"<PresentationFormat>{PRESENTATION_FORMAT}</PresentationFormat>"
        f"<Paragraphs>{len(paragraphs)}</Paragraphs><Slides>{len(plans)}</Slides>"
        f"<Notes>{sum(1 for p in plans if p.notes.strip())}</Notes><HiddenSlides>0</HiddenSlides>"
        "<MMClips>0</MMClips><ScaleCrop>false</ScaleCrop><HeadingPairs>"
        '<vt:vector size="6" baseType="variant">'
        "<vt:variant><vt:lpstr>Fonts Used</vt:lpstr></vt:variant><vt:variant><vt:i4>1</vt:i4>"
        "</vt:variant><vt:variant><vt:lpstr>Theme</vt:lpstr></vt:variant><vt:variant><vt:i4>1"
        "</vt:i4></vt:variant><vt:variant><vt:lpstr>Slide Titles</vt:lpstr></vt:variant>"
        f"<vt:variant><vt:i4>{len(titles)}</vt:i4></vt:variant></vt:vector></HeadingPairs>"
        f'<TitlesOfParts><vt:vector size="{len(titles) + 2}" baseType="lpstr">'
        f"<vt:lpstr>{DECK_FONT_NAME}</vt:lpstr><vt:lpstr>Office Theme</vt:lpstr>{vector}"
        "</vt:vector></TitlesOfParts><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
    )
    parts["/docProps/app.xml"]._blob = app.encode("utf-8")
    on_primary = on_colour(edition.theme.primary, edition.theme)
    cover = next(p for p in plans if p.layout == "cover")
    parts["/docProps/thumbnail.jpeg"]._blob = thumbnail(
        cover,
        edition.theme,
        on_primary,
        lambda path: prepared_image(options.project_dir, path).data,
    )


def _block_paras(block: object) -> list[Para]:
    if isinstance(block, TextBlock):
        return list(block.paras)
    if isinstance(block, TableBlock):
        return [item for row in block.rows for cell in row for item in cell]
    return []
