"""The body-site diagram: a scene a reader can follow, drawn the same way by all three backends."""

from __future__ import annotations

import functools
import io
import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from leaflet.diagram import build_scene as _build_scene
from leaflet.diagram.geometry import art, skin_polygons
from leaflet.diagram.paths import Region, segments_cross
from leaflet.diagram.scene import Box, Measure, Scene
from leaflet.sites import SITES, Side

# The scene names nothing itself (compose gives it the edition's words); these tests lay out the
# calcinosis example, as the shipped content names its signs.
build_scene = functools.partial(
    _build_scene, condition="calcium deposits", title="Where calcium deposits form"
)

CALCINOSIS: list[tuple[str, Side]] = [
    ("fingers", "both"),
    ("elbows", "both"),
    ("face", "both"),
    ("shoulders", "both"),
]
ALL_SITES: list[tuple[str, Side]] = [(site, "both") for site in SITES]
SUBSETS: dict[str, list[tuple[str, Side]]] = {
    "calcinosis": CALCINOSIS,
    "all": ALL_SITES,
    "all-left": [(s, "left" if SITES[s].paired else "both") for s in SITES],
    "all-right": [(s, "right" if SITES[s].paired else "both") for s in SITES],
    "hand-and-arm": [
        ("fingers", "both"),
        ("fingertips", "left"),
        ("hands", "right"),
        ("wrists", "both"),
        ("forearms", "left"),
        ("elbows", "right"),
    ],
    "legs-and-back": [
        ("knees", "both"),
        ("calves", "both"),
        ("buttocks", "left"),
        ("back", "both"),
        ("shins", "right"),
        ("toes", "both"),
    ],
    "head": [("scalp", "both"), ("face", "both"), ("ears", "both"), ("neck", "both")],
    "back-only": [("back", "both"), ("calves", "right")],
    "one": [("knees", "left")],
}
HAND: list[tuple[str, Side]] = [
    ("fingers", "both"),
    ("fingertips", "both"),
    ("hands", "both"),
    ("wrists", "both"),
]


def assert_readable(scene: Scene, sites: list[tuple[str, Side]]) -> None:
    wanted = {site for site, _ in sites}
    assert {label.site for label in scene.labels} == wanted
    assert {cluster.site for cluster in scene.clusters} == wanted
    for label in scene.labels:
        assert label.text.text
        assert label.box.x >= 0
        assert label.box.x + label.box.width <= 1
        assert label.box.y >= 0
        assert label.box.y + label.box.height <= 1
        for figure in scene.figures:
            assert not label.box.overlaps(figure.box), (label.text.text, figure.view)
    for a, b in itertools.combinations(scene.labels, 2):
        assert not a.box.overlaps(b.box), (a.text.text, b.text.text)
        assert not segments_cross(a.leader.start, a.leader.end, b.leader.start, b.leader.end), (
            a.text.text,
            b.text.text,
        )
    for label in scene.labels:
        assert any(
            cluster.centre == label.anchor
            for cluster in scene.clusters
            if cluster.site == label.site
        )
        for cluster in scene.clusters:
            if cluster.kind == "lumps":
                assert cluster.lumps[-1].centre == cluster.centre


@pytest.mark.parametrize("name", SUBSETS)
@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_every_site_is_labelled_without_overlaps_or_crossed_leaders(
    name: str, audience: str
) -> None:
    sites = SUBSETS[name]
    assert_readable(build_scene(sites, audience=audience), sites)  # type: ignore[arg-type]


def random_subsets(count: int) -> list[list[tuple[str, Side]]]:
    import random

    rng = random.Random(3)
    subsets = []
    for _ in range(count):
        chosen = rng.sample(list(SITES), rng.randint(1, len(SITES)))
        sides: list[Side] = ["both", "left", "right"]
        subsets.append([(s, rng.choice(sides) if SITES[s].paired else "both") for s in chosen])
    return subsets


@pytest.mark.parametrize("sites", random_subsets(40))
def test_any_subset_lays_out_cleanly(sites: list[tuple[str, Side]]) -> None:
    assert_readable(build_scene(sites), sites)


