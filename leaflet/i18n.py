"""Interface words in one catalogue per language, with dates and lists from CLDR (Babel).

A catalogue (`leaflet/data/i18n/<locale>.yaml`) holds the words the tool itself puts on a
leaflet or a slide ("Words to know", "Page 1 of 2"), what the body sites are called, and how the
diagram's marks are described. Content words (the condition's names, what its signs are called)
come from the content, never from here. The set of terms is closed (TERMS); a catalogue that
lacks one, or has one the tool does not know, is an error naming the term and the file, so a
translated leaflet never falls back to English.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib.resources import files
from typing import Any, Literal

from leaflet import inline
from leaflet.errors import LeafletError
from leaflet.inline import Run
from leaflet.sites import SITES

Direction = Literal["ltr", "rtl"]

TERMS: dict[str, tuple[str, ...]] = {
    # the leaflet
    "leaflet.glossary": (),
    "leaflet.sources": (),
    "leaflet.sources_bookmark": (),
    "leaflet.colophon": ("authors", "published", "licence"),
    "leaflet.caused_by": ("causes",),
    "leaflet.used_for": ("signs", "types"),
    "leaflet.good_to_know": ("notes",),
    "leaflet.our_advice": ("advice",),
    "leaflet.call_clinic": ("phone",),
    "leaflet.call_emergency": ("number",),
    "leaflet.urgent": (),
    "leaflet.risk_factor": ("factor", "why"),
    "leaflet.places": ("sites",),
    "leaflet.footer_contact": ("organisation", "phone", "website"),
    "leaflet.footer_dates": ("version", "reviewed", "next_review"),
    "leaflet.page": ("page", "pages"),
    "leaflet.keywords": (),
    "leaflet.figure_alt": ("signs", "sites"),
    "leaflet.logo_alt": ("organisation",),
    "leaflet.unreviewed": (),
    "leaflet.qr_alt": ("url",),
    "leaflet.also": ("formats",),
    "edition.leaflet": (),
    "edition.leaflet-large": (),
    "edition.web": (),
    # evidence, in each audience's words
    "evidence.established.patient": (),
    "evidence.limited.patient": (),
    "evidence.experimental.patient": (),
    "evidence.anecdotal.patient": (),
    "evidence.established.clinician": (),
    "evidence.limited.clinician": (),
    "evidence.experimental.clinician": (),
    "evidence.anecdotal.clinician": (),
    # the diagram
    "diagram.front": (),
    "diagram.back": (),
    "diagram.palm": (),
    "diagram.hand_left": (),
    "diagram.hand_right": (),
    "side.left": ("site",),
    "side.right": ("site",),
    "marker.lumps": (),
    "marker.patch": (),
    "marker.spots": (),
    "marker.lumps_cue": (),
    "marker.patch_cue": (),
    "marker.spots_cue": (),
    # the deck
    "deck.overview": (),
    "deck.agenda": (),
    "deck.overview_cue": ("topic",),
    "deck.tell_patients": (),
    "deck.references": (),
    "deck.references_cue": (),
    "deck.part_title": ("title", "part", "parts"),
    "deck.continued_cue": ("cue",),
    "deck.continued_short": ("cue",),
    "deck.cover_line": ("organisation", "version", "reviewed"),
    "deck.cover_notes": (
        "title",
        "subtitle",
        "organisation",
        "authors",
        "version",
        "published",
        "reviewed",
        "next_review",
        "licence",
    ),
    "deck.author_role": ("name", "role"),
    "deck.footer": ("organisation", "version"),
    "deck.sites_shown": (),
    "deck.hand_sites": (),
    "deck.hand_title": ("title",),
    "deck.body_alt": ("marks", "topic", "sites"),
    "deck.body_cue": ("title", "marks", "signs", "sites"),
    "deck.hand_alt": ("marks", "topic", "sites"),
    "deck.hand_cue": ("sites", "signs"),
    "deck.alt_note": ("alt",),
    "deck.section_cue": ("title",),
    "deck.type": (),
    "deck.mechanism": (),
    "deck.associated": (),
    "deck.none_recorded": (),
    "deck.mechanism_label": (),
    "deck.associated_label": (),
    "deck.example_label": (),
    "deck.note_label": (),
    "deck.types_cue": ("title",),
    "deck.type_note": ("name", "mechanism"),
    "deck.associated_with": ("conditions",),
    "deck.type_cue": ("name", "title"),
    "deck.risks_cue": ("title",),
    "deck.advice_label": (),
    "deck.treatment": (),
    "deck.what_it_is": (),
    "deck.for_which_type": (),
    "deck.evidence_caveats": (),
    "deck.any_type": (),
    "deck.treatment_note": ("name", "types", "what", "evidence"),
    "deck.treatments_cue": ("title",),
    "deck.treatment_note_untyped": ("name", "what", "evidence"),
    "deck.treatments_cue_untyped": ("title",),
    "deck.seek_review": (),
    "deck.seek_emergency": ("number",),
    "deck.risk_advice": (),
    "deck.patients_call": (),
    "deck.call_whom": ("organisation", "phone"),
    "deck.or_visit": ("website",),
    "deck.messages_cue": ("title",),
    "deck.accessed": ("date",),
    "deck.quote": ("quote",),
    "deck.questions": (),
    "deck.telephone": ("phone",),
    "deck.closing_notes": ("organisation", "phone", "contact"),
    "deck.closing_governance": ("version", "reviewed", "next_review", "licence"),
    # the web page
    "web.contact": (),
    "web.phone": (),
    "web.website": (),
    "web.email": (),
    "web.address": (),
}
"""Every interface term, and the placeholders its text must use (each exactly once or more)."""

CATALOGUE_DIR = "data/i18n"


@dataclass(frozen=True)
class SiteWords:
    """What one body site is called in one language."""

    patient: str
    clinician: str
    also: tuple[str, ...] = ()
    """Other words that name the site in text ("big toe", "kneecap", "first MTP joint"), so the
    site-consistency gate knows them; never printed."""


@dataclass(frozen=True)
class Catalogue:
    """The interface words of one language, and its CLDR locale for dates and lists."""

    locale: str
    """The catalogue's BCP 47 tag, as its file is named ("en-GB", "zh-Hans")."""
    name: str
    """The language's own name for itself ("Español"), for lists of other formats."""
    direction: Direction
    terms: Mapping[str, str]
    sites: Mapping[str, SiteWords]
    file: str
    """Where it was read from, relative to the package, for messages."""

    def term(self, key: str, **fields: str) -> str:
        """A term's text with its placeholders filled in."""
        try:
            text = self.terms[key]
        except KeyError:
            raise LeafletError(f"{self.file}: no term '{key}'") from None
        return text.format(**fields) if fields else text

    def runs(self, key: str, **fields: str | Sequence[Run]) -> tuple[Run, ...]:
        """A term as runs: its own **bold** and *italic* applied, fields put in as given.

        Field values are never parsed as markup (content arrives as runs already, and a phone
        number with a `*` stays a `*`); a field inside a bold stretch of the term is bold too.
        """
        template = self.term(key)
        names = [f for _, f, _, _ in string.Formatter().parse(template) if f]
        marks = {name: chr(0xE000 + i) for i, name in enumerate(names)}
        shaped = inline.parse(template.format(**marks))
        out: list[Run] = []
        by_mark = {mark: name for name, mark in marks.items()}
        for run in shaped:
            piece = ""
            for char in run.text:
                name = by_mark.get(char)
                if name is None:
                    piece += char
                    continue
                if piece:
                    out.append(replace(run, text=piece))
                    piece = ""
                value = fields[name]
                parts = [Run(value)] if isinstance(value, str) else list(value)
                out += [
                    replace(p, bold=p.bold or run.bold, italic=p.italic or run.italic)
                    for p in parts
                ]
            if piece:
                out.append(replace(run, text=piece))
        return tuple(out)

    def site(self, site: str, audience: Literal["patient", "clinician"]) -> str:
        words = self.sites[site]
        return words.patient if audience == "patient" else words.clinician

    @property
    def babel_locale(self) -> str:
        return self.locale.replace("-", "_")

    def date(self, day: dt.date) -> str:
        """A date as this language writes it in running text ("24 November 2026")."""
        from babel.dates import format_date

        return str(format_date(day, "long", locale=self.babel_locale))

    def join(self, words: Sequence[str], conjunction: Literal["and", "or"] = "and") -> str:
        """Words as a series: "a, b and c" (CLDR's list patterns)."""
        if not words:
            return ""
        from babel.lists import format_list

        if conjunction == "and":
            return str(format_list(list(words), style="standard", locale=self.babel_locale))
        return str(format_list(list(words), style="or", locale=self.babel_locale))

    def number(self, value: int) -> str:
        from babel.numbers import format_decimal

        return str(format_decimal(value, locale=self.babel_locale))


