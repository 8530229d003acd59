"""Edition → slide plans: every slide's layout, title, blocks and notes, measured and fitted.

The plan reads only the edition's blocks and its catalogue: compose has decided every word,
its order and every alt text; the plan decides where each goes and at what size. Shape names
("Body", "Site list") are names for someone editing the template, like python-pptx's own
"Title 1", and are not translated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from typing import Literal, TypeVar

from leaflet.deck.fit import (
    INSET_X_PT,
    INSET_Y_PT,
    LINE_HEIGHT,
    Cell,
    Para,
    Row,
    fit_pages,
    fit_size,
    fit_table,
    frame_height,
    line_count,
    paras_height,
    plain_para,
    row_height,
)
from leaflet.diagram.scene import Marker, Scene, build_scene
from leaflet.diagram.words import SceneWords
from leaflet.edition import blocks as eb
from leaflet.edition.compose import Edition
from leaflet.errors import LeafletError
from leaflet.fonts import DECK_MEASURE_FONT, text_width_pt
from leaflet.i18n import sentence_case
from leaflet.inline import Run

_T = TypeVar("_T")

SLIDE_W_PT = 960.0
"""13.333 in: 16:9."""
SLIDE_H_PT = 540.0
"""7.5 in."""
MARGIN_PT = 43.2
"""0.6 in each side."""
CONTENT_W_PT = SLIDE_W_PT - 2 * MARGIN_PT
TITLE_BAR_PT = 86.4
"""The title placeholder is the coloured bar across the top; it grows for a long title."""
TITLE_INSET_X_PT = MARGIN_PT + 7.2
"""The title's side insets, so its text lines up with the body text."""
ACCENT_PT = 6.0
"""The accent strip under the title bar."""
BODY_GAP_PT = 20.0
"""Between the accent strip and the body."""
BODY_BOTTOM_PT = 486.0
FOOTER_TOP_PT = 498.0
FOOTER_H_PT = 30.0
GUTTER_PT = 24.0

BODY_MAX, BODY_MIN = 28.0, 18.0
TABLE_MAX, TABLE_MIN = 20.0, 18.0
TITLE_MAX, TITLE_MIN = 36.0, 28.0
COVER_TITLE_MAX = 48.0
COVER_SUB_MAX, COVER_SUB_MIN = 28.0, 24.0
FOOTER_MAX, FOOTER_MIN = 14.0, 8.0
DIAGRAM_LABEL_PT = BODY_MIN
"""Diagram labels, captions and legend are asked for at the body text's floor."""
DIAGRAM_LABEL_MIN_PT = 14.0
"""Below this a diagram's labels are not readable from the back of a room: the build stops."""
DIAGRAM_TEXT_MIN_W = 0.3 * CONTENT_W_PT
"""The narrowest text column beside a diagram; a diagram that needs more goes alone."""
CARDS_MIN = 22.0
"""Cards (types, treatments) share a slide while their text fits at this size or larger."""
PAIR_TEXT_SHARE = 0.4
"""Beside a pair of diagrams, the text above them takes at most this share of the body."""
LEAD_SHARE = 0.35
"""A table's lead text shares its slide only while it takes at most this share of the body."""


@dataclass(frozen=True)
class Rect:
    """A place on the slide, in points from the top left."""

    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True)
class TextBlock:
    """A text frame: a layout placeholder (by idx) or a free text box."""

    rect: Rect
    paras: tuple[Para, ...]
    size_pt: float
    """The size of a paragraph with scale 1."""
    name: str
    """Shape name, seen in PowerPoint's selection pane."""
    placeholder: int | None = None
    """The layout placeholder to fill, or None for a text box."""
    align: Literal["left", "right"] = "left"


@dataclass(frozen=True)
class TableBlock:
    """A native table: a header row repeated on every page, then body rows."""

    rect: Rect
    widths: tuple[float, ...]
    """Column widths in points, summing to the rect's width."""
    rows: tuple[Row, ...]
    """Header first."""
    heights: tuple[float, ...]
    """Each row's measured height in points."""
    size_pt: float
    name: str


@dataclass(frozen=True)
class DiagramBlock:
    """The body-site diagram, drawn as a group of native shapes."""

    rect: Rect
    """Exactly the room the scene takes at its fitted size."""
    view: Literal["body", "hand"]
    sites: tuple[tuple[str, str], ...]
    """(site id, side) in content order."""
    alt: str
    """Alt text for the group."""
    name: str
    scene: Scene
    """The laid-out diagram, its text sized for this rect."""
    label_pt: float
    """The size its labels, captions and legend come out at in the rect."""


@dataclass(frozen=True)
class PictureBlock:
    """An image from the project folder (the organisation's logo)."""

    rect: Rect
    path: str
    """Relative to the content file."""
    alt: str
    name: str


