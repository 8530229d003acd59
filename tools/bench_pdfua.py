"""Tagging overhead on the synthetic leaflet: render time (median of 5) and file size.

Runs alternate between the untagged and the tagged build so that load from other work on the
machine falls on both; CPU time is shown beside wall time because it is steadier there.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from pdfua_sample import build


def main(runs: int = 5) -> None:
    build(tagged=True)  # warm caches: fonts, images, imports
    build(tagged=False)
    wall: dict[bool, list[float]] = {False: [], True: []}
    cpu: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(runs):
        for tagged in (False, True):
            w, c = time.perf_counter(), time.process_time()
            build(tagged=tagged)
            wall[tagged].append(time.perf_counter() - w)
            cpu[tagged].append(time.process_time() - c)
    for name, times in (("wall", wall), ("cpu", cpu)):
        plain, tagged = statistics.median(times[False]), statistics.median(times[True])
        print(
            f"{name:4}  untagged {plain * 1000:6.1f} ms  tagged {tagged * 1000:6.1f} ms  "
            f"{(tagged / plain - 1) * 100:+.1f} %"
        )
    plain_b, tagged_b = len(build(tagged=False)), len(build(tagged=True))
    print(
        f"size  untagged {plain_b:6d} B   tagged {tagged_b:6d} B   "
        f"{(tagged_b / plain_b - 1) * 100:+.1f} %"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
