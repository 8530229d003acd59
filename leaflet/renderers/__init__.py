"""The output formats, one module each, listed in one registry that refuses duplicates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leaflet.model import Document


@dataclass(frozen=True)
class Rendered:
    """One output file, rendered in memory and not yet written."""

    data: bytes
    """The whole file."""
    units: int
    """Pages or slides."""
    unit_name: str
    """'page' or 'slide'."""


@dataclass(frozen=True)
class Options:
    """What the user asked for beyond the content itself."""

    project_dir: Path
    """The content file's folder; assets resolve inside it."""
    paper: str | None = None
    """'A4' or 'letter' to override the content's theme."""


@dataclass(frozen=True)
class Renderer:
    """An output format: its name on the command line, its file suffix, and how to render it."""

    name: str
    suffix: str
    render: Callable[[Document, Options], Rendered]
    """Imports its rendering library when called, never at import time."""

    def filename(self, document: Document) -> str:
        return f"{document.meta.slug}-{self.name}{self.suffix}"


RENDERERS: dict[str, Renderer] = {}


def register(renderer: Renderer) -> None:
    if renderer.name in RENDERERS:
        raise ValueError(f"renderer {renderer.name!r} is registered twice")
    RENDERERS[renderer.name] = renderer


def _leaflet(document: Document, options: Options) -> Rendered:
    from leaflet.renderers.leaflet_pdf import render

    return render(document, options)


def _deck(document: Document, options: Options) -> Rendered:
    from leaflet.renderers.deck_pptx import render

    return render(document, options)


register(Renderer("leaflet", ".pdf", _leaflet))
register(Renderer("deck", ".pptx", _deck))
