"""The thin reportlab step: a leaflet plan and its edition drawn as tagged PDF/UA pages.

Every word comes from the edition (its blocks, its catalogue's furniture), every size from the
plan's type scale, every placement from the plan; what is left here is how things look.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, _digester
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as _ReportlabTable
from reportlab.platypus import paragraph as rl_paragraph
from reportlab.platypus.doctemplate import LayoutError

from leaflet import pdfua
from leaflet.assets import PreparedImage, prepared_image
from leaflet.colour import URGENT_FILL, URGENT_RED
from leaflet.diagram.draw_reportlab import PdfDiagram, pdf_shapes, to_drawing
from leaflet.edition import Edition
from leaflet.edition.blocks import (
    Block,
    BulletList,
    Callout,
    Cards,
    Figure,
    Section,
    Text,
    plain,
)
from leaflet.edition.blocks import (
    Paragraph as ParagraphBlock,
)
from leaflet.errors import LeafletError
from leaflet.fonts import LEAFLET_FONT, register_reportlab_fonts
from leaflet.inline import Run
from leaflet.model import Theme
from leaflet.renderers import Options, Rendered
from leaflet.renderers.leaflet_pdf.markup import runs_markup
from leaflet.renderers.leaflet_pdf.plan import (
    FOOTER_SHARE,
    FigurePlan,
    LeafletPlan,
    has_block,
    has_head,
    plan,
)
from leaflet.renderers.leaflet_pdf.scripts import (
    Setter,
    bidi_frags,
    draw_label,
    edition_chars,
    patched_reportlab,
)
from leaflet.renderers.leaflet_pdf.typescale import leaflet_type
from leaflet.renderers.print_marks import Sheet, draw_marks

# Besides leaflet.pdfua's hooks, the speed-ups below use reportlab internals (Paragraph's wrap
# state, drawImage's steps, a page's joined stream, multiBuild's _doSave): pyproject pins
# reportlab's range, and the tests compare the pages drawn.

Tagging = pdfua.Tagger | pdfua.NullTagger
"""The tagger of a build: a real one for the pages written, a null one for trial layouts."""


class Styles:
    """The leaflet's paragraph styles (type from the plan's scale), colours and spacings."""

    def __init__(self, theme: Theme, layout: LeafletPlan, setter: Setter | None = None) -> None:
        font = register_reportlab_fonts(LEAFLET_FONT)
        self.setter = setter
        """How words of other scripts are set (None or inactive: Latin only)."""
        scale = layout.scale
        self.plan = layout
        self.page = layout.grid
        page = self.page
        self.k = scale.body_pt / 12
        """Spacings were set for 12 pt body; they grow with the type."""
        self.text = colors.HexColor(theme.text)
        self.primary = colors.HexColor(theme.primary)
        self.accent = colors.HexColor(theme.accent)
        self.callout_bg = colors.HexColor(theme.callout_background)
        # "Urgent" looks the same in every theme, and never like the theme's advice boxes.
        self.urgent = colors.HexColor(URGENT_RED)
        self.urgent_bg = colors.HexColor(URGENT_FILL)
        self.card_bg = colors.HexColor(_tint(theme.primary, 0.06))
        self.rule = colors.HexColor(_tint(theme.primary, 0.35))
        self.link = theme.primary
        self.font = font
        self.bold = f"{font}-Bold"
        u = self.u
        base: dict[str, Any] = dict(
            fontName=font, textColor=self.text, alignment=TA_LEFT, splitLongWords=1
        )
        bold = {**base, "fontName": self.bold}
        # Main-column text is indented from the right so a full-width frame keeps the measure.
        right = page.width - page.main
        self.body = ParagraphStyle(
            "body", **leaflet_type(scale, "body"), spaceAfter=u(1.5), rightIndent=right, **base
        )
        self.cell = ParagraphStyle("cell", parent=self.body, rightIndent=0)
        self.org = ParagraphStyle(
            "org",
            **leaflet_type(scale, "org"),
            spaceAfter=u(2),
            **{**bold, "textColor": self.primary},
        )
        self.title = ParagraphStyle(
            "title",
            **leaflet_type(scale, "title"),
            spaceAfter=u(2),
            **{**bold, "textColor": self.primary},
        )
        self.subtitle = ParagraphStyle("subtitle", **leaflet_type(scale, "subtitle"), **base)
        self.h1 = ParagraphStyle(
            "h1",
            **leaflet_type(scale, "h1"),
            spaceBefore=u(4),
            spaceAfter=u(2),
            keepWithNext=1,
            **{**bold, "textColor": self.primary},
        )
        self.h1_cell = ParagraphStyle("h1_cell", parent=self.h1, spaceBefore=0)
        self.h2 = ParagraphStyle(
            "h2", **leaflet_type(scale, "h2"), spaceAfter=u(1), keepWithNext=1, **bold
        )
        self.bullet = ParagraphStyle(
            "bullet",
            parent=self.body,
            leftIndent=u(13),
            bulletIndent=u(1),
            spaceAfter=u(1),
            bulletFontName=font,
            bulletFontSize=scale.size("body").pt,
        )
        self.bullet_cell = ParagraphStyle("bullet_cell", parent=self.bullet, rightIndent=0)
        self.callout_head = ParagraphStyle(
            "callout_head", **leaflet_type(scale, "callout_head"), spaceAfter=u(2), **bold
        )
        self.urgent_head = ParagraphStyle(
            "urgent_head", parent=self.callout_head, textColor=self.urgent
        )
        self.urgent_word = ParagraphStyle(
            "urgent_word", parent=self.callout_head, textColor=colors.white, spaceAfter=0
        )
        self.side_text = ParagraphStyle("side_text", parent=self.cell, spaceAfter=u(2))
        self.callout_call = ParagraphStyle("callout_call", parent=self.cell, spaceBefore=u(1))
        self.term = ParagraphStyle(
            "term", parent=self.cell, **leaflet_type(scale, "term"), spaceAfter=u(1.5)
        )
        self.small = ParagraphStyle(
            "small", **leaflet_type(scale, "small"), spaceAfter=u(2), rightIndent=right, **base
        )
        self.small_cell = ParagraphStyle("small_cell", parent=self.small, rightIndent=0)
        self.small_bullet_cell = ParagraphStyle(
            "small_bullet_cell",
            parent=self.small_cell,
            leftIndent=u(11),
            bulletIndent=u(1),
            bulletFontName=font,
            bulletFontSize=scale.size("small").pt,
        )
        self.footer = ParagraphStyle("footer", **leaflet_type(scale, "footer"), **base)
        self.footer_right = ParagraphStyle("footer_right", parent=self.footer, alignment=TA_RIGHT)
        self.made: dict[tuple[Any, ...], Paragraph] = {}
        """The paragraphs of this render, by text, style, bullet and bookmark (see `para`)."""

    def u(self, points: float) -> float:
        """A spacing set for 12 pt body, at this scale."""
        return points * self.k

    def rich(self, text: Text) -> str:
        """Runs as paragraph markup, links in the theme's colour."""
        return runs_markup(text, self.link)

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
                made = Paragraph(text, style, bulletText=bullet, setter=self.setter)
            else:
                made = Heading(text, style, *bookmark, setter=self.setter)
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


