"""Exchange with translators: XLIFF 2.0 out (`leaflet translate export`), and back in (`import`).

One `<unit>` per translatable text, named by its unit id, with the short hash of its source text
in the unit's metadata; the patient and clinician wordings of one fact share a `<group>`;
`<notes>` say whose wording it is and what reading grade it is written for; glossary terms in
the source are `<mrk type="term">` with their meaning; **bold** and *italic* are `<pc>` inline
codes (`xlf:b`, `xlf:i`) so that a translator's tool keeps them. A returned file is untrusted:
no DTD, no entities, nothing fetched, within a size limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leaflet import inline
from leaflet.errors import ContentError, LeafletError, Problem
from leaflet.translation import Place, Translation, places

if TYPE_CHECKING:
    from leaflet.model import Document

XLIFF = "urn:oasis:names:tc:xliff:document:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
META_CATEGORY = "leaflet"
HASH_META = "source-hash"
MAX_XLIFF_BYTES = 5_000_000
"""A returned file larger than this is refused (the content file's limit is 1 MB)."""


def _q(name: str, ns: str = XLIFF) -> str:
    return f"{{{ns}}}{name}"


def _notes(place: Place, document: Document) -> list[tuple[str, str]]:
    grade = document.checks.reading_grade.warn
    if place.audience == "patient" or (place.audience is None and not place.label):
        audience = (
            f"patients and families: plain words, short sentences, reading grade {grade:g} or below"
        )
    elif place.audience == "clinician":
        audience = "clinicians: precise clinical terms, as a specialist would write them"
    else:
        audience = "patients and clinicians: a name or alt text both read"
    notes = [("audience", audience)]
    if place.audience == "patient" or place.audience is None:
        notes.append(("reading-grade", f"{grade:g}"))
    if place.label:
        notes.append(("length", "a heading or name: keep it short, on one line"))
    if any(r.bold or r.italic for r in inline.parse(place.text)):
        notes.append(("format", "keep the bold and italic marks round the words they mark"))
    if "](" in place.text:
        notes.append(("format", "keep links as [words](address): translate the words only"))
    return notes


def export(document: Document, language: str, existing: Translation | None, original: str) -> bytes:
    """The content's translatable texts as an XLIFF 2.0 document for one target language.

    existing: the current translation, whose texts become targets where their source has not
    changed since (a stale one is left for the translator, with its old text in a note).
    """
    from lxml import etree

    nsmap = {None: XLIFF, "mda": MDA}
    root = etree.Element(
        _q("xliff"),
        nsmap=nsmap,
        version="2.0",
        srcLang=document.meta.language,
        trgLang=language,
    )
    file_el = etree.SubElement(root, _q("file"), id="f1", original=original)
    notes_el = etree.SubElement(file_el, _q("notes"))
    note = etree.SubElement(notes_el, _q("note"), category="instructions")
    note.text = (
        f"Patient information about {inline.plain(document.meta.topic.clinician)}. Translate"
        " every unit; a unit left empty stays untranslated. Patient wordings are for readers"
        " with little medical knowledge: plain words, short sentences. Leave the unit names"
        " and the source-hash metadata as they are."
    )
    glossary = [(g.term, inline.plain(g.meaning)) for g in document.glossary]
    units = existing.file.units if existing is not None else {}
    groups: dict[str, Any] = {}
    for number, place in enumerate(places(document).values(), start=1):
        parent = file_el
        if place.audience is not None:
            parent = groups.get(place.group)
            if parent is None:
                parent = etree.SubElement(
                    file_el, _q("group"), id=f"g{len(groups) + 1}", name=place.group
                )
                groups[place.group] = parent
        unit = etree.SubElement(parent, _q("unit"), id=f"u{number}", name=place.unit)
        meta_el = etree.SubElement(unit, _q("metadata", MDA))
        meta_group = etree.SubElement(meta_el, _q("metaGroup", MDA), category=META_CATEGORY)
        etree.SubElement(meta_group, _q("meta", MDA), type="unit-id").text = place.unit
        etree.SubElement(meta_group, _q("meta", MDA), type=HASH_META).text = place.hash
        unit_notes = etree.SubElement(unit, _q("notes"))
        for category, text in _notes(place, document):
            etree.SubElement(unit_notes, _q("note"), category=category).text = text
        old = units.get(place.unit)
        if old is not None and old.source != place.hash:
            etree.SubElement(
                unit_notes, _q("note"), category="previous-translation"
            ).text = f"translated from an earlier source text ({old.source}): {old.text}"
        segment = etree.SubElement(unit, _q("segment"), id="s1")
        source = etree.SubElement(segment, _q("source"))
        _fill(source, place.text, glossary if place.audience != "clinician" else [])
        if old is not None and old.source == place.hash:
            segment.set("state", "reviewed" if existing and existing.reviewed else "translated")
            target = etree.SubElement(segment, _q("target"))
            _fill(target, old.text, [])
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def _fill(element: Any, text: str, glossary: list[tuple[str, str]]) -> None:
    """Put content text into a source or target: runs as text and `<pc>`, terms as `<mrk>`."""
    from lxml import etree

    counter = [0]

    def append_text(parent: Any, piece: str) -> None:
        if not piece:
            return
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + piece
        else:
            parent.text = (parent.text or "") + piece

    def terms(parent: Any, piece: str) -> None:
        if not glossary:
            append_text(parent, piece)
            return
        pattern = "|".join(
            rf"(?<![\w-]){re.escape(term)}(?:s|es)?(?![\w-])"
            for term, _ in sorted(glossary, key=lambda g: -len(g[0]))
        )
        at = 0
        for match in re.finditer(pattern, piece, re.IGNORECASE):
            append_text(parent, piece[at : match.start()])
            word = match.group()
            meaning = next(
                (m for t, m in glossary if word.lower().startswith(t.lower())), glossary[0][1]
            )
            counter[0] += 1
            mrk = etree.SubElement(
                parent, _q("mrk"), id=f"m{counter[0]}", type="term", value=meaning
            )
            mrk.text = word
            at = match.end()
        append_text(parent, piece[at:])

    for run in inline.parse(text):
        shown = run.text if run.url is None else f"[{run.text}]({run.url})"
        parent = element
        for flag, kind in ((run.bold, "xlf:b"), (run.italic, "xlf:i")):
            if flag:
                counter[0] += 1
                parent = etree.SubElement(
                    parent, _q("pc"), id=f"p{counter[0]}", type="fmt", subType=kind
                )
        terms(parent, shown)


# --- import -----------------------------------------------------------------------------------


@dataclass
class Returned:
    """What a returned XLIFF file holds."""

    source_language: str
    target_language: str
    units: dict[str, tuple[str, str | None, tuple[int, int]]] = field(default_factory=dict)
    """By unit id: (source hash at export, target text or None, (line, column) of the unit)."""


def read_returned(path: Path, name: str) -> Returned:
    """Parse a returned XLIFF 2.0 file, refusing what is not one (and anything hostile)."""
    from leaflet.cache import FileProblem, read_limited

    try:
        raw = read_limited(path, MAX_XLIFF_BYTES)
    except FileNotFoundError:
        raise ContentError(name, [Problem(0, 0, "", "not found")]) from None
    except (FileProblem, OSError) as exc:
        raise ContentError(name, [Problem(0, 0, "", f"cannot be read: {exc}")]) from None
    return parse_returned(raw, name)


def parse_returned(raw: bytes, name: str) -> Returned:
    from lxml import etree

    def refuse(message: str, line: int = 0, column: int = 0) -> ContentError:
        return ContentError(name, [Problem(line, column, "", message)])

    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise refuse(
            "has a DOCTYPE or ENTITY declaration, which an XLIFF file never needs (refused:"
            " entities can read files or expand without end; export again)"
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (0, 0)
        raise refuse(f"is not well-formed XML: {exc.msg}", line, column + 1) from None
    if root.tag != _q("xliff") or root.get("version") != "2.0":
        raise refuse(
            f"is not an XLIFF 2.0 file (its root is {etree.QName(root).localname!r},"
            f" version {root.get('version')!r}; export one with `leaflet translate export`)"
        )
    target = root.get("trgLang")
    if not target:
        raise refuse("has no trgLang: which language is it in? (export again)", root.sourceline)
    out = Returned(root.get("srcLang") or "", target)
    problems: list[Problem] = []
    for unit in root.iter(_q("unit")):
        unit_id = unit.get("name") or ""
        line = unit.sourceline or 0
        hashes = [
            m.text or ""
            for m in unit.iter(_q("meta", MDA))
            if m.get("type") == HASH_META and m.getparent().get("category") == META_CATEGORY
        ]
        if not unit_id or len(hashes) != 1:
            problems.append(
                Problem(
                    line,
                    1,
                    f"unit {unit.get('id')}",
                    "has no unit name or source-hash metadata (the translator's tool dropped"
                    " them; export again and keep them)",
                )
            )
            continue
        if unit_id in out.units:
            first = out.units[unit_id][2][0]
            problems.append(
                Problem(line, 1, unit_id, f"unit given twice (first at line {first}; keep one)")
            )
            continue
        segments = list(unit.iter(_q("segment")))
        pieces = []
        for segment in segments:
            found = segment.find(_q("target"))
            if found is not None:
                pieces.append(_text_of(found))
        text = " ".join(p.strip() for p in pieces if p.strip()) or None
        out.units[unit_id] = (hashes[0].strip(), text, (line, 1))
    if problems:
        raise ContentError(name, problems)
    return out


def _text_of(element: Any) -> str:
    """A target's text with `<pc>` bold and italic back as content markup; `<mrk>` unwrapped."""
    parts: list[str] = [element.text or ""]
    for child in element:
        local = child.tag.split("}")[-1] if isinstance(child.tag, str) else ""
        inner = _text_of(child)
        if local == "pc" and child.get("subType") == "xlf:b":
            inner = f"**{inner}**"
        elif local == "pc" and child.get("subType") == "xlf:i":
            inner = f"*{inner}*"
        parts.append(inner)
        parts.append(child.tail or "")
    return " ".join("".join(parts).split()) if element.getparent() is None else "".join(parts)


@dataclass
class Merged:
    """What an import did."""

    imported: list[str] = field(default_factory=list)
    """Unit ids whose translation was written."""
    empty: list[str] = field(default_factory=list)
    """Unit ids left untranslated in the returned file (left missing)."""
    refused: list[Problem] = field(default_factory=list)
    """Units not taken, each with why (its source changed since export, or no such unit)."""


def merge(
    document: Document,
    content_name: str,
    returned: Returned,
    content_marks: dict[tuple[str | int, ...], tuple[int, int]],
) -> tuple[Merged, dict[str, tuple[str, str]]]:
    """Which returned units to take, as (source hash, text) by unit id, and what was refused."""
    import difflib

    wanted = places(document)
    merged = Merged()
    taken: dict[str, tuple[str, str]] = {}
    for unit_id, (was, text, (line, column)) in returned.units.items():
        place = wanted.get(unit_id)
        if place is None:
            guess = difflib.get_close_matches(unit_id, list(wanted), n=1, cutoff=0.7)
            hint = f"did you mean '{guess[0]}'?" if guess else "the content has no such text"
            merged.refused.append(
                Problem(line, column, unit_id, f"unknown unit ({hint}); not imported")
            )
            continue
        if was != place.hash:
            at = content_marks.get(place.loc, (0, 0))
            merged.refused.append(
                Problem(
                    line,
                    column,
                    unit_id,
                    f"the source text changed since this file was exported (exported from"
                    f" {was}, {content_name}:{at[0]}:{at[1]} is now {place.hash}); not imported:"
                    f" export again and translate the new text",
                )
            )
            continue
        if text is None:
            merged.empty.append(unit_id)
            continue
        taken[unit_id] = (place.hash, text)
        merged.imported.append(unit_id)
    return merged, taken


def write_units(
    path: Path,
    language: str,
    units: dict[str, tuple[str, str]],
    order: Iterable[str],
    header: dict[str, Any] | None = None,
) -> bytes:
    """The translation file with these units put in, keeping its comments and order.

    A new unit goes after the nearest unit before it in the content's order; a file that does
    not exist yet starts with the governance keys (header) and a comment for reviewers.
    """
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML()  # round trip: comments, order and quoting kept
    yaml.width = 96
    yaml.indent(mapping=2, sequence=4, offset=2)
    if path.exists():
        data = yaml.load(path.read_text("utf-8"))
    else:
        data = CommentedMap()
        data["language"] = language
        for key, value in (header or {}).items():
            data[key] = value
        data.yaml_set_start_comment(
            "A translation of the content beside it (see docs/translations.md). Each unit's"
            "\n`source` is the hash of the text it was translated from: `leaflet check` says"
            "\nwhich units are stale when that text changes."
        )
    if "units" not in data or data["units"] is None:
        data["units"] = CommentedMap()
    mapping = data["units"]
    sequence = list(order)
    for unit_id, (source, text) in units.items():
        if unit_id in mapping:
            mapping[unit_id]["source"] = source
            mapping[unit_id]["text"] = text
            continue
        entry = CommentedMap()
        entry["source"] = source
        entry["text"] = text
        position = len(mapping)
        if unit_id in sequence:
            before = sequence[: sequence.index(unit_id)]
            keys = list(mapping)
            for earlier in reversed(before):
                if earlier in mapping:
                    position = keys.index(earlier) + 1
                    break
            else:
                position = 0
        mapping.insert(position, unit_id, entry)
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue().encode("utf-8")


# --- the two commands ---------------------------------------------------------------------------


def check_language(language: str) -> None:
    """Refuse a language tag that is malformed or has no interface catalogue."""
    from leaflet.errors import SettingError
    from leaflet.i18n import locale_for, locales
    from leaflet.model import LANGUAGE_TAG

    if not re.fullmatch(LANGUAGE_TAG, language):
        raise SettingError(
            f"'{language}' is not a language tag (write it like es, pl, ar or zh-Hans)"
        )
    try:
        locale_for(language)
    except Exception:
        raise SettingError(
            f"leaflet has no interface words for '{language}' (use one of: {', '.join(locales())})"
        ) from None


def export_to(content: Path, language: str, out: Path | None = None) -> tuple[Path, int, int]:
    """Write the XLIFF for one language; (path, units, units already translated)."""
    from leaflet.build import write_all
    from leaflet.loader import load
    from leaflet.translation import TRANSLATIONS_DIR, load_translation, translation_files

    check_language(language)
    document = load(content)
    if language == document.meta.language:
        from leaflet.errors import SettingError

        raise SettingError(f"the content is already in '{language}' (choose another language)")
    existing = None
    path = translation_files(content).get(language)
    if path is not None:
        existing = load_translation(path, str(content.parent / TRANSLATIONS_DIR / path.name))
    target = out or _inside(content) / f"{language}.xlf"
    data = export(document, language, existing, content.name)
    write_all({target: data})
    wanted = places(document)
    done = 0
    if existing is not None:
        done = sum(
            1
            for unit_id, place in wanted.items()
            if (u := existing.file.units.get(unit_id)) and u.source == place.hash
        )
    return target, len(wanted), done


@dataclass(frozen=True)
class Imported:
    """What `leaflet translate import` did."""

    path: Path
    """The translation file written (or that would have been)."""
    language: str
    merged: Merged
    missing: int
    """Places the translation still lacks after the import."""


def import_from(xliff: Path, content: Path, translator: str | None = None) -> Imported:
    """Merge a returned XLIFF into translations/<lang>.yaml; refused units are in the result.

    Writes the units that can be taken (all of them or none, if the file cannot be read); a
    unit whose source changed since export, or that names no text, is refused and listed.
    """
    from leaflet.build import write_all
    from leaflet.errors import LeafletError
    from leaflet.loader import load_located
    from leaflet.translation import (
        UNREVIEWED_TRANSLATOR,
        load_translation,
        translation_files,
    )

    document, located = load_located(content)
    returned = read_returned(xliff, str(xliff))
    language = returned.target_language
    check_language(language)
    if returned.source_language and returned.source_language != document.meta.language:
        raise LeafletError(
            f"{xliff}: translates from '{returned.source_language}', but {content} is in"
            f" '{document.meta.language}' (is it the right content file?)"
        )
    target = _inside(content) / f"{language}.yaml"
    existing = translation_files(content).get(language)
    if existing is not None:
        load_translation(existing, str(target))  # refuse to edit a file that is not valid
    merged, taken = merge(document, str(content), returned, located.values)
    header = {
        "translator": translator or UNREVIEWED_TRANSLATOR,
        "reviewer": None,
        "reviewed_on": None,
        "clinician_reviewed": False,
        "status": "draft",
    }
    if taken:
        data = write_units(target, language, taken, places(document), header)
        write_all({target: data})
    now = load_translation(target, str(target)) if target.exists() else None
    units = now.file.units if now is not None else {}
    missing = sum(1 for unit_id in places(document) if unit_id not in units)
    return Imported(target, language, merged, missing)


def _inside(content: Path) -> Path:
    """The content's translations folder, refused when it (or the file to write there) is a
    link: a pull request's link must not make an import or export write outside the project."""
    from leaflet.cache import TRANSLATIONS_DIR

    folder = content.parent / TRANSLATIONS_DIR
    if folder.is_symlink():
        raise LeafletError(
            f"{folder}: is a link; translations are written only into a real folder beside"
            " the content (replace the link with a folder)"
        )
    return folder
