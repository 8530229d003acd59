"""The patient leaflet: a PDF drawn with reportlab's platypus, in the patient wording."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, _digester
from reportlab.pdfbase import pdfdoc
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.doctemplate import LayoutError

from leaflet import inline, pdfua
from leaflet.assets import PreparedImage, prepared_image
from leaflet.diagram.draw_reportlab import PdfDiagram, pdf_shapes, to_drawing
from leaflet.diagram.scene import Scene, alt_text, build_scene
from leaflet.errors import LeafletError
from leaflet.fonts import LEAFLET_FONT, register_reportlab_fonts
from leaflet.model import Document, Section
from leaflet.renderers import Options, Rendered
from leaflet.sites import SITES, Side, join_words
from leaflet.typescale import LEAFLET, leaflet_type

# Besides leaflet.pdfua's hooks, the speed-ups below use reportlab internals (Paragraph's wrap
# state, drawImage's steps, a page's joined stream, multiBuild's _doSave): pyproject pins
# reportlab's range, and the tests compare the pages drawn.

Tagging = pdfua.Tagger | pdfua.NullTagger
"""The tagger of a build: a real one for the pages written, a null one for trial layouts."""

EVIDENCE_WORDS = {
    "established": "A standard treatment.",
    "limited": "It helps some people.",
    "experimental": "Still being tested.",
    "anecdotal": "Based on what people have found, not on research.",
}

BODY_PT = LEAFLET["body"].pt
"""Body text size; the house minimum for patient leaflets."""
MIN_DIAGRAM_LABEL_PT = 9.2
"""Diagram labels are scaled so that the smallest stays at or above this."""
GAP = 5 * mm
"""Space between columns and between cards."""


@dataclass(frozen=True)
class Page:
    """The page grid for one paper size, in points."""

    size: tuple[float, float]
    """Paper width and height."""
    margin_x: float
    margin_top: float
    margin_bottom: float
    """Includes the footer band."""
    measure: float = 352.0
    """The reading column's widest: about 64 characters of 12 pt Atkinson Hyperlegible."""

    @property
    def width(self) -> float:
        """The text block's width."""
        return float(self.size[0]) - 2 * self.margin_x

    @property
    def height(self) -> float:
        return float(self.size[1]) - self.margin_top - self.margin_bottom

    @property
    def main(self) -> float:
        """Width of the reading column."""
        return min(self.width, self.measure)

    @property
    def side(self) -> float:
        """Width of the side column beside the reading column."""
        return self.width - self.main - float(GAP)

    @property
    def columns(self) -> list[float]:
        """Reading column, gap, side column."""
        return [self.main, GAP, self.side]


LETTER_TOP_MM = 7


def page_for(paper: str) -> Page:
    size = A4 if paper == "A4" else LETTER
    # Letter is 18 mm shorter than A4; its top margin gives way first, and stays outside the
    # 4-5 mm that office printers cannot reach.
    top = 10 * mm if paper == "A4" else LETTER_TOP_MM * mm
    return Page(size=size, margin_x=12 * mm, margin_top=top, margin_bottom=16.5 * mm)


def markup(text: str, link_colour: str = "#1F4E79") -> str:
    """Content text as reportlab paragraph markup; every character of content is escaped."""
    out = []
    for run in inline.parse(" ".join(text.split())):
        piece = escape(run.text)
        if run.bold:
            piece = f"<b>{piece}</b>"
        if run.italic:
            piece = f"<i>{piece}</i>"
        if run.url:
            href = escape(run.url, {'"': "&quot;"})
            piece = f'<a href="{href}" color="{link_colour}"><u>{piece}</u></a>'
        out.append(piece)
    return "".join(out)


class Styles:
    """The leaflet's paragraph styles (type from leaflet.typescale) and colours."""

    def __init__(self, document: Document, page: Page) -> None:
        font = register_reportlab_fonts(LEAFLET_FONT)
        theme = document.theme
        self.page = page
        self.text = colors.HexColor(theme.text)
        self.primary = colors.HexColor(theme.primary)
        self.accent = colors.HexColor(theme.accent)
        self.callout_bg = colors.HexColor(theme.callout_background)
        self.card_bg = colors.HexColor(_tint(theme.primary, 0.06))
        self.rule = colors.HexColor(_tint(theme.primary, 0.35))
        self.link = theme.primary
        self.font = font
        self.bold = f"{font}-Bold"
        base: dict[str, Any] = dict(
            fontName=font, textColor=self.text, alignment=TA_LEFT, splitLongWords=1
        )
        bold = {**base, "fontName": self.bold}
        # Main-column text is indented from the right so a full-width frame keeps the measure.
        right = page.width - page.main
        self.body = ParagraphStyle(
            "body", **leaflet_type("body"), spaceAfter=1.5, rightIndent=right, **base
        )
        self.cell = ParagraphStyle("cell", parent=self.body, rightIndent=0)
        self.org = ParagraphStyle(
            "org", **leaflet_type("org"), spaceAfter=2, **{**bold, "textColor": self.primary}
        )
        self.title = ParagraphStyle(
            "title", **leaflet_type("title"), spaceAfter=2, **{**bold, "textColor": self.primary}
        )
        self.subtitle = ParagraphStyle("subtitle", **leaflet_type("subtitle"), **base)
        self.h1 = ParagraphStyle(
            "h1",
            **leaflet_type("h1"),
            spaceBefore=6,
            spaceAfter=2,
            keepWithNext=1,
            **{**bold, "textColor": self.primary},
        )
        self.h1_cell = ParagraphStyle("h1_cell", parent=self.h1, spaceBefore=0)
        self.h2 = ParagraphStyle("h2", **leaflet_type("h2"), spaceAfter=1, keepWithNext=1, **bold)
        self.bullet = ParagraphStyle(
            "bullet",
            parent=self.body,
            leftIndent=13,
            bulletIndent=1,
            spaceAfter=1,
            bulletFontName=font,
        )
        self.bullet_cell = ParagraphStyle("bullet_cell", parent=self.bullet, rightIndent=0)
        self.callout_head = ParagraphStyle(
            "callout_head", **leaflet_type("callout_head"), spaceAfter=2, **bold
        )
        self.side_text = ParagraphStyle("side_text", parent=self.cell, spaceAfter=2)
        self.callout_call = ParagraphStyle("callout_call", parent=self.cell, spaceBefore=1)
        self.term = ParagraphStyle("term", parent=self.cell, **leaflet_type("term"), spaceAfter=1.5)
        self.small = ParagraphStyle(
            "small", **leaflet_type("small"), spaceAfter=2, rightIndent=right, **base
        )
        self.small_cell = ParagraphStyle("small_cell", parent=self.small, rightIndent=0)
        self.small_bullet_cell = ParagraphStyle(
            "small_bullet_cell",
            parent=self.small_cell,
            leftIndent=11,
            bulletIndent=1,
            bulletFontName=font,
        )
        self.footer = ParagraphStyle("footer", **leaflet_type("footer"), **base)
        self.footer_right = ParagraphStyle("footer_right", parent=self.footer, alignment=TA_RIGHT)
        self.made: dict[tuple[Any, ...], Paragraph] = {}
        """The paragraphs of this render, by text, style, bullet and bookmark (see `para`)."""

    def para(
        self,
        text: str,
        style: ParagraphStyle,
        bullet: str | None = None,
        bookmark: tuple[str, str] | None = None,
    ) -> Paragraph:
        """A paragraph of markup, made once a render; with `bookmark` (key, title), a Heading.

        Trial layouts and the layout drawn share it: its text is parsed once, and its words
        are measured once, since reportlab keeps their widths for the next width it is broken
        at. The same text may stand in two places: a paragraph is drawn as often as it is
        placed, and splitting makes new ones.
        """
        key = (text, style, bullet, bookmark)
        made = self.made.get(key)
        if made is None:
            if bookmark is None:
                made = Paragraph(text, style, bulletText=bullet)
            else:
                made = Heading(text, style, *bookmark)
            self.made[key] = made
        return made