def test_left_hand_only_draws_the_left_hand() -> None:
    scene = build_scene([("fingers", "left"), ("wrists", "left")], view="hand")
    assert scene.figures[0].caption is not None
    assert scene.figures[0].caption.text == "Left hand, palm side"
    assert [label.text.text for label in scene.labels] == ["Fingers", "Wrists"]


def test_hand_view_labels_fingers_fingertips_hands_and_wrists() -> None:
    scene = build_scene(HAND, view="hand")
    assert_readable(scene, HAND)
    assert [f.view for f in scene.figures] == ["hand"]
    assert [label.text.text for label in scene.labels] == [
        "Fingers",
        "Fingertips",
        "Hands",
        "Wrists",
    ]


def test_back_sites_are_drawn_on_a_back_view() -> None:
    scene = build_scene([("face", "both"), ("calves", "both")])
    assert [f.view for f in scene.figures] == ["front", "back"]
    calves = next(label for label in scene.labels if label.site == "calves")
    back = scene.figures[1].box
    assert back.x <= calves.anchor[0] <= back.x + back.width


def test_a_side_is_drawn_and_named_correctly_on_the_front_view() -> None:
    scene = build_scene([("elbows", "left")])
    (label,) = scene.labels
    assert label.text.text == "Left elbow"
    figure = scene.figures[0].box
    # the figure's own left is on the viewer's right
    assert label.anchor[0] > figure.x + figure.width / 2
    assert label.box.x > figure.x + figure.width
    assert {c.side for c in scene.clusters} == {"left"}


def test_both_sides_draw_lumps_on_both_sides() -> None:
    scene = build_scene([("knees", "both")])
    assert {c.side for c in scene.clusters} == {"left", "right"}


def test_unknown_site_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"unknown body site 'elbow'; did you mean 'elbows'\?"):
        build_scene([("fingers", "both"), ("elbow", "both")])


def test_site_not_on_the_hand_view_is_an_error() -> None:
    with pytest.raises(ValueError, match="'knees' is not drawn on the hand view"):
        build_scene([("knees", "both")], view="hand")


def test_the_scene_decides_no_alt_text() -> None:
    """Alt text is compose's (the edition's Figure.alt): the scene neither makes nor carries one."""
    import leaflet.diagram
    import leaflet.diagram.scene

    scene = build_scene(CALCINOSIS)
    assert not hasattr(scene, "alt")
    assert not hasattr(leaflet.diagram, "alt_text")
    assert not hasattr(leaflet.diagram.scene, "alt_text")


def test_scene_is_the_same_every_time() -> None:
    assert build_scene(ALL_SITES) == build_scene(ALL_SITES)


def test_scene_module_imports_no_drawing_library() -> None:
    code = (
        "import sys, leaflet.diagram.scene, leaflet.diagram;"
        "print(sorted(m for m in ('reportlab', 'pptx', 'PIL') if m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=root,
        env={"PYTHONPATH": str(root)},
    )
    assert out.stdout.strip() == "[]"


ALT = "Diagram: where the signs show (alt text as the edition's figure gives it)."


def labels_of(scene: Scene) -> list[str]:
    return [label.text.text for label in scene.labels]


def pdf_of(scene: Scene) -> bytes:
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    from leaflet.diagram.draw_reportlab import to_drawing
    from leaflet.fonts import register_reportlab_fonts

    buffer = io.BytesIO()
    drawing = to_drawing(scene, 420)
    canvas = Canvas(
        buffer,
        pagesize=(drawing.width, drawing.height),
        initialFontName=register_reportlab_fonts(),
        invariant=True,
    )
    renderPDF.draw(drawing, canvas, 0, 0)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_reportlab_draws_vectors_and_real_text() -> None:
    from pypdf import PdfReader

    scene = build_scene(CALCINOSIS)
    page = PdfReader(io.BytesIO(pdf_of(scene))).pages[0]
    content = page.get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]
    ops = set(content.split())
    assert {"c", "l", "m"} <= ops
    xobjects = page["/Resources"].get("/XObject", {})  # type: ignore[index]
    assert not any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())
    fonts = page["/Resources"]["/Font"]  # type: ignore[index]
    assert all("Atkinson" in f.get_object()["/BaseFont"] for f in fonts.values())
    text = page.extract_text()
    for label in [*labels_of(scene), "Where calcium deposits form", "Calcium deposits"]:
        assert label in text


