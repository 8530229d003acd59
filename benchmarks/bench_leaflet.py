"""Benchmark of the leaflet PDF render, in process after imports: prints the median of runs."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaflet.loader import load  # noqa: E402
from leaflet.renderers import Options  # noqa: E402
from leaflet.renderers.leaflet_pdf import render  # noqa: E402


def bench_leaflet(runs: int = 7, paper: str = "A4") -> float:
    """Median seconds to render the shipped content to PDF bytes (after one warm-up)."""
    document = load(ROOT / "content.yaml")
    options = Options(project_dir=ROOT, paper=paper)
    render(document, options)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render(document, options)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


if __name__ == "__main__":
    for paper in ("A4", "letter"):
        print(
            f"leaflet render ({paper}): median {bench_leaflet(paper=paper) * 1000:.0f} ms of 7 runs"
        )
