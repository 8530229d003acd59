"""Warning signs by urgency, read back: the emergency signs first, under the country's
emergency number, in the leaflet, the deck and the web page; the places of what is wrong."""

from __future__ import annotations

import io
import re
from pathlib import Path

import lxml.html
import pdfplumber
import pytest
from pptx import Presentation

from leaflet.edition import EDITIONS, compose
from leaflet.emergency import numbers
from leaflet.errors import ContentError
from leaflet.i18n import TERMS, catalogue, locales
from leaflet.loader import load, load_text
from leaflet.model import Document
from leaflet.renderers import Options
from tests.conftest import CONTENT, ROOT

EMERGENCY = "Redness spreads fast around a lump, or you feel hot, shivery and very unwell."
SIGN = f"""warning_signs:
  - patient: {EMERGENCY}
    clinician: Rapidly spreading erythema around a deposit, or fever and rigors (possible sepsis).
    urgency: emergency
"""
CLINIC = "A lump becomes painful, red, hot or swollen."


def with_emergency(text: str | None = None) -> str:
    """The shipped content (whose signs are all for the clinic) with an emergency sign first."""
    text = CONTENT.read_text() if text is None else text
    return text.replace("warning_signs:\n", SIGN, 1)


def shipped() -> Document:
    return load_text(with_emergency(), project_dir=ROOT)


def flat(text: str) -> str:
    return " ".join(text.split())


def psoriasis() -> Document:
    from leaflet.library import load_library
    from leaflet.loader import load_located

    library = load_library(ROOT / "examples")
    topic = library.topic("psoriasis")
    return load_located(topic.content, defaults=library.defaults(topic))[0]


def leaflet_text(document: Document, edition: str = "leaflet") -> str:
    from leaflet.renderers.leaflet_pdf import render

    data = render(compose(document, EDITIONS[edition]), Options(project_dir=ROOT)).data
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return flat(" ".join(p.extract_text() or "" for p in pdf.pages))


def deck_text(document: Document) -> str:
    from leaflet.renderers.deck_pptx import render

    data = render(compose(document, EDITIONS["deck"]), Options(project_dir=ROOT)).data
    prs = Presentation(io.BytesIO(data))
    return flat(
        " ".join(
            shape.text_frame.text
            for slide in prs.slides
            for shape in slide.shapes
            if shape.has_text_frame
        )
    )


def american(text: str) -> str:
    return text.replace("language: en-GB", "language: en-US", 1)


@pytest.mark.parametrize("edition", ["leaflet", "leaflet-large"])
def test_the_leaflet_sets_the_emergency_signs_first_under_the_emergency_number(
    edition: str,
) -> None:
    text = leaflet_text(shipped(), edition)
    urgent = text.index("Get urgent help now: call 999 if:")
    clinic = text.index("Call your clinic on 01632 960 123 if:")
    assert text.index("Urgent When to get help") < urgent < text.index(EMERGENCY) < clinic
    assert clinic < text.index(CLINIC)
    # the emergency sign is said once, in its group
    assert text.count(EMERGENCY) == 1


def test_the_number_is_the_countrys() -> None:
    us = leaflet_text(load_text(american(with_emergency()), project_dir=ROOT))
    assert "Get urgent help now: call 911 if:" in us
    own = with_emergency().replace(
        "language: en-GB", 'language: en-GB\n  emergency_phone: "112"', 1
    )
    assert "Get urgent help now: call 112 if:" in leaflet_text(load_text(own, project_dir=ROOT))


def test_the_red_band_heads_the_emergency_group_and_the_clinic_group_follows() -> None:
    from leaflet.renderers.leaflet_pdf import render

    data = render(compose(shipped(), EDITIONS["leaflet"]), Options(project_dir=ROOT)).data
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = next(p for p in pdf.pages if p.search("Get urgent help now"))
        top_urgent = page.search("Get urgent help now")[0]["top"]
        top_clinic = page.search("Call your clinic on")[0]["top"]
        red = [
            r
            for r in page.rects
            if r.get("non_stroking_color") and len(r["non_stroking_color"]) == 3
        ]
        bands = [
            r
            for r in red
            if tuple(round(c, 2) for c in r["non_stroking_color"])
            == (round(0xA4 / 255, 2), round(0x16 / 255, 2), round(0x1A / 255, 2))
        ]
    assert top_urgent < top_clinic
    # the red band (icon and the word "Urgent") sits on the emergency group's line only
    assert bands and all(abs(b["top"] - top_urgent) < 20 for b in bands), (bands, top_urgent)


def test_a_second_condition_groups_its_signs_too() -> None:
    text = leaflet_text(psoriasis())
    urgent = text.index("Get urgent help now: call 999 if:")
    clinic = text.index("Call your clinic on")
    assert urgent < text.index("Red skin spreads over most of your body") < clinic
    assert urgent < text.index("You get many small blisters full of yellow fluid") < clinic
    assert clinic < text.index("Your joints become painful, stiff or swollen.")


def test_without_emergency_signs_the_box_is_as_it_was() -> None:
    shown = leaflet_text(load(CONTENT))
    assert "Get urgent help now" not in shown
    assert "Urgent When to get help Call your clinic on 01632 960 123 if:" in shown


