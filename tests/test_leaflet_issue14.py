"""Issue 14's leaflet defects, read back from the PDF: the urgent style whatever the theme,
risk factors parted from their explanation, the file's dates and tags, ink away from the
paper's edges, long content that passes check and builds, and large print that fills pages."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from leaflet.colour import contrast_ratio
from leaflet.edition import EDITIONS, compose
from leaflet.edition.blocks import BulletList, plain
from leaflet.loader import load
from leaflet.model import Document
from leaflet.renderers import Options
from leaflet.renderers.leaflet_pdf import render

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).parent / "cases"
GREEN = {"primary": "#1B5E20", "accent": "#2E7D32", "callout_background": "#E8F5E9"}


def build(document: Document, edition: str = "leaflet", paper: str = "A4") -> bytes:
    composed = compose(document, EDITIONS[edition].with_paper(paper))  # type: ignore[arg-type]
    return render(composed, Options(project_dir=ROOT)).data


def green(document: Document) -> Document:
    return document.model_copy(update={"theme": document.theme.model_copy(update=GREEN)})


def hex_of(colour: object) -> str | None:
    if not isinstance(colour, tuple | list) or len(colour) != 3:
        return None
    return "#" + "".join(f"{round(float(c) * 255):02X}" for c in colour)


def colours_near(page: pdfplumber.page.Page, word: str) -> tuple[set[str], set[str]]:
    """Stroke and fill colours of the shapes that hold the first `word` on the page."""
    found = page.search(word)
    assert found, f"{word!r} is not on the page"
    x, y = (found[0]["x0"] + found[0]["x1"]) / 2, (found[0]["top"] + found[0]["bottom"]) / 2
    strokes, fills = set(), set()
    for shape in [*page.rects, *page.lines]:
        if (
            shape["x0"] - 1 <= x <= shape["x1"] + 1
            and shape["top"] - 30 <= y <= shape["bottom"] + 30
        ):
            if shape.get("stroke") or shape["object_type"] == "line":
                strokes.add(hex_of(shape.get("stroking_color")))
            if shape.get("fill"):
                fills.add(hex_of(shape.get("non_stroking_color")))
    return strokes - {None}, fills - {None}  # type: ignore[return-value]


@pytest.fixture(scope="module")
def document() -> Document:
    return load(ROOT / "content.yaml")


@pytest.mark.parametrize("theme", ["shipped", "green"])
def test_urgent_box_has_one_red_style_whatever_the_theme(document: Document, theme: str) -> None:
    doc = green(document) if theme == "green" else document
    data = build(doc)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = next(p for p in pdf.pages if p.search("When to get help"))
        text = page.extract_text()
        assert "Urgent When to get help" in " ".join(text.split())
        strokes, fills = colours_near(page, "Urgent")
        advice_strokes, _ = colours_near(page, "Our advice")
    theme_colours = {doc.theme.accent.upper(), doc.theme.primary.upper()}
    # the urgent box: a dark red border and a red band behind the white word
    assert "#A4161A" in strokes and "#A4161A" in fills, (strokes, fills)
    assert not (strokes | fills) & theme_colours, (strokes, fills, theme_colours)
    assert contrast_ratio("#FFFFFF", "#A4161A") >= 4.5
    assert contrast_ratio(doc.theme.text, "#FDECEA") >= 4.5
    # advice keeps the theme's accent
    assert doc.theme.accent.upper() in advice_strokes, advice_strokes


def test_the_urgent_word_comes_from_the_catalogue() -> None:
    data = build(load(CASES / "leaflet-es.yaml"))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        words = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert "Urgente Cuándo pedir ayuda" in words


def risk_items(document: Document) -> list[str]:
    edition = compose(document, EDITIONS["leaflet"])
    section = next(s for s in edition.sections if s.kind == "risk_factors")
    items = next(b for b in section.body if isinstance(b, BulletList)).items
    return [plain(i.text) for i in items]


def test_a_risk_factor_is_parted_from_its_explanation_by_the_catalogue(
    document: Document,
) -> None:
    items = risk_items(document)
    assert items[0].startswith("Being a woman near the age of menopause – One idea is")
    # the author's full stop does not decide it: without one the dash is still there
    data = document.model_dump(mode="json", exclude_none=True)
    for risk in data["risk_factors"]:
        risk["factor"] = {k: v.rstrip(".") for k, v in risk["factor"].items()}
    items_without = risk_items(Document.model_validate(data))
    assert items_without == items
    # and the factor stays bold, the dash and explanation regular
    edition = compose(document, EDITIONS["leaflet"])
    section = next(s for s in edition.sections if s.kind == "risk_factors")
    first = next(b for b in section.body if isinstance(b, BulletList)).items[0].text
    assert [r.text for r in first if r.bold] == ["Being a woman near the age of menopause"]
    with pdfplumber.open(io.BytesIO(build(document))) as pdf:
        words = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert "Having steroid injections – Deposits can form" in words


def test_spanish_risk_factors_take_a_colon() -> None:
    items = risk_items(load(CASES / "leaflet-es.yaml"))
    assert items[0].startswith("Recibir inyecciones de corticoides: Pueden salir bultos")


# the file's own properties ------------------------------------------------------------------
def dated(document: Document) -> Document:
    """Published and reviewed on different days, so each date can be told apart."""
    meta = document.meta.model_copy(
        update={"published": dt.date(2025, 3, 9), "reviewed": dt.date(2026, 7, 14)}
    )
    return document.model_copy(update={"meta": meta})


def test_pdf_dates_come_from_the_content_and_xmp_agrees_with_info(document: Document) -> None:
    with pikepdf.open(io.BytesIO(build(dated(document)))) as pdf:
        info = pdf.docinfo
        assert str(info.CreationDate) == "D:20250309000000+00'00'"
        assert str(info.ModDate) == "D:20260714000000+00'00'"
        with pdf.open_metadata() as xmp:
            assert xmp["xmp:CreateDate"] == "2025-03-09T00:00:00Z"
            assert xmp["xmp:ModifyDate"] == "2026-07-14T00:00:00Z"
            assert xmp["pdf:Producer"] == str(info.Producer)
            assert "ReportLab" in str(info.Producer) and "leaflet" in str(info.Producer)
            assert xmp["xmp:CreatorTool"] == str(info.Creator)
            assert xmp["pdf:Keywords"] == str(info.Keywords)
            assert xmp["dc:title"] == str(info.Title)
            assert xmp["dc:creator"] == [str(info.Author)]


def test_source_date_epoch_does_not_change_the_leaflet(
    document: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    without = build(document)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build(document) == without


@pytest.mark.parametrize("edition", ["leaflet", "leaflet-large"])
def test_font_subsets_have_distinct_tags_and_every_page_tabs_by_structure(
    document: Document, edition: str
) -> None:
    with pikepdf.open(io.BytesIO(build(document, edition))) as pdf:
        fonts = {str(font.BaseFont) for page in pdf.pages for font in page.Resources.Font.values()}
        tags = [name[1:7] for name in fonts]
        assert len(fonts) >= 2 and all(name[7] == "+" for name in fonts), fonts
        assert len(set(tags)) == len(tags), fonts
        assert "AAAAAA" not in tags
        for page in pdf.pages:
            descriptor = next(iter(page.Resources.Font.values())).FontDescriptor
            assert str(descriptor.FontName) in fonts
        assert [str(page.get("/Tabs")) for page in pdf.pages] == ["/S"] * len(pdf.pages)


# ink and the paper's edges --------------------------------------------------------------------
EDGE_MM = 7.0
TOPICS = {
    "shipped": ROOT / "content.yaml",
    "psoriasis": CASES / "leaflet-psoriasis.yaml",
    "spanish": CASES / "leaflet-es.yaml",
}


def object_edges(data: bytes) -> list[tuple[float, int, str]]:
    """(distance in mm, page, what) for every char, rect, curve and line, strokes widened by
    half their width across them."""
    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            shapes = [c for c in page.chars if c["text"].strip()]
            shapes += [*page.rects, *page.curves, *page.lines]
            for shape in shapes:
                half = float(shape.get("linewidth") or 0) / 2 if shape.get("stroke") else 0.0
                across_x = (
                    half if shape["object_type"] != "line" or shape["x0"] == shape["x1"] else 0
                )
                across_y = (
                    half if shape["object_type"] != "line" or shape["top"] == shape["bottom"] else 0
                )
                nearest = min(
                    shape["x0"] - across_x,
                    page.width - shape["x1"] - across_x,
                    shape["top"] - across_y,
                    page.height - shape["bottom"] - across_y,
                )
                out.append((nearest * 25.4 / 72, number, shape.get("text", shape["object_type"])))
    return out


def ink_edges(data: bytes, dpi: int = 144) -> list[tuple[float, int, str]]:
    """(distance in mm, page, side) of the painted pixel nearest each edge of every page."""
    import pypdfium2
    from PIL import ImageOps

    out = []
    document = pypdfium2.PdfDocument(data)
    try:
        for number in range(len(document)):
            image = document[number].render(scale=dpi / 72).to_pil().convert("L")
            width, height = image.size
            box = ImageOps.invert(image).point(lambda v: 255 if v > 5 else 0).getbbox()
            assert box is not None
            x0, y0, x1, y1 = box
            mm = 25.4 / dpi
            for side, pixels in (
                ("left", x0),
                ("right", width - x1),
                ("top", y0),
                ("bottom", height - y1),
            ):
                out.append((pixels * mm, number + 1, side))
    finally:
        document.close()
    return out


@pytest.mark.parametrize("paper", ["A4", "letter"])
@pytest.mark.parametrize("edition", ["leaflet", "leaflet-large"])
@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_all_ink_is_at_least_7mm_from_every_edge(topic: str, edition: str, paper: str) -> None:
    data = build(load(TOPICS[topic]), edition, paper)
    near = [e for e in object_edges(data) if e[0] < EDGE_MM]
    assert not near, sorted(near)[:5]
    painted = [e for e in ink_edges(data) if e[0] < EDGE_MM]
    assert not painted, sorted(painted)[:5]


# content that passes check builds -------------------------------------------------------------
def test_sixty_short_sources_pass_check_and_build_every_leaflet(tmp_path: Path) -> None:
    import json
    import shutil

    from leaflet.build import build as build_all
    from leaflet.checks.run import run_checks

    data = load(ROOT / "content.yaml").model_dump(mode="json", exclude_none=True)
    data["sources"] = [
        {"citation": f"Riverside guideline {n}, 2026.", "url": f"https://example.org/g/{n}"}
        for n in range(1, 61)
    ]
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    content = tmp_path / "content.yaml"
    content.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    report = run_checks(content)
    assert report.ok, [f.message for f in report.errors]
    for paper in ("A4", "letter"):
        written = build_all(content, tmp_path / paper, paper=paper, strict=False).outputs
        for output in written:
            if output.path.suffix != ".pdf":
                continue
            with pdfplumber.open(output.path) as pdf:
                words = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
            assert all(f"Riverside guideline {n}, 2026." in words for n in range(1, 61))


# large print fills its pages ------------------------------------------------------------------
FILLED = {
    "shipped": ROOT / "content.yaml",
    "psoriasis": CASES / "psoriasis" / "content.yaml",
    "es": CASES / "es" / "content.yaml",
}


def page_fill(data: bytes, edition: object) -> list[tuple[float, int]]:
    """Each page's share of the frame height used by content (lowest char or box bottom
    above the footer rule), and its lines of text above the footer."""
    from leaflet.renderers.leaflet_pdf.plan import plan

    grid = plan(edition).grid  # type: ignore[arg-type]
    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            foot = float(page.height) - grid.footer_top - 1
            chars = [c for c in page.chars if c["bottom"] < foot]
            bottoms = [c["bottom"] for c in chars] + [
                r["bottom"] for r in page.rects if r["bottom"] < foot
            ]
            low = max(bottoms, default=grid.margin_top)
            lines = len({round(c["top"]) for c in chars})
            out.append(((low - grid.margin_top) / grid.height, lines))
    return out


@pytest.mark.parametrize("paper", ["A4", "letter"])
@pytest.mark.parametrize("topic", sorted(FILLED))
def test_large_print_fills_every_page_but_the_last(topic: str, paper: str) -> None:
    edition = compose(load(FILLED[topic]), EDITIONS["leaflet-large"].with_paper(paper))  # type: ignore[arg-type]
    data = render(edition, Options(project_dir=FILLED[topic].parent)).data
    fills = page_fill(data, edition)
    assert len(fills) >= 2
    assert all(share >= 0.6 for share, _ in fills[:-1]), fills
    assert fills[-1][1] >= 4, fills
