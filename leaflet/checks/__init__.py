"""`leaflet check`: health-literacy, accessibility and governance gates for patient information."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from leaflet.checks.core import GATES, Finding
from leaflet.checks.report import Format, as_json, github_lines, text_lines
from leaflet.checks.run import Report, run_checks
from leaflet.errors import LeafletError
from leaflet.model import Document

__all__ = ["GATES", "Finding", "Report", "check_command", "gate_build", "run_checks"]


def _colour(stream: object) -> bool:
    # https://no-color.org: any non-empty NO_COLOR turns colour off.
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def check_command(content: Path, fmt: Format = "text", strict: bool = False) -> int:
    """Run every gate, print the report in the format asked for; the exit code to use."""
    report = run_checks(content, strict=strict)
    if fmt == "text" and report.load_error is not None:
        raise report.load_error  # the loader's own messages, exactly as `leaflet build` shows
    if fmt == "json":
        click.echo(as_json(report))
    elif fmt == "github":
        for line in github_lines(report):
            click.echo(line)
    else:
        colour = _colour(sys.stdout)
        for line in text_lines(report, colour):
            click.echo(line, color=colour)
    return 0 if report.ok else 1


def gate_build(content: Path, strict: bool = False) -> Document:
    """The gates before a build: findings go to stderr; any error stops the build.

    Returns the validated content, so the build renders what was checked without loading again.
    """
    report = run_checks(content, strict=strict)
    if report.load_error is not None:
        raise report.load_error
    assert report.document is not None  # a report without a load error always has one
    if not report.findings and not report.silenced:
        return report.document
    colour = _colour(sys.stderr)
    for line in text_lines(report, colour)[:-1]:
        click.echo(line, err=True, color=colour)
    if not report.ok:
        count = len(report.errors)
        them = "them" if count != 1 else "it"
        raise LeafletError(
            f"{count} check{'s' if count != 1 else ''} failed; nothing was built (fix {them},"
            " or accept one on purpose under checks.silence with a reason)"
        )
    return report.document
