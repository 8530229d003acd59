"""Deck text read back exactly: markup characters, emphasis and links in boxes, cells and notes."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pptx import Presentation

from leaflet.model import Document
from leaflet.renderers import Options
from tests.conftest import ROOT
from tests.deck_support import deck

TITLE = 'Calcinosis & <cutis> "calc" it\'s'
ORGANISATION = 'Riverside & <Skin> "Clinic" it\'s'
URL = "https://example.org/a?b=1&c=2"
PARAGRAPH = (
    'Deposits <cutis> & "salts" it\'s **bold & <b>** *it\'s "x"*'
    f" [see & read]({URL}) tab\there soft\u00adhyphen\u00a0nbsp"
)
PARAGRAPH_SHOWN = (
    'Deposits <cutis> & "salts" it\'s bold & <b> it\'s "x" see & read'
    " tab\there soft\u00adhyphen\u00a0nbsp"
)
TREATMENT = "Low-dose <anticoagulant> & \"warfarin\" 'x' **strong** *em*"
TREATMENT_SHOWN = "Low-dose <anticoagulant> & \"warfarin\" 'x' strong em"


@pytest.fixture(scope="module")
def hostile(document: Document) -> Any:
    """The shipped deck with markup characters, emphasis and a link in its clinician text."""
    from leaflet.renderers.deck_pptx import render

    data = document.model_dump(mode="json", exclude_none=True)
    data["meta"]["title"]["clinician"] = TITLE
    data["meta"]["organisation"]["name"] = ORGANISATION
    data["sections"][0]["paragraphs"][0]["clinician"] = PARAGRAPH
    data["treatments"][0]["name"]["clinician"] = TREATMENT
    changed = Document.model_validate(data)
    return Presentation(io.BytesIO(render(deck(changed), Options(ROOT)).data))


def slide_titled(prs: Any, title: str) -> Any:
    return next(s for s in prs.slides if s.shapes.title.text == title)


def test_titles_and_footers_read_back_exactly(hostile: Any) -> None:
    assert hostile.slides[0].shapes.title.text == TITLE
    footers = [
        shape.text_frame.text
        for slide in hostile.slides
        for shape in slide.placeholders
        if shape.name == "Footer"
    ]
    assert footers and all(text.startswith(ORGANISATION) for text in footers)


def test_body_text_reads_back_with_its_emphasis_and_link(hostile: Any) -> None:
    slide = slide_titled(hostile, "Definition and presentation")
    paragraphs = [
        p for shape in slide.shapes if shape.has_text_frame for p in shape.text_frame.paragraphs
    ]
    shown = next(p for p in paragraphs if p.text.startswith("Deposits"))
    assert shown.text == PARAGRAPH_SHOWN
    runs = {run.text: run for run in shown.runs}
    assert runs["bold & <b>"].font.bold is True
    assert runs['it\'s "x"'].font.italic is True
    linked = [run for run in shown.runs if run.hyperlink.address]
    assert "".join(run.text for run in linked).strip() == "see & read"
    assert {run.hyperlink.address for run in linked} == {URL}
    assert runs[" "].font.bold is False  # the space between two emphasised runs survives
    assert PARAGRAPH_SHOWN in slide.notes_slide.notes_text_frame.text


def test_table_cells_read_back_with_their_emphasis(hostile: Any) -> None:
    slide = slide_titled(hostile, "Management (1 of 2)")
    table = next(shape.table for shape in slide.shapes if shape.has_table)
    cell = table.cell(1, 0)
    assert cell.text == TREATMENT_SHOWN
    runs = {run.text: run for run in cell.text_frame.paragraphs[0].runs}
    assert runs["strong"].font.bold is True
    assert runs["em"].font.italic is True
    assert TREATMENT_SHOWN in slide.notes_slide.notes_text_frame.text


def test_every_attribute_from_the_document_is_quoted(document: Document) -> None:
    """The language is validated by the model; an Edition made in code is not, and still
    cannot add attributes to the XML the deck writes."""
    from dataclasses import replace

    from pptx.oxml.ns import qn

    from leaflet.renderers.deck_pptx import render

    odd = 'en" x="1 & <y>'
    data = render(replace(deck(document), lang=odd), Options(ROOT)).data
    slide = Presentation(io.BytesIO(data)).slides[2]
    langs = {r.get("lang") for r in slide.shapes._spTree.iter(qn("a:rPr"))}
    assert langs == {odd}
    assert not any(r.get("x") for r in slide.shapes._spTree.iter(qn("a:rPr")))