def _style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A table style whose string cells use the embedded font (reportlab defaults to Helvetica)."""
    font = register_reportlab_fonts(LEAFLET_FONT)
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), font), *commands])


def _tint(hex_colour: str, strength: float) -> str:
    """The colour mixed with white: light fills that keep text contrast and print pale grey."""
    rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(255 - (255 - c) * strength) for c in rgb]
    return "#" + "".join(f"{c:02X}" for c in mixed)


class Paragraph(rl_paragraph.Paragraph):  # type: ignore[misc]
    """reportlab's Paragraph, whose lines are broken once per width.

    Tables wrap a cell once to size it and again to draw it, cards and columns are measured
    before they are placed: the same paragraph is wrapped at the same width about three times
    a render, and breaking its lines is most of the cost of laying the leaflet out.
    """

    _WRAPPED: tuple[str, ...] = (
        *("width", "height", "blPara", "_wrapWidths", "_width_max"),
        *("frags", "_splitLongWordCount", "_hyphenations"),
    )
    """What reportlab's wrap sets on the paragraph, which split and draw read (breaking lines
    replaces the parsed fragments with measured words, which the lines index)."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._made_frags: list[Any] = self.__dict__["frags"]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # The lines depend only on the width: the text, style and bullet are fixed when the
        # paragraph is made.
        wrapped: dict[float, dict[str, Any]] = self.__dict__.setdefault("_leaflet_wrapped", {})
        known = wrapped.get(avail_width)
        if known is not None:
            self.__dict__.update(known)
            return self.width, self.height
        if self.__dict__.get("_splitLongWordCount") or self.__dict__.get("_hyphenations"):
            # Words cut to fit another width are measured again whole, as when first made;
            # otherwise reportlab breaks at the new width from the words it measured.
            self.frags = self._made_frags
        size: tuple[float, float] = super().wrap(avail_width, avail_height)
        if avail_width >= rl_paragraph._FUZZ:  # narrower, reportlab refuses without wrapping
            wrapped[avail_width] = {name: self.__dict__[name] for name in self._WRAPPED}
        return size


class Heading(Paragraph):
    """A section heading that is also a PDF bookmark."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, title: str) -> None:
        super().__init__(text, style)
        self.key = key
        self.bookmark_title = title

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        # A heading is never cut between pages: it goes whole to the next one. (reportlab would
        # also make the pieces through this class's constructor, which takes other arguments.)
        return []

    def draw(self) -> None:
        canvas = self.canv
        canvas.bookmarkPage(self.key)
        canvas.addOutlineEntry(self.bookmark_title, self.key, level=0, closed=False)
        super().draw()


class _Icon(Flowable):  # type: ignore[misc]
    """A small drawn symbol beside a callout heading, so a callout never relies on colour."""

    def __init__(self, kind: str, size: float, fill: Any, ink: Any, font: str) -> None:
        super().__init__()
        self.kind, self.size, self.fill, self.ink, self.font = kind, size, fill, ink, font

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        # The heading beside the icon says what it means: a screen reader skips the icon.
        with pdfua.decoration(self.canv):
            self._draw()

    def _draw(self) -> None:
        c, s = self.canv, self.size
        c.saveState()
        c.setFillColor(self.fill)
        c.setStrokeColor(self.fill)
        if self.kind == "warning":
            path = c.beginPath()
            path.moveTo(s / 2, s)
            path.lineTo(s, 0.08 * s)
            path.lineTo(0, 0.08 * s)
            path.close()
            c.drawPath(path, fill=1, stroke=0)
            glyph_y = 0.2 * s
        else:
            c.circle(s / 2, s / 2, s / 2, fill=1, stroke=0)
            glyph_y = 0.22 * s
        c.setFillColor(self.ink)
        c.setFont(self.font, 0.62 * s)
        c.drawCentredString(s / 2, glyph_y, "!" if self.kind != "info" else "i")
        c.restoreState()


def render(document: Document, options: Options) -> Rendered:
    """The leaflet as PDF bytes: the same bytes for the same content, on any machine."""
    paper = options.paper or document.theme.paper
    page = page_for(paper)
    with _reportlab_defaults():
        styles = Styles(document, page)
        data, pages = _build(document, styles, options, pdfua.Tagger())
    return Rendered(data, pages, "page")


@contextmanager
def _reportlab_defaults() -> Iterator[None]:
    """Make the embedded font reportlab's default, so no unembedded Helvetica is ever named."""
    saved = rl_config.invariant, rl_config.canvas_basefontname, rl_config.useA85
    font = register_reportlab_fonts(LEAFLET_FONT)
    rl_config.invariant = 1
    rl_config.canvas_basefontname = font
    rl_config.useA85 = 0  # binary image streams: ASCII85 costs time and a quarter more bytes
    try:
        yield
    finally:
        rl_config.invariant, rl_config.canvas_basefontname, rl_config.useA85 = saved


