"""The drawings as data: body (front, back), an open hand, and where each site sits on them."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from leaflet.diagram.paths import (
    PathOp,
    Point,
    SmoothPoint,
    ellipse_ops,
    flatten,
    rotate,
    smooth_ops,
)
from leaflet.sites import SITES

View = Literal["front", "back", "hand"]
Role = Literal["skin", "crease"]
FigureSide = Literal["left", "right"]


@dataclass(frozen=True)
class Part:
    """One outline of a drawing, in figure units (the figure is 1 high, x = 0 on its midline)."""

    ops: tuple[PathOp, ...]
    """The outline's operations."""
    role: Role
    """"skin" is filled with the skin colour and outlined; "crease" is a thin unfilled line."""


@dataclass(frozen=True)
class Art:
    """A drawing of one view with the anchors of the sites it shows."""

    view: View
    """Which view this is."""
    parts: tuple[Part, ...]
    """Outlines, back to front."""
    anchors: dict[str, dict[FigureSide, tuple[Point, ...]]]
    """Per site id and the figure's own side: where lumps sit; the first point takes the leader."""
    marker_radius: float
    """Radius of the largest lump of a cluster, in figure units."""
    caption: str
    """A short name for the view, shown under it when several views are drawn."""


BODY_HALF: tuple[SmoothPoint, ...] = (
    (0.031, 0.120),
    (0.034, 0.156),
    (0.056, 0.181),
    (0.100, 0.193),
    (0.131, 0.203),
    (0.153, 0.226),
    (0.161, 0.265),
    (0.166, 0.320),
    (0.173, 0.385),
    (0.183, 0.435),
    (0.191, 0.497),
    (0.199, 0.525),
    (0.203, 0.565),
    (0.196, 0.603),
    (0.181, 0.616),
    (0.166, 0.606),
    (0.159, 0.568),
    (0.158, 0.528),
    (0.157, 0.500),
    (0.144, 0.440),
    (0.132, 0.385),
    (0.124, 0.318),
    (0.116, 0.264, True),
    (0.108, 0.298),
    (0.100, 0.345),
    (0.092, 0.395),
    (0.100, 0.440),
    (0.110, 0.490),
    (0.108, 0.560),
    (0.091, 0.680),
    (0.088, 0.730),
    (0.091, 0.790),
    (0.067, 0.925),
    (0.073, 0.962),
    (0.079, 0.988),
    (0.060, 0.999),
    (0.033, 0.996),
    (0.027, 0.972),
    (0.030, 0.932),
    (0.030, 0.800),
    (0.025, 0.730),
    (0.022, 0.690),
    (0.012, 0.580),
    (0.000, 0.505, True),
)
"""The body's outline on the viewer's right half, top of the neck round to the crotch."""

HEAD: tuple[SmoothPoint, ...] = (
    (0.000, 0.000),
    (0.038, 0.008),
    (0.055, 0.043),
    (0.053, 0.093),
    (0.041, 0.127),
    (0.019, 0.146),
    (0.000, 0.151),
    (-0.019, 0.146),
    (-0.041, 0.127),
    (-0.053, 0.093),
    (-0.055, 0.043),
    (-0.038, 0.008),
)

BODY_ANCHORS: dict[str, tuple[Point, ...]] = {
    "scalp": ((0.020, 0.020),),
    "face": ((0.022, 0.100),),
    "ears": ((0.058, 0.078),),
    "neck": ((0.021, 0.160),),
    "shoulders": ((0.134, 0.217),),
    "chest": ((0.052, 0.252),),
    "abdomen": ((0.036, 0.400),),
    "upper-arms": ((0.143, 0.300),),
    "elbows": ((0.153, 0.385),),
    "forearms": ((0.165, 0.442),),
    "wrists": ((0.174, 0.500),),
    "hands": ((0.179, 0.540),),
    "fingers": ((0.183, 0.583),),
    "fingertips": ((0.180, 0.606),),
    "hips": ((0.097, 0.475),),
    "thighs": ((0.066, 0.645),),
    "knees": ((0.057, 0.712),),
    "shins": ((0.058, 0.830),),
    "ankles": ((0.050, 0.935),),
    "feet": ((0.054, 0.970),),
    "toes": ((0.056, 0.992),),
    "back": ((0.045, 0.315),),
    "buttocks": ((0.052, 0.505),),
    "calves": ((0.062, 0.800),),
}
"""Where each site sits on the viewer's right half of the body (front or back, as SITES says)."""


