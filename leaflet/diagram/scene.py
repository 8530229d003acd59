"""The renderer-neutral scene of a body-site diagram, and the function that lays one out."""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from leaflet.diagram.geometry import Art, FigureSide, art, skin_polygons
from leaflet.diagram.layout import distance_to_segment, spread, untangle
from leaflet.diagram.paths import Path, Point, point_in_polygon
from leaflet.sites import SITES, Side, join_words, suggest_site

Audience = Literal["patient", "clinician"]
ViewName = Literal["body", "hand"]
Align = Literal["start", "middle", "end"]
Measure = Callable[[str, float], float]


@dataclass(frozen=True)
class Palette:
    """The diagram's colours, each as #RRGGBB."""

    skin: str = "#F4DCC9"
    """Fill of the figure: a light, neutral skin tone."""
    outline: str = "#9A7B6A"
    """The figure's outline: soft warm brown."""
    crease: str = "#C9A793"
    """Thin detail lines inside the figure (creases, joints)."""
    marker_fill: str = "#FFFDF5"
    """Lumps: the cream-white patients see."""
    marker_outline: str = "#6B5E55"
    """Outline of each lump: dark warm grey, so lumps show on skin and in greyscale."""
    leader: str = "#55504C"
    """Leader lines from label to site."""
    text: str = "#1F1D1B"
    """Labels, title and legend (contrast on white about 16:1)."""


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in scene coordinates."""

    x: float
    """Left edge, as a fraction of the scene width."""
    y: float
    """Top edge, as a fraction of the scene height."""
    width: float
    """Width, as a fraction of the scene width."""
    height: float
    """Height, as a fraction of the scene height."""

    def overlaps(self, other: Box) -> bool:
        """True where the two boxes share any area."""
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


@dataclass(frozen=True)
class Circle:
    """A filled, outlined circle."""

    centre: Point
    """Centre in scene coordinates."""
    radius: float
    """Radius, as a fraction of the scene height."""
    fill: str
    """Fill colour."""
    stroke: str
    """Outline colour."""
    stroke_width: float
    """Outline width, as a fraction of the scene height."""


@dataclass(frozen=True)
class Line:
    """A straight stroked line."""

    start: Point
    """One end, in scene coordinates."""
    end: Point
    """The other end, in scene coordinates."""
    colour: str
    """Stroke colour."""
    width: float
    """Stroke width, as a fraction of the scene height."""


@dataclass(frozen=True)
class Text:
    """One line of text."""

    text: str
    """The words shown."""
    x: float
    """Horizontal reference point (see align), as a fraction of the scene width."""
    baseline: float
    """Baseline, as a fraction of the scene height."""
    size: float
    """Font size (em), as a fraction of the scene height."""
    align: Align
    """Whether x is the start, middle or end of the line."""
    colour: str
    """Text colour."""
    bold: bool = False
    """Bold face."""
    box: Box | None = None
    """The room the text was measured to need, when it matters for layout."""


@dataclass(frozen=True)
class Figure:
    """One drawn view of the body or hand."""

    view: str
    """"front", "back" or "hand"."""
    paths: tuple[Path, ...]
    """Outlines, back to front."""
    box: Box
    """Bounding box of every point of every path (controls included): the figure's region."""
    caption: Text | None
    """Name of the view, under it, when it helps."""


@dataclass(frozen=True)
class Cluster:
    """The lumps drawn at one place where deposits form."""

    site: str
    """Site id from SITES."""
    side: FigureSide
    """Which of the figure's own sides the lumps are on."""
    lumps: tuple[Circle, ...]
    """Lumps of varied sizes, drawn in order; the last, largest, is centred on the anchor."""


@dataclass(frozen=True)
class Label:
    """A site's name beside the figure with its leader line."""

    site: str
    """Site id from SITES."""
    side: Side
    """The side the content asked for."""
    text: Text
    """The label text; `text.box` is the label's box."""
    leader: Line
    """From just beside the label to the anchor."""
    anchor: Point
    """Where the leader ends: the centre of the site's leading cluster."""

    @property
    def box(self) -> Box:
        """The room the label takes."""
        assert self.text.box is not None
        return self.text.box


@dataclass(frozen=True)
class Legend:
    """A key: a sample cluster and what it stands for."""

    lumps: tuple[Circle, ...]
    """The sample cluster."""
    text: Text
    """What the lumps are."""