def _build(
    document: Document, styles: Styles, options: Options, tagger: Tagging
) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    doc = _Template(buffer, document, styles, tagger)
    try:
        doc.build_numbered(_story(document, styles, options, _Tags(tagger)), tagger)
    except LayoutError:
        where = doc.current_section or "the start of the leaflet"
        raise LeafletError(
            f"the leaflet cannot be laid out at {where}: a block is taller than a page"
            " (split long paragraphs or lists in that section into shorter ones)"
        ) from None
    meta = document.meta
    data = tagger.finish(
        buffer.getvalue(),
        title=meta.title.patient,
        lang=meta.language,
        author=meta.organisation.name,
        subject=doc.subject,
    )
    return data, doc.page


class _Template(BaseDocTemplate):  # type: ignore[misc]
    def __init__(
        self,
        buffer: Any,
        document: Document,
        styles: Styles,
        tagger: Tagging,
    ) -> None:
        meta = document.meta
        page = styles.page
        self.document = document
        self.styles = styles
        self.current_section = ""
        keywords = [meta.topic.patient, meta.topic.clinician, "patient information"]
        keywords += [SITES[site.id].patient for site in document.sites]
        super().__init__(
            buffer,
            pagesize=page.size,
            leftMargin=page.margin_x,
            rightMargin=page.margin_x,
            topMargin=page.margin_top,
            bottomMargin=page.margin_bottom,
            title=meta.title.patient,
            author=meta.organisation.name,
            subject=meta.subtitle.patient if meta.subtitle else meta.topic.patient,
            keywords=keywords,
            creator="leaflet",
            lang=meta.language,
            invariant=1,
            initialFontName=styles.font,
            initialFontSize=BODY_PT,
            pageCompression=1,
        )
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.footer = tagger.artifact(self._footer)
        self.addPageTemplates([PageTemplate("page", [frame])])

    def build_numbered(self, story: list[Flowable], tagger: Tagging) -> None:
        """Lay the story out once; each page's footer is drawn when the page count is known.

        Each footer goes at the end of its page's content, as if drawn when the page ended,
        so text extraction still reads it last.
        """
        self._doSave = 0  # reportlab's own switch (multiBuild's): saved below, after the footers
        self.build(story, canvasmaker=tagger.canvasmaker)
        canvas = self.canv
        pages = canvas._doc.Pages.pages
        for number, page in enumerate(pages, start=1):
            canvas._code = []
            self.footer(canvas, (number, len(pages)))
            # showPage joined the page's code, which ends with " ", into one string.
            if not page.stream.endswith("\n \n"):
                raise pdfua.TaggingError("reportlab's page stream changed shape")
            page.stream = page.stream[:-2] + "".join(f"{code}\n" for code in canvas._code) + " \n"
        canvas._code = []
        canvas.save()

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        if flowables:
            self.current_section = getattr(flowables[0], "leaflet_section", self.current_section)
        super().handle_flowable(flowables)

    def _footer(self, canvas: Any, numbers: tuple[int, int]) -> None:
        """The footer of page `numbers[0]` of `numbers[1]`."""
        meta = self.document.meta
        org = meta.organisation
        s = self.styles
        page = s.page
        canvas.saveState()
        canvas.setStrokeColor(s.primary)
        canvas.setLineWidth(0.8)
        top = page.margin_bottom - 1.5 * mm
        canvas.line(page.margin_x, top, page.size[0] - page.margin_x, top)
        website = org.website.removeprefix("https://").removeprefix("http://").rstrip("/")
        lines = [
            f"<b>{escape(org.name)}</b> · Phone {escape(org.phone)} · {escape(website)}",
            f"Version {escape(meta.version)} · Reviewed {_date(meta.reviewed)}"
            f" · Next review {_date(meta.next_review)}",
        ]
        number = "Page {} of {}".format(*numbers)
        width = page.width * 0.8
        y = top - 3
        for text in lines:
            para = Paragraph(text, s.footer)
            _, height = para.wrap(width, 100)
            para.drawOn(canvas, page.margin_x, y - height)
            y -= height
        right = Paragraph(f"<b>{number}</b>", s.footer_right)
        _, height = right.wrap(page.width * 0.2, 100)
        right.drawOn(canvas, page.margin_x + page.width * 0.8, top - 3 - height)
        canvas.restoreState()


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _tag(flowables: list[Flowable], section: str) -> list[Flowable]:
    for flowable in flowables:
        with suppress(AttributeError):  # reportlab Drawings refuse unknown attributes
            flowable.leaflet_section = section
    return flowables


class _Tags:
    """The tagger of one story, and each section's Sect, entered again for parts set later.

    The structure tree follows the order in which flowables are tagged, not drawn: parts set
    side by side (text beside the diagram, the glossary beside a section) are tagged in
    reading order, and trial layouts are made with a null tagger.
    """

    def __init__(self, t: Tagging) -> None:
        self.t = t
        self._sects: dict[int, pdfua.Element] = {}

    @contextmanager
    def section(self, number: int) -> Iterator[None]:
        """Tagging inside the block goes into the Sect of sections[number]."""
        sect = self._sects.get(number)
        if sect is not None:
            with self.t.within(sect):
                yield
            return
        with self.t.group("Sect") as made:
            self._sects[number] = made
            yield


