"""The leaflet's type scales: every text style's size and line pitch, derived from the body size.

A scale names the body size, the smallest size allowed outside the running footer, and the
footer's size; each style is a ratio of the body, never smaller than the scale's floor. The
font-size gate reads the scales here without importing reportlab or the renderer.
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


@dataclass(frozen=True)
class Ratio:
    """A style's size and line pitch as multiples of the body size."""

    size: float
    leading: float
    """Baseline to baseline, as a multiple of the body size."""


STYLES: dict[str, Ratio] = {
    "body": Ratio(1.0, 1.17),
    "org": Ratio(1.0, 1.25),
    "title": Ratio(2.0, 2.33),
    "cover_title": Ratio(2.67, 3.0),
    "subtitle": Ratio(1.17, 1.5),
    "h1": Ratio(1.33, 1.58),
    "h2": Ratio(1.08, 1.29),
    "callout_head": Ratio(1.08, 1.33),
    "term": Ratio(1.0, 1.12),
    "small": Ratio(1.0, 1.12),
    "diagram_label": Ratio(0.9, 1.1),
}
"""Every style but the footer's; styles not named here take a parent style's type."""

MIN_LEADING = 1.2
"""No style's lines are closer than this many times its size: comfortable reading, also when
a leaflet is squeezed onto one sheet."""

FOOTER = Ratio(0.8, 1.0)
"""The running footer, which may be smaller than the floor but never under the scale's
footer minimum."""


@dataclass(frozen=True)
class TypeScale:
    """One type scale: the body size and the smallest sizes a reader may be given."""

    name: str
    body_pt: float
    floor_pt: float
    """No character outside the running footer is smaller."""
    footer_pt: float
    """No character of the running footer is smaller."""
    measure_em: float = 29.3
    """The reading column's widest, in body ems: about 64 characters of Atkinson Hyperlegible."""

    def size(self, style: str) -> Size:
        """A style's type in this scale."""
        if style == "footer":
            pt = max(self.footer_pt, self.body_pt * FOOTER.size)
            return Size(pt, round(pt * MIN_LEADING, 2))
        ratio = STYLES[style]
        pt = max(self.floor_pt, round(self.body_pt * ratio.size, 2))
        return Size(pt, round(max(pt * MIN_LEADING, self.body_pt * ratio.leading), 2))

    def em(self, count: float) -> float:
        """`count` body ems in points: gaps, paddings and thresholds scale with the type."""
        return count * self.body_pt

    @property
    def measure(self) -> float:
        return self.em(self.measure_em)

    def sizes(self) -> dict[str, Size]:
        """Every style's type, the footer's included."""
        return {name: self.size(name) for name in (*STYLES, "footer")}


SCALES: dict[str, TypeScale] = {
    "standard": TypeScale("standard", body_pt=12.0, floor_pt=12.0, footer_pt=10.0),
    "large": TypeScale("large", body_pt=18.0, floor_pt=14.0, footer_pt=14.0),
}
"""By the edition spec's `scale`: the standard leaflet (body 12 pt, nothing outside the footer
under 12 pt, the footer 10 pt or more) and large print (body 18 pt, nothing under 14 pt)."""


def leaflet_type(scale: TypeScale, style: str) -> dict[str, float]:
    """A style's size and pitch as reportlab's ParagraphStyle keywords."""
    size = scale.size(style)
    return {"fontSize": size.pt, "leading": size.leading}
