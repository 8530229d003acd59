"""The preview's web server: its page, the page's updates, the outputs; nothing else.

Every path it answers is listed here. Output files are served by name from the preview's own
folders, and a name is only one path segment of plain characters, opened without following
links: `..`, absolute paths, encoded slashes and links out of the folder are refused. There are
no folder listings. Unless a host was asked for, it listens on the loopback address only and
answers only requests addressed to it by that name (a web page elsewhere cannot reach it by
renaming its own host to this address).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import stat
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from leaflet.preview import page
from leaflet.preview.session import Session, State
from leaflet.preview.watch import Watcher

LOOPBACK = ("127.0.0.1", "::1", "localhost")
KEEP_ALIVE = 15.0
"""Seconds between the comments that keep an idle event stream open."""
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,200}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?")
"""A translation's folder among the outputs: a language tag (es, zh-Hans, pt-BR)."""
_TYPES = {
    ".jpg": "image/jpeg",
    ".pdf": "application/pdf",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".html": "text/html; charset=utf-8",
}
_STATIC = {"preview.js": "text/javascript; charset=utf-8", "preview.css": "text/css; charset=utf-8"}
WEB_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
"""The web edition, shown in a frame: sandboxed even when opened on its own."""


class PreviewServer(ThreadingHTTPServer):
    """Serves one session's page on host:port (port 0: a free one)."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, session: Session, host: str = "127.0.0.1", port: int = 0) -> None:
        self.session = session
        self.host = host
        self.wide = host not in LOOPBACK
        """Listening beyond this computer: requests by any host name are answered."""
        self.closing = threading.Event()
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), _Handler)
        self.port = int(self.server_address[1])

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    def allowed_host(self, header: str | None) -> bool:
        if self.wide:
            return True
        if header is None:
            return False
        names = {"127.0.0.1", "localhost", "[::1]"}
        return header.lower() in {f"{n}:{self.port}" for n in names}

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A request that failed: a page closed mid-answer is normal and not worth a word; a
        bug in the handler is one line for the terminal, never a traceback."""
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, OSError) or self.closing.is_set():
            return
        log = self.session.log
        if log is not None:
            log(f"internal error in the preview server: {type(error).__name__}: {error}")


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    server_version = "leaflet-preview"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows builds, not requests."""

    def do_HEAD(self) -> None:
        self._route(head=True)

    def do_GET(self) -> None:
        self._route(head=False)

    def _refuse_method(self) -> None:
        self._send(
            HTTPStatus.METHOD_NOT_ALLOWED,
            b"Only GET and HEAD.\n",
            "text/plain",
            {"Allow": "GET, HEAD"},
        )

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method

    def _route(self, head: bool) -> None:
        if not self.server.allowed_host(self.headers.get("Host")):
            self._send(HTTPStatus.MISDIRECTED_REQUEST, b"Wrong host.\n", "text/plain")
            return
        raw = urlsplit(self.path).path
        if raw == "/":
            state = self.server.session.state
            self._send(
                HTTPStatus.OK,
                page.document(state).encode("utf-8"),
                "text/html; charset=utf-8",
                {"Content-Security-Policy": page.CSP},
                head=head,
            )
        elif raw == "/state":
            self._send(
                HTTPStatus.OK, _update(self.server.session.state), "application/json", head=head
            )
        elif raw == "/events":
            if head:
                self._send(HTTPStatus.OK, b"", "text/event-stream", head=True)
            else:
                self._events()
        elif raw.startswith("/static/"):
            self._static(raw.removeprefix("/static/"), head)
        elif raw.startswith("/files/"):
            session = self.server.session
            self._file(session.out_dir, raw.removeprefix("/files/"), head)
        elif raw.startswith("/pictures/"):
            session = self.server.session
            self._file(session.pictures, raw.removeprefix("/pictures/"), head, immutable=True)
        else:
            self._not_found(head)

    def _not_found(self, head: bool) -> None:
        self._send(HTTPStatus.NOT_FOUND, b"Not found.\n", "text/plain", head=head)

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        kind: str,
        headers: dict[str, str] | None = None,
        head: bool = False,
        cache: str = "no-store",
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        if "Content-Security-Policy" not in (headers or {}):
            self.send_header(
                "Content-Security-Policy", "default-src 'none'; frame-ancestors 'self'"
            )
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            with contextlib.suppress(OSError):
                self.wfile.write(body)

    def _static(self, name: str, head: bool) -> None:
        kind = _STATIC.get(name)
        if kind is None:
            self._not_found(head)
            return
        data = files("leaflet.preview").joinpath("static", name).read_bytes()
        self._send(HTTPStatus.OK, data, kind, head=head, cache="no-cache")

    def _file(self, folder: Path, name: str, head: bool, immutable: bool = False) -> None:
        data = read_inside(folder, name)  # a name with % (encoded) matches no output
        if data is None:
            self._not_found(head)
            return
        kind = _TYPES[Path(name).suffix]
        headers = {"Content-Security-Policy": WEB_CSP} if name.endswith(".html") else {}
        if name.endswith(".pptx"):
            headers["Content-Disposition"] = f'attachment; filename="{Path(name).name}"'
        cache = "max-age=86400, immutable" if immutable else "no-cache"
        self._send(HTTPStatus.OK, data, kind, headers, head=head, cache=cache)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        session = self.server.session
        state = session.state
        self.close_connection = True
        try:
            self._event(state)
            while not self.server.closing.is_set():
                fresh = session.wait_for(state.generation, KEEP_ALIVE)
                if self.server.closing.is_set():
                    return
                if fresh.generation == state.generation:
                    self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
                    continue
                state = fresh
                self._event(state)
        except OSError:  # the page was closed
            return

    def _event(self, state: State) -> None:
        self.wfile.write(b"data: " + _update(state) + b"\n\n")
        self.wfile.flush()


def _update(state: State) -> bytes:
    data = {"generation": state.generation, "regions": page.regions(state)}
    return json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def _memory_folder() -> str | None:
    """/dev/shm when this system has it (memory, so the build's fsync of each output costs
    nothing: about 30 ms a save on a disk), else the usual temporary folder (None)."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


