"""The one error root for everything a user can cause, and the located problems it carries.

The library raises these and never prints; `leaflet.cli` shows them (`lines()`) and exits with
their `exit_code`. A preview server or a parallel library build catches them in-process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, at its place in the file."""

    line: int
    """1-based line in the file; 0 when the problem has no place (the file itself)."""
    column: int
    """1-based column; 0 when the problem has no place."""
    path: str
    """Where in the content tree, as `sections[2].paragraphs[0].patient`; empty for the file."""
    message: str
    """What is wrong and how to fix it."""
    file: str = ""
    """The file the place is in when it is not the one the error names (a library's project
    file, for a value a topic inherits from it); empty for that file."""

    def format(self, filename: str) -> str:
        filename = self.file or filename
        place = f"{filename}:{self.line}:{self.column}" if self.line else filename
        where = f" {self.path}:" if self.path else ""
        return f"{place}:{where} {self.message}"


class LeafletError(Exception):
    """A problem the user can fix: shown as one message, exit code 1, never a traceback."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def lines(self) -> list[str]:
        """What the command line prints, one line each, to standard error."""
        return [f"error: {self.message}"]


class ContentError(LeafletError):
    """The content file is wrong; carries every problem found, each with its place."""

    def __init__(
        self, filename: str, problems: Sequence[Problem], loaded: tuple[Any, Any] | None = None
    ) -> None:
        self.filename = filename
        self.problems = sorted(problems)
        self.loaded = loaded
        """(Document, Located) when the content validated and only later checks failed (ids,
        glyphs, assets): the gates can still run over it, so a writer sees everything at once."""
        self.also: list[str] = []
        """The gates' findings on that content, as lines, shown after the loader's problems."""
        super().__init__("\n".join(p.format(filename) for p in self.problems))

    def lines(self) -> list[str]:
        count = len(self.problems)
        return [
            *(problem.format(self.filename) for problem in self.problems),
            *self.also,
            f"{count} problem{'s' if count != 1 else ''} in {self.filename}; nothing was built.",
        ]


class SettingError(LeafletError):
    """The command line or environment, which the CI owner sets, asks for something impossible.

    Exit code 2, as click's usage errors: it is not the content that is wrong.
    """

    exit_code = 2
