"""A risk factor and its advice box go to a page together: decided on the plan, read back
from the pages of a leaflet where the factor fell at a page foot."""

from __future__ import annotations

import io
from typing import Any

import pdfplumber
import pytest

from leaflet.edition import EDITIONS, compose
from leaflet.edition.blocks import BulletList
from leaflet.loader import load
from leaflet.model import Document
from leaflet.renderers import Options
from leaflet.renderers.leaflet_pdf import render
from leaflet.renderers.leaflet_pdf.plan import plan
from tests.conftest import CONTENT, ROOT


def padded(words: int) -> Document:
    """The shipped content with the section before the risk factors made longer, so that
    the risk factors fall lower on the page."""
    data: dict[str, Any] = load(CONTENT).model_dump(mode="json", exclude_none=True)
    where = next(i for i, s in enumerate(data["sections"]) if s.get("block") == "risk_factors")
    first = data["sections"][where - 1]["paragraphs"][0]
    first["patient"] += " More words here." * words
    return Document.model_validate(data)


def pages_of(document: Document, edition: str) -> list[str]:
    data = render(compose(document, EDITIONS[edition]), Options(project_dir=ROOT)).data
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [" ".join((p.extract_text() or "").split()) for p in pdf.pages]


def parted(document: Document, edition: str) -> list[str]:
    """The risk factors whose first words are on one page and their advice on another."""
    pages = pages_of(document, edition)
    out = []
    for risk in document.risk_factors:
        if risk.advice is None:
            continue
        factor = risk.factor.patient.rstrip(".")[:25]
        advice = risk.advice.patient.replace("**", "")[:25]
        on = [n for n, text in enumerate(pages) if factor in text]
        advised = [n for n, text in enumerate(pages) if advice in text]
        assert on and advised, (factor, advice)
        if on[0] != advised[0]:
            out.append(factor)
    return out


def test_the_plan_keeps_every_risk_factor_with_its_advice() -> None:
    edition = compose(load(CONTENT), EDITIONS["leaflet-large"])
    number = next(n for n, s in enumerate(edition.sections) if s.kind == "risk_factors")
    items = next(b for b in edition.sections[number].body if isinstance(b, BulletList)).items
    advised = {(number, i) for i, item in enumerate(items) if item.aside is not None}
    assert len(advised) >= 2
    assert plan(edition).keep_with_aside == frozenset(advised)


def test_an_advice_box_taller_than_half_a_page_may_part_from_its_factor() -> None:
    data: dict[str, Any] = load(CONTENT).model_dump(mode="json", exclude_none=True)
    risk = next(r for r in data["risk_factors"] if "advice" in r)
    risk["advice"]["patient"] = " ".join(["Keep this in mind every day."] * 60)
    edition = compose(Document.model_validate(data), EDITIONS["leaflet-large"])
    number = next(n for n, s in enumerate(edition.sections) if s.kind == "risk_factors")
    index = next(i for i, r in enumerate(data["risk_factors"]) if r is risk)
    kept = plan(edition).keep_with_aside
    assert (number, index) not in kept and kept


@pytest.mark.parametrize(("edition", "words"), [("leaflet-large", 18), ("leaflet", 12)])
def test_a_risk_factor_never_ends_a_page_apart_from_its_advice(edition: str, words: int) -> None:
    # (large print, 18: "Having a lot of cosmetic surgery" ended page 2, its advice began
    # page 3; standard, 12: the side-by-side column parted there and the build failed)
    assert parted(padded(words), edition) == []