def pptx_group(scene: Scene, alt: str = ALT, lang: str = "en-GB"):  # type: ignore[no-untyped-def]
    from pptx import Presentation
    from pptx.util import Inches

    from leaflet.diagram.draw_pptx import add_diagram

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    add_diagram(
        slide.shapes, scene, Inches(1), Inches(0.5), Inches(8), Inches(6.5), alt=alt, lang=lang
    )
    buffer = io.BytesIO()
    deck.save(buffer)
    (group,) = Presentation(buffer).slides[0].shapes
    return group


def test_pptx_is_one_named_group_of_native_editable_shapes() -> None:
    from pptx.enum.shapes import MSO_AUTO_SHAPE_TYPE, MSO_SHAPE_TYPE

    scene = build_scene(CALCINOSIS)
    group = pptx_group(scene)
    assert group.shape_type == MSO_SHAPE_TYPE.GROUP
    assert group.name == "Body-site diagram"
    kinds = [s.shape_type for s in group.shapes]
    assert MSO_SHAPE_TYPE.FREEFORM in kinds
    assert MSO_SHAPE_TYPE.LINE in kinds
    assert MSO_SHAPE_TYPE.TEXT_BOX in kinds
    assert MSO_SHAPE_TYPE.PICTURE not in kinds
    ovals = [
        s
        for s in group.shapes
        if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE
        and s.auto_shape_type == MSO_AUTO_SHAPE_TYPE.OVAL
    ]
    assert len(ovals) == sum(len(c.lumps) for c in scene.clusters) + len(scene.legend.lumps)  # type: ignore[union-attr]
    texts = [s.text_frame.text for s in group.shapes if s.has_text_frame and s.text_frame.text]
    for label in labels_of(scene):
        assert label in texts
    fonts = {
        r.font.name
        for s in group.shapes
        if s.has_text_frame
        for p in s.text_frame.paragraphs
        for r in p.runs
    }
    assert fonts == {"Arial"}
    assert group._element.nvGrpSpPr.cNvPr.get("descr") == ALT


def test_pptx_labels_fit_their_boxes() -> None:
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    from leaflet.fonts import DECK_MEASURE_FONT, text_width_pt

    for shape in pptx_group(build_scene(ALL_SITES)).shapes:
        if shape.shape_type != MSO_SHAPE_TYPE.TEXT_BOX:
            continue
        frame = shape.text_frame
        assert frame.word_wrap is False
        run = frame.paragraphs[0].runs[0]
        face = "bold" if run.font.bold else "regular"
        needed = text_width_pt(run.text, DECK_MEASURE_FONT, face, run.font.size.pt)
        room = (shape.width - frame.margin_left - frame.margin_right) / 12700
        assert needed <= room + 0.01, run.text


def png_of(scene: Scene, width_px: int = 900) -> bytes:
    from leaflet.diagram.draw_pillow import to_png

    return to_png(scene, width_px)


def test_pillow_draws_cream_lumps_where_the_scene_puts_them() -> None:
    from PIL import Image

    scene = build_scene(CALCINOSIS)
    image = Image.open(io.BytesIO(png_of(scene))).convert("RGB")
    assert image.width == 900
    assert image.height == round(900 / scene.aspect)
    fill = (0xFF, 0xFD, 0xF5)
    for cluster in scene.clusters:
        for lump in cluster.lumps:
            pixel = image.getpixel((lump.centre[0] * image.width, lump.centre[1] * image.height))
            assert all(abs(a - b) <= 12 for a, b in zip(pixel, fill, strict=True)), (
                cluster.site,
                pixel,
            )


def test_pillow_png_bytes_repeat() -> None:
    scene = build_scene(ALL_SITES)
    assert png_of(scene, 600) == png_of(scene, 600)


def test_changing_the_sites_changes_every_render() -> None:
    from pypdf import PdfReader

    first = build_scene(CALCINOSIS)
    second = build_scene([("knees", "both"), ("toes", "both")])
    assert labels_of(first) != labels_of(second)
    pdf_texts = [PdfReader(io.BytesIO(pdf_of(s))).pages[0].extract_text() for s in (first, second)]
    assert "Elbows" in pdf_texts[0] and "Elbows" not in pdf_texts[1]
    assert "Knees" in pdf_texts[1] and "Knees" not in pdf_texts[0]
    pptx_texts = [
        {s.text_frame.text for s in pptx_group(scene).shapes if s.has_text_frame}
        for scene in (first, second)
    ]
    assert "Elbows" in pptx_texts[0] and "Elbows" not in pptx_texts[1]
    assert "Knees" in pptx_texts[1] and "Knees" not in pptx_texts[0]
    assert png_of(first) != png_of(second)


