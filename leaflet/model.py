"""The content model: every fact once, in patient and clinician wording side by side."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from leaflet import inline
from leaflet.sites import SITES, Side, suggest_site

MAX_TEXT_CHARS = 3000
MAX_LABEL_CHARS = 200
LANGUAGE_TAG = r"[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?"
"""language, optional script, optional region: en, en-GB, zh-Hans, zh-Hant-TW, es-419."""
MAX_WORD_CHARS = 60

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ALLOWED_FORMAT = {"\u00ad"}
"""Soft hyphen: a hint where a long word may break, which the leaflet honours."""


_BREAKS = re.compile(r"[\s\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
"""Where a line may break: spaces, and around every Chinese or Japanese character and full-width
punctuation mark (those scripts put no spaces between words; a line breaks between characters)."""


def _check_text(value: str, limit: int) -> str:
    bad = _CONTROL.search(value)
    if bad:
        raise PydanticCustomError(
            "control_char",
            "control character U+{code} at character {offset} (delete it; it cannot be printed)",
            {"code": f"{ord(bad.group()):04X}", "offset": bad.start() + 1},
        )
    for offset, char in enumerate(value):
        category = unicodedata.category(char)
        if category == "Cs":
            raise PydanticCustomError(
                "surrogate",
                "broken character (lone surrogate U+{code}) at character {offset}",
                {"code": f"{ord(char):04X}", "offset": offset + 1},
            )
        if category == "Cf" and char not in _ALLOWED_FORMAT:
            # invisible: direction overrides can make the printed text differ from what a
            # reviewer reads in the pull request
            raise PydanticCustomError(
                "invisible_char",
                "invisible character U+{code} {name} at character {offset} (delete it)",
                {
                    "code": f"{ord(char):04X}",
                    "name": unicodedata.name(char, "format character"),
                    "offset": offset + 1,
                },
            )
    if not value.strip():
        raise PydanticCustomError(
            "empty_text", "text is empty (write the words, or remove the key)"
        )
    if len(value) > limit:
        raise PydanticCustomError(
            "text_too_long",
            "text is {length} characters; the limit is {limit} (split it into shorter items)",
            {"length": len(value), "limit": limit},
        )
    try:
        shown = inline.plain(value)
    except inline.MarkupError as exc:
        raise PydanticCustomError(
            "bad_markup", "{message}", {"message": str(exc), "offset": exc.offset + 1}
        ) from None
    for word in _BREAKS.split(shown):
        if len(word) > MAX_WORD_CHARS:
            raise PydanticCustomError(
                "word_too_long",
                "the word '{word}…' is {length} characters long; the limit is {limit}"
                " (add spaces or hyphens)",
                {"word": word[:20], "length": len(word), "limit": MAX_WORD_CHARS},
            )
    return value


def _text(value: str) -> str:
    return _check_text(value, MAX_TEXT_CHARS)


def _label(value: str) -> str:
    return _check_text(value, MAX_LABEL_CHARS)


MAX_ID_CHARS = 40


def _id(value: str) -> str:
    if len(value) > MAX_ID_CHARS:
        raise PydanticCustomError(
            "id_too_long",
            "'{value}…' is {length} characters; an id is at most {limit} (shorten it)",
            {"value": value[:20], "length": len(value), "limit": MAX_ID_CHARS},
        )
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
        raise PydanticCustomError(
            "bad_id",
            "'{value}' is not a valid id (use lower-case letters, digits and hyphens,"
            " like 'skin-trauma')",
            {"value": value[:40]},
        )
    return value


def _site(value: str) -> str:
    if value not in SITES:
        from leaflet.i18n import catalogue

        english = catalogue("en-GB").sites  # site ids are English words; so are their synonyms
        words = {s: (w.patient, w.clinician, *w.also) for s, w in english.items()}
        guess = suggest_site(value, words)
        hint = f"did you mean '{guess}'?" if guess else "see `leaflet schema` for the list"
        raise PydanticCustomError(
            "unknown_site", "unknown body site '{value}' ({hint})", {"value": value, "hint": hint}
        )
    return value


def _pattern(
    pattern: str, kind: str, message: str, shown: int = 20, upper: bool = False
) -> Callable[[str], str]:
    """A validator that accepts values matching pattern whole, and otherwise says what to write."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise PydanticCustomError(kind, message, {"value": value[:shown]})
        return value.upper() if upper else value

    return check