_RTL = False
"""Whether the leaflet being rendered runs right to left: its columns, bars and bullets stand
mirrored (set with `_SETTER`)."""

_SWAPPED = {"LEFT": "RIGHT", "RIGHT": "LEFT", "LINEBEFORE": "LINEAFTER", "LINEAFTER": "LINEBEFORE"}


class Table(_ReportlabTable):  # type: ignore[misc]
    """reportlab's Table; in a right-to-left leaflet its columns stand mirrored, the first at
    the right (side-by-side blocks, a box's bar and paddings, a badge's icon). The structure
    tree keeps the reading order: it is made as the story is, not as cells are drawn."""

    _leaflet_mirrored = False

    def _mirror(self) -> None:
        if not _RTL or self._leaflet_mirrored:
            return
        self._leaflet_mirrored = True
        t: Any = self  # (reportlab's attributes are untyped)
        count: int = t._ncols
        t._cellvalues = [list(reversed(row)) for row in t._cellvalues]
        t._cellStyles = [list(reversed(row)) for row in t._cellStyles]
        for row in t._cellStyles:
            for cell in row:
                cell.leftPadding, cell.rightPadding = cell.rightPadding, cell.leftPadding
                cell.alignment = _SWAPPED.get(str(cell.alignment).upper(), cell.alignment)
        t._argW = list(reversed(t._argW))
        t._colWidths = list(reversed(t._colWidths))
        t.hAlign = _SWAPPED.get(str(t.hAlign).upper(), t.hAlign)

        def column(c: int) -> int:
            return count - 1 - (c + count if c < 0 else c)

        for name in ("_bkgrndcmds", "_linecmds", "_spanCmds", "_nosplitCmds"):
            commands = []
            for cmd in getattr(t, name):
                (sc, sr), (ec, er) = cmd[1], cmd[2]
                a, b = sorted((column(sc), column(ec)))
                op = _SWAPPED.get(cmd[0], cmd[0]) if name == "_linecmds" else cmd[0]
                commands.append((op, (a, sr), (b, er), *cmd[3:]))
            setattr(t, name, commands)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._mirror()
        size: tuple[float, float] = super().wrap(avail_width, avail_height)
        return size

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self._mirror()
        parts: list[Flowable] = super().split(avail_width, avail_height)
        for part in parts:  # made from this table's mirrored rows and commands
            if isinstance(part, Table):
                part._leaflet_mirrored = self._leaflet_mirrored
        return parts

    def draw(self) -> None:
        self._mirror()
        super().draw()


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

    def __init__(self, *args: Any, setter: Setter | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._bidi: tuple[list[Any], bool] | None = None
        if setter is not None and setter.active:
            frags, found = setter.frags(self.__dict__["frags"])
            self.frags = frags
            self.style = setter.style(self.__dict__["style"], found)
            if setter.needs_bidi(found):
                self._bidi = (frags, setter.rtl)
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
        bidi = self.__dict__.get("_bidi")
        if bidi is not None:
            # Lines broken here in logical order, their words set in the order they are seen.
            st = self.style
            room = avail_width - st.leftIndent - st.rightIndent
            self.frags = bidi_frags(bidi[0], room, room - st.firstLineIndent, bidi[1])
        bullet = self.__dict__.get("bulletText") if _rtl_style(self.style) else None
        if bullet:
            self.bulletText = None  # drawn on the right (see draw): it takes no room at the left
        try:
            size: tuple[float, float] = super().wrap(avail_width, avail_height)
        finally:
            if bullet:
                self.bulletText = bullet
        if avail_width >= rl_paragraph._FUZZ:  # narrower, reportlab refuses without wrapping
            wrapped[avail_width] = {
                name: self.__dict__[name] for name in self._WRAPPED if name in self.__dict__
            }
        return size

    def draw(self) -> None:
        if not (_rtl_style(self.style) and self.__dict__.get("bulletText")):
            super().draw()
            return
        # A right-to-left item's bullet stands at the right, in the indent its text leaves;
        # drawn first, as reportlab draws a bullet, so that it is the item's label.
        style, bullet = self.style, self.bulletText
        font, size = style.bulletFontName, style.bulletFontSize
        width = pdfmetrics.stringWidth(bullet, font, size)
        x = self.width - style.bulletIndent - width  # (the text's right indent is the list's)
        first = self.blPara.lines[0]
        tx = self.canv.beginText(x, self.height - getattr(first, "ascent", style.fontSize))
        tx.setFont(font, size)
        tx.setFillColor(getattr(style, "bulletColor", style.textColor))
        tx.textOut(bullet)
        self.canv.drawText(tx)
        self.bulletText = None
        try:
            super().draw()
        finally:
            self.bulletText = bullet


def _rtl_style(style: Any) -> bool:
    return bool(getattr(style, "_leaflet_rtl", None) is not None)


class Heading(Paragraph):
    """A section heading that is also a PDF bookmark."""

    def __init__(
        self, text: str, style: ParagraphStyle, key: str, title: str, setter: Setter | None = None
    ) -> None:
        super().__init__(text, style, setter=setter)
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
            base = 0.2 * s
        else:
            c.circle(s / 2, s / 2, s / 2, fill=1, stroke=0)
            base = 0.2 * s
        c.setFillColor(self.ink)
        # The mark is drawn, not set in type: no stray "!" or "i" in copied or extracted text.
        bar, dot = 0.13 * s, 0.075 * s
        if self.kind == "info":
            c.rect(s / 2 - bar / 2, base, bar, 0.36 * s, stroke=0, fill=1)
            c.circle(s / 2, base + 0.5 * s, dot, stroke=0, fill=1)
        else:
            c.circle(s / 2, base + dot, dot, stroke=0, fill=1)
            c.rect(s / 2 - bar / 2, base + 0.2 * s, bar, 0.36 * s, stroke=0, fill=1)
        c.restoreState()


def render(edition: Edition, options: Options) -> Rendered:
    """The leaflet edition as PDF bytes: the same bytes for the same edition, on any machine."""
    layout = plan(edition)
    global _SETTER, _RTL
    with _reportlab_defaults():
        setter = Setter(edition.lang, edition_chars(edition))
        styles = Styles(edition.theme, layout, setter)
        _SETTER, _RTL = setter, setter.rtl
        try:
            data, pages = _build(edition, styles, options, pdfua.Tagger())
        finally:
            _SETTER, _RTL = None, False
    return Rendered(data, pages, "page")


def _build(
    edition: Edition, styles: Styles, options: Options, tagger: Tagging
) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    doc = _Template(buffer, edition, styles, tagger)
    try:
        doc.build_numbered(_story(edition, styles, options, _Tags(tagger)), tagger)
    except LayoutError:
        where = doc.current_section or "the start of the leaflet"
        raise LeafletError(
            f"the leaflet cannot be laid out at {where}: a block is taller than a page"
            " (split long paragraphs or lists in that section into shorter ones)"
        ) from None
    return finished(tagger, buffer.getvalue(), edition), doc.page


def finished(tagger: Tagging, pdf: bytes, edition: Edition) -> bytes:
    """The PDF reportlab wrote, tagged (pdfua) with the edition's title, language, author,
    subject and dates: any leaflet layout's last step."""
    return tagger.finish(
        pdf,
        title=plain(edition.title.title),
        lang=edition.lang,
        author=edition.title.organisation,
        subject=edition.subject,
        # Dated by the content, as the deck is: published, then last reviewed (00:00 UTC),
        # whatever SOURCE_DATE_EPOCH says (docs/architecture.md, Determinism).
        dates=_dates(edition),
    )


def _dates(edition: Edition) -> tuple[dt.date, dt.date] | None:
    dates = edition.governance.dates
    return None if dates is None else (dates.published, dates.reviewed)


class _Template(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, buffer: Any, edition: Edition, styles: Styles, tagger: Tagging) -> None:
        page = styles.page
        self.edition = edition
        self.styles = styles
        self.current_section = ""
        self.sheet = Sheet(page.size) if edition.spec.print_shop else None
        boxes = {"pagesize": page.size} if self.sheet is None else self.sheet.doc_kwargs()
        super().__init__(
            buffer,
            **boxes,
            leftMargin=page.margin_x,
            rightMargin=page.margin_x,
            topMargin=page.margin_top,
            bottomMargin=page.margin_bottom,
            title=plain(edition.title.title),
            author=edition.title.organisation,
            subject=edition.subject,
            keywords=list(edition.keywords),
            creator="leaflet",
            lang=edition.lang,
            invariant=1,
            initialFontName=styles.font,
            initialFontSize=styles.body.fontSize,
            pageCompression=1,
        )
        # The frame is the trim's text block, whatever paper it is printed on (reportlab's
        # width and height are the sheet's, less the margins).
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            page.size[0] - self.leftMargin - self.rightMargin,
            page.size[1] - self.topMargin - self.bottomMargin,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.footer = tagger.artifact(self._footer)
        self.marks = tagger.artifact(self._marks, kind="Page")
        if self.sheet is None:
            self.addPageTemplates([PageTemplate("page", [frame])])
        else:
            # Every page is laid out on the trim; its origin moves to the trim's lower left.
            offset = self.sheet.offset
            self.addPageTemplates(
                [PageTemplate("page", [frame], onPage=lambda c, _: c.translate(offset, offset))]
            )

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
            if self.sheet is not None:
                self.marks(canvas, self.sheet)
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

    def _marks(self, canvas: Any, sheet: Sheet) -> None:
        """Crop marks and the slug line (topic, version, edition, review date) outside the
        bleed: for the print shop, cut off with the paper around the trim."""
        edition = self.edition
        dates = edition.governance.dates
        day = dates.reviewed.isoformat() if dates else edition.governance.reviewed
        slug = " \u00b7 ".join(
            (edition.topic, f"v{edition.governance.version}", edition.spec.id, day)
        )
        draw_marks(canvas, sheet, slug, self.styles.font)

    def _footer(self, canvas: Any, numbers: tuple[int, int]) -> None:
        """The footer of page `numbers[0]` of `numbers[1]`: the edition's lines, and the page
        number in the catalogue's words."""
        s = self.styles
        page = s.page
        words = self.edition.words
        canvas.saveState()
        canvas.setStrokeColor(s.primary)
        canvas.setLineWidth(0.8)
        top = page.footer_top
        canvas.line(page.margin_x, top, page.size[0] - page.margin_x, top)
        number = words.runs(
            "leaflet.page", page=words.number(numbers[0]), pages=words.number(numbers[1])
        )
        share = FOOTER_SHARE
        width = page.width * share
        y = top - 3
        # Right to left, mirrored: the edition's lines at the right, the number at the left.
        lines_x = page.margin_x + page.width - width if _RTL else page.margin_x
        for line in self.edition.footer:
            para = Paragraph(s.rich(line), s.footer, setter=s.setter)
            _, height = para.wrap(width, 100)
            para.drawOn(canvas, lines_x, y - height)
            y -= height
        right = Paragraph(s.rich(number), s.footer_right, setter=s.setter)
        room = page.width * (1 - share)
        _, height = right.wrap(room, 100)
        # (set flush right in its room: right to left, the room ends where its line does)
        x = page.margin_x + width
        if _RTL:
            x = page.margin_x - room + max(right.getActualLineWidths0())
        right.drawOn(canvas, x, top - 3 - height)
        canvas.restoreState()


def _tag(flowables: list[Flowable], section: str) -> list[Flowable]:
    for flowable in flowables:
        with suppress(AttributeError):  # reportlab Drawings refuse unknown attributes
            flowable.leaflet_section = section
    return flowables


@contextmanager
def _reportlab_defaults() -> Iterator[None]:
    """Make the embedded font reportlab's default, so no unembedded Helvetica is ever named."""
    saved = rl_config.invariant, rl_config.canvas_basefontname, rl_config.useA85
    font = register_reportlab_fonts(LEAFLET_FONT)
    rl_config.invariant = 1
    rl_config.canvas_basefontname = font
    rl_config.useA85 = 0  # binary image streams: ASCII85 costs time and a quarter more bytes
    try:
        with patched_reportlab():
            yield
    finally:
        rl_config.invariant, rl_config.canvas_basefontname, rl_config.useA85 = saved


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


def _name(edition: Edition, number: int) -> str:
    return f"sections[{number}] ({edition.sections[number].id})"


def _story(edition: Edition, s: Styles, options: Options, tg: _Tags) -> list[Flowable]:
    """The flowables in reading order, as the plan places them."""
    layout = s.plan
    sections = edition.sections
    story: list[Flowable] = _tag(_title_block(edition, s, options, tg.t), "the title")
    done_heads: set[int] = set()
    number = 0
    if layout.lead is not None:
        number, flowables, done_heads = _lead_with_diagram(edition, s, tg)
        story += flowables
    while number < len(sections):
        name = _name(edition, number)
        section = sections[number]
        if number == layout.glossary_beside and edition.glossary is not None:
            # The reading column may narrow or widen by an em where that balances it with the
            # glossary beside it (measured on trial rows, tagged by a null tagger).
            best: tuple[float, Styles] | None = None
            for measure in layout.glossary_measures:
                narrow = copy.copy(s)
                narrow.page = replace(s.page, measure=measure)
                trial, _ = _glossary_row(
                    edition, narrow, number, _Tags(pdfua.NullTagger()), number in done_heads
                )
                height = trial.wrap(s.page.width, 1e6)[1]
                if best is None or height < best[0] - 0.5:
                    best = (height, narrow)
            assert best is not None
            row, heads = _glossary_row(edition, best[1], number, tg, number in done_heads)
            done_heads |= heads
            story += _tag([row], name)
        else:
            with tg.section(number):
                flowables = _section(s, section, number, tg.t, head=number not in done_heads)
                story += _tag(flowables, name)
        number += 1
    if edition.glossary is not None and layout.glossary_beside is None:
        story += _tag(_glossary(edition, s, tg.t), "glossary")
    story += _tag(_sources(edition, s, tg.t), "sources")
    return story


def _glossary_row(
    edition: Edition, s: Styles, number: int, tg: _Tags, skip_head: bool = False
) -> tuple[Table, set[int]]:
    """A section with "Words to know" beside it, and the next section's head while it fits
    there; returns the row and the sections whose head it set.

    Tagged in reading order: the section, the glossary, then the next section's head, which
    stays next to the block under it.
    """
    sections = edition.sections
    page = s.page
    with tg.section(number):
        left = _section(s, sections[number], number, tg.t, head=not skip_head, cell=True)
    side = _glossary_side(edition, s, tg.t)
    heads: set[int] = set()
    after = number + 1
    # Beside the glossary the head costs only what it adds below the box's foot.
    if (
        after < len(sections)
        and has_head(sections[after])
        and _height(left, page.main) < _height(side, page.side)
    ):
        with tg.section(after):
            left += _head_part(s, sections[after], after, tg.t, cell=True)
        heads.add(after)
    # The row may part at a page foot, each column going on at the next page's head: a page
    # is not left part-empty because a section and the glossary beside it go over as one.
    return _row([_kept(left), [], _kept(side)], page.columns, s, split=s.u(SPLIT_GAP)), heads


def _height(flowables: list[Flowable], width: float) -> float:
    """The height of flowables stacked in a column, spacing between them included."""
    total = 0.0
    for n, flowable in enumerate(flowables):
        _, height = flowable.wrap(width, 1e6)
        total += height + (flowable.getSpaceBefore() if n else 0) + flowable.getSpaceAfter()
    return total


def _title_block(edition: Edition, s: Styles, options: Options, t: Tagging) -> list[Flowable]:
    title = edition.title
    text: list[Flowable] = [
        t.tag(s.para(s.rich((Run(title.organisation),)), s.org)),
        t.tag(s.para(s.rich(title.title), s.title), "H1"),
    ]
    if title.subtitle:
        text.append(t.tag(s.para(s.rich(title.subtitle), s.subtitle)))
    row: list[Any] = [text]
    widths: list[float] = [s.page.width]
    if title.logo is not None:
        # read once from inside the project, decoded by content and normalised to 8-bit PNG
        png = prepared_image(options.project_dir, title.logo.path)
        size = s.u(68)  # 24 mm at 12 pt body
        fit = min(size / png.width_px, size / png.height_px)
        image = _Picture(png, png.width_px * fit, png.height_px * fit)
        row = [text, t.figure(image, alt=title.logo.alt)]
        widths = [s.page.width - size - s.page.gap, size + s.page.gap]
    table = Table([row], colWidths=widths)
    table.setStyle(
        _style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (-1, 0), (-1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), s.u(6)),
                ("LINEBELOW", (0, 0), (-1, 0), 2, s.primary),
            ]
        )
    )
    return [table, Spacer(1, s.u(4))]


