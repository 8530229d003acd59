"""Print-shop sheets: 3 mm bleed, crop marks outside it and a slug line, for any trim size.

A renderer that draws for a print shop makes a `Sheet` for its trim size, gives reportlab the
sheet's media size and boxes (`doc_kwargs`), moves each page's origin to the trim's lower left
(`begin_page`), and, at each page's end, calls `draw_marks` inside an artifact: every
coordinate here is in points from the trim's lower left, so a page laid out for the trim is
drawn unchanged. A colour band or background that touches a trim edge is drawn with `bled`,
which carries it on into the bleed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MM = 72 / 25.4
"""Points in a millimetre."""

BLEED_MM = 3.0
"""What print shops ask for: the paper is cut anywhere within 3 mm of the trim."""
MARK_MM = 5.0
"""The length of each crop mark."""
BORDER_MM = 10.0
"""Paper beyond the bleed: the crop marks, then the slug line, then 2 mm clear."""
MARK_WIDTH = 0.25
"""Crop marks are hairlines (points)."""
SLUG_SIZE = 6.0
"""The slug line's type size (points): for the print shop, cut off with the marks."""

Box = tuple[float, float, float, float]
"""(x0, y0, x1, y1) in points."""


@dataclass(frozen=True)
class Sheet:
    """The paper a trim of `trim` (width, height in points) is printed on for a print shop."""

    trim: tuple[float, float]
    bleed: float = BLEED_MM * MM
    border: float = BORDER_MM * MM

    @property
    def offset(self) -> float:
        """From the sheet's edge to the trim, on every side."""
        return self.bleed + self.border

    @property
    def media(self) -> tuple[float, float]:
        """The MediaBox's size."""
        return (self.trim[0] + 2 * self.offset, self.trim[1] + 2 * self.offset)

    @property
    def trim_box(self) -> Box:
        """Where the paper is cut, in the sheet's (MediaBox) coordinates."""
        o = self.offset
        return (o, o, o + self.trim[0], o + self.trim[1])

    @property
    def bleed_box(self) -> Box:
        """The trim with the bleed around it, in the sheet's coordinates."""
        x0, y0, x1, y1 = self.trim_box
        b = self.bleed
        return (x0 - b, y0 - b, x1 + b, y1 + b)

    def doc_kwargs(self) -> dict[str, Any]:
        """What reportlab's BaseDocTemplate takes: the sheet's size and the page boxes."""
        return {
            "pagesize": self.media,
            "trimBox": list(_rounded(self.trim_box)),
            "bleedBox": list(_rounded(self.bleed_box)),
        }


def _rounded(box: Box) -> Box:
    x0, y0, x1, y1 = (round(v, 3) for v in box)
    return (x0, y0, x1, y1)


def crop_marks(sheet: Sheet) -> list[Box]:
    """The crop marks as lines (x0, y0, x1, y1) from the trim's lower left: two at each corner,
    in line with the trim's edges, from the bleed's edge outwards, so none touches the bleed."""
    w, h = sheet.trim
    start, end = sheet.bleed, sheet.bleed + MARK_MM * MM
    lines: list[Box] = []
    for x, y, sx, sy in ((0, 0, -1, -1), (w, 0, 1, -1), (0, h, -1, 1), (w, h, 1, 1)):
        lines.append((x + sx * start, y, x + sx * end, y))  # along the horizontal edge
        lines.append((x, y + sy * start, x, y + sy * end))  # along the vertical edge
    return lines


def fold_marks(sheet: Sheet, folds: tuple[float, ...]) -> list[Box]:
    """Fold marks as lines from the trim's lower left: at each fold's x, above and below the
    sheet, from the bleed's edge outwards like the crop marks, so none is printed on the
    leaflet (drawn dashed, as print shops tell fold marks from cut marks)."""
    h = sheet.trim[1]
    start, end = sheet.bleed, sheet.bleed + MARK_MM * MM
    lines: list[Box] = []
    for x in folds:
        lines.append((x, -start, x, -end))
        lines.append((x, h + start, x, h + end))
    return lines


def slug_origin(sheet: Sheet) -> tuple[float, float]:
    """Where the slug line starts: under the trim's lower left mark, outside the bleed."""
    return (0.0, -(sheet.bleed + MARK_MM * MM + 1.5 * MM + SLUG_SIZE * 0.8))


def draw_marks(canvas: Any, sheet: Sheet, slug: str, font: str) -> None:
    """The crop marks in registration black (every CMYK ink) and the slug line, on a reportlab
    canvas whose origin is the trim's lower left. Call inside an artifact (not content)."""
    canvas.saveState()
    canvas.setStrokeColorCMYK(1, 1, 1, 1)
    canvas.setLineWidth(MARK_WIDTH)
    canvas.setLineCap(0)
    canvas.lines(crop_marks(sheet))
    canvas.setFillColorCMYK(0, 0, 0, 1)
    canvas.setFont(font, SLUG_SIZE)
    x, y = slug_origin(sheet)
    canvas.drawString(x, y, slug)
    canvas.restoreState()


def bled(sheet: Sheet, box: Box, trim: tuple[float, float] | None = None) -> Box:
    """A filled rectangle (x0, y0, x1, y1 from the trim's lower left) carried into the bleed
    on every side where it touches the trim (or a panel's edge that is the trim's)."""
    w, h = trim or sheet.trim
    x0, y0, x1, y1 = box
    b, near = sheet.bleed, 0.01
    return (
        x0 - b if x0 <= near else x0,
        y0 - b if y0 <= near else y0,
        x1 + b if x1 >= w - near else x1,
        y1 + b if y1 >= h - near else y1,
    )
