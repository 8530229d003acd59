"""How fast leaflet builds, as ratios to the cost of importing its rendering libraries.

Run from the repository root:  python benchmarks/bench.py [--runs 7] [CONTENT]

Whole-process figures run each command in a fresh interpreter, interleaved round by round so
that a noisy machine slows all of them alike; each figure is the median of the runs. The floor is
`python -c "import reportlab.platypus, pptx, PIL.Image"`: no build can start faster than that.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "import reportlab.platypus, pptx, PIL.Image"

RENDER_CHILD = """
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
import leaflet.renderers.leaflet_pdf, leaflet.renderers.deck_pptx
from leaflet.loader import load
from leaflet.edition import EDITIONS, compose
from leaflet.renderers import RENDERERS, Options
content = Path(sys.argv[1])
document = load(content)
options = Options(project_dir=content.resolve().parent)
t1 = time.perf_counter()
times = {"imports_and_load": t1 - t0}
def render(name):
    spec = EDITIONS[name]
    return RENDERERS[spec.format].render(compose(document, spec), options)
for name in ("leaflet", "deck"):
    start = time.perf_counter()
    rendered = render(name)
    times["first_" + name] = time.perf_counter() - start
    times["size_" + name] = len(rendered.data)
warm = {"leaflet": [], "deck": []}
for _ in range(int(sys.argv[2])):
    for name in warm:
        start = time.perf_counter()
        render(name)
        warm[name].append(time.perf_counter() - start)
for name, values in warm.items():
    times["warm_" + name] = sorted(values)[len(values) // 2]
print(json.dumps(times))
"""

IMPORTS_CHILD = """
import importlib, sys
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except ImportError:
        pass  # a name only a running program registers (an alias, a frozen module)
"""
"""Imports every module a build ended with, and does nothing else: the build's own floor."""

BUILD_CHILD = """
import json, resource, sys
from leaflet.cli import cli
try:
    cli.main(args=sys.argv[1:], prog_name="leaflet")
except SystemExit as exc:
    if exc.code:
        raise
scale = 1 if sys.platform != "darwin" else 1024  # ru_maxrss is KiB on Linux, bytes on macOS
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // scale
modules = sorted(name for name in sys.modules if not name.endswith("__main__"))
print(json.dumps({"peak_kb": peak, "modules": modules}))
"""
"""A build in process: its peak memory, and the modules it ended with."""


@dataclass(frozen=True)
class Row:
    """One line of the table."""

    what: str
    value: str
    goal: str
    ok: bool | None
    """None when the row has no goal."""


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def timed(args: Sequence[str]) -> float:
    """Seconds for one fresh interpreter to run args; a failure stops the benchmark."""
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=environment(), cwd=ROOT)
    return time.perf_counter() - start


def leaflet(*args: str) -> list[str]:
    return [sys.executable, "-m", "leaflet", *args]


