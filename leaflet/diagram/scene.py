"""The renderer-neutral scene of a body-site diagram, and the function that lays one out."""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Literal

from leaflet.diagram.geometry import Art, FigureSide, View, art, skin_polygons
from leaflet.diagram.layout import distance_to_segment, spread, untangle
from leaflet.diagram.paths import Path, PathOp, Point, Region, flatten, rotate, smooth_ops
from leaflet.diagram.words import SceneWords
from leaflet.sites import SITES, Side, suggest_site

if TYPE_CHECKING:
    from leaflet.edition.blocks import Figure as FigureBlock

Audience = Literal["patient", "clinician"]
ViewName = Literal["body", "hand"]
Marker = Literal["lumps", "patch", "spots"]
"""How the diagram marks a site: a cluster of lumps, a shaded patch, or a scatter of spots."""
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
    patch_fill: str = "#D9897A"
    """Patches: a muted red, a shade darker than the skin (also in greyscale)."""
    patch_outline: str = "#8C3A2C"
    """Outline of each patch: dark red-brown, over 5:1 against the skin."""
    spot_fill: str = "#B4553F"
    """Spots: a deep red-brown, dark enough to show as small dots."""
    spot_outline: str = "#6E2A1F"
    """Outline of each spot."""
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
    """The marks drawn at one place where the signs show: lumps, a patch or spots."""

    site: str
    """Site id from SITES."""
    side: FigureSide
    """Which of the figure's own sides the marks are on."""
    lumps: tuple[Circle, ...]
    """Round marks, drawn in order: lumps of varied sizes (the last, largest, centred on the
    anchor), or a scatter of small spots (the first centred on the anchor); empty for a patch."""
    patches: tuple[Path, ...] = ()
    """Irregular shaded patches over the site, centred on the anchor (marker "patch")."""
    kind: Marker = "lumps"
    """Which marker this is."""
    centre: Point = (0.0, 0.0)
    """The anchor the marks are centred on, in scene coordinates."""
    area: Box | None = None
    """The site area the marks keep inside."""


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
    """A key: a sample of the marker and what it stands for."""

    lumps: tuple[Circle, ...]
    """The sample's round marks (lumps or spots)."""
    text: Text
    """What the marks are."""
    patches: tuple[Path, ...] = ()
    """The sample patch, for the marker "patch"."""
    kind: Marker = "lumps"
    """Which marker the sample shows, the same as the clusters'."""


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
    """The marks at each site, drawn over the figures and leaders."""
    labels: tuple[Label, ...]
    """One per requested site, in the columns beside the figures."""
    title: Text | None
    """A heading over the diagram, or None."""
    legend: Legend | None
    """The key under the diagram, or None."""
    sites: tuple[tuple[str, Side], ...] = field(default=())
    """The sites drawn, in content order."""
    label_size: float = 0.0
    """Font size of the labels, as a fraction of the scene height: the size actually used."""
    marker: Marker = "lumps"
    """How every site, and the legend's sample, is marked."""

    def fitted(self, width_pt: float, height_pt: float) -> tuple[float, float]:
        """The width and height the scene takes when fitted, undistorted, into a box."""
        width = min(width_pt, height_pt * self.aspect)
        return width, width / self.aspect

    def lumps(self) -> list[Circle]:
        """Every round mark drawn (lumps or spots): the clusters', then the legend's sample."""
        sample = list(self.legend.lumps) if self.legend else []
        return [lump for cluster in self.clusters for lump in cluster.lumps] + sample

    def patches(self) -> list[Path]:
        """Every patch drawn: the clusters', then the legend's sample; drawn before round marks."""
        sample = list(self.legend.patches) if self.legend else []
        return [patch for cluster in self.clusters for patch in cluster.patches] + sample

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
LEGEND_SAMPLE = 0.0155
MARGIN = 0.02
COLUMN_GAP = 0.045
LEADER_GAP = 0.008
OUTLINE_WIDTH = 0.0042
CREASE_WIDTH = 0.0026
LEADER_WIDTH = 0.0026
LUMP_OUTLINE_WIDTH = 0.0019
PATCH_OUTLINE_WIDTH = 0.0024
SPOT_OUTLINE_WIDTH = 0.0010
PATCH_REACH = 1.45
"""A patch's mean radius, in marker radii (a lump cluster spans about 1.2 each way)."""
SPOT_REACH = 1.5
"""How far from the anchor spots scatter, in marker radii."""
MARK_REACH: dict[Marker, float] = {"lumps": 1.9, "patch": PATCH_REACH * 1.22, "spots": SPOT_REACH}
"""How far each marker's marks may reach from the anchor, in marker radii: the site area."""


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


