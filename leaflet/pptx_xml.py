"""PresentationML written as text, for shapes made in bulk: namespaces, escaping, positions.

The deck writes its diagrams, text frames and tables as XML strings parsed once, which is far
quicker than python-pptx's element-by-element API. Every value from the content passes through
`run_text` or `attr` here.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = f'xmlns:a="{A}" xmlns:p="{P}" xmlns:r="{R}"'
"""The namespace declarations a fragment's root element carries."""

_CONTROL = re.compile(r"([\x00-\x08\x0B-\x1F])")


def run_text(value: str) -> str:
    """Element text as python-pptx writes run text: escaped, control characters as _xHHHH_."""
    return escape(_CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", value))


def attr(value: str) -> str:
    """An attribute value, quoted and escaped."""
    return quoteattr(value)


def xfrm(x: int, y: int, cx: int, cy: int, flip: str = "") -> str:
    """A shape's position and size in EMU; `flip` is extra attributes, such as ' flipH="1"'."""
    return f'<a:xfrm{flip}><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'


def script_fonts_xml(language: str) -> str:
    """`a:ea` and `a:cs` typefaces for a run in this language (after `a:latin`, in the schema's
    order), naming the family the leaflet draws the script in; '' for Latin-only languages."""
    from leaflet.fonts import CJK_FAMILIES, script_fonts

    fonts = script_fonts(language)
    if fonts.script == "latin":
        return ""
    family = fonts.primary
    slot = "ea" if family in CJK_FAMILIES else "cs"
    return f'<a:{slot} typeface="{family.package_name}"/>'


def is_rtl(language: str) -> bool:
    """Whether paragraphs in this language run right to left (`a:pPr rtl="1"`)."""
    from leaflet.fonts import script_fonts

    return script_fonts(language).rtl
