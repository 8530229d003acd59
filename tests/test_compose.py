"""compose() on its own: which blocks each edition holds, in what order, in whose words."""

from __future__ import annotations

import io
from typing import Any

import pytest
from ruamel.yaml import YAML

from leaflet.edition import EDITIONS, Edition, compose
from leaflet.edition.blocks import (
    BulletList,
    Callout,
    Cards,
    Contact,
    Figure,
    Glossary,
    Governance,
    Paragraph,
    Section,
    Sources,
    Table,
    TitleBlock,
    plain,
)
from leaflet.loader import load_text
from tests.conftest import CONTENT

YAML_RT = YAML()


def content(change: Any = None) -> str:
    data = YAML_RT.load(CONTENT.read_text())
    if change:
        change(data)
    out = io.StringIO()
    YAML_RT.dump(data, out)
    return out.getvalue()


def edition(text: str, edition_id: str) -> Edition:
    return compose(load_text(text), EDITIONS[edition_id])


def shape(e: Edition) -> list[tuple[str, str | None, list[str]]]:
    """Each section: its id, its kind, and the kinds of its blocks, in order."""
    return [(s.id, s.kind, [type(b).__name__ for b in s.body]) for s in e.sections]


def every_text(e: Edition) -> str:
    """Every string an edition holds, however deep, joined: what any renderer could print."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                if name not in ("spec", "words", "theme", "source", "keywords"):
                    walk(getattr(value, name))

    walk(e)
    return "\n".join(found)


def test_the_patient_leaflet_holds_the_sections_in_the_contents_order() -> None:
    e = edition(content(), "leaflet")
    assert [type(b) for b in e.blocks] == [
        TitleBlock,
        *[Section] * 7,
        Glossary,
        Sources,
        Contact,
        Governance,
    ]
    assert shape(e) == [
        ("about", None, ["Paragraph"] * 3),
        ("who", None, ["Paragraph"]),
        ("where", "sites", ["Paragraph", "Figure"]),
        ("types", "types", ["Paragraph", "Cards"]),
        ("risks", "risk_factors", ["BulletList"]),
        ("treatment", "treatments", ["Paragraph", "Cards"]),
        ("help", "warning_signs", ["Callout"]),
    ]
    assert [plain(s.heading) for s in e.sections][:3] == [
        "What are calcium deposits?",
        "Who gets them?",
        "Where do they form?",
    ]
    [callout] = e.sections[-1].body
    assert isinstance(callout, Callout) and callout.kind == "urgent"


def test_large_print_says_exactly_what_the_standard_leaflet_says() -> None:
    text = content()
    standard, large = edition(text, "leaflet"), edition(text, "leaflet-large")
    assert large.spec.scale == "large" and standard.spec.scale == "standard"
    assert large.sections == standard.sections and large.glossary == standard.glossary


def test_the_deck_holds_clinician_words_tables_and_a_hand_view() -> None:
    e = edition(content(), "deck")
    assert shape(e) == [
        ("about", None, ["Paragraph"] * 3),
        ("who", None, ["Paragraph"]),
        ("where", "sites", ["Paragraph", "Figure", "Figure"]),
        ("types", "types", ["Paragraph", "Table", "Cards"]),
        ("risks", "risk_factors", ["BulletList"]),
        ("treatment", "treatments", ["Paragraph", "Table"]),
        ("help", "warning_signs", ["BulletList", "BulletList", "Paragraph"]),
    ]
    assert plain(e.sections[2].heading) == "Distribution"
    body, hand = (b for b in e.sections[2].body if isinstance(b, Figure))
    assert (body.view, hand.view) == ("body", "hand")
    assert body.alt.startswith("Diagram: body outline with ")
    assert "calcinosis cutis" in body.alt
    [treatments] = [b for b in e.sections[5].body if isinstance(b, Table)]
    assert treatments.header[0] == "Treatment"


def test_figures_name_every_site_in_the_audiences_words() -> None:
    text = content()
    [patient] = [b for b in edition(text, "leaflet").sections[2].body if isinstance(b, Figure)]
    assert patient.alt == "Where calcium deposits form: on the fingers, elbows, face and shoulders."
    assert [s for s, _ in patient.sites] == ["fingers", "elbows", "face", "shoulders"]
    clinician = edition(text, "deck").sections[2].body[1]
    assert isinstance(clinician, Figure)
    assert "digits of the hand" in clinician.alt


def _without_types_causes_or_sites(data: Any) -> None:
    for key in ("types", "causes", "sites"):
        del data[key]
    data["sections"] = [s for s in data["sections"] if s.get("block") not in ("types", "sites")]
    for t in data["treatments"]:
        t.pop("for_types", None)
    for r in data["risk_factors"]:
        r.pop("types", None)
    data["glossary"] = [g for g in data["glossary"] if "dystrophic" not in str(g).lower()]


@pytest.mark.parametrize("edition_id", ["leaflet", "deck"])
def test_content_without_types_causes_or_sites_composes(edition_id: str) -> None:
    e = edition(content(_without_types_causes_or_sites), edition_id)
    kinds = [s.kind for s in e.sections]
    assert "types" not in kinds and "sites" not in kinds
    assert not any(isinstance(b, Figure) for s in e.sections for b in s.body)
    assert [s.id for s in e.sections] == ["about", "who", "risks", "treatment", "help"]
    assert [s.number for s in e.sections] == list(range(5))
    if edition_id == "leaflet":
        treatments = e.section_of("treatments")
        assert treatments is not None
        [cards] = [b for b in treatments.body if isinstance(b, Cards)]
        assert len(cards.items) == 5


def _back_of_body(data: Any) -> None:
    data["sites"] = ["scalp", "elbows", "knees", "back", {"id": "hands", "side": "left"}]


@pytest.mark.parametrize("edition_id", ["leaflet", "deck"])
def test_back_of_body_and_one_sided_sites_reach_the_figure(edition_id: str) -> None:
    e = edition(content(_back_of_body), edition_id)
    section = e.section_of("sites")
    assert section is not None
    figures = [b for b in section.body if isinstance(b, Figure)]
    assert figures, "the figure must never be dropped"
    body = figures[0]
    assert body.sites == (
        ("scalp", "both"),
        ("elbows", "both"),
        ("knees", "both"),
        ("back", "both"),
        ("hands", "left"),
    )
    assert "back" in body.alt and "left" in body.alt


def test_compose_is_pure_and_repeatable() -> None:
    text = content()
    assert edition(text, "leaflet") == edition(text, "leaflet")
    assert edition(text, "deck") == edition(text, "deck")


def test_the_second_audience_never_leaks_into_the_first() -> None:
    e = edition(content(), "leaflet")
    text = every_text(e)
    for clinician_word in ("calcinosis cutis", "Dystrophic", "Epidemiology", "Management"):
        assert clinician_word not in text
    deck = every_text(edition(content(), "deck"))
    assert "What are calcium deposits?" not in deck


def test_contact_and_governance_are_blocks_in_the_body() -> None:
    e = edition(content(), "leaflet")
    assert isinstance(e.contact, Contact) and e.contact.phone
    assert isinstance(e.governance, Governance) and e.governance.next_review
    assert isinstance(e.sources, Sources) and len(e.sources.items) == 2
    assert isinstance(e.sections[4].body[0], BulletList)
    assert all(isinstance(p, Paragraph) for p in e.sections[0].body)


def test_the_legend_names_what_is_seen_not_the_condition() -> None:
    def psoriasis_like(data: Any) -> None:
        data["meta"]["topic"] = {"patient": "psoriasis", "clinician": "plaque psoriasis"}
        data["meta"]["signs"] = {"patient": "red patches", "clinician": "plaques"}

    text = content(psoriasis_like)
    legends = {
        edition_id: [
            b.words.legend
            for s in edition(text, edition_id).sections
            for b in s.body
            if isinstance(b, Figure)
        ]
        for edition_id in ("leaflet", "deck")
    }
    assert legends == {"leaflet": ["Red patches"], "deck": ["Plaques", "Plaques"]}
