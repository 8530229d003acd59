"""Issue 14's leaflet defects, read back from the PDF: the urgent style whatever the theme,
risk factors parted from their explanation, the file's dates and tags, ink away from the
paper's edges, long content that passes check and builds, and large print that fills pages."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
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
