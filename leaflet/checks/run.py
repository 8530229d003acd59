"""Run every gate over a content file, apply `checks.silence`, and collect one report."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path

from leaflet import clock
from leaflet.checks import accessibility, consistency, deck, governance, jargon, layout, readability
from leaflet.checks.core import GATES, Context, Finding
from leaflet.checks.translations import Language, check_translations
from leaflet.errors import ContentError
from leaflet.loader import Defaults, format_loc, load_located
from leaflet.model import Document

_GATE_MODULES = (readability, jargon, governance, accessibility, consistency, deck, layout)
"""Importing these registers their gates, in this order."""

LOADER_GATE = "content"
"""The id under which the loader's own problems appear (the file cannot be read or validated)."""


NOT_STRICT = frozenset({"translation-unreviewed"})
"""Warnings `--strict` leaves warnings: a draft translation is a state the outputs announce
themselves ("translation not yet reviewed" on every page), not a defect of the content."""


@dataclass(frozen=True)
class Silenced:
    """A finding accepted on purpose by `checks.silence`, and why."""

    finding: Finding
    reason: str


@dataclass
class Report:
    """Everything `leaflet check` found in one content file."""

    file: str
    """The content file as the user named it."""
    findings: list[Finding] = field(default_factory=list)
    silenced: list[Silenced] = field(default_factory=list)
    grades: list[readability.SectionGrade] = field(default_factory=list)
    strict: bool = False
    """Warnings count as errors (their severity is raised to error)."""
    summary: str = ""
    """What was checked, when the content loaded ("7 sections, 4 body sites, …")."""
    load_error: ContentError | None = None
    """The loader's error when the content could not be read or validated."""
    document: Document | None = None
    """The validated content the gates ran over; a build renders this, not a second load."""
    languages: list[Language] = field(default_factory=list)
    """Each translation beside the content, as its gates found it (translated documents)."""

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


def run_checks(
    content: Path,
    strict: bool = False,
    *,
    defaults: Defaults | None = None,
    filename: str | None = None,
) -> Report:
    """Load the content (loader problems become findings) and run every gate over it.

    defaults: what a library's project file gives this topic; filename: how the report names
    the content file (default: as given).
    """
    name = filename or str(content)
    try:
        document, located = load_located(content, defaults, filename)
    except ContentError as exc:
        problems = [
            Finding.from_problem("asset" if p.path == "meta.organisation.logo" else LOADER_GATE, p)
            for p in exc.problems
        ]
        if exc.loaded is not None:  # it validated: show the gates' findings in the same round
            document, located = exc.loaded
            root = defaults.asset_root if defaults is not None else content.resolve().parent
            context = Context(document, located, root, clock.today())
            # errors only, the ones that would need a second round; not the assets, which the
            # loader has reported already
            found = [
                f
                for f in _gate_findings(context, broken=True)
                if f.severity == "error" and f.gate not in ("asset", "image-resolution")
            ]
            if found:
                from leaflet.checks.report import text_lines

                found.sort(key=Finding.sort_key)
                exc.also = text_lines(Report(name, found, strict=strict))[:-1]
            problems = sorted(problems + found, key=Finding.sort_key)
        return Report(name, problems, strict=strict, load_error=exc)
    project_dir = defaults.asset_root if defaults is not None else content.resolve().parent
    context = Context(document, located, project_dir, clock.today())
    findings = _gate_findings(context)
    findings, silenced, problems = _apply_silences(context, findings)
    findings += problems
    languages = check_translations(
        content, name, document, located, project_dir, context.today, _gate_findings
    )
    for language in languages:
        findings += language.findings
    if strict:
        findings = [f if f.gate in NOT_STRICT else replace(f, severity="error") for f in findings]
    findings.sort(key=Finding.sort_key)
    return Report(
        name,
        findings,
        silenced,
        readability.section_grades(context),
        strict,
        _not_graded(context)
        + ", ".join(
            _count(n, what)
            for n, what in (
                (len(document.sections), "section"),
                (len(document.sites), "body site"),
                (len(document.types), "type"),
                (len(document.treatments), "treatment"),
            )
        )
        + (
            "; translations: " + ", ".join(language.summary() for language in languages)
            if languages
            else ""
        ),
        document=document,
        languages=languages,
    )


def _apply_silences(
    context: Context, findings: list[Finding]
) -> tuple[list[Finding], list[Silenced], list[Finding]]:
    """Drop each finding a silence names by gate and place; a silence that names no gate, no
    place, or nothing found there is itself a finding, so silences never go stale unseen."""
    places = {format_loc(loc) for loc in context.located.values}
    by_place: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        by_place.setdefault((finding.gate, finding.path), []).append(finding)
    taken: set[tuple[str, str]] = set()
    silenced: list[Silenced] = []
    problems: list[Finding] = []
    for i, entry in enumerate(context.document.checks.silence):
        loc = ("checks", "silence", i)
        if entry.gate not in GATES:
            guess = difflib.get_close_matches(entry.gate, list(GATES), n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else f"gates: {', '.join(GATES)}"
            problems.append(
                context.at("silence", "error", (*loc, "gate"), f"no gate '{entry.gate}'", hint)
            )
            continue
        if entry.at not in places:
            guess = difflib.get_close_matches(entry.at, sorted(places), n=1, cutoff=0.8)
            hint = (
                f"did you mean '{guess[0]}'?"
                if guess
                else "copy the place from the finding, like sections[3].paragraphs[0].patient"
            )
            problems.append(
                context.at(
                    "silence",
                    "error",
                    (*loc, "at"),
                    f"'{entry.at}' is not a place in the file",
                    hint,
                )
            )
            continue
        matched = (
            [] if (entry.gate, entry.at) in taken else by_place.get((entry.gate, entry.at), [])
        )
        taken.add((entry.gate, entry.at))
        if not matched:
            problems.append(
                context.at(
                    "silence",
                    "warning",
                    (*loc, "at"),
                    f"gate '{entry.gate}' finds nothing at {entry.at}, so this silence does"
                    " nothing",
                    "remove it",
                )
            )
        for finding in matched:
            silenced.append(Silenced(finding, " ".join(entry.reason.split())))
    kept = [f for f in findings if (f.gate, f.path) not in taken]
    return kept, silenced, problems


def _gate_findings(context: Context, broken: bool = False) -> list[Finding]:
    """Every gate's findings. broken: the content has reference problems the loader reported;
    a gate that needs what they break is skipped (it runs once they are fixed)."""
    findings: list[Finding] = []
    for gate in GATES.values():
        if not broken:
            findings += gate.run(context)
            continue
        try:
            findings += gate.run(context)
        except (LookupError, StopIteration, RuntimeError, AttributeError, TypeError, ValueError):
            continue
    return findings


def _not_graded(context: Context) -> str:
    """A word in the summary when the reading grade was not measured, and why."""
    if readability.graded(context):
        return ""
    language = context.document.meta.language
    return f"reading grade not measured: no formula for '{language}' here yet; "


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"