def _heading(s: Styles, section: Section, number: int, style: ParagraphStyle) -> Paragraph:
    return s.para(
        s.rich(section.heading), style, bookmark=(f"section-{number}", plain(section.heading))
    )


def _head_part(
    s: Styles, section: Section, number: int, t: Tagging, cell: bool, first: bool = False
) -> list[Flowable]:
    """A section's heading and paragraphs; `cell` sets them in a cell as wide as the column."""
    out: list[Flowable] = [t.tag(_heading(s, section, number, s.h1_cell if first else s.h1), "H2")]
    body = s.cell if cell else s.body
    out += [t.tag(s.para(s.rich(p.text), body)) for p in section.paragraphs]
    return out


def _block_part(
    s: Styles, section: Section, number: int, t: Tagging, cell: bool = False
) -> list[Flowable]:
    """What follows a section's paragraphs (cards, lists, the diagram), by block type."""
    out: list[Flowable] = []
    for block in section.body:
        if isinstance(block, ParagraphBlock):
            continue
        rule = _BLOCKS.get(type(block))
        if rule is None:
            raise LeafletError(
                f"sections[{number}] ({section.id}): the leaflet has no way to draw a"
                f" {type(block).__name__} block"
            )
        out += rule(s, block, number, t, cell)
    return out


