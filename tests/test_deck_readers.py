"""The deck defects readers and validators found (issue 14), each read back from the PPTX."""

from __future__ import annotations

import io
import itertools
from typing import Any

import pytest
from pptx import Presentation

from leaflet.model import Document
from leaflet.renderers import Options
from tests.conftest import ROOT
from tests.deck_support import deck


def render(document: Document) -> Any:
    from leaflet.renderers.deck_pptx import render as draw

    return Presentation(io.BytesIO(draw(deck(document), Options(ROOT)).data))


def changed(document: Document, edit: Any) -> Document:
    data = document.model_dump(mode="json", exclude_none=True)
    edit(data)
    return Document.model_validate(data)


def body_paragraphs(slide: Any) -> list[str]:
    """The text of the slide's body placeholder, a paragraph a line."""
    shape = next(s for s in slide.shapes if s.name == "Body")
    return [p.text for p in shape.text_frame.paragraphs]


SENTENCES = [
    f"Audit {k} of our clinic found that most patients with deposits also needed help"
    + " with pain" * (k % 3)
    + " and weight; diet alone rarely reaches target."
    for k in range(1, 21)
]
SHORT = ["One short paragraph before it.", "Another short paragraph, after it."]


def test_slides_break_between_paragraphs_and_between_sentences_only(document: Document) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["sections"][1]["paragraphs"] = [
            {"patient": t, "clinician": t} for t in (SHORT[0], " ".join(SENTENCES), SHORT[1])
        ]

    prs = render(changed(document, edit))
    slides = [s for s in prs.slides if s.shapes.title.text.startswith("Epidemiology")]
    assert len(slides) >= 2
    pages = [body_paragraphs(s) for s in slides]
    shown = [p for page in pages for p in page]
    # every sentence is on some slide, whole and in order
    assert " ".join(shown).split() == " ".join([SHORT[0], *SENTENCES, SHORT[1]]).split()
    for before, after in itertools.pairwise(pages):
        assert before[-1].endswith((".", "target.")), before[-1][-60:]
        assert after[0][:1].isupper(), after[0][:60]
        # the cut is where a sentence starts
        assert any(after[0].startswith(s) for s in [*SENTENCES, SHORT[1]]), after[0][:60]


def test_a_paragraph_that_fits_a_slide_is_never_cut() -> None:
    from leaflet.deck.fit import frame_height, para, split_paras

    paras = [para(f"Item {k} is a bullet of two sentences. It says little.") for k in range(9)]
    tallest = max(frame_height([p], 400, 18) for p in paras)
    for height in range(int(tallest) + 1, 400, 3):
        pages = split_paras(paras, 400, height, 18)
        assert [p.text for page in pages for p in page] == [p.text for p in paras], height


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("One. Two! Three? Four.", ["Two", "Three", "Four"]),
        ("Use e.g. warfarin. Then stop.", ["Then"]),
        ("He said “stop.” Then left.", ["Then"]),
        ("第一句。第二句。", ["第二句"]),
    ],
)
def test_sentence_ends(text: str, starts: list[str]) -> None:
    from leaflet.deck.fit import sentence_ends

    ends = sentence_ends(text)
    assert len(ends) == len(starts)
    assert all(text[at:].startswith(s) for at, s in zip(ends, starts, strict=True))
