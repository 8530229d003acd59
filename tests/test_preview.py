"""`leaflet preview`: the page a writer keeps open, read over HTTP and in headless Chromium.

The preview runs in this process (its builds in their own, as always); the HTTP tests speak
raw requests, so that paths reach the server exactly as written. The browser tests drive
Debian's chromium over the DevTools pipe (tests/cdp.py) and are skipped, saying why, without it.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from leaflet.preview.server import Preview
from leaflet.preview.session import State
from tests import web_browser
from tests.conftest import ROOT

TITLE = "Calcium deposits under the skin"
EDITED = "Lumps of calcium in the skin"


def settled(preview: Preview, timeout: float = 120.0) -> State:
    """The state once a build has finished with every edition the content asks for."""
    deadline = time.monotonic() + timeout
    state = preview.session.state
    while time.monotonic() < deadline:
        state = preview.session.state
        own = [o for o in state.outputs if o.language == state.language]
        done = not state.building and (state.problems or len(own) == len(state.editions))
        if done and state.editions:
            return state
        preview.session.wait_for(state.generation, 1.0)
    raise AssertionError(f"the preview did not settle: {state}")


def until(preview: Preview, test: object, timeout: float = 60.0) -> State:
    """The first state for which test(state) is true."""
    deadline = time.monotonic() + timeout
    state = preview.session.state
    while time.monotonic() < deadline:
        state = preview.session.state
        if test(state):  # type: ignore[operator]
            return state
        preview.session.wait_for(state.generation, 0.5)
    raise AssertionError(f"not reached within {timeout} s: {state}")


@contextlib.contextmanager
def previewing(content: Path, **options: Any) -> Iterator[Preview]:
    """A running preview of content, serving on a thread of this process."""
    preview = Preview(content, **{"libreoffice": False, **options})
    preview.start()
    thread = threading.Thread(target=preview.serve_forever, daemon=True)
    thread.start()
    try:
        yield preview
    finally:
        preview.close()
        thread.join(timeout=10)


def copy_project(folder: Path) -> Path:
    shutil.copy(ROOT / "content.yaml", folder / "content.yaml")
    shutil.copytree(ROOT / "assets", folder / "assets")
    return folder / "content.yaml"


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """One preview of a copy of the shipped project for the tests that only read from it
    (slides left out: LibreOffice is slow, and its own test below draws them)."""
    with previewing(copy_project(tmp_path_factory.mktemp("shared"))) as preview:
        settled(preview)
        yield preview


@pytest.fixture
def running(project: Path) -> Iterator[Preview]:
    """A preview of its own, for a test that edits the content."""
    with previewing(project / "content.yaml") as preview:
        yield preview


def get(
    preview: Preview, path: str, host: str | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """A raw request: the path is sent exactly as given."""
    connection = http.client.HTTPConnection("127.0.0.1", preview.server.port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host or f"127.0.0.1:{preview.server.port}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


# What the page serves


def test_the_page_shows_every_edition_and_serves_its_pictures(shared: Preview) -> None:
    state = settled(shared)
    assert [o.edition for o in state.outputs] == ["leaflet", "leaflet-large", "deck", "web"]
    status, headers, body = get(shared, "/")
    page = body.decode()
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert f'<h1 id="region-title">Preview: <span lang="en-GB">{TITLE}</span></h1>' in page
    leaflet = state.outputs[0]
    assert len(leaflet.pictures) == leaflet.units == 2
    for name, width, height in leaflet.pictures:
        assert f'src="/pictures/{name}" width="{width}" height="{height}"' in page
        status, headers, jpeg = get(shared, f"/pictures/{name}")
        assert status == 200 and headers["Content-Type"] == "image/jpeg"
        assert jpeg.startswith(b"\xff\xd8\xff")
    status, headers, pdf = get(shared, "/files/calcinosis-cutis-leaflet.pdf")
    assert status == 200 and pdf.startswith(b"%PDF")
    status, headers, _web = get(shared, "/files/calcinosis-cutis-web.html")
    assert status == 200 and headers["Content-Security-Policy"].startswith("sandbox;")
    assert '<iframe class="web" src="/files/calcinosis-cutis-web.html?v=' in page
    assert 'sandbox=""' in page
    # LibreOffice was left out: the page says so instead of failing
    assert "LibreOffice is not installed on this computer" in page
    assert "The content passes every check" in page
    # the preview builds into its own folder, not the project's output/
    assert not (shared.content.parent / "output").exists()


def test_the_update_stream_sends_the_regions_as_json(shared: Preview) -> None:
    settled(shared)
    connection = http.client.HTTPConnection("127.0.0.1", shared.server.port, timeout=30)
    connection.request("GET", "/events", headers={"Host": f"localhost:{shared.server.port}"})
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/event-stream"
    line = response.fp.readline()
    assert line.startswith(b"data: ")
    update = json.loads(line.removeprefix(b"data: "))
    assert update["generation"] == shared.session.state.generation
    assert set(update["regions"]) == {"title", "status", "nav", "problems", "outputs", "checks"}
    connection.close()


def test_builds_run_in_a_process_with_a_memory_limit(shared: Preview) -> None:
    from leaflet.preview.worker import MEMORY_LIMIT

    worker = shared.session._worker
    assert worker is not None and worker.process.pid != os.getpid()
    limits = Path(f"/proc/{worker.process.pid}/limits")
    if not limits.exists():
        pytest.skip("no /proc on this system")
    line = next(x for x in limits.read_text().splitlines() if x.startswith("Max address space"))
    assert line.split()[3] == str(MEMORY_LIMIT)


TRAVERSALS = [
    "/files/../content.yaml",
    "/files/..%2fcontent.yaml",
    "/files/%2e%2e/content.yaml",
    "/files/%2e%2e%2fcontent.yaml",
    "/files/%252e%252e%252fcontent.yaml",
    "/files/..\\content.yaml",
    "/files//etc/passwd",
    "/files/%2fetc%2fpasswd",
    "/files/%2Fetc%2Fpasswd",
    "//etc/passwd",
    "/../../../../etc/passwd",
    "/pictures/../output/calcinosis-cutis-leaflet.pdf",
    "/pictures/..%2foutput%2fcalcinosis-cutis-leaflet.pdf",
    "/files/.leaflet-build.json",
    "/files/calcinosis-cutis-leaflet.pdf/..",
    "/files/calcinosis-cutis-leaflet.pdf%00.jpg",
    "/files/es/../calcinosis-cutis-leaflet.pdf",
    "/files/../es/calcinosis-cutis-leaflet.pdf",
    "/files/es/es/calcinosis-cutis-leaflet.pdf",
    "/files/ES/calcinosis-cutis-leaflet.pdf",
    "/files/es%2fcalcinosis-cutis-leaflet.pdf",
    "/static/../server.py",
    "/static/..%2fserver.py",
    "/static/%2e%2e/__init__.py",
    "/content.yaml",
    "/assets/logo.png",
    "/files/",
    "/pictures/",
    "/static/",
    "/output/",
    "/index.html",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_nothing_outside_the_outputs_is_served(shared: Preview, path: str) -> None:
    settled(shared)
    status, _, body = get(shared, path)
    assert status == 404, path
    assert body == b"Not found.\n"


def test_a_link_in_the_preview_folder_is_not_followed(shared: Preview, tmp_path: Path) -> None:
    settled(shared)
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF secret")
    (shared.session.out_dir / "link.pdf").symlink_to(secret)
    (shared.session.pictures / "link.jpg").symlink_to(secret)
    (shared.session.out_dir / "folder.pdf").mkdir()
    for path in ("/files/link.pdf", "/pictures/link.jpg", "/files/folder.pdf"):
        assert get(shared, path)[0] == 404, path


@pytest.mark.parametrize(
    "host", ["evil.example", f"evil.example:{0}", "127.0.0.1.evil.example", "", "127.0.0.1:1"]
)
def test_a_request_for_another_host_is_refused(shared: Preview, host: str) -> None:
    """A page elsewhere that points its own name at 127.0.0.1 (DNS rebinding) gets nothing."""
    status, _, body = get(shared, "/", host=host or " ")
    assert status == 421 and b"Calcium" not in body


def test_loopback_names_are_answered(shared: Preview) -> None:
    port = shared.server.port
    assert shared.server.server_address[0] == "127.0.0.1"
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}"):
        assert get(shared, "/", host=host)[0] == 200, host


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_only_get_and_head(shared: Preview, method: str) -> None:
    status, headers, _ = get(shared, "/", method=method)
    assert status == 405 and headers["Allow"] == "GET, HEAD"


def test_content_is_escaped_in_the_page_and_the_updates(project: Path) -> None:
    hostile = """<script>alert("x")</script> & it's "quoted" <img src=x onerror=alert(1)>"""
    quoted = hostile.replace("'", "''")
    edit(project / "content.yaml", f"patient: {TITLE}", f"patient: '{quoted}'")
    with previewing(project / "content.yaml") as preview:
        state = settled(preview)
        page = get(preview, "/")[2].decode()
        update = get(preview, "/state")[2].decode()
        worker = preview.session._worker
    # closing the preview stops its build process and removes its folder
    assert worker is not None and worker.process.poll() is not None
    assert not preview.folder.exists()
    assert state.title == hostile
    assert "<script>alert" not in page and "<img src=x" not in page
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; it&#x27;s &quot;quoted&quot;"
        " &lt;img src=x onerror=alert(1)&gt;"
    ) in page
    assert "<script>" not in json.loads(update)["regions"]["title"]
    assert page.count("<script") == 1  # the page's own, from /static/