def _section(
    s: Styles, section: Section, number: int, t: Tagging, head: bool = True, cell: bool = False
) -> list[Flowable]:
    """A section's flowables; `cell` sets them for a table cell as wide as the reading column;
    without `head`, its heading and paragraphs were set elsewhere."""
    urgent = _urgent(section)
    if urgent:
        return [_warning_signs(s, section, urgent, number, t)]
    before = _head_part(s, section, number, t, cell, first=cell) if head else []
    return [*before, *_block_part(s, section, number, t, cell)]


def _urgent(section: Section) -> list[Callout]:
    """The section's callouts, when it is only an urgent callout (its heading heads it) and
    the callouts for the clinic that follow it; else none."""
    body = section.body
    if not body or not isinstance(body[0], Callout) or body[0].kind != "urgent":
        return []
    rest = [b for b in body[1:] if isinstance(b, Callout) and b.kind == "clinic"]
    return [body[0], *rest] if len(rest) == len(body) - 1 else []


def _lead_with_diagram(
    edition: Edition, s: Styles, tg: _Tags
) -> tuple[int, list[Flowable], set[int]]:
    """The opening sections set beside the body-site diagram, as the plan chose them.

    Returns the index of the next section to set, the flowables, and the sections whose head
    is already set (their block follows).
    """
    layout = s.plan
    lead = layout.lead
    assert lead is not None
    sections = edition.sections
    figure = layout.figure_of(lead.last)
    assert figure is not None
    before: list[Flowable] = []
    for number in range(lead.first):
        with tg.section(number):
            before += _tag(_section(s, sections[number], number, tg.t), _name(edition, number))
    left: list[Flowable] = []
    for number in range(lead.first, lead.last + 1):
        with tg.section(number):
            left += _head_part(s, sections[number], number, tg.t, True, number == lead.first)
    with tg.section(lead.last):
        tagged_figure = tg.t.figure(_diagram(figure), alt=figure.figure.alt)
    heads: set[int] = set()
    after = lead.last + 1
    if lead.with_head:
        with tg.section(after):
            left += _head_part(s, sections[after], after, tg.t, cell=True)
        heads.add(after)
        if not has_block(sections[after]):
            after += 1
    table = Table(
        [[left, tagged_figure]],
        colWidths=[s.page.width - figure.width, figure.width],
        style=_plain_cells(),
    )
    return after, [*before, *_tag([table], _name(edition, lead.last))], heads


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
def _shapes(figure: FigurePlan) -> tuple[str, ...]:
    """The diagram's shapes as PDF operators, made once a process for its plan: drawing them
    costs as much as laying out a page of text."""
    return pdf_shapes(figure.scene, figure.width, figure.height)


