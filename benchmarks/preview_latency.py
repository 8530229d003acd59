"""Benchmark of `leaflet preview`: from saving content.yaml to the new leaflet pages on the page.

`python benchmarks/preview_latency.py [--runs 10] [--slides]` starts a preview of a copy of the
shipped content, opens it in headless Chromium (tests/cdp.py), and saves a new title RUNS
times, each once the previous build has finished, as a writer saves. Each run is timed from
the save (the file written) to the moment the page has swapped in the standard leaflet's new
page pictures, all loaded and decoded (the page's own clock, on the same machine). The
phases show what dominates: the watcher seeing the save, building the leaflet (load, render,
write) in the build process, drawing its pages as PNG, and the page fetching and showing them.
--slides lets LibreOffice draw the slides in the background, as it does for a user.

Side by side with each run (so that a busy machine slows both alike), the same save is built
and drawn directly in this process (`leaflet.build.build` of the leaflet, then its pages as
JPEG): the floor any preview must pay, against which the preview's own cost is reported.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaflet.build import build  # noqa: E402
from leaflet.preview.server import Preview  # noqa: E402
from leaflet.preview.worker import draw_pages  # noqa: E402
from tests import web_browser  # noqa: E402
from tests.cdp import Chromium  # noqa: E402

GOAL_S = 0.5
TITLE = "patient: Calcium deposits under the skin"
LEAFLET_PAGES = "#region-outputs section[data-key$='-leaflet'] ol.pages img"
WAIT = """new Promise(resolve => {
  const before = %s;
  const check = () => {
    const imgs = [...document.querySelectorAll("%s")];
    const srcs = imgs.map(i => i.getAttribute('src'));
    if (srcs.length && srcs.every(s => !before.includes(s))
        && imgs.every(i => i.complete && i.naturalWidth > 0)) {
      window.removeEventListener('preview-updated', check);
      resolve(performance.timeOrigin + performance.now());
    }
  };
  window.addEventListener('preview-updated', check);
})"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--slides", action="store_true", help="draw slides with LibreOffice")
    args = parser.parse_args()
    browser = web_browser.chromium()
    if browser is None:
        print("needs chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="preview-bench-"))
    shutil.copy(ROOT / "content.yaml", folder / "content.yaml")
    shutil.copytree(ROOT / "assets", folder / "assets")
    content = folder / "content.yaml"
    original = content.read_text("utf-8")
    direct = Path(tempfile.mkdtemp(prefix="preview-bench-direct-", dir="/dev/shm"))
    shutil.copy(ROOT / "content.yaml", direct / "content.yaml")
    shutil.copytree(ROOT / "assets", direct / "assets")
    (direct / "pictures").mkdir()
    _direct(direct, original, 0)  # warm, as the preview's build process is
    preview = Preview(content, libreoffice=bool(args.slides))
    preview.start()
    threading.Thread(target=preview.serve_forever, daemon=True).start()
    rows: list[dict[str, float]] = []
    try:
        with Chromium(browser) as chromium:
            tab = chromium.tab(preview.url)
            tab.wait_for(f"document.querySelectorAll({json.dumps(LEAFLET_PAGES)}).length >= 2")
            _idle(preview)
            for run in range(args.runs):
                before = tab.evaluate(
                    f"[...document.querySelectorAll({json.dumps(LEAFLET_PAGES)})]"
                    ".map(i => i.getAttribute('src'))"
                )
                tab.evaluate(f"window.benchWait = {WAIT % (json.dumps(before), LEAFLET_PAGES)}; 1")
                text = original.replace(TITLE, f"{TITLE} (edit {run + 1})", 1)
                saved_wall, saved = time.time(), time.monotonic()
                content.write_text(text, "utf-8")
                shown_wall = tab.evaluate("window.benchWait", timeout=60) / 1000
                timings = dict(preview.session.timings)
                rows.append(
                    {
                        "total": shown_wall - saved_wall,
                        "seen": timings["seen"] - saved,
                        "to_worker": timings["sent"] - timings["seen"],
                        "build": timings["leaflet:build_s"],
                        "draw": timings["leaflet:draw_s"],
                        "arrived": timings["leaflet:arrived"] - saved,
                    }
                )
                _idle(preview)
                rows[-1]["direct"] = _direct(direct, text, run + 1)
                time.sleep(0.3)
    finally:
        preview.close()
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(direct, ignore_errors=True)
    _report(rows, args.slides)
    return 0


def _direct(folder: Path, text: str, run: int) -> float:
    """Seconds to build the leaflet of text and draw its pages, in this process."""
    (folder / "content.yaml").write_text(text, "utf-8")
    started = time.monotonic()
    result = build(folder / "content.yaml", folder / "output", ["leaflet"], strict=None)
    draw_pages(result.outputs[0].path.read_bytes(), folder / "pictures", f"run{run}")
    return time.monotonic() - started


def _idle(preview: Preview) -> None:
    """Wait until the build of every edition is done (and the slides, when they are drawn)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        state = preview.session.state
        slides_busy = state.slides.status in ("waiting", "converting")
        if not state.building and len(state.outputs) == len(state.editions) and not slides_busy:
            return
        preview.session.wait_for(state.generation, 1.0)


def _report(rows: list[dict[str, float]], slides: bool) -> None:
    def ms(key: str) -> str:
        values = sorted(r[key] * 1000 for r in rows)
        return f"{statistics.median(values):6.0f} ms (min {values[0]:.0f}, max {values[-1]:.0f})"

    median = statistics.median(r["total"] for r in rows)
    verdict = "pass" if median <= GOAL_S else "FAIL"
    print(
        f"save to new leaflet pages shown, median of {len(rows)}: {median * 1000:.0f} ms"
        f" (goal <= {GOAL_S * 1000:.0f} ms: {verdict}){'; slides drawn too' if slides else ''}"
    )
    print(f"  the watcher sees the save      {ms('seen')}")
    print(f"  ... until the build is asked   {ms('to_worker')}")
    print(f"  build the leaflet (build())    {ms('build')}")
    print(f"  draw its pages as JPEG         {ms('draw')}")
    print(f"  save to pictures at the server {ms('arrived')}")
    print("  then: the event to the page, fetching and decoding the pictures, the swap")
    print(f"  all, as the page saw it        {ms('total')}")
    direct = statistics.median(r["direct"] for r in rows)
    print(
        f"side by side: build and draw alone {direct * 1000:.0f} ms; the preview"
        f" {median / direct:.2f}x that, {1000 * (median - direct):+.0f} ms (watching, the"
        " build process, the page)"
    )


if __name__ == "__main__":
    raise SystemExit(main())
