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


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    return timed_output(command, env)[0]


def timed_output(command: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True, env=env)
    return time.perf_counter() - start, done.stdout


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


def pandoc_decks(folder: Path, count: int, parallel: int) -> float:
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

    start = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(one, sources))
    return time.perf_counter() - start


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
    times: dict[str, list[float]] = {k: [] for k in ("cold", "noop", "edit", "seq", "par")}
    rss: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LEAFLET_RECORD_KEY_FILE": str(Path(tmp) / "record.key")}
        for run in range(args.runs):
            lib = Path(tmp) / f"lib-{run}"
            make_library(lib, args.topics, editions)
            times["cold"].append(timed([*leaflet, str(lib), *jobs], env))
            times["noop"].append(timed([*leaflet, str(lib), *jobs], env))
            slug = edit_one(lib, run)
            seconds, out = timed_output([*leaflet, str(lib), *jobs], env)
            times["edit"].append(seconds)
            assert f"1 rebuilt ({slug})" in out, out
            md = Path(tmp) / f"md-{run}"
            md.mkdir()
            times["seq"].append(pandoc_decks(md, args.topics, 1))
            times["par"].append(pandoc_decks(md, args.topics, args.jobs))
            files = len([p for p in (lib / "output").iterdir() if p.suffix in (".pdf", ".pptx")])
            print(f"run {run + 1}: {files} files", file=sys.stderr)
        if not args.no_rss:
            for count in sorted({10, args.topics}):
                lib = Path(tmp) / f"rss-{count}"
                make_library(lib, count, editions)
                rss[count] = peak_rss_mb([*leaflet, str(lib), "--jobs", "1"], env)
    m = {k: statistics.median(v) for k, v in times.items()}
    n, j = args.topics, args.jobs
    what = f"{len(editions)} editions each ({len(editions) * n} files)"
    print(f"| what ({n} topics; median of {args.runs}) | s | per topic ms |")
    print("|---|---:|---:|")
    rows = [
        (f"leaflet, cold, {j} workers, {what}", m["cold"]),
        (f"pandoc -t pptx, {n} decks only, sequential", m["seq"]),
        (f"pandoc -t pptx, {n} decks only, {j} at a time", m["par"]),
        ("leaflet, nothing changed", m["noop"]),
        ("leaflet, one topic edited (it alone rebuilds)", m["edit"]),
    ]
    for label, value in rows:
        print(f"| {label} | {value:.2f} | {value / n * 1000:.0f} |")
    for count, mb in rss.items():
        print(f"| peak memory, one worker building {count} topics | {mb:.0f} MB | |")
    print(
        f"\nleaflet cold / pandoc sequential: {m['cold'] / m['seq']:.2f} (goal <= 0.5);"
        f" / pandoc {j} at a time: {m['cold'] / m['par']:.2f}"
    )


if __name__ == "__main__":
    main()
