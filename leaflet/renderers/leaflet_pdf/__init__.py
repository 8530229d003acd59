"""The patient leaflet as PDF: type scales, a layout plan made on data, then a thin reportlab step.

`typescale` sizes every style from the edition's scale, `plan` decides where each block of the
edition goes (columns, measures, the figure's size and views, what keeps together) without
drawing, and `draw` turns the plan into tagged PDF/UA pages. Importing this package imports
no reportlab: `render` does, when called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leaflet.renderers.leaflet_pdf.markup import markup, runs_markup

if TYPE_CHECKING:
    from leaflet.edition import Edition
    from leaflet.renderers import Options, Rendered


def render(edition: Edition, options: Options) -> Rendered:
    """The leaflet edition as PDF bytes: the same bytes for the same edition, on any machine."""
    if edition.spec.layout == "trifold":
        from leaflet.renderers.leaflet_pdf.trifold_draw import render as fold

        return fold(edition, options)
    from leaflet.renderers.leaflet_pdf.draw import render as draw
    from leaflet.renderers.leaflet_pdf.widths import install

    install()
    return draw(edition, options)


__all__ = ["markup", "render", "runs_markup"]
