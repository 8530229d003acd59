"""The body-site diagram: a scene a reader can follow, drawn the same way by all three backends."""

from __future__ import annotations

import io
import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from leaflet.diagram import alt_text, build_scene
from leaflet.diagram.paths import segments_cross
from leaflet.diagram.scene import Scene
from leaflet.sites import SITES, Side

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
            lump.centre == label.anchor
            for cluster in scene.clusters
            if cluster.site == label.site
            for lump in cluster.lumps
        )


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


def test_alt_text_names_the_sites_in_content_order() -> None:
    expected = "Where calcium deposits form: on the fingers, elbows, face and shoulders."
    assert alt_text(CALCINOSIS, "patient") == expected
    assert build_scene(CALCINOSIS).alt == expected
    assert alt_text(build_scene(CALCINOSIS)) == expected
    assert (
        alt_text([("fingers", "left"), ("calves", "right")], "clinician", condition="tophi")
        == "Where tophi form: on the digits of the left hand and right calf."
    )


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


def pptx_group(scene: Scene):  # type: ignore[no-untyped-def]
    from pptx import Presentation
    from pptx.util import Inches

    from leaflet.diagram.draw_pptx import add_diagram

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    add_diagram(slide.shapes, scene, Inches(1), Inches(0.5), Inches(8), Inches(6.5))
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
    assert group._element.nvGrpSpPr.cNvPr.get("descr") == scene.alt


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
