"""The clinician deck read back: layout, titles, notes, tables, diagram, alt text, fit, bytes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.oxml.ns import qn

from leaflet.deck.fit import (
    Para,
    fit_pages,
    fit_table,
    frame_height,
    line_count,
    para,
    plain_para,
    split_paras,
)
from leaflet.deck.plan import BODY_MIN, TITLE_MIN, TableBlock, TextBlock, plan
from leaflet.inline import Run
from leaflet.model import Document
from leaflet.renderers import Options
from tests.deck_support import deck, measured_frames, pt, tripled

ROOT = Path(__file__).resolve().parent.parent
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


@pytest.fixture(scope="module")
def prs(built: dict[str, Path]) -> object:
    return Presentation(str(built["deck"]))


@pytest.fixture(scope="module")
def long_prs(document: Document, tmp_path_factory: pytest.TempPathFactory) -> object:
    from leaflet.renderers.deck_pptx import render

    data = render(deck(tripled(document)), Options(ROOT)).data
    path = tmp_path_factory.mktemp("long") / "long.pptx"
    path.write_bytes(data)
    return Presentation(str(path))


def titles(prs: object) -> list[str]:
    return [slide.shapes.title.text for slide in prs.slides]  # type: ignore[attr-defined]


def test_the_deck_is_16_by_9(prs: object) -> None:
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # type: ignore[attr-defined]


def test_slides_in_clinician_order(prs: object) -> None:
    assert titles(prs) == [
        "Calcinosis cutis",
        "Overview",
        "Definition and presentation",  # and the one-bullet "Epidemiology" under it
        "Distribution",
        "Classification and aetiology (1 of 2)",
        "Classification and aetiology (2 of 2)",
        "Dystrophic calcinosis",
        "Metastatic calcinosis",
        "Idiopathic calcinosis and iatrogenic calcinosis",
        "Risk factors",
        "Management (1 of 2)",
        "Management (2 of 2)",
        "Safety-netting advice for patients (1 of 2)",
        "Safety-netting advice for patients (2 of 2)",
        "References",
        "Questions and contact",
    ]


@pytest.mark.parametrize("deck", ["prs", "long_prs"])
def test_every_slide_has_a_title_first_and_notes(deck: str, request: pytest.FixtureRequest) -> None:
    for number, slide in enumerate(request.getfixturevalue(deck).slides, 1):
        first = slide.shapes[0]
        assert first.is_placeholder and first.placeholder_format.type in TITLES, number
        assert first.text_frame.text.strip(), number
        assert len(slide.notes_slide.notes_text_frame.text.strip()) > 40, number


def test_notes_carry_the_clinician_wording(prs: object, document: Document) -> None:
    notes = {s.shapes.title.text: s.notes_slide.notes_text_frame.text for s in prs.slides}  # type: ignore[attr-defined]
    assert "insoluble calcium phosphate salts" in notes["Definition and presentation"]
    assert "Colchicine" in notes["Management (1 of 2)"] + notes["Management (2 of 2)"]
    assert "A lump breaks open" in notes["Safety-netting advice for patients (1 of 2)"]


def _tables(prs: object) -> dict[str, list[list[str]]]:
    found: dict[str, list[list[str]]] = {}
    for slide in prs.slides:  # type: ignore[attr-defined]
        for shape in slide.shapes:
            if shape.has_table:
                assert shape._element.tag == qn("p:graphicFrame")
                rows = [[c.text for c in row.cells] for row in shape.table.rows]
                found.setdefault(shape.name, []).extend(rows)
    return found


def test_treatments_and_comparison_are_native_tables(prs: object) -> None:
    tables = _tables(prs)
    treatments = tables["Treatments"]
    header = ["Treatment", "What it is", "For which type", "Evidence and caveats"]
    assert [row for row in treatments if row == header] == [header, header]  # repeated
    assert [r[0] for r in treatments if r != header] == [
        "Low-dose anticoagulant (e.g. warfarin)",
        "Colchicine",
        "Non-steroidal anti-inflammatory drugs (NSAIDs)",
        "Surgical excision",
        "Topical emollients",
    ]
    comparison = [r for r in tables["Comparison of types"] if r[0] != "Type"]
    assert [r[0] for r in comparison] == [
        "Dystrophic calcinosis",
        "Metastatic calcinosis",
        "Idiopathic calcinosis",
        "Iatrogenic calcinosis",
    ]
    assert comparison[1][2] == "chronic kidney failure, hyperparathyroidism and hypervitaminosis D"


def test_diagrams_are_native_groups_with_alt_text(prs: object) -> None:
    groups = [
        (slide.shapes.title.text, shape)
        for slide in prs.slides  # type: ignore[attr-defined]
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP and shape.name != "QR code"
    ]
    # the hand beside the body: one slide (the closing slide's QR code is tests/test_print.py's)
    assert [(t, g.name) for t, g in groups] == [
        ("Distribution", "Body-site diagram"),
        ("Distribution", "Hand diagram"),
    ]
    for _, group in groups:
        inner = list(group.shapes)
        assert len(inner) > 10
        assert not any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in inner)
        assert not group._element.findall(f".//{qn('p:pic')}")
    assert groups[0][1]._element.nvGrpSpPr.cNvPr.get("descr") == (
        "Diagram: body outline with clusters of white lumps marking calcinosis cutis on the"
        " digits of the hand, elbows, face and shoulders."
    )


def test_every_picture_and_group_has_alt_text(prs: object) -> None:
    for slide in prs.slides:  # type: ignore[attr-defined]
        tree = slide.shapes._spTree
        for element in tree.iter(qn("p:pic")):
            assert element.nvPicPr.cNvPr.get("descr")
        for element in tree.findall(qn("p:grpSp")):
            assert element.nvGrpSpPr.cNvPr.get("descr")


def test_master_carries_the_theme(prs: object) -> None:
    master = prs.slide_master  # type: ignore[attr-defined]
    theme = master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    ).blob.decode()
    assert '<a:latin typeface="Arial"/>' in theme
    assert '<a:srgbClr val="1F4E79"/>' in theme and '<a:srgbClr val="B3541E"/>' in theme
    title = master.placeholders[0]._element
    assert title.find(f".//{qn('a:schemeClr')}").get("val") == "tx2"  # the title bar
    names = [layout.name for layout in prs.slide_layouts]  # type: ignore[attr-defined]
    assert names == ["Title Slide", "Title and Content", "Title Only", "Blank"]


def test_content_slides_have_footer_and_number(prs: object) -> None:
    for number, slide in enumerate(list(prs.slides)[1:-1], 2):  # type: ignore[attr-defined]
        kinds = {s.placeholder_format.type: s.text_frame.text for s in slide.placeholders}
        assert kinds[PP_PLACEHOLDER.FOOTER] == "Riverside Skin Clinic · Version 1.0"
        assert kinds[PP_PLACEHOLDER.SLIDE_NUMBER] == str(number)


@pytest.mark.parametrize("deck", ["prs", "long_prs"])
def test_every_text_frame_fits_its_box(deck: str, request: pytest.FixtureRequest) -> None:
    prs = request.getfixturevalue(deck)
    over = [
        (n, name, round(need, 1), round(have, 1))
        for n, name, need, have in measured_frames(prs)
        if need > have + 0.5
    ]
    assert over == []
    for slide in prs.slides:
        for shape in slide.shapes:
            assert pt(shape.left) >= 0 and pt(shape.top) >= 0
            assert pt(shape.left + shape.width) <= 960.01
            assert pt(shape.top + shape.height) <= 540.01


def test_text_sizes_stay_readable(document: Document) -> None:
    for slides in (plan(deck(document)), plan(deck(tripled(document)))):
        for slide in slides:
            assert slide.title_size >= TITLE_MIN
            for block in slide.blocks:
                if isinstance(block, TextBlock | TableBlock):
                    assert (
                        block.size_pt
                        * min((p.scale for p in getattr(block, "paras", ())), default=1)
                        >= BODY_MIN
                    )


def test_longer_content_continues_on_cont_slides(long_prs: object) -> None:
    names = titles(long_prs)
    for base in ("Definition and presentation", "Management", "Risk factors", "Distribution"):
        assert any(n.startswith(f"{base} (2 of ") for n in names), base
    assert len(names) > 30


def test_rebuild_is_byte_identical_in_any_time_zone(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from leaflet.build import build;"
        "build(Path(sys.argv[1]), Path(sys.argv[2]), only=['deck'])"
    )
    outputs = []
    for zone in ("UTC", "Pacific/Auckland", "America/Los_Angeles"):
        out = tmp_path / zone.replace("/", "-")
        env = {**os.environ, "TZ": zone, "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [sys.executable, "-c", code, str(ROOT / "content.yaml"), str(out)], env=env, check=True
        )
        outputs.append((out / "calcinosis-cutis-deck.pptx").read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


# --- fitting and splitting, on plans ---------------------------------------------------------


def test_wrapping_counts_lines_by_real_widths() -> None:
    text = plain_para("word " * 40, bullet=False)
    assert line_count(text, 2000, 18) == 1
    assert line_count(text, 200, 18) > line_count(text, 400, 18) > 1
    bold = Para((Run("WWWW " * 10, bold=True),), bullet=False)
    regular = Para((Run("WWWW " * 10),), bullet=False)
    assert line_count(bold, 300, 24) >= line_count(regular, 300, 24)


def test_fit_shrinks_before_it_splits() -> None:
    paras = [para("A sentence of moderate length that wraps once or twice. " * 2)] * 4
    size, pages = fit_pages(paras, 800, 300, 28, 18)
    assert len(pages) == 1 and 18 <= size < 28
    assert frame_height(paras, 800, size) <= 300


def test_split_puts_every_word_on_some_page_and_each_page_fits() -> None:
    paras = [para(f"Point {n}: " + "evidence is limited and inconsistent " * 6) for n in range(12)]
    size, pages = fit_pages(paras, 700, 300, 28, 18)
    assert size == 18 and len(pages) > 1
    for page in pages:
        assert frame_height(page, 700, size) <= 300
    words = " ".join(p.text for page in pages for p in page).split()
    assert words == " ".join(p.text for p in paras).split()


def test_a_lead_in_never_ends_a_page() -> None:
    lead = plain_para("Seek review for:", bullet=False, keep_with_next=True)
    filler = [para("x " * 30)] * 3
    for height in range(80, 400, 7):
        for page in split_paras([*filler, lead, *filler], 400, height, 18)[:-1]:
            assert not page[-1].keep_with_next


def test_tables_split_by_rows_and_cut_a_row_only_when_it_alone_is_too_tall() -> None:
    header = ((plain_para("Name", bullet=False),), (plain_para("What", bullet=False),))
    rows = [
        ((para(f"Row {n}", bullet=False),), (para("text " * 20, bullet=False),)) for n in range(8)
    ]
    _, pages = fit_table(header, rows, (200, 300), 300, 20, 18)
    assert len(pages) > 1
    assert [i for page in pages for i, _ in page] == list(range(8))
    huge = [((para("Huge", bullet=False),), (para("word " * 400, bullet=False),))]
    _size, pages = fit_table(header, huge, (200, 300), 300, 20, 18)
    assert len(pages) > 1 and all(i == 0 for page in pages for i, _ in page)


def diagram_label_sizes(group: object) -> list[float]:
    return [
        run.font.size.pt
        for shape in group.shapes  # type: ignore[attr-defined]
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
        for run in paragraph.runs
    ]


@pytest.mark.parametrize("deck", ["prs", "long_prs"])
def test_diagram_text_is_at_least_body_size_and_the_figure_fills_the_body(
    deck: str, request: pytest.FixtureRequest
) -> None:
    from leaflet.deck.plan import BODY_BOTTOM_PT

    groups = [
        (slide, shape)
        for slide in request.getfixturevalue(deck).slides
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP and shape.name != "QR code"
    ]
    assert len(groups) == 2
    for slide, group in groups:
        sizes = diagram_label_sizes(group)
        assert len(sizes) >= 2  # a label and the legend at least
        assert min(sizes) >= BODY_MIN, slide.shapes.title.text
        # the room below the title, and below any text above the diagram
        above = [
            pt(s.top + s.height) + 12
            for s in slide.shapes
            if s.has_text_frame and s.name != "Title 1" and s.top + s.height <= group.top
        ]
        top = max([pt(slide.shapes.title.height) + 26, *above])
        assert pt(group.height) >= 0.9 * (BODY_BOTTOM_PT - top)


def with_sites(document: Document, sites: list[dict[str, str]]) -> Document:
    data = document.model_dump(mode="json", exclude_none=True)
    data["sites"] = sites
    return Document.model_validate(data)


def test_a_diagram_too_wide_to_share_its_slide_goes_alone(document: Document) -> None:
    from leaflet.deck.plan import CONTENT_W_PT, DIAGRAM_LABEL_MIN_PT, DiagramBlock
    from leaflet.sites import SITES

    # every site on the right: long label columns that cannot reach 18 pt beside text
    one_sided = [
        {"id": site, "side": "right"} if info.paired else {"id": site}
        for site, info in SITES.items()
    ]
    slides = [
        s for s in plan(deck(with_sites(document, one_sided))) if s.title.startswith("Distri")
    ]
    (block,) = slides[0].blocks
    assert isinstance(block, DiagramBlock)
    assert DIAGRAM_LABEL_MIN_PT <= block.label_pt < BODY_MIN
    assert block.rect.width > CONTENT_W_PT / 2
    # the text that would have stood beside it follows on the next slide
    assert slides[0].title.startswith("Distribution (1 of ")
    assert slides[1].title.startswith("Distribution (2 of ")
    assert "Sites shown:" in [p.text for b in slides[1].blocks for p in getattr(b, "paras", ())]


def test_many_sites_keep_18_pt_labels_beside_a_narrower_text_column(document: Document) -> None:
    from leaflet.deck.plan import DiagramBlock
    from leaflet.sites import SITES

    every = with_sites(document, [{"id": site, "side": "both"} for site in SITES])
    for slide in plan(deck(every)):
        for block in slide.blocks:
            if isinstance(block, DiagramBlock):
                assert block.label_pt >= BODY_MIN
                assert block.scene.label_size * block.rect.height >= BODY_MIN - 1e-6


def test_a_diagram_that_cannot_be_labelled_at_14_pt_stops_the_build(document: Document) -> None:
    from leaflet.errors import LeafletError
    from leaflet.sites import SITES

    one_sided = [
        {"id": site, "side": "left"} if info.paired else {"id": site}
        for site, info in SITES.items()
    ]
    with pytest.raises(
        LeafletError, match=r"deck: the body diagram cannot label 24 sites at 14 pt"
    ):
        plan(deck(with_sites(document, one_sided)))


@pytest.mark.parametrize("face", ["regular", "bold"])
def test_words_measured_once_and_scaled_match_measuring_at_each_size(face: str) -> None:
    """Fitting measures each word at 100 pt and scales it; Pillow at the size itself agrees."""
    from leaflet.deck import fit
    from leaflet.fonts import DECK_MEASURE_FONT, text_width_pt

    words = set((ROOT / "content.yaml").read_text("utf-8").split())
    assert len(words) > 300
    for size in (18.0, 23.0, 28.0):
        for word in words:
            direct = text_width_pt(word, DECK_MEASURE_FONT, face, size)  # type: ignore[arg-type]
            scaled = fit._width(word, face, size)  # type: ignore[arg-type]
            assert scaled == pytest.approx(direct, rel=1e-3, abs=1e-3), (word, size)
