"""The content fits the editions it asks for where an edition has a fixed size: the tri-fold."""

from __future__ import annotations

from collections.abc import Iterator

from leaflet.checks.core import Context, Finding, gate
from leaflet.errors import LeafletError

TRIFOLD = "leaflet-trifold"
TRIFOLDS = (TRIFOLD, "leaflet-trifold-print")
"""The tri-fold editions: the office one and the print shop's, laid out alike."""


@gate("trifold-fit", "Content that asks for the tri-fold fits its six panels at 12 pt")
def trifold_fit(context: Context) -> Iterator[Finding]:
    editions = context.document.editions
    asked = next((e for e in editions if e in TRIFOLDS), None)
    if asked is None:
        return
    # The tri-fold's own plan (pure: no reportlab), on the content's paper, as the build
    # makes it; the drawn layout has the last word within the plan's margin.
    from leaflet.edition import EDITIONS, compose
    from leaflet.renderers.leaflet_pdf import trifold

    loc = ("editions", editions.index(asked))
    try:
        edition = compose(context.document, EDITIONS[asked])
        layout = trifold.plan(edition)
    except LeafletError as error:
        fix = "or take leaflet-trifold out of `editions`"
        yield context.at("trifold-fit", "error", loc, error.message, fix)
        return
    if not layout.fits:
        problem, fix = trifold.over_problem(edition, layout)
        yield context.at("trifold-fit", "error", loc, problem, fix)
    drawn = len(layout.body.figures)
    shown = sum(1 for s in edition.sections for b in s.body if type(b).__name__ == "Figure")
    if drawn < shown:
        width = layout.body.grid.width * 25.4 / 72
        yield context.at(
            "trifold-fit",
            "warning",
            loc,
            f"the tri-fold cannot draw the body-site diagram in a panel {width:.0f} mm wide"
            f" with its labels at {layout.body.scale.floor_pt:g} pt or more: it says where in"
            " a sentence instead",
            "name fewer sites, or use shorter site words, to have it drawn",
        )