def _diagram(figure: FigurePlan) -> Flowable:
    labels = to_drawing(figure.scene, figure.width, figure.height, parts="labels")
    if _SETTER is not None and _SETTER.active:
        return _ScriptDiagram(_shapes(figure), labels, _SETTER)
    return PdfDiagram(_shapes(figure), labels)


_SETTER: Setter | None = None
"""The setter of the leaflet being rendered, for the diagram's labels."""


class _ScriptDiagram(PdfDiagram):
    """A diagram whose labels are set word by word in their scripts' faces (shaped, in the
    order they are seen), where reportlab's graphics would draw them in one font."""

    def __init__(self, shapes: tuple[str, ...], labels: Any, setter: Setter) -> None:
        super().__init__(shapes, labels)
        self.setter = setter

    def draw(self) -> None:
        self.canv._code.extend(self.shapes)
        for group in self.labels.contents:
            for label in group.contents:
                draw_label(self.canv, label, self.setter)


def _figure(s: Styles, block: Block, number: int, t: Tagging, cell: bool) -> list[Flowable]:
    """The diagram on its own (the plan set no text beside it), centred on the text block."""
    assert isinstance(block, Figure)
    layout = s.plan
    if layout.lead is not None and layout.lead.last == number:
        return []  # set beside the opening sections
    figure = layout.figure_of(number)
    if figure is None or figure.figure != block:
        raise LeafletError(f"sections[{number}]: the plan has no place for its diagram")
    diagram = t.figure(_Shrinking(figure), alt=block.alt)
    diagram.hAlign = "CENTER"
    return [Spacer(1, s.u(3)), diagram, Spacer(1, s.u(4))]


class _Shrinking(Flowable):  # type: ignore[misc]
    """The diagram set alone at its planned size or, where less room is left on the page,
    at the tallest of the plan's shorter sizes that fits there (labels at the floor or more)."""

    def __init__(self, figure: FigurePlan) -> None:
        super().__init__()
        self.figure = figure
        self.hAlign = "CENTER"

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self.figure.width, self.figure.height
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        fits = [f for f in self.figure.smaller if f.height <= avail_height]
        return [_Shrinking(fits[0])] if fits else []

    def draw(self) -> None:
        drawn = _diagram(self.figure)
        drawn.wrapOn(self.canv, self.width, self.height)
        drawn.drawOn(self.canv, 0, 0)


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


class Card(Flowable):  # type: ignore[misc]
    """A tinted box with a bar down its left edge; splits between its paragraphs, never inside.

    The box itself is drawn here (decoration); its paragraphs are drawn as they are, so each
    stays the flowable it was made as.
    """

    PAD = (9.0, 8.0, 3.5, 2.5)
    """Left, right, top and bottom padding at 12 pt body (scaled with the type)."""

    def __init__(self, parts: list[Flowable], s: Styles, width: float) -> None:
        super().__init__()
        self.parts, self.s, self.card_width = parts, s, width
        self.heights: list[float] = []
        self.pad = tuple(s.u(p) for p in self.PAD)

    def _inner(self) -> float:
        left, right, _, _ = self.pad
        return self.card_width - left - right

    def _measure(self, parts: list[Flowable]) -> tuple[list[float], float]:
        """Each part's height and the box's height, spacing between parts included."""
        _, _, top, bottom = self.pad
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
        left, _, top, _ = self.pad
        c = self.canv
        c.saveState()
        c.setFillColor(self.s.card_bg)
        c.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        c.setStrokeColor(self.s.primary)
        c.setLineWidth(3)
        edge = self.width if _RTL else 0  # the bar stands where lines begin
        c.line(edge, 0, edge, self.height)
        c.restoreState()
        if _RTL:
            left = self.pad[1]
        y = self.height - top
        previous: Flowable | None = None
        for part, height in zip(self.parts, self.heights, strict=True):
            if previous is not None:
                y -= max(previous.getSpaceAfter(), part.getSpaceBefore())
            y -= height
            part.drawOn(c, left, y)
            previous = part


SPLIT_GAP = 48.0
"""A gap at a page foot this tall (about three lines at 12 pt) is filled by cutting a card."""


class Masonry(Flowable):  # type: ignore[misc]
    """Cards in two columns, read in content order; splits between cards at a page foot.

    When all cards fit, they go in the pair of columns whose taller one is shortest. At a page
    foot a card is placed only after all before it, so a long list reads on in order; a card
    that would leave a large gap is cut between its paragraphs.
    """

    def __init__(self, cards: list[Flowable], gap: float, split_gap: float = SPLIT_GAP) -> None:
        super().__init__()
        self.cards = cards
        self.gap = gap
        self.split_gap = split_gap
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
            if avail_height - top >= self.split_gap:
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
        return [
            _Stacked(fitted, self.gap, self.split_gap),
            Masonry(rest, self.gap, self.split_gap),
        ]

    def draw(self) -> None:
        col = (self.width - self.gap) / 2
        for card, x, top, height in self.placed:
            card.wrapOn(self.canv, col, height)
            # right to left, the first column is the right one
            at = self.width - x - col if _RTL else x
            card.drawOn(self.canv, at, self.height - top - height)


