"""The diagram marks each site as the content says (`meta.marker`: lumps, patch or spots), in the
scene, in the leaflet's PDF and in the deck's native shapes; alt text is the edition's alone."""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import math
import re
from pathlib import Path
from typing import Any, get_args

import pytest

from leaflet.colour import contrast_ratio
from leaflet.diagram import build_scene as _build_scene
from leaflet.diagram.paths import Region, flatten
from leaflet.diagram.scene import Box, Circle, Marker, Palette, Scene
from leaflet.edition import EDITIONS, Edition, compose
from leaflet.edition.blocks import Figure
from leaflet.loader import load
from leaflet.model import Document
from leaflet.renderers import Options
from leaflet.sites import Side

# the scene names nothing itself; these tests lay out the calcinosis example's words
build_scene = functools.partial(
    _build_scene, condition="calcium deposits", title="Where calcium deposits form"
)

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).parent / "cases"
MARKERS: tuple[Marker, ...] = ("lumps", "patch", "spots")
PALETTE = Palette()

FRONT_AND_BACK: list[tuple[str, Side]] = [
    ("scalp", "both"),
    ("elbows", "both"),
    ("knees", "left"),
    ("back", "both"),
    ("calves", "right"),
]
SCENES: dict[str, tuple[list[tuple[str, Side]], str]] = {
    "front-and-back": (FRONT_AND_BACK, "body"),
    "calcinosis": (
        [("fingers", "both"), ("elbows", "both"), ("face", "both"), ("shoulders", "both")],
        "body",
    ),
    "back-only": ([("back", "both"), ("buttocks", "left"), ("calves", "both")], "body"),
    "hand": ([("fingers", "both"), ("fingertips", "both"), ("hands", "both")], "hand"),
    "left-hand": ([("fingers", "left"), ("wrists", "left")], "hand"),
}


def scene_of(name: str, marker: Marker) -> Scene:
    sites, view = SCENES[name]
    return build_scene(sites, view=view, marker=marker)  # type: ignore[arg-type]


def skin_of(scene: Scene) -> Region:
    """Where the scene's figures have skin, in scene coordinates."""
    return Region(
        [
            points
            for figure in scene.figures
            for path in figure.paths
            if path.fill == PALETTE.skin
            for points, _ in flatten(path.ops)
        ]
    )


def inside(box: Box, p: tuple[float, float]) -> bool:
    eps = 1e-9
    return (
        box.x - eps <= p[0] <= box.x + box.width + eps
        and box.y - eps <= p[1] <= box.y + box.height + eps
    )


def rim(c: Circle, aspect: float) -> list[tuple[float, float]]:
    """Points round a circle's edge in scene coordinates (its radius is a share of the height)."""
    return [
        (c.centre[0] + math.cos(a) * c.radius / aspect, c.centre[1] + math.sin(a) * c.radius)
        for a in (k * math.pi / 4 for k in range(8))
    ]


# --- the scene ----------------------------------------------------------------------------


def test_the_diagram_knows_the_models_markers() -> None:
    from leaflet.model import Marker as ModelMarker

    assert get_args(Marker) == get_args(ModelMarker) == MARKERS


@pytest.mark.parametrize("name", SCENES)
def test_lumps_are_clusters_of_cream_lumps(name: str) -> None:
    scene = scene_of(name, "lumps")
    assert scene.marker == "lumps"
    for cluster in scene.clusters:
        assert cluster.kind == "lumps" and not cluster.patches
        # as many as fit on the skin, up to seven (a shoulder's edge leaves room for fewer)
        assert 3 <= len(cluster.lumps) <= 7
        assert cluster.area is not None
        for c in cluster.lumps:
            assert inside(cluster.area, c.centre), cluster.site
        assert {c.fill for c in cluster.lumps} == {PALETTE.marker_fill}
        # the largest lump, drawn last, sits on the site's anchor
        assert cluster.lumps[-1].centre == cluster.centre
        assert cluster.lumps[-1].radius == max(c.radius for c in cluster.lumps)