@dataclass(frozen=True)
class QrBlock:
    """The QR code to the topic's web page, drawn as native shapes (leaflet.qr)."""

    rect: Rect
    """A square: the symbol with its white quiet zone."""
    url: str
    alt: str
    """Where it leads ("QR code: opens https://…")."""
    name: str


QR_PT = 170.0
"""The closing slide's QR code, quiet zone included (60 mm: scans from the back of a room
when projected, and from a printed handout)."""

Block = TextBlock | TableBlock | DiagramBlock | PictureBlock | QrBlock
Layout = Literal["cover", "content", "title_only"]


@dataclass(frozen=True)
class SlidePlan:
    """One slide before drawing."""

    layout: Layout
    """cover: the title and closing slides; content: title and body; title_only: anything else."""
    title: str
    """Plain text, in the title placeholder."""
    title_rect: Rect
    title_size: float
    blocks: tuple[Block, ...]
    notes: str
    """Speaker notes: plain text, never empty."""
    footer: tuple[TextBlock, TextBlock] | None
    """Footer text and slide number, on content slides."""
    series: str = ""
    """The title a run of slides shares before they are numbered ("Management" for
    "Management (2 of 3)"); empty for a slide that is never one of several."""


FOOTER_RECT = Rect(MARGIN_PT, FOOTER_TOP_PT, CONTENT_W_PT - 110, FOOTER_H_PT)
NUMBER_RECT = Rect(SLIDE_W_PT - MARGIN_PT - 100, FOOTER_TOP_PT, 100, FOOTER_H_PT)


def body_top(title_rect: Rect) -> float:
    return title_rect.bottom + ACCENT_PT + BODY_GAP_PT


TITLE_MAX_LINES = 3
"""The most lines a content slide's title bar grows to, at TITLE_MIN."""
COVER_TITLE_MAX_LINES = 4
"""The most lines the title slide's title takes, at TITLE_MIN."""


class TitleTooLong(LeafletError):
    """A title that cannot fit its slide at the smallest title size; the planner says where."""

    def __init__(self, title: str, lines: int, most: int) -> None:
        self.title, self.taken, self.most = title, lines, most
        super().__init__(
            f"the title '{title}' takes {lines} lines at {TITLE_MIN:g} pt; a slide has room for"
            f" {most}"
        )


class PlacedTitleTooLong(LeafletError):
    """A TitleTooLong with the part of the content whose slide it titles (`where`, as
    `sections[3]`); `leaflet check` reports it at the title's own line and column."""

    def __init__(self, where: str, error: TitleTooLong) -> None:
        self.where, self.title, self.taken, self.most = where, error.title, error.taken, error.most
        super().__init__(f"deck: {where}: {self.problem}: shorten it")

    @property
    def problem(self) -> str:
        return (
            f"the title '{self.title}' takes {self.taken} lines at {TITLE_MIN:g} pt, and a"
            f" slide has room for {self.most}"
        )


def title_para(text: str) -> Para:
    """A title as measured: in bold, as the master sets it."""
    return plain_para(Run(text, bold=True), bullet=False)


def fit_title(text: str) -> tuple[Rect, float]:
    """The bar and size for a content slide's title: shrink to 28 pt, then let the bar grow to
    TITLE_MAX_LINES; a longer title is a TitleTooLong."""
    paras = [title_para(text)]
    inner = SLIDE_W_PT - 2 * TITLE_INSET_X_PT
    for size in range(int(TITLE_MAX), int(TITLE_MIN) - 1, -1):
        if paras_height(paras, inner, size) + 2 * INSET_Y_PT <= TITLE_BAR_PT:
            return Rect(0, 0, SLIDE_W_PT, TITLE_BAR_PT), float(size)
    lines = line_count(paras[0], inner, TITLE_MIN)
    if lines > TITLE_MAX_LINES:
        raise TitleTooLong(text, lines, TITLE_MAX_LINES)
    height = paras_height(paras, inner, TITLE_MIN) + 2 * INSET_Y_PT + 8
    return Rect(0, 0, SLIDE_W_PT, height), TITLE_MIN


def footer_blocks(edition: Edition) -> tuple[TextBlock, TextBlock]:
    governance = edition.governance
    text = edition.words.term(
        "deck.footer", organisation=edition.title.organisation, version=governance.version
    )
    if edition.notice is not None:
        text = f"{text} · {edition.notice}"
    paras = (plain_para(text, bullet=False),)
    rect = FOOTER_RECT
    size = fit_size(paras, rect.width, rect.height, FOOTER_MAX, FOOTER_MIN) or FOOTER_MIN
    number_rect = NUMBER_RECT
    number = TextBlock(
        number_rect, (plain_para("#", bullet=False),), FOOTER_MAX, "Slide number", align="right"
    )
    return TextBlock(rect, paras, size, "Footer"), number


