"""Library build benchmark (opt-in, not part of the test run): a generated library of N topics.

    python benchmarks/library.py [--topics 100] [--jobs 2] [--runs 3] [--web]

Each run, in one process tree and side by side: the library built cold on --jobs workers (every
topic's leaflet, large print and deck: 3N files; --web adds the web page), again with nothing
changed (the no-op), again after one topic's content was edited (only it rebuilds), then pandoc
writing the same number of decks from equivalent Markdown (`pandoc -t pptx`), sequentially and
--jobs at a time. Once: a worker's peak memory (one worker, every topic of 10 and of N).
Prints medians and the ratios; the issue's target is a cold build in at most half pandoc's
sequential time.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


EDITIONS = ("leaflet", "leaflet-large", "deck")
"""What the issue's goal counts: 3 files a topic."""


def make_library(root: Path, count: int, editions: tuple[str, ...] = EDITIONS) -> None:
    """The shipped content under other slugs and titles, its organisation in leaflet.toml."""
    (root / "assets").mkdir(parents=True)
    shutil.copy(ROOT / "assets" / "logo.png", root / "assets" / "logo.png")
    listed = ", ".join(f'"{e}"' for e in editions)
    (root / "leaflet.toml").write_text(
        f'title = "Benchmark library"\neditions = [{listed}]\n'
        '[organisation]\nname = "Riverside Skin Clinic"\n'
        'phone = "01632 960 123"\nwebsite = "https://skin.example.org"\n'
        'logo = "assets/logo.png"\n'
    )
    text = (ROOT / "content.yaml").read_text()
    text = re.sub(r"  organisation:\n(    .*\n)+", "", text)
    text = text.replace("  slug: calcinosis-cutis\n", "")
    for i in range(count):
        folder = root / "topics" / f"topic-{i:03d}"
        folder.mkdir(parents=True)
        title = f"patient: Calcium deposits under the skin ({i})"
        (folder / "content.yaml").write_text(
            text.replace("patient: Calcium deposits under the skin", title, 1)
        )


def markdown(i: int) -> str:
    """Markdown with the deck's matter (title, sections as slides, a table, references)."""
    from leaflet.loader import load

    document = load(ROOT / "content.yaml")
    lines = [f"% {document.meta.title.clinician} ({i})", f"% {document.meta.organisation.name}"]
    for section in document.sections:
        lines += ["", f"# {section.heading.clinician}", ""]
        lines += [f"- {p.clinician}" for p in section.paragraphs]
    lines += ["", "# Treatments", "", "| Treatment | Evidence |", "|---|---|"]
    lines += [f"| {t.name.clinician} | {t.evidence} |" for t in document.treatments]
    lines += ["", "# References", ""] + [f"- {s.citation.strip()}" for s in document.sources]
    return "\n".join(lines) + "\n"


class Clock:
    """Wall time, and the CPU time of every process started meanwhile (workers included: each
    process's time counts once it has been waited for), which a busy machine disturbs less."""

    def __enter__(self) -> Clock:
        self.start, self.cpu_start = time.perf_counter(), _children_cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.start
        self.cpu = _children_cpu() - self.cpu_start


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], env: dict[str, str] | None = None) -> Clock:
    return timed_output(command, env)[0]


def timed_output(command: list[str], env: dict[str, str] | None = None) -> tuple[Clock, str]:
    with Clock() as clock:
        done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True, env=env)
    return clock, done.stdout


def peak_rss_mb(command: list[str], env: dict[str, str]) -> float:
    """The command's peak resident memory (one process: run it with --jobs 1)."""
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command)
    return usage.ru_maxrss / 1024


def edit_one(lib: Path, run: int) -> str:
    """One topic's content changed as a writer would change it; its slug."""
    slug = "topic-007"
    content = lib / "topics" / slug / "content.yaml"
    text = content.read_text()
    content.write_text(text.replace("The lumps are white.", f"The lumps are white ({run}).", 1))
    return slug