@pytest.mark.parametrize("name", SCENES)
def test_a_patch_is_one_irregular_outlined_shape_over_each_site_on_the_skin(name: str) -> None:
    scene = scene_of(name, "patch")
    skin = skin_of(scene)
    assert scene.marker == "patch" and scene.clusters
    assert not scene.lumps()
    for cluster in scene.clusters:
        assert cluster.kind == "patch" and not cluster.lumps
        (patch,) = cluster.patches
        assert (patch.fill, patch.stroke) == (PALETTE.patch_fill, PALETTE.patch_outline)
        assert patch.stroke_width > 0
        ((points, closed),) = flatten(patch.ops)
        assert closed
        assert cluster.area is not None
        assert all(inside(cluster.area, p) for p in points), cluster.site
        assert all(skin.contains(p) for p in points), cluster.site
        # it covers the anchor and spreads round it: not a dot, not a circle
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        assert min(xs) < cluster.centre[0] < max(xs) and min(ys) < cluster.centre[1] < max(ys)
        reach = [
            math.hypot((p[0] - cluster.centre[0]) * scene.aspect, p[1] - cluster.centre[1])
            for p in points
        ]
        assert max(reach) > 1.15 * min(reach), cluster.site
        height = max(ys) - min(ys)
        assert height > 0.4 * cluster.area.height, cluster.site


@pytest.mark.parametrize("name", SCENES)
def test_spots_are_a_scatter_of_small_separate_dots_on_the_skin(name: str) -> None:
    scene = scene_of(name, "spots")
    lumps = scene_of(name, "lumps")
    skin = skin_of(scene)
    for cluster, lump_cluster in zip(scene.clusters, lumps.clusters, strict=True):
        assert cluster.kind == "spots" and not cluster.patches
        assert 5 <= len(cluster.lumps) <= 10, cluster.site  # fewer where the skin is narrow
        assert {c.fill for c in cluster.lumps} == {PALETTE.spot_fill}
        assert cluster.lumps[0].centre == cluster.centre
        # every spot is small: about half the main lump the same site would get, or less
        assert max(c.radius for c in cluster.lumps) < 0.55 * lump_cluster.lumps[-1].radius
        assert cluster.area is not None
        for c in cluster.lumps:
            assert all(inside(cluster.area, p) for p in rim(c, scene.aspect)), cluster.site
            assert all(skin.contains(p) for p in rim(c, scene.aspect)), cluster.site
        for a, b in itertools.combinations(cluster.lumps, 2):
            gap = math.hypot((a.centre[0] - b.centre[0]) * scene.aspect, a.centre[1] - b.centre[1])
            assert gap > a.radius + b.radius, cluster.site


@pytest.mark.parametrize("marker", MARKERS)
def test_the_legend_swatch_is_the_marker(marker: Marker) -> None:
    scene = scene_of("front-and-back", marker)
    legend = scene.legend
    assert legend is not None and legend.kind == marker
    if marker == "patch":
        assert not legend.lumps
        (patch,) = legend.patches
        assert (patch.fill, patch.stroke) == (PALETTE.patch_fill, PALETTE.patch_outline)
        ((points, _),) = flatten(patch.ops)
        box = legend.text.box
        assert box is not None and all(inside(box, p) for p in points)
        # left of the legend's words
        assert max(p[0] for p in points) < legend.text.x
    else:
        assert not legend.patches
        fill = PALETTE.marker_fill if marker == "lumps" else PALETTE.spot_fill
        assert {c.fill for c in legend.lumps} == {fill}
        count = len(legend.lumps)
        assert 5 <= count <= 7 if marker == "lumps" else 8 <= count <= 10
        assert all(c.centre[0] < legend.text.x for c in legend.lumps)