def _mirror(points: Sequence[SmoothPoint]) -> list[SmoothPoint]:
    return [(-p[0], p[1], *p[2:]) for p in points]


def _creases(*lines: Sequence[Point]) -> tuple[Part, ...]:
    return tuple(Part(tuple(smooth_ops(line, closed=False)), "crease") for line in lines)


def _mirrored_creases(*lines: Sequence[Point]) -> tuple[Part, ...]:
    both = [m for line in lines for m in (line, [(-x, y) for x, y in line])]
    return _creases(*both)


def _body(view: Literal["front", "back"]) -> Art:
    outline = list(BODY_HALF) + _mirror(BODY_HALF[::-1])[1:-1]
    ears = (
        Part(tuple(ellipse_ops(0.053, 0.079, 0.011, 0.019)), "skin"),
        Part(tuple(ellipse_ops(-0.053, 0.079, 0.011, 0.019)), "skin"),
    )
    body = Part(tuple(smooth_ops(outline)), "skin")
    head = Part(tuple(smooth_ops(HEAD)), "skin")
    if view == "front":
        details = _mirrored_creases(
            [(0.012, 0.187), (0.045, 0.190), (0.080, 0.199)],
            [(0.045, 0.705), (0.057, 0.698), (0.070, 0.705)],
            [(0.188, 0.572), (0.189, 0.600)],
            [(0.178, 0.575), (0.179, 0.606)],
            [(0.168, 0.572), (0.169, 0.598)],
        )
    else:
        details = _creases(
            [(0.0, 0.190), (0.0, 0.300), (0.0, 0.420)],
            [(0.0, 0.455), (0.0, 0.500)],
        ) + _mirrored_creases(
            [(0.035, 0.225), (0.060, 0.270), (0.085, 0.265)],
            [(0.008, 0.530), (0.050, 0.540), (0.090, 0.528)],
            [(0.045, 0.742), (0.057, 0.748), (0.070, 0.742)],
        )
    anchors: dict[str, dict[FigureSide, tuple[Point, ...]]] = {}
    for site, points in BODY_ANCHORS.items():
        if SITES[site].back != (view == "back"):
            continue
        right_half = points
        left_half = tuple((-x, y) for x, y in points)
        # seen from the front the figure's own left is on the viewer's right
        if view == "front":
            anchors[site] = {"left": right_half, "right": left_half}
        else:
            anchors[site] = {"left": left_half, "right": right_half}
    caption = "Front" if view == "front" else "Back"
    return Art(view, (body, *ears, head, *details), anchors, 0.0155, caption)


@dataclass(frozen=True)
class Digit:
    """One finger of the hand drawing."""

    base: Point
    """Centre of the finger where it leaves the palm."""
    angle_deg: float
    """Lean from straight up, clockwise."""
    length: float
    """Base to tip."""
    width: float
    """Across the finger."""

    def frame(self) -> tuple[Point, Point]:
        """Unit vectors along the finger (towards the tip) and across it (to its right)."""
        d = rotate((0.0, -1.0), self.angle_deg)
        return d, rotate(d, 90)

    def at(self, along: float, across: float) -> Point:
        """A point a fraction along the finger and a fraction of its width across."""
        d, p = self.frame()
        a, c = along * self.length, across * self.width
        return (self.base[0] + d[0] * a + p[0] * c, self.base[1] + d[1] * a + p[1] * c)

    def outline(self) -> list[SmoothPoint]:
        """Up the left side, round the tip, down the right side."""
        tip_side = 1 - 0.5 * self.width / self.length
        tip_shoulder = 1 - 0.14 * self.width / self.length
        return [
            self.at(0.0, -0.5),
            self.at(0.45, -0.49),
            self.at(tip_side, -0.47),
            self.at(tip_shoulder, -0.31),
            self.at(1.0, 0.0),
            self.at(tip_shoulder, 0.31),
            self.at(tip_side, 0.47),
            self.at(0.45, 0.49),
            self.at(0.0, 0.5),
        ]