@dataclass(frozen=True)
class Scene:
    """A whole diagram in normalised coordinates: x right, y down, both 0..1 of the scene's size."""

    aspect: float
    """Width divided by height."""
    palette: Palette
    """The colours used."""
    figures: tuple[Figure, ...]
    """Views drawn, left to right."""
    clusters: tuple[Cluster, ...]
    """Lumps, drawn over the figures and leaders."""
    labels: tuple[Label, ...]
    """One per requested site, in the columns beside the figures."""
    title: Text | None
    """A heading over the diagram, or None."""
    legend: Legend | None
    """The key under the diagram, or None."""
    alt: str
    """One-sentence text alternative."""
    sites: tuple[tuple[str, Side], ...] = field(default=())
    """The sites drawn, in content order."""

    def texts(self) -> list[Text]:
        """Every piece of text, in drawing order."""
        captions = [f.caption for f in self.figures if f.caption is not None]
        extra = [t for t in (self.title, self.legend.text if self.legend else None) if t]
        return captions + [label.text for label in self.labels] + extra


MANY_PER_SIDE = frozenset({"fingers", "fingertips", "toes"})
"""Sites with several on each side: 'left fingers', not 'left finger'."""

LABEL_SIZE = 0.034
TITLE_SIZE = 0.044
LEGEND_SIZE = 0.032
MARGIN = 0.02
COLUMN_GAP = 0.045
LEADER_GAP = 0.008
OUTLINE_WIDTH = 0.0042
CREASE_WIDTH = 0.0026
LEADER_WIDTH = 0.0026
LUMP_OUTLINE_WIDTH = 0.0019


def _singular(word: str) -> str:
    if word.endswith("feet"):
        return word[:-4] + "foot"
    if word.endswith("ves"):
        return word[:-3] + "f"
    return word[:-1] if word.endswith("s") else word


def site_words(site: str, side: Side, audience: Audience) -> str:
    """What a site is called, with its side ("left elbow", "fingers of the right hand")."""
    info = SITES[site]
    word = info.patient if audience == "patient" else info.clinician
    if side == "both" or not info.paired:
        return word
    if " of the " in word:
        head, tail = word.split(" of the ", 1)
        return f"{head} of the {side} {tail}"
    return f"{side} {word if site in MANY_PER_SIDE else _singular(word)}"


def check_sites(sites: Sequence[tuple[str, Side]]) -> list[tuple[str, Side]]:
    """Known sites in content order; a site given twice with different sides becomes "both"."""
    merged: dict[str, Side] = {}
    for site, side in sites:
        if site not in SITES:
            hint = suggest_site(site)
            more = f"; did you mean {hint!r}?" if hint else ""
            raise ValueError(f"unknown body site {site!r}{more}")
        if side not in ("both", "left", "right"):
            raise ValueError(f"side of {site!r} must be both, left or right, not {side!r}")
        if side != "both" and not SITES[site].paired:
            raise ValueError(f"body site {site!r} has no left or right side")
        before = merged.get(site)
        merged[site] = side if before in (None, side) else "both"
    return list(merged.items())


def sites_on_view(sites: Sequence[tuple[str, Side]], view: ViewName) -> list[tuple[str, Side]]:
    """The sites a view can show (the hand view shows only hand and wrist sites)."""
    if view == "body":
        return list(sites)
    return [(site, side) for site, side in sites if site in art("hand").anchors]


def alt_text(
    scene_or_sites: Scene | Sequence[tuple[str, Side]],
    audience: Audience = "patient",
    *,
    condition: str = "calcium deposits",
) -> str:
    """One sentence naming the sites in content order: "Where calcium deposits form: on the …"."""
    if isinstance(scene_or_sites, Scene):
        return scene_or_sites.alt
    words = [site_words(site, side, audience) for site, side in check_sites(scene_or_sites)]
    return f"Where {condition} form: on the {join_words(words)}."


def default_measure(text: str, size: float) -> float:
    """Width of text in Atkinson Hyperlegible regular, in the units of size."""
    from leaflet.fonts import LEAFLET_FONT, text_width_pt

    return text_width_pt(text, LEAFLET_FONT, "regular", size)