def default_measure(text: str, size: float) -> float:
    """Width of text in Atkinson Hyperlegible regular, in the units of size."""
    from leaflet.fonts import LEAFLET_FONT, text_width_pt

    return text_width_pt(text, LEAFLET_FONT, "regular", size)


def default_measure_bold(text: str, size: float) -> float:
    """Width of text in Atkinson Hyperlegible bold, in the units of size."""
    from leaflet.fonts import LEAFLET_FONT, text_width_pt

    return text_width_pt(text, LEAFLET_FONT, "bold", size)


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


def _patch(
    centre: Point, radius: float, key: str, inside: Callable[[Point], bool] | None = None
) -> tuple[PathOp, ...]:
    """An irregular patch round a centre, the same every time for the same key.

    A lopsided oval with a wavy edge, about PATCH_REACH marker radii across each way; with
    `inside`, each edge point is pulled towards the centre until it is on the skin, then the
    whole patch shrinks until its curved edge is too, so a patch on a finger stays on it.
    """
    rng = random.Random(zlib.crc32(f"patch:{key}".encode()))
    reach = radius * PATCH_REACH
    turn = rng.uniform(0, 180)
    squash = rng.uniform(0.72, 0.9)
    count = 11
    offsets: list[Point] = []
    for k in range(count):
        angle = 360 * k / count + rng.uniform(-9, 9)
        dx, dy = _polar(reach * rng.uniform(0.76, 1.14), angle)
        offsets.append(rotate((dx, dy * squash), turn))

    def at(offset: Point, scale: float) -> Point:
        return (centre[0] + offset[0] * scale, centre[1] + offset[1] * scale)

    if inside is not None:
        pulled = []
        for offset in offsets:
            scale = 1.0
            while scale > 0.3 and not inside(at(offset, scale)):
                scale *= 0.9
            pulled.append((offset[0] * scale, offset[1] * scale))
        offsets = pulled
    scale = 1.0
    for _ in range(12):
        ops = smooth_ops([at(o, scale) for o in offsets])
        if inside is None or all(inside(q) for pts, _ in flatten(ops, 6) for q in pts):
            break
        scale *= 0.9
    return tuple(smooth_ops([at(o, scale) for o in offsets]))


def _spots(
    centre: Point,
    radius: float,
    key: str,
    palette: Palette,
    inside: Callable[[Point], bool] | None = None,
) -> list[Circle]:
    """A scatter of small dots round a centre, the same every time for the same key.

    The first dot sits on the centre; the others fall within SPOT_REACH marker radii, apart
    from each other so each dot shows, and with `inside` on the skin.
    """
    rng = random.Random(zlib.crc32(f"spots:{key}".encode()))
    reach = radius * SPOT_REACH

    def dot(c: Point, r: float) -> Circle:
        return Circle(c, r, palette.spot_fill, palette.spot_outline, 0)

    spots = [dot(centre, radius * 0.3)]
    wanted = rng.choice((8, 9, 10))
    for _ in range(200):
        if len(spots) == wanted:
            break
        r = radius * rng.uniform(0.2, 0.3)
        dx, dy = _polar(reach * math.sqrt(rng.uniform(0.08, 1.0)) - r, rng.uniform(0, 360))
        c = (centre[0] + dx, centre[1] + dy)
        rim = [(c[0] + ex * r, c[1] + ey * r) for ex, ey in _COMPASS]
        if all(math.dist(c, o.centre) > r + o.radius + 0.2 * radius for o in spots) and (
            inside is None or all(inside(q) for q in rim)
        ):
            spots.append(dot(c, r))
    return spots


def _polar(distance: float, angle_deg: float) -> Point:
    a = math.radians(angle_deg)
    return (distance * math.cos(a), distance * math.sin(a))


@dataclass(frozen=True)
class _Placed:
    """A label chosen for a column, before any size is known."""

    site: str
    side: Side
    text: str
    width_100: float
    """Width of the text at size 100, in the units of size."""
    anchor: Point
    column: int
    leftward: bool


