"""The patient leaflet: a PDF drawn with reportlab's platypus, in the patient wording."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from leaflet import inline
from leaflet.assets import prepared_image
from leaflet.errors import LeafletError
from leaflet.fonts import LEAFLET_FONT, register_reportlab_fonts
from leaflet.model import Document, Section
from leaflet.renderers import Options, Rendered
from leaflet.sites import SITES, join_words

EVIDENCE_WORDS = {
    "established": "A standard treatment.",
    "limited": "It helps some people.",
    "experimental": "Still being tested.",
    "anecdotal": "Based on what people have found, not on research.",
}

BODY_PT = 12.0
"""Body text size; the house minimum for patient leaflets."""
MIN_PT = 9.5
"""The smallest text anywhere (footer, sources); never under 9 pt."""
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

    @property
    def width(self) -> float:
        """The text block's width."""
        return float(self.size[0]) - 2 * self.margin_x

    @property
    def height(self) -> float:
        return float(self.size[1]) - self.margin_top - self.margin_bottom

    @property
    def main(self) -> float:
        """Width of the reading column: about 62-66 characters of 12 pt Atkinson Hyperlegible."""
        return min(self.width, 352.0)

    @property
    def side(self) -> float:
        """Width of the side column beside the reading column."""
        return self.width - self.main - float(GAP)

    @property
    def columns(self) -> list[float]:
        """Reading column, gap, side column."""
        return [self.main, GAP, self.side]


def page_for(paper: str) -> Page:
    size = A4 if paper == "A4" else LETTER
    return Page(size=size, margin_x=13 * mm, margin_top=10 * mm, margin_bottom=19 * mm)


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
    """The leaflet's type scale and colours: body 12 pt, nothing under 9.5 pt."""

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
            "body", fontSize=BODY_PT, leading=14.4, spaceAfter=3.5, rightIndent=right, **base
        )
        self.cell = ParagraphStyle("cell", parent=self.body, rightIndent=0)
        self.org = ParagraphStyle(
            "org", fontSize=12, leading=15, spaceAfter=2, **{**bold, "textColor": self.primary}
        )
        self.title = ParagraphStyle(
            "title", fontSize=24, leading=28, spaceAfter=2, **{**bold, "textColor": self.primary}
        )
        self.subtitle = ParagraphStyle("subtitle", fontSize=14, leading=18, **base)
        self.h1 = ParagraphStyle(
            "h1",
            fontSize=16,
            leading=19,
            spaceBefore=7,
            spaceAfter=2,
            keepWithNext=1,
            **{**bold, "textColor": self.primary},
        )
        self.h1_cell = ParagraphStyle("h1_cell", parent=self.h1, spaceBefore=0)
        self.h2 = ParagraphStyle(
            "h2", fontSize=13, leading=16, spaceAfter=2, keepWithNext=1, **bold
        )
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
            "callout_head", fontSize=13, leading=16, spaceAfter=3, **bold
        )
        self.side_text = ParagraphStyle("side_text", parent=self.cell, spaceAfter=2)
        self.term = ParagraphStyle(
            "term", parent=self.cell, fontSize=11, leading=13.4, spaceAfter=4
        )
        self.small = ParagraphStyle(
            "small", fontSize=10, leading=12.5, spaceAfter=2, rightIndent=right, **base
        )
        self.small_bullet = ParagraphStyle(
            "small_bullet", parent=self.small, leftIndent=11, bulletIndent=1, bulletFontName=font
        )
        self.footer = ParagraphStyle("footer", fontSize=MIN_PT, leading=12, **base)
        self.footer_right = ParagraphStyle("footer_right", parent=self.footer, alignment=TA_RIGHT)


def _style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A table style whose string cells use the embedded font (reportlab defaults to Helvetica)."""
    font = register_reportlab_fonts(LEAFLET_FONT)
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), font), *commands])


def _tint(hex_colour: str, strength: float) -> str:
    """The colour mixed with white: light fills that keep text contrast and print pale grey."""
    rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(255 - (255 - c) * strength) for c in rgb]
    return "#" + "".join(f"{c:02X}" for c in mixed)


class Heading(Paragraph):  # type: ignore[misc]
    """A section heading that is also a PDF bookmark."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, title: str) -> None:
        super().__init__(text, style)
        self.key = key
        self.bookmark_title = title

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
        story_maker = lambda: _story(document, styles, options)  # noqa: E731
        # Two passes: the first counts the pages so each footer can say "Page X of Y".
        first = _build(document, styles, story_maker, total=None)
        data, pages = _build(document, styles, story_maker, total=first[1])
    return Rendered(data, pages, "page")