_colour = _pattern(
    r"#[0-9A-Fa-f]{6}",
    "bad_colour",
    "'{value}' is not a colour (write it as #RRGGBB, like #1F4E79)",
    upper=True,
)
_version = _pattern(
    r"\d+(?:\.\d+){0,3}",
    "bad_version",
    "'{value}' is not a version number (write it like 1.0 or 2.3.1)",
)
_language_tag = _pattern(
    LANGUAGE_TAG,
    "bad_language",
    "'{value}' is not a language tag (write it like en-GB, es, pl or zh-Hans)",
)


def _language(value: str) -> str:
    """A language tag for which leaflet has interface words (leaflet/data/i18n)."""
    from leaflet.errors import LeafletError
    from leaflet.i18n import locale_for, locales

    _language_tag(value)
    try:
        locale_for(value)
    except LeafletError:
        raise PydanticCustomError(
            "unknown_language",
            "leaflet has no interface words for '{value}' (use one of: {known}; or add"
            " leaflet/data/i18n/{value}.yaml)",
            {"value": value, "known": ", ".join(locales())},
        ) from None
    return value


def _country(value: str) -> str:
    """An ISO 3166-1 alpha-2 code that CLDR names (GB, US, ES), in any case."""
    code = value.upper()
    if not re.fullmatch(r"[A-Z]{2}", code) or code not in _countries():
        raise PydanticCustomError(
            "bad_country",
            "'{value}' is not a country code (write the two-letter ISO 3166-1 code, like GB,"
            " US or ES)",
            {"value": value[:20]},
        )
    return code


@functools.cache
def _countries() -> frozenset[str]:
    from babel import Locale

    # CLDR's territories, less its private-use and grouping codes (ZZ unknown, EU, UN, XA…)
    codes = [str(c) for c in Locale.parse("en").territories]
    return frozenset(
        c
        for c in codes
        if len(c) == 2 and c not in {"EU", "EZ", "UN", "ZZ", "QO"} and not c.startswith("X")
    ) | {"XK"}


def _date(value: Any) -> Any:
    """A date as content writes it, YYYY-MM-DD; pydantic alone would also take a date-time at
    midnight, or a number of seconds since 1970, as a date."""
    if not isinstance(value, str) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value  # a date object, or text pydantic reads as a calendar date (or refuses)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ].*", value):
        raise PydanticCustomError(
            "date_with_time",
            "'{value}' is a date and a time; write the date alone, as {date}",
            {"value": value[:40], "date": value[:10]},
        )
    raise PydanticCustomError("date_parsing", "not a date", {"value": value[:40]})


def _url(value: str) -> str:
    if not re.match(r"https?://", value, re.IGNORECASE):
        raise PydanticCustomError(
            "bad_url",
            "'{value}' is not a web address (start it with https://)",
            {"value": value[:60]},
        )
    bad = inline.bad_url_char(value)
    if bad is not None:
        raise PydanticCustomError(
            "bad_url_char",
            "a web address cannot contain {char} (at character {offset}; write it as"
            " %-escapes, or copy the address from the browser's address bar)",
            {"char": _shown(value[bad]), "offset": bad + 1},
        )
    if not re.fullmatch(inline.WEB_ADDRESS, value) or len(value) > 500:
        raise PydanticCustomError(
            "bad_url",
            "'{value}' is not a web address (start it with https://)",
            {"value": value[:60]},
        )
    return value


def _shown(char: str) -> str:
    return f"'{char}'" if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"


def _asset(value: str) -> str:
    bad = _CONTROL.search(value) or re.search(r"[\x00\n\t]", value)
    if bad or not value.strip() or len(value) > 300:
        raise PydanticCustomError(
            "bad_path",
            "not a usable file path (write it like assets/logo.png)",
        )
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", value):
        raise PydanticCustomError(
            "url_path",
            "'{value}' is a web address; images are not downloaded (save the image in the"
            " project folder and give its path, like assets/logo.png)",
            {"value": value[:80]},
        )
    if value.startswith("~"):
        raise PydanticCustomError(
            "absolute_path",
            "'{value}' is a path in your home folder (put the image in the project folder and"
            " give its path relative to the content file, like assets/logo.png)",
            {"value": value[:80]},
        )
    if value.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", value):
        raise PydanticCustomError(
            "absolute_path",
            "'{value}' is an absolute path (give the path relative to the content file,"
            " like assets/logo.png)",
            {"value": value[:80]},
        )
    if ".." in re.split(r"[/\\]", value):
        raise PydanticCustomError(
            "escaping_path",
            "'{value}' leads outside the project folder (keep assets inside it, like"
            " assets/logo.png)",
            {"value": value[:80]},
        )
    return value


