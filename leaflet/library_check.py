"""`leaflet check` on a library: every topic's gates, and its reviews by topic at a glance."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Literal

from leaflet import clock
from leaflet.checks.run import Report
from leaflet.library import Library, Topic, topic_problem

DUE_SOON_DAYS = 60
SCHEMA = "leaflet-library-check/1"
"""Names the JSON shape; it changes only with a new number."""

Status = Literal["overdue", "due", "ok", "unknown"]


@dataclass(frozen=True)
class Review:
    """A topic's review dates as governance sees them."""

    slug: str
    file: str
    next_review: dt.date | None
    """None when the content could not be read."""
    days: int | None
    """Days until the next review (negative: overdue)."""

    @property
    def status(self) -> Status:
        if self.days is None:
            return "unknown"
        if self.days < 0:
            return "overdue"
        return "due" if self.days <= DUE_SOON_DAYS else "ok"


@dataclass(frozen=True)
class LibraryCheck:
    """Every topic's report (or why it could not be checked) and its review."""

    library: Library
    reports: list[tuple[Topic, Report | None, str | None]]
    """(topic, its report, or the problem that stopped it being read)."""
    reviews: list[Review]
    today: dt.date

    @property
    def ok(self) -> bool:
        return all(r is not None and r.ok for _, r, _ in self.reports)


def check_library(library: Library, strict: bool = False) -> LibraryCheck:
    """Run the gates over every topic with the project file's values filled in."""
    from leaflet.checks import run_checks

    today = clock.today()
    reports: list[tuple[Topic, Report | None, str | None]] = []
    reviews = []
    for topic in library.topics:
        problem = topic_problem(topic)
        if problem is not None:
            reports.append((topic, None, problem))
            reviews.append(Review(topic.slug, str(topic.content), None, None))
            continue
        report = run_checks(
            topic.content,
            strict=strict,
            defaults=library.defaults(topic),
            filename=str(topic.content),
        )
        reports.append((topic, report, None))
        due = report.document.meta.next_review if report.document is not None else None
        days = (due - today).days if due is not None else None
        reviews.append(Review(topic.slug, str(topic.content), due, days))
    return LibraryCheck(library, reports, reviews, today)


def _review_words(review: Review) -> str:
    if review.next_review is None or review.days is None:
        return "could not be read"
    if review.days < 0:
        return f"overdue: due {review.next_review}, {-review.days} days ago"
    return f"due {review.next_review}, in {review.days} days"


def library_lines(checked: LibraryCheck, fmt: str, colour: bool = False) -> list[str]:
    """Text (or GitHub annotations) for every topic, then the reviews by topic and a summary."""
    from leaflet.checks.report import github_lines, text_lines

    lines: list[str] = []
    for _topic, report, problem in checked.reports:
        if report is None:
            lines.append(f"::error::{problem}" if fmt == "github" else f"error: {problem}")
        elif fmt == "github":
            lines += github_lines(report)
        else:
            lines += text_lines(report, colour)
    overdue = [r for r in checked.reviews if r.status == "overdue"]
    due = [r for r in checked.reviews if r.status == "due"]
    lines.append(f"Reviews on {checked.today} ({len(checked.reviews)} topics):")
    for review in checked.reviews:
        mark = {"overdue": "OVERDUE ", "due": "DUE SOON", "ok": "ok      "}.get(
            review.status, "?       "
        )
        lines.append(f"  {mark} {review.slug}: {_review_words(review)}")
        if fmt == "github" and review.status in ("overdue", "due"):
            kind = "error" if review.status == "overdue" else "warning"
            lines.append(f"::{kind} file={review.file},title=review::{_review_words(review)}")
    failed = sum(1 for _, r, _ in checked.reports if r is None or not r.ok)
    lines.append(
        f"{len(checked.reports)} topics: {failed} failed; {len(overdue)} reviews overdue,"
        f" {len(due)} due within {DUE_SOON_DAYS} days"
    )
    return lines


def library_json(checked: LibraryCheck) -> str:
    """The library's check as JSON: each topic's report in the one-file shape, and reviews."""
    from leaflet.checks.report import as_json

    topics: list[dict[str, Any]] = []
    for (topic, report, problem), review in zip(checked.reports, checked.reviews, strict=True):
        topics.append(
            {
                "slug": topic.slug,
                "file": str(topic.content),
                "ok": report is not None and report.ok,
                "problem": problem,
                "report": json.loads(as_json(report)) if report is not None else None,
                "review": {
                    "next_review": review.next_review.isoformat() if review.next_review else None,
                    "days": review.days,
                    "status": review.status,
                },
            }
        )
    data = {
        "schema": SCHEMA,
        "library": str(checked.library.root),
        "today": checked.today.isoformat(),
        "ok": checked.ok,
        "due_within_days": DUE_SOON_DAYS,
        "topics": topics,
    }
    return json.dumps(data, indent=2, ensure_ascii=False)
