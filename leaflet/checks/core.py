"""What every gate shares: findings, the context a gate reads, and the one registry of gates."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from leaflet.loader import Loc, Located, format_loc
from leaflet.model import Document

if TYPE_CHECKING:
    from leaflet.assets import AssetProblem, ImageInfo
    from leaflet.errors import Problem

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One thing a reviewer would flag, at its place, with the fix."""

    gate: str
    """The id of the gate that found it (stable: tools and `checks.silence` use it)."""
    severity: Severity
    path: str
    """Where in the content tree, as `sections[3].paragraphs[0].patient`; empty for no place."""
    line: int
    """1-based line in `file`; 0 when there is no place."""
    column: int
    """1-based column; 0 when there is no place."""
    message: str
    """What is wrong."""
    fix: str
    """How to put it right."""
    file: str | None = None
    """The file the place is in when it is not the content file (a renderer's source)."""
    language: str | None = None
    """The translation it is about (es, pl); None for the content in its own language."""

    @classmethod
    def from_problem(
        cls, gate: str, problem: Problem, file: str | None = None, language: str | None = None
    ) -> Finding:
        """A problem the loader found (at a line and column, with no fix), as an error."""
        where = problem.file or file
        return cls(
            gate,
            "error",
            problem.path,
            problem.line,
            problem.column,
            problem.message,
            "",
            where,
            language,
        )

    def sort_key(self) -> tuple[int, str, int, int, str, str]:
        return (
            self.file is not None,
            self.file or "",
            self.line,
            self.column,
            self.gate,
            self.path,
        )


@dataclass
class Context:
    """What a gate reads: the document, the positions of its values, and the settings."""

    document: Document
    located: Located
    project_dir: Path
    today: dt.date

    @functools.cached_property
    def logo(self) -> ImageInfo | AssetProblem | None:
        """The logo opened once for every gate: its details, what is wrong with it, or None."""
        from leaflet.assets import AssetProblem, inspect_image

        logo = self.document.meta.organisation.logo
        if logo is None:
            return None
        try:
            return inspect_image(self.project_dir, logo)
        except AssetProblem as exc:
            return exc

    def place(self, loc: Loc) -> tuple[int, int]:
        """The (line, column) of a value, else of its nearest located parent, else (1, 1)."""
        for end in range(len(loc), -1, -1):
            part = loc[:end]
            if part in self.located.values:
                return self.located.values[part]
        return (1, 1)

    def at(self, gate: str, severity: Severity, loc: Loc, message: str, fix: str) -> Finding:
        line, column = self.place(loc)
        file = self.located.origin(loc)
        return Finding(gate, severity, format_loc(loc), line, column, message, fix, file)


GateFunction = Callable[[Context], Iterator[Finding]]


@dataclass(frozen=True)
class Gate:
    """A quality gate: its stable id, what it checks, and the function that checks it."""

    id: str
    summary: str
    run: GateFunction


GATES: dict[str, Gate] = {}
"""Every gate, by id, in the order they run."""


def gate(gate_id: str, summary: str) -> Callable[[GateFunction], GateFunction]:
    """Register a gate function under a stable id; an id used twice is a bug."""

    def register(function: GateFunction) -> GateFunction:
        if gate_id in GATES:
            raise ValueError(f"gate {gate_id!r} is registered twice")
        GATES[gate_id] = Gate(gate_id, summary, function)
        return function

    return register
