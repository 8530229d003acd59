"""Translations beside the content: `translations/<lang>.yaml`, one unit per translatable text.

Each unit is keyed by a stable id of its place in the content, built from the content's own ids
where it has them (`sections.about.paragraphs[0].patient`, `types.dystrophic.name.clinician`),
and keeps a short hash of the text it was translated from, so that a change to that text makes
the unit stale. A translated Document is the content with every translatable text replaced and
`meta.language` set to the translation's; a missing unit never falls back to the original.

What is not translated, and why: the organisation's name, phone, website, email and postal
address (patients dial, type and post them as they are); the version and dates
(the edition writes dates in its language); the licence (a licence's name is its identifier);
and sources (a reader looks a source up by its published title, in its own language). Author
names are units, so that a team's description is translated ("patient information team"); a
translator copies a person's name as it is.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, ValidationError, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from leaflet.cache import TRANSLATIONS_DIR as TRANSLATIONS_DIR
from leaflet.cache import translation_files as translation_files
from leaflet.errors import ContentError, Problem
from leaflet.loader import Loc, Located, format_loc, parse_yaml, read_content
from leaflet.model import Date, Document, Label, Language, Model, Text

HASH_CHARS = 8
"""Hex digits of the source text's SHA-256 a unit keeps: enough to see that it changed."""
UNREVIEWED_TRANSLATOR = "leaflet project (machine-assisted draft)"

Audience = Literal["patient", "clinician"]
Status = Literal["draft", "reviewed"]


def source_hash(text: str) -> str:
    """The short hash of a source text; re-wrapping its lines does not change it."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:HASH_CHARS]


@dataclass(frozen=True)
class Place:
    """One translatable text of the content."""

    unit: str
    """The unit's stable id: `sections.about.paragraphs[0].patient`."""
    loc: Loc
    """Where the text is in the content tree: ('sections', 0, 'paragraphs', 0, 'patient')."""
    text: str
    """The source text, as written."""
    group: str
    """The fact it words: the unit id less its audience; a fact's two wordings share it."""
    audience: Audience | None
    """Whose wording it is; None for a text both audiences read (a glossary term, alt text)."""
    label: bool
    """A name or heading (a fragment), not sentences."""

    @property
    def hash(self) -> str:
        return source_hash(self.text)


def places(document: Document) -> dict[str, Place]:
    """Every translatable text of the document, by unit id, in the content's order."""
    found: dict[str, Place] = {}

    def add(unit: str, loc: Loc, text: str | None, label: bool, audience: Audience | None) -> None:
        if text is None:
            return
        group = unit.rsplit(".", 1)[0] if audience is not None else unit
        found[unit] = Place(unit, loc, text, group, audience, label)

    def pair(unit: str, loc: Loc, wording: object | None, label: bool) -> None:
        if wording is None:
            return
        for audience in ("patient", "clinician"):
            add(f"{unit}.{audience}", (*loc, audience), getattr(wording, audience), label, audience)

    meta = document.meta
    for key in ("title", "subtitle", "topic", "signs"):
        pair(f"meta.{key}", ("meta", key), getattr(meta, key), True)
    org = ("meta", "organisation", "logo_alt")
    add("meta.organisation.logo_alt", org, meta.organisation.logo_alt, True, None)
    for i, author in enumerate(meta.authors):
        add(f"meta.authors[{i}].name", ("meta", "authors", i, "name"), author.name, True, None)
        add(f"meta.authors[{i}].role", ("meta", "authors", i, "role"), author.role, True, None)
    for i, section in enumerate(document.sections):
        loc: Loc = ("sections", i)
        base = f"sections.{section.id}"
        pair(f"{base}.heading", (*loc, "heading"), section.heading, True)
        for j, paragraph in enumerate(section.paragraphs):
            pair(f"{base}.paragraphs[{j}]", (*loc, "paragraphs", j), paragraph, False)
    for i, cause in enumerate(document.causes):
        pair(f"causes.{cause.id}.name", ("causes", i, "name"), cause.name, True)
    for i, kind in enumerate(document.types):
        loc, base = ("types", i), f"types.{kind.id}"
        pair(f"{base}.name", (*loc, "name"), kind.name, True)
        pair(f"{base}.mechanism", (*loc, "mechanism"), kind.mechanism, False)
        for j, example in enumerate(kind.examples):
            pair(f"{base}.examples[{j}]", (*loc, "examples", j), example, False)
        pair(f"{base}.note", (*loc, "note"), kind.note, False)
    for i, risk in enumerate(document.risk_factors):
        loc, base = ("risk_factors", i), f"risk_factors.{risk.id}"
        for key in ("factor", "why", "advice"):
            pair(f"{base}.{key}", (*loc, key), getattr(risk, key), False)
    for i, treatment in enumerate(document.treatments):
        loc, base = ("treatments", i), f"treatments.{treatment.id}"
        pair(f"{base}.name", (*loc, "name"), treatment.name, True)
        pair(f"{base}.what", (*loc, "what"), treatment.what, False)
        for j, caveat in enumerate(treatment.caveats):
            pair(f"{base}.caveats[{j}]", (*loc, "caveats", j), caveat, False)
    for i, sign in enumerate(document.warning_signs):
        pair(f"warning_signs[{i}]", ("warning_signs", i), sign, False)
    for i, term in enumerate(document.glossary):
        add(f"glossary[{i}].term", ("glossary", i, "term"), term.term, True, None)
        add(f"glossary[{i}].meaning", ("glossary", i, "meaning"), term.meaning, False, None)
    return found


