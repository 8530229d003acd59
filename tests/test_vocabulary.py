"""The gates' vocabulary: site words and synonyms per language, medicine names, site suggestions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from leaflet.checks.consistency import sites_named
from leaflet.checks.jargon import shipped_terms
from leaflet.cli import cli
from leaflet.errors import LeafletError
from leaflet.loader import load_text
from tests.conftest import CONTENT


def gates(project: Path) -> list[tuple[str, str]]:
    result = CliRunner().invoke(cli, ["check", str(project / "content.yaml"), "--format", "json"])
    return [(f["gate"], f["message"]) for f in json.loads(result.stdout)["findings"]]


@pytest.mark.parametrize(
    ("text", "language", "sites"),
    [
        ("It often starts in the first metatarsophalangeal joint.", "en-GB", {"toes"}),
        ("The big toe swells overnight.", "en-GB", {"toes"}),
        ("A swelling over the kneecap.", "en-GB", {"knees"}),
        ("Lumps on the elbow and the heel.", "en-US", {"elbows", "feet"}),
        ("Las placas salen en los codos y en la rodilla.", "es", {"elbows", "knees"}),
        ("It is the sole cause; see the bottom of the page.", "en-GB", set()),
        ("Fingertips, not fingers.", "en-GB", {"fingertips", "fingers"}),
    ],
)
def test_the_text_names_sites_in_its_own_language(
    text: str, language: str, sites: set[str]
) -> None:
    assert sites_named(text, language) == sites


def test_a_spanish_sites_section_is_checked_in_spanish(project: Path) -> None:
    """Spanish text naming the sites drawn passes; naming one not drawn is found."""
    content = project / "content.yaml"
    text = content.read_text().replace("language: en-GB", "language: es")
    text = text.replace(
        "The lumps are most often found on the fingers, elbows, face and\n          shoulders.",
        "Salen en los dedos de las manos, los codos, la cara y los hombros.",
    ).replace(
        "Common sites are the digits, elbows, face and shoulders.",
        "Dedos de la mano, codos, cara, hombros y rodillas.",
    )
    content.write_text(text)
    consistency = [m for g, m in gates(project) if g == "site-consistency"]
    assert consistency == ["the text names the knees, but the diagram does not draw them"]


@pytest.mark.parametrize("medicine", ["allopurinol", "naproxen", "febuxostat", "methotrexate"])
def test_medicine_names_must_be_explained(project: Path, medicine: str) -> None:
    assert medicine in shipped_terms()
    content = project / "content.yaml"
    text = content.read_text()
    content.write_text(
        text.replace(
            "Women get these deposits more often than men.",
            f"Women get these deposits more often than men. Some take {medicine}.",
        )
    )
    assert (
        "jargon",
        f"'{medicine}' is a medical word that this section does not explain",
    ) in gates(project)


def test_household_medicine_names_are_not_jargon() -> None:
    assert {"paracetamol", "ibuprofen", "aspirin"}.isdisjoint(shipped_terms())


@pytest.mark.parametrize(
    ("written", "suggested"),
    [("big-toe", "toes"), ("belly", "abdomen"), ("kneecap", "knees"), ("fingerz", "fingers")],
)
def test_an_unknown_site_is_matched_by_what_people_call_it(written: str, suggested: str) -> None:
    text = CONTENT.read_text().replace("sites: [fingers,", f"sites: [{written},")
    with pytest.raises(LeafletError) as caught:
        load_text(text)
    assert f"unknown body site '{written}' (did you mean '{suggested}'?)" in str(caught.value)


def test_a_language_without_a_formula_is_not_graded_by_englishs(tmp_path: Path) -> None:
    from tests.conftest import ROOT

    french = tmp_path / "leaflet-fr.yaml"  # Spanish words, but the content says French
    text = (ROOT / "tests/cases/leaflet-es.yaml").read_text("utf-8")
    french.write_text(text.replace("language: es", "language: fr"), "utf-8")
    result = CliRunner().invoke(cli, ["check", str(french), "--format", "json"])
    data = json.loads(result.stdout)
    assert data["reading"] == []
    assert not [f for f in data["findings"] if f["gate"] == "reading-level"]
    from leaflet.checks import run_checks

    summary = run_checks(french).summary
    assert summary.startswith("reading grade not measured: no formula for 'fr' here yet")
    english = CliRunner().invoke(cli, ["check", "content.yaml", "--format", "json"]).stdout
    assert json.loads(english)["reading"]
