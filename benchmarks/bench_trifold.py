"""Benchmark of the tri-fold render against the standard leaflet's, side by side, in process.

`python benchmarks/bench_trifold.py [RUNS]` prints, for A4 and Letter, the median CPU time of
rendering the psoriasis example (the examples library's topic that fits the tri-fold) as the
standard leaflet and as the tri-fold, and their ratio. Runs alternate between the two, so that
load from other work on the machine falls on both.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaflet.edition import EDITIONS, compose  # noqa: E402
from leaflet.library import load_library  # noqa: E402
from leaflet.loader import load_located  # noqa: E402
from leaflet.renderers import Options  # noqa: E402
from leaflet.renderers.leaflet_pdf import render  # noqa: E402


def side_by_side(runs: int = 7, paper: str = "A4") -> dict[str, float]:
    """Median CPU seconds per edition ('leaflet', 'leaflet-trifold'), after one warm-up."""
    library = load_library(ROOT / "examples")
    topic = library.topic("psoriasis")
    document = load_located(topic.content, library.defaults(topic))[0]
    options = Options(project_dir=ROOT / "examples")
    size = "letter" if paper == "letter" else "A4"
    editions = {
        name: compose(document, EDITIONS[name].with_paper(size))
        for name in ("leaflet", "leaflet-trifold")
    }
    times: dict[str, list[float]] = {name: [] for name in editions}
    for edition in editions.values():
        render(edition, options)
    for _ in range(runs):
        for name, edition in editions.items():
            start = time.process_time()
            render(edition, options)
            times[name].append(time.process_time() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    for paper in ("A4", "letter"):
        medians = side_by_side(runs, paper)
        ratio = medians["leaflet-trifold"] / medians["leaflet"]
        print(
            f"{paper}: leaflet {medians['leaflet'] * 1000:.0f} ms,"
            f" tri-fold {medians['leaflet-trifold'] * 1000:.0f} ms (CPU, median of {runs});"
            f" tri-fold / leaflet {ratio:.2f}"
        )


if __name__ == "__main__":
    main()