@dataclass(frozen=True)
class _Content:
    """Everything about a diagram that does not depend on its text size."""

    chosen: list[tuple[str, Side]]
    audience: Audience
    arts: list[Art]
    skins: list[Region]
    """Each figure's skin, to keep lumps on it."""
    bounds: list[tuple[float, float, float, float]]
    placed: list[_Placed]
    clusters: list[tuple[str, FigureSide, Point, int, int]]
    captions: list[str]
    """One per figure when captions are shown, else empty."""
    caption_widths_100: list[float]
    title: str
    title_width_100: float
    legend: str | None
    legend_width_100: float
    rtl: bool = False
    """Right to left: the legend's sample mark stands after its words, at the right."""


@dataclass(frozen=True)
class _Sizes:
    """Text sizes, in figure units (the figure is 1 high)."""

    label: float
    legend: float
    title: float
    pitch: float = 1.55
    """Distance between label centres in a column, in label sizes."""
    sample: float = LEGEND_SAMPLE
    """Radius of the legend's sample cluster."""


@dataclass(frozen=True)
class _Arrangement:
    """Where everything goes for one set of sizes, in figure units."""

    sizes: _Sizes
    col_x: list[float]
    col_width: list[float]
    fig_dx: list[float]
    fig_top: float
    fig_bottom: float
    label_y: list[float]
    """Centre line of each placed label, in the order of `_Content.placed`."""
    caption_baseline: float
    legend_top: float
    total_w: float
    total_h: float


@cache
def _art(view: View, mirrored: bool = False) -> Art:
    """A view's drawing, mirrored left to right if asked (cached: the geometry never changes)."""
    return _mirror_art(art(view)) if mirrored else art(view)


@cache
def _skin(view: View, mirrored: bool = False) -> Region:
    """Where a view's skin is, to keep lumps on it (cached with the drawing)."""
    return Region(skin_polygons(_art(view, mirrored)))


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


BOLD_WIDENING = 1.12
"""Without a bold measure, bold captions and titles are taken as this much wider than regular."""
MIN_FIGURE_SHARE = 0.5
"""Labels asked for in points may shrink the figure to this share of its size with tiny labels."""
TIGHT_PITCH = 1.33
"""Label pitch, in label sizes, for a column too long for the usual one: boxes almost touch."""
LARGEST_LABEL = 1.0
"""The search for a label size stops at labels as tall as the figure."""


def _content(
    sites: Sequence[tuple[str, Side]],
    view: ViewName,
    audience: Audience,
    legend: bool,
    measure: Measure,
    measure_bold: Measure,
    condition: str,
    title: str | None,
    given: SceneWords | None = None,
) -> _Content:
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
        arts = [_art("hand", mirrored)]
        skins = [_skin("hand", mirrored)]
        if given is not None:
            hand_caption = {
                frozenset({"left"}): given.hand_left,
                frozenset({"right"}): given.hand_right,
            }.get(frozenset(sides), given.palm)
        else:
            hand_caption = {
                frozenset({"left"}): "Left hand, palm side",
                frozenset({"right"}): "Right hand, palm side",
            }.get(frozenset(sides), "Palm side of the hand")
    else:
        backs = any(SITES[s].back for s, _ in chosen)
        fronts = any(not SITES[s].back for s, _ in chosen) or not chosen
        shown: tuple[tuple[View, bool], ...] = (("front", fronts), ("back", backs))
        views = [v for v, wanted in shown if wanted]
        arts = [_art(v) for v in views]
        skins = [_skin(v) for v in views]
    bounds = [_bounds(a) for a in arts]

    def words(site: str, side: Side) -> str:
        if given is not None:
            return given.label(site, side)
        text = site_words(site, "both" if view == "hand" else side, audience)
        return text[:1].upper() + text[1:]

    placed: list[_Placed] = []
    clusters: list[tuple[str, FigureSide, Point, int, int]] = []
    figure_of = {a.view: i for i, a in enumerate(arts)}
    ordered = sorted(chosen, key=lambda item: list(SITES).index(item[0]))
    for site, side in ordered:
        fig = figure_of["hand" if view == "hand" else ("back" if SITES[site].back else "front")]
        a = arts[fig]
        x0, _, x1, _ = bounds[fig]
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
            # ties go to the side lines begin on: the left, or the right for right to left
            start = -col if given is not None and given.rtl else col
            candidates.append((hits, near, total, start, col, option))
        *_, column, lead = min(candidates)
        text = words(site, side)
        anchor = a.anchors[site][lead][0]
        placed.append(
            _Placed(site, side, text, measure(text, 100.0), anchor, column, column == fig + 1)
        )
        drawn: list[FigureSide] = (
            ["left", "right"]
            if side == "both" and SITES[site].paired and view != "hand"
            else [lead]
        )
        for s in drawn:
            for k, point in enumerate(a.anchors[site][s]):
                clusters.append((site, s, point, fig, k))

    def caption(a: Art) -> str:
        if hand_caption or given is None:
            return hand_caption or a.caption
        return given.front if a.view == "front" else given.back

    captions = [caption(a) for a in arts] if len(arts) > 1 or view == "hand" else []
    title_text = title or ""
    if given is not None:
        legend_text = given.legend if legend else None
    else:
        legend_text = condition[:1].upper() + condition[1:] if legend and condition else None
    return _Content(
        chosen,
        audience,
        arts,
        skins,
        bounds,
        placed,
        clusters,
        captions,
        [measure_bold(c, 100.0) for c in captions],
        title_text,
        measure_bold(title_text, 100.0) if title_text else 0.0,
        legend_text,
        measure(legend_text, 100.0) if legend_text else 0.0,
        rtl=given is not None and given.rtl,
    )