def locales() -> list[str]:
    """Every shipped catalogue's locale, sorted."""
    folder = files("leaflet").joinpath(CATALOGUE_DIR)
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def locale_for(language: str) -> str:
    """The shipped catalogue for a content language tag: exact, then by language.

    en-GB → en-GB; es-MX → es; zh, zh-CN, zh-SG → zh-Hans; zh-TW, zh-HK, zh-MO → zh-Hant;
    an unknown language is a LeafletError that names the languages there are.
    """
    shipped = locales()
    if language in shipped:
        return language
    base = language.split("-")[0]
    traditional = {"zh-TW", "zh-HK", "zh-MO"}
    if language in traditional and "zh-Hant" in shipped:
        return "zh-Hant"
    preferred = {"en": "en-GB", "zh": "zh-Hans"}
    if base in preferred and preferred[base] in shipped:
        return preferred[base]
    if base in shipped:
        return base
    raise LeafletError(
        f"no interface catalogue for language '{language}' (there are: {', '.join(shipped)};"
        f" add {CATALOGUE_DIR}/{language}.yaml to leaflet, or set meta.language to one of them)"
    )


@cache
def catalogue(language: str) -> Catalogue:
    """The catalogue for a content language tag, read and checked once a process."""
    locale = locale_for(language)
    name = f"leaflet/{CATALOGUE_DIR}/{locale}.yaml"
    text = files("leaflet").joinpath(CATALOGUE_DIR, f"{locale}.yaml").read_text("utf-8")
    return parse_catalogue(text, name, locale)