@contextmanager
def _reportlab_defaults() -> Iterator[None]:
    """Make the embedded font reportlab's default, so no unembedded Helvetica is ever named."""
    saved = rl_config.invariant, rl_config.canvas_basefontname
    font = register_reportlab_fonts(LEAFLET_FONT)
    rl_config.invariant = 1
    rl_config.canvas_basefontname = font
    try:
        yield
    finally:
        rl_config.invariant, rl_config.canvas_basefontname = saved


def _build(
    document: Document,
    styles: Styles,
    story_maker: Callable[[], list[Flowable]],
    total: int | None,
) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    doc = _Template(buffer, document, styles, total)
    try:
        doc.build(story_maker())
    except LayoutError:
        where = doc.current_section or "the start of the leaflet"
        raise LeafletError(
            f"the leaflet cannot be laid out at {where}: a block is taller than a page"
            " (split long paragraphs or lists in that section into shorter ones)"
        ) from None
    return buffer.getvalue(), doc.page


class _Template(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, buffer: Any, document: Document, styles: Styles, total: int | None) -> None:
        meta = document.meta
        page = styles.page
        self.document = document
        self.styles = styles
        self.total = total
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
        self.addPageTemplates([PageTemplate("page", [frame], onPageEnd=self._footer)])

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        if flowables:
            self.current_section = getattr(flowables[0], "leaflet_section", self.current_section)
        super().handle_flowable(flowables)

    def _footer(self, canvas: Any, doc: Any) -> None:
        """Drawn after the page's content, so text extraction reads the footer last."""
        meta = self.document.meta
        org = meta.organisation
        s = self.styles
        page = s.page
        canvas.saveState()
        canvas.setStrokeColor(s.primary)
        canvas.setLineWidth(0.8)
        top = page.margin_bottom - 4 * mm
        canvas.line(page.margin_x, top, page.size[0] - page.margin_x, top)
        website = org.website.removeprefix("https://").removeprefix("http://").rstrip("/")
        lines = [
            f"<b>{escape(org.name)}</b> · Phone {escape(org.phone)} · {escape(website)}",
            f"Version {escape(meta.version)} · Reviewed {_date(meta.reviewed)}"
            f" · Next review {_date(meta.next_review)}",
        ]
        number = f"Page {doc.page} of {self.total}" if self.total else f"Page {doc.page}"
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


def _story(document: Document, s: Styles, options: Options) -> list[Flowable]:
    story: list[Flowable] = _tag(_title_block(document, s, options), "the title")
    sections = list(document.sections)
    index = 0
    lead = _lead_with_diagram(document, sections, s)
    if lead is not None:
        count, flowables = lead
        story += flowables
        index = count
    glossary_placed = False
    for number, section in enumerate(sections[index:], index):
        name = f"sections[{number}] ({section.id})"
        if section.block == "risk_factors" and document.glossary and not glossary_placed:
            # The reading column beside this section is short: "Words to know" fills the side.
            left = _section(document, section, s, number, cell=True)
            row = _row([left, "", _glossary_side(document, s)], s.page.columns, s)
            story += _tag([row, Spacer(1, 4)], name)
            glossary_placed = True
            continue
        story += _tag(_section(document, section, s, number), name)
    if document.glossary and not glossary_placed:
        story += _tag(_glossary(document, s), "glossary")
    story += _tag(_sources(document, s), "sources")
    return story


def _title_block(document: Document, s: Styles, options: Options) -> list[Flowable]:
    meta = document.meta
    text: list[Flowable] = [
        Paragraph(escape(meta.organisation.name), s.org),
        Paragraph(markup(meta.title.patient, s.link), s.title),
    ]
    if meta.subtitle:
        text.append(Paragraph(markup(meta.subtitle.patient, s.link), s.subtitle))
    row: list[Any] = [text]
    widths: list[float] = [s.page.width]
    if meta.organisation.logo:
        import io

        from reportlab.platypus import Image

        # read once from inside the project, decoded by content and normalised to 8-bit PNG
        png = prepared_image(options.project_dir, meta.organisation.logo)
        size = 24 * mm
        scale = min(size / png.width_px, size / png.height_px)
        logo = Image(io.BytesIO(png.data), png.width_px * scale, png.height_px * scale)
        row = [text, logo]
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


