"""Where a warm worker's time goes, topic by topic (opt-in, not part of the test run).

    python benchmarks/library_floor.py [--topics 20]

Builds a generated library (benchmarks/library.py's) in this process, one topic after another
as a worker does, after one topic to warm up, and reports the CPU time of each stage per topic
(median): what leaflet does itself, and what reportlab, pikepdf and python-pptx do. The last
rows are the floor: the libraries' own part, which no change in leaflet's code removes.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STAGES: list[tuple[str, str, str]] = [
    ("leaflet.loader", "load_located", "load and validate the content"),
    ("leaflet.checks.run", "_gate_findings", "quality gates"),
    ("leaflet.edition", "compose", "compose the 3 editions"),
    ("leaflet.renderers.leaflet_pdf.draw", "_story", "leaflets: flowables, trial layouts"),
    ("leaflet.renderers.leaflet_pdf.draw._Template", "build_numbered", "leaflets: reportlab"),
    ("leaflet.pdfua.Tagger", "finish", "leaflets: pikepdf tags"),
    ("leaflet.renderers.deck_pptx", "plan", "deck: slide plans"),
    ("leaflet.renderers.deck_pptx", "draw_slide", "deck: slides (python-pptx, XML)"),
    ("leaflet.deck.package", "package_bytes", "deck: python-pptx package write"),
    ("leaflet.build", "write_all", "write the files"),
]


def _target(dotted: str) -> Any:
    import importlib

    module, _, attribute = dotted.rpartition(".")
    try:
        return importlib.import_module(dotted)
    except ModuleNotFoundError:
        return getattr(importlib.import_module(module), attribute)


def _wrap(owner: Any, name: str, label: str, spent: dict[str, float]) -> None:
    original: Callable[..., Any] = getattr(owner, name)
    depth = [0]

    @functools.wraps(original)
    def timed(*args: Any, **kwargs: Any) -> Any:
        depth[0] += 1
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                spent[label] += time.process_time() - start

    setattr(owner, name, timed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=20)
    args = parser.parse_args()
    from benchmarks.library import make_library
    from leaflet.library import find_topics, load_library
    from leaflet.library_build import build_one

    spent: dict[str, float] = defaultdict(float)
    for dotted, name, label in STAGES:
        _wrap(_target(dotted), name, label, spent)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["LEAFLET_RECORD_KEY_FILE"] = str(Path(tmp) / "record.key")
        make_library(Path(tmp) / "lib", args.topics + 1)
        library = load_library(Path(tmp) / "lib")
        topics = find_topics(library.root)
        build_one(library, topics[0], library.out_dir, (), None, True, False)
        per_topic: dict[str, list[float]] = defaultdict(list)
        totals = []
        for topic in topics[1:]:
            spent.clear()
            start = time.process_time()
            outcome = build_one(library, topic, library.out_dir, (), None, True, False)
            totals.append(time.process_time() - start)
            assert not outcome.failed, outcome.problems
            for _, _, label in STAGES:
                per_topic[label].append(spent[label])
    total = statistics.median(totals) * 1000
    print(f"| stage (CPU ms a topic, median of {args.topics}) | ms | share |")
    print("|---|---:|---:|")
    counted = 0.0
    for _, _, label in STAGES:
        ms = statistics.median(per_topic[label]) * 1000
        counted += ms
        print(f"| {label} | {ms:.1f} | {ms / total:.0%} |")
    rest = total - counted
    print(f"| the rest (deck template, properties, thumbnail; record; glue) | {rest:.1f} | |")
    print(f"| **a topic in all** | **{total:.0f}** | |")
    floor = sum(
        statistics.median(per_topic[label]) * 1000
        for label in (
            "leaflets: reportlab",
            "leaflets: pikepdf tags",
            "deck: python-pptx package write",
        )
    )
    print(
        f"\nfloor (reportlab laying out and drawing both leaflets, pikepdf tagging them,"
        f" python-pptx writing the deck): {floor:.0f} ms a topic"
    )


if __name__ == "__main__":
    main()
