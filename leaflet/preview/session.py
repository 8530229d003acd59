"""What the preview page shows, and the builds that change it.

A `Session` owns the build process (`worker.py`), asks it to build after each save, and folds
its messages into a `State` that the page is drawn from. A build that takes longer than the
limit is stopped with its process (a new one starts), so no content can stop the server. The
slides are drawn by LibreOffice in the background, when it is installed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from leaflet.preview.worker import Job, Message, Picture, draw_pages

BUILD_TIMEOUT = 60.0
"""Seconds a build may take before it is stopped (content within the limits takes a few)."""
START_TIMEOUT = 120.0
"""Seconds the build process may take to start and import what it needs."""
SLIDES_TIMEOUT = 180.0
"""Seconds LibreOffice may take to draw the slides."""
SLIDE_SCALE = 1.0
"""Pixels per PDF point for a slide's picture (960 x 540 for a 16:9 slide)."""


@dataclass(frozen=True)
class Output:
    """One built edition as the page shows it."""

    edition: str
    language: str
    file: str
    """Its name in the preview's output folder."""
    units: int
    unit_name: str
    size: int
    sha: str
    pictures: tuple[Picture, ...] = ()
    """Its pages as pictures (the leaflet's editions), in the pictures folder."""


@dataclass(frozen=True)
class Finding:
    """A finding of `leaflet check`, worded as the command line words it."""

    severity: str
    place: str
    """`content.yaml:12:5`, or the file alone."""
    path: str
    message: str
    fix: str
    gate: str


@dataclass(frozen=True)
class Problem:
    """Why the content could not be built, at its place."""

    place: str
    path: str
    message: str


SlidesStatus = Literal["none", "waiting", "converting", "ready", "missing", "failed"]


@dataclass(frozen=True)
class Slides:
    """The deck's slides as LibreOffice draws them."""

    status: SlidesStatus = "none"
    pictures: tuple[Picture, ...] = ()
    message: str = ""
    sha: str = ""
    """The sha256 of the deck the pictures were drawn from."""


@dataclass(frozen=True)
class State:
    """Everything the page shows; a new State (with a higher generation) on every change."""

    content: str
    """The content file as the user named it."""
    generation: int = 0
    building: bool = True
    title: str = ""
    language: str = ""
    editions: tuple[str, ...] = ()
    outputs: tuple[Output, ...] = ()
    """The last good outputs, in the content's edition order."""
    problems: tuple[Problem, ...] = ()
    """Why the last build failed; empty when it built."""
    findings: tuple[Finding, ...] = ()
    checked: bool = False
    check_ok: bool = True
    check_summary: str = ""
    silenced: int = 0
    slides: Slides = Slides()
    updated: str = ""
    """When the outputs last changed (HH:MM:SS, local time)."""
    bug: bool = False
    """The last problem is a bug in leaflet, not in the content."""
    assets: tuple[str, ...] = ()
    """The files the content names, to be watched."""


@dataclass
class _Worker:
    process: Any
    conn: Any


