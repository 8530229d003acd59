"""Fonts from fontpkg packages: measured with Pillow, registered with reportlab."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

Face = Literal["regular", "bold", "italic", "bolditalic"]

_WEIGHT_STYLE: dict[Face, tuple[int, str]] = {
    "regular": (400, "normal"),
    "bold": (700, "normal"),
    "italic": (400, "italic"),
    "bolditalic": (700, "italic"),
}


@dataclass(frozen=True)
class FontFamily:
    """A font family this tool draws or measures with."""

    package_name: str
    """Family name as fontpkg knows it."""
    pdf_name: str
    """Base name reportlab registers the faces under ("Atkinson" → "Atkinson-Bold")."""


LEAFLET_FONT = FontFamily("Atkinson Hyperlegible", "Atkinson")
"""The leaflet's typeface: designed for readers with low vision; embedded in the PDF."""

DECK_MEASURE_FONT = FontFamily("Arimo", "Arimo")
"""Metric-compatible with Arial, which the deck names so every viewer has it; used to measure."""

DECK_FONT_NAME = "Arial"


@cache
def font_path(family: FontFamily, face: Face = "regular") -> Path:
    """The file of one face of a family, from its installed fontpkg package."""
    import fontpkg

    weight, style = _WEIGHT_STYLE[face]
    return Path(fontpkg.path(family.package_name, weight, style, nearest=True))


@cache
def pil_font(family: FontFamily, face: Face, size_px: float) -> FreeTypeFont:
    """A Pillow font at a size, with the variable-font weight axis set for bold faces."""
    from PIL import ImageFont

    font = ImageFont.truetype(str(font_path(family, face)), size=size_px)
    weight, _ = _WEIGHT_STYLE[face]
    try:
        axes = font.get_variation_axes()
    except OSError:  # a static font has no axes
        return font
    values = [
        float(weight if axis["name"] in (b"Weight", "Weight") else axis["default"] or 0)
        for axis in axes
    ]
    font.set_variation_by_axes(values)
    return font


@cache
def text_width_pt(text: str, family: FontFamily, face: Face, size_pt: float) -> float:
    """Advance width of one line of text in points, measured at 10x for precision."""
    return pil_font(family, face, size_pt * 10).getlength(text) / 10


def register_reportlab_fonts(family: FontFamily = LEAFLET_FONT) -> str:
    """Register all four faces with reportlab (once) and return the family's base name."""
    # One cache entry a family however it is named: functools.cache keys f() and f(LEAFLET_FONT)
    # apart, and parsing the four font files costs more than laying out a page.
    return _register_reportlab_fonts(family)


@cache
def _register_reportlab_fonts(family: FontFamily) -> str:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = {
        "regular": family.pdf_name,
        "bold": f"{family.pdf_name}-Bold",
        "italic": f"{family.pdf_name}-Italic",
        "bolditalic": f"{family.pdf_name}-BoldItalic",
    }
    for face, name in names.items():
        pdfmetrics.registerFont(TTFont(name, str(font_path(family, face))))
    pdfmetrics.registerFontFamily(
        family.pdf_name,
        normal=names["regular"],
        bold=names["bold"],
        italic=names["italic"],
        boldItalic=names["bolditalic"],
    )
    for bold, italic, face in (
        (0, 0, "regular"),
        (1, 0, "bold"),
        (0, 1, "italic"),
        (1, 1, "bolditalic"),
    ):
        addMapping(family.pdf_name, bold, italic, names[face])
    return family.pdf_name
