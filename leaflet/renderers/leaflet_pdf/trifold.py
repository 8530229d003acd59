"""The tri-fold's plan: one landscape sheet, two sides, six panels, folded in three as a roll fold.

Pure data, like `plan`: the sheet's panels (imposition, folds, text boxes), the reading order,
the type scale and the body's layout plan at the panel's measure, and whether the body fits the
four panels that take it, with an estimate of each part's height from the font's metrics.
`trifold_draw` follows it. docs/trifold.md says why the panels are where they are.

Imposition (a roll fold, also called a letter fold or "tri-fold in"): the outside of the sheet
is [inside flap | back panel | front cover], the inside [inside 1 | inside 2 | inside 3]. The
flap (outside left, backed by inside 3) folds in first, under the cover, so it is a few
millimetres narrower than the other two: 97 + 100 + 100 mm on A4.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal

from leaflet.edition import Edition
from leaflet.edition.blocks import (
    Block,
    BulletList,
    Callout,
    Cards,
    Figure,
    Paragraph,
    Section,
    plain,
)
from leaflet.errors import LeafletError
from leaflet.renderers.leaflet_pdf.plan import (
    MM,
    PAPERS,
    SHRINK_FLOOR,
    SHRINK_STEP,
    FigurePlan,
    Grid,
    LeafletPlan,
    _kept_with_aside,
    _scene,
    text_height,
)
from leaflet.renderers.leaflet_pdf.typescale import SCALES, TypeScale

PanelName = Literal["cover", "flap", "inside-1", "inside-2", "inside-3", "back"]
Role = Literal["cover", "body", "back"]

FLAP_NARROWER_MM = 3.0
"""The flap folds in under the cover: narrower, so that it does not buckle in the fold
(97 mm of A4's 297, as the usual A4 roll-fold specification has it)."""
EDGE_MM = 7.0
"""No content nearer a paper edge: many office printers cannot reach the last 6.35 mm."""
FOLD_GUTTER_MM = 6.0
"""No content nearer a fold: a hand-folded or machine-folded sheet creeps by a millimetre or
two, and text must not run into the crease."""
TOP_MM = 8.0
BOTTOM_MM = 8.0
TICK_MM = (1.5, 5.0)
"""Fold marks: short ticks on each fold line, this far from the top and the bottom edge,
inside the band no content uses (docs/trifold.md: on an office printer there is no trim)."""
BODY_PANELS = 4
"""The flap and the three inside panels take the body."""
MARGIN = 0.25
"""A body the estimate puts less than this share of a panel over is laid out to see: the
drawn layout has the last word there. The estimate errs on the long side (a panel's foot is
filled more closely when drawn), by up to a sixth of a panel on the examples, so the plan
never refuses content that would fit."""


@dataclass(frozen=True)
class Box:
    """A rectangle on one side of the sheet, in points from its lower left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def top(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Panel:
    """One of the six panels."""

    name: PanelName
    role: Role
    side: Literal[1, 2]
    """1: the outside of the sheet (the PDF's first page), 2: the inside."""
    x: float
    """The panel's left edge (a paper edge or a fold) on its side of the sheet."""
    width: float
    text: Box
    """Where the panel's content goes: clear of the paper's edges and of the folds."""

    @property
    def right(self) -> float:
        return self.x + self.width


@dataclass(frozen=True)
class Part:
    """A run of the body as the estimate places it: which panel, and how tall it is there."""

    key: str
    """'section:N', 'glossary' or 'sources'."""
    panel: int
    """Index into the body panels (0: the flap ... 3: inside 3; 4 and more: over)."""
    height: float


@dataclass(frozen=True)
class TrifoldPlan:
    """Every decision for one tri-fold edition, before anything is drawn."""

    paper: str
    size: tuple[float, float]
    """The sheet, landscape: width, height."""
    panels: tuple[Panel, ...]
    """In reading order: cover, flap, inside 1, 2, 3, back."""
    folds: tuple[tuple[float, float], tuple[float, float]]
    """Where the folds are on each side (x), outside then inside."""
    sections: tuple[Section, ...]
    """The edition's sections as the panels set them (see `_panel_sections`)."""
    body: LeafletPlan
    """The body's layout at the panels' measure (its grid is one body panel's text box)."""
    parts: tuple[Part, ...]
    """The body in reading order as the estimate deals it onto the body panels."""
    needed: float
    """The body's estimated height, as dealt onto the panels (points)."""
    over: float
    """How much of it the four body panels do not hold (points; 0: it fits)."""
    inside_from: str | None
    """The part ('section:N', 'glossary', 'sources') that starts inside 1 at the flap's end,
    the flap holding whole parts only; None: the flap's last part goes on inside."""
    qr_slot: Box
    """The back panel's place for the QR code to the web edition (a square at its foot)."""

    @property
    def body_panels(self) -> tuple[Panel, ...]:
        return tuple(p for p in self.panels if p.role == "body")

    def panel(self, name: PanelName) -> Panel:
        return next(p for p in self.panels if p.name == name)

    @property
    def fits(self) -> bool:
        """The estimate holds the body, or comes within MARGIN of it: then the drawn layout
        decides (an estimate can be out by a few lines a panel)."""
        return self.over <= MARGIN * self.body.grid.height


def panels_for(paper: str) -> tuple[tuple[float, float], tuple[Panel, ...]]:
    """The sheet and its six panels in reading order."""
    portrait = PAPERS["A4" if paper == "A4" else "letter"]
    width, height = portrait[1], portrait[0]
    narrow = FLAP_NARROWER_MM * MM
    full = (width + narrow) / 3
    flap = full - narrow
    edge, gutter = EDGE_MM * MM, FOLD_GUTTER_MM * MM
    bottom, top = BOTTOM_MM * MM, TOP_MM * MM
    text_h = height - bottom - top
    # The body panels share one measure, the flap's (the narrowest): a block made for one
    # panel's width can go on in the next.
    body_w = flap - edge - gutter

    def panel(name: PanelName, role: Role, side: Literal[1, 2], x: float, w: float) -> Panel:
        left = x + (edge if x == 0 else gutter)
        right = x + w - (edge if abs(x + w - width) < 0.01 else gutter)
        text_w = body_w if role == "body" else right - left
        # a body panel's text box is centred between the edge and the fold it lies between
        text_x = left + (right - left - text_w) / 2
        return Panel(name, role, side, x, w, Box(text_x, bottom, text_w, text_h))

    panels = (
        panel("cover", "cover", 1, flap + full, full),
        panel("flap", "body", 1, 0.0, flap),
        panel("inside-1", "body", 2, 0.0, full),
        panel("inside-2", "body", 2, full, full),
        panel("inside-3", "body", 2, 2 * full, flap),
        panel("back", "back", 1, flap, full),
    )
    return (width, height), panels


def plan(edition: Edition) -> TrifoldPlan:
    """The tri-fold of a leaflet edition: pure, and the same for the same edition."""
    paper = "A4" if edition.paper == "A4" else "letter"
    size, panels = panels_for(paper)
    scale = _panel_scale(SCALES[edition.spec.scale], panels[1].text.width)
    text = panels[1].text
    grid = Grid(
        size=(text.width, text.height),
        margin_x=0.0,
        margin_top=0.0,
        margin_bottom=0.0,
        footer_top=0.0,
        gap=scale.em(1.18),
        measure=text.width,
        side_min=text.width,
    )
    sections, figures = _panel_sections(edition, scale, grid)
    order = ["title", *(f"section:{n}" for n in range(len(edition.sections)))]
    if edition.glossary:
        order.append("glossary")
    order.append("sources")
    body = LeafletPlan(
        scale=scale,
        grid=grid,
        sizes=scale.sizes(),
        figures=figures,
        lead=None,
        glossary_beside=None,
        glossary_measures=(),
        glossary_columns=1,
        card_columns=1,
        sign_columns=1,
        sources_beside_colophon=False,
        keep_signs=True,
        keep_with_aside=_kept_with_aside(edition, scale, grid),
        order=tuple(order),
    )
    # the warning signs are kept whole on one panel where they take less than most of one
    signs = [_urgent_height(s, u, body) for s in sections if (u := _urgent(s))]
    body = replace(body, keep_signs=all(h <= grid.height * 0.9 for h in signs))
    # The flap is seen beside inside 1 when the cover is opened: it ends with a whole section
    # where the body still fits so, and inside 1 starts with a heading, not mid-sentence.
    parts, needed, over, inside_from = _deal(edition, sections, body, whole_flap=True)
    if over > 0:
        parts, needed, over, inside_from = _deal(edition, sections, body, whole_flap=False)
    back = panels[-1].text
    side = min(30 * MM, back.width * 0.45)
    qr = Box(back.x, back.y, side, side)
    outside = (panels[1].right, panels[-1].right)
    inside = (panels[2].right, panels[3].right)
    return TrifoldPlan(
        paper, size, panels, (outside, inside), sections, body, parts, needed, over, inside_from, qr
    )


def _panel_scale(scale: TypeScale, width: float) -> TypeScale:
    """The edition's scale with its measure set to a panel's width: at 12 pt about 40
    characters a line, since 60 would need a 130 mm panel."""
    return replace(scale, name=f"{scale.name}-panel", measure_em=width / scale.body_pt)


FIGURE_SHARE = 0.55
"""A diagram takes at most this share of a panel's height: the rest is for its section."""


def _figure(block: Figure, scale: TypeScale, grid: Grid) -> FigurePlan | None:
    """The diagram at the panel's width and at most FIGURE_SHARE of its height, with shorter
    sizes (labels at the floor or more) for the space left where it falls; None when even
    the tallest has labels under the floor (long site words beside a narrow figure)."""
    label = scale.size("diagram_label").pt
    box = grid.height * FIGURE_SHARE
    sizes: list[FigurePlan] = []
    while True:
        scene = _scene(block, label, grid.width, box)
        width, height = scene.fitted(grid.width, box)
        smallest = round(min(t.size for t in scene.texts()) * height, 6)
        if smallest < scale.floor_pt or (sizes and height < sizes[0].height * SHRINK_FLOOR):
            break
        if not sizes or height < sizes[-1].height - 0.5:
            sizes.append(FigurePlan(block, -1, scene, width, height, smallest, "alone"))
        box *= SHRINK_STEP
    return replace(sizes[0], smaller=tuple(sizes[1:])) if sizes else None


def _panel_sections(
    edition: Edition, scale: TypeScale, grid: Grid
) -> tuple[tuple[Section, ...], tuple[FigurePlan, ...]]:
    """The sections as the panels set them, and the diagrams' plans: a diagram that cannot
    keep its labels at the floor in a panel is set as its sentence of sites (the Figure's
    `fallback`, what an output that cannot draw it says), never with smaller labels."""
    sections: list[Section] = []
    figures: list[FigurePlan] = []
    for number, section in enumerate(edition.sections):
        body: list[Block] = []
        for block in section.body:
            if isinstance(block, Figure):
                figure = _figure(block, scale, grid)
                if figure is not None:
                    figures.append(replace(figure, section=number))
                elif block.fallback:
                    body.append(Paragraph(block.fallback))
                    continue
                else:
                    raise LeafletError(
                        f"sections[{number}] ({section.id}): the body-site diagram of"
                        f" {len(block.sites)} sites cannot be drawn in a tri-fold panel with"
                        f" labels at {scale.floor_pt:g} pt or more; name fewer sites, or build"
                        " the standard leaflet"
                    )
            body.append(block)
        sections.append(replace(section, body=tuple(body)))
    return tuple(sections), tuple(figures)


# the estimate ------------------------------------------------------------------------------
# Heights as the leaflet draws each block (leaflet_pdf/draw.py: its paddings, at 12 pt body);
# good to a few lines a panel, which is what choosing between "fits" and "does not fit" needs.


@dataclass(frozen=True)
class _Piece:
    """A stretch of the body that goes on whole, or parts at `step` (a line pitch)."""

    key: str
    height: float
    step: float = 0.0
    """0: goes on whole; else it may part after any multiple of this much."""
    glue: bool = False
    """A heading: goes with the start of what follows it."""
    shorter: tuple[float, ...] = ()
    """Shorter heights it may take where less room is left (a diagram's smaller sizes)."""


def _pieces(
    edition: Edition, sections: tuple[Section, ...], layout: LeafletPlan
) -> Iterator[_Piece]:
    scale, width = layout.scale, layout.grid.width
    size = layout.sizes
    h1, h2, small, term_size = size["h1"], size["h2"], size["small"], size["term"]
    k = scale.body_pt / 12

    def u(points: float) -> float:
        return points * k

    for number, section in enumerate(sections):
        key = f"section:{number}"
        urgent = _urgent(section)
        if urgent:
            yield _Piece(key, _urgent_height(section, urgent, layout))
            continue
        yield _Piece(key, text_height(section.heading, h1, width, u(6)), glue=True)
        for block in section.body:
            yield from _block(key, block, layout)
    if edition.glossary is not None:
        inner = width - u(13)
        heading = u(4) + text_height(edition.glossary.heading, h1, width, u(6))
        yield _Piece("glossary", heading, glue=True)
        yield _Piece("glossary", u(7), glue=True)
        for term in edition.glossary.terms:
            words = f"{term.term} – {plain(term.meaning)}"
            # the box parts between its terms
            yield _Piece("glossary", text_height(words, term_size, inner, u(1) + u(1.5) + u(4)))
    sources = edition.sources
    yield _Piece("sources", text_height(sources.heading, h2, width, u(1)), glue=True)
    for source in sources.items:
        words = plain(source.citation) + (f" {source.url}" if source.url else "")
        yield _Piece("sources", text_height(words, small, width - u(11), u(2)), small.leading)


def _block(key: str, block: Block, layout: LeafletPlan) -> Iterator[_Piece]:
    scale, width, size = layout.scale, layout.grid.width, layout.sizes
    body = size["body"]
    k = scale.body_pt / 12

    def u(points: float) -> float:
        return points * k

    if isinstance(block, Paragraph):
        label = f"{block.label} " if block.label else ""
        yield _Piece(key, text_height(label + plain(block.text), body, width, u(1.5)), body.leading)
    elif isinstance(block, Figure):
        figure = next(f for f in layout.figures if f.figure == block)
        around = u(3) + u(4)
        yield _Piece(
            key, around + figure.height, shorter=tuple(around + f.height for f in figure.smaller)
        )
    elif isinstance(block, Cards):
        inner = width - u(17)
        # a card parts between its paragraphs, its title kept with the first
        for card in block.items:
            heights = [text_height(_labelled(p), body, inner, u(1.5)) for p in card.body]
            heights[-1] += u(2.5) + layout.grid.gap * 0.35
            title = u(3.5) + text_height(card.title, size["h2"], inner, u(1))
            yield _Piece(key, title, glue=True)
            for height in heights:
                yield _Piece(key, height)
        yield _Piece(key, u(4))
    elif isinstance(block, BulletList):
        if block.lead:
            yield _Piece(key, text_height(block.lead, body, width, u(1.5)))
        for item in block.items:
            # an item goes on with its advice box (the plan's keep_with_aside)
            item_height = text_height(item.text, body, width - u(13), u(1))
            yield _Piece(key, item_height, body.leading, glue=item.aside is not None)
            if item.aside is not None:
                inner = width - u(13) - u(40)
                height = u(2) + u(6.5) + u(3)
                for inner_block in item.aside.body:
                    if isinstance(inner_block, Paragraph):
                        label = f"{inner_block.label} " if inner_block.label else ""
                        words = label + plain(inner_block.text)
                        height += text_height(words, body, inner, u(2))
                yield _Piece(key, height)
    elif isinstance(block, Callout):
        inner = width - u(19)
        height = size["callout_head"].leading + u(8.5)
        for inner_block in block.body:
            if isinstance(inner_block, Paragraph):
                height += text_height(inner_block.text, body, inner, u(1.5))
        yield _Piece(key, height)
    else:
        raise LeafletError(f"{key}: the tri-fold has no way to draw a {type(block).__name__} block")


def _labelled(paragraph: Paragraph) -> str:
    return (f"{paragraph.label} " if paragraph.label else "") + plain(paragraph.text)


def _urgent(section: Section) -> list[Callout]:
    """The section's callouts when it is an urgent callout (its heading heads it) and the
    callouts for the clinic after it, as draw.py sets them in one box; else none."""
    body = section.body
    if not body or not isinstance(body[0], Callout) or body[0].kind != "urgent":
        return []
    rest = [b for b in body[1:] if isinstance(b, Callout) and b.kind == "clinic"]
    return [body[0], *rest] if len(rest) == len(body) - 1 else []


def _urgent_height(section: Section, callouts: list[Callout], layout: LeafletPlan) -> float:
    """The warning signs' box: badge, heading, call to action, the signs; then each group of
    signs for the clinic under its own call to action."""
    scale, width, size = layout.scale, layout.grid.width, layout.sizes
    k = scale.body_pt / 12

    def u(points: float) -> float:
        return points * k

    inner = width - u(19)
    head, body = size["callout_head"], size["body"]
    height = u(2) + u(6.5) + head.leading + text_height(section.heading, head, inner - u(60))
    for number, callout in enumerate(callouts):
        if callout.lead:
            height += (u(5) if number else 0.0) + text_height(callout.lead, body, inner, u(2.5))
        for block in callout.body:
            if isinstance(block, Paragraph):
                height += text_height(block.text, body, inner, u(1.5))
            elif isinstance(block, BulletList):
                for item in block.items:
                    height += text_height(item.text, body, inner - u(13), u(1))
    return height


def _deal(
    edition: Edition, sections: tuple[Section, ...], layout: LeafletPlan, whole_flap: bool
) -> tuple[tuple[Part, ...], float, float, str | None]:
    """The body's pieces dealt onto panels of the text box's height, in reading order; the
    height used, how much fell beyond the body panels, and the part the inside starts with
    when the flap holds only whole parts before it.

    With `whole_flap`, the flap holds whole parts: one that does not fit what is left of it
    starts inside 1 (unless it is the first, longer than the flap)."""
    capacity = layout.grid.height
    panel, used = 0, 0.0
    heights: dict[tuple[str, int], float] = {}
    over = 0.0
    pieces = list(_pieces(edition, sections, layout))
    totals: dict[str, float] = {}
    for piece in pieces:
        totals[piece.key] = totals.get(piece.key, 0.0) + piece.height
    inside_from: str | None = None
    n = 0
    while n < len(pieces):
        starts = n == 0 or pieces[n - 1].key != pieces[n].key
        fits_flap = used + totals[pieces[n].key] <= capacity
        if whole_flap and starts and panel == 0 and used and not fits_flap:
            panel, used = 1, 0.0
            inside_from = pieces[n].key
        # a heading goes with the next piece (or its first line or two)
        run = [pieces[n]]
        while run[-1].glue and n + len(run) < len(pieces):
            run.append(pieces[n + len(run)])
        head = sum(p.height for p in run[:-1])
        last = run[-1]
        least = min((last.height, *last.shorter))
        need = head + (min(last.height, 2 * last.step) if last.step else least)
        if used and used + need > capacity:
            panel, used = panel + 1, 0.0
        for piece in run[:-1]:
            heights[(piece.key, panel)] = heights.get((piece.key, panel), 0.0) + piece.height
            used += piece.height
            over += piece.height if panel >= BODY_PANELS else 0.0
        rest = last.height
        room = capacity - used
        if rest > room and last.shorter:
            rest = next((h for h in last.shorter if h <= room), rest)
        while rest > 0:
            room = capacity - used
            if rest <= room:
                take = rest
            elif last.step and room >= last.step:
                take = (room // last.step) * last.step
            elif used == 0:
                take = rest  # taller than a panel and whole: it cannot go anywhere
            else:
                panel, used = panel + 1, 0.0
                continue
            heights[(last.key, panel)] = heights.get((last.key, panel), 0.0) + take
            over += take if panel >= BODY_PANELS else 0.0
            used += take
            rest -= take
            if rest > 0:
                panel, used = panel + 1, 0.0
        n += len(run)
    parts = tuple(Part(key, where, height) for (key, where), height in heights.items())
    needed = sum(p.height for p in parts)
    return parts, needed, over, inside_from


def over_message(
    edition: Edition, layout: TrifoldPlan, over: float | None = None, first: str | None = None
) -> str:
    """What a reader of the build output needs when the body does not fit: which content,
    how much over, and what to do. `over` and `first` (a part's key) default to the plan's
    estimate; the drawn layout gives its own."""
    problem, fix = over_problem(edition, layout, over, first)
    return f"{problem}. {fix[0].upper()}{fix[1:]}"


def over_problem(
    edition: Edition, layout: TrifoldPlan, over: float | None = None, first: str | None = None
) -> tuple[str, str]:
    """The over-fit message as (what is wrong, how to fix it), for a gate's finding."""
    if over is None or first is None:
        over = layout.over
        first = next(p.key for p in layout.parts if p.panel >= BODY_PANELS)
    panel_h = layout.body.grid.height
    problem = (
        f"the tri-fold (leaflet-trifold, {layout.paper}) cannot hold this content at"
        f" {layout.body.scale.body_pt:g} pt: its four body panels take about"
        f" {BODY_PANELS * panel_h / MM:.0f} mm of text, and the body needs about"
        f" {(BODY_PANELS * panel_h + over) / MM:.0f} mm ({over / panel_h:.1f} panels more);"
        f" from {_describe(edition, first)} on it does not fit"
    )
    fix = (
        "shorten the content (fewer or shorter sections, glossary terms or sources), or build"
        " the standard leaflet instead (editions: [leaflet]); text is never set under"
        f" {layout.body.scale.floor_pt:g} pt to fit"
    )
    return problem, fix


def _describe(edition: Edition, key: str) -> str:
    if key.startswith("section:"):
        number = int(key.split(":")[1])
        section = edition.sections[number]
        return f"sections[{number}] ({section.id}, '{plain(section.heading)}')"
    if key == "glossary" and edition.glossary is not None:
        return f"the glossary ('{edition.glossary.heading}')"
    return f"the sources ('{edition.sources.heading}')"
