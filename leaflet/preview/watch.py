"""Seeing saves: the content file, the files it names and its translations, with watchfiles.

The folders that hold them are watched, each on its own (not the folders inside them, so a
project with a virtual environment beside its content costs nothing); editors that save by
writing a new file and renaming it over the old one are seen too. Where the system's change
notices are not available (or run out), watchfiles polls instead; polling compares times
of modification to the second, so of two saves within one second it may see only the first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

STEP_MS = 20
"""How long the watcher waits for more changes before it reports a save (milliseconds)."""
DEBOUNCE_MS = 400
"""The longest it gathers changes before reporting them anyway."""


class Watcher:
    """Calls `on_change` after each save of a watched file, on a thread of its own."""

    def __init__(self, files: Callable[[], Iterable[Path]], on_change: Callable[[], None]):
        """files: what to watch now (asked again after each change, as the content may name
        other files); on_change: called once for each group of saves."""
        self._files = files
        self._on_change = on_change
        self._stop = threading.Event()
        self._restart = threading.Event()
        self._thread = threading.Thread(target=self._run, name="preview-watch", daemon=True)
        self.polling = False
        """True when the system's change notices failed and the watcher polls."""

    def start(self) -> None:
        self._thread.start()

    def refresh(self) -> None:
        """The files to watch may have changed: ask `files` again."""
        self._restart.set()

    def close(self) -> None:
        self._stop.set()
        self._restart.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        from watchfiles import watch

        while not self._stop.is_set():
            self._restart.clear()
            files = {path.absolute() for path in self._files()}
            folders = sorted({str(f.parent) for f in files if f.parent.is_dir()})
            if not folders:
                self._restart.wait(0.5)
                continue
            names = {str(f) for f in files}

            def wanted(change: object, path: str, names: set[str] = names) -> bool:
                return path in names

            try:
                for _changes in watch(
                    *folders,
                    watch_filter=wanted,
                    debounce=DEBOUNCE_MS,
                    step=STEP_MS,
                    stop_event=self._restart,
                    recursive=False,
                    raise_interrupt=False,
                    force_polling=self.polling or None,
                    poll_delay_ms=100,
                    yield_on_timeout=False,
                ):
                    self._on_change()
            except (OSError, RuntimeError):  # no inotify, or its watches ran out: poll
                if self.polling:
                    self._stop.wait(1.0)
                self.polling = True
