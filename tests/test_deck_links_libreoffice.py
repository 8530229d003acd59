"""A linked citation in the deck wraps between words when LibreOffice Impress sets it."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from pptx import Presentation

from leaflet.edition import EDITIONS, compose
from leaflet.renderers import Options
from tests.conftest import ROOT
from tests.test_deck_libreoffice import to_pdf
from tests.test_urgency import psoriasis


def test_linked_citations_wrap_between_words_in_libreoffice(tmp_path: Path) -> None:
    from leaflet.renderers.deck_pptx import render

    document = psoriasis()
    pptx = tmp_path / "psoriasis-deck.pptx"
    pptx.write_bytes(render(compose(document, EDITIONS["deck"]), Options(ROOT)).data)
    slides = list(Presentation(str(pptx)).slides)
    number = next(k for k, s in enumerate(slides) if s.shapes.title.text == "References")
    # every citation is a link, and one of them is longer than a line
    linked = [
        r
        for shape in slides[number].shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
        for r in p.runs
        if r.hyperlink.address
    ]
    assert linked
    pdf = pdfium.PdfDocument(to_pdf(pptx, tmp_path))
    shown = pdf[number].get_textpage().get_text_range()
    lines = [line.strip() for line in shown.splitlines() if line.strip()]
    words = {w for line in lines for w in line.split()}
    long = "British Association of Dermatologists. Psoriasis: patient information leaflet."
    assert not any(long in line for line in lines), lines  # it takes two lines
    for source in document.sources:
        for word in source.citation.split():
            assert word in words, (word, lines)