def _heading(section: Section, number: int, style: ParagraphStyle) -> Heading:
    title = inline.plain(section.heading.patient)
    return Heading(markup(section.heading.patient), style, f"section-{number}", title)


def _section(
    document: Document, section: Section, s: Styles, number: int, cell: bool = False
) -> list[Flowable]:
    """A section's flowables; `cell` sets them for a table cell as wide as the reading column."""
    if section.block == "warning_signs":
        return [_warning_signs(document, section, s, number)]
    out: list[Flowable] = [_heading(section, number, s.h1_cell if cell else s.h1)]
    body = s.cell if cell else s.body
    out += [Paragraph(markup(p.patient, s.link), body) for p in section.paragraphs]
    if section.block is None:
        return out
    if section.block == "risk_factors":
        return out + _risks(document, s, cell)
    return out + _BLOCKS[section.block](document, s)


def _lead_with_diagram(
    document: Document, sections: list[Section], s: Styles
) -> tuple[int, list[Flowable]] | None:
    """The opening sections set beside the body-site diagram, when they fit on one page.

    The diagram needs about 220 pt of width to keep its labels at 9 pt, so the text beside it
    is narrower than the reading column; only the short opening sections go there.
    """
    where = next((i for i, sec in enumerate(sections) if sec.block == "sites"), None)
    if where is None or any(sec.block for sec in sections[:where]):
        return None
    figure = site_figure(document, s)
    if figure is None:
        return None
    fig_width, _ = figure.wrap(s.page.width, s.page.height)
    text_width = s.page.width - fig_width - GAP
    for first in range(where + 1):
        left: list[Flowable] = []
        for number in range(first, where + 1):
            sec = sections[number]
            left.append(_heading(sec, number, s.h1_cell if number == first else s.h1))
            left += [Paragraph(markup(p.patient, s.link), s.cell) for p in sec.paragraphs]
        left += _site_words(document, s, s.cell)
        table = Table(
            [[left, figure]], colWidths=[text_width + GAP, fig_width], style=_plain_cells()
        )
        _, height = table.wrap(s.page.width, s.page.height)
        if height <= s.page.height * 0.7:
            before: list[Flowable] = []
            for number in range(first):
                before += _tag(
                    _section(document, sections[number], s, number),
                    f"sections[{number}] ({sections[number].id})",
                )
            return where + 1, [*before, *_tag([table], f"sections[{where}] ({sections[where].id})")]
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


def site_figure(document: Document, s: Styles) -> Flowable | None:
    """The body-site diagram as a vector flowable, or None when the diagram engine is absent."""
    try:
        from leaflet.diagram.draw_reportlab import (  # type: ignore[import-not-found,unused-ignore]
            to_drawing,
        )
        from leaflet.diagram.scene import build_scene  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # the diagram engine is merged from its own branch
        return None
    sites = [(site.id, site.side) for site in document.sites]
    try:
        scene = build_scene(sites, view="body", audience="patient", legend=True, title="")
    except ValueError:
        return None
    smallest = min(text.size for text in scene.texts())
    height = MIN_DIAGRAM_LABEL_PT / smallest
    width = height * scene.aspect
    if width > s.page.width / 2:
        return None
    drawing: Flowable = to_drawing(scene, width, height)
    return drawing


def _site_words(document: Document, s: Styles, style: ParagraphStyle) -> list[Flowable]:
    words = [SITES[site.id].patient for site in document.sites]
    return [Paragraph(f"<b>Places they form:</b> {escape(join_words(words))}.", style)]


def _sites(document: Document, s: Styles) -> list[Flowable]:
    out = _site_words(document, s, s.body)
    figure = site_figure(document, s)
    if figure is not None:
        out.append(figure)
    return out


def _card(flowables: list[Flowable], s: Styles, width: float) -> Table:
    table = Table([[flowables]], colWidths=[width], splitInRow=1)
    table.setStyle(
        _style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, -1), s.card_bg),
                ("LINEBEFORE", (0, 0), (0, -1), 3, s.primary),
                ("LEFTPADDING", (0, 0), (-1, -1), 9),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


