"""The one error root for everything a user can cause, and the located problems it carries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import click


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

    def format(self, filename: str) -> str:
        place = f"{filename}:{self.line}:{self.column}" if self.line else filename
        where = f" {self.path}:" if self.path else ""
        return f"{place}:{where} {self.message}"


class LeafletError(click.ClickException):
    """A problem the user can fix: shown as one message, exit code 1, never a traceback."""

    exit_code = 1

    def show(self, file: object = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class ContentError(LeafletError):
    """The content file is wrong; carries every problem found, each with its place."""

    def __init__(self, filename: str, problems: Sequence[Problem]) -> None:
        self.filename = filename
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format(filename) for p in self.problems))

    def show(self, file: object = None) -> None:
        for problem in self.problems:
            click.echo(problem.format(self.filename), err=True)
        count = len(self.problems)
        click.echo(
            f"{count} problem{'s' if count != 1 else ''} in {self.filename}; nothing was built.",
            err=True,
        )
