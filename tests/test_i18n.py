"""The interface catalogues: every language has every word, checked on load, and dates and
lists come from CLDR offline."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from importlib.resources import files
from pathlib import Path

import pytest

from leaflet.errors import LeafletError
from leaflet.glyphs import PATIENT, charset
from leaflet.i18n import (
    TERMS,
    Catalogue,
    capitalised,
    catalogue,
    locale_for,
    locales,
    parse_catalogue,
    sentence_case,
)
from leaflet.inline import Run
from leaflet.sites import SITES

ROOT = Path(__file__).resolve().parent.parent

SHIPPED = {
    "en-GB": ("English", "ltr"),
    "en-US": ("English (US)", "ltr"),
    "es": ("Español", "ltr"),
    "fr": ("Français", "ltr"),
    "pl": ("Polski", "ltr"),
    "ro": ("Română", "ltr"),
    "pt": ("Português", "ltr"),
    "tr": ("Türkçe", "ltr"),
    "el": ("Ελληνικά", "ltr"),
    "hi": ("हिन्दी", "ltr"),
    "ar": ("العربية", "rtl"),
    "ur": ("اردو", "rtl"),
    "fa": ("فارسی", "rtl"),
    "bn": ("বাংলা", "ltr"),
    "pa": ("ਪੰਜਾਬੀ", "ltr"),
    "gu": ("ગુજરાતી", "ltr"),
    "zh-Hans": ("简体中文", "ltr"),
    "zh-Hant": ("繁體中文", "ltr"),
}
LATIN = ["en-GB", "en-US", "es", "fr", "pl", "ro", "pt"]
SCRIPT = {
    # the Unicode name prefix of the letters each non-Latin catalogue must be written in
    "ar": "ARABIC",
    "ur": "ARABIC",
    "fa": "ARABIC",
    "bn": "BENGALI",
    "hi": "DEVANAGARI",
    "el": "GREEK",
    "pa": "GURMUKHI",
    "gu": "GUJARATI",
    "zh-Hans": "CJK UNIFIED IDEOGRAPH",
    "zh-Hant": "CJK UNIFIED IDEOGRAPH",
}
SAME_AS_ENGLISH = {
    # terms whose text may equal en-GB's because nothing in them is a word to translate
    # "{name} ({role})", "{title}.", "{name}: {mechanism}", "“{quote}”"
    "*": {"deck.author_role", "deck.section_cue", "deck.type_note", "deck.quote"},
    # a risk factor, then an en dash and its explanation: Polish and Romanian set it so too
    "pl": {"leaflet.risk_factor"},
    "ro": {"leaflet.risk_factor"},
    "el": {"leaflet.risk_factor"},
    "hi": {"leaflet.risk_factor"},
    # French shares these words with English, spelt the same
    "fr": {
        "leaflet.sources_bookmark",
        "deck.type",
        "deck.footer",
        "deck.cover_line",
    },
}
EDGE_SPACES = ["deck.patients_call", "deck.or_visit", "deck.accessed"]
NAME = "leaflet/data/i18n/xx.yaml"


def source(locale: str = "en-GB") -> str:
    return files("leaflet").joinpath("data/i18n", f"{locale}.yaml").read_text("utf-8")


def words(c: Catalogue) -> list[str]:
    """Every text a reader may see from the catalogue: its terms and both words of each site."""
    return [*c.terms.values(), *(w for s in c.sites.values() for w in (s.patient, s.clinician))]


def problems(text: str) -> list[str]:
    with pytest.raises(LeafletError) as caught:
        parse_catalogue(text, NAME, "xx")
    return caught.value.message.splitlines()


# the shipped catalogues


def test_locales_lists_exactly_the_shipped_catalogues() -> None:
    assert locales() == sorted(SHIPPED)


@pytest.mark.parametrize("locale", sorted(SHIPPED))
def test_each_catalogue_has_every_term_and_site_its_name_and_direction(locale: str) -> None:
    c = catalogue(locale)
    assert (c.locale, c.name, c.direction) == (locale, *SHIPPED[locale])
    assert list(c.terms) == list(TERMS)
    assert list(c.sites) == list(SITES)
    assert all(w.strip() for w in words(c))
    assert c.file == f"leaflet/data/i18n/{locale}.yaml"


@pytest.mark.parametrize("locale", sorted(SHIPPED))
def test_the_file_names_its_own_language_and_only_english_counts_as_reviewed(locale: str) -> None:
    from ruamel.yaml import YAML

    data = YAML(typ="safe", pure=True).load(source(locale))
    assert data["language"] == locale
    assert data["reviewed"] is locale.startswith("en-")
    if not data["reviewed"]:
        header = source(locale).split("\nlanguage:")[0]
        assert "DRAFT" in header and "must review" in header


@pytest.mark.parametrize("locale", sorted(SHIPPED))
def test_terms_keep_the_spaces_they_are_joined_by(locale: str) -> None:
    c, en = catalogue(locale), catalogue("en-GB")
    for key in EDGE_SPACES:
        text, english = c.terms[key], en.terms[key]
        assert (text[:1] == " ", text[-1:] == " ") == (english[:1] == " ", english[-1:] == " ")


@pytest.mark.parametrize("locale", sorted(SHIPPED))
def test_bold_stays_where_the_english_has_it(locale: str) -> None:
    c, en = catalogue(locale), catalogue("en-GB")
    bold = [k for k, v in en.terms.items() if "**" in v]
    assert bold
    for key in bold:
        assert any(r.bold for r in c.runs(key, **dict.fromkeys(TERMS[key], "x"))), key
    assert [k for k, v in c.terms.items() if "**" in v] == bold


@pytest.mark.parametrize("locale", sorted(set(SHIPPED) - {"en-GB", "en-US"}))
def test_no_term_is_left_in_english(locale: str) -> None:
    c, en = catalogue(locale), catalogue("en-GB")
    allowed = SAME_AS_ENGLISH["*"] | SAME_AS_ENGLISH.get(locale, set())
    same = {k for k in TERMS if c.terms[k] == en.terms[k]}
    assert same <= allowed, sorted(same - allowed)


def test_an_untranslated_copy_of_english_would_fail() -> None:
    copy = parse_catalogue(source("en-GB"), NAME, "xx")
    en = catalogue("en-GB")
    assert {k for k in TERMS if copy.terms[k] == en.terms[k]} - SAME_AS_ENGLISH["*"]


def test_us_english_spells_and_says_things_the_american_way() -> None:
    us, gb = catalogue("en-US"), catalogue("en-GB")
    assert us.term("leaflet.call_clinic", phone="555") == "**Call your clinic at 555 if:**"
    assert us.term("deck.call_whom", organisation="Clinic", phone="555") == "Clinic at 555"
    for key in ("leaflet.colophon", "deck.cover_notes", "deck.closing_governance"):
        assert "License: {licence}" in us.terms[key]
        assert "Licence: {licence}" in gb.terms[key]
    assert not any("Licence" in w for w in words(us))


def test_side_forms_put_the_site_in_a_parenthesis_that_fits_a_plural() -> None:
    assert catalogue("es").term("side.left", site="codos") == "codos (lado izquierdo)"
    assert catalogue("zh-Hans").term("side.right", site="手肘") == "手肘（右侧）"
    assert catalogue("en-GB").term("side.left", site="elbows") == "elbows (left)"


def test_chinese_uses_full_width_punctuation() -> None:
    for locale in ("zh-Hans", "zh-Hant"):
        text = "".join(words(catalogue(locale))).replace("{", "").replace("}", "")
        assert not re.search(r"[\u3400-\u9fff][:.,;()]|[:,;(][\u3400-\u9fff]", text), locale
        assert "：" in text and "（" in text and "。" in text


@pytest.mark.parametrize("locale", LATIN)
def test_latin_catalogues_are_drawn_by_atkinson_hyperlegible(locale: str) -> None:
    chars = charset(PATIENT.family)
    lacking = {
        c for w in words(catalogue(locale)) for c in w if not c.isspace() and ord(c) not in chars
    }
    assert not lacking, sorted(lacking)


@pytest.mark.parametrize("locale", sorted(SCRIPT))
def test_other_catalogues_are_written_in_their_script(locale: str) -> None:
    script = SCRIPT[locale]
    c = catalogue(locale)
    for key in ("leaflet.glossary", "deck.treatment", "evidence.limited.patient"):
        letters = [ch for ch in c.terms[key] if ch.isalpha()]
        assert letters and all(unicodedata.name(ch).startswith(script) for ch in letters), key
    site_letters = [ch for s in c.sites.values() for ch in s.patient if ch.isalpha()]
    assert all(unicodedata.name(ch).startswith(script) for ch in site_letters)


def test_traditional_chinese_is_not_a_copy_of_simplified() -> None:
    hans, hant = catalogue("zh-Hans"), catalogue("zh-Hant")
    assert "这" in hans.terms["leaflet.sources"] and "這" in hant.terms["leaflet.sources"]
    assert sum(hans.terms[k] != hant.terms[k] for k in TERMS) > len(TERMS) // 2


# the checks on load


def test_a_missing_term_is_named_with_the_file() -> None:
    text = re.sub(r"\n  leaflet\.glossary: .*", "", source())
    assert problems(text) == [f"{NAME}: missing term 'leaflet.glossary'"]


def test_an_unknown_term_is_named() -> None:
    text = source().replace("terms:\n", "terms:\n  leaflet.glosary: Words to know\n", 1)
    assert problems(text) == [f"{NAME}: unknown term 'leaflet.glosary'"]


def test_a_wrong_set_of_placeholders_is_named_with_the_ones_wanted() -> None:
    text = source().replace("Call your clinic on {phone} if:", "Call your clinic on {tel} if:")
    assert problems(text) == [f"{NAME}: term 'leaflet.call_clinic' must use {{phone}}"]
    text = source().replace("Words to know", "Words to know {title}")
    assert problems(text) == [f"{NAME}: term 'leaflet.glossary' must use no placeholders"]


def test_a_missing_site_is_named() -> None:
    text = re.sub(r"\n  elbows: .*", "", source())
    assert problems(text) == [f"{NAME}: missing site 'elbows' (patient and clinician words)"]


def test_every_problem_is_reported_at_once_one_line_each() -> None:
    text = re.sub(r"\n  leaflet\.glossary: .*", "", source())
    text = text.replace("terms:\n", "terms:\n  leaflet.glosary: Words to know\n", 1)
    text = text.replace("Palm side of the hand", "Palm side of the {hand}")
    text = re.sub(r"\n  elbows: .*", "", text)
    text = text.replace("direction: ltr", "direction: sideways")
    assert problems(text) == [
        f"{NAME}: direction must be ltr or rtl, not 'sideways'",
        f"{NAME}: missing term 'leaflet.glossary'",
        f"{NAME}: term 'diagram.palm' must use no placeholders",
        f"{NAME}: unknown term 'leaflet.glosary'",
        f"{NAME}: missing site 'elbows' (patient and clinician words)",
    ]


def test_a_malformed_placeholder_is_a_problem_not_a_crash() -> None:
    text = source().replace("Call your clinic on {phone} if:", "Call your clinic on {phone if:")
    assert problems(text) == [
        f"{NAME}: term 'leaflet.call_clinic' has a stray brace:"
        " write {name}, or {{ }} for a brace"
    ]


def test_terms_or_sites_that_are_not_mappings_are_reported() -> None:
    for text in ("terms: [a, b]\n", "terms: {}\nsites: elbows\n"):
        assert problems(text) == [
            f"{NAME}: terms and sites must each be a mapping, as in en-GB.yaml"
        ]


# choosing a catalogue


@pytest.mark.parametrize(
    ("language", "locale"),
    [
        ("en-GB", "en-GB"),
        ("en", "en-GB"),
        ("en-US", "en-US"),
        ("en-AU", "en-GB"),
        ("es-MX", "es"),
        ("pt-BR", "pt"),
        ("zh", "zh-Hans"),
        ("zh-Hans", "zh-Hans"),
        ("zh-Hant", "zh-Hant"),
        ("zh-TW", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-CN", "zh-Hans"),
    ],
)
def test_a_content_language_finds_its_catalogue(language: str, locale: str) -> None:
    assert locale_for(language) == locale
    assert catalogue(language).locale == locale


def test_an_unknown_language_names_the_ones_there_are() -> None:
    with pytest.raises(LeafletError) as caught:
        locale_for("tlh")
    assert caught.value.message == (
        "no interface catalogue for language 'tlh' (there are: ar, bn, el, en-GB, en-US, es, fa,"
        " fr, gu, hi, pa, pl, pt, ro, tr, ur, zh-Hans, zh-Hant; add data/i18n/tlh.yaml to"
        " leaflet, or set meta.language to one of them)"
    )


# dates, lists and numbers from CLDR

DAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("locale", "written"),
    [
        ("en-GB", "24 November 2026"),
        ("en-US", "November 24, 2026"),
        ("es", "24 de noviembre de 2026"),
        ("fr", "24 novembre 2026"),
        ("pl", "24 listopada 2026"),
        ("pt", "24 de novembro de 2026"),
        ("ro", "24 noiembrie 2026"),
        ("zh-Hans", "2026年11月24日"),
        ("zh-Hant", "2026年11月24日"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(locale: str, written: str) -> None:
    assert catalogue(locale).date(DAY) == written


@pytest.mark.parametrize(
    ("locale", "both", "either"),
    [
        ("en-GB", "a, b and c", "a, b or c"),
        ("en-US", "a, b, and c", "a, b, or c"),
        ("es", "a, b y c", "a, b o c"),
        ("fr", "a, b et c", "a, b ou c"),
        ("pl", "a, b i c", "a, b lub c"),
        ("zh-Hans", "a、b和c", "a、b或c"),
    ],
)
def test_lists_join_with_each_languages_and_and_or(locale: str, both: str, either: str) -> None:
    c = catalogue(locale)
    assert (c.join(["a", "b", "c"]), c.join(["a", "b", "c"], "or")) == (both, either)


def test_short_lists() -> None:
    c = catalogue("en-GB")
    assert (c.join([]), c.join(["a"]), c.join(["a", "b"], "or")) == ("", "a", "a or b")


def test_numbers_group_digits_the_local_way() -> None:
    assert catalogue("en-GB").number(1234567) == "1,234,567"
    assert catalogue("es").number(1234567) == "1.234.567"


def test_babel_formats_dates_with_no_network() -> None:
    if not (shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"]).returncode == 0):
        pytest.skip("unshare -n does not work here, so the network cannot be taken away")
    code = (
        "import datetime; from leaflet.i18n import catalogue;"
        "print(catalogue('pl').date(datetime.date(2026, 11, 24)))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HTTPS_PROXY": "http://127.0.0.1:9"}
    result = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert result.stdout.strip() == "24 listopada 2026"


# terms as runs


def test_runs_apply_the_terms_own_bold() -> None:
    runs = catalogue("en-GB").runs("leaflet.our_advice", advice="Rest.")
    assert runs == (Run("Our advice:", bold=True), Run(" "), Run("Rest."))


def test_a_field_inside_a_bold_stretch_is_bold() -> None:
    runs = catalogue("en-GB").runs("leaflet.call_clinic", phone="01632 960 123")
    assert runs == (
        Run("Call your clinic on ", bold=True),
        Run("01632 960 123", bold=True),
        Run(" if:", bold=True),
    )


def test_field_values_are_never_parsed_as_markup() -> None:
    runs = catalogue("en-GB").runs("deck.telephone", phone="*31# or **44**")
    assert runs == (Run("Telephone "), Run("*31# or **44**"))


def test_a_field_given_as_runs_keeps_its_italics_and_gains_the_terms_bold() -> None:
    notes = (Run("Ask about "), Run("calcinosis", italic=True), Run("."))
    runs = catalogue("en-GB").runs("leaflet.good_to_know", notes=notes)
    assert runs == (Run("Good to know:", bold=True), Run(" "), *notes)
    advice = catalogue("en-GB").runs("leaflet.page", page=(Run("1", italic=True),), pages="2")
    assert advice == (
        Run("Page ", bold=True),
        Run("1", bold=True, italic=True),
        Run(" of ", bold=True),
        Run("2", bold=True),
    )


def test_a_term_that_does_not_exist_names_the_file() -> None:
    with pytest.raises(LeafletError) as caught:
        catalogue("fr").term("leaflet.nothing")
    assert caught.value.message == "leaflet/data/i18n/fr.yaml: no term 'leaflet.nothing'"


# names inside sentences


@pytest.mark.parametrize(
    ("name", "inside"),
    [
        ("Calcinosis cutis", "calcinosis cutis"),
        ("CREST syndrome", "CREST syndrome"),
        ("UVB light", "UVB light"),
        ("A", "A"),
        ("", ""),
        ("already small", "already small"),
        ("Ángel", "ángel"),
        ("钙沉积", "钙沉积"),
    ],
)
def test_sentence_case_lowers_a_first_letter_but_not_an_abbreviation(
    name: str, inside: str
) -> None:
    assert sentence_case(name) == inside


@pytest.mark.parametrize(
    ("text", "label"),
    [("elbows", "Elbows"), ("élbows", "Élbows"), ("", ""), ("UVB", "UVB"), ("دست", "دست")],
)
def test_capitalised_raises_only_the_first_letter(text: str, label: str) -> None:
    assert capitalised(text) == label
