"""`leaflet check`: health-literacy, accessibility and governance gates for patient information."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet.checks.core import GATES, Finding
from leaflet.checks.report import text_lines
from leaflet.checks.run import Report, run_checks
from leaflet.errors import LeafletError

if TYPE_CHECKING:
    from leaflet.loader import Defaults

__all__ = ["GATES", "Finding", "GateError", "Report", "gate_build", "run_checks"]


class GateError(LeafletError):
    """A gate found an error: nothing is built. Carries the whole report."""

    def __init__(self, report: Report) -> None:
        self.report = report
        count = len(report.errors)
        them = "them" if count != 1 else "it"
        super().__init__(
            f"{count} check{'s' if count != 1 else ''} failed; nothing was built (fix {them},"
            " or accept one on purpose under checks.silence with a reason)"
        )

    def lines(self, colour: bool = False) -> list[str]:
        return [*text_lines(self.report, colour)[:-1], *super().lines()]


def gate_build(
    content: Path,
    strict: bool = False,
    *,
    defaults: Defaults | None = None,
    filename: str | None = None,
    languages: Sequence[str] = (),
) -> Report:
    """The gates before a build: the report, whose document the build renders (no second load).

    Raises the loader's ContentError when the content cannot be read or validated, and
    GateError when a gate reports an error (or, with strict, a warning). defaults and filename
    are for a library topic, as `run_checks` takes them. languages: build only these, so the
    findings of other translations do not stop the build (none: every language).
    """
    report = run_checks(content, strict=strict, defaults=defaults, filename=filename)
    if languages:
        report.findings = [
            f for f in report.findings if f.language is None or f.language in languages
        ]
        report.languages = [lang for lang in report.languages if lang.language in languages]
    if report.load_error is not None:
        raise report.load_error
    if not report.ok:
        raise GateError(report)
    return report
