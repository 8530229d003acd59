"""Label layout: spread labels down a column without overlap, then untangle crossing leaders."""

from __future__ import annotations

import math
from collections.abc import Sequence

from leaflet.diagram.paths import Point, segments_cross


def spread(desired: Sequence[float], pitch: float, lo: float, hi: float) -> list[float]:
    """Centres as near the desired ones (sorted ascending) as a gap of `pitch` between them allows.

    Touching labels form groups centred on their members' wishes, kept within [lo, hi]; `hi` is
    raised when the labels need more room than the band has.
    """
    hi = max(hi, lo + (len(desired) - 1) * pitch)
    groups: list[list[float]] = []
    tops: list[float] = []

    def best_top(group: list[float]) -> float:
        wish = sum(d - k * pitch for k, d in enumerate(group)) / len(group)
        return min(max(wish, lo), hi - (len(group) - 1) * pitch)

    for d in desired:
        groups.append([d])
        tops.append(best_top([d]))
        while len(groups) > 1 and tops[-2] + len(groups[-2]) * pitch > tops[-1] + 1e-12:
            last = groups.pop()
            tops.pop()
            groups[-1] += last
            tops[-1] = best_top(groups[-1])
    return [
        top + k * pitch for top, group in zip(tops, groups, strict=True) for k in range(len(group))
    ]


def distance_to_segment(p: Point, a: Point, b: Point) -> float:
    """Shortest distance from point p to segment ab."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2
    t = min(1.0, max(0.0, t))
    return math.dist(p, (a[0] + t * dx, a[1] + t * dy))


def untangle(starts: list[Point], ends: Sequence[Point]) -> list[Point]:
    """Swap leader starts between crossing leaders until none cross.

    Each swap shortens the leaders' total length (two crossing segments are the diagonals of a
    quadrilateral, longer than either pair of its opposite sides), so the loop ends.
    """
    starts = list(starts)
    changed = True
    while changed:
        changed = False
        for i in range(len(starts)):
            for j in range(i + 1, len(starts)):
                if segments_cross(starts[i], ends[i], starts[j], ends[j]):
                    starts[i], starts[j] = starts[j], starts[i]
                    changed = True
    return starts