SCALAR: list[str] = ["string", "number", "boolean"]
"""What the loader takes as text: any YAML scalar but null, read as the characters written."""

Text = Annotated[
    str,
    AfterValidator(_text),
    WithJsonSchema({"type": SCALAR, "minLength": 1, "maxLength": MAX_TEXT_CHARS}),
]
"""A sentence or paragraph, which may use **bold**, *italic* and [links](https://…)."""
Label = Annotated[
    str,
    AfterValidator(_label),
    WithJsonSchema({"type": SCALAR, "minLength": 1, "maxLength": MAX_LABEL_CHARS}),
]
"""A short piece of text: a name, a heading, a phone number."""
Id = Annotated[
    str,
    AfterValidator(_id),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 40},
                {"type": "integer", "minimum": 0, "maximum": 10**39},
            ]
        }
    ),
]
"""A short lower-case name that other parts of the content refer to."""
SiteId = Annotated[str, AfterValidator(_site)]
Colour = Annotated[
    str,
    AfterValidator(_colour),
    WithJsonSchema({"type": "string", "pattern": "^#[0-9A-Fa-f]{6}$"}),
]
Version = Annotated[
    str,
    AfterValidator(_version),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "pattern": r"^\d+(\.\d+){0,3}$"}, {"type": "number"}]}
    ),
]
Url = Annotated[
    str,
    AfterValidator(_url),
    WithJsonSchema({"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://", "maxLength": 500}),
]


def _https(value: str) -> str:
    if not value.lower().startswith("https://"):
        raise PydanticCustomError(
            "not_https",
            "'{value}' is not an https address; a QR code leads only to https (write https://…)",
            {"value": value[:60]},
        )
    return value


HttpsUrl = Annotated[
    str,
    AfterValidator(_url),
    AfterValidator(_https),
    WithJsonSchema({"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]://", "maxLength": 500}),
]
Country = Annotated[
    str,
    AfterValidator(_country),
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{2}$"}),  # json_schema lists them
]
Language = Annotated[
    str,
    AfterValidator(_language),
    WithJsonSchema({"type": "string", "pattern": f"^{LANGUAGE_TAG}$"}),
]


def _paper(value: object) -> object:
    """Paper in any case, as on the command line: 'Letter', 'a4'."""
    if isinstance(value, str) and value.lower() in ("a4", "letter"):
        return "A4" if value.lower() == "a4" else "letter"
    return value


Paper = Annotated[
    Literal["A4", "letter"],
    BeforeValidator(_paper),
    WithJsonSchema({"type": "string", "pattern": "^([Aa]4|[Ll][Ee][Tt][Tt][Ee][Rr])$"}),
]
AssetPath = Annotated[str, AfterValidator(_asset)]
Date = Annotated[dt.date, BeforeValidator(_date)]
"""A calendar date, written YYYY-MM-DD."""

Audience = Literal["patient", "clinician"]
BlockKind = Literal["sites", "types", "risk_factors", "treatments", "warning_signs"]
Evidence = Literal["established", "limited", "experimental", "anecdotal"]
Marker = Literal["lumps", "patch", "spots"]
Urgency = Literal["clinic", "emergency"]
EditionId = Literal[
    "leaflet",
    "leaflet-large",
    "leaflet-trifold",
    "leaflet-print",
    "leaflet-trifold-print",
    "deck",
    "web",
]
"""The editions a content file may ask for (leaflet.edition.spec.EDITIONS describes each)."""


class Model(BaseModel):
    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_default=True, use_attribute_docstrings=True
    )


class Wording(Model):
    """One fact, worded for each audience."""

    patient: Text
    """Plain words for patients: short sentences, reading grade 6 or below."""
    clinician: Text
    """Precise terms for clinicians."""

    def for_(self, audience: Audience) -> str:
        return self.patient if audience == "patient" else self.clinician


class WarningSign(Wording):
    """A sign that needs help, and how soon."""

    urgency: Urgency = "clinic"
    """clinic: contact the clinic; emergency: get urgent help now, on the emergency number of
    the content's country (`meta.country`)."""