class Masonry(Flowable):  # type: ignore[misc]
    """Cards in two columns, each under the shorter column; splits between cards at a page foot.

    Cards keep content order (a card is placed only after all before it), so a long list reads
    on in order; a single card taller than a whole page is split inside itself as a last resort.
    """

    def __init__(self, cards: list[Flowable], gap: float, first_on_page: bool = False) -> None:
        super().__init__()
        self.cards = cards
        self.gap = gap
        self.placed: list[tuple[Flowable, float, float, float]] = []
        self.first_on_page = first_on_page

    def _layout(
        self, width: float, limit: float
    ) -> tuple[list[tuple[Flowable, float, float, float]], int, float]:
        """(card, column x, top offset, height) for the cards that fit; how many; block height."""
        col = (width - self.gap) / 2
        tops = [0.0, 0.0]
        placed: list[tuple[Flowable, float, float, float]] = []
        for card in self.cards:
            _, height = card.wrap(col, limit)
            which = 0 if tops[0] <= tops[1] else 1
            top = tops[which] + (self.gap * 0.7 if tops[which] else 0)
            if top + height > limit:
                break
            placed.append((card, which * (col + self.gap), top, height))
            tops[which] = top + height
        return placed, len(placed), max(tops)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.placed, _, self.height = self._layout(avail_width, float("inf"))
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        placed, count, _ = self._layout(avail_width, avail_height)
        if count == len(self.cards):
            return [self]
        if count == 0:
            frame = getattr(self, "_frame", None)
            if frame is None or avail_height < frame._aH - 1:
                return []  # try again at the top of the next page
            col = (avail_width - self.gap) / 2
            pieces = self.cards[0].split(col, avail_height)
            if len(pieces) < 2:
                return []
            return [
                Masonry([pieces[0]], self.gap),
                Masonry([*pieces[1:], *self.cards[1:]], self.gap),
            ]
        return [
            Masonry([c for c, *_ in placed], self.gap),
            Masonry(self.cards[count:], self.gap),
        ]

    def draw(self) -> None:
        col = (self.width - self.gap) / 2
        for card, x, top, height in self.placed:
            card.wrap(col, height)
            card.drawOn(self.canv, x, self.height - top - height)


def _grid(cards: list[list[Flowable]], s: Styles) -> list[Flowable]:
    width = (s.page.width - GAP) / 2
    return [Masonry([_card(card, s, width) for card in cards], GAP), Spacer(1, 6)]


def _types(document: Document, s: Styles) -> list[Flowable]:
    cards: list[list[Flowable]] = []
    for kind in document.types:
        card: list[Flowable] = [
            Paragraph(markup(kind.name.patient, s.link), s.h2),
            Paragraph(markup(kind.mechanism.patient, s.link), s.cell),
        ]
        if kind.causes:
            causes = [document.cause(c).name.patient for c in kind.causes]
            card.append(Paragraph("<b>It can be caused by:</b>", s.cell))
            card += [Paragraph(markup(c, s.link), s.bullet_cell, bulletText="•") for c in causes]
        card += [Paragraph(markup(e.patient, s.link), s.cell) for e in kind.examples]
        if kind.note:
            card.append(Paragraph(markup(kind.note.patient, s.link), s.cell))
        cards.append(card)
    return _grid(cards, s)


def _callout(
    heading: str | Flowable,
    flowables: list[Flowable],
    s: Styles,
    width: float,
    icon: str = "warning",
) -> Table:
    """A boxed note with a heading word and an icon, so its meaning never rests on colour."""
    title = Paragraph(heading, s.callout_head) if isinstance(heading, str) else heading
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
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return table


def _risks(document: Document, s: Styles, cell: bool = False) -> list[Flowable]:
    """Risk factors as bullets, each followed by its advice in a callout."""
    out: list[Flowable] = []
    indent = 0.0 if cell else s.page.width - s.page.main
    for risk in document.risk_factors:
        text = f"<b>{markup(risk.factor.patient, s.link)}</b>"
        if risk.why:
            text += " " + markup(risk.why.patient, s.link)
        out.append(Paragraph(text, s.bullet_cell if cell else s.bullet, bulletText="•"))
        if risk.advice:
            body = Paragraph(markup(risk.advice.patient, s.link), s.side_text)
            box = _callout("Our advice", [body], s, s.page.main - 13, icon="info")
            out.append(_Indent(box, 13, indent))
    return out


class _Indent(Flowable):  # type: ignore[misc]
    """A flowable set in from the left and right, so a callout lines up with the bullet text."""

    def __init__(self, inner: Flowable, left: float, right: float) -> None:
        super().__init__()
        self.inner, self.left, self.right = inner, left, right
        self.spaceBefore, self.spaceAfter = 2, 5

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