@pytest.mark.parametrize("marker", MARKERS)
def test_marks_are_the_same_every_time_and_differ_from_site_to_site(marker: Marker) -> None:
    first, again = scene_of("front-and-back", marker), scene_of("front-and-back", marker)
    assert first == again

    def shape(cluster: Any) -> list[tuple[float, float]]:
        """The marks relative to their anchor: equal only for the same shape."""
        cx, cy = cluster.centre
        if cluster.patches:
            return [(x - cx, y - cy) for x, y in flatten(cluster.patches[0].ops)[0][0]]
        return [(round(c.centre[0] - cx, 9), round(c.centre[1] - cy, 9)) for c in cluster.lumps]

    shapes = [shape(c) for c in first.clusters]
    assert all(a != b for a, b in itertools.combinations(shapes, 2))


def test_the_layout_does_not_depend_on_the_marker() -> None:
    scenes = [scene_of("front-and-back", m) for m in MARKERS]
    assert len({(s.aspect, tuple(label.box for label in s.labels)) for s in scenes}) == 1
    assert len({tuple(c.centre for c in s.clusters) for s in scenes}) == 1


def test_patches_and_spots_show_on_the_skin_in_colour_and_in_greyscale() -> None:
    # outlines meet the 3:1 of WCAG's non-text contrast against the skin
    assert contrast_ratio(PALETTE.patch_outline, PALETTE.skin) >= 3
    assert contrast_ratio(PALETTE.spot_fill, PALETTE.skin) >= 3
    # a fill darker than the skin reads as a shaded area even without colour
    assert contrast_ratio(PALETTE.patch_fill, PALETTE.skin) >= 1.8


def test_an_unknown_marker_is_an_error() -> None:
    with pytest.raises(ValueError, match="marker must be lumps, patch or spots, not 'dots'"):
        build_scene([("knees", "both")], marker="dots")  # type: ignore[arg-type]


# --- reportlab ----------------------------------------------------------------------------


def fill_colours(operators: str) -> list[str]:
    """The fill colours a PDF content stream sets (`r g b rg`), as #RRGGBB."""
    found = re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", operators)
    return ["#" + "".join(f"{round(float(v) * 255):02X}" for v in rgb) for rgb in found]


def shapes_of(scene: Scene) -> str:
    from leaflet.diagram.draw_reportlab import pdf_shapes

    return "\n".join(pdf_shapes(scene, 300))


def test_reportlab_draws_a_patch_as_a_filled_outlined_path_and_no_lumps() -> None:
    lumps, patch = scene_of("front-and-back", "lumps"), scene_of("front-and-back", "patch")
    lump_ops, patch_ops = shapes_of(lumps), shapes_of(patch)
    assert lump_ops != patch_ops
    assert PALETTE.marker_fill in fill_colours(lump_ops)
    assert PALETTE.patch_fill not in fill_colours(lump_ops)
    assert PALETTE.patch_fill in fill_colours(patch_ops)
    assert PALETTE.marker_fill not in fill_colours(patch_ops)
    # every patch (each site's and the legend's) is one closed path, filled and stroked ('B')
    figure_paths = sum(len(f.paths) for f in patch.figures)
    marks = len(patch.patches())
    assert marks == len(patch.clusters) + 1
    assert patch_ops.count(" B") + patch_ops.count("\nB") >= marks
    assert len(patch_ops.split("\n")) < len(lump_ops.split("\n"))  # one path, not 5-7 circles
    assert figure_paths  # the figures are drawn too


def test_reportlab_draws_spots_in_their_own_colour() -> None:
    ops = shapes_of(scene_of("hand", "spots"))
    assert PALETTE.spot_fill in fill_colours(ops)
    assert PALETTE.marker_fill not in fill_colours(ops)


# --- whole outputs ----------------------------------------------------------------------------


def with_marker(document: Document, marker: Marker) -> Document:
    meta = document.meta.model_copy(update={"marker": marker})
    return document.model_copy(update={"meta": meta})


