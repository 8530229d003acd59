"""Edition specs: which output, for whom, in which language, at which type scale, on what page."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from leaflet.model import Audience

Format = Literal["leaflet", "deck", "web"]
Scale = Literal["standard", "large"]
Paper = Literal["A4", "letter"]
Layout = Literal["pages", "trifold"]


SUFFIXES: dict[Format, str] = {"leaflet": ".pdf", "deck": ".pptx", "web": ".html"}
"""The file suffix each format writes."""


@dataclass(frozen=True)
class EditionSpec:
    """One output of a topic. Its id names the file and keys the build record."""

    id: str
    """'leaflet', 'leaflet-large', 'leaflet-trifold', 'deck', 'web': the file is
    <slug>-<id><suffix>."""
    format: Format
    """Which renderer draws it."""
    audience: Audience
    scale: Scale = "standard"
    """The type scale (leaflet.renderers.leaflet_pdf.typescale.SCALES)."""
    paper: Paper | None = None
    """None: the content's theme.paper."""
    layout: Layout = "pages"
    """How a leaflet is imposed: 'pages' (portrait pages, read in turn) or 'trifold' (one
    landscape sheet, two sides, six panels, folded in three as a roll fold)."""
    locale: str | None = None
    """A language tag; None: the content's meta.language."""
    description: str = ""
    """What the edition is, for `--help` and messages."""
    unreviewed: bool = False
    """A translation nobody has reviewed yet: the edition says so (`leaflet.unreviewed`) in its
    footer, its governance lines, the deck's footer and the web page's footer."""
    print_shop: bool = False
    """Drawn for a print shop: 3 mm bleed, crop marks and a slug line outside the trim
    (leaflet.renderers.print_marks)."""

    @property
    def suffix(self) -> str:
        return SUFFIXES[self.format]

    def filename(self, slug: str) -> str:
        return f"{slug}-{self.id}{self.suffix}"

    def with_paper(self, paper: Paper | None) -> EditionSpec:
        return self if paper is None or self.format != "leaflet" else replace(self, paper=paper)


EDITIONS: dict[str, EditionSpec] = {
    spec.id: spec
    for spec in (
        EditionSpec("leaflet", "leaflet", "patient", description="the patient leaflet, body 12 pt"),
        EditionSpec(
            "leaflet-large",
            "leaflet",
            "patient",
            scale="large",
            description="the patient leaflet in large print, body 18 pt",
        ),
        EditionSpec(
            "leaflet-trifold",
            "leaflet",
            "patient",
            layout="trifold",
            description="the patient leaflet as a tri-fold: one landscape sheet folded in three",
        ),
        EditionSpec(
            "leaflet-print",
            "leaflet",
            "patient",
            print_shop=True,
            description="the patient leaflet for a print shop: 3 mm bleed and crop marks",
        ),
        EditionSpec(
            "leaflet-trifold-print",
            "leaflet",
            "patient",
            layout="trifold",
            print_shop=True,
            description="the tri-fold for a print shop: 3 mm bleed, crop and fold marks",
        ),
        EditionSpec("deck", "deck", "clinician", description="the clinician slide deck"),
        EditionSpec("web", "web", "patient", description="the patient web page, one HTML file"),
    )
}
"""Every edition a content file may ask for, in build order."""

DEFAULT_EDITIONS: tuple[str, ...] = ("leaflet", "leaflet-large", "deck", "web")