class _Stacked(Masonry):
    """The cards that fit at a page foot, each under the shorter column in content order."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        col = (avail_width - self.gap) / 2
        self.placed, self.height = self._place(col, self._heights(col), None)
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return [self]


class _Indent(Flowable):  # type: ignore[misc]
    """A flowable set in from the left and right, so a callout lines up with the bullet text."""

    def __init__(
        self, inner: Flowable, left: float, right: float, before: float, after: float
    ) -> None:
        super().__init__()
        self.inner, self.left, self.right = inner, left, right
        self.spaceBefore, self.spaceAfter = before, after

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        _, self.height = self.inner.wrap(avail_width - self.left - self.right, avail_height)
        self.width = avail_width
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        pieces = self.inner.split(avail_width - self.left - self.right, avail_height)
        return [
            _Indent(p, self.left, self.right, self.spaceBefore, self.spaceAfter) for p in pieces
        ]

    def draw(self) -> None:
        self.inner.drawOn(self.canv, self.right if _RTL else self.left, 0)


def _cards(s: Styles, block: Block, number: int, t: Tagging, cell: bool) -> list[Flowable]:
    """Cards in content order, each its title (H3) and paragraphs; the box is decoration."""
    assert isinstance(block, Cards)
    columns = s.plan.card_columns
    gap = s.page.gap
    width = (s.page.width - gap) / 2 if columns == 2 else s.page.width
    made: list[Flowable] = []
    for card in block.items:
        parts = [t.tag(s.para(s.rich(card.title), s.h2), "H3")]
        parts += [t.tag(s.para(s.rich(_labelled(p)), s.cell)) for p in card.body]
        made.append(Card(parts, s, width))
    if columns == 2:
        return [Masonry(made, gap, s.u(SPLIT_GAP)), Spacer(1, s.u(2))]
    out: list[Flowable] = []
    for card in made:
        out += [card, Spacer(1, gap * 0.35)]
    return [*out, Spacer(1, s.u(4))]


def _labelled(paragraph: ParagraphBlock) -> Text:
    if paragraph.label is None:
        return paragraph.text
    return (Run(paragraph.label, bold=True), Run(" "), *paragraph.text)


def _urgent_badge(s: Styles, t: Tagging, word_text: str) -> Table:
    """The catalogue's word for "urgent" in white on the urgent red, after a drawn warning
    sign: the same band in every theme, so an urgent box never passes for advice."""
    u = s.u
    word = t.tag(s.para(s.rich((Run(word_text),)), s.urgent_word))
    icon = u(12)
    mark = u(4) + icon + u(4)
    text_width = _line_width(word) + u(6)
    badge = Table(
        [[_Icon("warning", icon, colors.white, s.urgent, s.bold), word]],
        colWidths=[mark, text_width],
        hAlign="LEFT",
    )
    badge.setStyle(
        _style(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, -1), s.urgent),
                ("LEFTPADDING", (0, 0), (0, 0), u(4)),
                ("LEFTPADDING", (1, 0), (1, 0), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    badge._leaflet_width = mark + text_width
    return badge


def _callout(
    heading: str | Flowable,
    flowables: list[Flowable],
    s: Styles,
    width: float,
    icon: str = "warning",
    badge: Table | None = None,
) -> Table:
    """A boxed note with a heading word and an icon, so its meaning never rests on colour;
    with `badge` (`_urgent_badge`), the urgent style, which no theme changes."""
    u = s.u
    title = s.para(heading, s.callout_head) if isinstance(heading, str) else heading
    urgent = badge is not None
    ink = s.urgent if urgent else s.accent
    if badge is not None:
        head = Table(
            [[badge, title]],
            colWidths=[badge._leaflet_width + u(8), None],
            style=_plain_cells(),
        )
    else:
        head = Table(
            [[_Icon(icon, u(15), s.accent, colors.white, s.bold), title]],
            colWidths=[u(21), None],
            style=_plain_cells(),
        )
    table = Table([[[head, *flowables]]], colWidths=[width], splitInRow=1)
    # Butt caps: a round cap would put the bar's ends beyond the box, and so nearer the
    # paper's edge than the text block.
    table.setStyle(
        _style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 2.0 if urgent else 1.5, ink, 0),
                ("LINEBEFORE", (0, 0), (0, -1), 5, ink, 0),
                ("BACKGROUND", (0, 0), (-1, -1), s.urgent_bg if urgent else s.callout_bg),
                ("LEFTPADDING", (0, 0), (-1, -1), u(10)),
                ("RIGHTPADDING", (0, 0), (-1, -1), u(9)),
                ("TOPPADDING", (0, 0), (-1, -1), u(4)),
                ("BOTTOMPADDING", (0, 0), (-1, -1), u(2.5)),
            ]
        )
    )
    return table


def _list(s: Styles, block: Block, number: int, t: Tagging, cell: bool) -> list[Flowable]:
    """Items as bullets, each followed by its aside in a callout (a Div in its item)."""
    assert isinstance(block, BulletList)
    out: list[Flowable] = []
    indent = 0.0 if cell else s.page.width - s.page.main
    bullet = s.u(13)
    if block.lead:
        out.append(t.tag(s.para(s.rich((Run(block.lead, bold=True),)), s.cell)))
    with t.group("L"):
        for index, entry in enumerate(block.items):
            item = t.item(s.para(s.rich(entry.text), s.bullet_cell if cell else s.bullet, "•"))
            # (in a cell beside the glossary the row parts between items by its own rule;
            # gluing them there changes the measure the row is set at)
            if (number, index) in s.plan.keep_with_aside and not cell:
                item.keepWithNext = 1
            out.append(item)
            if entry.aside is not None:
                # The aside runs in beside its icon: the box is read as advice without a
                # heading line of its own.
                inner = [b for b in entry.aside.body if isinstance(b, ParagraphBlock)]
                with t.within(item), t.group("Div"):
                    first = t.tag(s.para(s.rich(_labelled(inner[0])), s.side_text))
                    rest = [t.tag(s.para(s.rich(_labelled(p)), s.side_text)) for p in inner[1:]]
                icon = "warning" if entry.aside.kind == "urgent" else "info"
                box = _callout(first, rest, s, s.page.main - bullet, icon=icon)
                out.append(_Indent(box, bullet, indent, s.u(2), s.u(3)))
    return out


def _row(cells: list[Any], widths: list[float], s: Styles, split: float = 0.0) -> Table:
    """Cells side by side; the row splits inside itself when `split` (the least height of a
    part) is given, else only when it is taller than a page."""
    if split:
        return Table([cells], colWidths=widths, style=_plain_cells(), splitInRow=split)
    table = Table([cells], colWidths=widths, style=_plain_cells())
    _, height = table.wrap(s.page.width, s.page.height)
    if height > s.page.height * 0.8:
        table = Table([cells], colWidths=widths, style=_plain_cells(), splitInRow=1)
    return table


def _line_width(paragraph: Paragraph) -> float:
    """The width of a paragraph set on one line."""
    paragraph.wrap(1e5, 1e5)
    return float(max(paragraph.getActualLineWidths0()))


def _warning_signs(
    s: Styles, section: Section, callouts: list[Callout], number: int, t: Tagging
) -> Flowable:
    """The section as a callout (Div): its heading (H2), the call to action, the signs (L);
    then in the same box each group of signs for the clinic (Div: call to action, L)."""
    u = s.u
    callout, *clinic = callouts
    inset = u(24)
    head = _heading(s, section, number, s.urgent_head)
    call = s.para(s.rich(callout.lead), s.callout_call) if callout.lead else None
    inner: list[Flowable] = []
    with t.group("Div"):
        # The word "urgent" is read first, then the section heading (the callout's own, so
        # it is bookmarked), then the call to action, on the heading's line when both fit.
        badge = _urgent_badge(s, t, callout.badge or "")
        head_width = _line_width(head) + u(12)
        one_line = call is not None and (
            head_width + _line_width(call) + badge._leaflet_width + u(8) < s.page.width - inset
        )
        head = t.tag(head, "H2")
        if call is not None:
            call = t.tag(call)
        inner += _signs(s, section, callout, number, t)
    heading: Flowable
    if one_line:
        heading = Table([[head, call]], colWidths=[head_width, None], style=_plain_cells())
    else:
        heading = head
        if call is not None:
            inner.insert(0, call)
    # the signs for the clinic follow in the same box, under their own call to action
    for group in clinic:
        with t.group("Div"):
            lead = t.tag(s.para(s.rich(group.lead or ()), s.callout_call))
            inner += [Spacer(1, u(5)), lead, *_signs(s, section, group, number, t)]
    box = _callout(heading, inner, s, s.page.width, badge=badge)
    parts = [Spacer(1, u(1)), box, Spacer(1, u(1))]
    return KeepTogether(parts) if s.plan.keep_signs else _Stack(parts)


def _signs(
    s: Styles, section: Section, callout: Callout, number: int, t: Tagging
) -> list[Flowable]:
    """A callout's paragraphs and signs (L); short signs sit two abreast inside the
    full-width box, read down, then across."""
    out: list[Flowable] = []
    signs: list[Flowable] = []
    for block in callout.body:
        if isinstance(block, ParagraphBlock):
            out.append(t.tag(s.para(s.rich(_labelled(block)), s.cell)))
        elif isinstance(block, BulletList):
            with t.group("L"):
                signs += [
                    t.item(s.para(s.rich(i.text), s.bullet_cell, bullet="•")) for i in block.items
                ]
        else:
            raise LeafletError(
                f"sections[{number}] ({section.id}): the leaflet has no way to draw a"
                f" {type(block).__name__} block inside a callout"
            )
    gap = s.page.gap
    if s.plan.sign_columns == 2 and len(signs) > 2:
        half = (len(signs) + 1) // 2
        width = (s.page.width - s.u(24) - gap) / 2
        out.append(_row([signs[:half], [], signs[half:]], [width, gap, width], s))
    else:
        out += signs
    return out


def _glossary_items(edition: Edition, s: Styles, t: Tagging) -> list[Flowable]:
    """The terms as a list: each term (bold) is the item's label, its meaning the body."""
    assert edition.glossary is not None
    out: list[Flowable] = []
    with t.group("L"):
        for item in edition.glossary.terms:
            para = s.para(s.rich((Run(item.term, bold=True), Run(" – "), *item.meaning)), s.term)
            # A label is the text drawn first; right-to-left lines are drawn from their end, so
            # there the term stays in the item's body.
            rtl = para.__dict__.get("_bidi") is not None
            out.append(t.item(para, label=None if rtl else item.term))
    return out


