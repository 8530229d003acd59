"""The tri-fold's reportlab step: its plan (leaflet_pdf.trifold) drawn as two tagged PDF/UA pages.

The body's blocks are the standard leaflet's (draw.py's rules, styles and boxes) set at the
panel's measure: only the sheet is new here, its panels as frames, the cover, the back panel and
the fold marks. The structure tree is tagged in reading order (cover, flap, inside 1 to 3, back),
whatever order the sheet's two sides are drawn in.
"""

from __future__ import annotations

import io
from contextlib import suppress
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer
from reportlab.platypus.doctemplate import ActionFlowable, LayoutError

from leaflet import pdfua
from leaflet.assets import prepared_image
from leaflet.edition import Edition
from leaflet.edition.blocks import plain
from leaflet.errors import LeafletError
from leaflet.fonts import LEAFLET_FONT, register_reportlab_fonts
from leaflet.inline import Run
from leaflet.renderers import Options, Rendered
from leaflet.renderers.leaflet_pdf import trifold
from leaflet.renderers.leaflet_pdf.draw import (
    Styles,
    Tagging,
    _box,
    _glossary,
    _name,
    _Picture,
    _reportlab_defaults,
    _section,
    _tag,
    _Tags,
    _web_address,
    finished,
    source_list,
)
from leaflet.renderers.leaflet_pdf.plan import MM
from leaflet.renderers.leaflet_pdf.trifold import Box, Panel, TrifoldPlan
from leaflet.renderers.leaflet_pdf.typescale import leaflet_type
from leaflet.renderers.print_marks import Sheet, draw_marks, fold_marks

FIXED = {
    "cover": "the logo, organisation, title and subtitle",
    "back": "the contact, version, review and authorship lines, the other formats and the QR code",
}
"""What each fixed panel holds, for the message when it is too full."""


def render(edition: Edition, options: Options) -> Rendered:
    """The tri-fold edition as PDF bytes, or a message saying how much does not fit."""
    layout = trifold.plan(edition)
    if not layout.fits:
        raise LeafletError(trifold.over_message(edition, layout))
    with _reportlab_defaults():
        styles = Styles(edition.theme, layout.body)
        data, pages = _build(edition, layout, styles, options, pdfua.Tagger())
    return Rendered(data, pages, "page")


def _build(
    edition: Edition, layout: TrifoldPlan, s: Styles, options: Options, tagger: Tagging
) -> tuple[bytes, int]:
    tg = _Tags(tagger)
    # Tagged in reading order: the cover, the body, then the back panel.
    cover = _cover(edition, layout, s, options, tagger)
    story = _body(edition, layout, s, tg)
    back, code = _back(edition, s, tagger)
    buffer = io.BytesIO()
    doc = _Sheet(buffer, edition, layout, s, tagger, cover, back, code)
    try:
        doc.build(story, canvasmaker=tagger.canvasmaker)
    except LayoutError:
        raise LeafletError(
            f"the tri-fold cannot be laid out at {doc.current_section or 'its start'}: a block"
            " is taller than a panel (split long paragraphs or lists there, or build the"
            " standard leaflet)"
        ) from None
    if doc.too_full:
        raise LeafletError(doc.too_full)
    if doc.page > 2:
        over, first = doc.overflow
        raise LeafletError(trifold.over_message(edition, layout, over, first))
    return finished(tagger, buffer.getvalue(), edition), doc.page


def _body(edition: Edition, layout: TrifoldPlan, s: Styles, tg: _Tags) -> list[Flowable]:
    """The sections (as the plan sets them), the glossary and the sources, in the standard
    leaflet's blocks."""
    story: list[Flowable] = []

    def part(flowables: list[Flowable], key: str) -> list[Flowable]:
        # the flap ends with a whole part where the plan says so: the next starts inside 1
        breaks: list[Flowable] = [_EndFlap()] if key == layout.inside_from else []
        return [*breaks, *_part(flowables, key)]

    for number, section in enumerate(layout.sections):
        with tg.section(number):
            flowables = _tag(_section(s, section, number, tg.t), _name(edition, number))
            story += part(flowables, f"section:{number}")
    if edition.glossary is not None:
        story += part(_tag(_glossary(edition, s, tg.t), "glossary"), "glossary")
    story += part(_tag(_sources(edition, s, tg.t), "sources"), "sources")
    return story


def _part(flowables: list[Flowable], key: str) -> list[Flowable]:
    """Flowables marked with the plan's key of the part they set (for the over-fit message)."""
    for flowable in flowables:
        with suppress(AttributeError):  # reportlab Drawings refuse unknown attributes
            flowable.leaflet_part = key
    return flowables


def _sources(edition: Edition, s: Styles, t: Tagging) -> list[Flowable]:
    """The sources at the body's end (the contact and governance are the back panel's)."""
    with t.group("Sect"):
        heading, cited = source_list(edition, s, t)
    return [Spacer(1, s.u(4)), heading, *cited]