def figures_of(edition: Edition) -> list[Figure]:
    return [b for section in edition.sections for b in section.body if isinstance(b, Figure)]


def leaflet_pdf(document: Document, folder: Path) -> bytes:
    from leaflet.renderers.leaflet_pdf import render

    return render(compose(document, EDITIONS["leaflet"]), Options(project_dir=folder)).data


def page_operators(data: bytes) -> str:
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(data)).pages
    return "\n".join(p.get_contents().get_data().decode("latin-1") for p in pages)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def psoriasis_leaflet() -> Document:
    return load(CASES / "leaflet-psoriasis.yaml")


def test_the_psoriasis_leaflet_draws_patches_where_calcinosis_draws_lumps(
    psoriasis_leaflet: Document, document: Document
) -> None:
    assert psoriasis_leaflet.meta.marker == "patch"
    patch = fill_colours(page_operators(leaflet_pdf(psoriasis_leaflet, CASES)))
    assert PALETTE.patch_fill in patch and PALETTE.marker_fill not in patch
    lumps = fill_colours(page_operators(leaflet_pdf(document, ROOT)))
    assert PALETTE.marker_fill in lumps and PALETTE.patch_fill not in lumps


def test_a_leaflet_with_spots_draws_spots(psoriasis_leaflet: Document) -> None:
    colours = fill_colours(
        page_operators(leaflet_pdf(with_marker(psoriasis_leaflet, "spots"), CASES))
    )
    assert PALETTE.spot_fill in colours
    assert PALETTE.patch_fill not in colours and PALETTE.marker_fill not in colours


def test_the_leaflet_figures_alt_text_is_composes(psoriasis_leaflet: Document) -> None:
    import pikepdf

    edition = compose(psoriasis_leaflet, EDITIONS["leaflet"])
    (figure,) = figures_of(edition)
    data = leaflet_pdf(psoriasis_leaflet, CASES)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        alts = [
            str(obj.Alt)
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure" and "/Alt" in obj
        ]
    assert figure.alt in alts
    assert "patches" in figure.alt.lower()


def deck_groups(document: Document, folder: Path) -> list[Any]:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    from leaflet.renderers.deck_pptx import render

    data = render(compose(document, EDITIONS["deck"]), Options(project_dir=folder)).data
    prs = Presentation(io.BytesIO(data))
    return [
        s
        for slide in prs.slides
        for s in slide.shapes
        if s.shape_type == MSO_SHAPE_TYPE.GROUP and s.name != "QR code"
    ]


def geometry(shape: Any) -> str:
    """ "custGeom" for a freeform, else the preset's name ("ellipse", "rect", "line")."""
    from pptx.oxml.ns import qn

    sp_pr = shape._element.find(qn("p:spPr"))
    if sp_pr.find(qn("a:custGeom")) is not None:
        return "custGeom"
    return str(sp_pr.find(qn("a:prstGeom")).get("prst"))


@pytest.fixture(scope="module")
def psoriasis_deck() -> Document:
    return load(CASES / "psoriasis" / "content.yaml")


def test_the_psoriasis_decks_diagrams_hold_freeform_patches_and_no_lump_ellipses(
    psoriasis_deck: Document,
) -> None:
    assert psoriasis_deck.meta.marker == "patch"
    groups = deck_groups(psoriasis_deck, CASES / "psoriasis")
    assert groups
    for group in groups:
        shapes = list(group.shapes)
        patches = [s for s in shapes if s.name.startswith("Patch: ")]
        assert patches
        assert {geometry(s) for s in patches} == {"custGeom"}
        assert not [s for s in shapes if geometry(s) == "ellipse"]
        assert not [s for s in shapes if s.name.startswith("Lump")]
        fills = {str(s.fill.fore_color.rgb) for s in patches}
        assert fills == {PALETTE.patch_fill[1:]}
        assert any(s.name == "Patch: legend" for s in patches)