# Saves, mistakes and checks


def test_a_writers_session(running: Preview) -> None:
    """Save a mistake, a fix, a word the checks flag, and a change only the deck shows."""
    good = settled(running)
    content = running.content
    text = content.read_text("utf-8")

    content.write_text(text.replace("  slug: calcinosis-cutis\n", "  slug: [calcinosis\n"), "utf-8")
    broken = until(running, lambda s: bool(s.problems) and not s.building)
    assert broken.outputs == good.outputs
    assert re.fullmatch(rf"{re.escape(str(content))}:\d+:\d+", broken.problems[0].place)
    page = get(running, "/")[2].decode()
    assert "The content has a mistake" in page
    assert f"<code>{content}:" in page
    assert "The pictures below are the last version that built" in page
    for name, _, _ in good.outputs[0].pictures:
        assert get(running, f"/pictures/{name}")[0] == 200

    content.write_text(text.replace(f"patient: {TITLE}", f"patient: {EDITED}"), "utf-8")
    fixed = until(running, lambda s: not s.problems and s.title == EDITED and not s.building)
    assert fixed.outputs[0].sha != good.outputs[0].sha
    assert "The content has a mistake" not in get(running, "/")[2].decode()

    edit(
        content,
        "Sometimes calcium builds up in lumps",
        "Sometimes calcium builds up in idiopathic lumps",
    )
    flagged = until(
        running, lambda s: any(f.gate == "jargon" for f in s.findings) and not s.building
    )
    finding = next(f for f in flagged.findings if f.gate == "jargon")
    assert finding.place == f"{content}:42:18"
    page = get(running, "/")[2].decode()
    assert f'<strong class="severity">Error</strong> <code>{content}:42:18</code>: ' in page
    assert "leaflet build</code> will refuse this content" in page
    assert len(flagged.outputs) == 4  # drawn anyway, so the writer sees the leaflet

    edit(content, "clinician: Calcinosis cutis", "clinician: Calcinosis cutis (all types)")
    deck = until(
        running,
        lambda s: not s.building and s.outputs[2].sha != flagged.outputs[2].sha,
    )
    assert deck.outputs[0] == flagged.outputs[0]  # the same PDF: the same pictures, not redrawn


