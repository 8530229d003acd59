"""Document → slide plans: every slide's layout, title, blocks and notes, measured and fitted."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from leaflet import inline
from leaflet.deck.fit import (
    INSET_Y_PT,
    LINE_HEIGHT,
    Cell,
    Para,
    Row,
    fit_pages,
    fit_size,
    fit_table,
    frame_height,
    para,
    paras_height,
    plain_para,
    row_height,
)
from leaflet.diagram.scene import Scene, build_scene, sites_on_view
from leaflet.errors import LeafletError
from leaflet.fonts import DECK_MEASURE_FONT, text_width_pt
from leaflet.inline import Run
from leaflet.model import BlockKind, Document, Section, Wording
from leaflet.sites import SITES, join_words

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
LEAD_SHARE = 0.35
"""A table's lead text shares its slide only while it takes at most this share of the body."""
CONT = " (cont.)"

EVIDENCE = {
    "established": "Established",
    "limited": "Limited evidence",
    "experimental": "Experimental",
    "anecdotal": "Anecdotal",
}


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


Block = TextBlock | TableBlock | DiagramBlock | PictureBlock
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


FOOTER_RECT = Rect(MARGIN_PT, FOOTER_TOP_PT, CONTENT_W_PT - 110, FOOTER_H_PT)
NUMBER_RECT = Rect(SLIDE_W_PT - MARGIN_PT - 100, FOOTER_TOP_PT, 100, FOOTER_H_PT)


def body_top(title_rect: Rect) -> float:
    return title_rect.bottom + ACCENT_PT + BODY_GAP_PT


def fit_title(text: str) -> tuple[Rect, float]:
    """The bar and size for a content slide's title: shrink to 28 pt, then let the bar grow."""
    paras = [plain_para(text, bullet=False)]
    inner = SLIDE_W_PT - 2 * TITLE_INSET_X_PT
    for size in range(int(TITLE_MAX), int(TITLE_MIN) - 1, -1):
        if paras_height(paras, inner, size) + 2 * INSET_Y_PT <= TITLE_BAR_PT:
            return Rect(0, 0, SLIDE_W_PT, TITLE_BAR_PT), float(size)
    height = paras_height(paras, inner, TITLE_MIN) + 2 * INSET_Y_PT + 8
    return Rect(0, 0, SLIDE_W_PT, height), TITLE_MIN


def footer_blocks(document: Document) -> tuple[TextBlock, TextBlock]:
    meta = document.meta
    text = f"{meta.organisation.name} · Version {meta.version}"
    paras = (plain_para(text, bullet=False),)
    rect = FOOTER_RECT
    size = fit_size(paras, rect.width, rect.height, FOOTER_MAX, FOOTER_MIN) or FOOTER_MIN
    number_rect = NUMBER_RECT
    number = TextBlock(
        number_rect, (plain_para("#", bullet=False),), FOOTER_MAX, "Slide number", align="right"
    )
    return TextBlock(rect, paras, size, "Footer"), number


def clinician(text: str) -> str:
    return inline.plain(text)


def labelled(label: str, text: str, **options: object) -> Para:
    """A paragraph led by a bold label: '**Mechanism:** …'."""
    body = para(text)
    return Para((Run(f"{label} ", bold=True), *body.spans), **options)  # type: ignore[arg-type]


def quoted(text: str, **options: object) -> Para:
    """Patient wording, quoted in italics."""
    body = para(text)
    spans = [replace(s, italic=True) for s in body.spans]
    spans[0] = replace(spans[0], text="“" + spans[0].text)
    spans[-1] = replace(spans[-1], text=spans[-1].text + "”")
    return Para(tuple(spans), **options)  # type: ignore[arg-type]


def lead_in(text: str) -> Para:
    return plain_para(Run(text, bold=True), bullet=False, keep_with_next=True, space_before=0.7)


def notes_of(paras: Sequence[Para]) -> str:
    return "\n".join(p.text for p in paras if p.text.strip())