def parse_catalogue(text: str, name: str, locale: str) -> Catalogue:
    """A catalogue from its YAML text; every missing, unknown or malformed term is reported."""
    from ruamel.yaml import YAML

    data: Any = YAML(typ="safe", pure=True).load(text)
    problems: list[str] = []
    if not isinstance(data, dict):
        raise LeafletError(f"{name}: not a catalogue (a mapping of language, terms and sites)")
    terms = data.get("terms") or {}
    sites = data.get("sites") or {}
    if not isinstance(terms, dict) or not isinstance(sites, dict):
        raise LeafletError(f"{name}: terms and sites must each be a mapping, as in en-GB.yaml")
    direction = data.get("direction", "ltr")
    if direction not in ("ltr", "rtl"):
        problems.append(f"direction must be ltr or rtl, not {direction!r}")
    for key, wanted in TERMS.items():
        value = terms.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"missing term '{key}'")
            continue
        try:
            used = {f for _, f, _, _ in string.Formatter().parse(value) if f}
        except ValueError:
            problems.append(
                f"term '{key}' has a stray brace: write {{name}}, or {{{{ }}}} for a brace"
            )
            continue
        if used != set(wanted):
            want = ", ".join("{" + w + "}" for w in wanted) or "no placeholders"
            problems.append(f"term '{key}' must use {want}")
    problems += [f"unknown term '{key}'" for key in terms if key not in TERMS]
    site_words: dict[str, SiteWords] = {}
    for site in SITES:
        entry = sites.get(site)
        if not (
            isinstance(entry, dict)
            and all(isinstance(entry.get(a), str) for a in ("patient", "clinician"))
        ):
            problems.append(f"missing site '{site}' (patient and clinician words)")
            continue
        also = entry.get("also", [])
        if not (isinstance(also, list) and all(isinstance(w, str) and w for w in also)):
            problems.append(f"site '{site}': also must be a list of words")
            continue
        site_words[site] = SiteWords(entry["patient"], entry["clinician"], tuple(also))
    problems += [f"unknown site '{key}'" for key in sites if key not in SITES]
    if problems:
        raise LeafletError("\n".join(f"{name}: {p}" for p in problems))
    return Catalogue(
        locale=locale,
        name=str(data.get("name", locale)),
        direction=direction,
        terms={k: terms[k] for k in TERMS},
        sites=site_words,
        file=name,
    )


def sentence_case(text: str) -> str:
    """A name as it reads inside a sentence: its first letter small, unless the word is an
    abbreviation ("CREST syndrome" stays)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def capitalised(text: str) -> str:
    """The first letter large, for a label that starts a line."""
    return text[:1].upper() + text[1:]