# Text asked for in points: the deck's labels at 18 pt in a slide's body.

SLIDE_BODY_PT = (874.0, 374.0)


def arimo(text: str, size: float) -> float:
    from leaflet.fonts import DECK_MEASURE_FONT, text_width_pt

    return text_width_pt(text, DECK_MEASURE_FONT, "regular", size)


def arimo_bold(text: str, size: float) -> float:
    from leaflet.fonts import DECK_MEASURE_FONT, text_width_pt

    return text_width_pt(text, DECK_MEASURE_FONT, "bold", size)


def sized_scene(
    sites: list[tuple[str, Side]],
    label_pt: float = 18.0,
    box: tuple[float, float] = SLIDE_BODY_PT,
    view: str = "body",
) -> Scene:
    return build_scene(
        sites,
        view=view,  # type: ignore[arg-type]
        audience="clinician",
        measure=arimo,
        measure_bold=arimo_bold,
        condition="Calcinosis cutis",
        title="",
        label_pt=label_pt,
        width_pt=box[0],
        height_pt=box[1],
    )


def assert_text_inside_and_apart(scene: Scene, measure_bold: Measure) -> None:
    """Captions and legend inside the scene, clear of every label and of each other."""
    boxes = [(label.text.text, label.box) for label in scene.labels]
    for figure in scene.figures:
        if figure.caption is not None:
            t = figure.caption
            width = measure_bold(t.text, 100.0) * t.size / 100.0 / scene.aspect
            boxes.append((t.text, Box(t.x - width / 2, t.baseline - t.size, width, 1.3 * t.size)))
    if scene.legend is not None:
        assert scene.legend.text.box is not None
        boxes.append(("legend", scene.legend.text.box))
        for lump in scene.legend.lumps:
            r = lump.radius / scene.aspect
            assert lump.centre[0] - r >= 0 and lump.centre[0] + r <= 1
    for name, box in boxes:
        assert box.x >= 0 and box.x + box.width <= 1, name
        assert box.y >= 0 and box.y + box.height <= 1, name
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), (a, b)


@pytest.mark.parametrize("name", SUBSETS)
def test_large_labels_keep_every_layout_rule(name: str) -> None:
    sites = SUBSETS[name]
    scene = sized_scene(sites)
    assert_readable(scene, sites)
    assert_text_inside_and_apart(scene, arimo_bold)
    _, height = scene.fitted(*SLIDE_BODY_PT)
    assert {t.size for t in scene.texts()} == {scene.label_size}
    if name not in ("all-left", "all-right"):  # 18 sites down one side cannot reach 18 pt
        assert scene.label_size * height == pytest.approx(18.0, abs=0.01)


@pytest.mark.parametrize("sites", random_subsets(12))
@pytest.mark.parametrize("box", [SLIDE_BODY_PT, (507.0, 374.0), (300.0, 400.0)])
def test_large_labels_lay_out_cleanly_for_any_subset(
    sites: list[tuple[str, Side]], box: tuple[float, float]
) -> None:
    scene = sized_scene(sites, box=box)
    assert_readable(scene, sites)
    assert_text_inside_and_apart(scene, arimo_bold)
    _, height = scene.fitted(*box)
    assert scene.label_size * height <= 18.0 + 0.01


@pytest.mark.parametrize(
    "sites", [HAND, [("fingers", "left"), ("wrists", "left")], [("fingertips", "right")]]
)
def test_large_labels_on_the_hand_view(sites: list[tuple[str, Side]]) -> None:
    scene = sized_scene(sites, view="hand")
    assert_readable(scene, sites)
    assert_text_inside_and_apart(scene, arimo_bold)
    _, height = scene.fitted(*SLIDE_BODY_PT)
    assert scene.label_size * height == pytest.approx(18.0, abs=0.01)


