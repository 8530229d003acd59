"""Benchmark of the leaflet PDF render, in process after imports: median times, tagging's cost.

`python benchmarks/bench_leaflet.py [RUNS]` prints, for A4 and Letter, the median render time
and the cost of tagging (PDF/UA-1): CPU and wall time, tagged against untagged, and file size.
The untagged build exists only here: the tagger is swapped for pdfua.NullTagger. Runs alternate
between the two builds, so that load from other work on the machine falls on both; CPU time is
steadier than wall time on a shared machine.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaflet import pdfua  # noqa: E402
from leaflet.edition import EDITIONS, compose  # noqa: E402
from leaflet.edition.spec import Paper  # noqa: E402
from leaflet.loader import load  # noqa: E402
from leaflet.renderers import Options  # noqa: E402
from leaflet.renderers.leaflet_pdf import render  # noqa: E402


@contextlib.contextmanager
def untagged() -> Iterator[None]:
    """Renders inside the block are not tagged (the benchmark's baseline)."""
    real = pdfua.Tagger
    pdfua.Tagger = pdfua.NullTagger  # type: ignore[misc]
    try:
        yield
    finally:
        pdfua.Tagger = real  # type: ignore[misc]


def _paper(paper: str) -> Paper:
    return "letter" if paper == "letter" else "A4"


def bench_leaflet(runs: int = 7, paper: str = "A4") -> float:
    """Median seconds to render the shipped content to PDF bytes (after one warm-up)."""
    document = compose(load(ROOT / "content.yaml"), EDITIONS["leaflet"].with_paper(_paper(paper)))
    options = Options(project_dir=ROOT)
    render(document, options)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        render(document, options)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def tagging_cost(runs: int = 7, paper: str = "A4") -> dict[str, tuple[float, float]]:
    """(untagged, tagged) medians: "cpu" and "wall" seconds, "size" in bytes."""
    document = compose(load(ROOT / "content.yaml"), EDITIONS["leaflet"].with_paper(_paper(paper)))
    options = Options(project_dir=ROOT)
    with untagged():
        plain_size = len(render(document, options).data)  # also warms fonts, images, imports
    tagged_size = len(render(document, options).data)
    cpu: dict[bool, list[float]] = {False: [], True: []}
    wall: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(runs):
        for tagged in (False, True):
            with contextlib.nullcontext() if tagged else untagged():
                w, c = time.perf_counter(), time.process_time()
                render(document, options)
                wall[tagged].append(time.perf_counter() - w)
                cpu[tagged].append(time.process_time() - c)
    return {
        "cpu": (statistics.median(cpu[False]), statistics.median(cpu[True])),
        "wall": (statistics.median(wall[False]), statistics.median(wall[True])),
        "size": (float(plain_size), float(tagged_size)),
    }


def _change(pair: tuple[float, float]) -> str:
    return f"{(pair[1] / pair[0] - 1) * 100:+.1f} %"


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    for paper in ("A4", "letter"):
        print(f"leaflet render ({paper}): median {bench_leaflet(runs, paper) * 1000:.0f} ms")
        cost = tagging_cost(runs, paper)
        for name in ("cpu", "wall"):
            plain, tagged = cost[name]
            print(
                f"  {name:4}  untagged {plain * 1000:6.1f} ms  tagged {tagged * 1000:6.1f} ms"
                f"  {_change(cost[name])}  (median of {runs})"
            )
        plain_b, tagged_b = cost["size"]
        print(
            f"  size  untagged {plain_b / 1000:6.1f} kB  tagged {tagged_b / 1000:6.1f} kB"
            f"  {_change(cost['size'])}"
        )
