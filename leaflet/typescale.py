"""The leaflet's type scale: the size and line pitch of each text style, in points.

The leaflet renderer takes its styles' type from here, and the font-size gate checks it here,
without importing the renderer or reading its source.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    """The type of one style."""

    pt: float
    """Font size."""
    leading: float
    """Baseline to baseline."""


LEAFLET: dict[str, Size] = {
    "body": Size(12, 14),
    "org": Size(12, 15),
    "title": Size(24, 28),
    "subtitle": Size(14, 18),
    "h1": Size(16, 19),
    "h2": Size(13, 15.5),
    "callout_head": Size(13, 16),
    "term": Size(11, 13),
    "small": Size(10, 12.5),
    "footer": Size(9.5, 12),
}
"""Styles not named here take their type from a parent style that is."""


def leaflet_type(style: str) -> dict[str, float]:
    """A style's size and pitch as reportlab's ParagraphStyle keywords."""
    size = LEAFLET[style]
    return {"fontSize": size.pt, "leading": size.leading}
