"""Outline paths as data: move, line, cubic curve and close operations, and smoothing helpers."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

Point = tuple[float, float]
OpKind = Literal["move", "line", "curve", "close"]


@dataclass(frozen=True)
class PathOp:
    """One drawing operation of a path."""

    kind: OpKind
    """"move" and "line" take a point, "curve" three (two controls, then the end), "close" none."""
    points: tuple[Point, ...] = ()
    """The operation's points, in the coordinates of whatever holds the path."""


@dataclass(frozen=True)
class Path:
    """A path of one or more subpaths, filled and/or stroked."""

    ops: tuple[PathOp, ...]
    """Operations in order; each subpath starts with a move."""
    fill: str | None
    """Fill colour as #RRGGBB, or None for no fill."""
    stroke: str | None
    """Stroke colour as #RRGGBB, or None for no stroke."""
    stroke_width: float
    """Stroke width, as a fraction of the height of whatever holds the path."""

    def map(self, f: Callable[[Point], Point], scale: float = 1.0) -> Path:
        """The same path with every point mapped by f and the stroke width multiplied by scale."""
        ops = tuple(PathOp(op.kind, tuple(f(p) for p in op.points)) for op in self.ops)
        return Path(ops, self.fill, self.stroke, self.stroke_width * scale)


SmoothPoint = tuple[float, float] | tuple[float, float, bool]
"""A point a smooth curve passes through; a third item True makes it a sharp corner."""


def smooth_ops(points: Sequence[SmoothPoint], *, closed: bool = True) -> list[PathOp]:
    """Cubic Bézier operations through the points (Catmull-Rom), sharp where a point is a corner."""
    pts = [(p[0], p[1]) for p in points]
    corner = [len(p) == 3 and bool(p[2]) for p in points]
    n = len(pts)
    ops = [PathOp("move", (pts[0],))]
    last = n if closed else n - 1
    for i in range(last):
        p0, p1 = pts[i], pts[(i + 1) % n]
        prev = pts[i - 1] if (closed or i > 0) else p0
        nxt = pts[(i + 2) % n] if (closed or i + 2 < n) else p1
        t0 = (0.0, 0.0) if corner[i] else ((p1[0] - prev[0]) / 6, (p1[1] - prev[1]) / 6)
        j = (i + 1) % n
        t1 = (0.0, 0.0) if corner[j] else ((nxt[0] - p0[0]) / 6, (nxt[1] - p0[1]) / 6)
        c1 = (p0[0] + t0[0], p0[1] + t0[1])
        c2 = (p1[0] - t1[0], p1[1] - t1[1])
        ops.append(PathOp("curve", (c1, c2, p1)))
    if closed:
        ops.append(PathOp("close"))
    return ops


def ellipse_ops(cx: float, cy: float, rx: float, ry: float) -> list[PathOp]:
    """A closed ellipse as four cubic curves."""
    k = 0.5522847498
    return [
        PathOp("move", ((cx + rx, cy),)),
        PathOp("curve", ((cx + rx, cy + k * ry), (cx + k * rx, cy + ry), (cx, cy + ry))),
        PathOp("curve", ((cx - k * rx, cy + ry), (cx - rx, cy + k * ry), (cx - rx, cy))),
        PathOp("curve", ((cx - rx, cy - k * ry), (cx - k * rx, cy - ry), (cx, cy - ry))),
        PathOp("curve", ((cx + k * rx, cy - ry), (cx + rx, cy - k * ry), (cx + rx, cy))),
        PathOp("close"),
    ]


def flatten(ops: Sequence[PathOp], steps: int = 16) -> list[tuple[list[Point], bool]]:
    """Subpaths as polylines (curves sampled at `steps` points), each with whether it is closed."""
    subpaths: list[tuple[list[Point], bool]] = []
    current: list[Point] = []
    for op in ops:
        if op.kind == "move":
            if len(current) > 1:
                subpaths.append((current, False))
            current = [op.points[0]]
        elif op.kind == "line":
            current.append(op.points[0])
        elif op.kind == "curve":
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = current[-1], *op.points
            for s in range(1, steps + 1):
                t = s / steps
                u = 1 - t
                a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
                current.append(
                    (a * x0 + b * x1 + c * x2 + d * x3, a * y0 + b * y1 + c * y2 + d * y3)
                )
        else:
            if len(current) > 1:
                subpaths.append((current, True))
            current = [current[0]] if current else []
    if len(current) > 1:
        subpaths.append((current, False))
    return subpaths


def segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool:
    """True where segment ab and segment cd cross or touch (shared endpoints excluded)."""
    if {a, b} & {c, d}:
        return False

    def orient(p: Point, q: Point, r: Point) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    def on_segment(p: Point, q: Point, r: Point) -> bool:
        return min(p[0], q[0]) <= r[0] <= max(p[0], q[0]) and min(p[1], q[1]) <= r[1] <= max(
            p[1], q[1]
        )

    o1, o2, o3, o4 = orient(a, b, c), orient(a, b, d), orient(c, d, a), orient(c, d, b)
    if ((o1 > 0 > o2) or (o1 < 0 < o2)) and ((o3 > 0 > o4) or (o3 < 0 < o4)):
        return True
    eps = 1e-12
    return any(
        abs(o) < eps and on_segment(p, q, r)
        for o, p, q, r in ((o1, a, b, c), (o2, a, b, d), (o3, c, d, a), (o4, c, d, b))
    )


class Region:
    """The union of closed polygons, with edges filed by horizontal band for fast point tests.

    `contains` applies the even-odd rule to each polygon, but looks only at the edges whose
    height range meets the point's band: a few, instead of every edge.
    """

    BANDS = 64

    def __init__(self, polygons: Sequence[Sequence[Point]]) -> None:
        self._polygons: list[tuple[float, float, list[list[tuple[float, float, float, float]]]]]
        self._polygons = []
        for polygon in polygons:
            ys = [q[1] for q in polygon]
            top, bottom = min(ys), max(ys)
            pitch = (bottom - top) / self.BANDS or 1.0
            bands: list[list[tuple[float, float, float, float]]] = [[] for _ in range(self.BANDS)]
            for (x0, y0), (x1, y1) in zip(polygon, [*polygon[1:], polygon[0]], strict=True):
                if y0 == y1:
                    continue  # a level edge is never crossed by a level ray
                first = int((min(y0, y1) - top) / pitch)
                last = int((max(y0, y1) - top) / pitch)
                for band in range(max(first, 0), min(last, self.BANDS - 1) + 1):
                    bands[band].append((x0, y0, x1, y1))
            self._polygons.append((top, pitch, bands))

    def contains(self, p: Point) -> bool:
        x, y = p
        for top, pitch, bands in self._polygons:
            band = int((y - top) / pitch)
            if not 0 <= band < self.BANDS:
                continue
            inside = False
            for x0, y0, x1, y1 in bands[band]:
                if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                    inside = not inside
            if inside:
                return True
        return False


def rotate(p: Point, angle_deg: float) -> Point:
    """A vector turned by an angle (clockwise on screen, where y points down)."""
    a = math.radians(angle_deg)
    return (p[0] * math.cos(a) - p[1] * math.sin(a), p[0] * math.sin(a) + p[1] * math.cos(a))