def _trial() -> _Tags:
    """For layouts measured and thrown away: tags nothing."""
    return _Tags(pdfua.NullTagger())


def _story(document: Document, s: Styles, options: Options, tg: _Tags) -> list[Flowable]:
    story: list[Flowable] = _tag(_title_block(document, s, options, tg.t), "the title")
    sections = list(document.sections)
    index = 0
    lead = _lead_with_diagram(document, sections, s, tg)
    if lead is not None:
        index, flowables = lead
        story += flowables
    glossary_placed = False
    while index < len(sections):
        section = sections[index]
        name = f"sections[{index}] ({section.id})"
        if index < 0:  # the head of this section was set beside the glossary; its block follows
            index = -index
            section = sections[index]
            name = f"sections[{index}] ({section.id})"
            with tg.section(index):
                story += _tag(_block_part(document, section, s, tg.t), name)
            index += 1
            continue
        if section.block == "risk_factors" and document.glossary and not glossary_placed:
            # The reading column beside this section is short: "Words to know" fills the side,
            # and the head of the next section joins the reading column while it fits there.
            best: tuple[float, Styles] | None = None
            # The reading column may narrow to about 61 characters where that balances it
            # with the glossary beside it.
            for measure in (364.0, 358.0, 352.0, 346.0, 340.0):
                narrow = copy.copy(s)
                narrow.page = replace(s.page, measure=measure)
                row, _ = _glossary_row(document, sections, narrow, index, _trial())
                height = row.wrap(s.page.width, 1e6)[1]
                if best is None or height < best[0] - 0.5:
                    best = (height, narrow)
            assert best is not None
            row, index = _glossary_row(document, sections, best[1], index, tg)
            story += _tag([row, Spacer(1, 2)], name)
            glossary_placed = True
            continue
        with tg.section(index):
            story += _tag(_section(document, section, s, index, tg.t), name)
        index += 1
    if document.glossary and not glossary_placed:
        story += _tag(_glossary(document, s, tg.t), "glossary")
    story += _tag(_sources(document, s, tg.t), "sources")
    return story


def _glossary_row(
    document: Document, sections: list[Section], s: Styles, index: int, tg: _Tags
) -> tuple[Table, int]:
    """The risk section with "Words to know" beside it, and the next section's head while it
    fits there; returns the row and the index of what follows (negative: only a block).

    Tagged in reading order: the section, the glossary, then the next section's head, which
    stays next to the block under it.
    """
    with tg.section(index):
        left = _section(document, sections[index], s, index, tg.t, cell=True)
    side = _glossary_side(document, s, tg.t)
    index += 1
    # Beside the glossary the head costs only what it adds below the box's foot.
    if (
        index < len(sections)
        and _has_head(sections[index])
        and _height(left, s.page.main) < _height(side, s.page.side)
    ):
        with tg.section(index):
            left += _head_part(sections[index], s, index, tg.t, cell=True)
        index = -index if sections[index].block else index + 1
    return _row([left, [], side], s.page.columns, s), index


def _height(flowables: list[Flowable], width: float) -> float:
    """The height of flowables stacked in a column, spacing between them included."""
    total = 0.0
    for n, flowable in enumerate(flowables):
        _, height = flowable.wrap(width, 1e6)
        total += height + (flowable.getSpaceBefore() if n else 0) + flowable.getSpaceAfter()
    return total


def _title_block(document: Document, s: Styles, options: Options, t: Tagging) -> list[Flowable]:
    meta = document.meta
    text: list[Flowable] = [
        t.tag(s.para(escape(meta.organisation.name), s.org)),
        t.tag(s.para(markup(meta.title.patient, s.link), s.title), "H1"),
    ]
    if meta.subtitle:
        text.append(t.tag(s.para(markup(meta.subtitle.patient, s.link), s.subtitle)))
    row: list[Any] = [text]
    widths: list[float] = [s.page.width]
    if meta.organisation.logo:
        # read once from inside the project, decoded by content and normalised to 8-bit PNG
        png = prepared_image(options.project_dir, meta.organisation.logo)
        size = 24 * mm
        scale = min(size / png.width_px, size / png.height_px)
        image = _Picture(png, png.width_px * scale, png.height_px * scale)
        alt = meta.organisation.logo_alt or f"{meta.organisation.name} logo"
        row = [text, t.figure(image, alt=alt)]
        widths = [s.page.width - size - GAP, size + GAP]
    table = Table([row], colWidths=widths)
    table.setStyle(
        _style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (-1, 0), (-1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ("LINEBELOW", (0, 0), (-1, 0), 2, s.primary),
            ]
        )
    )
    return [table, Spacer(1, 4)]


class _Picture(Flowable):  # type: ignore[misc]
    """A prepared image, drawn as reportlab's Image draws it from pixels decoded and compressed
    once per process: decoding and compressing a logo took a third of a render."""

    def __init__(self, png: PreparedImage, width: float, height: float) -> None:
        super().__init__()
        self.png, self.width, self.height = png, width, height
        self.hAlign = "CENTER"  # as reportlab's Image

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        # canvas.drawImage's steps, with the image object made once (_image_xobject).
        canvas = self.canv
        doc = canvas._doc
        made = _image_xobject(self.png)
        name = doc.getXObjectName(made.name)
        if name not in doc.idToObject:
            image = copy.copy(made)  # this document's copy, which is given references
            canvas._setXObjects(image)
            doc.Reference(image, name)
            doc.addForm(made.name, image)
            smask = image.__dict__.pop("_smask", None)
            if smask is not None:
                mask_name = doc.getXObjectName(smask.name)
                if mask_name in doc.idToObject:
                    image.smask = pdfdoc.PDFObjectReference(mask_name)
                else:
                    smask = copy.copy(smask)
                    canvas._setXObjects(smask)
                    image.smask = doc.Reference(smask, mask_name)
        canvas._currentPageHasImages = 1
        canvas.saveState()
        canvas.translate(0, 0)
        canvas.scale(self.width, self.height)
        canvas._code.append(f"/{name} Do")
        canvas.restoreState()
        canvas._formsinuse.append(made.name)


