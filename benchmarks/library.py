"""Library build benchmark (opt-in, not part of the test run): a generated library of N topics.

    python benchmarks/library.py [--topics 100] [--jobs 2] [--runs 1]

Builds the library cold on --jobs workers (every topic's leaflet, large print and deck), then
again with nothing changed (the no-op), and side by side in the same run pandoc writing the same
number of decks from equivalent Markdown (`pandoc -t pptx`), sequentially and two at a time.
Prints medians and the ratios; the issue's target is a cold build in at most half pandoc's time.
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


def make_library(root: Path, count: int) -> None:
    """The shipped content under other slugs and titles, its organisation in leaflet.toml."""
    (root / "assets").mkdir(parents=True)
    shutil.copy(ROOT / "assets" / "logo.png", root / "assets" / "logo.png")
    (root / "leaflet.toml").write_text(
        'title = "Benchmark library"\n[organisation]\nname = "Riverside Skin Clinic"\n'
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
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


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
    args = parser.parse_args()
    if shutil.which("pandoc") is None:
        sys.exit("pandoc is not installed (apt-get install -y pandoc)")
    leaflet = [sys.executable, "-m", "leaflet", "build"]
    cold, noop, seq, par = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "LEAFLET_RECORD_KEY_FILE": str(Path(tmp) / "record.key")}
        for run in range(args.runs):
            lib = Path(tmp) / f"lib-{run}"
            make_library(lib, args.topics)
            cold.append(timed([*leaflet, str(lib), "--jobs", str(args.jobs)], env))
            noop.append(timed([*leaflet, str(lib), "--jobs", str(args.jobs)], env))
            md = Path(tmp) / f"md-{run}"
            md.mkdir()
            seq.append(pandoc_decks(md, args.topics, 1))
            par.append(pandoc_decks(md, args.topics, args.jobs))
            files = len(list((lib / "output").glob("*.p*")))
            print(f"run {run + 1}: {files} files", file=sys.stderr)
    m = {k: statistics.median(v) for k, v in (("cold", cold), ("noop", noop), ("seq", seq))}
    m["par"] = statistics.median(par)
    n, j = args.topics, args.jobs
    print(f"| what ({n} topics) | median s | per topic ms |")
    print("|---|---:|---:|")
    print(
        f"| leaflet, cold, {j} workers, 3 editions each | {m['cold']:.1f}"
        f" | {m['cold'] / n * 1000:.0f} |"
    )
    print(f"| leaflet, nothing changed | {m['noop']:.2f} | {m['noop'] / n * 1000:.1f} |")
    print(
        f"| pandoc -t pptx, decks only, sequential | {m['seq']:.1f} | {m['seq'] / n * 1000:.0f} |"
    )
    print(
        f"| pandoc -t pptx, decks only, {j} at a time | {m['par']:.1f}"
        f" | {m['par'] / n * 1000:.0f} |"
    )
    print(
        f"\nleaflet cold / pandoc {j}-parallel: {m['cold'] / m['par']:.2f}"
        f" (target <= 0.5 of sequential: {m['cold'] / m['seq']:.2f})"
    )


if __name__ == "__main__":
    main()