def test_the_psoriasis_deck_with_spots_draws_ovals_named_spots(psoriasis_deck: Document) -> None:
    for group in deck_groups(with_marker(psoriasis_deck, "spots"), CASES / "psoriasis"):
        shapes = list(group.shapes)
        spots = [s for s in shapes if s.name.startswith("Spot: ")]
        assert spots and {geometry(s) for s in spots} == {"ellipse"}
        assert not [s for s in shapes if s.name.startswith(("Lump", "Patch"))]


def test_the_decks_diagram_groups_carry_composes_alt_text(psoriasis_deck: Document) -> None:
    edition = compose(psoriasis_deck, EDITIONS["deck"])
    alts = [f.alt for f in figures_of(edition)]
    groups = deck_groups(psoriasis_deck, CASES / "psoriasis")
    assert [g._element.nvGrpSpPr.cNvPr.get("descr") for g in groups] == alts


def label_langs(group: Any) -> set[str | None]:
    from pptx.oxml.ns import qn

    return {
        r.get("lang")
        for s in group.shapes
        if s.name.startswith("Label: ")
        for r in s._element.iter(qn("a:rPr"))
    }


def test_the_spanish_decks_diagram_labels_are_marked_spanish() -> None:
    spanish = load(CASES / "es" / "content.yaml")
    groups = deck_groups(spanish, CASES / "es")
    assert groups
    for group in groups:
        labels = [s for s in group.shapes if s.name.startswith("Label: ")]
        assert labels
        assert label_langs(group) == {"es"}


def test_the_shipped_decks_diagram_labels_are_marked_in_its_language(document: Document) -> None:
    for group in deck_groups(document, ROOT):
        assert label_langs(group) == {document.meta.language}


# --- the shipped outputs keep their lumps -----------------------------------------------------

PINNED = {
    # sha256 of the diagram's PDF operators and of its pptx group (label lang dropped), as main
    # drew them before markers existed: lumps are drawn byte for byte as they were
    "body": (
        "19f631ecd3b8d5c67532752f0ab15dbcf39975cb36b6ac0c20f6065443b174a7",
        "5aa1b5c97444052af15d15ac7872c38f75696b47d270a868c78f900cadfe8ae6",
    ),
    "hand": (
        "8c8df7fcdbea6b4a4cf87a2d6735d68821d1f0e4de6c43c57b38298322c397f9",
        "d9e4e963f85b203b8401c5344dad210728a235ab0ca55a712ff49b8f0a2fab37",
    ),
    "back": (
        "8bed65495f8a9c3fbe98d8854159cd9659584057d8febc78b2f41f6dcdef05ac",
        "5c9433ea7eef44e4ded21bf8f26ddc45f0a5763417478e823f6590128e557d54",
    ),
}
PINNED_SITES: dict[str, tuple[list[tuple[str, Side]], str]] = {
    "body": (SCENES["calcinosis"][0], "body"),
    "hand": ([("fingers", "both"), ("fingertips", "left")], "hand"),
    "back": ([("back", "both"), ("calves", "left")], "body"),
}


@pytest.mark.parametrize("name", PINNED)
def test_lumps_are_drawn_exactly_as_before_markers(name: str) -> None:
    from lxml import etree
    from pptx import Presentation
    from pptx.util import Inches

    from leaflet.diagram.draw_pptx import add_diagram

    sites, view = PINNED_SITES[name]
    scene = build_scene(sites, view=view, title="")  # type: ignore[arg-type]
    pdf = hashlib.sha256(shapes_of(scene).encode()).hexdigest()
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    box = (Inches(1), Inches(0.5), Inches(8), Inches(6.5))
    group = add_diagram(slide.shapes, scene, *box, alt="A", lang="en-GB")
    xml = etree.tostring(group._element).decode().replace(' lang="en-GB"', "")
    assert (pdf, hashlib.sha256(xml.encode()).hexdigest()) == PINNED[name]
