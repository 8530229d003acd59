"""Build a library: every topic that is out of date, on worker processes, one outcome each.

The parent reads the build record once and asks every topic whether it is up to date, which
loads, checks and renders nothing; only the rest go to the workers. A worker keeps its imports,
fonts, scenes and templates from one topic to the next. A failing topic is an outcome like any
other, so it never stops the others; the caller (the CLI) prints.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from leaflet import cache
from leaflet.build import Written, build_topic, topic_up_to_date
from leaflet.errors import LeafletError
from leaflet.library import Library, Topic


@dataclass(frozen=True)
class Outcome:
    """What became of one topic."""

    slug: str
    outputs: list[Written] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """The gates' warnings and silenced findings, one line each, with their places."""
    problems: list[str] = field(default_factory=list)
    """Why it failed, one line each, with their places; empty when it built."""
    exit_code: int = 0
    """0 built or up to date; 1 the content is wrong; 3 a bug in leaflet."""
    record: cache.Update | None = None
    """The record entries of the outputs it wrote, for the library build to merge."""

    @property
    def failed(self) -> bool:
        return self.exit_code != 0

    @property
    def rebuilt(self) -> bool:
        return any(w.rebuilt for w in self.outputs)


@dataclass(frozen=True)
class LibraryResult:
    """Every topic's outcome, in slug order."""

    outcomes: list[Outcome]

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.failed]

    @property
    def exit_code(self) -> int:
        return max((o.exit_code for o in self.outcomes), default=0)


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def build_library(
    library: Library,
    topics: Sequence[Topic],
    out_dir: Path | None = None,
    only: Sequence[str] = (),
    paper: str | None = None,
    force: bool = False,
    strict: bool | None = None,
    jobs: int | None = None,
    on_outcome: Callable[[Outcome, int, int], None] | None = None,
) -> LibraryResult:
    """Build each topic that is out of date; call on_outcome(outcome, done, total) as each ends.

    jobs: worker processes (default: the cores); 1 builds in this process.
    """
    if out_dir is None:
        from leaflet.build import check_library_out_dir

        check_library_out_dir(library.root, library.out_dir)
    out = out_dir or library.out_dir
    total = len(topics)
    done = 0
    outcomes: dict[str, Outcome] = {}
    pending = _Pending(out)

    def finished(outcome: Outcome) -> None:
        nonlocal done
        done += 1
        outcomes[outcome.slug] = outcome
        if outcome.record is not None:
            pending.add(outcome.record)
        if on_outcome is not None:
            on_outcome(outcome, done, total)

    stale: list[Topic] = []
    record = None if force else cache.read_record(out)
    for topic in topics:
        fresh = None
        if record is not None:
            fresh = topic_up_to_date(library, topic, out, only, paper, strict, record)
        if fresh is None:
            stale.append(topic)
        else:
            finished(Outcome(topic.slug, fresh.outputs))
    # Every topic left is out of date (or forced): the workers need not ask again.
    args = (out, tuple(only), paper, True, strict)
    workers = min(jobs or default_jobs(), len(stale))
    try:
        if workers <= 1:
            for topic in stale:
                finished(build_one(library, topic, *args))
                pending.flush_due()
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(build_one, library, t, *args): t for t in stale}
                for future in as_completed(futures):
                    topic = futures[future]
                    try:
                        finished(future.result())
                    except BrokenProcessPool:
                        finished(
                            Outcome(
                                topic.slug,
                                problems=[f"{topic.content}: the worker building it stopped"],
                                exit_code=3,
                            )
                        )
                    pending.flush_due()
    finally:
        pending.flush()
    return LibraryResult([outcomes[t.slug] for t in topics])


RECORD_EVERY_S = 2.0
"""How often a library build merges its topics' entries into the record while it runs."""


class _Pending:
    """Record entries of topics built but not yet in the record, merged in one write a batch.

    Each topic used to rewrite the whole record, which grows with the library: a hundred topics
    wrote it a hundred times. Until its batch is written, a topic's outputs are in place but
    not vouched for, so a build stopped before then rebuilds them next time: the record never
    says a file is up to date that is not.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.updates: list[cache.Update] = []
        self.since = time.monotonic()

    def add(self, update: cache.Update) -> None:
        self.updates.append(update)

    def flush_due(self) -> None:
        if time.monotonic() - self.since >= RECORD_EVERY_S:
            self.flush()

    def flush(self) -> None:
        self.since = time.monotonic()
        if not self.updates:
            return
        from leaflet.build import locked, write_all

        with locked(self.out_dir):
            data = cache.merged_record_bytes(self.out_dir, self.updates)
            write_all({self.out_dir / cache.STAMP_NAME: data})
        self.updates = []


def build_one(
    library: Library,
    topic: Topic,
    out_dir: Path,
    only: tuple[str, ...],
    paper: str | None,
    force: bool,
    strict: bool | None,
) -> Outcome:
    """One topic built, in whichever process runs it; every error becomes its outcome."""
    from leaflet.checks import GateError

    try:
        result = build_topic(
            library, topic, out_dir, only, paper, force=force, strict=strict, defer_record=True
        )
    except GateError as exc:
        return Outcome(topic.slug, problems=exc.lines(), exit_code=exc.exit_code)
    except LeafletError as exc:
        lines = exc.lines()
        if len(lines) == 1 and str(topic.content.parent) not in lines[0]:
            lines = [f"error: {topic.content}: {lines[0].removeprefix('error: ')}"]
        return Outcome(topic.slug, problems=lines, exit_code=exc.exit_code)
    except Exception as exc:  # a bug: reported for this topic, the others still build
        if os.environ.get("LEAFLET_DEBUG"):
            raise
        return Outcome(
            topic.slug,
            problems=[f"{topic.content}: internal error: {type(exc).__name__}: {exc}"],
            exit_code=3,
        )
    notes: list[str] = []
    report = result.report
    if report is not None and (report.findings or report.silenced):
        from leaflet.checks.report import text_lines

        notes = text_lines(report)[:-1]
    return Outcome(topic.slug, result.outputs, notes, record=result.record)
