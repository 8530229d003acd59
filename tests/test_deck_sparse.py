"""Sparse content shares slides, on the slide plan: a one-bullet section joins the slide
before it, and a table's last continuation never holds one row after a full table."""

from __future__ import annotations

import itertools

from leaflet.deck.fit import Para, balanced, row_height
from leaflet.deck.plan import BODY_BOTTOM_PT, BODY_MIN, SlidePlan, TableBlock, TextBlock, plan
from leaflet.edition import EDITIONS, compose
from leaflet.inline import Run
from leaflet.loader import load
from leaflet.model import Document
from tests.conftest import CONTENT
from tests.test_urgency import psoriasis


def slides_of(document: Document) -> list[SlidePlan]:
    return plan(compose(document, EDITIONS["deck"]))


def texts(slide: SlidePlan) -> list[str]:
    return [p.text for b in slide.blocks if isinstance(b, TextBlock) for p in b.paras]


def table_rows(slide: SlidePlan) -> int:
    return sum(len(b.rows) - 1 for b in slide.blocks if isinstance(b, TableBlock))


def test_a_one_bullet_section_shares_the_slide_before_it() -> None:
    slides = slides_of(load(CONTENT))
    titles = [s.title for s in slides]
    assert "Epidemiology" not in titles
    (shared,) = [s for s in slides[2:] if "Epidemiology" in texts(s)]  # past the agenda
    assert shared.title == "Definition and presentation"
    said = texts(shared)
    # its heading leads its bullet, in bold, after the slide's own bullets
    at = said.index("Epidemiology")
    assert said[at + 1].startswith("More common in women than in men")
    (body,) = shared.blocks
    assert isinstance(body, TextBlock) and body.size_pt >= BODY_MIN
    lead = body.paras[at]
    assert all(r.bold for r in lead.spans) and not lead.bullet
    # and the presenter's notes keep both sections' words
    assert "More common in women than in men" in shared.notes
    assert "Calcinosis cutis is the deposition" in shared.notes


def test_a_one_bullet_section_goes_under_a_short_table() -> None:
    slides = slides_of(psoriasis())
    assert "Psoriatic arthritis" not in [s.title for s in slides]
    (shared,) = [s for s in slides[2:] if "Psoriatic arthritis" in texts(s)]
    assert shared.title == "Management (2 of 2)"
    table, text = shared.blocks
    assert isinstance(table, TableBlock) and isinstance(text, TextBlock)
    assert table.rect.bottom < text.rect.top and text.rect.bottom <= BODY_BOTTOM_PT
    assert text.size_pt >= BODY_MIN


def test_no_table_continuation_holds_one_row_after_a_full_table() -> None:
    for document in (load(CONTENT), psoriasis()):
        slides = slides_of(document)
        tables = [s for s in slides if any(isinstance(b, TableBlock) for b in s.blocks)]
        for before, after in itertools.pairwise(tables):
            if before.series == after.series and table_rows(before) >= 3:
                assert table_rows(after) >= 2, (after.title, table_rows(before))
    shipped = slides_of(load(CONTENT))
    classification = [s for s in shipped if s.series == "Classification and aetiology"]
    assert [table_rows(s) for s in classification] == [2, 2]


def cell(text: str) -> tuple[Para, ...]:
    return (Para((Run(text),), bullet=False),)


def test_balancing_moves_whole_rows_only_while_they_fit() -> None:
    header = (cell("A"), cell("B"))
    rows = [(cell(f"row {i}"), cell("x")) for i in range(4)]
    widths = (200.0, 200.0)
    height = row_height(header, widths, 18) + 3 * row_height(rows[0], widths, 18)
    pages = [list(enumerate(rows[:3])), [(3, rows[3])]]
    assert [[i for i, _ in p] for p in balanced(pages, header, widths, height, 18)] == [
        [0, 1],
        [2, 3],
    ]
    # a last table with no room left keeps its one row
    tight = row_height(header, widths, 18) + row_height(rows[0], widths, 18)
    assert balanced(pages, header, widths, tight, 18) == pages
    # the two parts of a row cut across tables stay where they were cut
    cut = [[(0, rows[0]), (1, rows[1]), (2, rows[2])], [(2, rows[3])]]
    assert balanced(cut, header, widths, height, 18) == cut