def _cover(
    edition: Edition, layout: TrifoldPlan, s: Styles, options: Options, t: Tagging
) -> list[Flowable]:
    """The front cover: the logo, the organisation, the title (the one H1) and subtitle."""
    title = edition.title
    out: list[Flowable] = []
    if title.logo is not None:
        png = prepared_image(options.project_dir, title.logo.path)
        side = 30 * MM
        fit = min(side / png.width_px, side / png.height_px)
        picture = _Picture(png, png.width_px * fit, png.height_px * fit)
        picture.hAlign = "LEFT"
        out += [t.figure(picture, alt=title.logo.alt), Spacer(1, s.u(8))]
    out.append(t.tag(s.para(s.rich((Run(title.organisation),)), s.org)))
    # the title a third of the way down the cover, under a rule in the theme's colour
    out += [Spacer(1, layout.panel("cover").text.height * 0.18), _Rule(s.primary, 3)]
    out.append(Spacer(1, s.u(10)))
    # the cover's title a size up from the leaflet's: it is read from a rack
    cover_title = ParagraphStyle(
        "cover_title", parent=s.title, **leaflet_type(layout.body.scale, "cover_title")
    )
    out.append(t.tag(s.para(s.rich(title.title), cover_title), "H1"))
    if title.subtitle:
        out.append(t.tag(s.para(s.rich(title.subtitle), s.subtitle)))
    return out


def _back(edition: Edition, s: Styles, t: Tagging) -> tuple[list[Flowable], list[Flowable]]:
    """The back panel: how to reach the organisation, the version and review dates and who
    wrote it, and the other formats; then, for the plan's `qr_slot` at the panel's foot, the
    QR code to the web edition with its address beside it (read last)."""
    with t.group("Div"):
        contact = [t.tag(s.para(s.rich(line), s.cell)) for line in edition.contact.lines]
    with t.group("Div"):
        governance = [
            t.tag(s.para(s.rich(line), s.small_cell)) for line in edition.governance.lines
        ]
        if edition.contact.also:
            governance.append(t.tag(s.para(s.rich(edition.contact.also), s.small_cell)))
    with t.group("Div"):
        code = _web_address(edition, s, t, with_also=False)
    return [_box(contact, s, width=None), Spacer(1, s.u(8)), *governance], code


class _EndFlap(ActionFlowable):  # type: ignore[misc]
    """Ends the flap here, if the body is still on it: the next part starts inside 1 (where
    the drawn flap held less than the plan said, it has moved on already)."""

    def __init__(self) -> None:
        super().__init__(("frameEnd",))

    def apply(self, doc: Any) -> None:
        if doc.frame.id == "flap":
            super().apply(doc)


class _Rule(Flowable):  # type: ignore[misc]
    """A short bar in the theme's colour (decoration)."""

    def __init__(self, colour: Any, thickness: float) -> None:
        super().__init__()
        self.colour, self.thickness = colour, thickness

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width * 0.4
        return self.width, self.thickness

    def draw(self) -> None:
        with pdfua.decoration(self.canv):
            self.canv.saveState()
            self.canv.setFillColor(self.colour)
            self.canv.rect(0, 0, self.width, self.thickness, stroke=0, fill=1)
            self.canv.restoreState()


def _frame(box: Box, name: str) -> Frame:
    return Frame(
        box.x,
        box.y,
        box.width,
        box.height,
        id=name,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )


class _Sheet(BaseDocTemplate):  # type: ignore[misc]
    """Two pages, the sheet's outside then its inside; the body flows through the flap's frame
    and then the three inside panels'. The cover and the back panel are set on the outside
    when it begins."""

    def __init__(
        self,
        buffer: Any,
        edition: Edition,
        layout: TrifoldPlan,
        styles: Styles,
        tagger: Tagging,
        cover: list[Flowable],
        back: list[Flowable],
        code: list[Flowable],
    ) -> None:
        self.layout = layout
        self.styles = styles
        self.fixed = {"cover": cover, "back": back, "code": code}
        self.current_section = ""
        self.current_part = "section:0"
        self.overflow_from = ""
        self.overflow = (0.0, "")
        self.too_full = ""
        """Why a fixed panel (cover, back) could not hold its content; empty: it could."""
        """How far the body ran past the last inside panel (points), and the part it ran
        past from."""
        self.sheet = Sheet(layout.size) if edition.spec.print_shop else None
        boxes = {"pagesize": layout.size} if self.sheet is None else self.sheet.doc_kwargs()
        self.edition = edition
        super().__init__(
            buffer,
            **boxes,
            leftMargin=0,
            rightMargin=0,
            topMargin=0,
            bottomMargin=0,
            title=plain(edition.title.title),
            author=edition.title.organisation,
            subject=edition.subject,
            keywords=list(edition.keywords),
            creator="leaflet",
            lang=edition.lang,
            invariant=1,
            initialFontName=register_reportlab_fonts(LEAFLET_FONT),
            initialFontSize=styles.body.fontSize,
            pageCompression=1,
        )
        body = {p.name: p for p in layout.body_panels}
        outside = PageTemplate(
            "outside",
            [_frame(body["flap"].text, "flap")],
            onPage=self._outside,
            autoNextPageTemplate="inside",
        )
        inside = PageTemplate(
            "inside",
            [_frame(body[name].text, name) for name in ("inside-1", "inside-2", "inside-3")],
            onPage=self._inside,
        )
        self.addPageTemplates([outside, inside])

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        if flowables:
            self.current_section = getattr(flowables[0], "leaflet_section", self.current_section)
            self.current_part = getattr(flowables[0], "leaflet_part", self.current_part)
            if self.page > 2 and not self.overflow_from:
                self.overflow_from = self.current_part
        super().handle_flowable(flowables)

    def _endBuild(self) -> None:
        if self.page > 2:
            # whole panels past the last inside one, and what is used of the one it ends in
            frames = [f.id for f in self.pageTemplate.frames]
            past = (self.page - 3) * len(frames) + frames.index(self.frame.id)
            used = self.frame._y2 - self.frame._y
            self.overflow = (past * self.layout.body.grid.height + used, self.overflow_from)
        # A body that ends on the flap still has a sheet with an inside: begin it, empty.
        if self.page == 1:
            self.handle_pageBreak()
            self.clean_hanging()
        super()._endBuild()

    def _print_shop(self, canvas: Any, folds: tuple[float, float]) -> None:
        """For a print shop: the page's origin moved to the trim's lower left, then the crop
        marks, the slug line and the fold marks, all outside the bleed (an artifact)."""
        sheet = self.sheet
        assert sheet is not None
        canvas.translate(sheet.offset, sheet.offset)
        edition = self.edition
        dates = edition.governance.dates
        day = dates.reviewed.isoformat() if dates else edition.governance.reviewed
        slug = " \u00b7 ".join(
            (edition.topic, f"v{edition.governance.version}", edition.spec.id, day)
        )
        with pdfua.decoration(canvas, "Page"):
            draw_marks(canvas, sheet, slug, self.styles.font)
            canvas.saveState()
            canvas.setStrokeColorCMYK(1, 1, 1, 1)
            canvas.setLineWidth(0.25)
            canvas.setDash(2, 2)
            canvas.lines(fold_marks(sheet, folds))
            canvas.restoreState()

    def _folds(self, canvas: Any, folds: tuple[float, float]) -> None:
        if self.sheet is None:
            self._fold_marks(canvas, folds)
        else:
            self._print_shop(canvas, folds)

    def _outside(self, canvas: Any, doc: Any) -> None:
        self._folds(canvas, self.layout.folds[0])
        cover = self.layout.panel("cover")
        self._set(canvas, cover, cover.text, self.fixed["cover"])
        back = self.layout.panel("back")
        # the back panel's text stands above the QR code's slot
        slot = self.layout.qr_slot
        above = slot.top + 6 * MM
        box = Box(back.text.x, above, back.text.width, back.text.top - above)
        self._set(canvas, back, box, self.fixed["back"])
        # the QR code and its address in the slot, across the panel's measure
        self._set(
            canvas, back, Box(back.text.x, slot.y, back.text.width, slot.height), self.fixed["code"]
        )

    def _inside(self, canvas: Any, doc: Any) -> None:
        self._folds(canvas, self.layout.folds[1])

    def _set(self, canvas: Any, panel: Panel, box: Box, flowables: list[Flowable]) -> None:
        """Fixed content into its panel's box; what does not fit is a message, never clipped."""
        if self.page > 1:
            return
        frame = _frame(box, panel.name)
        rest = list(flowables)
        while rest and frame.add(rest[0], canvas, trySplit=0):
            rest.pop(0)
        if rest and not self.too_full:
            what = FIXED[panel.name]
            # (raised after the build: reportlab rewrites what a page handler raises)
            self.too_full = (
                f"the tri-fold's {panel.name} panel cannot hold {what}: shorten them, or build"
                " the standard leaflet"
            )

    def _fold_marks(self, canvas: Any, folds: tuple[float, float]) -> None:
        """Short ticks on each fold line at the top and bottom edge, outside every panel's
        text (an artifact: they say where to fold, not what the leaflet says)."""
        height = self.layout.size[1]
        near, far = (mm * MM for mm in trifold.TICK_MM)
        with pdfua.decoration(canvas, "Layout"):
            canvas.saveState()
            canvas.setStrokeColor(self.styles.rule)
            canvas.setLineWidth(0.5)
            for x in folds:
                canvas.line(x, near, x, far)
                canvas.line(x, height - near, x, height - far)
            canvas.restoreState()
