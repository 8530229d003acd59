"""Headless Chromium for the web edition's tests: layout at a given width, screenshots, axe-core.

Chromium's headless window is never narrower than 500 px, so the page is opened in an iframe of
the width asked for (its `srcdoc`, so the page's own CSP and bytes are left as they are) and the
frame's viewport is measured. axe-core runs inside a copy of the page without its CSP, which
would refuse the script, from AXE (npm's axe-core, installed outside the repo).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

AXE_HOME = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "leaflet-npm"
AXE = Path(os.environ.get("LEAFLET_AXE", AXE_HOME / "node_modules/axe-core/axe.min.js"))
"""axe-core's browser bundle: `npm install --prefix ~/.cache/leaflet-npm axe-core`."""
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_PROBE = re.compile(r'<pre id="probe">(.*?)</pre>', re.S)


def chromium() -> str | None:
    """The system browser, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _run(browser: str, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                f"--user-data-dir={profile}",
                *args,
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )


def _probe(browser: str, page: Path, window: tuple[int, int]) -> Any:
    done = _run(
        browser,
        page,
        f"--window-size={window[0]},{window[1]}",
        "--virtual-time-budget=20000",
        "--dump-dom",
    )
    found = _PROBE.search(done.stdout)
    if found is None:
        raise RuntimeError(f"the probe did not report: {done.stderr[-2000:]}")
    return json.loads(html.unescape(found.group(1)))


def _framed(page_html: str, width: int, height: int, script: str = "") -> str:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
        '<body style="margin:0">'
        f'<iframe id="page" style="border:0;display:block;width:{width}px;height:{height}px"'
        f' srcdoc="{html.escape(page_html, quote=True)}"></iframe>{script}</body></html>'
    )


MEASURE = """<script>
window.addEventListener('load', () => {
  const frame = document.getElementById('page');
  const doc = frame.contentDocument, win = frame.contentWindow;
  const out = document.createElement('pre'); out.id = 'probe';
  out.textContent = JSON.stringify({
    viewport: win.innerWidth,
    width: doc.documentElement.scrollWidth,
    height: doc.documentElement.scrollHeight,
    text: doc.body.innerText,
    lang: doc.documentElement.lang,
    dir: doc.documentElement.dir,
    scripts: doc.scripts.length,
  });
  document.body.appendChild(out);
});
</script>"""


def measure(browser: str, page_html: str, width: int) -> dict[str, Any]:
    """The page laid out `width` px wide: viewport, document width and height, visible text."""
    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / "probe.html"
        probe.write_text(_framed(page_html, width, 800, MEASURE), "utf-8")
        measured: dict[str, Any] = _probe(browser, probe, (max(width, 500) + 20, 900))
        return measured


def screenshot(browser: str, page_html: str, width: int, out: Path) -> Path:
    """A PNG of the whole page laid out `width` px wide (the frame's height is the page's)."""
    height = measure(browser, page_html, width)["height"]
    with tempfile.TemporaryDirectory() as folder:
        framed = Path(folder) / "framed.html"
        framed.write_text(_framed(page_html, width, height), "utf-8")
        _run(browser, framed, f"--window-size={max(width, 500)},{height}", f"--screenshot={out}")
    if width < 500:  # the window's extra width is blank: cut it off
        from PIL import Image

        with Image.open(out) as image:
            image.crop((0, 0, width, image.height)).save(out)
    return out


def axe(browser: str, page_html: str, width: int = 1280) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A and AA violations on the page: rule id, help and the nodes."""
    script = AXE.read_text("utf-8")
    tags = json.dumps(WCAG_22_AA)
    run = (
        f"<script>axe.run(document, {{runOnly: {{type: 'tag', values: {tags}}}}}).then(r => {{"
        "const out = document.createElement('pre'); out.id = 'probe';"
        "out.textContent = JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))})));"
        "document.body.appendChild(out);});</script>"
    )
    unguarded = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page_html)
    tested = unguarded.replace("</body>", f"<script>{script}</script>{run}</body>")
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "axe.html"
        page.write_text(tested, "utf-8")
        violations: list[dict[str, Any]] = _probe(browser, page, (width, 900))
        return violations
