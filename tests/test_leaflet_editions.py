"""The leaflet editions as a reader sees them (pdfplumber): type sizes of the standard and
large-print leaflets, a Spanish leaflet's interface words and dates, a second condition."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest

from leaflet.edition import EDITIONS, compose
from leaflet.i18n import catalogue
from leaflet.inline import plain
from leaflet.loader import load
from leaflet.model import Document
from leaflet.renderers import Options
from leaflet.renderers.leaflet_pdf import render
from leaflet.renderers.leaflet_pdf.plan import plan

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).parent / "cases"
PAPERS = ("A4", "letter")


def build(document: Document, edition: str, paper: str, folder: Path = ROOT) -> bytes:
    composed = compose(document, EDITIONS[edition].with_paper(paper))  # type: ignore[arg-type]
    return render(composed, Options(project_dir=folder)).data


def chars(data: bytes) -> list[list[dict]]:
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return [[c for c in page.chars if c["text"].strip()] for page in doc.pages]


def footer_top(document: Document, edition: str, paper: str) -> float:
    """Distance from the page top to the footer's rule, in pdfplumber's coordinates."""
    composed = compose(document, EDITIONS[edition].with_paper(paper))  # type: ignore[arg-type]
    grid = plan(composed).grid
    return grid.size[1] - grid.footer_top


def text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in doc.pages)


@pytest.fixture(scope="module")
def psoriasis() -> Document:
    return load(CASES / "leaflet-psoriasis.yaml")


@pytest.fixture(scope="module")
def spanish() -> Document:
    return load(CASES / "leaflet-es.yaml")


@pytest.mark.parametrize("paper", PAPERS)
def test_standard_every_char_outside_the_footer_is_12pt_and_the_footer_10pt(
    document: Document, paper: str
) -> None:
    rule = footer_top(document, "leaflet", paper)
    pages = chars(build(document, "leaflet", paper))
    body = [c for page in pages for c in page if c["top"] < rule]
    footer = [c for page in pages for c in page if c["top"] >= rule]
    assert body and footer
    small = {(c["text"], round(c["size"], 2)) for c in body if c["size"] < 11.99}
    assert not small, sorted(small)[:20]
    assert min(c["size"] for c in footer) >= 9.99
    # the glossary, the sources and the diagram's labels are among them
    page_text = text(build(document, "leaflet", paper))
    assert "Words to know" in page_text and "Shoulders" in page_text


@pytest.mark.parametrize("paper", PAPERS)
def test_large_print_body_is_18pt_and_nothing_is_under_14pt(document: Document, paper: str) -> None:
    large = build(document, "leaflet-large", paper)
    pages = chars(large)
    every = [c for page in pages for c in page]
    assert min(c["size"] for c in every) >= 13.99
    with pdfplumber.open(io.BytesIO(large)) as doc:
        first = " ".join(plain(document.sections[0].paragraphs[0].patient).split())[:30]
        hits = [h for page in doc.pages for h in page.search(first)]
    assert hits and all(round(c["size"], 1) == 18.0 for h in hits for c in h["chars"])
    sizes = [round(c["size"], 1) for c in every]
    assert max(set(sizes), key=sizes.count) == 18.0  # most text is body text
    standard = chars(build(document, "leaflet", paper))
    assert len(pages) > len(standard)
    # the diagram's labels are scaled too
    labels = [c for page in pages for c in page if c["text"] in "Shoulders"]
    assert labels and min(c["size"] for c in labels) >= 14


@pytest.mark.parametrize("paper", PAPERS)
def test_large_print_is_all_there(document: Document, paper: str) -> None:
    words = text(build(document, "leaflet-large", paper))
    for section in document.sections:
        assert " ".join(plain(section.heading.patient).split()) in words
    for term in document.glossary:
        assert term.term in words
    assert "Where this information comes from" in words


def test_a_spanish_leaflet_has_no_english_interface_phrase_and_spanish_dates(
    spanish: Document,
) -> None:
    english, spanish_words = catalogue("en-GB"), catalogue("es")
    for paper in PAPERS:
        for edition in ("leaflet", "leaflet-large"):
            words = text(build(spanish, edition, paper))
            for key in ("leaflet.glossary", "leaflet.sources", "leaflet.keywords"):
                assert english.term(key) != spanish_words.term(key)
                assert english.term(key) not in words, (edition, key)
            for phrase in (
                "Words to know",
                "Call your clinic",
                "Page 1 of",
                "Our advice",
                "Phone ",
                "Version ",
                "Reviewed",
                "Next review",
                "Written by",
                "It can be caused by",
                "Used for",
                "Good to know",
                "Front",
                "Back",
            ):
                assert phrase not in words, (edition, paper, phrase)
            assert "5 de marzo de 2026" in words
            assert "March" not in words
            assert "Página 1 de" in words
            assert spanish_words.term("leaflet.glossary") in words


@pytest.mark.parametrize("edition", ["leaflet", "leaflet-large"])
def test_a_second_condition_has_no_calcinosis_word_and_draws_front_and_back(
    psoriasis: Document, edition: str
) -> None:
    for paper in PAPERS:
        words = text(build(psoriasis, edition, paper)).lower()
        for word in ("calcinosis", "calcium", "deposit", "lump"):
            assert word not in words, (edition, paper, word)
        assert "psoriasis" in words
        assert "front" in words and "back" in words  # the diagram's two views, captioned
        assert "elbows (left)" in words  # the one-sided site keeps its side