def test_a_build_that_takes_too_long_is_stopped_and_the_server_goes_on(project: Path) -> None:
    with previewing(project / "content.yaml", build_timeout=0.05) as preview:
        state = until(preview, lambda s: bool(s.problems) and not s.building)
        assert "took longer than 0.05 s and was stopped" in state.problems[0].message
        status, _, body = get(preview, "/")
        assert status == 200 and b"took longer than 0.05 s" in body
        preview.session.build_timeout = 120.0
        preview.session.changed()  # a new build process, and this time it builds
        until(preview, lambda s: not s.problems and len(s.outputs) == 4, timeout=180)


def test_a_library_topic_of_another_condition(tmp_path: Path) -> None:
    """Psoriasis, a topic of the examples library: its own words and the library's logo."""
    shutil.copytree(
        ROOT / "examples", tmp_path / "examples", ignore=shutil.ignore_patterns("output")
    )
    library = tmp_path / "examples"
    content = library / "topics/psoriasis/content.yaml"
    with previewing(content, library=library, topic="psoriasis") as preview:
        state = settled(preview)
        page = get(preview, "/")[2].decode()
    assert not state.problems
    assert [o.edition for o in state.outputs] == [*state.editions, *state.editions]
    assert [o.language for o in state.outputs] == ["en-GB"] * 4 + ["es"] * 4  # its translation
    assert "Psoriasis" in state.title and state.title in page
    assert str(library / "assets/logo.png") in state.assets
    assert not (library / "output").exists()


