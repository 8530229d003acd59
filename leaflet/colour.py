"""Colour arithmetic shared by the checks and the renderers: WCAG 2 luminance and contrast."""

from __future__ import annotations

URGENT_RED = "#A4161A"
"""The urgent callout's border, band and icon, whatever the theme: white on it is 7.8:1."""
URGENT_FILL = "#FDECEA"
"""The urgent callout's fill: near-black text on it is 15:1, the urgent red 5.7:1."""


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour written #RRGGBB."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio, from 1 (none) to 21 (black on white)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