# --- the translation file ------------------------------------------------------------------

UnitId = Annotated[
    str,
    WithJsonSchema({"type": "string", "maxLength": 200}),
]


def _hash(value: str) -> str:
    if not re.fullmatch(f"[0-9a-f]{{{HASH_CHARS}}}", value):
        raise PydanticCustomError(
            "bad_hash",
            "'{value}' is not a source hash ({n} hex digits, as `leaflet translate export`"
            " writes them; copy it from the exported file)",
            {"value": value[:20], "n": HASH_CHARS},
        )
    return value


Hash = Annotated[str, AfterValidator(_hash)]


class Unit(Model):
    """One translated text."""

    source: Hash
    """The short hash of the text it was translated from (`leaflet translate export` gives it)."""
    text: Text
    """The translation."""


class TranslationFile(Model):
    """A whole translation file: who translated and reviewed it, and its units."""

    language: Language
    """The language it is in (es, pl, zh-Hans); the file is named after it."""
    translator: Label
    """Who translated it (a person, an agency, or how a draft was made)."""
    reviewer: Label | None = None
    """Who reviewed it; empty until someone has."""
    reviewed_on: Date | None = None
    """When it was last reviewed (YYYY-MM-DD)."""
    clinician_reviewed: bool = False
    """Whether a clinician who reads the language reviewed it."""
    status: Status = "draft"
    """draft until it is reviewed; every output of a draft says "translation not yet reviewed"."""
    units: dict[UnitId, Unit] = Field(default_factory=dict)
    """The translations, by unit id."""

    @model_validator(mode="after")
    def _reviewed_by_someone(self) -> TranslationFile:
        if self.status == "reviewed" and (self.reviewer is None or self.reviewed_on is None):
            missing = "reviewer" if self.reviewer is None else "reviewed_on"
            raise PydanticCustomError(
                "unreviewed",
                "status is 'reviewed' but {missing} is not given (add who reviewed it and"
                " when, or set status: draft)",
                {"missing": missing, "field": "status"},
            )
        return self


@dataclass(frozen=True)
class Translation:
    """A loaded translation file and the place of each of its values."""

    file: TranslationFile
    located: Located
    name: str
    """The file as messages name it."""

    @property
    def language(self) -> str:
        return self.file.language

    @property
    def reviewed(self) -> bool:
        return self.file.status == "reviewed"

    def place(self, loc: Loc) -> tuple[int, int]:
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.located.values:
                return self.located.values[loc[:end]]
        return (1, 1)


def display_name(content_name: str, path: Path) -> str:
    """How messages name a translation file: beside the content file as the user named it."""
    return str(Path(content_name).parent / TRANSLATIONS_DIR / path.name)


def load_translation(path: Path, name: str | None = None) -> Translation:
    """Read and validate one translation file; ContentError lists every problem in it."""
    name = name or str(path)
    try:
        text = read_content(path)
    except ContentError as exc:
        raise ContentError(name, exc.problems) from None
    return parse_translation(text, name, expected=path.stem)


def parse_translation(text: str, name: str, expected: str | None = None) -> Translation:
    """A translation from its text; expected: the language the file's name gives."""
    from leaflet.loader import _problems, _YamlProblem

    try:
        located = parse_yaml(text)
    except _YamlProblem as exc:
        raise ContentError(name, [Problem(exc.line, exc.column, "", exc.message)]) from None
    if not isinstance(located.data, dict):
        message = "a translation is a mapping of keys, starting with `language:`"
        raise ContentError(name, [Problem(1, 1, "", message)])
    try:
        model = TranslationFile.model_validate(located.data)
    except ValidationError as exc:
        raise ContentError(name, _problems(exc.errors(), located, TranslationFile)) from None
    if expected is not None and model.language != expected:
        line, col = located.values.get(("language",), (1, 1))
        raise ContentError(
            name,
            [
                Problem(
                    line,
                    col,
                    "language",
                    f"the file is named for '{expected}' but says language: {model.language}"
                    f" (rename the file {model.language}.yaml, or correct the language)",
                )
            ],
        )
    return Translation(model, located, name)


# --- checking and applying ------------------------------------------------------------------