@functools.lru_cache(maxsize=4)
def _image_xobject(png: PreparedImage) -> Any:
    """The image as reportlab's image XObject, named as canvas.drawImage names it (mask "auto":
    an alpha channel becomes a soft mask); keyed by the image's content."""
    reader = ImageReader(io.BytesIO(png.data))
    pixels = reader.getRGBData()  # sets _dataA, the alpha channel, if any
    alpha = reader._dataA
    name = _digester(pixels + (alpha.getRGBData() if alpha else b"auto"))
    return pdfdoc.PDFImageXObject(name, reader, mask="auto")


def _heading(s: Styles, section: Section, number: int, style: ParagraphStyle) -> Paragraph:
    title = inline.plain(section.heading.patient)
    return s.para(markup(section.heading.patient), style, bookmark=(f"section-{number}", title))


def _has_head(section: Section) -> bool:
    """True for a section that starts with a heading of its own (not a callout)."""
    return section.block != "warning_signs"


def _head_part(
    section: Section, s: Styles, number: int, t: Tagging, cell: bool, first: bool = False
) -> list[Flowable]:
    """A section's heading and paragraphs; `cell` sets them in a cell as wide as the column."""
    out: list[Flowable] = [t.tag(_heading(s, section, number, s.h1_cell if first else s.h1), "H2")]
    body = s.cell if cell else s.body
    out += [t.tag(s.para(markup(p.patient, s.link), body)) for p in section.paragraphs]
    return out


def _block_part(
    document: Document, section: Section, s: Styles, t: Tagging, cell: bool = False
) -> list[Flowable]:
    """The structured block under a section's paragraphs: cards, risk factors, the diagram."""
    if section.block is None:
        return []
    return _BLOCKS[section.block](document, s, t, cell)


def _section(
    document: Document, section: Section, s: Styles, number: int, t: Tagging, cell: bool = False
) -> list[Flowable]:
    """A section's flowables; `cell` sets them for a table cell as wide as the reading column."""
    if section.block == "warning_signs":
        return [_warning_signs(document, section, s, number, t)]
    return [
        *_head_part(section, s, number, t, cell, first=cell),
        *_block_part(document, section, s, t, cell),
    ]


def _lead_with_diagram(
    document: Document, sections: list[Section], s: Styles, tg: _Tags
) -> tuple[int, list[Flowable]] | None:
    """The opening sections set beside the body-site diagram, when they fit on one page.

    The diagram needs about 220 pt of width to keep its labels at 9 pt, so the text beside it
    is narrower than the reading column; only the short opening sections go there, and the
    head of the next section when the text would otherwise stop well above the diagram's foot.
    Returns the index of the next section to set (negative: only its block is left to set).
    """
    where = next((i for i, sec in enumerate(sections) if sec.block == "sites"), None)
    if where is None or any(sec.block for sec in sections[:where]):
        return None
    figure = site_figure(document, s)
    if figure is None:
        return None
    fig_width, fig_height = figure.wrap(s.page.width, s.page.height)
    text_width = s.page.width - fig_width - GAP
    null = pdfua.NullTagger()
    for first in range(where + 1):
        left: list[Flowable] = []
        for number in range(first, where + 1):
            left += _head_part(sections[number], s, number, null, True, first=number == first)
        if _height(left, text_width) > s.page.height * 0.7 - 40:
            continue
        after = where + 1
        with_head = False
        if after < len(sections) and _has_head(sections[after]):
            head = _head_part(sections[after], s, after, null, cell=True)
            taller = _height(left + head, text_width)
            # Beside the diagram only when the heading stays close to the block under it.
            with_head = fig_height - 3 * BODY_PT <= taller <= s.page.height * 0.7
        # The layout is settled: the story is made again, tagged in reading order.
        before: list[Flowable] = []
        for number in range(first):
            with tg.section(number):
                before += _tag(
                    _section(document, sections[number], s, number, tg.t),
                    f"sections[{number}] ({sections[number].id})",
                )
        left = []
        for number in range(first, where + 1):
            with tg.section(number):
                left += _head_part(sections[number], s, number, tg.t, True, number == first)
        with tg.section(where):
            tagged_figure = tg.t.figure(figure, alt=_site_alt(document))
        if with_head:
            with tg.section(after):
                left += _head_part(sections[after], s, after, tg.t, cell=True)
            after = -after if sections[after].block else after + 1
        table = Table(
            [[left, tagged_figure]],
            colWidths=[text_width + GAP, fig_width],
            style=_plain_cells(),
        )
        return after, [*before, *_tag([table], f"sections[{where}] ({sections[where].id})")]
    return None


def _plain_cells() -> TableStyle:
    return _style(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]
    )


@functools.lru_cache(maxsize=8)
def _patient_scene(sites: tuple[tuple[str, Side], ...], condition: str) -> Scene | None:
    """The body diagram's scene, built once for the trial layout and the one drawn; its legend
    names the condition in the patient's words."""
    try:
        return build_scene(
            sites, view="body", audience="patient", legend=True, title="", condition=condition
        )
    except ValueError:
        return None


@functools.lru_cache(maxsize=8)
def _patient_shapes(
    sites: tuple[tuple[str, Side], ...], condition: str, width: float, height: float
) -> tuple[str, ...]:
    """The body diagram's shapes as PDF operators, made once a process for its sites and size:
    drawing them costs as much as laying out a page of text."""
    scene = _patient_scene(sites, condition)
    assert scene is not None
    return pdf_shapes(scene, width, height)


def site_figure(document: Document, s: Styles) -> Flowable | None:
    """The body-site diagram as a vector flowable, or None when no diagram fits the page."""
    sites = tuple((site.id, site.side) for site in document.sites)
    condition = inline.plain(document.meta.topic.patient)
    scene = _patient_scene(sites, condition)
    if scene is None:
        return None
    smallest = min(text.size for text in scene.texts())
    height = MIN_DIAGRAM_LABEL_PT / smallest
    width = height * scene.aspect
    if width > s.page.width / 2:
        return None
    labels = to_drawing(scene, width, height, parts="labels")
    return PdfDiagram(_patient_shapes(sites, condition, width, height), labels)