def _legend_span(content: _Content, sizes: _Sizes) -> float:
    text_w = content.legend_width_100 * sizes.legend / 100.0
    return sizes.sample * 4.2 + sizes.legend * 0.6 + text_w


def _label_left(
    content: _Content, k: int, sizes: _Sizes, col_x: list[float], col_w: list[float]
) -> float:
    p = content.placed[k]
    width = p.width_100 * sizes.label / 100.0
    return col_x[p.column] if p.leftward else col_x[p.column] + col_w[p.column] - width


def _leader_x(col_x: list[float], col_w: list[float], column: int, leftward: bool) -> float:
    return col_x[column] - LEADER_GAP if leftward else col_x[column] + col_w[column] + LEADER_GAP


def _arrange(content: _Content, sizes: _Sizes) -> _Arrangement:
    """Columns and figures side by side, labels spread down their columns, text kept inside."""
    arts, bounds, placed = content.arts, content.bounds, content.placed
    size = sizes.label
    label_h = size * 1.3
    pitch = size * sizes.pitch
    widths = [p.width_100 * size / 100.0 for p in placed]

    # horizontal: column, figure, column, figure, …, column
    columns = len(arts) + 1
    col_width = [
        max((w for p, w in zip(placed, widths, strict=True) if p.column == c), default=0.0)
        for c in range(columns)
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

    # captions, title and legend may be wider than what the labels and figures leave them
    caption_half = [w * size / 100.0 / 2 for w in content.caption_widths_100]
    centres = [(b[0] + b[2]) / 2 + dx for b, dx in zip(bounds, fig_dx, strict=True)]
    left_need = max(
        [MARGIN - (c - h) for c, h in zip(centres, caption_half, strict=False)], default=0.0
    )
    right_need = max(
        [c + h - (total_w - MARGIN) for c, h in zip(centres, caption_half, strict=False)],
        default=0.0,
    )
    if content.title:
        title_w = content.title_width_100 * sizes.title / 100.0
        # the title may run into the right margin (it always has), never off the scene
        right_need = max(right_need, MARGIN + title_w - total_w)
    left_need, right_need = max(left_need, 0.0), max(right_need, 0.0)
    if content.legend is not None:
        room = total_w + left_need + right_need - 2 * MARGIN
        short = _legend_span(content, sizes) - room
        if short > 0:
            left_need += short / 2
            right_need += short / 2
    if left_need or right_need:
        col_x = [v + left_need for v in col_x]
        fig_dx = [v + left_need for v in fig_dx]
        total_w += left_need + right_need

    art_top = min(b[1] for b in bounds)
    art_height = max(b[3] for b in bounds) - art_top
    top = MARGIN
    if content.title:
        top += sizes.title * 1.6
    fig_top = top - art_top
    fig_bottom = top + art_height
    lo, hi = top + label_h / 2, fig_bottom - label_h / 2
    label_bottom = fig_bottom
    label_y = [0.0] * len(placed)
    for c in range(columns):
        members = sorted(
            (k for k, p in enumerate(placed) if p.column == c), key=lambda k: placed[k].anchor[1]
        )
        ys = spread([placed[k].anchor[1] + fig_top for k in members], pitch, lo, hi)
        for k, y in zip(members, ys, strict=True):
            label_y[k] = y
        if ys:
            label_bottom = max(label_bottom, ys[-1] + label_h / 2)
        for leftward in (False, True):
            group = [k for k in members if placed[k].leftward == leftward]
            edge = _leader_x(col_x, col_width, c, leftward)
            ends = [
                (
                    placed[k].anchor[0] + fig_dx[placed[k].column - leftward],
                    placed[k].anchor[1] + fig_top,
                )
                for k in group
            ]
            starts = untangle([(edge, label_y[k]) for k in group], ends)
            for k, start in zip(group, starts, strict=True):
                label_y[k] = start[1]

    bottom = label_bottom
    caption_baseline = fig_bottom + size * 1.5
    if content.captions:
        # a caption wider than its figure must pass under any label column beside it
        lowest = caption_baseline
        for centre, half in zip(centres, caption_half, strict=False):
            centre += left_need
            baseline = caption_baseline
            moved = True
            while moved:
                moved = False
                for k in range(len(placed)):
                    left = _label_left(content, k, sizes, col_x, col_width)
                    box_bottom = label_y[k] + label_h / 2
                    if (
                        left < centre + half
                        and centre - half < left + widths[k]
                        and label_y[k] - label_h / 2 < baseline + size * 0.3
                        and baseline - size < box_bottom
                    ):
                        baseline = box_bottom + size * 1.2
                        moved = True
            lowest = max(lowest, baseline)
        if lowest > caption_baseline:
            caption_baseline = lowest
            bottom = max(bottom, caption_baseline + size * 0.4)
        else:
            bottom = max(bottom, fig_bottom + size * 1.9)
    legend_top = bottom + size * 0.6
    if content.legend is not None:
        bottom = legend_top + sizes.legend * 1.6
    total_h = bottom + MARGIN
    return _Arrangement(
        sizes,
        col_x,
        col_width,
        fig_dx,
        fig_top,
        fig_bottom,
        label_y,
        caption_baseline,
        legend_top,
        total_w,
        total_h,
    )


def _scale(arranged: _Arrangement, height_pt: float, width_pt: float | None) -> float:
    """Points per figure unit when the scene is fitted into the box."""
    scale = height_pt / arranged.total_h
    if width_pt is not None:
        scale = min(scale, width_pt / arranged.total_w)
    return scale


def _sized(
    content: _Content, label_pt: float, height_pt: float, width_pt: float | None
) -> _Arrangement:
    """The arrangement whose labels come out at label_pt in the box, or the largest that fits.

    Larger labels widen the columns and may lengthen them, so the drawing shrinks as they grow:
    the label size in points rises towards a limit while the figure falls. The size stops where
    labels reach label_pt, or where the figure would fall below MIN_FIGURE_SHARE of its size
    beside tiny labels, whichever comes first.
    """

    art_height = max(b[3] for b in content.bounds) - min(b[1] for b in content.bounds)

    def figure_pt(a: _Arrangement) -> float:
        return art_height * _scale(a, height_pt, width_pt)

    def label_size_pt(a: _Arrangement) -> float:
        return a.sizes.label * _scale(a, height_pt, width_pt)

    def search(pitch: float) -> _Arrangement:
        def arranged(size: float) -> _Arrangement:
            title = size * TITLE_SIZE / LABEL_SIZE
            sample = size * LEGEND_SAMPLE / LEGEND_SIZE
            return _arrange(content, _Sizes(size, size, title, pitch, sample))

        floor = MIN_FIGURE_SHARE * figure_pt(arranged(1e-6))

        def ok(size: float) -> bool:
            a = arranged(size)
            return label_size_pt(a) < label_pt and figure_pt(a) >= floor

        lo, hi = 0.0, LARGEST_LABEL
        if ok(hi):
            return arranged(hi)
        for _ in range(60):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if ok(mid) else (lo, mid)
        # hi reaches label_pt unless the figure stopped it; then lo is the last size that fitted
        a = arranged(hi)
        return a if figure_pt(a) >= floor else arranged(lo)

    roomy = search(1.55)
    if label_size_pt(roomy) >= label_pt:
        return roomy
    # a long column: set its labels as close as lines of text before shrinking them further
    tight = search(TIGHT_PITCH)
    return tight if label_size_pt(tight) > label_size_pt(roomy) else roomy


def build_scene(
    sites: Sequence[tuple[str, Side]],
    *,
    view: ViewName = "body",
    audience: Audience = "patient",
    legend: bool = True,
    measure: Measure | None = None,
    condition: str = "",
    title: str | None = None,
    palette: Palette | None = None,
    measure_bold: Measure | None = None,
    label_pt: float | None = None,
    height_pt: float | None = None,
    width_pt: float | None = None,
    words: SceneWords | None = None,
    marker: Marker = "lumps",
) -> Scene:
    """Lay out a diagram of where the condition shows, each site marked as `marker` says.

    `measure(text, size)` gives a text width in the units of size and must scale linearly with
    size (default: Atkinson Hyperlegible); `measure_bold` does the same for the bold captions and
    title (default: Atkinson bold, or `measure` widened by BOLD_WIDENING when only that is given).
    `condition` names the marks in the legend when no `words` are given (the edition's words
    are: compose decides them); `title` is drawn above the figure (None or "": no title).

    By default text sizes are fixed fractions of the figure. With `label_pt` and `height_pt` (and
    optionally `width_pt`) the labels, captions and legend are sized to come out at label_pt when
    the scene is fitted into that box, or as near as they can while the figure keeps
    MIN_FIGURE_SHARE of its size; `Scene.label_size` says what was used.

    The scene holds no text alternative: the edition's figure has the one alt text outputs use.

    Raises ValueError for an unknown site, or one the chosen view cannot show.
    """
    if measure_bold is None:
        if measure is None:
            measure_bold = default_measure_bold
        else:
            regular = measure

            def measure_bold(text: str, size: float) -> float:
                return regular(text, size) * BOLD_WIDENING

    measure = measure or default_measure
    palette = palette or Palette()
    content = _content(
        sites, view, audience, legend, measure, measure_bold, condition, title, words
    )
    if label_pt is None:
        arranged = _arrange(content, _Sizes(LABEL_SIZE, LEGEND_SIZE, TITLE_SIZE))
    elif height_pt is None or label_pt <= 0 or height_pt <= 0:
        raise ValueError("label_pt needs a positive height_pt, the height the scene is drawn at")
    else:
        arranged = _sized(content, label_pt, height_pt, width_pt)
    if marker not in ("lumps", "patch", "spots"):
        raise ValueError(f"marker must be lumps, patch or spots, not {marker!r}")
    return _scene(content, arranged, palette, marker)


def _scene(content: _Content, arranged: _Arrangement, palette: Palette, marker: Marker) -> Scene:
    arts, bounds, sizes = content.arts, content.bounds, arranged.sizes
    label_h = sizes.label * 1.3
    total_w, total_h = arranged.total_w, arranged.total_h
    fig_dx, fig_top = arranged.fig_dx, arranged.fig_top
    col_x, col_width = arranged.col_x, arranged.col_width

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
        if content.captions:
            caption = Text(
                content.captions[i],
                nx((x0 + x1) / 2 + dx),
                ny(arranged.caption_baseline),
                nsize(sizes.label),
                "middle",
                palette.text,
                bold=True,
            )
        figures.append(Figure(a.view, paths, box, caption))

    skins = content.skins

    def on_skin(fig: int | None) -> Callable[[Point], bool] | None:
        if fig is None:
            return None
        skin = skins[fig]
        dx, dy = fig_dx[fig], fig_top

        def inside(q: Point) -> bool:
            return skin.contains((q[0] - dx, q[1] - dy))

        return inside

    def scene_marks(
        centre_fu: Point, radius_fu: float, key: str, fig: int | None = None
    ) -> tuple[tuple[Circle, ...], tuple[Path, ...]]:
        """The marker's round marks and patches at one place, in scene coordinates."""
        inside = on_skin(fig)
        if marker == "patch":
            ops = _patch(centre_fu, radius_fu, key, inside)
            outline = Path(ops, palette.patch_fill, palette.patch_outline, PATCH_OUTLINE_WIDTH)
            return (), (outline.map(npt, 1 / total_h),)
        if marker == "spots":
            round_marks = _spots(centre_fu, radius_fu, key, palette, inside)
            width = SPOT_OUTLINE_WIDTH
        else:
            round_marks = _lumps(centre_fu, radius_fu, key, palette, inside)
            width = LUMP_OUTLINE_WIDTH
        circles = tuple(
            Circle(npt(c.centre), nsize(c.radius), c.fill, c.stroke, nsize(width))
            for c in round_marks
        )
        return circles, ()

    def site_area(centre_fu: Point, radius_fu: float) -> Box:
        """The room a site's marks may take: a square round the anchor."""
        reach = radius_fu * MARK_REACH[marker]
        return Box(nx(centre_fu[0] - reach), ny(centre_fu[1] - reach), nx(2 * reach), ny(2 * reach))

    clusters = []
    for site, s, point, fig, k in content.clusters:
        centre = (point[0] + fig_dx[fig], point[1] + fig_top)
        radius = arts[fig].marker_radius
        circles, patches = scene_marks(centre, radius, f"{site}:{s}:{k}", fig)
        area = site_area(centre, radius)
        clusters.append(Cluster(site, s, circles, patches, marker, npt(centre), area))

    labels: list[Label] = []
    order = [s for s, _ in content.chosen]
    for k in sorted(range(len(content.placed)), key=lambda k: order.index(content.placed[k].site)):
        p = content.placed[k]
        y = arranged.label_y[k]
        width = p.width_100 * sizes.label / 100.0
        fig = p.column - 1 if p.leftward else p.column
        anchor = npt((p.anchor[0] + fig_dx[fig], p.anchor[1] + fig_top))
        left = _label_left(content, k, sizes, col_x, col_width)
        start = (_leader_x(col_x, col_width, p.column, p.leftward), y)
        box = Box(nx(left), ny(y - label_h / 2), nx(width), ny(label_h))
        shown = Text(
            p.text,
            nx(left if p.leftward else left + width),
            ny(y + sizes.label * 0.35),
            nsize(sizes.label),
            "start" if p.leftward else "end",
            palette.text,
            box=box,
        )
        leader = Line(npt(start), anchor, palette.leader, nsize(LEADER_WIDTH))
        labels.append(Label(p.site, p.side, shown, leader, anchor))

    title_item = None
    if content.title:
        title_item = Text(
            content.title,
            nx(MARGIN),
            ny(MARGIN + sizes.title),
            nsize(sizes.title),
            "start",
            palette.text,
            bold=True,
        )

    legend_item = None
    if content.legend is not None:
        size = sizes.legend
        sample_r = sizes.sample
        span = _legend_span(content, sizes)
        x_start = (total_w - span) / 2
        legend_top = arranged.legend_top
        cy = legend_top + size * 0.8
        sample_x = x_start + sample_r * 1.8
        text_x = x_start + sample_r * 4.2 + size * 0.6
        if content.rtl:  # mirrored within the legend's span
            sample_x, text_x = x_start + span - sample_r * 1.8, x_start + span - sample_r * 4.2
        circles, patches = scene_marks((sample_x, cy), sample_r, "legend")
        legend_item = Legend(
            circles,
            Text(
                content.legend,
                nx(text_x - (size * 0.6 if content.rtl else 0)),
                ny(cy + size * 0.35),
                nsize(size),
                "end" if content.rtl else "start",
                palette.text,
                box=Box(nx(x_start), ny(legend_top), nx(span), ny(size * 1.6)),
            ),
            patches,
            marker,
        )

    return Scene(
        aspect=total_w / total_h,
        palette=palette,
        figures=tuple(figures),
        clusters=tuple(clusters),
        labels=tuple(labels),
        title=title_item,
        legend=legend_item,
        sites=tuple(content.chosen),
        label_size=nsize(sizes.label),
        marker=marker,
    )


def figure_scene(
    figure: FigureBlock, *, label_pt: float, width_pt: float, height_pt: float
) -> Scene:
    """The scene of an edition's Figure block, sized to its box, in the figure's own words.

    One place for what every backend asks of a Figure (its sites, view, words and marker; no
    title: the output gives the figure its heading), whatever size it is drawn at.
    """
    return build_scene(
        figure.sites,  # type: ignore[arg-type]
        view=figure.view,
        audience="patient",
        legend=figure.words.legend is not None,
        title="",
        words=figure.words,
        marker=figure.marker,
        label_pt=label_pt,
        height_pt=height_pt,
        width_pt=width_pt,
    )
