"""The output formats, one module each, listed in one registry that refuses duplicates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leaflet.edition import Edition


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
    """Where the content lives; what the user asked for is in the edition's spec (paper...)."""

    project_dir: Path
    """The content file's folder; assets resolve inside it."""


@dataclass(frozen=True)
class Renderer:
    """An output format ('leaflet' or 'deck'): how to draw an edition of that format."""

    format: str
    render: Callable[[Edition, Options], Rendered]
    """Imports its rendering library when called, never at import time."""


RENDERERS: dict[str, Renderer] = {}
"""By format: every edition spec names the format that draws it."""


def register(renderer: Renderer) -> None:
    if renderer.format in RENDERERS:
        raise ValueError(f"renderer {renderer.format!r} is registered twice")
    RENDERERS[renderer.format] = renderer


def _leaflet(edition: Edition, options: Options) -> Rendered:
    from leaflet.renderers.leaflet_pdf import render

    return render(edition, options)


def _deck(edition: Edition, options: Options) -> Rendered:
    from leaflet.renderers.deck_pptx import render

    return render(edition, options)


register(Renderer("leaflet", _leaflet))


def _web(edition: Edition, options: Options) -> Rendered:
    from leaflet.renderers.web_html import render

    return render(edition, options)


register(Renderer("deck", _deck))
register(Renderer("web", _web))
