"""A report three ways: readable text, JSON for tools, GitHub Actions annotations."""

from __future__ import annotations

import json
from typing import Any, Literal

import click

from leaflet.checks.core import Finding
from leaflet.checks.run import Report

Format = Literal["text", "json", "github"]
JSON_SCHEMA = "leaflet-check/1"
"""Names the JSON shape; it changes only with a new number."""

_COLOURS = {"error": "red", "warning": "yellow"}


def _place(report: Report, finding: Finding) -> str:
    file = finding.file or report.file
    return f"{file}:{finding.line}:{finding.column}" if finding.line else file


def _hinted(finding: Finding) -> str:
    return f"{finding.message} ({finding.fix})" if finding.fix else finding.message


def text_lines(report: Report, colour: bool = False) -> list[str]:
    """One line per finding in file order, the silenced ones, then a one-line summary."""

    def style(text: str, **kwargs: Any) -> str:
        return click.style(text, **kwargs) if colour else text

    lines = []
    for f in report.findings:
        severity = style(f.severity, fg=_COLOURS[f.severity], bold=True)
        where = f" {f.path}:" if f.path else ""
        gate = style(f"[{f.gate}]", dim=True)
        lines.append(f"{_place(report, f)}: {severity}:{where} {_hinted(f)} {gate}")
    for s in report.silenced:
        f = s.finding
        lines.append(
            f"{_place(report, f)}: {style('silenced', fg='cyan')}: {f.path}: {f.message}"
            f" {style(f'[{f.gate}]', dim=True)} (reason: {s.reason})"
        )
    lines.append(summary_line(report))
    return lines


def summary_line(report: Report) -> str:
    counts = []
    for count, word in (
        (len(report.errors), "error"),
        (len(report.warnings), "warning"),
        (len(report.silenced), "silenced"),
    ):
        if count:
            counts.append(f"{count} {word}{'s' if count != 1 and word != 'silenced' else ''}")
    tail = f"; {', '.join(counts)}" if counts else ""
    if report.ok:
        return f"{report.file}: OK ({report.summary}){tail}"
    return f"{report.file}: FAILED{tail}" + (" (--strict: warnings are errors)" * report.strict)


def _finding_json(report: Report, f: Finding) -> dict[str, Any]:
    return {
        "gate": f.gate,
        "severity": f.severity,
        "file": f.file or report.file,
        "line": f.line,
        "column": f.column,
        "path": f.path,
        "message": f.message,
        "fix": f.fix,
    }


def as_json(report: Report) -> str:
    """The report as JSON; the shape is documented in the README ("Quality gates")."""
    data = {
        "schema": JSON_SCHEMA,
        "file": report.file,
        "ok": report.ok,
        "strict": report.strict,
        "counts": {
            "errors": len(report.errors),
            "warnings": len(report.warnings),
            "silenced": len(report.silenced),
        },
        "findings": [_finding_json(report, f) for f in report.findings],
        "silenced": [
            {**_finding_json(report, s.finding), "reason": s.reason} for s in report.silenced
        ],
        "reading": [
            {
                "section": g.section,
                "sentences": g.grade.sentences,
                "words": g.grade.words,
                "flesch_kincaid": round(g.grade.flesch_kincaid, 1),
                "smog": round(g.grade.smog, 1),
                "grade": g.grade.grade,
            }
            for g in report.grades
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(report: Report) -> list[str]:
    """GitHub Actions workflow commands: each finding becomes an annotation on its line."""
    lines = []
    for f in report.findings:
        props = [f"file={_escape_property(f.file or report.file)}"]
        if f.line:
            props += [f"line={f.line}", f"col={f.column}"]
        props.append(f"title={_escape_property(f.gate)}")
        where = f"{f.path}: " if f.path else ""
        lines.append(f"::{f.severity} {','.join(props)}::{_escape_data(where + _hinted(f))}")
    for s in report.silenced:
        f = s.finding
        props = [f"file={_escape_property(f.file or report.file)}"]
        if f.line:
            props += [f"line={f.line}", f"col={f.column}"]
        props.append(f"title={_escape_property('silenced ' + f.gate)}")
        message = f"{f.path}: {f.message} (silenced: {s.reason})"
        lines.append(f"::notice {','.join(props)}::{_escape_data(message)}")
    lines.append(summary_line(report))
    return lines
