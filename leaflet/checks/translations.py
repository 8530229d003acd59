"""The translation gates: every language beside the content, its coverage, review and text.

For each `translations/<lang>.yaml`: a unit whose source changed since it was translated is
stale (a warning); a text with no unit is missing (an error: that language is never built with
the original's words in it); a draft is unreviewed (a warning, and its outputs say so); then
the translated content is loaded as content is and the text gates run over it in its language
(reading grade, long sentences, jargon, site words), each finding at its place in the
translation file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from leaflet.checks.core import Context, Finding
from leaflet.errors import ContentError
from leaflet.loader import Located, format_loc
from leaflet.model import Document
from leaflet.translation import (
    Translation,
    coverage,
    display_name,
    load_translation,
    translated,
    translation_files,
)

TEXT_GATES = ("reading-level", "long-sentence", "jargon", "site-consistency", "empty-section")
"""Gates about the words, which a translation can pass or fail on its own."""


@dataclass
class Language:
    """One translation as the gates saw it."""

    language: str
    file: str
    """The translation file as messages name it."""
    translation: Translation | None = None
    """None when the file could not be read or validated."""
    document: Document | None = None
    """The translated content, when every text has a unit and it validated."""
    located: Located | None = None
    findings: list[Finding] = field(default_factory=list)
    stale: int = 0
    missing: int = 0
    grade: str = ""
    """The overall reading grade of its patient text and by which formula, or why none."""

    @property
    def reviewed(self) -> bool:
        return self.translation is not None and self.translation.reviewed

    def summary(self) -> str:
        state = "reviewed" if self.reviewed else "not yet reviewed"
        parts = [state]
        if self.missing:
            parts.append(f"{self.missing} missing")
        if self.stale:
            parts.append(f"{self.stale} stale")
        if self.grade:
            parts.append(self.grade)
        return f"{self.language} ({', '.join(parts)})"


def _problems(exc: ContentError, shown: str, language: str) -> list[Finding]:
    """A translation's problems as the `translation` gate's errors (at their own file, if
    they name one, else the translation file's)."""
    return [Finding.from_problem("translation", p, shown, language) for p in exc.problems]


def check_translations(
    content: Path,
    name: str,
    document: Document,
    located: Located,
    project_dir: Path,
    today: dt.date,
    gate_findings: Callable[[Context], list[Finding]],
) -> list[Language]:
    """Every translation beside the content, checked; findings carry the language."""
    out = []
    for language, path in translation_files(content).items():
        shown = display_name(name, path)
        result = Language(language, shown)
        out.append(result)
        try:
            translation = load_translation(path, shown)
        except ContentError as exc:
            result.findings += _problems(exc, shown, language)
            continue
        result.translation = translation
        result.findings += _coverage_findings(document, located, translation, result)
        if not translation.reviewed:
            line, col = translation.place(("status",))
            result.findings.append(
                Finding(
                    "translation-unreviewed",
                    "warning",
                    "status",
                    line,
                    col,
                    f"the {language} translation is not yet reviewed (status:"
                    f" {translation.file.status}); its leaflet, deck and web page say"
                    " 'translation not yet reviewed'",
                    "once a reader of the language has reviewed it, set reviewer, reviewed_on"
                    " and status: reviewed",
                    shown,
                    language,
                )
            )
        if result.missing or any(f.severity == "error" for f in result.findings):
            continue
        try:
            doc, doc_located = translated(document, located, translation, name, project_dir)
        except ContentError as exc:
            result.findings += _problems(exc, shown, language)
            continue
        result.document, result.located = doc, doc_located
        context = Context(doc, doc_located, project_dir, today)
        from leaflet.checks.readability import section_grades

        grades = section_grades(context)
        result.grade = (
            f"reading grade {grades[-1].grade.grade:g} by {grades[-1].grade.formula.split(' ')[0]}"
            if grades
            else "reading grade not measured: no formula for it here yet"
        )
        for finding in gate_findings(context):
            if finding.gate not in TEXT_GATES:
                continue  # the same in every language: reported once, for the original
            if finding.file is None:  # a section's grade: its place is the original's
                finding = replace(finding, message=f"in {language}: {finding.message}")
            result.findings.append(replace(finding, language=language))
    return out


def _coverage_findings(
    document: Document, located: Located, translation: Translation, result: Language
) -> list[Finding]:
    found = coverage(document, translation)
    language, shown = translation.language, translation.name
    findings = [
        Finding("translation", "error", p.path, p.line, p.column, p.message, "", shown, language)
        for p in found.unknown
    ]
    result.missing = len(found.missing)
    result.stale = len(found.stale)
    for place in found.missing:
        line, col = located.values.get(place.loc, (1, 1))
        findings.append(
            Finding(
                "translation-missing",
                "error",
                format_loc(place.loc),
                line,
                col,
                f"no {language} translation of this text ({shown} has no unit '{place.unit}');"
                f" the {language} editions are not built, and never fall back to the original",
                f"translate it (`leaflet translate export --lang {language}`, then import), or"
                " build the other languages with --lang",
                None,
                language,
            )
        )
    for stale in found.stale:
        place = stale.place
        line, col = located.values.get(place.loc, (1, 1))
        findings.append(
            Finding(
                "translation-stale",
                "warning",
                format_loc(place.loc),
                line,
                col,
                f"this text changed since it was translated into {language}"
                f" ({shown}:{stale.at[0]}:{stale.at[1]}: unit '{place.unit}' was made from"
                f" {stale.was}, the text is now {place.hash})",
                f"update the translation and set its source to {place.hash} (or export, edit"
                " and import)",
                None,
                language,
            )
        )
    return findings