class Planner:
    """Builds the slide plans of one document; each block kind has a rule in RULES."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.footer = footer_blocks(document)

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
        return SlidePlan(layout, title, title_rect, title_size, tuple(blocks), notes, footer)

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
        bar, _ = fit_title(title + CONT)
        top = body_top(bar)
        size, pages = fit_pages(paras, width, BODY_BOTTOM_PT - top, BODY_MAX, BODY_MIN)
        slides = []
        for k, page in enumerate(pages):
            heading = title + (CONT if k or continued else "")
            height = frame_height(page, width, size)
            rect = Rect(MARGIN_PT, top, width, max(height, BODY_BOTTOM_PT - top))
            block = TextBlock(rect, tuple(page), size, "Body", placeholder=1)
            lead = cue if not k else f"{cue} (continued from the previous slide)"
            slides.append(self.slide("content", heading, [block], f"{lead}\n\n{notes_of(page)}"))
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
        bar, _ = fit_title(title + CONT)
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
            heading = title + ("" if first else CONT)
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
            notes = f"{cue}{'' if first else ' (continued)'}\n\n{lead_note}" + "\n".join(shown)
            slides.append(self.slide("title_only", heading, blocks, notes))
        return slides

    def build(self) -> list[SlidePlan]:
        doc = self.document
        slides = [self.cover(), *self.overview()]
        for section in doc.sections:
            slides += RULES[section.block](self, section)
        if doc.section_with("warning_signs") is None and (doc.warning_signs or self.advice()):
            slides += self.messages(None)
        slides += self.references()
        slides.append(self.closing())
        return slides

    def cover(self) -> SlidePlan:
        meta = self.document.meta
        org = meta.organisation
        title = clinician(meta.title.clinician)
        subtitle = clinician(meta.subtitle.clinician if meta.subtitle else meta.topic.clinician)
        line = f"{org.name} · Version {meta.version} · {meta.reviewed:%-d %B %Y}"
        lines = (
            plain_para(subtitle, bullet=False),
            plain_para(line, bullet=False, scale=0.75, space_before=1.0),
        )
        logo: list[Block] = []
        if org.logo:
            alt = org.logo_alt or f"{org.name} logo"
            logo.append(PictureBlock(Rect(MARGIN_PT, 40, 100, 100), org.logo, alt, "Logo"))
        authors = "; ".join(a.name + (f" ({a.role})" if a.role else "") for a in meta.authors)
        notes = (
            f"{title}: {subtitle}.\nPrepared by {org.name}; authors: {authors}.\n"
            f"Version {meta.version}, published {meta.published:%-d %B %Y}, reviewed"
            f" {meta.reviewed:%-d %B %Y}, next review {meta.next_review:%-d %B %Y}."
            f" Licence: {meta.licence}.\nThe patient leaflet built from the same content"
            " carries the same facts in plain words."
        )
        return self.cover_slide(title, lines, logo, notes)

    def cover_slide(
        self, title: str, lines: Sequence[Para], extra: Sequence[Block], notes: str
    ) -> SlidePlan:
        """Title and subtitle stacked and centred vertically below the logo band."""
        title_paras = [plain_para(title, bullet=False)]
        title_size = fit_size(title_paras, CONTENT_W_PT, 180, COVER_TITLE_MAX, TITLE_MIN)
        title_size = title_size or TITLE_MIN
        title_h = frame_height(title_paras, CONTENT_W_PT, title_size)
        sub_size = fit_size(lines, CONTENT_W_PT, 200, COVER_SUB_MAX, COVER_SUB_MIN)
        sub_size = sub_size or COVER_SUB_MIN
        sub_h = frame_height(lines, CONTENT_W_PT, sub_size)
        band_top, band_bottom = 160.0, SLIDE_H_PT - 30
        top = max(band_top, band_top + (band_bottom - band_top - title_h - sub_h - 16) / 2)
        title_rect = Rect(MARGIN_PT, top, CONTENT_W_PT, title_h)
        sub_rect = Rect(MARGIN_PT, top + title_h + 16, CONTENT_W_PT, sub_h)
        sub = TextBlock(sub_rect, tuple(lines), sub_size, "Subtitle", placeholder=1)
        return self.slide("cover", title, [sub, *extra], notes, title_rect, title_size)

    def overview(self) -> list[SlidePlan]:
        doc = self.document
        headings = [clinician(s.heading.clinician) for s in doc.sections]
        if doc.section_with("warning_signs") is None and (doc.warning_signs or self.advice()):
            headings.append("What to tell patients")
        headings.append("References")
        paras = [plain_para(h) for h in headings]
        topic = clinician(doc.meta.topic.clinician)
        cue = (
            f"Overview of this teaching session on {topic}: the slides follow the order below."
            " The patient leaflet covers the same ground in plain words."
        )
        return self.text_slides("Overview", paras, cue)

    def section_text(self, section: Section) -> list[Para]:
        return [para(p.clinician) for p in section.paragraphs]

    def plain_section(self, section: Section) -> list[SlidePlan]:
        title = clinician(section.heading.clinician)
        paras = self.section_text(section)
        if not paras:
            return []
        return self.text_slides(title, paras, f"{title}.")

    def sites_section(self, section: Section) -> list[SlidePlan]:
        doc = self.document
        title = clinician(section.heading.clinician)
        sites = tuple((s.id, s.side) for s in doc.sites)
        terms = [site_term(s, side) for s, side in sites]
        paras = [*self.section_text(section), lead_in("Sites shown:")]
        paras += [plain_para(t) for t in terms]
        topic = clinician(doc.meta.topic.clinician)
        alt = (
            f"Diagram: body outline with clusters of white lumps marking {topic} on the"
            f" {join_words(terms).lower()}."
        )
        cue = (
            f"{title}. The diagram marks each site with a cluster of white lumps of varying"
            f" size, as the deposits appear: {join_words(terms).lower()}."
        )
        slides = self.diagram_slides(title, paras, "body", sites, alt, cue)
        hand = tuple(sites_on_view(sites, "hand"))
        if hand:
            hand_terms = [site_term(s, side) for s, side in hand]
            hand_alt = (
                f"Diagram: close-up of the hand with clusters of white lumps marking {topic}"
                f" on the {join_words(hand_terms).lower()}."
            )
            hand_paras = [lead_in("Hand sites:"), *[plain_para(t) for t in hand_terms]]
            hand_cue = (
                f"Close-up of the hand: {join_words(hand_terms).lower()}. Deposits on the"
                " hand are drawn at the sites named in the content."
            )
            slides += self.diagram_slides(
                f"{title}: the hand", hand_paras, "hand", hand, hand_alt, hand_cue
            )
        return slides

    def diagram_slides(
        self,
        title: str,
        paras: Sequence[Para],
        view: Literal["body", "hand"],
        sites: tuple[tuple[str, str], ...],
        alt: str,
        cue: str,
    ) -> list[SlidePlan]:
        """The diagram as tall as the body, text in the column left beside it; extra text continues.

        A diagram whose labels cannot reach DIAGRAM_LABEL_PT beside a DIAGRAM_TEXT_MIN_W column
        takes the whole body alone, and its text continues on the next slides.
        """
        bar, _ = fit_title(title + CONT)
        top = body_top(bar)
        room = BODY_BOTTOM_PT - top
        condition = clinician(self.document.meta.topic.clinician)
        beside = CONTENT_W_PT - GUTTER_PT - DIAGRAM_TEXT_MIN_W
        scene, width, height, label = diagram_scene(sites, view, condition, beside, room)
        alone = label < DIAGRAM_LABEL_PT - 0.01
        if alone:
            scene, width, height, label = diagram_scene(sites, view, condition, CONTENT_W_PT, room)
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
        notes = f"{cue}\n\n{shown}Diagram alt text: {alt}"
        slides = [self.slide("title_only", title, blocks, notes)]
        if rest:
            slides += self.text_slides(title, rest, cue, continued=True)
        return slides

    def types_section(self, section: Section) -> list[SlidePlan]:
        doc = self.document
        title = clinician(section.heading.clinician)
        header: Row = (
            (plain_para(Run("Type", bold=True), bullet=False),),
            (plain_para(Run("Mechanism", bold=True), bullet=False),),
            (plain_para(Run("Associated conditions", bold=True), bullet=False),),
        )
        rows: list[Row] = []
        row_notes: list[str] = []
        for kind in doc.types:
            causes = [clinician(doc.cause(c).name.clinician) for c in kind.causes]
            rows.append(
                (
                    (para(kind.name.clinician, bullet=False),),
                    (para(kind.mechanism.clinician, bullet=False),),
                    (plain_para(join_words(causes) or "None recorded", bullet=False),),
                )
            )
            row_notes.append(
                f"{clinician(kind.name.clinician)}: {clinician(kind.mechanism.clinician)}"
                + (f" Associated with {join_words(causes)}." if causes else "")
            )
        slides: list[SlidePlan] = []
        if rows:
            widths = _widths((0.24, 0.44, 0.32))
            cue = f"{title}: the types side by side, by mechanism and associated conditions."
            slides += self.table_slides(
                title,
                self.section_text(section),
                header,
                rows,
                widths,
                cue,
                row_notes,
                "Comparison of types",
            )
        else:
            slides += self.plain_section(section)
        for kind in doc.types:
            name = clinician(kind.name.clinician)
            paras = [labelled("Mechanism:", kind.mechanism.clinician)]
            if kind.causes:
                causes = [clinician(doc.cause(c).name.clinician) for c in kind.causes]
                paras.append(
                    Para((Run("Associated conditions: ", bold=True), Run(join_words(causes))))
                )
            paras += [labelled("Example:", e.clinician) for e in kind.examples]
            if kind.note:
                paras.append(labelled("Note:", kind.note.clinician))
            slides += self.text_slides(name, paras, f"{name}, one of the types in {title.lower()}.")
        return slides

    def risk_section(self, section: Section) -> list[SlidePlan]:
        title = clinician(section.heading.clinician)
        paras = self.section_text(section)
        for risk in self.document.risk_factors:
            spans = [Run(clinician(risk.factor.clinician), bold=True)]
            if risk.why:
                spans += [Run(" "), *para(risk.why.clinician).spans]
            paras.append(Para(tuple(spans)))
            if risk.advice:
                paras.append(
                    labelled(
                        "Advice:", risk.advice.clinician, level=1, bullet=False, space_before=0.2
                    )
                )
        if not paras:
            return []
        return self.text_slides(title, paras, f"{title}, with the proposed reasons.")

    def treatments_section(self, section: Section) -> list[SlidePlan]:
        doc = self.document
        title = clinician(section.heading.clinician)
        names = ("Treatment", "What it is", "For which type", "Evidence and caveats")
        header: Row = tuple((plain_para(Run(n, bold=True), bullet=False),) for n in names)
        rows: list[Row] = []
        row_notes: list[str] = []
        for t in doc.treatments:
            kinds = [clinician(doc.type_(k).name.clinician) for k in t.for_types] or ["Any type"]
            evidence: Cell = (
                plain_para(Run(EVIDENCE[t.evidence] + ".", bold=True), bullet=False),
                *[para(c.clinician, bullet=False, space_before=0.2) for c in t.caveats],
            )
            rows.append(
                (
                    (para(t.name.clinician, bullet=False),),
                    (para(t.what.clinician, bullet=False),),
                    (plain_para(join_words(kinds), bullet=False),),
                    evidence,
                )
            )
            caveats = " ".join(clinician(c.clinician) for c in t.caveats)
            row_notes.append(
                f"{clinician(t.name.clinician)} ({join_words(kinds).lower()}):"
                f" {clinician(t.what.clinician)} Evidence: {EVIDENCE[t.evidence].lower()}."
                + (f" {caveats}" if caveats else "")
            )
        if not rows:
            return self.plain_section(section)
        widths = _widths((0.22, 0.36, 0.17, 0.25))
        cue = f"{title}: each treatment, the types it is used for, and how far the evidence goes."
        return self.table_slides(
            title, self.section_text(section), header, rows, widths, cue, row_notes, "Treatments"
        )

    def advice(self) -> list[tuple[Wording, Wording]]:
        return [(r.factor, r.advice) for r in self.document.risk_factors if r.advice]

    def messages(self, section: Section | None) -> list[SlidePlan]:
        """What to tell patients: warning signs and advice, with the leaflet's words quoted."""
        doc = self.document
        title = clinician(section.heading.clinician) if section else "What to tell patients"
        paras = self.section_text(section) if section else []
        if doc.warning_signs:
            paras.append(lead_in("Advise patients to seek review for:"))
            for sign in doc.warning_signs:
                paras.append(para(sign.clinician))
                paras.append(quoted(sign.patient, level=1, bullet=False, space_before=0.1))
        if self.advice():
            paras.append(lead_in("Risk-factor advice:"))
            for _, advice in self.advice():
                paras.append(para(advice.clinician))
                paras.append(quoted(advice.patient, level=1, bullet=False, space_before=0.1))
        org = doc.meta.organisation
        paras.append(
            plain_para(
                Run("Patients can call ", bold=True),
                Run(f"{org.name} on {org.phone}", bold=True),
                Run(f" or visit {org.website}."),
                bullet=False,
                space_before=0.7,
            )
        )
        cue = (
            f"{title}: what the patient leaflet tells patients. Clinician wording first;"
            " the leaflet's own words are quoted in italics so that advice given in clinic"
            " matches what patients read."
        )
        return self.text_slides(title, paras, cue)

    def references(self) -> list[SlidePlan]:
        paras = []
        for k, source in enumerate(self.document.sources, 1):
            body = para(source.citation).spans
            spans: list[Run] = [Run(f"{k}. "), *body]
            if source.url:
                spans += [Run(" "), Run(source.url, url=source.url)]
            if source.accessed:
                spans.append(Run(f" (accessed {source.accessed:%-d %B %Y})"))
            paras.append(Para(tuple(spans), bullet=False))
        cue = "Sources for the facts in this deck and in the patient leaflet."
        return self.text_slides("References", paras, cue)

    def closing(self) -> SlidePlan:
        meta = self.document.meta
        org = meta.organisation
        lines = [
            plain_para(org.name, bullet=False),
            plain_para(f"Telephone {org.phone}", bullet=False),
        ]
        # plain text, not links: the theme's link colour is the primary, this slide's background
        lines.append(plain_para(org.website, bullet=False))
        if org.email:
            lines.append(plain_para(org.email, bullet=False))
        if org.address:
            lines.append(plain_para(org.address, bullet=False))
        lines = [replace(p, scale=0.85, space_before=0.3) for p in lines]
        notes = (
            f"Questions. Contact for patients and colleagues: {org.name}, telephone {org.phone},"
            f" {org.website}" + (f", {org.email}" if org.email else "") + "."
            f"\nThis deck is version {meta.version}, reviewed {meta.reviewed:%-d %B %Y};"
            f" next review {meta.next_review:%-d %B %Y}. Licence: {meta.licence}."
        )
        return self.cover_slide("Questions and contact", lines, [], notes)


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
    condition: str,
    width_pt: float,
    height_pt: float,
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
        condition=condition,
        title="",
        label_pt=DIAGRAM_LABEL_PT,
        height_pt=height_pt,
        width_pt=width_pt,
    )
    width, height = scene.fitted(width_pt, height_pt)
    # rounded, so that float noise never reads as a size below the one asked for
    return scene, width, height, round(scene.label_size * height, 6)


def site_term(site: str, side: str) -> str:
    """A site in clinician terms with its side: 'Digits of the hand', 'Elbow (left)'."""
    term = SITES[site].clinician
    term = term[:1].upper() + term[1:]
    return term if side == "both" else f"{term} ({side})"


Rule = Callable[[Planner, Section], list[SlidePlan]]

RULES: dict[BlockKind | None, Rule] = {
    None: Planner.plain_section,
    "sites": Planner.sites_section,
    "types": Planner.types_section,
    "risk_factors": Planner.risk_section,
    "treatments": Planner.treatments_section,
    "warning_signs": Planner.messages,
}
"""How each section's block becomes slides; a block kind with no rule is a KeyError, not a skip."""


def plan(document: Document) -> list[SlidePlan]:
    """The whole deck as data, in order: pure, and deterministic for a given document."""
    return Planner(document).build()


__all__ = ["LINE_HEIGHT", "Block", "Rect", "SlidePlan", "plan"]