def _treatments(document: Document, s: Styles) -> list[Flowable]:
    cards: list[list[Flowable]] = []
    for treatment in document.treatments:
        card: list[Flowable] = [
            Paragraph(markup(treatment.name.patient, s.link), s.h2),
            Paragraph(markup(treatment.what.patient, s.link), s.cell),
        ]
        if treatment.for_types:
            names = [document.type_(t).name.patient.lower() for t in treatment.for_types]
            card.append(
                Paragraph(f"<b>Used for:</b> deposits {escape(join_words(names, 'or'))}.", s.cell)
            )
        notes = [EVIDENCE_WORDS[treatment.evidence]] + [c.patient for c in treatment.caveats]
        card.append(Paragraph(f"<b>Good to know:</b> {markup(' '.join(notes), s.link)}", s.cell))
        cards.append(card)
    return _grid(cards, s)


def _warning_signs(document: Document, section: Section, s: Styles, number: int) -> Flowable:
    phone = escape(document.meta.organisation.phone)
    inner: list[Flowable] = [
        Paragraph(markup(p.patient, s.link), s.cell) for p in section.paragraphs
    ]
    inner.append(Paragraph(f"<b>Call your clinic on {phone} if:</b>", s.cell))
    signs = [
        Paragraph(markup(w.patient, s.link), s.bullet_cell, bulletText="•")
        for w in document.warning_signs
    ]
    # Short signs sit two abreast inside the full-width box; read down, then across.
    half = (len(signs) + 1) // 2
    width = (s.page.width - 24 - GAP) / 2
    if len(signs) > 2:
        inner.append(_row([signs[:half], "", signs[half:]], [width, GAP, width], s))
    else:
        inner += signs
    title = inline.plain(section.heading.patient)
    head = Heading(markup(section.heading.patient), s.callout_head, f"section-{number}", title)
    # The section heading is the callout's own heading, so it is bookmarked and read first.
    box = _callout(head, inner, s, s.page.width, icon="warning")
    return KeepTogether([Spacer(1, 8), box, Spacer(1, 8)])


def _glossary(document: Document, s: Styles) -> list[Flowable]:
    items = [
        Paragraph(f"<b>{escape(term.term)}</b> – {markup(term.meaning, s.link)}", s.term)
        for term in document.glossary
    ]
    half = (len(items) + 1) // 2
    width = (s.page.width - GAP) / 2 - 10
    rows = [[items[i], "", items[half + i] if half + i < len(items) else ""] for i in range(half)]
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
    heading = Heading("Words to know", s.h1, "glossary", "Words to know")
    return [Spacer(1, 4), heading, _box(inner, s)]


def _glossary_side(document: Document, s: Styles) -> list[Flowable]:
    """ "Words to know" as a box for the side column, one term under another."""
    items: list[Flowable] = [Heading("Words to know", s.callout_head, "glossary", "Words to know")]
    items += [
        Paragraph(f"<b>{escape(term.term)}</b> – {markup(term.meaning, s.link)}", s.term)
        for term in document.glossary
    ]
    return [_box(items, s, s.page.side)]


def _box(inner: Flowable | list[Flowable], s: Styles, width: float | None = None) -> Table:
    table = Table([[inner]], colWidths=[width or s.page.width], splitInRow=1)
    table.setStyle(
        _style(
            [
                ("BOX", (0, 0), (-1, -1), 1, s.rule),
                ("BACKGROUND", (0, 0), (-1, -1), s.card_bg),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _sources(document: Document, s: Styles) -> list[Flowable]:
    meta = document.meta
    out: list[Flowable] = [
        Heading("Where this information comes from", s.h2, "sources", "Sources"),
    ]
    for source in document.sources:
        text = markup(source.citation, s.link)
        if source.url:
            url = escape(source.url, {'"': "&quot;"})
            text += f' <a href="{url}" color="{s.link}">{escape(source.url)}</a>'
        out.append(Paragraph(text, s.small_bullet, bulletText="•"))
    authors = join_words([a.name for a in meta.authors])
    out.append(
        Paragraph(
            f"Written by {escape(authors)}. Published {_date(meta.published)}. "
            f"Licence: {escape(meta.licence)}.",
            s.small,
        )
    )
    return [Spacer(1, 6), KeepTogether(out)]


_BLOCKS: dict[str, Callable[[Document, Styles], list[Flowable]]] = {
    "sites": _sites,
    "types": _types,
    "risk_factors": _risks,
    "treatments": _treatments,
}
