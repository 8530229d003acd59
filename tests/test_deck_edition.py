"""The deck draws an edition: its blocks and catalogue decide every word, for any condition
and any language; nothing is read from the content document."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from leaflet.deck.plan import DiagramBlock, TableBlock, TextBlock, plan
from leaflet.diagram.words import SceneWords
from leaflet.edition import Edition
from leaflet.edition.blocks import (
    BulletList,
    Figure,
    Glossary,
    Item,
    Paragraph,
    Section,
    Table,
)
from leaflet.edition.compose import literal
from leaflet.loader import load
from leaflet.model import Document
from tests.deck_support import deck
from tests.phrases import english_phrases
from tests.test_deck_libreoffice import check

CASES = Path(__file__).resolve().parent / "cases"
PSORIASIS = CASES / "psoriasis" / "content.yaml"
SPANISH = CASES / "es" / "content.yaml"
CALCINOSIS_WORDS = ("calcinosis", "calcium", "deposit", "lump")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


# --- a hand-made edition ------------------------------------------------------------------


def knees_figure() -> Figure:
    words = SceneWords(
        labels=(("knees", "both", "Knee joints"),),
        front="Front view",
        back="Back view",
        palm="Palm",
        hand_left="Left palm",
        hand_right="Right palm",
        legend="Marks",
    )
    return Figure(
        view="body",
        sites=(("knees", "both"),),
        words=words,
        marker="patch",
        alt="Alt: knees marked.",
        description="Said about the knees.",
        terms=("Knee joints",),
        list_lead="Shown here:",
    )


def hand_made(document: Document) -> Edition:
    """The shipped deck edition with its sections replaced, and no source document at all."""
    sections = (
        Section(
            "alpha",
            0,
            literal("Alpha heading"),
            None,
            (Paragraph(literal("First point.")), Paragraph(literal("Second point."))),
            cue="Opening alpha.",
        ),
        Section("where", 1, literal("Where it shows"), "sites", (knees_figure(),), cue="x"),
        Section(
            "grid",
            2,
            literal("A comparison"),
            None,
            (
                Paragraph(literal("Lead text.")),
                Table(
                    name="Grid",
                    header=("Left", "Right"),
                    rows=(((Paragraph(literal("a1")),), (Paragraph(literal("b1")),)),),
                    row_notes=("Row one, said.",),
                    shares=(0.5, 0.5),
                    cue="About the grid.",
                ),
            ),
        ),
        Section(
            "tell",
            3,
            literal("Tell them"),
            "warning_signs",
            (
                BulletList(
                    (Item(literal("Clinician words."), quote=literal("Patient words.")),),
                    lead="Look out for:",
                ),
                Paragraph(literal("Call us.")),
            ),
            cue="Telling.",
        ),
    )
    return replace(deck(document), sections=sections)


def test_the_planner_reads_only_the_edition(document: Document) -> None:
    slides = plan(hand_made(document))
    assert [s.title for s in slides] == [
        "Calcinosis cutis",
        "Overview",
        "Alpha heading",
        "Where it shows",
        "A comparison",
        "Tell them",
        "References",
        "Questions and contact",
    ]
    overview = [p.text for b in slides[1].blocks for p in getattr(b, "paras", ())]
    assert overview == [
        "Alpha heading",
        "Where it shows",
        "A comparison",
        "Tell them",
        "References",
    ]
    assert slides[2].notes == "Opening alpha.\n\nFirst point.\nSecond point."


def test_a_figure_keeps_the_words_and_alt_text_compose_gave_it(document: Document) -> None:
    slide = plan(hand_made(document))[3]
    (text, diagram) = slide.blocks
    assert isinstance(text, TextBlock) and isinstance(diagram, DiagramBlock)
    assert [p.text for p in text.paras] == ["Shown here:", "Knee joints"]
    assert diagram.alt == "Alt: knees marked."
    shown = [t.text for t in diagram.scene.texts()]
    assert "Knee joints" in shown and "Marks" in shown
    assert slide.notes == (
        "Said about the knees.\n\nShown here:\nKnee joints\n\nDiagram alt text: Alt: knees marked."
    )


def test_a_table_takes_its_header_rows_and_notes_from_the_block(document: Document) -> None:
    slide = plan(hand_made(document))[4]
    lead, table = slide.blocks
    assert isinstance(lead, TextBlock) and isinstance(table, TableBlock)
    assert [p.text for p in lead.paras] == ["Lead text."]
    assert [[cell[0].text for cell in row] for row in table.rows] == [
        ["Left", "Right"],
        ["a1", "b1"],
    ]
    assert table.name == "Grid"
    assert slide.notes == "About the grid.\n\nLead text.\n\nRow one, said."


def test_a_list_quotes_the_other_audience_and_a_closing_line_stands_apart(
    document: Document,
) -> None:
    slide = plan(hand_made(document))[5]
    (body,) = slide.blocks
    assert isinstance(body, TextBlock)
    paras = body.paras
    assert [p.text for p in paras] == [
        "Look out for:",
        "Clinician words.",
        "“Patient words.”",
        "Call us.",
    ]
    assert paras[0].keep_with_next and all(s.bold for s in paras[0].spans)
    assert all(s.italic for s in paras[2].spans) and paras[2].level == 1
    assert not paras[3].bullet and paras[1].bullet


def test_a_block_the_deck_has_no_rule_for_is_an_error(document: Document) -> None:
    odd = Section("odd", 0, literal("Odd"), None, (Glossary("Words", ()),))
    edition = replace(deck(document), sections=(odd,))
    with pytest.raises(TypeError, match="no rule for a Glossary block"):
        plan(edition)


def test_the_shipped_deck_shows_the_alt_text_and_notes_compose_wrote(document: Document) -> None:
    edition = deck(document)
    figures = [b for s in edition.sections for b in s.body if isinstance(b, Figure)]
    diagrams = [b for s in plan(edition) for b in s.blocks if isinstance(b, DiagramBlock)]
    assert [d.alt for d in diagrams] == [f.alt for f in figures]
    tables = [b for s in edition.sections for b in s.body if isinstance(b, Table)]
    notes = "\n".join(s.notes for s in plan(edition))
    for table in tables:
        for row_note in table.row_notes:
            assert row_note in notes


# --- a second condition, and a second language, built through the gates ----------------------


def built_deck(content: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from leaflet.build import build

    out = tmp_path_factory.mktemp(content.parent.name)
    (written,) = build(content, out, only=["deck"], strict=False).outputs
    return written.path


@pytest.fixture(scope="module")
def psoriasis(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_deck(PSORIASIS, tmp_path_factory)


@pytest.fixture(scope="module")
def spanish(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_deck(SPANISH, tmp_path_factory)


def every_text(path: Path) -> list[str]:
    """Everything a reader or a screen reader meets: each run of text on every slide (diagram
    labels and table cells too), the speaker notes, and every alt text."""
    found = []
    for slide in Presentation(str(path)).slides:
        tree = slide.shapes._spTree
        found += [t.text for t in tree.iter(qn("a:t")) if t.text]
        found += [e.get("descr") for e in tree.iter(qn("p:cNvPr")) if e.get("descr")]
        found.append(slide.notes_slide.notes_text_frame.text)
    return found


def titles(path: Path) -> list[str]:
    return [s.shapes.title.text for s in Presentation(str(path)).slides]


def test_a_second_condition_says_nothing_of_the_first(psoriasis: Path) -> None:
    text = "\n".join(every_text(psoriasis)).lower()
    assert "plaque psoriasis" in text and "plaques" in text
    assert [w for w in CALCINOSIS_WORDS if w in text] == []


def test_a_second_condition_has_its_own_slides(psoriasis: Path) -> None:
    assert titles(psoriasis) == [
        "Plaque psoriasis",
        "Overview",
        "Definition and presentation",
        "Distribution",
        "Triggers",
        "Management",
        "When to refer",
        "References",
        "Questions and contact",
    ]
    slide = Presentation(str(psoriasis)).slides[5]
    (table,) = [s.table for s in slide.shapes if s.has_table]
    # no types in the content: no "for which type" column saying "any type" on every row
    assert [c.text for c in table.rows[0].cells] == [
        "Treatment",
        "What it is",
        "Evidence and caveats",
    ]
    notes = slide.notes_slide.notes_text_frame.text
    assert "type" not in notes.lower()


def test_a_site_on_the_back_brings_the_back_view(psoriasis: Path) -> None:
    slide = Presentation(str(psoriasis)).slides[3]
    (group,) = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.GROUP]
    shown = [t.text for t in group._element.iter(qn("a:t"))]
    # the legend names what is seen
    assert {"Front", "Back", "Scalp", "Elbows", "Knees", "Plaques"} <= set(shown)
    assert group._element.nvGrpSpPr.cNvPr.get("descr") == (
        "Diagram: body outline with patches marking plaque psoriasis on the scalp, elbows, knees"
        " and back."
    )
    edition = deck(load(PSORIASIS))
    (diagram,) = [b for s in plan(edition) for b in s.blocks if isinstance(b, DiagramBlock)]
    assert [f.view for f in diagram.scene.figures] == ["front", "back"]


def test_authors_are_one_series_in_the_cover_notes(psoriasis: Path) -> None:
    notes = Presentation(str(psoriasis)).slides[0].notes_slide.notes_text_frame.text
    assert "authors: Northgate Skin Service writing group (Dermatology) and A. Patel." in notes


def test_a_spanish_deck_has_no_english_interface_phrase(spanish: Path) -> None:
    text = re.sub(r"https?://\S+", "", "\n".join(every_text(spanish)))
    phrases = english_phrases()
    assert len(phrases) > 100
    found = [p for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", text)]
    assert found == []
    assert "Resumen" in titles(spanish) and "Bibliografía" in titles(spanish)


def test_a_spanish_deck_writes_dates_in_spanish(spanish: Path) -> None:
    prs = Presentation(str(spanish))
    cover = prs.slides[0]
    assert "24 de noviembre de 2026" in cover.placeholders[1].text_frame.text
    notes = cover.notes_slide.notes_text_frame.text
    assert "publicada el 24 de noviembre de 2026" in notes
    assert "próxima revisión el 24 de noviembre de 2027" in notes
    references = prs.slides[-2]
    assert "(consultado el 30 de septiembre de 2026)" in references.shapes[1].text_frame.text
    everything = "\n".join(every_text(spanish))
    assert [m for m in MONTHS if m in everything] == []
    # the diagram's own labels carry no language yet (leaflet/diagram/draw_pptx.py)
    langs = {
        r.get("lang")
        for s in prs.slides
        for r in s.shapes._spTree.iter(qn("a:rPr"))
        if next(r.iterancestors(qn("p:grpSp")), None) is None
    }
    assert langs == {"es"}
    assert prs.core_properties.language == "es"


def test_a_spanish_deck_quotes_with_spanish_marks(spanish: Path) -> None:
    prs = Presentation(str(spanish))
    slide = next(s for s in prs.slides if s.shapes.title.text == "Signos de alarma")
    body = slide.shapes[1].text_frame.text
    assert "«Un bulto duele, está rojo, caliente o hinchado.»" in body
    assert "“" not in body


@pytest.mark.parametrize("deck_name", ["psoriasis", "spanish"])
def test_the_new_decks_open_cleanly_in_libreoffice(
    deck_name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    path: Any = request.getfixturevalue(deck_name)
    check(path, tmp_path)