@dataclass
class Session:
    """The preview of one content file (or one topic of a library) into a folder of its own."""

    content: Path
    folder: Path
    """The preview's folder: `output/` and `pictures/` are made in it."""
    library: Path | None = None
    topic: str | None = None
    build_timeout: float = BUILD_TIMEOUT
    libreoffice: str | None = field(
        default_factory=lambda: shutil.which("soffice") or shutil.which("libreoffice")
    )
    on_change: Callable[[State], None] | None = None
    """Called with each new state (from the session's threads)."""
    log: Callable[[str], None] | None = None
    """Called with a line for the terminal after each build."""

    def __post_init__(self) -> None:
        self.out_dir = self.folder / "output"
        self.pictures = self.folder / "pictures"
        self.slides_dir = self.folder / "slides"
        for folder in (self.out_dir, self.pictures, self.slides_dir):
            folder.mkdir(parents=True, exist_ok=True)
        self.job = Job(self.content, self.out_dir, self.pictures, self.library, self.topic)
        self._state = State(str(self.content))
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._dirty = threading.Event()
        self._stopping = threading.Event()
        self._worker: _Worker | None = None
        self._thread: threading.Thread | None = None
        self._slides_wanted: tuple[str, str] | None = None
        """(deck file, sha) the slides should show next."""
        self._slides_wake = threading.Event()
        self._slides_thread: threading.Thread | None = None
        self._soffice: subprocess.Popen[bytes] | None = None
        self.timings: dict[str, float] = {}
        """When the last save was seen and its build asked for, when each edition arrived
        (time.monotonic()), and how long the build process took to build and draw each
        (seconds): for benchmarks/preview_latency.py."""

    # The state and waiting for it

    @property
    def state(self) -> State:
        with self._lock:
            return self._state

    def wait_for(self, generation: int, timeout: float) -> State:
        """The state once its generation passes `generation`, or as it is after timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._state.generation <= generation and not self._stopping.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
            return self._state

    def _update(self, **changes: Any) -> State:
        with self._changed:
            state = dataclasses.replace(
                self._state, generation=self._state.generation + 1, **changes
            )
            self._state = state
            self._changed.notify_all()
        if self.on_change is not None:
            self.on_change(state)
        return state

    # Running

    def start(self) -> None:
        """Start the build process and the first build (returns at once)."""
        self._thread = threading.Thread(target=self._run, name="preview-builds", daemon=True)
        self._thread.start()
        self.changed()

    def changed(self) -> None:
        """A watched file was saved: build again (once, however many saves come meanwhile)."""
        self.timings["seen"] = time.monotonic()
        self._dirty.set()

    def close(self) -> None:
        """Stop the builds, the build process and LibreOffice; wake every waiting page."""
        self._stopping.set()
        self._dirty.set()
        self._slides_wake.set()
        with self._changed:
            self._changed.notify_all()
        if self._soffice is not None:
            _kill(self._soffice)
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._slides_thread is not None:
            self._slides_thread.join(timeout=10)
        self._stop_worker()

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._dirty.wait()
            if self._stopping.is_set():
                return
            self._dirty.clear()
            self._build_once()

    def _start_worker(self) -> _Worker:
        """A new build process: this Python, this sys.path, talking over a socket pair.

        Started as its own command (not by multiprocessing, which would import the caller's
        main module again) and in a session of its own, so Ctrl-C in the terminal reaches
        only the server, which stops it. It ends by itself when its socket closes.
        """
        import json
        import socket
        import sys
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        bootstrap = (
            "import sys; sys.path[:] = __import__('json').loads(sys.argv[1]);"
            " from leaflet.preview.worker import run; run(int(sys.argv[2]))"
        )
        with ours, theirs:
            process = subprocess.Popen(
                [sys.executable, "-P", "-c", bootstrap, json.dumps(sys.path), str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            conn = Connection(os.dup(ours.fileno()))
        worker = _Worker(process, conn)
        try:
            conn.send(self.job)
            if not conn.poll(START_TIMEOUT) or conn.recv().get("kind") != "ready":
                raise RuntimeError("the build process did not start")
        except BaseException:
            self._worker = worker
            self._stop_worker()
            raise
        return worker

    def _stop_worker(self) -> None:
        worker, self._worker = self._worker, None
        if worker is None:
            return
        with contextlib.suppress(OSError, ValueError):
            worker.conn.close()
        with contextlib.suppress(OSError):
            worker.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.process.wait(timeout=5)

    def _build_once(self) -> None:
        started = time.monotonic()
        if not self.state.building:
            self._update(building=True)
        try:
            if self._worker is None:
                self._worker = self._start_worker()
            worker = self._worker
            self.timings["sent"] = time.monotonic()
            worker.conn.send({"kind": "build"})
            deadline = time.monotonic() + self.build_timeout  # the build's, not the start's
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not worker.conn.poll(left):
                    self._stop_worker()
                    self._fail(
                        f"the build took longer than {self.build_timeout:g} s and was stopped"
                        " (is the content very large?); save again to retry",
                    )
                    return
                message = worker.conn.recv()
                if message["kind"] == "done":
                    break
                self._apply(message)
        except (EOFError, OSError, RuntimeError):
            if self._stopping.is_set():
                return
            self._stop_worker()
            self._fail("the build stopped unexpectedly (out of memory?); save again to retry")
            return
        state = self._update(building=False)
        if self.log is not None:
            took = time.monotonic() - started
            if state.problems:
                first = state.problems[0]
                where = f"{first.place}: " if first.place else ""
                self.log(f"not built: {where}{first.message}")
            else:
                self.log(f"built {len(state.outputs)} editions in {took:.2f} s")

    def _fail(self, message: str) -> None:
        self._update(building=False, problems=(Problem("", "", message),), bug=False)
        if self.log is not None:
            self.log(f"not built: {message}")

    def _apply(self, message: Message) -> None:
        kind = message["kind"]
        if kind == "problems":
            problems = tuple(Problem(**p) for p in message["problems"])
            self._update(problems=problems, bug=bool(message.get("bug")))
        elif kind == "report":
            editions = tuple(message["editions"])
            kept = tuple(o for o in self.state.outputs if base_edition(o.edition) in editions)
            self._update(
                title=message["title"],
                language=message["language"],
                editions=editions,
                outputs=kept,
                findings=tuple(Finding(**f) for f in message["findings"]),
                checked=True,
                check_ok=bool(message["ok"]),
                check_summary=message["summary"],
                silenced=int(message["silenced"]),
                assets=tuple(message["assets"]),
                problems=(),
                bug=False,
            )
            if not any(self._format(e) == "deck" for e in editions):
                self._set_slides(Slides())
        elif kind == "output":
            self.timings[f"{message['edition']}:arrived"] = time.monotonic()
            self.timings[f"{message['edition']}:build_s"] = message["build_s"]
            self.timings[f"{message['edition']}:draw_s"] = message["draw_s"]
            output = Output(
                edition=message["edition"],
                language=message["language"],
                file=message["file"],
                units=message["units"],
                unit_name=message["unit_name"],
                size=message["size"],
                sha=message["sha"],
                pictures=tuple(tuple(p) for p in message["pictures"]),
            )
            self._put(output)
            if self._format(base_edition(output.edition)) == "deck" and (
                output.language == self.state.language
            ):
                self._want_slides(output)

    def _put(self, output: Output) -> None:
        state = self.state
        outputs = {o.file: o for o in state.outputs}
        old = outputs.get(output.file)
        outputs[output.file] = output
        ordered = tuple(sorted(outputs.values(), key=lambda o: _order(state, o)))
        changes: dict[str, Any] = {"outputs": ordered, "problems": (), "bug": False}
        if old is None or old.sha != output.sha:
            changes["updated"] = time.strftime("%H:%M:%S")
        if old == output and not state.problems:
            return  # nothing the page shows has changed
        self._update(**changes)

    @staticmethod
    def _format(edition: str) -> str:
        from leaflet.edition.spec import EDITIONS

        spec = EDITIONS.get(edition)
        return spec.format if spec is not None else ""

    # The slides

    def _set_slides(self, slides: Slides) -> None:
        if self.state.slides != slides:
            self._update(slides=slides)

    def _want_slides(self, deck: Output) -> None:
        current = self.state.slides
        if current.sha == deck.sha and current.status in ("ready", "converting", "waiting"):
            return
        if self.libreoffice is None:
            self._set_slides(
                Slides(
                    "missing",
                    message="LibreOffice is not installed on this computer, so the slides"
                    " cannot be shown here. The deck itself was built: download it below.",
                    sha=deck.sha,
                )
            )
            return
        with self._lock:
            self._slides_wanted = (deck.file, deck.sha)
        self._set_slides(dataclasses.replace(current, status="converting", sha=deck.sha))
        if self._slides_thread is None:
            self._slides_thread = threading.Thread(
                target=self._slides_loop, name="preview-slides", daemon=True
            )
            self._slides_thread.start()
        self._slides_wake.set()

    def _slides_loop(self) -> None:
        while not self._stopping.is_set():
            self._slides_wake.wait()
            self._slides_wake.clear()
            with self._lock:
                wanted, self._slides_wanted = self._slides_wanted, None
            if wanted is None or self._stopping.is_set():
                continue
            try:
                pictures = self._convert(*wanted)
            except _SlidesFailed as exc:
                self._set_slides(Slides("failed", message=str(exc), sha=wanted[1]))
                continue
            with self._lock:
                newer = self._slides_wanted is not None
            if not newer and not self._stopping.is_set():
                self._set_slides(Slides("ready", tuple(pictures), sha=wanted[1]))

    def _convert(self, file: str, sha: str) -> list[Picture]:
        """The deck as slide pictures, drawn by LibreOffice (converted to PDF, then drawn)."""
        assert self.libreoffice is not None
        with tempfile.TemporaryDirectory(dir=self.slides_dir) as work:
            folder = Path(work)
            deck = folder / "deck.pptx"
            try:
                shutil.copyfile(self.out_dir / file, deck)
            except OSError as exc:
                raise _SlidesFailed(f"the deck could not be read: {exc.strerror}") from None
            profile = (folder / "profile").as_uri()
            command = [
                self.libreoffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(deck),
            ]
            try:
                self._soffice = subprocess.Popen(
                    command,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,  # Ctrl-C is the server's; close() stops it
                )
                code = self._soffice.wait(timeout=SLIDES_TIMEOUT)
            except subprocess.TimeoutExpired:
                raise _SlidesFailed(
                    f"LibreOffice took longer than {SLIDES_TIMEOUT:g} s to draw the slides"
                ) from None
            except OSError as exc:
                raise _SlidesFailed(f"LibreOffice could not be started: {exc.strerror}") from None
            finally:
                if self._soffice is not None:
                    _kill(self._soffice)
                self._soffice = None
            pdf = folder / "deck.pdf"
            if self._stopping.is_set():
                return []
            if code != 0 or not pdf.is_file():
                raise _SlidesFailed(f"LibreOffice could not draw the slides (exit code {code})")
            old = self.state.slides.pictures
            names = draw_pages(
                pdf.read_bytes(), self.pictures, f"{Path(file).stem}-{sha[:12]}", SLIDE_SCALE
            )
        for picture in old:
            if picture not in names:
                with contextlib.suppress(OSError):
                    (self.pictures / picture[0]).unlink()
        return names


def base_edition(edition: str) -> str:
    """The edition a translated one is of (`leaflet-es` → `leaflet`), else itself."""
    from leaflet.edition.spec import EDITIONS

    if edition in EDITIONS:
        return edition
    return next(
        (k for k in sorted(EDITIONS, key=len, reverse=True) if edition.startswith(f"{k}-")),
        edition,
    )


def _order(state: State, output: Output) -> tuple[int, int, str]:
    """The content's language first, then the others; within one, the content's edition order."""
    editions = list(state.editions)
    base = base_edition(output.edition)
    place = editions.index(base) if base in editions else len(editions)
    return (0 if output.language == state.language else 1, place, output.file)


class _SlidesFailed(Exception):
    """LibreOffice could not draw the slides; the message says why."""


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)