def test_a_size_that_cannot_fit_shrinks_to_the_largest_that_does() -> None:
    from leaflet.diagram.scene import MIN_FIGURE_SHARE

    small = sized_scene(CALCINOSIS, label_pt=4.0)
    huge = sized_scene(CALCINOSIS, label_pt=80.0)
    _, height = huge.fitted(*SLIDE_BODY_PT)
    used = huge.label_size * height
    assert 18.0 < used < 80.0
    assert_readable(huge, CALCINOSIS)
    # the figure keeps its floor share of the size it has beside small labels
    figure = huge.figures[0].box.height * height
    _, small_height = small.fitted(*SLIDE_BODY_PT)
    assert figure >= MIN_FIGURE_SHARE * small.figures[0].box.height * small_height * 0.99


def test_label_points_need_the_drawn_height() -> None:
    with pytest.raises(ValueError, match="label_pt needs a positive height_pt"):
        build_scene(CALCINOSIS, label_pt=18.0)


def test_the_leaflets_diagram_is_laid_out_as_before() -> None:
    """Sizes in points are opt-in: the default scene is the one main drew (numbers from main)."""
    scene = build_scene(CALCINOSIS, view="body", audience="patient", legend=True, title="")
    assert scene.aspect == pytest.approx(0.709750922, abs=1e-9)
    boxes = {
        label.text.text: (label.box.x, label.box.y, label.box.width, label.box.height)
        for label in scene.labels
    }
    assert boxes == {
        "Fingers": pytest.approx((0.786335983, 0.522345113, 0.14077034, 0.039744627), abs=1e-9),
        "Elbows": pytest.approx((0.025338458, 0.34430357, 0.131336832, 0.039744627), abs=1e-9),
        "Face": pytest.approx((0.066604672, 0.088031652, 0.090070618, 0.039744627), abs=1e-9),
        "Shoulders": pytest.approx((0.786335983, 0.193238018, 0.188325559, 0.039744627), abs=1e-9),
    }
    assert [t.size for t in scene.texts()] == pytest.approx(
        [0.03057279] * 4 + [0.028774391], abs=1e-9
    )
    assert scene.legend is not None
    assert (scene.legend.text.x, scene.legend.text.baseline) == pytest.approx(
        (0.398917288, 0.96906753), abs=1e-9
    )


def _even_odd(p: tuple[float, float], polygon: list[tuple[float, float]]) -> bool:
    """The plain even-odd test over every edge: what Region must agree with."""
    x, y = p
    inside = False
    for (x0, y0), (x1, y1) in zip(polygon, [*polygon[1:], polygon[0]], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


@pytest.mark.parametrize("view", ["front", "back", "hand"])
def test_skin_region_agrees_with_the_plain_even_odd_test(view: str) -> None:
    polygons = skin_polygons(art(view))  # type: ignore[arg-type]
    region = Region(polygons)
    xs = [q[0] for poly in polygons for q in poly]
    ys = [q[1] for poly in polygons for q in poly]
    # A grid over and beyond the figure, plus every vertex: the band edges and the outline itself
    # are where a filing mistake would show.
    x0, y0, width, height = min(xs) - 0.05, min(ys) - 0.05, max(xs) - min(xs), max(ys) - min(ys)
    grid = [
        (x0 + width * i / 60, y0 + height * j / 90) for i in range(-2, 64) for j in range(-2, 94)
    ]
    points = grid + [q for poly in polygons for q in poly]
    inside = [region.contains(p) for p in points]
    assert inside == [any(_even_odd(p, poly) for poly in polygons) for p in points]
    assert 0.1 < sum(inside) / len(inside) < 0.9  # the grid really spans skin and background


def test_pptx_text_with_markup_characters_reads_back_as_written() -> None:
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    condition = 'Lumps & "bumps" <under> skin'
    scene = build_scene(CALCINOSIS, condition=condition, title="Where <deposits> & lumps form")
    group = pptx_group(scene)
    boxes = [s for s in group.shapes if s.shape_type == MSO_SHAPE_TYPE.TEXT_BOX]
    texts = {s.text_frame.text for s in boxes}
    assert "Where <deposits> & lumps form" in texts
    assert any(condition.lower() in text.lower() for text in texts)
    assert {s.name for s in boxes} == {f"Label: {text}" for text in texts}
    assert group._element.nvGrpSpPr.cNvPr.get("descr") == ALT