# The command


def test_the_command_warns_about_a_wide_host_and_stops_cleanly_on_ctrl_c(project: Path) -> None:
    # 127.0.0.2 is this computer too, but not the address the preview keeps to by default
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "leaflet",
            "preview",
            str(project / "content.yaml"),
            "--host",
            "127.0.0.2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        warning = process.stderr.readline()
        first = process.stdout.readline()
        found = re.fullmatch(
            r"Preview of \S+content\.yaml at http://127\.0\.0\.2:(\d+)/ +\(Ctrl-C to stop\)\n",
            first,
        )
        assert found, first
        connection = http.client.HTTPConnection("127.0.0.2", int(found.group(1)), timeout=30)
        connection.request("GET", "/", headers={"Host": "leaflets.example:80"})
        assert connection.getresponse().status == 200  # a host asked for: any name
        connection.close()
        time.sleep(0.5)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert warning.startswith("warning: listening on 127.0.0.2: anyone who can reach this")
    assert process.returncode == 0, err
    assert "Traceback" not in err + out, err
    assert out.rstrip().endswith("preview stopped")


def test_a_missing_content_file_is_one_message(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "leaflet", "preview", str(tmp_path / "nope.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"error: {tmp_path / 'nope.yaml'}: no such file (name the content file, or run leaflet"
        " init to start one)\n"
    )


# In a real browser

BROWSER = web_browser.chromium()
needs_browser = pytest.mark.skipif(
    BROWSER is None, reason="no chromium on this machine (CI installs it: apt-get install chromium)"
)
PAGES_SHOWN = (
    "(() => { const imgs = [...document.querySelectorAll('#region-outputs ol.pages img')];"
    " return imgs.length >= 2 && imgs.every(i => i.complete && i.naturalWidth > 0)"
    " ? imgs.map(i => i.getAttribute('src')) : null; })()"
)
"""The leaflets' page pictures once every one has loaded, else null."""


def axe_violations(tab: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 A and AA violations on the page as it is (frames left to their own
    test: the web edition is checked in tests/test_web.py)."""
    tab.evaluate(web_browser.AXE.read_text("utf-8") + ";true")
    tags = json.dumps(web_browser.WCAG_22_AA)
    found: list[dict[str, Any]] = tab.evaluate(
        f"axe.run(document, {{runOnly: {{type: 'tag', values: {tags}}}, iframes: false}})"
        ".then(r => r.violations.map(v => ({id: v.id, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' '))})))"
    )
    return found


needs_axe = pytest.mark.skipif(
    not web_browser.AXE.is_file(),
    reason=f"axe-core is not installed ({web_browser.AXE}; npm install --prefix"
    " ~/.cache/leaflet-npm axe-core)",
)


@needs_browser
@needs_axe
def test_the_open_page_follows_each_save_without_reloading(running: Preview) -> None:
    from tests.cdp import Chromium

    assert BROWSER is not None
    settled(running)
    content = running.content
    text = content.read_text("utf-8")
    with Chromium(BROWSER) as browser:
        tab = browser.tab(running.url)
        first = tab.wait_for(PAGES_SHOWN)
        tab.evaluate("window.notReloaded = true")

        edited = text.replace(f"patient: {TITLE}", f"patient: {EDITED}").replace(
            "Sometimes calcium builds up in lumps", "Sometimes calcium builds up in small lumps"
        )
        content.write_text(edited, "utf-8")
        tab.wait_for(
            f"window.notReloaded && document.querySelector('h1').innerText == 'Preview: {EDITED}'",
            timeout=10,
        )
        before = json.dumps(first)
        leaflet = tab.wait_for(  # the standard leaflet first: the edition a writer edits
            f"(() => {{ const s = {PAGES_SHOWN};"
            f" return s && !{before}.includes(s[0]) ? s : null; }})()",
            timeout=10,
        )
        assert leaflet[:2] != first[:2]
        second = tab.wait_for(  # then the large print: every page a new picture
            f"(() => {{ const s = {PAGES_SHOWN};"
            f" return s && s.every(x => !{before}.includes(x)) ? s : null; }})()",
            timeout=20,
        )
        tab.wait_for("!!document.querySelector('iframe.web')")
        deadline = time.monotonic() + 20
        while "small lumps" not in tab.frame_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "small lumps under the skin" in tab.frame_text()  # the web edition, too

        content.write_text(edited.replace("  slug: calcinosis-cutis\n", "  slug: [calcinosis\n"))
        problems = tab.wait_for(
            "window.notReloaded && document.getElementById('region-problems').innerText",
            timeout=10,
        )
        assert "The content has a mistake" in problems
        assert re.search(rf"{re.escape(str(content))}:\d+:\d+: ", problems), problems
        assert tab.evaluate(PAGES_SHOWN) == second  # the last good pages stay
        assert axe_violations(tab) == []  # the page with a mistake on it is accessible too

        content.write_text(edited.replace(EDITED, TITLE), "utf-8")
        tab.wait_for(
            "window.notReloaded && !document.getElementById('region-problems').innerText"
            f" && document.querySelector('h1').innerText == 'Preview: {TITLE}'",
            timeout=10,
        )
        third = tab.wait_for(PAGES_SHOWN)
        assert third != second


@needs_browser
@needs_axe
def test_the_page_is_accessible_and_fits_a_phone_and_a_screen(
    shared: Preview, tmp_path: Path
) -> None:
    from tests.cdp import Chromium

    assert BROWSER is not None
    with Chromium(BROWSER) as browser:
        tab = browser.tab(shared.url)
        tab.wait_for(PAGES_SHOWN)
        assert axe_violations(tab) == []
        for width in (390, 1280):
            tab.resize(width, 900)
            layout = tab.evaluate(
                "({page: document.documentElement.scrollWidth, view: window.innerWidth,"
                " widest: Math.max(...[...document.querySelectorAll('main *')]"
                ".map(e => e.getBoundingClientRect().right))})"
            )
            assert layout["page"] <= layout["view"] == width, layout  # no sideways scrolling
            assert layout["widest"] <= width, layout
            shot = tab.screenshot(tmp_path / f"preview-{width}.png", width)
            assert shot.stat().st_size > 10_000


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-impress-nogui)",
)
def test_the_slides_are_libreoffices_drawing_of_the_deck(project: Path, tmp_path: Path) -> None:
    """The slides on the page are what LibreOffice draws of the PPTX the page offers."""
    import io

    import pypdfium2
    from PIL import Image, ImageChops, ImageStat

    from tests.test_deck_libreoffice import to_pdf

    with previewing(project / "content.yaml", libreoffice=True) as preview:
        state = until(preview, lambda s: s.slides.status in ("ready", "failed"), timeout=300)
        page = get(preview, "/")[2].decode()
        pictures = [get(preview, f"/pictures/{name}") for name, _, _ in state.slides.pictures]
        deck = next(o for o in state.outputs if o.edition == "deck")
        status, _, pptx = get(preview, f"/files/{deck.file}")
    assert state.slides.status == "ready", state.slides.message
    assert status == 200 and state.slides.sha == deck.sha
    assert len(state.slides.pictures) == deck.units
    for number, (name, width, height) in enumerate(state.slides.pictures, start=1):
        assert (width, height) == (961, 540)  # 16:9
        assert f'alt="Slide {number} of {deck.units}, Slides for clinicians"' in page
        assert f"/pictures/{name}" in page
    (tmp_path / "deck.pptx").write_bytes(pptx)
    drawn = pypdfium2.PdfDocument(to_pdf(tmp_path / "deck.pptx", tmp_path))
    assert len(drawn) == len(pictures)
    for index, (status, _, body) in enumerate(pictures):
        assert status == 200 and body.startswith(b"\xff\xd8")
        shown = Image.open(io.BytesIO(body)).convert("RGB")
        expected = drawn[index].render(scale=1.0).to_pil().convert("RGB")
        difference = ImageStat.Stat(ImageChops.difference(shown, expected)).mean
        assert max(difference) < 2.0, (index + 1, difference)  # the same, but for JPEG's loss


# Languages: the build's outputs drive the page


def test_outputs_are_named_by_edition_and_language(tmp_path: Path) -> None:
    from leaflet.preview.worker import Builder, Job

    builder = Builder(Job(tmp_path / "content.yaml", tmp_path, tmp_path))
    builder.slug, builder.language = "gout", "en-GB"
    asked = ["leaflet", "leaflet-large"]
    assert builder._identify(Path("gout-leaflet.pdf"), asked) == ("leaflet", "en-GB")
    assert builder._identify(Path("gout-leaflet-large.pdf"), asked) == ("leaflet-large", "en-GB")
    assert builder._identify(Path("gout-deck.pptx"), asked) == ("deck", "en-GB")
    assert builder._identify(Path("gout-leaflet-es.pdf"), asked) == ("leaflet-es", "es")
    assert builder._identify(Path("gout-web-zh-Hans.html"), asked) == ("web-zh-Hans", "zh-Hans")


def test_a_translated_topic_shows_each_language_after_the_content_s_own(tmp_path: Path) -> None:
    """translations/<lang>.yaml beside the content: its outputs (output/<lang>/ in a build)
    come after the English ones, each under its language, served from the language's folder."""
    content = copy_project(tmp_path)
    (tmp_path / "translations").mkdir()
    for language in ("es", "ar"):
        shutil.copy(ROOT / "translations" / f"{language}.yaml", tmp_path / "translations")
    with previewing(content) as preview:
        state = until(preview, lambda s: not s.building and len(s.outputs) == 12, timeout=180)
        page = get(preview, "/")[2].decode()
        by_language = [(o.language, o.edition) for o in state.outputs]
        editions = ["leaflet", "leaflet-large", "deck", "web"]
        assert by_language[:4] == [("en-GB", e) for e in editions]  # the content's own first
        assert sorted(by_language[4:]) == sorted((g, e) for g in ("ar", "es") for e in editions)
        spanish = next(o for o in state.outputs if o.language == "es")
        assert spanish.file == "es/calcinosis-cutis-leaflet.pdf"
        assert spanish.pictures and spanish.pictures[0][0].startswith("es-calcinosis-cutis-")
        english = state.outputs[0]
        assert {p[0] for p in spanish.pictures}.isdisjoint(p[0] for p in english.pictures)
        status, _, pdf = get(preview, "/files/es/calcinosis-cutis-leaflet.pdf")
        assert (
            status == 200
            and pdf.startswith(b"%PDF")
            and pdf != get(preview, "/files/calcinosis-cutis-leaflet.pdf")[2]
        )
        assert "Spanish, es</h2>" in page or "español, es</h2>" in page.lower()
        assert 'data-key="es-leaflet"' in page and 'data-key="ar-leaflet"' in page


def test_each_language_has_its_own_heading_and_outputs() -> None:
    from leaflet.preview import page
    from leaflet.preview.session import Output

    pictures = (("p-1.jpg", 834, 1179),)
    state = State(
        "content.yaml",
        generation=3,
        building=False,
        title="Gout",
        language="en-GB",
        editions=("leaflet", "web"),
        outputs=(
            Output("leaflet", "en-GB", "gout-leaflet.pdf", 1, "page", 1000, "a" * 64, pictures),
            Output("web", "en-GB", "gout-web.html", 1, "page", 1000, "b" * 64),
            Output("leaflet-es", "es", "gout-leaflet-es.pdf", 1, "page", 1000, "c" * 64, pictures),
        ),
        checked=True,
    )
    html = page.document(state)
    assert (
        html.index("English (United Kingdom), en-GB</h2>")
        < html.index('data-key="en-GB-web"')
        < html.index("Spanish, es</h2>")
        < html.index('data-key="es-leaflet-es"')
    )
    assert '<a href="#h-es-leaflet-es">Patient leaflet (es)</a>' in html  # the nav names both
    assert '<a href="#h-en-GB-leaflet">Patient leaflet (en-GB)</a>' in html


# Seeing saves


@pytest.mark.parametrize("polling", [False, True], ids=["notices", "polling"])
def test_the_watcher_sees_a_save_and_a_rename_over_the_file(tmp_path: Path, polling: bool) -> None:
    from leaflet.preview.watch import Watcher

    content = tmp_path / "content.yaml"
    content.write_text("one", "utf-8")
    (tmp_path / "other.txt").write_text("x", "utf-8")
    seen = threading.Event()
    watcher = Watcher(lambda: [content], seen.set)
    watcher.polling = polling
    watcher.start()
    try:
        time.sleep(0.5)  # watching has begun
        (tmp_path / "other.txt").write_text("y", "utf-8")  # not a watched file
        assert not seen.wait(0.6)
        content.write_text("two", "utf-8")
        assert seen.wait(10)
        seen.clear()
        time.sleep(1.1)  # polling compares modification times to the second
        new = tmp_path / ".content.yaml.swp-new"
        new.write_text("three", "utf-8")
        os.replace(new, content)  # how many editors save
        assert seen.wait(10)
    finally:
        watcher.close()