def _site_alt(document: Document) -> str:
    """The diagram's alternate text: the sites in the patient's words, as the deck says them."""

    sites = [(site.id, site.side) for site in document.sites]
    alt: str = alt_text(sites, "patient", condition=inline.plain(document.meta.topic.patient))
    return alt


def _site_words(document: Document, style: ParagraphStyle) -> list[Flowable]:
    words = [SITES[site.id].patient for site in document.sites]
    return [Paragraph(f"<b>Places they form:</b> {escape(join_words(words))}.", style)]


def _sites(document: Document, s: Styles, t: Tagging, cell: bool = False) -> list[Flowable]:
    """The diagram, whose labels name the places; the words stand in when it cannot be drawn."""
    figure = site_figure(document, s)
    if figure is None:
        return [t.tag(p) for p in _site_words(document, s.body)]
    return [t.figure(figure, alt=_site_alt(document))]


class Card(Flowable):  # type: ignore[misc]
    """A tinted box with a bar down its left edge; splits between its paragraphs, never inside.

    The box itself is drawn here (decoration); its paragraphs are drawn as they are, so each
    stays the flowable it was made as.
    """

    PAD = (9.0, 8.0, 3.5, 2.5)
    """Left, right, top and bottom padding."""

    def __init__(self, parts: list[Flowable], s: Styles, width: float) -> None:
        super().__init__()
        self.parts, self.s, self.card_width = parts, s, width
        self.heights: list[float] = []

    def _inner(self) -> float:
        left, right, _, _ = self.PAD
        return self.card_width - left - right

    def _measure(self, parts: list[Flowable]) -> tuple[list[float], float]:
        """Each part's height and the box's height, spacing between parts included."""
        _, _, top, bottom = self.PAD
        heights = [
            float(p.wrapOn(getattr(self, "canv", None), self._inner(), 1e6)[1]) for p in parts
        ]
        total = top + bottom + sum(heights)
        for before, after in itertools.pairwise(parts):
            total += max(before.getSpaceAfter(), after.getSpaceBefore())
        return heights, total

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.heights, self.height = self._measure(self.parts)
        self.width = self.card_width
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """The card cut after a paragraph, keeping a heading with at least one line after it."""
        for count in range(len(self.parts) - 1, 1, -1):
            _, height = self._measure(self.parts[:count])
            if height <= avail_height:
                return [
                    Card(self.parts[:count], self.s, self.card_width),
                    Card(self.parts[count:], self.s, self.card_width),
                ]
        return []

    def draw(self) -> None:
        left, _, top, _ = self.PAD
        c = self.canv
        c.saveState()
        c.setFillColor(self.s.card_bg)
        c.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        c.setStrokeColor(self.s.primary)
        c.setLineWidth(3)
        c.line(0, 0, 0, self.height)
        c.restoreState()
        y = self.height - top
        previous: Flowable | None = None
        for part, height in zip(self.parts, self.heights, strict=True):
            if previous is not None:
                y -= max(previous.getSpaceAfter(), part.getSpaceBefore())
            y -= height
            part.drawOn(c, left, y)
            previous = part


class Masonry(Flowable):  # type: ignore[misc]
    """Cards in two columns, read in content order; splits between cards at a page foot.

    When all cards fit, they go in the pair of columns whose taller one is shortest. At a page
    foot a card is placed only after all before it, so a long list reads on in order; a card
    that would leave a large gap is cut between its paragraphs.
    """

    SPLIT_GAP = 48.0
    """A gap at a page foot this tall (about three lines) is filled by cutting a card."""

    def __init__(self, cards: list[Flowable], gap: float) -> None:
        super().__init__()
        self.cards = cards
        self.gap = gap
        self.placed: list[tuple[Flowable, float, float, float]] = []

    def _heights(self, col: float) -> list[float]:
        return [float(card.wrapOn(getattr(self, "canv", None), col, 1e6)[1]) for card in self.cards]

    def _balanced(self, col: float) -> tuple[list[tuple[Flowable, float, float, float]], float]:
        """Every card placed so the taller column is as short as can be; content order kept
        within each column."""
        heights = self._heights(col)
        count = len(heights)
        best: tuple[float, int] | None = None
        best_mask = 0
        masks = range(1 << count) if count <= 12 else [self._greedy_mask(heights)]
        greedy = self._greedy_mask(heights)
        for mask in masks:
            if mask & 1:
                continue  # the first card always starts the left column
            tops = [0.0, 0.0]
            for i, height in enumerate(heights):
                which = (mask >> i) & 1
                tops[which] += height + (self.gap * 0.35 if tops[which] else 0)
            # Prefer the greedy order on a tie, so cards still read left to right, down.
            key = (round(max(tops), 1), bin(mask ^ greedy).count("1"))
            if best is None or key < best:
                best, best_mask = key, mask
        return self._place(col, heights, best_mask)

    def _place(
        self, col: float, heights: list[float], mask: int | None
    ) -> tuple[list[tuple[Flowable, float, float, float]], float]:
        tops = [0.0, 0.0]
        placed = []
        for i, (card, height) in enumerate(zip(self.cards, heights, strict=True)):
            which = (mask >> i) & 1 if mask is not None else int(tops[0] > tops[1])
            top = tops[which] + (self.gap * 0.35 if tops[which] else 0)
            placed.append((card, which * (col + self.gap), top, height))
            tops[which] = top + height
        return placed, max(tops)

    def _greedy_mask(self, heights: list[float]) -> int:
        tops = [0.0, 0.0]
        mask = 0
        for i, height in enumerate(heights):
            which = 0 if tops[0] <= tops[1] else 1
            mask |= which << i
            tops[which] += height + (self.gap * 0.35 if tops[which] else 0)
        return mask

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.placed, self.height = self._balanced((avail_width - self.gap) / 2)
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        col = (avail_width - self.gap) / 2
        _, height = self._balanced(col)
        if height <= avail_height:
            return [self]
        tops = [0.0, 0.0]
        fitted: list[Flowable] = []
        rest = list(self.cards)
        while rest:
            card = rest[0]
            which = 0 if tops[0] <= tops[1] else 1
            top = tops[which] + (self.gap * 0.35 if tops[which] else 0)
            _, card_height = card.wrapOn(self.canv, col, avail_height)
            if top + card_height <= avail_height:
                fitted.append(rest.pop(0))
                tops[which] = top + card_height
                continue
            if avail_height - top >= self.SPLIT_GAP:
                pieces = card.splitOn(self.canv, col, avail_height - top)
                if len(pieces) == 2:
                    fitted.append(pieces[0])
                    rest[0] = pieces[1]
            break
        if not fitted:
            frame = getattr(self, "_frame", None)
            if frame is None or avail_height < frame._aH - 1:
                return []  # try again at the top of the next page
            pieces = self.cards[0].splitOn(self.canv, col, avail_height)
            if len(pieces) < 2:
                return []
            fitted, rest = [pieces[0]], [*pieces[1:], *self.cards[1:]]
        return [_Stacked(fitted, self.gap), Masonry(rest, self.gap)]

    def draw(self) -> None:
        col = (self.width - self.gap) / 2
        for card, x, top, height in self.placed:
            card.wrapOn(self.canv, col, height)
            card.drawOn(self.canv, x, self.height - top - height)