def _glossary(edition: Edition, s: Styles, t: Tagging) -> list[Flowable]:
    """The glossary across the page, in the plan's columns, read down, then across."""
    glossary = edition.glossary
    assert glossary is not None
    u = s.u
    with t.group("Div"):
        title = s.rich((Run(glossary.heading),))
        heading = t.tag(s.para(title, s.h1, bookmark=("glossary", glossary.heading)), "H2")
        items = _glossary_items(edition, s, t)
    gap = s.page.gap
    inner_width = s.page.width - u(15)
    if s.plan.glossary_columns == 2:
        half = (len(items) + 1) // 2
        width = (inner_width - gap) / 2
        rows = [
            [items[i], [], items[half + i] if half + i < len(items) else []] for i in range(half)
        ]
        widths = [width, gap, width]
    else:
        rows = [[item] for item in items]
        widths = [inner_width]
    inner = Table(rows, colWidths=widths, splitByRow=1)
    inner.setStyle(
        _style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), u(1)),
                ("BOTTOMPADDING", (0, 0), (-1, -1), u(4)),
            ]
        )
    )
    # A glossary too long for the space left flows on, parting between its terms; its
    # heading goes with the first of them. In one column the terms stand in the box's cell
    # one under another, where the box parts between them (a table nested in the cell
    # would not part).
    content: list[Flowable] = [inner]
    if s.plan.glossary_columns != 2:
        content = []
        for item in items:
            content += [Spacer(1, u(1)), item, Spacer(1, u(4))]
    return [Spacer(1, u(4)), _Together([heading, _box(content, s, split=u(SPLIT_GAP))])]


def _glossary_side(edition: Edition, s: Styles, t: Tagging) -> list[Flowable]:
    """The glossary as a box for the side column, one term under another."""
    glossary = edition.glossary
    assert glossary is not None
    with t.group("Div"):
        title = s.rich((Run(glossary.heading),))
        heading = s.para(title, s.callout_head, bookmark=("glossary", glossary.heading))
        items: list[Flowable] = [t.tag(heading, "H2"), *_glossary_items(edition, s, t)]
    # The heading goes with the first term when the box parts at a page foot.
    return [_box([_Together(items[:2]), *items[2:]], s, s.page.side)]


def _box(
    inner: Flowable | list[Flowable], s: Styles, width: float | None = None, split: float = 1
) -> Table:
    u = s.u
    table = Table([[inner]], colWidths=[width or s.page.width], splitInRow=split)
    table.setStyle(
        _style(
            [
                ("BOX", (0, 0), (-1, -1), 1, s.rule),
                ("BACKGROUND", (0, 0), (-1, -1), s.card_bg),
                ("LEFTPADDING", (0, 0), (-1, -1), u(7)),
                ("RIGHTPADDING", (0, 0), (-1, -1), u(6)),
                ("TOPPADDING", (0, 0), (-1, -1), u(4)),
                ("BOTTOMPADDING", (0, 0), (-1, -1), u(3)),
            ]
        )
    )
    return table


def source_list(edition: Edition, s: Styles, t: Tagging) -> tuple[Flowable, list[Flowable]]:
    """The sources' heading (H2, bookmarked) and their list (L), each with its link."""
    sources = edition.sources
    title = s.rich((Run(sources.heading),))
    heading = t.tag(s.para(title, s.h2, bookmark=("sources", sources.bookmark)), "H2")
    cited: list[Flowable] = []
    with t.group("L"):
        for source in sources.items:
            text = s.rich(source.citation)
            if source.url:
                url = escape(source.url, {'"': "&quot;"})
                text += f' <a href="{url}" color="{s.link}">{escape(source.url)}</a>'
            cited.append(t.item(s.para(text, s.small_bullet_cell, bullet="•")))
    return heading, cited