def _lumps(
    centre: Point,
    radius: float,
    key: str,
    palette: Palette,
    inside: Callable[[Point], bool] | None = None,
) -> list[Circle]:
    """A cluster of lumps of varied sizes round a centre, the same every time for the same key.

    Satellites hug the large central lump, leaning to one side, with a loose one or two; no lump
    covers another's centre, so each stays visible; with `inside`, lumps stay on the skin.
    They are drawn smallest first and the central lump last, overlapping its neighbours as raised
    deposits do.
    """
    rng = random.Random(zlib.crc32(key.encode()))
    main = Circle(centre, radius * 0.6, palette.marker_fill, palette.marker_outline, 0)
    lumps = [main]
    wanted = rng.choice((5, 6, 7))
    lean = rng.uniform(0, 360)
    for _ in range(60):
        if len(lumps) == wanted:
            break
        r = radius * rng.uniform(0.26, 0.5)
        loose = len(lumps) >= 4 and rng.random() < 0.5
        reach = main.radius + r * (rng.uniform(1.1, 1.5) if loose else rng.uniform(0.05, 0.6))
        dx, dy = _polar(reach, lean + rng.uniform(-125, 125))
        c = (centre[0] + dx, centre[1] + dy)
        rim = [(c[0] + dx * 0.5 * r, c[1] + dy * 0.5 * r) for dx, dy in _COMPASS]
        if all(
            math.dist(c, other.centre) > max(r, other.radius) + 0.15 * radius for other in lumps
        ) and (inside is None or all(inside(q) for q in rim)):
            lumps.append(Circle(c, r, palette.marker_fill, palette.marker_outline, 0))
    return [*sorted(lumps[1:], key=lambda c: c.radius), main]


_COMPASS = ((1.0, 0.0), (0.0, 1.0), (-1.0, 0.0), (0.0, -1.0), (0.0, 0.0))


def _polar(distance: float, angle_deg: float) -> Point:
    a = math.radians(angle_deg)
    return (distance * math.cos(a), distance * math.sin(a))


@dataclass
class _Placed:
    site: str
    side: Side
    text: str
    width: float
    anchor: Point
    column: int
    leftward: bool
    y: float = 0.0


def _mirror_art(a: Art) -> Art:
    from leaflet.diagram.geometry import Part
    from leaflet.diagram.paths import PathOp

    parts = tuple(
        Part(tuple(PathOp(op.kind, tuple((-x, y) for x, y in op.points)) for op in p.ops), p.role)
        for p in a.parts
    )
    anchors = {
        site: {s: tuple((-x, y) for x, y in pts) for s, pts in sides.items()}
        for site, sides in a.anchors.items()
    }
    return Art(a.view, parts, anchors, a.marker_radius, a.caption)