class _Stacked(Masonry):
    """The cards that fit at a page foot, each under the shorter column in content order."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        col = (avail_width - self.gap) / 2
        self.placed, self.height = self._place(col, self._heights(col), None)
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return [self]


def _grid(cards: list[list[Flowable]], s: Styles, t: Tagging) -> list[Flowable]:
    """Cards in content order, each its title (H3) and paragraphs; the box is decoration."""
    width = (s.page.width - GAP) / 2
    tagged = [[t.tag(card[0], "H3"), *(t.tag(p) for p in card[1:])] for card in cards]
    return [Masonry([Card(card, s, width) for card in tagged], GAP), Spacer(1, 4)]


def _types(document: Document, s: Styles, t: Tagging, cell: bool = False) -> list[Flowable]:
    cards: list[list[Flowable]] = []
    for kind in document.types:
        card: list[Flowable] = [
            s.para(markup(kind.name.patient, s.link), s.h2),
            s.para(markup(kind.mechanism.patient, s.link), s.cell),
        ]
        if kind.causes:
            causes = [markup(document.cause(c).name.patient, s.link) for c in kind.causes]
            card.append(s.para(f"<b>It can be caused by</b> {_series(causes)}.", s.cell))
        card += [s.para(markup(e.patient, s.link), s.cell) for e in kind.examples]
        if kind.note:
            card.append(s.para(markup(kind.note.patient, s.link), s.cell))
        cards.append(card)
    return _grid(cards, s, t)


def _callout(
    heading: str | Flowable,
    flowables: list[Flowable],
    s: Styles,
    width: float,
    icon: str = "warning",
) -> Table:
    """A boxed note with a heading word and an icon, so its meaning never rests on colour."""
    title = s.para(heading, s.callout_head) if isinstance(heading, str) else heading
    head = Table(
        [[_Icon(icon, 15, s.accent, colors.white, s.bold), title]],
        colWidths=[21, None],
        style=_plain_cells(),
    )
    table = Table([[[head, *flowables]]], colWidths=[width], splitInRow=1)
    table.setStyle(
        _style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 1.5, s.accent),
                ("LINEBEFORE", (0, 0), (0, -1), 5, s.accent),
                ("BACKGROUND", (0, 0), (-1, -1), s.callout_bg),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 9),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _risks(document: Document, s: Styles, t: Tagging, cell: bool = False) -> list[Flowable]:
    """Risk factors as bullets, each followed by its advice in a callout (a Div in its item)."""
    out: list[Flowable] = []
    indent = 0.0 if cell else s.page.width - s.page.main
    with t.group("L"):
        for risk in document.risk_factors:
            text = f"<b>{markup(risk.factor.patient, s.link)}</b>"
            if risk.why:
                text += " " + markup(risk.why.patient, s.link)
            item = t.item(s.para(text, s.bullet_cell if cell else s.bullet, bullet="•"))
            out.append(item)
            if risk.advice:
                # "Our advice" runs in beside its icon: the box is read as advice without a
                # heading line of its own.
                text = f"<b>Our advice:</b> {markup(risk.advice.patient, s.link)}"
                with t.within(item), t.group("Div"):
                    advice = t.tag(s.para(text, s.side_text))
                box = _callout(advice, [], s, s.page.main - 13, icon="info")
                out.append(_Indent(box, 13, indent))
    return out


class _Indent(Flowable):  # type: ignore[misc]
    """A flowable set in from the left and right, so a callout lines up with the bullet text."""

    def __init__(self, inner: Flowable, left: float, right: float) -> None:
        super().__init__()
        self.inner, self.left, self.right = inner, left, right
        self.spaceBefore, self.spaceAfter = 2, 3

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        _, self.height = self.inner.wrap(avail_width - self.left - self.right, avail_height)
        self.width = avail_width
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        pieces = self.inner.split(avail_width - self.left - self.right, avail_height)
        return [_Indent(p, self.left, self.right) for p in pieces]

    def draw(self) -> None:
        self.inner.drawOn(self.canv, self.left, 0)


def _row(cells: list[Any], widths: list[float], s: Styles) -> Table:
    """Cells side by side; the row splits inside itself only when it is taller than a page."""
    table = Table([cells], colWidths=widths, style=_plain_cells())
    _, height = table.wrap(s.page.width, s.page.height)
    if height > s.page.height * 0.8:
        table = Table([cells], colWidths=widths, style=_plain_cells(), splitInRow=1)
    return table


def _treatments(document: Document, s: Styles, t: Tagging, cell: bool = False) -> list[Flowable]:
    cards: list[list[Flowable]] = []
    for treatment in document.treatments:
        card: list[Flowable] = [
            s.para(markup(treatment.name.patient, s.link), s.h2),
            s.para(markup(treatment.what.patient, s.link), s.cell),
        ]
        if treatment.for_types:
            names = [document.type_(t).name.patient.lower() for t in treatment.for_types]
            card.append(
                s.para(f"<b>Used for:</b> deposits {escape(join_words(names, 'or'))}.", s.cell)
            )
        notes = [EVIDENCE_WORDS[treatment.evidence]] + [c.patient for c in treatment.caveats]
        card.append(s.para(f"<b>Good to know:</b> {markup(' '.join(notes), s.link)}", s.cell))
        cards.append(card)
    return _grid(cards, s, t)


def _series(items: list[str]) -> str:
    """Items as one sentence's series; semicolons keep apart items that hold commas."""
    if len(items) < 2:
        return "".join(items)
    comma = "; " if any("," in item for item in items) else ", "
    return comma.join(items[:-1]) + f"{comma.rstrip()} or " + items[-1]