def read_inside(folder: Path, name: str) -> bytes | None:
    """The bytes of the regular file `name` directly in folder, or None.

    None for anything but one plain segment with a known suffix (no `/`, `\\`, `..`, leading
    dot, NUL or encoded character left), optionally under one language tag's folder
    (`es/…-leaflet.pdf`), for a link (never followed), a folder or a device.
    """
    language, _, name = name.rpartition("/")
    if language and not _LANGUAGE.fullmatch(language):
        return None
    if not _NAME.fullmatch(name) or ".." in name or Path(name).suffix not in _TYPES:
        return None
    flags = os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
    try:
        if language:  # a translation's outputs: in the language's folder, itself no link
            where = os.open(folder / language, os.O_RDONLY | os.O_NOFOLLOW | os.O_DIRECTORY)
            try:
                fd = os.open(name, flags, dir_fd=where)
            finally:
                os.close(where)
        else:
            fd = os.open(folder / name, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read()
    finally:
        os.close(fd)


class Preview:
    """A running preview: the session building into a folder of its own, the watcher, the server.

    The outputs go to a temporary folder, never to the project's output/: the preview builds
    on every save, without the quality gates, and output/ keeps what `leaflet build` made.
    """

    def __init__(
        self,
        content: Path,
        host: str = "127.0.0.1",
        port: int = 0,
        library: Path | None = None,
        topic: str | None = None,
        log: Callable[[str], None] | None = None,
        build_timeout: float | None = None,
        libreoffice: str | bool | None = True,
    ) -> None:
        """libreoffice: True finds it on PATH; None or False shows the slides as missing."""
        import shutil
        import tempfile

        self.folder = Path(tempfile.mkdtemp(prefix="leaflet-preview-", dir=_memory_folder()))
        options: dict[str, Any] = {}
        if build_timeout is not None:
            options["build_timeout"] = build_timeout
        if libreoffice is not True:
            options["libreoffice"] = libreoffice or None
        self.content = content
        self.session = Session(
            content, self.folder, library, topic, log=log, on_change=self._changed, **options
        )
        try:
            self.server = PreviewServer(self.session, host, port)
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        self.watcher = Watcher(self._watched, self.session.changed)
        self._assets: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> None:
        """Start the first build and the watcher; the caller then serves (`serve_forever`)."""
        self.session.start()
        self.watcher.start()

    def serve_forever(self) -> None:
        self.server.serve_forever(poll_interval=0.2)

    def close(self) -> None:
        """Stop everything and remove the preview's folder."""
        import shutil

        self.server.closing.set()
        self.watcher.close()
        self.session.close()
        self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _watched(self) -> list[Path]:
        content = self.content
        watched = [content, *(Path(a) for a in self.session.state.assets)]
        translations = content.parent / "translations"
        if translations.is_dir():
            with contextlib.suppress(OSError):
                watched += sorted(translations.glob("*.yaml"))
        if self.session.library is not None:
            watched.append(self.session.library / "leaflet.toml")
        return watched

    def _changed(self, state: State) -> None:
        if state.assets != self._assets:
            self._assets = state.assets
            self.watcher.refresh()