def _bounds(a: Art) -> tuple[float, float, float, float]:
    pts = [p for part in a.parts for op in part.ops for p in op.points]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def build_scene(
    sites: Sequence[tuple[str, Side]],
    *,
    view: ViewName = "body",
    audience: Audience = "patient",
    legend: bool = True,
    measure: Measure | None = None,
    condition: str = "calcium deposits",
    title: str | None = None,
    palette: Palette | None = None,
) -> Scene:
    """Lay out a diagram of where deposits form.

    `measure(text, size)` gives a text width in the units of size and must scale linearly with
    size (default: Atkinson Hyperlegible). `title` None means "Where {condition} form"; "" means
    no title. Raises ValueError for an unknown site, or one the chosen view cannot show.
    """
    measure = measure or default_measure
    palette = palette or Palette()
    chosen = check_sites(sites)
    arts: list[Art]
    hand_caption = ""
    if view == "hand":
        hand = art("hand")
        for site, _ in chosen:
            if site not in hand.anchors:
                raise ValueError(f"body site {site!r} is not drawn on the hand view")
        sides = {side for _, side in chosen}
        mirrored = sides == {"left"}
        arts = [_mirror_art(hand) if mirrored else hand]
        hand_caption = {
            frozenset({"left"}): "Left hand, palm side",
            frozenset({"right"}): "Right hand, palm side",
        }.get(frozenset(sides), "Palm side of the hand")
    else:
        backs = any(SITES[s].back for s, _ in chosen)
        fronts = any(not SITES[s].back for s, _ in chosen) or not chosen
        arts = [art("front")] * fronts + [art("back")] * backs

    bounds = [_bounds(a) for a in arts]
    art_top = min(b[1] for b in bounds)
    art_height = max(b[3] for b in bounds) - art_top

    def words(site: str, side: Side) -> str:
        text = site_words(site, "both" if view == "hand" else side, audience)
        return text[:1].upper() + text[1:]

    label_h = LABEL_SIZE * 1.3
    pitch = LABEL_SIZE * 1.55
    placed: list[_Placed] = []
    clusters_fu: list[tuple[str, FigureSide, Point, int, int]] = []
    figure_of = {a.view: i for i, a in enumerate(arts)}
    ordered = sorted(chosen, key=lambda item: list(SITES).index(item[0]))
    for site, side in ordered:
        fig = figure_of["hand" if view == "hand" else ("back" if SITES[site].back else "front")]
        a = arts[fig]
        x0, y0, x1, _ = bounds[fig]
        centre_x = (x0 + x1) / 2
        options: list[FigureSide] = [side] if side in ("left", "right") else ["left", "right"]
        others = [
            point
            for other, _ in chosen
            if other != site and other in a.anchors
            for points in a.anchors[other].values()
            for point in points
        ]
        candidates = []
        for option in options:
            ax, ay = a.anchors[site][option][0]
            col = fig if ax < centre_x else fig + 1
            outside = (x0 - COLUMN_GAP if col == fig else x1 + COLUMN_GAP, ay)
            hits = sum(
                1
                for point in others
                if distance_to_segment(point, outside, (ax, ay)) < 1.5 * a.marker_radius
            )
            near = sum(1 for p in placed if p.column == col and abs(p.anchor[1] - ay) < 0.12)
            total = sum(1 for p in placed if p.column == col)
            candidates.append((hits, near, total, col, option))
        *_, column, lead = min(candidates)
        text = words(site, side)
        width = measure(text, 100.0) * LABEL_SIZE / 100.0
        anchor = a.anchors[site][lead][0]
        placed.append(_Placed(site, side, text, width, anchor, column, column == fig + 1))
        drawn: list[FigureSide] = (
            ["left", "right"]
            if side == "both" and SITES[site].paired and view != "hand"
            else [lead]
        )
        for s in drawn:
            for k, point in enumerate(a.anchors[site][s]):
                clusters_fu.append((site, s, point, fig, k))

    # horizontal: column, figure, column, figure, …, column
    columns = len(arts) + 1
    col_width = [
        max((p.width for p in placed if p.column == c), default=0.0) for c in range(columns)
    ]
    x = MARGIN
    col_x: list[float] = []
    fig_dx: list[float] = []
    for c in range(columns):
        col_x.append(x)
        x += col_width[c]
        if c < len(arts):
            x += COLUMN_GAP * (1.0 if col_width[c] else 0.4)
            fig_dx.append(x - bounds[c][0])
            x += bounds[c][2] - bounds[c][0]
            x += COLUMN_GAP * (1.0 if col_width[c + 1] else 0.4)
    total_w = x + MARGIN

    top = MARGIN
    title_text = f"Where {condition} form" if title is None else title
    if title_text:
        top += TITLE_SIZE * 1.6
    fig_top = top - art_top
    fig_bottom = top + art_height
    lo, hi = top + label_h / 2, fig_bottom - label_h / 2
    label_bottom = fig_bottom
    for c in range(columns):
        members = sorted((p for p in placed if p.column == c), key=lambda p: p.anchor[1])
        ys = spread([p.anchor[1] + fig_top for p in members], pitch, lo, hi)
        for p, y in zip(members, ys, strict=True):
            p.y = y
        if ys:
            label_bottom = max(label_bottom, ys[-1] + label_h / 2)
        for leftward in (False, True):
            group = [p for p in members if p.leftward == leftward]
            edge = col_x[c] - LEADER_GAP if leftward else col_x[c] + col_width[c] + LEADER_GAP
            ends = [
                (p.anchor[0] + fig_dx[p.column - leftward], p.anchor[1] + fig_top) for p in group
            ]
            starts = untangle([(edge, p.y) for p in group], ends)
            for p, start in zip(group, starts, strict=True):
                p.y = start[1]

    bottom = label_bottom
    captions_shown = len(arts) > 1 or view == "hand"
    if captions_shown:
        bottom = max(bottom, fig_bottom + LABEL_SIZE * 1.9)
    legend_top = bottom + LABEL_SIZE * 0.6
    if legend:
        bottom = legend_top + LEGEND_SIZE * 1.6
    total_h = bottom + MARGIN

    def nx(v: float) -> float:
        return v / total_w

    def ny(v: float) -> float:
        return v / total_h

    def npt(p: Point) -> Point:
        return (nx(p[0]), ny(p[1]))

    def nsize(v: float) -> float:
        return v / total_h

    figures: list[Figure] = []
    for i, a in enumerate(arts):
        dx = fig_dx[i]

        def to_scene(p: Point, dx: float = dx) -> Point:
            return npt((p[0] + dx, p[1] + fig_top))

        paths = tuple(
            Path(part.ops, palette.skin, palette.outline, OUTLINE_WIDTH).map(to_scene, 1 / total_h)
            if part.role == "skin"
            else Path(part.ops, None, palette.crease, CREASE_WIDTH).map(to_scene, 1 / total_h)
            for part in a.parts
        )
        x0, y0, x1, y1 = bounds[i]
        box = Box(nx(x0 + dx), ny(y0 + fig_top), nx(x1 - x0), ny(y1 - y0))
        caption = None
        if captions_shown:
            caption = Text(
                hand_caption or a.caption,
                nx((x0 + x1) / 2 + dx),
                ny(fig_bottom + LABEL_SIZE * 1.5),
                nsize(LABEL_SIZE),
                "middle",
                palette.text,
                bold=True,
            )
        figures.append(Figure(a.view, paths, box, caption))

    def scene_lumps(
        centre_fu: Point, radius_fu: float, key: str, fig: int | None = None
    ) -> tuple[Circle, ...]:
        inside = None
        if fig is not None:
            skin = skin_polygons(arts[fig])
            dx, dy = fig_dx[fig], fig_top

            def inside(q: Point) -> bool:
                return any(point_in_polygon((q[0] - dx, q[1] - dy), poly) for poly in skin)

        return tuple(
            Circle(npt(c.centre), nsize(c.radius), c.fill, c.stroke, nsize(LUMP_OUTLINE_WIDTH))
            for c in _lumps(centre_fu, radius_fu, key, palette, inside)
        )

    clusters = [
        Cluster(
            site,
            s,
            scene_lumps(
                (point[0] + fig_dx[fig], point[1] + fig_top),
                arts[fig].marker_radius,
                f"{site}:{s}:{k}",
                fig,
            ),
        )
        for site, s, point, fig, k in clusters_fu
    ]

    labels: list[Label] = []
    for p in sorted(placed, key=lambda p: [s for s, _ in chosen].index(p.site)):
        fig = p.column - 1 if p.leftward else p.column
        anchor = npt((p.anchor[0] + fig_dx[fig], p.anchor[1] + fig_top))
        if p.leftward:
            left = col_x[p.column]
            start = (left - LEADER_GAP, p.y)
        else:
            left = col_x[p.column] + col_width[p.column] - p.width
            start = (col_x[p.column] + col_width[p.column] + LEADER_GAP, p.y)
        box = Box(nx(left), ny(p.y - label_h / 2), nx(p.width), ny(label_h))
        shown = Text(
            p.text,
            nx(left if p.leftward else left + p.width),
            ny(p.y + LABEL_SIZE * 0.35),
            nsize(LABEL_SIZE),
            "start" if p.leftward else "end",
            palette.text,
            box=box,
        )
        leader = Line(npt(start), anchor, palette.leader, nsize(LEADER_WIDTH))
        labels.append(Label(p.site, p.side, shown, leader, anchor))

    title_item = None
    if title_text:
        title_item = Text(
            title_text,
            nx(MARGIN),
            ny(MARGIN + TITLE_SIZE),
            nsize(TITLE_SIZE),
            "start",
            palette.text,
            bold=True,
        )

    legend_item = None
    if legend:
        words_ = condition[:1].upper() + condition[1:]
        size = LEGEND_SIZE
        sample_r = 0.0155
        text_w = measure(words_, 100.0) * size / 100.0
        span = sample_r * 4.2 + size * 0.6 + text_w
        x_start = (total_w - span) / 2
        cy = legend_top + size * 0.8
        legend_item = Legend(
            scene_lumps((x_start + sample_r * 1.8, cy), sample_r, "legend"),
            Text(
                words_,
                nx(x_start + sample_r * 4.2 + size * 0.6),
                ny(cy + size * 0.35),
                nsize(size),
                "start",
                palette.text,
                box=Box(nx(x_start), ny(legend_top), nx(span), ny(size * 1.6)),
            ),
        )

    alt = alt_text(chosen, audience, condition=condition)
    return Scene(
        aspect=total_w / total_h,
        palette=palette,
        figures=tuple(figures),
        clusters=tuple(clusters),
        labels=tuple(labels),
        title=title_item,
        legend=legend_item,
        alt=alt,
        sites=tuple(chosen),
    )
