"""The leaflet's layout plan: where each block of an edition goes, at which size, before drawing.

A pure function of the edition: the page grid (margins, reading measure, side column) and every
size come from the edition's type scale and paper; text heights are estimated from the font's
metrics (no PDF is made), which is enough to choose between layouts. `draw` follows the plan.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from leaflet.diagram.scene import Scene, default_measure, figure_scene
from leaflet.edition import Edition
from leaflet.edition.blocks import Figure, Paragraph, Section, Text, plain
from leaflet.errors import LeafletError
from leaflet.renderers.leaflet_pdf.typescale import SCALES, Size, TypeScale

MM = 72 / 25.4
PAPERS = {"A4": (595.2755905511812, 841.8897637795277), "letter": (612.0, 792.0)}
EDGE_MM = 7.0
"""No ink nearer any paper edge: many printers cannot reach the last 6.35 mm."""
BORDER = 2.0
"""The widest border a box draws round itself (the urgent callout's), in points."""
MARGIN_X = {"A4": 10 * MM, "letter": 8 * MM}
"""Left and right margins: Letter is 18 mm shorter and 6 mm wider than A4, and gives the
height it lacks back in width."""


@dataclass(frozen=True)
class Grid:
    """The page grid for one paper and type scale, in points."""

    size: tuple[float, float]
    """Paper width and height."""
    margin_x: float
    margin_top: float
    margin_bottom: float
    """Includes the footer band."""
    footer_top: float
    """Height above the paper's foot of the rule over the footer."""
    gap: float
    """Between columns, and between cards."""
    measure: float
    """The reading column's widest."""
    side_min: float
    """A side column narrower than this is not used: what would go there flows instead."""

    @property
    def width(self) -> float:
        """The text block's width."""
        return self.size[0] - 2 * self.margin_x

    @property
    def height(self) -> float:
        return self.size[1] - self.margin_top - self.margin_bottom

    @property
    def main(self) -> float:
        """Width of the reading column."""
        return min(self.width, self.measure)

    @property
    def side(self) -> float:
        """Width of the side column beside the reading column (0: none)."""
        side = self.width - self.main - self.gap
        return side if side >= self.side_min else 0.0

    @property
    def columns(self) -> list[float]:
        """Reading column, gap, side column."""
        return [self.main, self.gap, self.side]


FOOTER_SHARE = 0.75
"""The footer's lines take this share of the text block's width; the page number the rest."""


def grid_for(paper: str, scale: TypeScale, footer_lines: int = 2) -> Grid:
    paper = "A4" if paper == "A4" else "letter"
    size = PAPERS[paper]
    footer = scale.size("footer")
    edge = EDGE_MM * MM
    # The footer: a rule, its lines of type, and the edge kept clear below them (the lowest
    # descender stays 1.2 mm inside it on A4; on Letter 0.8 mm, for the point the top gives).
    below = 1.5 * MM - (BORDER / 2 if paper == "letter" else 0.0)
    footer_top = edge + footer_lines * footer.leading + 3 + below
    # Letter is 18 mm shorter than A4: its top margin gives way first, to the edge and the
    # half of a box's border (centred on the box's edge) that lies above the text block.
    top = 8 * MM if paper == "A4" else edge + BORDER / 2
    return Grid(
        size=size,
        margin_x=MARGIN_X[paper],
        margin_top=top,
        margin_bottom=footer_top + 1.0 * MM,
        footer_top=footer_top,
        gap=scale.em(1.18),
        measure=scale.measure,
        side_min=scale.em(11),
    )


@dataclass(frozen=True)
class FigurePlan:
    """The body-site diagram: its scene, the size it is drawn at, and where it goes."""

    figure: Figure
    section: int
    """Index into the edition's sections."""
    scene: Scene
    width: float
    height: float
    label_pt: float
    """The size its smallest text comes out at."""
    placement: Literal["beside", "alone"]
    """Beside the opening sections' text, or on its own across the text block."""
    smaller: tuple[FigurePlan, ...] = ()
    """Shorter sizes of a diagram set alone, tallest first, each with labels at the scale's
    floor or more: the one that fits the space left on a page is drawn, so that the page is
    not left part-empty."""

    @property
    def views(self) -> tuple[str, ...]:
        return tuple(f.view for f in self.scene.figures)


@dataclass(frozen=True)
class Lead:
    """The opening sections set beside the diagram: `first`..`last` in the text column, and
    the head of the section after them too when `with_head`."""

    first: int
    last: int
    with_head: bool
    text_width: float


@dataclass(frozen=True)
class LeafletPlan:
    """Every layout decision for one leaflet edition."""

    scale: TypeScale
    grid: Grid
    sizes: dict[str, Size]
    figures: tuple[FigurePlan, ...]
    lead: Lead | None
    glossary_beside: int | None
    """The section the glossary is set beside, in the side column; None: it flows as its own
    part after the sections."""
    glossary_measures: tuple[float, ...]
    """Reading measures to try for the section beside the glossary: the one whose row is
    shortest is drawn."""
    glossary_columns: int
    card_columns: int
    sign_columns: int
    sources_beside_colophon: bool
    keep_signs: bool
    """The warning-signs callout is kept whole on one page."""
    keep_with_aside: frozenset[tuple[int, int]]
    """(section, item) of the list items kept on one page with the callout that belongs to
    them (a risk factor and its advice): an item never ends a page apart from its box."""
    order: tuple[str, ...]
    """What is set, in reading order: 'title', 'section:N', 'glossary', 'sources'."""

    def figure_of(self, section: int) -> FigurePlan | None:
        return next((f for f in self.figures if f.section == section), None)


# measuring ---------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def _word(word: str, size: float) -> float:
    return default_measure(word, size)


def line_count(text: str, size: float, width: float) -> int:
    """Lines the text takes, broken greedily between words at `width`."""
    if not text.strip():
        return 0
    space = _word(" ", size)
    lines, used = 1, 0.0
    for word in text.split():
        w = _word(word, size)
        if used and used + space + w > width:
            lines += 1
            used = w
        else:
            used += (space if used else 0) + w
        while used > width:  # a word longer than the line is cut
            lines += 1
            used -= width
    return lines


def text_height(text: str | Text, size: Size, width: float, after: float = 0.0) -> float:
    words = text if isinstance(text, str) else plain(text)
    return line_count(words, size.pt, width) * size.leading + after


# planning ----------------------------------------------------------------------------------
def plan(edition: Edition) -> LeafletPlan:
    """The layout of a leaflet edition: pure, and the same for the same edition."""
    scale = SCALES[edition.spec.scale]
    sizes = scale.sizes()
    paper = "A4" if edition.paper == "A4" else "letter"
    width = PAPERS[paper][0] - 2 * MARGIN_X[paper]
    # bold runs are wider than the regular face the estimate measures
    lines = sum(
        line_count(plain(line), sizes["footer"].pt * 1.06, width * FOOTER_SHARE)
        for line in edition.footer
    )
    grid = grid_for(edition.paper, scale, max(lines, 1))
    figures = tuple(_figure_plans(edition, scale, grid))
    lead = _lead(edition, scale, grid, figures)
    glossary_beside = _glossary_place(edition, scale, grid, lead)
    half = (grid.width - grid.gap) / 2
    order = ["title"]
    order += [f"section:{n}" for n in range(len(edition.sections))]
    if edition.glossary:
        if glossary_beside is None:
            order.append("glossary")
        else:
            order.insert(order.index(f"section:{glossary_beside}") + 1, "glossary")
    order.append("sources")
    signs = _signs_height(edition, scale, grid)
    return LeafletPlan(
        scale=scale,
        grid=grid,
        sizes=sizes,
        figures=figures,
        lead=lead,
        glossary_beside=glossary_beside,
        glossary_measures=tuple(
            scale.em(scale.measure_em + d) for d in (1, 0, -1, -2, -3, -4, -5, -6)
        ),
        glossary_columns=2 if half - scale.em(0.8) >= scale.em(18) else 1,
        card_columns=2 if half >= scale.em(17) else 1,
        sign_columns=2 if (grid.width - scale.em(2) - grid.gap) / 2 >= scale.em(17) else 1,
        sources_beside_colophon=grid.side > 0,
        keep_signs=signs <= grid.height * 0.9,
        keep_with_aside=_kept_with_aside(edition, scale, grid),
        order=tuple(order),
    )


def _figure_plans(edition: Edition, scale: TypeScale, grid: Grid) -> list[FigurePlan]:
    out = []
    for number, section in enumerate(edition.sections):
        for block in section.body:
            if isinstance(block, Figure):
                out.append(_figure_plan(block, number, section, scale, grid))
    return out


def _where(number: int, section: Section) -> str:
    return f"sections[{number}] ({section.id})"


def _figure_plan(
    figure: Figure, number: int, section: Section, scale: TypeScale, grid: Grid
) -> FigurePlan:
    """The diagram at its scale's label size: beside text where the text keeps a readable
    width, else alone across the text block, taller; never dropped."""
    label = scale.size("diagram_label").pt
    floor = scale.floor_pt
    beside_width = grid.width - scale.em(17) - grid.gap
    tries: list[tuple[Literal["beside", "alone"], float, float]] = [
        ("beside", beside_width, scale.em(25)),
        ("alone", grid.width, scale.em(27.5)),
        ("alone", grid.width, grid.height * 0.8),
    ]
    problem = ""
    for placement, width, height in tries:
        if width <= 0:
            continue
        try:
            scene = _scene(figure, label, width, height)
        except ValueError as error:
            raise LeafletError(
                f"{_where(number, section)}: the body-site diagram cannot be drawn: {error}"
            ) from None
        drawn_w, drawn_h = scene.fitted(width, height)
        smallest = round(min(t.size for t in scene.texts()) * drawn_h, 6)
        if smallest >= floor:
            chosen = FigurePlan(figure, number, scene, drawn_w, drawn_h, smallest, placement)
            if placement == "alone":
                chosen = replace(chosen, smaller=_smaller(chosen, label, floor, width, height))
            return chosen
        problem = f"its smallest label would be {smallest:.1f} pt"
    raise LeafletError(
        f"{_where(number, section)}: the body-site diagram of"
        f" {len(figure.sites)} sites cannot be drawn with labels at {floor:g} pt or more"
        f" on this page ({problem}); name fewer sites"
    )


SHRINK_STEP = 0.92
"""Each shorter size of a diagram set alone is this share of the one before."""
SHRINK_FLOOR = 0.5
"""A diagram set alone is never drawn shorter than this share of its planned height."""


def _smaller(
    chosen: FigurePlan, label: float, floor: float, width: float, height: float
) -> tuple[FigurePlan, ...]:
    """Shorter sizes of the diagram, down to the last whose labels keep the floor."""
    out: list[FigurePlan] = []
    box = height
    while True:
        box *= SHRINK_STEP
        scene = _scene(chosen.figure, label, width, box)
        drawn_w, drawn_h = scene.fitted(width, box)
        smallest = round(min(t.size for t in scene.texts()) * drawn_h, 6)
        if smallest < floor or drawn_h < chosen.height * SHRINK_FLOOR:
            return tuple(out)
        if drawn_h < (out[-1].height if out else chosen.height) - 0.5:
            out.append(
                FigurePlan(
                    chosen.figure, chosen.section, scene, drawn_w, drawn_h, smallest, "alone"
                )
            )


@functools.lru_cache(maxsize=64)
def _scene(figure: Figure, label_pt: float, width: float, height: float) -> Scene:
    """The scene, built once a process for a figure and its box (trial and drawn layouts)."""
    return figure_scene(figure, label_pt=label_pt, width_pt=width, height_pt=height)


def head_height(section: Section, scale: TypeScale, width: float, first: bool = False) -> float:
    """A section's heading and its own paragraphs, stacked at `width`."""
    h1 = scale.size("h1")
    body = scale.size("body")
    total = text_height(section.heading, h1, width, after=2 + (0 if first else 6))
    for block in section.body:
        if isinstance(block, Paragraph):
            total += text_height(block.text, body, width, after=1.5)
    return total


def has_head(section: Section) -> bool:
    """True for a section that starts with a heading of its own (not a callout)."""
    return section.kind != "warning_signs"


def has_block(section: Section) -> bool:
    """True for a section with more than its heading and paragraphs."""
    return any(not isinstance(b, Paragraph) for b in section.body)


def _lead(
    edition: Edition, scale: TypeScale, grid: Grid, figures: Sequence[FigurePlan]
) -> Lead | None:
    """The opening sections beside the diagram, when the diagram is the first block and the
    text beside it stays a readable width and well within a page."""
    first_figure = figures[0] if figures else None
    if first_figure is None or first_figure.placement != "beside":
        return None
    sections = edition.sections
    where = first_figure.section
    if any(has_block(s) for s in sections[:where]):
        return None
    if any(not isinstance(b, Paragraph | Figure) for b in sections[where].body):
        return None
    text_width = grid.width - first_figure.width - grid.gap
    limit = grid.height * 0.7 - scale.em(3.3)
    for first in range(where + 1):
        height = sum(
            head_height(sections[n], scale, text_width, first=n == first)
            for n in range(first, where + 1)
        )
        if height > limit:
            continue
        after = where + 1
        with_head = False
        if after < len(sections) and has_head(sections[after]):
            taller = height + head_height(sections[after], scale, text_width)
            with_head = first_figure.height - 3 * scale.body_pt <= taller <= grid.height * 0.7
        return Lead(first, where, with_head, text_width)
    return None


def _glossary_place(
    edition: Edition, scale: TypeScale, grid: Grid, lead: Lead | None
) -> int | None:
    """The risk-factor section, whose reading column is short, takes the glossary beside it
    when there is a side column and the glossary is short enough to sit there."""
    if not edition.glossary or grid.side <= 0:
        return None
    where = next((n for n, s in enumerate(edition.sections) if s.kind == "risk_factors"), None)
    if where is None or (lead is not None and lead.first <= where <= lead.last + 1):
        return None
    term = scale.size("term")
    inner = grid.side - 15
    height = scale.size("callout_head").leading + 9
    for item in edition.glossary.terms:
        height += text_height(f"{item.term} – {plain(item.meaning)}", term, inner, after=1.5)
    return where if height <= grid.height * 0.6 else None


def _signs_height(edition: Edition, scale: TypeScale, grid: Grid) -> float:
    from leaflet.edition.blocks import BulletList, Callout

    body = scale.size("body")
    total = 0.0
    for section in edition.sections:
        for block in section.body:
            if isinstance(block, Callout) and block.kind in ("urgent", "clinic"):
                total += scale.size("callout_head").leading * 2 + 10
                for inner in block.body:
                    if isinstance(inner, Paragraph):
                        total += text_height(inner.text, body, grid.width - 24, 1.5)
                    elif isinstance(inner, BulletList):
                        for item in inner.items:
                            total += text_height(item.text, body, grid.width - 37, 1.0)
    return total


def _kept_with_aside(edition: Edition, scale: TypeScale, grid: Grid) -> frozenset[tuple[int, int]]:
    """The items that go to a page with their callout: all, but one with its callout taller
    than half a page, which may part (a page break there leaves less blank below it)."""
    from leaflet.edition.blocks import BulletList

    body = scale.size("body")
    out = set()
    for number, section in enumerate(edition.sections):
        for block in section.body:
            if not isinstance(block, BulletList):
                continue
            for index, item in enumerate(block.items):
                if item.aside is None:
                    continue
                height = text_height(item.text, body, grid.main, 1.5)
                height += sum(
                    text_height(inner.text, body, grid.main - scale.em(3), 1.5)
                    for inner in item.aside.body
                    if isinstance(inner, Paragraph)
                )
                if height <= grid.height * 0.5:
                    out.add((number, index))
    return frozenset(out)