class Name(Model):
    """A title, heading or name, worded for each audience: short, so it fits a heading line."""

    patient: Label
    """Plain words for patients."""
    clinician: Label
    """Precise terms for clinicians."""

    def for_(self, audience: Audience) -> str:
        return self.patient if audience == "patient" else self.clinician


class Organisation(Model):
    """Who publishes the leaflet and how patients reach them."""

    name: Label
    """The organisation's name, as patients know it."""
    phone: Label
    """Shown in every footer; patients call it."""
    website: Url
    """Its web address (https://…), printed on every leaflet."""
    email: Label | None = None
    """An email address for questions, shown with the contact details."""
    address: Label | None = None
    """A postal address, shown with the contact details."""
    logo: AssetPath | None = None
    """An image inside the project folder (PNG or JPEG), shown on the title block and slide."""
    logo_alt: Label | None = None
    """Alt text for the logo; defaults to '<name> logo'."""


class Author(Model):
    """A person responsible for the content."""

    name: Label
    """Their name, as it should be printed."""
    role: Label | None = None
    """Their job or qualification ("Consultant dermatologist")."""


class Source(Model):
    """Where a fact comes from: a citation, a link, or both."""

    citation: Text
    """Authors, title, publisher and year, as a reader would look it up."""
    url: Url | None = None
    """A link to the source (https://…)."""
    accessed: Date | None = None
    """When the link was last read (YYYY-MM-DD)."""


class Meta(Model):
    """What patient-information standards expect every leaflet to say about itself."""

    slug: Id
    """Names the output files: <slug>-leaflet.pdf, <slug>-deck.pptx."""
    title: Name
    """The leaflet's and the deck's title."""
    subtitle: Name | None = None
    """A line under the title."""
    topic: Name
    """The condition's short name, used inside sentences and alt text ("gout", "psoriasis")."""
    signs: Name | None = None
    """What a patient sees of it, as a plural noun ("calcium deposits", "red patches",
    "swollen joints"): the diagram's legend and its alt text name them. Default: the topic."""
    marker: Marker = "lumps"
    """How the body-site diagram marks each site: a cluster of lumps, a shaded patch, or a
    scatter of small spots."""
    organisation: Organisation
    """Who publishes it, and how patients reach them."""
    authors: Annotated[list[Author], Field(min_length=1)]
    """The people responsible for the content (at least one)."""
    version: Version
    """The content's version number, like 1.0 or 2.3.1."""
    published: Date
    """When this content was first published (YYYY-MM-DD)."""
    reviewed: Date
    """When it was last reviewed (YYYY-MM-DD)."""
    next_review: Date
    """When it is next due for review (YYYY-MM-DD); `leaflet check` warns as it nears."""
    language: Language = "en-GB"
    """The content's language (en-GB, es, zh-Hans): it picks interface words, dates, fonts."""
    country: Country | None = None
    """Where the readers live, as the two-letter ISO 3166-1 code (GB, US, ES): it gives the
    emergency number that signs with `urgency: emergency` tell them to call. Default: the
    region of `language` (en-GB: GB); needed when the language has none (es, zh-Hans)."""
    emergency_phone: Label | None = None
    """The number to call in an emergency, where it is not the country's usual one (the
    country's comes from leaflet/data/emergency.tsv)."""
    licence: Label
    """The licence readers may reuse it under ("CC BY 4.0", "All rights reserved")."""
    url: HttpsUrl | None = None
    """The topic's web page (https://…): the leaflet's and the deck's QR code lead there.
    Default: the organisation's website followed by the slug
    (https://skin.example.org/calcinosis-cutis)."""

    @property
    def web_address(self) -> str:
        """Where the QR code leads: meta.url, else the organisation's website + '/' + slug."""
        if self.url is not None:
            return self.url
        return f"{self.organisation.website.rstrip('/')}/{self.slug}"

    def region(self) -> str | None:
        """The readers' country: `country`, else the language tag's region (en-GB: GB)."""
        if self.country is not None:
            return self.country
        tail = self.language.split("-")[-1]
        return tail if "-" in self.language and re.fullmatch(r"[A-Z]{2}", tail) else None

    def emergency_number(self) -> str | None:
        """The number to call in an emergency, or None where none is known."""
        from leaflet.emergency import number_for

        if self.emergency_phone is not None:
            return self.emergency_phone
        region = self.region()
        return number_for(region) if region is not None else None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Meta:
        if self.reviewed < self.published:
            raise PydanticCustomError(
                "dates_out_of_order",
                "'reviewed' ({reviewed}) is before 'published' ({published})",
                {
                    "reviewed": str(self.reviewed),
                    "published": str(self.published),
                    "field": "reviewed",
                },
            )
        if self.next_review <= self.reviewed:
            raise PydanticCustomError(
                "dates_out_of_order",
                "'next_review' ({next}) must be after 'reviewed' ({reviewed})",
                {
                    "next": str(self.next_review),
                    "reviewed": str(self.reviewed),
                    "field": "next_review",
                },
            )
        return self