def pandoc_decks(folder: Path, count: int, parallel: int) -> Clock:
    sources = []
    text = {i: markdown(i) for i in range(count)}
    for i in range(count):
        path = folder / f"topic-{i:03d}.md"
        path.write_text(text[i])
        sources.append(path)

    def one(path: Path) -> None:
        subprocess.run(
            ["pandoc", str(path), "-t", "pptx", "-o", str(path.with_suffix(".pptx"))],
            check=True,
        )

    with Clock() as clock, ThreadPoolExecutor(parallel) as pool:
        list(pool.map(one, sources))
    return clock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--web", action="store_true", help="also build each topic's web page")
    parser.add_argument("--no-rss", action="store_true", help="skip the memory measurements")
    args = parser.parse_args()
    if shutil.which("pandoc") is None:
        sys.exit("pandoc is not installed (apt-get install -y pandoc)")
    editions = (*EDITIONS, "web") if args.web else EDITIONS
    leaflet = [sys.executable, "-m", "leaflet", "build"]
    jobs = ["--jobs", str(args.jobs)]
    clocks: dict[str, list[Clock]] = {k: [] for k in ("cold", "noop", "edit", "seq", "par")}
    rss: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LEAFLET_RECORD_KEY_FILE": str(Path(tmp) / "record.key")}
        for run in range(args.runs):
            lib = Path(tmp) / f"lib-{run}"
            make_library(lib, args.topics, editions)
            md = Path(tmp) / f"md-{run}"
            md.mkdir()
            # interleaved, so that a change in the machine's load falls on both
            clocks["seq"].append(pandoc_decks(md, args.topics, 1))
            clocks["cold"].append(timed([*leaflet, str(lib), *jobs], env))
            clocks["par"].append(pandoc_decks(md, args.topics, args.jobs))
            clocks["noop"].append(timed([*leaflet, str(lib), *jobs], env))
            slug = edit_one(lib, run)
            clock, out = timed_output([*leaflet, str(lib), *jobs], env)
            clocks["edit"].append(clock)
            assert f"1 rebuilt ({slug})" in out, out
            files = len([p for p in (lib / "output").iterdir() if p.suffix in (".pdf", ".pptx")])
            print(f"run {run + 1}: {files} files", file=sys.stderr)
        if not args.no_rss:
            for count in sorted({10, args.topics}):
                lib = Path(tmp) / f"rss-{count}"
                make_library(lib, count, editions)
                rss[count] = peak_rss_mb([*leaflet, str(lib), "--jobs", "1"], env)
    wall = {k: statistics.median(c.wall for c in v) for k, v in clocks.items()}
    cpu = {k: statistics.median(c.cpu for c in v) for k, v in clocks.items()}
    n, j = args.topics, args.jobs
    what = f"{len(editions)} editions each ({len(editions) * n} files)"
    print(f"| what ({n} topics; median of {args.runs}) | wall s | CPU s | CPU ms a topic |")
    print("|---|---:|---:|---:|")
    rows = [
        (f"leaflet, cold, {j} workers, {what}", "cold"),
        (f"pandoc -t pptx, {n} decks only, sequential", "seq"),
        (f"pandoc -t pptx, {n} decks only, {j} at a time", "par"),
        ("leaflet, nothing changed", "noop"),
        ("leaflet, one topic edited (it alone rebuilds)", "edit"),
    ]
    for label, key in rows:
        print(f"| {label} | {wall[key]:.2f} | {cpu[key]:.2f} | {cpu[key] / n * 1000:.0f} |")
    for count, mb in rss.items():
        print(f"| peak memory, one worker building {count} topics | {mb:.0f} MB | | |")
    print(
        f"\nleaflet cold on {j} workers / pandoc sequential, wall: {wall['cold'] / wall['seq']:.2f}"
        f" (goal <= 0.5); / pandoc {j} at a time: {wall['cold'] / wall['par']:.2f}"
    )
    print(
        f"on an idle machine ({j} workers each with a core): leaflet's CPU / {j} / pandoc's CPU"
        f" = {cpu['cold'] / j / cpu['seq']:.2f}"
    )


if __name__ == "__main__":
    main()
