"""QR codes for a topic's web address: one module matrix (segno), drawn natively per format.

`matrix(url)` is renderer-neutral: rows of dark (True) and light modules, the 4-module quiet
zone included. `runs(m)` merges each row's dark modules into horizontal runs, the rectangles
every backend draws: `reportlab_ops` (PDF path operators), `pptx_group_xml` (one group of
rectangles for python-pptx, with alt text) and `svg` (one path). `problem(url, size_mm)` is the
gate: a code that would not scan when printed at that size is refused with the reason.

segno is imported only when a matrix is made; reportlab and python-pptx never are: each
backend writes its format's own text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from xml.sax.saxutils import escape

QUIET = 4
"""Light modules around the symbol on every side (ISO/IEC 18004's quiet zone)."""

ERROR = "m"
"""Error correction level M (15 % of the code may be damaged): a printed leaflet gets folded."""

MIN_MODULE_MM = 0.4
"""The smallest module that office printers and phone cameras read reliably."""

LEAFLET_MM = {"standard": 17.0, "large": 24.0}
"""How wide each leaflet scale draws the code, quiet zone included; the gate checks the
smallest (the deck and the web page draw it larger)."""

INK = "#000000"
PAPER = "#FFFFFF"
"""Black on white: a QR code is never themed (contrast 21:1, the most a reader can get)."""


@dataclass(frozen=True)
class Matrix:
    """A QR symbol with its quiet zone: rows[y][x] is True for a dark module."""

    url: str
    version: int
    rows: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        """Modules along a side, quiet zone included."""
        return len(self.rows)


class QrError(ValueError):
    """The address cannot be made into a QR code at all (too long for any version)."""


@functools.lru_cache(maxsize=16)
def matrix(url: str) -> Matrix:
    """The smallest QR symbol (error level M) that holds url, with its quiet zone."""
    import segno

    try:
        code = segno.make_qr(url, error=ERROR, boost_error=False)
    except segno.DataOverflowError as exc:
        raise QrError(str(exc)) from None
    inner = [tuple(bool(v) for v in row) for row in code.matrix]
    side = len(inner) + 2 * QUIET
    blank = (False,) * side
    pad = (False,) * QUIET
    rows = [blank] * QUIET + [pad + row + pad for row in inner] + [blank] * QUIET
    version = code.version
    assert isinstance(version, int)
    return Matrix(url, version, tuple(rows))


def module_mm(m: Matrix, size_mm: float) -> float:
    """How wide one module is printed, when the whole symbol (quiet zone too) is size_mm wide."""
    return size_mm / m.size


def problem(url: str, size_mm: float) -> str | None:
    """Why a QR code for url, drawn size_mm wide, would not scan; None when it would."""
    if not url.lower().startswith("https://"):
        return f"the QR code's address '{url[:60]}' is not https (write https://…)"
    try:
        m = matrix(url)
    except QrError:
        return (
            f"the QR code's address is too long for a QR code ({len(url)} characters):"
            " use a shorter address (meta.url)"
        )
    module = module_mm(m, size_mm)
    if module < MIN_MODULE_MM:
        longest = longest_url(size_mm)
        return (
            f"the QR code's address is too long to print: {len(url)} characters make a"
            f" {m.size - 2 * QUIET}-module code whose modules would be {module:.2f} mm wide at"
            f" {size_mm:g} mm (at least {MIN_MODULE_MM} mm scans); use an address of at most"
            f" about {longest} characters (meta.url)"
        )
    return None


@functools.cache
def longest_url(size_mm: float) -> int:
    """About how many characters of address fit a code that scans at size_mm."""
    import segno

    modules = int(size_mm / MIN_MODULE_MM) - 2 * QUIET
    version = max(1, min(40, (modules - 17) // 4))
    fits = 0
    for n in range(10, 2000, 2):
        try:
            code = segno.make_qr("https://" + "a" * (n - 8), error=ERROR, boost_error=False)
        except segno.DataOverflowError:
            break
        if code.version is None or int(code.version) > version:
            break
        fits = n
    return fits


Run = tuple[int, int, int]
"""(row, first column, length) of dark modules, rows counted from the top."""


def runs(m: Matrix) -> tuple[Run, ...]:
    """Each row's dark modules merged into horizontal runs."""
    out: list[Run] = []
    for y, row in enumerate(m.rows):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                out.append((y, start, x - start))
            else:
                x += 1
    return tuple(out)


def reportlab_ops(m: Matrix, size: float) -> str:
    """PDF operators filling the dark modules in black, origin at the symbol's lower left,
    size points wide (a white square under it, so a coloured band never shows through)."""
    unit = size / m.size
    ops = [f"1 g 0 0 {size:.3f} {size:.3f} re f", "0 g"]
    for y, x, n in runs(m):
        top = size - y * unit
        ops.append(f"{x * unit:.3f} {top - unit:.3f} {n * unit:.3f} {unit:.3f} re")
    ops.append("f")
    return "\n".join(ops)


def svg(m: Matrix, title: str) -> str:
    """The code as one SVG path on a white square, titled for assistive technology."""
    d = "".join(f"M{x} {y}h{n}v1h-{n}z" for y, x, n in runs(m))
    side = m.size
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" role="img"'
        f' shape-rendering="crispEdges"><title>{escape(title)}</title>'
        f'<rect width="{side}" height="{side}" fill="{PAPER}"/>'
        f'<path fill="{INK}" d="{d}"/></svg>'
    )


def pptx_group_xml(m: Matrix, shape_id: int, x: int, y: int, size: int, alt: str) -> str:
    """A `p:grpSp` (EMU at x, y, size wide) of one white square and one freeform holding every
    run as a rectangle, named and described by alt; shape ids from shape_id up (3 used)."""
    unit = size // m.size
    size = unit * m.size  # whole EMU per module, so every run lands on the grid
    path = "".join(
        f'<a:moveTo><a:pt x="{c * unit}" y="{r * unit}"/></a:moveTo>'
        f'<a:lnTo><a:pt x="{(c + n) * unit}" y="{r * unit}"/></a:lnTo>'
        f'<a:lnTo><a:pt x="{(c + n) * unit}" y="{(r + 1) * unit}"/></a:lnTo>'
        f'<a:lnTo><a:pt x="{c * unit}" y="{(r + 1) * unit}"/></a:lnTo><a:close/>'
        for r, c, n in runs(m)
    )
    text = escape(alt, {'"': "&quot;"})
    xfrm = f'<a:off x="{x}" y="{y}"/><a:ext cx="{size}" cy="{size}"/>'
    return (
        f'<p:grpSp><p:nvGrpSpPr><p:cNvPr id="{shape_id}" name="QR code" descr="{text}"/>'
        "<p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>"
        f'<p:grpSpPr><a:xfrm>{xfrm}<a:chOff x="{x}" y="{y}"/>'
        f'<a:chExt cx="{size}" cy="{size}"/></a:xfrm></p:grpSpPr>'
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id + 1}" name="QR quiet zone"/><p:cNvSpPr/>'
        f"<p:nvPr/></p:nvSpPr><p:spPr><a:xfrm>{xfrm}</a:xfrm>"
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        '<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill><a:ln><a:noFill/></a:ln>'
        "</p:spPr></p:sp>"
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id + 2}" name="QR modules"/><p:cNvSpPr/>'
        f"<p:nvPr/></p:nvSpPr><p:spPr><a:xfrm>{xfrm}</a:xfrm>"
        f'<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="0" t="0" r="r" b="b"/>'
        f'<a:pathLst><a:path w="{size}" h="{size}">{path}</a:path></a:pathLst></a:custGeom>'
        '<a:solidFill><a:srgbClr val="000000"/></a:solidFill><a:ln><a:noFill/></a:ln>'
        "</p:spPr></p:sp></p:grpSp>"
    )