def _line_width(paragraph: Paragraph) -> float:
    """The width of a paragraph set on one line."""
    paragraph.wrap(1e5, 1e5)
    return float(max(paragraph.getActualLineWidths0()))


def _warning_signs(
    document: Document, section: Section, s: Styles, number: int, t: Tagging
) -> Flowable:
    """The section as a callout (Div): its heading (H2), the call to action, the signs (L)."""
    phone = escape(document.meta.organisation.phone)
    call = s.para(f"<b>Call your clinic on {phone} if:</b>", s.callout_call)
    head = _heading(s, section, number, s.callout_head)
    # The section heading is the callout's own heading, so it is bookmarked and read first;
    # the call to action follows it on the same line when both fit there.
    head_width = _line_width(head) + 12
    one_line = head_width + _line_width(call) + 21 < s.page.width - 24
    with t.group("Div"):
        head, call = t.tag(head, "H2"), t.tag(call)
        inner: list[Flowable] = [
            t.tag(s.para(markup(p.patient, s.link), s.cell)) for p in section.paragraphs
        ]
        with t.group("L"):
            signs = [
                t.item(s.para(markup(w.patient, s.link), s.bullet_cell, bullet="•"))
                for w in document.warning_signs
            ]
    # Short signs sit two abreast inside the full-width box; read down, then across.
    half = (len(signs) + 1) // 2
    width = (s.page.width - 24 - GAP) / 2
    if len(signs) > 2:
        inner.append(_row([signs[:half], [], signs[half:]], [width, GAP, width], s))
    else:
        inner += signs
    if one_line:
        heading: Flowable = Table(
            [[head, call]], colWidths=[head_width, None], style=_plain_cells()
        )
    else:
        heading = head
        inner.insert(0, call)
    box = _callout(heading, inner, s, s.page.width, icon="warning")
    return KeepTogether([Spacer(1, 3), box, Spacer(1, 2)])


def _glossary_items(document: Document, s: Styles, t: Tagging) -> list[Flowable]:
    """The terms as a list: each term (bold) is the item's label, its meaning the body."""
    with t.group("L"):
        return [
            t.item(
                s.para(f"<b>{escape(term.term)}</b> – {markup(term.meaning, s.link)}", s.term),
                label=term.term,
            )
            for term in document.glossary
        ]


def _glossary(document: Document, s: Styles, t: Tagging) -> list[Flowable]:
    """ "Words to know" across the page, in two columns read down, then across."""
    with t.group("Div"):
        heading = t.tag(s.para("Words to know", s.h1, bookmark=("glossary", "Words to know")), "H3")
        items = _glossary_items(document, s, t)
    half = (len(items) + 1) // 2
    width = (s.page.width - GAP) / 2 - 10
    rows = [[items[i], [], items[half + i] if half + i < len(items) else []] for i in range(half)]
    inner = Table(rows, colWidths=[width, GAP, width], splitByRow=1)
    inner.setStyle(
        _style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return [Spacer(1, 4), heading, _box(inner, s)]


def _glossary_side(document: Document, s: Styles, t: Tagging) -> list[Flowable]:
    """ "Words to know" as a box for the side column, one term under another."""
    with t.group("Div"):
        heading = s.para("Words to know", s.callout_head, bookmark=("glossary", "Words to know"))
        items: list[Flowable] = [t.tag(heading, "H3"), *_glossary_items(document, s, t)]
    return [_box(items, s, s.page.side)]


def _box(inner: Flowable | list[Flowable], s: Styles, width: float | None = None) -> Table:
    table = Table([[inner]], colWidths=[width or s.page.width], splitInRow=1)
    table.setStyle(
        _style(
            [
                ("BOX", (0, 0), (-1, -1), 1, s.rule),
                ("BACKGROUND", (0, 0), (-1, -1), s.card_bg),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 7),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _sources(document: Document, s: Styles, t: Tagging) -> list[Flowable]:
    """Sources in the reading column; who wrote it and its licence beside them."""
    meta = document.meta
    with t.group("Sect"):
        heading = s.para("Where this information comes from", s.h2, bookmark=("sources", "Sources"))
        heading = t.tag(heading, "H3")
        cited: list[Flowable] = []
        with t.group("L"):
            for source in document.sources:
                text = markup(source.citation, s.link)
                if source.url:
                    url = escape(source.url, {'"': "&quot;"})
                    text += f' <a href="{url}" color="{s.link}">{escape(source.url)}</a>'
                cited.append(t.item(s.para(text, s.small_bullet_cell, bullet="•")))
        authors = join_words([a.name for a in meta.authors])
        colophon = s.para(
            f"Written by {escape(authors)}. Published {_date(meta.published)}. "
            f"Licence: {escape(meta.licence)}.",
            s.small_cell,
        )
        colophon = t.tag(colophon)
    row = Table([[cited, [], colophon]], colWidths=s.page.columns, style=_plain_cells())
    return [KeepTogether([heading, row])]


# Every rule takes `cell`: True when the block is laid out inside a table cell beside another
# block (only the risk factors lay out differently there).
_BLOCKS: dict[str, Callable[[Document, Styles, Tagging, bool], list[Flowable]]] = {
    "sites": _sites,
    "types": _types,
    "risk_factors": _risks,
    "treatments": _treatments,
}