class Theme(Model):
    """Colours and paper; every colour pair is checked for contrast by `leaflet check`."""

    primary: Colour = "#1F4E79"
    """Headings, title bars and the deck's accents."""
    accent: Colour = "#B3541E"
    """Callout borders and highlights ("when to get help")."""
    text: Colour = "#1A1A1A"
    """Body text."""
    background: Colour = "#FFFFFF"
    """The page and slide background."""
    callout_background: Colour = "#FFF4E5"
    """The fill of advice boxes."""
    paper: Paper = "A4"
    """A4 or letter (any case); `leaflet build --paper` overrides it."""


class SiteRef(Model):
    """A body site where the condition shows; `fingers` is short for `{id: fingers}`."""

    id: SiteId
    side: Side = "both"

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data: Any) -> Any:
        return {"id": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _side_where_there_is_one(self) -> SiteRef:
        if self.side != "both" and not SITES[self.id].paired:
            raise PydanticCustomError(
                "unpaired_site",
                "the {site} has no left and right, so it takes no side (remove `side: {side}`)",
                {"site": SITES[self.id].patient, "side": self.side, "field": "side"},
            )
        return self


class Cause(Model):
    """A condition or event that leads to it, referred to by the types."""

    id: Id
    """A short lower-case name that types refer to."""
    name: Name
    """What it is called, for each audience."""


class ConditionType(Model):
    """One of the kinds of the condition, by how it arises."""

    id: Id
    """A short lower-case name that treatments refer to."""
    name: Name
    """What the type is called, for each audience."""
    mechanism: Wording
    """How it comes about."""
    causes: list[Id] = []
    """Ids from the top-level `causes` list."""
    examples: list[Wording] = []
    """Examples of how this type arises."""
    note: Wording | None = None
    """Anything else true of this type alone (how common it is, for instance)."""


class RiskFactor(Model):
    """Something that makes the condition more likely."""

    id: Id
    """A short lower-case name for this risk factor."""
    factor: Wording
    """What raises the risk."""
    why: Wording | None = None
    """The reason, where it is known or suggested."""
    advice: Wording | None = None
    """What to do about it; the leaflet shows it in a callout box."""


class Treatment(Model):
    """A treatment, for which types, and how far it can be trusted."""

    id: Id
    """A short lower-case name for this treatment."""
    name: Name
    """What it is called, for each audience."""
    what: Wording
    """What it is and how it is thought to work."""
    for_types: list[Id] = []
    """Ids from `types`; empty means any type."""
    evidence: Evidence
    """How far the evidence goes: strong, moderate, limited or anecdotal."""
    caveats: list[Wording] = []
    """What patients and clinicians should know before relying on it."""


class GlossaryTerm(Model):
    """A word patients may meet, explained plainly."""

    term: Label
    """The word, as it appears in the text."""
    meaning: Text
    """What it means, in plain words."""


class Section(Model):
    """A part of the leaflet and deck: a heading, short paragraphs, perhaps a structured block."""

    id: Id
    """A short lower-case name for the section."""
    heading: Name
    """The section's heading, for each audience."""
    paragraphs: list[Wording] = []
    """Short paragraphs, each worded for both audiences."""
    block: BlockKind | None = None
    """Which structured list is shown in this section, after its paragraphs."""


class GradeThreshold(Model):
    """Reading-grade limits: above `warn` is a warning, above `error` an error."""

    warn: Annotated[float, Field(ge=1, le=20)] = 6
    """Above this grade is a warning."""
    error: Annotated[float, Field(ge=1, le=20)] = 8
    """Above this grade is an error."""

    @model_validator(mode="after")
    def _warn_below_error(self) -> GradeThreshold:
        if self.warn > self.error:
            raise PydanticCustomError(
                "threshold_order",
                "'warn' ({warn}) must not be above 'error' ({error})",
                {"warn": self.warn, "error": self.error, "field": "warn"},
            )
        return self


class Silence(Model):
    """One finding of one gate, at one place, accepted on purpose; the reason is reported."""

    gate: Label
    """The gate's id, as `leaflet check` prints it (jargon, long-sentence, …)."""
    at: Label
    """The place, as `leaflet check` prints it: sections[3].paragraphs[0].patient."""
    reason: Text
    """Why this finding is accepted here; shown in every report."""


class Checks(Model):
    """Thresholds for `leaflet check`, and the findings accepted on purpose."""

    reading_grade: GradeThreshold = GradeThreshold()
    """Flesch-Kincaid and SMOG grade limits for patient text, per section and overall."""
    sentence_words: Annotated[int, Field(ge=5, le=60)] = 20
    """A patient sentence longer than this many words is a warning."""
    extra_jargon: list[Label] = []
    """Medical words, beyond the shipped list, that patient text must explain."""
    review_warning_days: Annotated[int, Field(ge=0, le=730)] = 60
    """Warn when the next review is due within this many days."""
    silence: list[Silence] = []
    """Findings accepted on purpose, each with its reason."""


class Document(Model):
    """A whole content file, validated; renderers read only this."""

    meta: Meta
    """What the leaflet says about itself: title, topic, organisation, authors, dates."""
    theme: Theme = Theme()
    """Colours and paper."""
    sites: list[SiteRef] = []
    """Where on the body it shows; empty for a condition with no body sites."""
    sections: Annotated[list[Section], Field(min_length=1)]
    """The parts of the leaflet and deck, in order."""
    causes: list[Cause] = []
    """Conditions or events that lead to it, referred to by the types."""
    types: list[ConditionType] = []
    """The kinds of the condition, by how they arise (may be left out)."""
    risk_factors: list[RiskFactor] = []
    """What makes it more likely."""
    treatments: list[Treatment] = []
    """The treatments, with the evidence for each."""
    warning_signs: list[WarningSign] = []
    """"When to get help": the leaflet puts them in a callout box, the emergency ones first."""
    glossary: list[GlossaryTerm] = []
    """Words patients may meet, explained plainly."""
    sources: Annotated[list[Source], Field(min_length=1)]
    """Where the facts come from (at least one)."""
    editions: Annotated[list[EditionId], Field(min_length=1)] = [
        "leaflet",
        "leaflet-large",
        "deck",
        "web",
    ]
    """Which outputs `leaflet build` makes: leaflet (12 pt), leaflet-large (18 pt), deck, web;
    leaflet-trifold (one sheet folded in three)
    and leaflet-print (the leaflet with 3 mm bleed and crop marks, for a print shop) on request."""
    checks: Checks = Checks()
    """Settings for `leaflet check`; the renderers ignore them."""

    def section_with(self, block: BlockKind) -> Section | None:
        return next((s for s in self.sections if s.block == block), None)

    def cause(self, cause_id: str) -> Cause:
        return next(c for c in self.causes if c.id == cause_id)

    def type_(self, type_id: str) -> ConditionType:
        return next(t for t in self.types if t.id == type_id)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of content.yaml, for editors that complete and check as you type."""
    schema = Document.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "leaflet content file"
    site_schema = schema["$defs"]["SiteRef"]
    site_schema["properties"]["id"]["enum"] = list(SITES)
    schema["$defs"]["SiteRef"] = {"anyOf": [{"type": "string", "enum": list(SITES)}, site_schema]}
    from leaflet.i18n import locales

    # the languages with interface words, as the loader takes them (en-GB, es-MX, zh-TW)
    bases = sorted({locale.split("-")[0] for locale in locales()})
    country = schema["$defs"]["Meta"]["properties"]["country"]["anyOf"][0]
    codes = sorted(_countries())
    country["enum"] = [*codes, *(c.lower() for c in codes)]
    language = schema["$defs"]["Meta"]["properties"]["language"]
    language["pattern"] = f"^(?:{'|'.join(bases)}){LANGUAGE_TAG.removeprefix('[a-z]{2,3}')}$"
    return schema
