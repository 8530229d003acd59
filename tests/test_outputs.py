"""Every fact reaches its audience: patient words in the PDF, clinician words in the deck."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from leaflet.inline import plain
from leaflet.model import Document, Name, Wording


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def words_of(document: Document) -> list[Wording | Name]:
    """Every Wording in the document, wherever it stands."""
    found: list[Wording | Name] = []

    def walk(node: object) -> None:
        if isinstance(node, Wording | Name):
            found.append(node)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)
        elif hasattr(type(node), "model_fields"):
            for name in type(node).model_fields:
                walk(getattr(node, name))

    walk(document)
    return found


@pytest.fixture(scope="module")
def pdf_text(built: dict[str, Path]) -> str:
    reader = PdfReader(built["leaflet"])
    return squash(" ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def deck_text(built: dict[str, Path]) -> str:
    prs = Presentation(str(built["deck"]))
    parts: list[str] = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return squash(" ".join(parts))


def test_every_patient_wording_is_in_the_leaflet(document: Document, pdf_text: str) -> None:
    text = pdf_text.lower()
    # a risk factor's own full stop gives way to the catalogue's separator ("… menopause – …")
    missing = [
        w.patient
        for w in words_of(document)
        if squash(plain(w.patient)).lower().removesuffix(".") not in text
    ]
    assert missing == []


def test_every_clinician_wording_is_in_the_deck(document: Document, deck_text: str) -> None:
    text = deck_text.lower()
    missing = [
        w.clinician
        for w in words_of(document)
        if squash(plain(w.clinician)).lower().removesuffix(".") not in text
    ]
    assert missing == []


def test_the_leaflet_has_glossary_sources_and_contact(document: Document, pdf_text: str) -> None:
    for term in document.glossary:
        assert term.term in pdf_text
        assert squash(term.meaning) in pdf_text
    assert "https://dermnetnz.org/topics/calcinosis-cutis" in pdf_text
    assert "01632 960 123" in pdf_text
    assert "Next review 24 November 2027" in pdf_text


def test_the_leaflet_speaks_to_patients_not_clinicians(pdf_text: str) -> None:
    assert "Dystrophic calcinosis" not in pdf_text
    assert "After damage to the skin" in pdf_text


def test_the_deck_has_a_treatment_table_and_notes_on_every_slide(built: dict[str, Path]) -> None:
    prs = Presentation(str(built["deck"]))
    tables = [s for slide in prs.slides for s in slide.shapes if s.has_table]
    treatments = [t for t in tables if t.table.rows[0].cells[0].text == "Treatment"]
    assert len(treatments) >= 1  # continued tables repeat the header
    assert [row.cells[0].text for t in treatments for row in list(t.table.rows)[1:]] == [
        "Low-dose anticoagulant (e.g. warfarin)",
        "Colchicine",
        "Non-steroidal anti-inflammatory drugs (NSAIDs)",
        "Surgical excision",
        "Topical emollients",
    ]
    for number, slide in enumerate(prs.slides, 1):
        assert slide.has_notes_slide, number
        assert slide.notes_slide.notes_text_frame.text.strip(), number


def test_logo_is_on_the_title_slide_with_alt_text(built: dict[str, Path]) -> None:
    prs = Presentation(str(built["deck"]))
    pictures = [s for s in prs.slides[0].shapes if s.shape_type == 13]
    assert len(pictures) == 1
    assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == "Riverside Skin Clinic logo"


def test_leaflet_embeds_the_logo(built: dict[str, Path]) -> None:
    page = PdfReader(built["leaflet"]).pages[0]
    xobjects = page["/Resources"]["/XObject"]
    assert any(xobjects[name]["/Subtype"] == "/Image" for name in xobjects)