def _sources(edition: Edition, s: Styles, t: Tagging) -> list[Flowable]:
    """Sources in the reading column, then the leaflet's versions, review dates and authors;
    how to reach the organisation beside them, or under them where the page has no side
    column. Tagged once here (the running footer repeats some of it as an artifact)."""
    with t.group("Sect"):
        heading, cited = source_list(edition, s, t)

        # Tagged in the order they are read: beside the contact and its QR code, the governance
        # lines go under the sources in the reading column, read first; set under the
        # contact, after it.
        def tagged_governance() -> list[Flowable]:
            with t.group("Div"):
                return [
                    t.tag(s.para(s.rich(line), s.small_cell)) for line in edition.governance.lines
                ]

        beside = s.plan.sources_beside_colophon
        governance = tagged_governance() if beside else []
        with t.group("Div"):
            contact = [t.tag(s.para(s.rich(line), s.small_cell)) for line in edition.contact.lines]
            code = _web_address(edition, s, t, with_also=not beside)
        also = edition.contact.also
        other_formats = [t.tag(s.para(s.rich(also), s.small_cell))] if beside and also else []
        governance = governance if beside else tagged_governance()
    if s.plan.sources_beside_colophon:
        # The governance lines are short facts, not prose: they take the reading column. The
        # QR code stands under the contact in the side column, its address beside it: the page
        # grows by less than a code. The other formats, a list of names, take the page's width.
        left = [*cited, *governance]
        row = _row([left, [], [*contact, *code]], s.page.columns, s, split=s.u(SPLIT_GAP))
        parts = [heading, row, *other_formats]
        if _fits_whole(row, s):
            return [_Together(parts)]
        # too tall to move whole: the row may part at a page foot, but the governance lines go
        # with its end, never alone on a last page
        return [heading, row, *other_formats]
    # the last source, the contact and the governance lines go together: a last page never
    # holds only the version and review lines
    tail = [*cited[-1:], Spacer(1, s.u(3)), *contact, *code, Spacer(1, s.u(2))]
    tail += governance
    return [heading, *cited[:-1], KeepTogether(tail)]


class _QrCode(Flowable):  # type: ignore[misc]
    """The QR code to the topic's web page, as vector rectangles (leaflet.qr)."""

    def __init__(self, ops: str, size: float) -> None:
        super().__init__()
        self.ops, self.width, self.height = ops, size, size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv._code.append(f"q\n{self.ops}\nQ")


def _web_address(edition: Edition, s: Styles, t: Tagging, with_also: bool = True) -> list[Flowable]:
    """The QR code (a Figure whose alt says where it leads) with the address printed beside
    it (a P with its link, broken only after a slash or before a dot or hyphen) and,
    with_also, the other formats under the address; as one row."""
    from leaflet import qr

    contact = edition.contact
    also = [t.tag(s.para(s.rich(contact.also), s.small_cell))] if contact.also and with_also else []
    if not contact.web_address:
        return also
    size = qr.LEAFLET_MM[edition.spec.scale] * mm
    problem = qr.problem(contact.web_address, size / mm)
    if problem is not None:
        raise LeafletError(f"meta.url: {problem}")
    code = t.figure(
        _QrCode(qr.reportlab_ops(qr.matrix(contact.web_address), size), size), alt=contact.qr_alt
    )
    gap = s.u(2)
    in_side = s.plan.sources_beside_colophon
    room = max((s.page.side if in_side else s.page.width) - size - gap, size)
    style = s.small_cell
    shown = contact.web_address.removeprefix("https://")
    url = escape(contact.web_address, {'"': "&quot;"})
    lines = address_lines(
        shown, lambda text: pdfmetrics.stringWidth(text, style.fontName, style.fontSize), room
    )
    text = f'<a href="{url}" color="{s.link}">{"<br/>".join(map(escape, lines))}</a>'
    address = [t.tag(s.para(text, style)), *also]  # read after the code, as set by it
    row = Table(
        [[code, address]],
        colWidths=[size + gap, room],
        style=_style([*_plain_cells().getCommands(), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]),
        hAlign="LEFT",
    )
    return [Spacer(1, s.u(2)), row]


def address_lines(address: str, width_of: Callable[[str], float], room: float) -> list[str]:
    """A web address in lines that fit `room`, broken after a slash (or, where that is not
    enough, before a dot or a hyphen), never inside a word: the way style guides break a
    URL, so that no line ends in a fragment or a hyphen a reader would take for the
    leaflet's. A piece wider than the room by itself stays whole on its own line."""
    if width_of(address) <= room:
        return [address]
    for pattern in (r"[^/]*/|[^/]+$", r"[.\-]?[^/.\-]*/?"):
        pieces = [piece for piece in re.findall(pattern, address) if piece]
        lines: list[str] = []
        for piece in pieces:
            if lines and width_of(lines[-1] + piece) <= room:
                lines[-1] += piece
            else:
                lines.append(piece)
        if all(width_of(line) <= room for line in lines):
            return lines
    return lines


def _kept(flowables: list[Flowable]) -> list[Flowable]:
    """A column's flowables with each heading glued to what follows it: a table cell that
    parts at a page foot ignores keepWithNext, and would leave a heading at the foot."""
    out: list[Flowable] = []
    for flowable in flowables:
        if out and _keeps_with_next(out[-1]):
            last = out.pop()
            parts = list(last.parts) if isinstance(last, _Together) else [last]
            flowable = _Together([*parts, flowable])
        out.append(flowable)
    return out


def _keeps_with_next(flowable: object) -> bool:
    return bool(getattr(flowable, "keepWithNext", 0))


def _fits_whole(flowable: Flowable, s: Styles) -> bool:
    return bool(_height([flowable], s.page.width) <= s.page.height * 0.3)


class _Together(Flowable):  # type: ignore[misc]
    """Flowables stacked that go to the next page together (a heading and what it heads)."""

    def __init__(self, parts: list[Flowable]) -> None:
        super().__init__()
        self.parts = parts
        self.keepWithNext = getattr(parts[-1], "keepWithNext", 0)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, _height(self.parts, avail_width)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        """The last part cut where it may be (a box between its terms), the rest kept with
        its first piece; nothing, when it cannot be cut there."""
        if len(self.parts) < 2:
            return []
        *first, last = self.parts
        above = _height(first, avail_width) + last.getSpaceBefore()
        if above >= avail_height:
            return []
        # (a table wrapped at an unbounded height does not split until wrapped at this one)
        # (inside a table cell that parts, a flowable is split before it has a canvas)
        canv = getattr(self, "canv", None)
        if canv is None:
            last.wrap(avail_width, avail_height - above)
            pieces = last.split(avail_width, avail_height - above)
        else:
            last.wrapOn(canv, avail_width, avail_height - above)
            pieces = last.splitOn(canv, avail_width, avail_height - above)
        if len(pieces) < 2:
            return []
        return [_Together([*first, pieces[0]]), *pieces[1:]]

    def getSpaceBefore(self) -> float:
        return float(self.parts[0].getSpaceBefore())

    def draw(self) -> None:
        y = self.height
        for n, part in enumerate(self.parts):
            if n:
                y -= part.getSpaceBefore()
            _, height = part.wrapOn(self.canv, self.width, 1e6)
            y -= height
            part.drawOn(self.canv, 0, y)
            y -= part.getSpaceAfter()


class _Stack(_Together):
    """Flowables that may part at a page foot (a callout taller than a page); drawn as one
    where they fit."""

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return list(self.parts)


# Every rule takes `cell`: True when the block is laid out inside a table cell beside another
# block (only lists lay out differently there).
_BLOCKS: dict[type, Callable[[Styles, Block, int, Tagging, bool], list[Flowable]]] = {
    Figure: _figure,
    Cards: _cards,
    BulletList: _list,
}
"""How each block under a section's paragraphs is drawn; a block with no rule is an error.
An urgent callout that is a whole section is its section (`_warning_signs`)."""