def labelled(label: str, text: Sequence[Run], **options: object) -> Para:
    """A paragraph led by a bold label: '**Mechanism:** …'."""
    return Para((Run(f"{label} ", bold=True), *text), **options)  # type: ignore[arg-type]


def lead_in(text: str | Sequence[Run]) -> Para:
    spans = [Run(text)] if isinstance(text, str) else list(text)
    bold = tuple(replace(span, bold=True) for span in spans)
    return Para(bold, bullet=False, keep_with_next=True, space_before=0.7)


def notes_of(paras: Sequence[Para]) -> str:
    return "\n".join(f"{p.text} {p.note}".strip() for p in paras if p.text.strip())


@dataclass
class _Part:
    """A section while it is planned: the text not yet placed, and the slides made so far."""

    title: str
    cue: str
    pending: list[Para]
    slides: list[SlidePlan]
    closing: bool = False
    """True once a structured block is placed: a paragraph after one closes the section."""


class Planner:
    """Builds the slide plans of one edition; each block type has a rule in RULES."""

    def __init__(self, edition: Edition) -> None:
        self.edition = edition
        self.words = edition.words
        self.footer = footer_blocks(edition)

    def term(self, key: str, **fields: str) -> str:
        return self.words.term(key, **fields)

    def continued(self, title: str) -> str:
        """The longest a title of this series can become once numbered, to size its bar."""
        big = self.words.number(88)
        return self.part_title(title, big, big)

    def bar(self, title: str) -> Rect:
        """The title bar a slide of this series needs, numbered or not."""
        try:
            return fit_title(self.continued(title))[0]
        except TitleTooLong as error:
            raise TitleTooLong(title, error.taken, error.most) from None

    def part_title(self, title: str, part: str, parts: str) -> str:
        """'Management (2 of 3)'."""
        return self.term("deck.part_title", title=title, part=part, parts=parts)

    def slide(
        self,
        layout: Layout,
        title: str,
        blocks: Sequence[Block],
        notes: str,
        title_rect: Rect | None = None,
        title_size: float | None = None,
    ) -> SlidePlan:
        if title_rect is None or title_size is None:
            title_rect, title_size = fit_title(title)
        footer = None if layout == "cover" else self.footer
        series = "" if layout == "cover" else title
        return SlidePlan(
            layout, title, title_rect, title_size, tuple(blocks), notes, footer, series
        )

    def text_slides(
        self,
        title: str,
        paras: Sequence[Para],
        cue: str,
        *,
        width: float = CONTENT_W_PT,
        continued: bool = False,
    ) -> list[SlidePlan]:
        """Paragraphs in the body placeholder, shrunk to fit, then continued."""
        bar = self.bar(title)
        top = body_top(bar)
        size, pages = fit_pages(paras, width, BODY_BOTTOM_PT - top, BODY_MAX, BODY_MIN)
        slides = []
        for k, page in enumerate(pages):
            height = frame_height(page, width, size)
            rect = Rect(MARGIN_PT, top, width, max(height, BODY_BOTTOM_PT - top))
            block = TextBlock(rect, tuple(page), size, "Body", placeholder=1)
            lead = self.term("deck.continued_cue", cue=cue) if k or continued else cue
            slides.append(self.slide("content", title, [block], f"{lead}\n\n{notes_of(page)}"))
        return slides

    def table_slides(
        self,
        title: str,
        lead: Sequence[Para],
        header: Row,
        rows: Sequence[Row],
        widths: Sequence[float],
        cue: str,
        row_notes: Sequence[str],
        name: str,
    ) -> list[SlidePlan]:
        """A native table under optional lead text; rows continue on '(cont.)' slides."""
        bar = self.bar(title)
        top = body_top(bar)
        room = BODY_BOTTOM_PT - top
        slides: list[SlidePlan] = []
        lead_block: TextBlock | None = None
        if lead:
            size = fit_size(lead, CONTENT_W_PT, LEAD_SHARE * room, 24, BODY_MIN)
            if size is None:
                slides += self.text_slides(title, lead, cue)
            else:
                height = frame_height(lead, CONTENT_W_PT, size)
                lead_block = TextBlock(
                    Rect(MARGIN_PT, top, CONTENT_W_PT, height), tuple(lead), size, "Lead"
                )
        table_top = top + (lead_block.rect.height + 12 if lead_block else 0)
        size, pages = fit_table(
            header, rows, widths, BODY_BOTTOM_PT - table_top, TABLE_MAX, TABLE_MIN
        )
        for k, page in enumerate(pages):
            first = k == 0 and not slides
            this_top = table_top if k == 0 else top
            all_rows = (header, *(row for _, row in page))
            heights = tuple(row_height(r, widths, size) for r in all_rows)
            rect = Rect(MARGIN_PT, this_top, CONTENT_W_PT, sum(heights))
            table = TableBlock(rect, tuple(widths), all_rows, heights, size, name)
            blocks: list[Block] = [table]
            if k == 0 and lead_block is not None:
                blocks.insert(0, lead_block)
            shown = [row_notes[i] for i in dict.fromkeys(i for i, _ in page)]
            lead_note = notes_of(lead) + "\n\n" if k == 0 and lead_block else ""
            opening = cue if first else self.term("deck.continued_short", cue=cue)
            notes = f"{opening}\n\n{lead_note}" + "\n".join(shown)
            slides.append(self.slide("title_only", title, blocks, notes))
        return slides

    def build(self) -> list[SlidePlan]:
        slides = [self.located("meta.title", self.cover)]
        slides += self.located("deck.overview", self.overview)
        opening = len(slides)
        for section in self.edition.sections:
            where = f"sections[{section.number}]" if section.number >= 0 else "warning_signs"
            made = self.located(where, partial(self.section, section))
            shared = self.shared(slides[-1], section, made) if len(slides) > opening else None
            if shared is None:
                slides += made
            else:
                slides[-1] = shared
        slides += self.located("sources", self.references)
        slides.append(self.located("meta.organisation", self.closing))
        return self.located("a title numbered", lambda: self.numbered(slides))

    def shared(
        self, previous: SlidePlan, section: eb.Section, made: Sequence[SlidePlan]
    ) -> SlidePlan | None:
        """The previous slide with a one-bullet section added under its heading (a bold
        lead-in), where both fit at the body text's floor or larger; else None.

        Into a text slide, the text is fitted again as one frame; onto a table slide, it goes
        under the table, in the room left."""
        if len(made) != 1 or len(made[0].blocks) != 1:
            return None
        (body,) = made[0].blocks
        if made[0].layout != "content" or not isinstance(body, TextBlock) or len(body.paras) != 1:
            return None
        added = [lead_in(eb.plain(section.heading)), *body.paras]
        notes = f"{previous.notes}\n\n{made[0].notes}"
        last = previous.blocks[-1] if previous.blocks else None
        if previous.layout == "content" and len(previous.blocks) == 1:
            assert isinstance(last, TextBlock)
            paras = [*last.paras, *added]
            room = BODY_BOTTOM_PT - last.rect.top
            size = fit_size(paras, last.rect.width, room, last.size_pt, BODY_MIN)
            if size is None:
                return None
            block = replace(last, paras=tuple(paras), size_pt=size)
            return replace(previous, blocks=(block,), notes=notes)
        if previous.layout == "title_only" and isinstance(last, TableBlock):
            top = last.rect.bottom + 12
            size = fit_size(added, CONTENT_W_PT, BODY_BOTTOM_PT - top, 24, BODY_MIN)
            if size is None:
                return None
            height = frame_height(added, CONTENT_W_PT, size)
            text = TextBlock(Rect(MARGIN_PT, top, CONTENT_W_PT, height), tuple(added), size, "Text")
            return replace(previous, blocks=(*previous.blocks, text), notes=notes)
        return None

    def located(self, where: str, make: Callable[[], _T]) -> _T:
        """What `make` returns; a title too long for its slide is reported with its place."""
        try:
            return make()
        except TitleTooLong as error:
            raise PlacedTitleTooLong(where, error) from None

    def numbered(self, slides: Sequence[SlidePlan]) -> list[SlidePlan]:
        """The slides sharing a title, numbered in deck order ("Management (2 of 3)"), so
        that every title is unique; the bars were sized for the numbered form (`continued`)."""
        counts = Counter(s.series for s in slides if s.series)
        seen: Counter[str] = Counter()
        out: list[SlidePlan] = []
        for slide in slides:
            if counts[slide.series] < 2:
                out.append(slide)
                continue
            seen[slide.series] += 1
            title = self.part_title(
                slide.series,
                self.words.number(seen[slide.series]),
                self.words.number(counts[slide.series]),
            )
            rect, size = fit_title(title)
            out.append(replace(slide, title=title, title_rect=rect, title_size=size))
        return out

    # the title, the overview and the closing slide ------------------------------------------
    def cover(self) -> SlidePlan:
        edition = self.edition
        title, governance = edition.title, edition.governance
        heading = eb.plain(title.title)
        subtitle = edition.subject
        line = self.term(
            "deck.cover_line",
            organisation=title.organisation,
            version=governance.version,
            reviewed=governance.reviewed,
        )
        lines = (
            plain_para(subtitle, bullet=False),
            plain_para(line, bullet=False, scale=0.75, space_before=1.0),
        )
        logo: list[Block] = []
        if title.logo:
            logo.append(
                PictureBlock(Rect(MARGIN_PT, 40, 100, 100), title.logo.path, title.logo.alt, "Logo")
            )
        notes = self.term(
            "deck.cover_notes",
            title=heading,
            subtitle=subtitle,
            organisation=title.organisation,
            authors=governance.credits,
            version=governance.version,
            published=governance.published,
            reviewed=governance.reviewed,
            next_review=governance.next_review,
            licence=governance.licence,
        )
        return self.cover_slide(heading, lines, logo, notes)

    def cover_slide(
        self,
        title: str,
        lines: Sequence[Para],
        extra: Sequence[Block],
        notes: str,
        width: float = CONTENT_W_PT,
    ) -> SlidePlan:
        """Title and subtitle stacked and centred vertically below the logo band, `width`
        wide from the left margin (the rest is the extra blocks')."""
        title_paras = [title_para(title)]
        band_top, band_bottom = 160.0, SLIDE_H_PT - 30
        sub_size = fit_size(lines, width, 200, COVER_SUB_MAX, COVER_SUB_MIN)
        sub_size = sub_size or COVER_SUB_MIN
        sub_h = frame_height(lines, width, sub_size)
        room = min(180.0, band_bottom - band_top - sub_h - 16)
        title_size = fit_size(title_paras, width, room, COVER_TITLE_MAX, TITLE_MIN)
        if title_size is None:
            inner = width - 2 * INSET_X_PT
            lines_taken = line_count(title_paras[0], inner, TITLE_MIN)
            most = int((room - 2 * INSET_Y_PT) // (TITLE_MIN * LINE_HEIGHT))
            raise TitleTooLong(title, lines_taken, min(most, COVER_TITLE_MAX_LINES))
        title_h = frame_height(title_paras, width, title_size)
        top = max(band_top, band_top + (band_bottom - band_top - title_h - sub_h - 16) / 2)
        title_rect = Rect(MARGIN_PT, top, width, title_h)
        sub_rect = Rect(MARGIN_PT, top + title_h + 16, width, sub_h)
        sub = TextBlock(sub_rect, tuple(lines), sub_size, "Subtitle", placeholder=1)
        return self.slide("cover", title, [sub, *extra], notes, title_rect, title_size)

    def overview(self) -> list[SlidePlan]:
        edition = self.edition
        headings = [eb.plain(s.heading) for s in edition.sections]
        headings.append(edition.sources.heading)
        paras = [plain_para(h) for h in headings]
        cue = self.term("deck.overview_cue", topic=edition.topic)
        return self.text_slides(self.agenda_title(headings), paras, cue)

    def agenda_title(self, headings: Sequence[str]) -> str:
        """'Overview', or 'Contents' where a section is itself called 'Overview'."""
        taken = {h.casefold() for h in headings}
        title = self.term("deck.overview")
        return self.term("deck.agenda") if title.casefold() in taken else title

    def references(self) -> list[SlidePlan]:
        sources = self.edition.sources
        paras = []
        for k, source in enumerate(sources.items, 1):
            # the citation is the link's text; its address is for the notes, not read aloud
            citation = [
                span if span.url or not source.url else replace(span, url=source.url)
                for span in source.citation
            ]
            spans: list[Run] = [Run(f"{self.words.number(k)}. "), *citation]
            if source.accessed:
                spans.append(Run(self.term("deck.accessed", date=source.accessed)))
            paras.append(Para(tuple(spans), bullet=False, note=source.url or ""))
        return self.text_slides(sources.heading, paras, sources.cue)

    def closing(self) -> SlidePlan:
        edition = self.edition
        contact, governance = edition.contact, edition.governance
        lines = [
            plain_para(contact.organisation, bullet=False),
            plain_para(self.term("deck.telephone", phone=contact.phone), bullet=False),
        ]
        # plain text, not links: the theme's link colour is the primary, this slide's background
        lines.append(plain_para(contact.website, bullet=False))
        if contact.email:
            lines.append(plain_para(contact.email, bullet=False))
        if contact.address:
            lines.append(plain_para(contact.address, bullet=False))
        extra: list[Block] = []
        width = CONTENT_W_PT
        if contact.web_address:
            # the topic's own page, beside its QR code at the right of the slide
            lines.append(plain_para(contact.web_address, bullet=False))
            width = CONTENT_W_PT - QR_PT - 24
            rect = Rect(
                SLIDE_W_PT - MARGIN_PT - QR_PT, 160 + (SLIDE_H_PT - 190 - QR_PT) / 2, QR_PT, QR_PT
            )
            extra.append(QrBlock(rect, contact.web_address, contact.qr_alt, "QR code"))
        lines = [replace(p, scale=0.85, space_before=0.3) for p in lines]
        reach = [contact.website, *([contact.email] if contact.email else [])]
        notes = (
            self.term(
                "deck.closing_notes",
                organisation=contact.organisation,
                phone=contact.phone,
                contact=", ".join(reach),
            )
            + "\n"
            + self.term(
                "deck.closing_governance",
                version=governance.version,
                reviewed=governance.reviewed,
                next_review=governance.next_review,
                licence=governance.licence,
            )
        )
        return self.cover_slide(self.term("deck.questions"), lines, extra, notes, width)

    # sections: their blocks, through RULES ---------------------------------------------------
    def section(self, section: eb.Section) -> list[SlidePlan]:
        part = _Part(eb.plain(section.heading), section.cue, [], [])
        body = list(section.body)
        k = 0
        while k < len(body):
            block, after = body[k], body[k + 1] if k + 1 < len(body) else None
            if (
                isinstance(block, eb.Figure)
                and isinstance(after, eb.Figure)
                and (block.view, after.view) == ("body", "hand")
                and self.figure_pair(part, block, after)
            ):
                k += 2
                continue
            self.place(part, block)
            k += 1
        if part.pending:
            part.slides += self.text_slides(part.title, part.pending, part.cue)
        return part.slides

    def place(self, part: _Part, block: eb.Block) -> None:
        try:
            rule = RULES[type(block)]
        except KeyError:
            raise TypeError(f"the deck has no rule for a {type(block).__name__} block") from None
        rule(self, part, block)

    def paragraph(self, part: _Part, block: eb.Block) -> None:
        assert isinstance(block, eb.Paragraph)
        if part.closing:
            # after the section's structured blocks: a line of its own, set apart
            part.pending.append(Para(block.text, bullet=False, space_before=0.7))
        else:
            part.pending.append(_para(block))

    def bullet_list(self, part: _Part, block: eb.Block) -> None:
        assert isinstance(block, eb.BulletList)
        if block.lead:
            part.pending.append(lead_in(block.lead))
        for item in block.items:
            part.pending.append(Para(item.text))
            if item.quote:
                part.pending.append(self.quoted(item.quote))
            if item.aside:
                part.pending += self.aside(item.aside)
        part.closing = True

    def quoted(self, text: Sequence[Run]) -> Para:
        """The other audience's words, quoted in italics under the item."""
        opening, _, closing = self.term("deck.quote", quote="\ue000").partition("\ue000")
        spans = [replace(s, italic=True) for s in text] or [Run("", italic=True)]
        # the marks join the words they enclose, so that they wrap with them
        spans[0] = replace(spans[0], text=opening + spans[0].text)
        spans[-1] = replace(spans[-1], text=spans[-1].text + closing)
        return Para(tuple(spans), level=1, bullet=False, space_before=0.1)

    def aside(self, callout: eb.Callout) -> list[Para]:
        """An item's own callout (a risk factor's advice), indented under it."""
        paras = []
        for inner in callout.body:
            if not isinstance(inner, eb.Paragraph):
                raise TypeError(f"the deck has no rule for a {type(inner).__name__} in an aside")
            paras.append(_para(inner, level=1, bullet=False, space_before=0.2))
        return paras

    def callout(self, part: _Part, block: eb.Block) -> None:
        assert isinstance(block, eb.Callout)
        if block.lead:
            part.pending.append(lead_in(block.lead))
        for inner in block.body:
            self.place(part, inner)

    def figure(self, part: _Part, block: eb.Block) -> None:
        assert isinstance(block, eb.Figure)
        paras = part.pending
        if block.list_lead:
            paras.append(lead_in(block.list_lead))
        paras += [plain_para(t) for t in block.terms]
        title = eb.plain(block.heading) or part.title
        part.slides += self.diagram_slides(title, paras, block)
        part.pending = []
        part.closing = True

    def table(self, part: _Part, block: eb.Block) -> None:
        assert isinstance(block, eb.Table)
        header: Row = tuple((plain_para(Run(h, bold=True), bullet=False),) for h in block.header)
        rows: list[Row] = [tuple(_cell(cell) for cell in row) for row in block.rows]
        part.slides += self.table_slides(
            part.title,
            part.pending,
            header,
            rows,
            _widths(block.shares),
            block.cue,
            block.row_notes,
            block.name,
        )
        part.pending = []
        part.closing = True

    def cards(self, part: _Part, block: eb.Block) -> None:
        assert isinstance(block, eb.Cards)
        if part.pending:
            part.slides += self.text_slides(part.title, part.pending, part.cue)
            part.pending = []
        groups: list[list[eb.Card]] = []
        for card in block.items:
            if groups and self.cards_fit(part.title, [*groups[-1], card]):
                groups[-1].append(card)
            else:
                groups.append([card])
        for group in groups:
            if len(group) == 1:
                (card,) = group
                name = eb.plain(card.title)
                paras = [_para(p) for p in card.body]
                part.slides += self.text_slides(name, paras, card.notes or f"{name}.")
            else:
                notes = "\n".join(c.notes or f"{eb.plain(c.title)}." for c in group)
                part.slides += self.text_slides(
                    self.cards_title(part.title, group), _card_paras(group), notes
                )
        part.closing = True

    def cards_title(self, section: str, cards: Sequence[eb.Card]) -> str:
        """The cards' names as a series ("Idiopathic calcinosis and iatrogenic calcinosis")
        where that fits the bar on one line, else the section's title."""
        first, *rest = [eb.plain(c.title) for c in cards]
        names = self.words.join([first, *(sentence_case(n) for n in rest)])
        inner = SLIDE_W_PT - 2 * TITLE_INSET_X_PT
        numbered = self.continued(names)
        return names if line_count(title_para(numbered), inner, TITLE_MIN) == 1 else section

    def cards_fit(self, title: str, cards: Sequence[eb.Card]) -> bool:
        """Whether these cards share one slide with their text at CARDS_MIN or larger: a
        two-line card alone on a slide looks unfinished."""
        room = BODY_BOTTOM_PT - body_top(self.bar(title))
        return fit_size(_card_paras(cards), CONTENT_W_PT, room, BODY_MAX, CARDS_MIN) is not None

    def figure_pair(self, part: _Part, body: eb.Figure, hand: eb.Figure) -> bool:
        """The body and hand views side by side under the section's text, on one slide, when
        both keep DIAGRAM_LABEL_PT labels there; False (nothing placed) when they do not."""
        title = eb.plain(body.heading) or part.title
        top = body_top(self.bar(title))
        room = BODY_BOTTOM_PT - top
        text = list(part.pending)
        if body.terms:
            listed = self.words.join([sentence_case(t) for t in body.terms])
            text.append(labelled(body.list_lead or "", (Run(listed),), bullet=False))
        size = fit_size(text, CONTENT_W_PT, PAIR_TEXT_SHARE * room, 24, BODY_MIN) if text else 0
        if size is None:
            return False
        text_h = frame_height(text, CONTENT_W_PT, size) + 12 if text else 0.0
        figure_top, figure_h = top + text_h, room - text_h
        half = (CONTENT_W_PT - GUTTER_PT) / 2
        placed: list[Block] = []
        for k, figure in enumerate((body, hand)):
            scene, width, height, label = diagram_scene(
                figure.sites, figure.view, figure.words, half, figure_h
            )
            if label < DIAGRAM_LABEL_PT - 0.01:
                return False
            left = MARGIN_PT + k * (half + GUTTER_PT) + (half - width) / 2
            rect = Rect(left, figure_top + (figure_h - height) / 2, width, height)
            name = "Body-site diagram" if figure.view == "body" else "Hand diagram"
            placed.append(
                DiagramBlock(rect, figure.view, figure.sites, figure.alt, name, scene, label)
            )
        blocks: list[Block] = []
        if text:
            rect = Rect(MARGIN_PT, top, CONTENT_W_PT, text_h - 12)
            blocks.append(TextBlock(rect, tuple(text), float(size), "Site list"))
        blocks += placed
        cues = "\n\n".join(f.description or f.alt for f in (body, hand))
        shown = notes_of(text) + "\n\n" if text else ""
        alts = "\n".join(self.term("deck.alt_note", alt=f.alt) for f in (body, hand))
        part.slides.append(self.slide("title_only", title, blocks, f"{cues}\n\n{shown}{alts}"))
        part.pending = []
        part.closing = True
        return True

    def diagram_slides(
        self, title: str, paras: Sequence[Para], figure: eb.Figure
    ) -> list[SlidePlan]:
        """The diagram as tall as the body, text in the column left beside it; extra text continues.

        A diagram whose labels cannot reach DIAGRAM_LABEL_PT beside a DIAGRAM_TEXT_MIN_W column
        takes the whole body alone, and its text continues on the next slides.
        """
        view, sites, alt = figure.view, figure.sites, figure.alt
        bar = self.bar(title)
        top = body_top(bar)
        room = BODY_BOTTOM_PT - top
        beside = CONTENT_W_PT - GUTTER_PT - DIAGRAM_TEXT_MIN_W
        marker = figure.marker
        scene, width, height, label = diagram_scene(sites, view, figure.words, beside, room, marker)
        alone = label < DIAGRAM_LABEL_PT - 0.01
        if alone:
            scene, width, height, label = diagram_scene(
                sites, view, figure.words, CONTENT_W_PT, room, marker
            )
            if label < DIAGRAM_LABEL_MIN_PT:
                raise LeafletError(
                    f"deck: the {view} diagram cannot label {len(sites)} sites at"
                    f" {DIAGRAM_LABEL_MIN_PT:g} pt or larger on a slide (its labels would be"
                    f" {label:.1f} pt); list fewer sites on one side, or use side: both"
                )
        blocks: list[Block] = []
        rest: list[Para] = list(paras)
        if not alone:
            text_w = CONTENT_W_PT - GUTTER_PT - width
            size, pages = fit_pages(paras, text_w, room, 24, BODY_MIN)
            blocks.append(
                TextBlock(
                    Rect(MARGIN_PT, top, text_w, frame_height(pages[0], text_w, size)),
                    tuple(pages[0]),
                    size,
                    "Site list",
                )
            )
            rest = [p for page in pages[1:] for p in page]
            left = SLIDE_W_PT - MARGIN_PT - width
        else:
            left = MARGIN_PT + (CONTENT_W_PT - width) / 2
        name = "Body-site diagram" if view == "body" else "Hand diagram"
        rect = Rect(left, top + (room - height) / 2, width, height)
        blocks.append(DiagramBlock(rect, view, sites, alt, name, scene, label))
        shown = notes_of(blocks[0].paras) + "\n\n" if isinstance(blocks[0], TextBlock) else ""
        cue = figure.description or alt
        notes = f"{cue}\n\n{shown}" + self.term("deck.alt_note", alt=alt)
        slides = [self.slide("title_only", title, blocks, notes)]
        if rest:
            slides += self.text_slides(title, rest, cue, continued=True)
        return slides


def _card_paras(cards: Sequence[eb.Card]) -> list[Para]:
    """Cards sharing a slide: each one's title leads its paragraphs, in bold."""
    paras: list[Para] = []
    for card in cards:
        paras.append(lead_in(card.title))
        paras += [_para(p) for p in card.body]
    return paras


def _para(paragraph: eb.Paragraph, **options: object) -> Para:
    """A paragraph block as measured text, its label (if any) leading it in bold."""
    if paragraph.label:
        return labelled(paragraph.label, paragraph.text, **options)
    return Para(paragraph.text, **options)  # type: ignore[arg-type]


def _cell(paragraphs: Sequence[eb.Paragraph]) -> Cell:
    """A table cell's paragraphs: no bullets, a little space between them."""
    first, *rest = [_para(p, bullet=False) for p in paragraphs] or [Para((), bullet=False)]
    return (first, *(replace(p, space_before=0.2) for p in rest))


def _widths(shares: Sequence[float]) -> tuple[float, ...]:
    widths = [round(CONTENT_W_PT * s, 1) for s in shares[:-1]]
    return (*widths, round(CONTENT_W_PT - sum(widths), 1))


def _measure(text: str, size: float) -> float:
    return text_width_pt(text, DECK_MEASURE_FONT, "regular", size)


def _measure_bold(text: str, size: float) -> float:
    return text_width_pt(text, DECK_MEASURE_FONT, "bold", size)


@lru_cache(maxsize=32)
def diagram_scene(
    sites: Sequence[tuple[str, str]],
    view: Literal["body", "hand"],
    words: SceneWords,
    width_pt: float,
    height_pt: float,
    marker: Marker = "lumps",
) -> tuple[Scene, float, float, float]:
    """The diagram with labels asked for at DIAGRAM_LABEL_PT in a box, measured with Arimo.

    Returns the scene, the width and height it takes in the box, and its label size in points.
    Kept per process: the scene is immutable and a function of these arguments alone, and a
    process that renders again (tests, a watch loop) need not lay it out again.
    """
    scene = build_scene(
        sites,  # type: ignore[arg-type]
        view=view,
        audience="clinician",
        measure=_measure,
        measure_bold=_measure_bold,
        title="",
        label_pt=DIAGRAM_LABEL_PT,
        height_pt=height_pt,
        width_pt=width_pt,
        words=words,
        marker=marker,
    )
    width, height = scene.fitted(width_pt, height_pt)
    # rounded, so that float noise never reads as a size below the one asked for
    return scene, width, height, round(scene.label_size * height, 6)


Rule = Callable[[Planner, _Part, eb.Block], None]

RULES: dict[type, Rule] = {
    eb.Paragraph: Planner.paragraph,
    eb.BulletList: Planner.bullet_list,
    eb.Callout: Planner.callout,
    eb.Figure: Planner.figure,
    eb.Table: Planner.table,
    eb.Cards: Planner.cards,
}
"""How each block inside a section becomes slide text or slides; a block type with no rule is
an error, never a skip."""


def plan(edition: Edition) -> list[SlidePlan]:
    """The whole deck as data, in order: pure, and deterministic for a given edition."""
    return Planner(edition).build()


__all__ = ["LINE_HEIGHT", "Block", "Rect", "SlidePlan", "plan"]
