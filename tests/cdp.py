"""Drive Debian's headless Chromium over the DevTools protocol on a pipe (no driver, no port).

`--remote-debugging-pipe` makes Chromium read commands from its file descriptor 3 and write
answers and events to 4, each a JSON text ended by a NUL byte. That is enough to open a page,
wait for it, run an expression in it (or in a frame's isolated world) and take a screenshot,
without Selenium, a driver binary or anything downloaded.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any


def _high(fd: int) -> int:
    """fd moved to a number of 10 or more (the shell then places it at 3 or 4 safely)."""
    import fcntl

    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return moved


class CdpError(RuntimeError):
    """The browser answered a command with an error, or did not answer in time."""


class Chromium:
    """One headless browser; `tab(url)` opens a page in it."""

    def __init__(self, binary: str) -> None:
        self._profile = tempfile.TemporaryDirectory()
        child_read, self._write = os.pipe()
        self._read, child_write = os.pipe()
        child_read, child_write = _high(child_read), _high(child_write)  # clear of 3 and 4

        # bash moves the pipes to 3 and 4 (no preexec_fn: forking a threaded process).
        move = (
            f"exec 3<&{child_read} 4>&{child_write} {child_read}<&- {child_write}>&-;"
            ' exec "$0" "$@"'
        )
        self.process = subprocess.Popen(
            [
                "bash",  # dash takes only one-digit descriptors
                "-c",
                move,
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--no-default-browser-check",
                "--remote-debugging-pipe",
                "--disable-site-isolation-trials",  # frames in the page's process, in its tree
                "--disable-features=IsolateOrigins,site-per-process",
                f"--user-data-dir={self._profile.name}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(child_read, child_write),
        )
        os.close(child_read)
        os.close(child_write)
        self._next = 0
        self._answers: dict[int, dict[str, Any]] = {}
        self._done = threading.Condition()
        self._reader = threading.Thread(target=self._listen, daemon=True)
        self._reader.start()

    def _listen(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._read, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                with self._done:
                    self._answers[-1] = {"error": {"message": "the browser closed"}}
                    self._done.notify_all()
                return
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                message = json.loads(raw)
                if "id" in message:
                    with self._done:
                        self._answers[message["id"]] = message
                        self._done.notify_all()

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float = 60.0,
    ) -> dict[str, Any]:
        """The command's result; CdpError when it fails or takes longer than timeout."""
        with self._done:
            self._next += 1
            ident = self._next
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self._done:
            while ident not in self._answers:
                if -1 in self._answers:
                    raise CdpError(f"{method}: the browser closed")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CdpError(f"{method}: no answer in {timeout} s")
                self._done.wait(left)
            answer = self._answers.pop(ident)
        if "error" in answer:
            raise CdpError(f"{method}: {answer['error'].get('message')}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    def tab(self, url: str, width: int = 1280, height: int = 900) -> Tab:
        """A new page of width x height CSS pixels (narrower than a window can be, too)."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        tab = Tab(self, session)
        tab.resize(width, height)
        tab.send("Page.enable")
        tab.send("Page.navigate", {"url": url})
        return tab

    def close(self) -> None:
        with contextlib.suppress(CdpError, OSError):
            self.send("Browser.close", timeout=10)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._write, self._read):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._profile.cleanup()

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Tab:
    """One page in the browser."""

    def __init__(self, browser: Chromium, session: str) -> None:
        self.browser = browser
        self.session = session

    def send(
        self, method: str, params: dict[str, Any] | None = None, timeout: float = 60.0
    ) -> dict[str, Any]:
        return self.browser.send(method, params, self.session, timeout)

    def resize(self, width: int, height: int) -> None:
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def evaluate(self, expression: str, timeout: float = 60.0, context: int | None = None) -> Any:
        """The expression's value (a promise is awaited), as JSON."""
        params: dict[str, Any] = {
            "expression": expression,
            "returnByValue": True,
            "awaitPromise": True,
        }
        if context is not None:
            params["contextId"] = context
        result = self.send("Runtime.evaluate", params, timeout)
        if "exceptionDetails" in result:
            raise CdpError(f"evaluate: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30.0) -> Any:
        """The expression's value once it is truthy, checked every 50 ms; CdpError on timeout."""
        deadline = time.monotonic() + timeout
        value: Any = None
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression, timeout=10)
            except CdpError:
                value = None
            if value:
                return value
            time.sleep(0.05)
        raise CdpError(f"not true within {timeout} s: {expression} (last: {value!r})")

    def frame_text(self, index: int = 0) -> str:
        """The visible text of the page's index-th frame, read in an isolated world (a
        sandboxed frame runs no script of its own and is another origin to the page)."""
        tree = self.send("Page.getFrameTree")["frameTree"]
        frame = tree["childFrames"][index]["frame"]["id"]
        world = self.send("Page.createIsolatedWorld", {"frameId": frame, "worldName": "test"})
        text: str = self.evaluate("document.body.innerText", context=world["executionContextId"])
        return text

    def screenshot(self, out: Path, width: int) -> Path:
        """A PNG of the whole page laid out width px wide."""
        self.resize(width, 900)
        height = int(self.evaluate("document.documentElement.scrollHeight"))
        self.resize(width, height)
        time.sleep(0.3)
        shot = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        out.write_bytes(base64.b64decode(shot["data"]))
        self.resize(width, 900)
        return out
