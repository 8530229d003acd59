"""Which characters the fonts can draw, read from their cmaps, so nothing prints as a box."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import get_args

from leaflet.fonts import (
    DECK_MEASURE_FONT,
    LEAFLET_FONT,
    Face,
    FontFamily,
    font_path,
    script_fonts,
    script_of,
)
from leaflet.fonts import charset as script_charset


@dataclass(frozen=True)
class Coverage:
    """A font family as the reader will see it, and the characters all its faces can draw."""

    label: str
    """How messages name it: the family a reader or editor knows."""
    family: FontFamily


PATIENT = Coverage("Atkinson Hyperlegible", LEAFLET_FONT)
"""The leaflet's face: every `patient` wording is drawn in it."""
CLINICIAN = Coverage("Arimo/Arial", DECK_MEASURE_FONT)
"""The deck names Arial and measures with Arimo, which has the same characters."""


@cache
def charset(family: FontFamily) -> frozenset[int]:
    """Code points every face (regular, bold, italic, bold italic) of the family maps to a glyph."""
    from fontTools.ttLib import TTFont

    common: frozenset[int] | None = None
    for face in get_args(Face):
        with TTFont(font_path(family, face), lazy=True) as font:
            cmap = font.getBestCmap() or {}
        points = frozenset(cmap)
        common = points if common is None else common & points
    return common or frozenset()


def missing(text: str, coverage: Coverage, language: str = "en") -> list[tuple[int, str, str]]:
    """(0-based offset, character, what cannot draw it: "font X" or "X script, which…") of
    every character in text that the font chosen for its word cannot draw.

    Each word is drawn in the family `leaflet.fonts.ScriptFonts.for_word` chooses for the
    content's language: the coverage's family for Latin words, a script's own family for the
    rest. Whitespace is skipped: the renderers turn every run of it into one space. Printable
    ASCII needs no look-up: both Latin families draw all of it (a test says so), and reading a
    cmap costs more than the rest of a check.
    """
    if text.isascii() and all(" " <= c <= "~" or c.isspace() for c in text):
        fonts = script_fonts(language, coverage.family)
        if fonts.family("latin") in (LEAFLET_FONT, DECK_MEASURE_FONT):
            return []
    fonts = script_fonts(language, coverage.family)
    out: list[tuple[int, str, str]] = []
    for match in re.finditer(r"\S+", text):
        word = match.group()
        family = fonts.for_word(word)
        if family is None:
            script = next((s for s in map(script_of, word) if s is not None), "")
            label = f"{script.capitalize()} script, which no packaged font draws"
            out += [(match.start() + i, c, label) for i, c in enumerate(word) if script_of(c)]
            continue
        chars = charset(coverage.family) if family == coverage.family else script_charset(family)
        name = coverage.label if family == coverage.family else family.package_name
        label = f"font {name}"
        out += [(match.start() + i, c, label) for i, c in enumerate(word) if ord(c) not in chars]
    return out


def describe(char: str) -> str:
    """A character as a message shows it: itself where printable, always its code and name."""
    name = unicodedata.name(char, "")
    shown = f"'{char}' " if unicodedata.category(char)[0] not in "CZ" else ""
    return f"{shown}(U+{ord(char):04X}{' ' + name if name else ''})"