def median_of(runs: int, commands: dict[str, Callable[[], float]]) -> dict[str, float]:
    """Each command run `runs` times, interleaved; the median seconds of each."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(command())
    return {name: statistics.median(values) for name, values in samples.items()}


def child_output(code: str, *args: str) -> str:
    """The last line a fresh interpreter running code prints (what comes before is the build's
    own report)."""
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        check=True,
        capture_output=True,
        text=True,
        env=environment(),
        cwd=ROOT,
    )
    return result.stdout.splitlines()[-1]


def child_json(code: str, *args: str) -> dict[str, Any]:
    return dict(json.loads(child_output(code, *args)))


def measure(content: Path, runs: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as temp:
        cold_out, noop_out, mem_out = (Path(temp) / name for name in ("cold", "noop", "mem"))
        subprocess.run(
            leaflet("build", str(content), "--out", str(noop_out)),
            check=True,
            capture_output=True,
            env=environment(),
            cwd=ROOT,
        )
        built = [
            child_json(BUILD_CHILD, "build", str(content), "--out", str(mem_out), "--force")
            for _ in range(3)
        ]
        modules: list[str] = built[0]["modules"]
        whole = median_of(
            runs,
            {
                "floor": lambda: timed([sys.executable, "-c", FLOOR]),
                "imports": lambda: timed([sys.executable, "-c", IMPORTS_CHILD, *modules]),
                "cold": lambda: timed(
                    leaflet("build", str(content), "--out", str(cold_out), "--force")
                ),
                "noop": lambda: timed(leaflet("build", str(content), "--out", str(noop_out))),
                "help": lambda: timed(leaflet("--help")),
                "check": lambda: timed(leaflet("check", str(content))),
            },
        )
        renders = [child_json(RENDER_CHILD, str(content), str(runs)) for _ in range(runs)]
    render = {key: statistics.median(r[key] for r in renders) for key in renders[0]}
    floor = whole["floor"]

    def ratio_row(what: str, key: str, goal: float | None) -> Row:
        ratio = whole[key] / floor
        return Row(
            what,
            f"{whole[key] * 1000:.0f} ms = {ratio:.2f}x floor",
            f"<= {goal}x" if goal else "",
            ratio <= goal if goal else None,
        )

    warm_both = render["warm_leaflet"] + render["warm_deck"]
    first_both = render["first_leaflet"] + render["first_deck"]
    peak_mb = max(b["peak_kb"] for b in built) / 1024
    pdf_kb, deck_kb = render["size_leaflet"] / 1024, render["size_deck"] / 1024
    return [
        Row(
            "floor: import reportlab.platypus, pptx, PIL.Image", f"{floor * 1000:.0f} ms", "", None
        ),
        ratio_row(f"imports alone: the {len(modules)} modules a build loads", "imports", None),
        ratio_row("cold `leaflet build` (both files, --force)", "cold", 1.5),
        Row(
            "cold build less its imports",
            f"{(whole['cold'] - whole['imports']) * 1000:.0f} ms",
            "",
            None,
        ),
        ratio_row("no-op rebuild (nothing changed)", "noop", 0.5),
        ratio_row("`leaflet --help`", "help", None),
        ratio_row("`leaflet check`", "check", None),
        Row(
            "render both, in-process, after imports (warm)",
            f"{warm_both * 1000:.0f} ms (leaflet {render['warm_leaflet'] * 1000:.0f},"
            f" deck {render['warm_deck'] * 1000:.0f})",
            "<= 40 ms",
            warm_both <= 0.040,
        ),
        Row(
            "render both, first call in a process (after imports)",
            f"{first_both * 1000:.0f} ms (leaflet {render['first_leaflet'] * 1000:.0f},"
            f" deck {render['first_deck'] * 1000:.0f})",
            "",
            None,
        ),
        Row("leaflet PDF size", f"{pdf_kb:.1f} KB", "<= 80 KB", pdf_kb <= 80),
        Row("deck PPTX size", f"{deck_kb:.1f} KB", "<= 120 KB", deck_kb <= 120),
        Row(
            "peak memory of a cold build (ru_maxrss, process + children)",
            f"{peak_mb:.0f} MB",
            "<= 120 MB",
            peak_mb <= 120,
        ),
    ]


def table(rows: Sequence[Row], runs: int) -> str:
    lines = [
        f"| measure (median of {runs} runs) | value | goal | |",
        "| --- | --- | --- | --- |",
    ]
    marks = {True: "pass", False: "FAIL", None: ""}
    lines += [f"| {r.what} | {r.value} | {r.goal} | {marks[r.ok]} |" for r in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?", default="content.yaml", type=Path)
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (default 7)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if any goal is missed")
    args = parser.parse_args(argv)
    content = args.content if args.content.is_absolute() else ROOT / args.content
    rows = measure(content, max(args.runs, 1))
    print(table(rows, args.runs))
    print(f"\n{sys.implementation.name} {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    return 1 if args.strict and any(r.ok is False for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