def test_the_deck_groups_the_signs_for_the_presenter() -> None:
    text = deck_text(shipped())
    urgent = text.index("Advise patients to call 999 at once for:")
    review = text.index("Advise patients to seek review for:")
    spreading = text.index("Rapidly spreading erythema around a deposit")
    assert urgent < spreading < review < text.index("A deposit becomes painful")


def test_the_web_page_groups_the_signs() -> None:
    from leaflet.renderers.web_html import page

    html = page(compose(shipped(), EDITIONS["web"]), Options(project_dir=ROOT))
    root = lxml.html.document_fromstring(html)
    (region,) = root.xpath("//*[@role='region']")
    assert "Get urgent help now: call 999 if:" in region.text_content()
    assert [flat(li.text_content()) for li in region.findall(".//li")] == [EMERGENCY]
    (clinic,) = root.xpath("//div[contains(@class, 'callout-clinic')]")
    assert "Call your clinic on 01632 960 123 if:" in clinic.text_content()
    assert CLINIC in [flat(li.text_content()) for li in clinic.findall(".//li")]
    # read in that order
    assert html.index("callout-urgent") < html.index("callout-clinic")


# what can be wrong, at its place -----------------------------------------------------------
def line_of(text: str, needle: str, nth: int = 0) -> int:
    starts = [m.start() for m in re.finditer(re.escape(needle), text)]
    return text[: starts[nth]].count("\n") + 1


def problem(text: str) -> str:
    with pytest.raises(ContentError) as caught:
        load_text(text, project_dir=ROOT)
    return str(caught.value)


def test_an_unknown_urgency_is_refused_at_its_place() -> None:
    text = with_emergency().replace("urgency: emergency", "urgency: soon", 1)
    line = line_of(text, "urgency: soon")
    assert problem(text) == (
        f"content.yaml:{line}:14: warning_signs[0].urgency: 'soon' is not allowed here"
        " (use one of: clinic, emergency)"
    )


def test_an_emergency_sign_needs_a_country() -> None:
    text = with_emergency().replace("language: en-GB", "language: zh-Hans", 1)
    line = line_of(text, "urgency: emergency")
    assert problem(text).startswith(
        f"content.yaml:{line}:14: warning_signs[0].urgency: an emergency sign tells readers"
        " which number to call, and that depends on their country: add `country:` to meta"
        " (the two-letter code, like GB or US; 'zh-Hans' names no country)"
    )
    # with a country it loads, and the number is that country's
    fixed = text.replace("language: zh-Hans", "language: zh-Hans\n  country: TW", 1)
    assert load_text(fixed, project_dir=ROOT).meta.emergency_number() == "119"


def test_a_country_without_a_known_number_asks_for_one_at_its_place() -> None:
    text = with_emergency().replace("language: en-GB", "language: en-GB\n  country: ng", 1)
    line = line_of(text, "country: ng")
    assert problem(text) == (
        f"content.yaml:{line}:12: meta.country: leaflet knows no emergency number for NG: add"
        " `emergency_phone:` to meta (the number readers there call for an ambulance)"
    )


def test_a_country_code_that_is_not_one_is_refused() -> None:
    text = CONTENT.read_text().replace("language: en-GB", "language: en-GB\n  country: UK", 1)
    line = line_of(text, "country: UK")
    assert problem(text) == (
        f"content.yaml:{line}:12: meta.country: 'UK' is not a country code (write the"
        " two-letter ISO 3166-1 code, like GB, US or ES)"
    )


def test_clinic_signs_need_no_country() -> None:
    text = CONTENT.read_text().replace("language: en-GB", "language: zh-Hans", 1)
    assert load_text(text, project_dir=ROOT).meta.region() is None


# the data ----------------------------------------------------------------------------------
def test_every_number_is_an_emergency_number_of_its_country_in_libphonenumber() -> None:
    """Checked against Google's libphonenumber short-number metadata, a maintained source."""
    shortnumberinfo = pytest.importorskip("phonenumbers.shortnumberinfo")
    table = numbers()
    assert len(table) >= 60
    wrong = {
        country: number
        for country, number in table.items()
        if not shortnumberinfo.is_emergency_number(number, country)
    }
    assert not wrong
    # the language regions the catalogues are written for are covered
    for country in ("GB", "US", "ES", "FR", "PL", "PT", "RO", "BR", "MX", "IN", "PK", "BD"):
        assert country in table
    assert table["GB"] == "999" and table["US"] == "911" and table["ES"] == "112"


def test_every_catalogue_words_the_emergency_call_with_its_number() -> None:
    assert TERMS["leaflet.call_emergency"] == ("number",)
    english = catalogue("en-GB")
    for locale in locales():
        words = catalogue(locale)
        for term in ("leaflet.call_emergency", "deck.seek_emergency"):
            said = words.term(term, number="999")
            assert "999" in said, (locale, term)
            if not locale.startswith("en"):
                assert said != english.term(term, number="999"), (locale, term)


def test_the_starter_shows_both_urgencies(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from leaflet.cli import cli

    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    document = load(tmp_path / "content.yaml")
    assert {s.urgency for s in document.warning_signs} == {"clinic", "emergency"}
    assert document.meta.emergency_number() == "999"
