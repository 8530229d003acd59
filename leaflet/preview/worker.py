"""The preview's build process: builds editions with `leaflet.build`, draws the leaflets' pages.

It runs in a child process, so that content that makes a build slow or large can be stopped
(the session kills it) without stopping the server, and so that its imports, fonts and
layouts stay warm from one save to the next. It answers each build request with messages
(plain dicts): an `output` for each edition as soon as it is built and drawn, the `report`
of the checks, `problems` when the content cannot be built, then `done`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from leaflet.build import BuildResult
    from leaflet.checks import Report

MEMORY_LIMIT = 3 * 1024**3
"""Bytes of address space the build process may use; beyond it a build fails, the server runs."""
PAGE_SCALE = 1.4
"""Pixels per PDF point for a page's picture (100 dpi: sharp at the width the page shows)."""
FIRST = "leaflet"
"""The edition built and shown first: the one a writer edits."""

Message = dict[str, Any]


@dataclass(frozen=True)
class Job:
    """What the preview builds: a content file, or one topic of a library."""

    content: Path
    out_dir: Path
    """The preview's own output folder (never the project's output/)."""
    pictures: Path
    """Where the pages' pictures go."""
    library: Path | None = None
    topic: str | None = None


def run(fd: int) -> None:
    """The process's body, on the socket `fd`: take the job, warm up, then build on each
    request until the socket closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's; it stops us
    _limit_memory()
    conn = Connection(fd)
    try:
        job = conn.recv()
    except (EOFError, OSError):
        return
    main(conn, job)


def main(conn: Connection, job: Job) -> None:
    """Warm up, then build on each request until told to stop."""
    builder = Builder(job)
    with contextlib.suppress(Exception):  # a missing renderer shows up in the first build
        builder.warm_up()
    conn.send({"kind": "ready"})
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request.get("kind") != "build":
            return
        try:
            for message in builder.build():
                conn.send(message)
        except MemoryError:
            conn.send(_problem("the build ran out of memory (is the content very large?)"))
        except Exception as exc:  # a bug in leaflet: shown on the page, the server goes on
            conn.send(_problem(f"internal error: {type(exc).__name__}: {exc}", bug=True))
        conn.send({"kind": "done"})


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # not on a POSIX system
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(hard, MEMORY_LIMIT)
    if soft == resource.RLIM_INFINITY or soft > limit:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _problem(message: str, place: str = "", path: str = "", bug: bool = False) -> Message:
    return {
        "kind": "problems",
        "problems": [{"place": place, "path": path, "message": message}],
        "bug": bug,
    }


class Builder:
    """Builds one job again and again, remembering what it drew last time."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.editions: list[str] | None = None
        """The editions the content asked for at its last good check; None before the first."""
        self.drawn: dict[str, tuple[str, list[Picture]]] = {}
        """By output file: the sha256 of the PDF last drawn and its pictures."""
        self.kept: dict[str, list[Picture]] = {}
        """By output file: the pictures of the version before, which an open page may still
        be loading."""
        self.slug = ""
        self.language = ""
        """The content's slug and language at its last good check."""
        self.translations: list[str] = []
        """The languages of the content's translations (translations/<lang>.yaml)."""

    def warm_up(self) -> None:
        """Import what a build needs before the first save, so the first update is quick."""
        import pypdfium2  # noqa: F401
        import reportlab.platypus  # noqa: F401

        import leaflet.build
        import leaflet.checks  # noqa: F401

    def build(self) -> Iterator[Message]:
        """Messages for one build: the first edition, the checks, then the other editions."""
        from leaflet.errors import ContentError, LeafletError

        try:
            if self.editions is None:  # the first time, the checks say which editions to build
                report = self._check()
                if report.load_error is not None:
                    raise report.load_error
                yield self._report(report)
                first = self._first()
                yield from self._outputs(self._build([first]) if first else None)
            else:
                first = self._first()
                if first:
                    yield from self._outputs(self._build([first]))
                report = self._check()
                if report.load_error is not None:
                    raise report.load_error
                yield self._report(report)
            assert self.editions is not None
            rest = [name for name in self.editions if name != first]
            if rest:
                yield from self._outputs(self._build(rest))
            if self.translations and self.editions:
                # then each translation's editions: a translation that is behind its English
                # shows its problems below the English outputs, which stay
                yield from self._outputs(self._build(list(self.editions), self.translations))
        except ContentError as exc:
            yield {
                "kind": "problems",
                "problems": [
                    {
                        "place": _place(p.file or exc.filename, p.line, p.column),
                        "path": p.path,
                        "message": p.message,
                    }
                    for p in exc.problems
                ],
                "bug": False,
            }
        except LeafletError as exc:
            yield _problem(exc.message)

    def _first(self) -> str | None:
        assert self.editions is not None
        if not self.editions:
            return None
        return FIRST if FIRST in self.editions else self.editions[0]

    def _check(self) -> Report:
        from leaflet.checks import run_checks

        job = self.job
        if job.library is None:
            return run_checks(job.content)
        library, topic = self._topic()
        return run_checks(
            topic.content, defaults=library.defaults(topic), filename=str(topic.content)
        )

    def _topic(self) -> tuple[Any, Any]:
        from leaflet.library import load_library

        assert self.job.library is not None and self.job.topic is not None
        library = load_library(self.job.library)
        return library, library.topic(self.job.topic)

    def _build(
        self, only: list[str], languages: list[str] | None = None
    ) -> tuple[list[str], BuildResult, float]:
        """The editions `only`, in `languages` (default: the content's own language)."""
        from leaflet.build import build, build_topic

        job = self.job
        started = time.perf_counter()
        asked = languages if languages is not None else [self.language] if self.language else []
        if job.library is None:
            result = build(job.content, job.out_dir, only, strict=None, languages=asked)
        else:
            library, topic = self._topic()
            result = build_topic(library, topic, job.out_dir, only, strict=None, languages=asked)
        return only, result, time.perf_counter() - started

    def _report(self, report: Report) -> Message:
        document = report.document
        assert document is not None
        self.editions = list(document.editions)
        self.slug, self.language = document.meta.slug, document.meta.language
        self.translations = [language.language for language in report.languages]
        return {
            "kind": "report",
            "ok": report.ok,
            "summary": report.summary,
            "title": document.meta.title.patient,
            "language": document.meta.language,
            "slug": document.meta.slug,
            "editions": list(document.editions),
            "assets": _asset_paths(document, self.job),
            "findings": [
                {
                    "severity": f.severity,
                    "place": _place(f.file or report.file, f.line, f.column),
                    "path": f.path,
                    "message": f.message,
                    "fix": f.fix,
                    "gate": f.gate,
                }
                for f in report.findings
            ],
            "silenced": len(report.silenced),
        }

    def _outputs(self, built: tuple[list[str], BuildResult, float] | None) -> Iterator[Message]:
        """One message per file the build wrote, each named by its edition and language: the
        build's outputs drive the page (a library topic's catalogue entry is not shown)."""
        if built is None:
            return
        names, result, took = built
        for written in result.outputs:
            if written.path.suffix not in (".pdf", ".pptx", ".html"):
                continue
            edition, language = self._identify(written.path, names)
            file = written.path.name
            if written.path.parent != self.job.out_dir:  # a translation: output/<lang>/
                language = written.path.parent.name
                file = f"{language}/{file}"
            started = time.perf_counter()
            data = written.path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            pictures: list[Picture] = []
            if written.path.suffix == ".pdf":
                stem = f"{language}-{written.path.stem}" if "/" in file else written.path.stem
                pictures = self._pictures(file, stem, sha, data)
            yield {
                "build_s": took,
                "draw_s": time.perf_counter() - started,
                "kind": "output",
                "edition": edition,
                "language": language,
                "file": file,
                "units": written.units,
                "unit_name": written.unit_name,
                "size": written.size,
                "sha": sha,
                "pictures": pictures,
            }

    def _identify(self, path: Path, asked: list[str]) -> tuple[str, str]:
        """(edition id, language) of an output file `<slug>-<edition><suffix>`.

        An edition asked for by name is found by the end of the file name; any other (a
        translation) by what follows the slug. Its language is its spec's locale, or a
        language tag after a known edition's id (`leaflet-es`), else the content's language.
        """
        from leaflet.edition.spec import EDITIONS

        stem = path.stem
        edition = next((name for name in asked if stem.endswith(f"-{name}")), None)
        if edition is None:
            edition = stem.removeprefix(f"{self.slug}-") if self.slug else stem
        spec = EDITIONS.get(edition)
        if spec is not None:
            return edition, spec.locale or self.language
        for known in sorted(EDITIONS, key=len, reverse=True):
            rest = edition.removeprefix(f"{known}-")
            if rest != edition and rest:
                return edition, rest
        return edition, self.language

    def _pictures(self, file: str, stem: str, sha: str, pdf: bytes) -> list[Picture]:
        """The PDF's pages as pictures named by its digest; drawn again only when it changed."""
        last = self.drawn.get(file)
        if last is not None and last[0] == sha:
            return last[1]
        names = draw_pages(pdf, self.job.pictures, f"{stem}-{sha[:12]}")
        if last is not None:
            for old in self.kept.get(file, []):
                if old not in names and old not in last[1]:
                    with contextlib.suppress(OSError):
                        (self.job.pictures / old[0]).unlink()
            self.kept[file] = last[1]
        self.drawn[file] = (sha, names)
        return names


Picture = tuple[str, int, int]
"""A picture's file name in the pictures folder, its width and height in pixels."""


def draw_pages(pdf: bytes, folder: Path, stem: str, scale: float = PAGE_SCALE) -> list[Picture]:
    """Each page of the PDF as `<stem>-<n>.jpg` in folder, in page order.

    JPEG at quality 90 without colour subsampling: beside the page shown at its size it looks
    the same as PNG, and it is encoded four times faster (about 10 ms a page against 40).
    """
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    names = []
    try:
        for number, page in enumerate(document, start=1):
            image = page.render(scale=scale).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=90, subsampling=0)
            name = f"{stem}-{number}.jpg"
            temp = folder / f".{name}.new"
            temp.write_bytes(buffer.getvalue())
            os.replace(temp, folder / name)
            names.append((name, image.width, image.height))
            page.close()
    finally:
        document.close()
    return names


def _place(file: str, line: int, column: int) -> str:
    return f"{file}:{line}:{column}" if line else file


def _asset_paths(document: Any, job: Job) -> list[str]:
    from leaflet.cache import referenced_assets

    bases = [job.content.parent] if job.library is None else [job.library, job.content.parent]
    return [str(base / name) for name in referenced_assets(document) for base in bases]