LITTLE = Digit((-0.160, 0.560), -7, 0.25, 0.074)
RING = Digit((-0.074, 0.497), -5, 0.33, 0.084)
MIDDLE = Digit((0.018, 0.480), 1, 0.37, 0.088)
INDEX = Digit((0.108, 0.500), 8, 0.33, 0.084)
THUMB = Digit((0.205, 0.660), 42, 0.27, 0.100)


def _web(a: Digit, b: Digit) -> Point:
    (x0, y0), (x1, y1) = a.at(0.0, 0.5), b.at(0.0, -0.5)
    return ((x0 + x1) / 2, max(y0, y1) + 0.012)


def _hand() -> Art:
    fingers = (LITTLE, RING, MIDDLE, INDEX)
    outline: list[SmoothPoint] = [
        (-0.140, 1.000, True),
        (-0.146, 0.900),
        (-0.186, 0.800),
        (-0.205, 0.660),
        (-0.200, 0.605),
    ]
    for left, right in itertools.pairwise(fingers):
        outline += left.outline()
        outline.append(_web(left, right))
    outline += INDEX.outline()
    outline += [(0.160, 0.580), (0.175, 0.625)]
    outline += THUMB.outline()[1:]
    outline += [(0.222, 0.760), (0.196, 0.850), (0.150, 0.905), (0.144, 1.000, True)]
    palm = Part(tuple(smooth_ops(outline)), "skin")
    creases = _creases(
        *(
            [finger.at(t, -0.33), finger.at(t - 0.015, 0.0), finger.at(t, 0.33)]
            for finger in (*fingers, THUMB)
            for t in ((0.36, 0.66) if finger is not THUMB else (0.45,))
        ),
        [(-0.195, 0.615), (-0.090, 0.600), (0.000, 0.585), (0.085, 0.548)],
        [(0.165, 0.632), (0.060, 0.640), (-0.060, 0.680), (-0.125, 0.720)],
        [(0.160, 0.645), (0.105, 0.720), (0.095, 0.800), (0.110, 0.870)],
        [(-0.120, 0.905), (0.000, 0.915), (0.125, 0.905)],
    )
    by_site: dict[str, tuple[Point, ...]] = {
        "fingers": (
            INDEX.at(0.50, 0.0),
            MIDDLE.at(0.38, 0.0),
            RING.at(0.62, 0.0),
        ),
        "fingertips": (
            LITTLE.at(0.86, 0.0),
            MIDDLE.at(0.88, 0.0),
            THUMB.at(0.84, 0.0),
        ),
        "hands": ((-0.090, 0.745), (0.030, 0.700)),
        "wrists": ((0.070, 0.950),),
    }
    anchors: dict[str, dict[FigureSide, tuple[Point, ...]]] = {
        site: {"left": points, "right": points} for site, points in by_site.items()
    }
    return Art("hand", (palm, *creases), anchors, 0.026, "Palm")


def skin_polygons(drawing: Art) -> list[list[Point]]:
    """The skin outlines of a drawing as polygons, to test whether a point is on the figure."""
    return [
        points for part in drawing.parts if part.role == "skin" for points, _ in flatten(part.ops)
    ]


@cache
def art(view: View) -> Art:
    """The drawing of one view (cached: the geometry never changes)."""
    return _hand() if view == "hand" else _body(view)