@dataclass(frozen=True)
class Stale:
    """A unit translated from a text that has changed since."""

    place: Place
    was: str
    """The hash the unit was translated from."""
    at: tuple[int, int]
    """Where the unit is in the translation file."""


@dataclass
class Coverage:
    """How a translation covers the content's texts."""

    missing: list[Place] = field(default_factory=list)
    stale: list[Stale] = field(default_factory=list)
    unknown: list[Problem] = field(default_factory=list)
    """Units that name no place in the content, each a problem in the translation file."""


def coverage(document: Document, translation: Translation) -> Coverage:
    """Which places the translation lacks, which units are stale, which name nothing."""
    wanted = places(document)
    found = Coverage()
    units = translation.file.units
    for unit_id, place in wanted.items():
        unit = units.get(unit_id)
        if unit is None:
            found.missing.append(place)
        elif unit.source != place.hash:
            at = translation.place(("units", unit_id, "source"))
            found.stale.append(Stale(place, unit.source, at))
    known = list(wanted)
    for unit_id in units:
        if unit_id in wanted:
            continue
        line, col = translation.located.keys.get(("units", unit_id), (1, 1))
        guess = difflib.get_close_matches(unit_id, known, n=1, cutoff=0.7)
        hint = (
            f"did you mean '{guess[0]}'?"
            if guess
            else "the content has no such text; remove the unit, or export again"
        )
        found.unknown.append(
            Problem(line, col, f"units.{unit_id}", f"unknown unit '{unit_id}' ({hint})")
        )
    return found


def translated(
    document: Document,
    located: Located,
    translation: Translation,
    filename: str,
    project_dir: Path | None,
) -> tuple[Document, Located]:
    """The content in the translation's language: every text replaced, meta.language set.

    Only for a translation that covers every place (a missing unit is a gate error, checked
    first); a text that is wrong as content (too long for a heading, a character the fonts
    lack, broken markup) is a problem at its place in the translation file.
    """
    from leaflet.loader import _validated

    out = Located(copy.deepcopy(located.data), dict(located.values), dict(located.keys))
    out.scalars = dict(located.scalars)
    out.text = located.text
    out.origins = dict(located.origins)
    units = translation.file.units
    for unit_id, place in places(document).items():
        unit = units[unit_id]
        _put(out.data, place.loc, unit.text)
        out.values[place.loc] = translation.place(("units", unit_id, "text"))
        out.origins[place.loc] = translation.name
        # the glyph check reads the translation's characters (placed at the value's start)
        scalar = translation.located.scalars.get(("units", unit_id, "text"))
        if scalar is None:
            out.scalars.pop(place.loc, None)
        else:
            out.scalars[place.loc] = scalar
    language: Loc = ("meta", "language")
    # The readers live where the clinic is, whatever language they read: a country the
    # content's own language tag implied (en-GB) stays the translation's country.
    region = document.meta.region()
    if region is not None and "country" not in out.data["meta"]:
        out.data["meta"]["country"] = region
    out.data["meta"]["language"] = translation.language
    out.values[language] = translation.place(("language",))
    out.origins[language] = translation.name
    try:
        return _validated(out, filename, project_dir)
    except ContentError as exc:
        problems = [_in_translation(p, out, translation) for p in exc.problems]
        raise ContentError(filename, problems, loaded=exc.loaded) from None


def _in_translation(problem: Problem, located: Located, translation: Translation) -> Problem:
    """A problem with a translated value, named at the unit in the translation file."""
    if problem.file:
        return problem
    for loc, origin in located.origins.items():
        if origin == translation.name and format_loc(loc) == problem.path:
            unit = next((p.unit for p in places_by_loc(located, loc)), None)
            path = f"units.{unit}.text" if unit else problem.path
            return Problem(problem.line, problem.column, path, problem.message, translation.name)
    return problem


def places_by_loc(located: Located, loc: Loc) -> Iterator[Place]:
    """The place at loc, found from the located data (the document may not have validated)."""
    # Rebuilding places needs a Document; unit ids follow from the located data directly.
    data = located.data
    parts: list[str] = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(part, int):
            parts[-1] += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if i >= 1 and loc[i - 1] in _BY_ID and isinstance(node, dict) and "id" in node:
                parts[-1] = f"{loc[i - 1]}.{node['id']}"
            continue
        parts.append(str(part))
        node = node.get(part) if isinstance(node, dict) else None
    unit = ".".join(parts)
    yield Place(unit, loc, "", unit, None, False)


_BY_ID = ("sections", "causes", "types", "risk_factors", "treatments")
"""Lists whose items have ids: their units are named by id, not position."""


def _put(data: object, loc: Loc, value: str) -> None:
    node = data
    for part in loc[:-1]:
        node = node[part]  # type: ignore[index]
    node[loc[-1]] = value  # type: ignore[index]
