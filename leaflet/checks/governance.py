"""Governance: review dates, a way to reach the clinic, sources a reader can find."""

from __future__ import annotations

import re
from collections.abc import Iterator

from leaflet import inline
from leaflet.checks.core import Context, Finding, gate


@gate("governance-dates", "Next review not overdue nor near; reviewed date not in the future")
def governance_dates(context: Context) -> Iterator[Finding]:
    meta = context.document.meta
    today = context.today
    days = (meta.next_review - today).days
    fix = (
        "review the content with its authors, then set `reviewed` to the review date and"
        " `next_review` to the next one"
    )
    if days < 0:
        yield context.at(
            "governance-dates",
            "error",
            ("meta", "next_review"),
            f"the next review was due on {meta.next_review} ({-days} days ago);"
            " patients may be reading out-of-date advice",
            fix,
        )
    elif days <= context.document.checks.review_warning_days:
        yield context.at(
            "governance-dates",
            "warning",
            ("meta", "next_review"),
            f"the next review is due on {meta.next_review}, in {days} days",
            fix,
        )
    if meta.reviewed > today:
        yield context.at(
            "governance-dates",
            "warning",
            ("meta", "reviewed"),
            f"'reviewed' ({meta.reviewed}) is after today ({today})",
            "give the date the review was done",
        )


_DIALABLE = re.compile(r"\+?[\d\s().\-/]+(?:\s*(?:ext\.?|x)\s*\d+)?", re.IGNORECASE)
"""Digits, spaces and the signs people group them with; a leading + and an extension."""


@gate("governance-contact", "Authors and a phone number or email patients can use")
def governance_contact(context: Context) -> Iterator[Finding]:
    organisation = context.document.meta.organisation
    if len(re.findall(r"\d", organisation.phone)) < 3:
        yield context.at(
            "governance-contact",
            "error",
            ("meta", "organisation", "phone"),
            f"'{organisation.phone}' is not a phone number patients can call",
            "give the clinic's number, like 01632 960 123",
        )
    elif not _DIALABLE.fullmatch(organisation.phone):
        what = "letters" if re.search(r"[^\W\d_]", organisation.phone) else "signs"
        yield context.at(
            "governance-contact",
            "error",
            ("meta", "organisation", "phone"),
            f"'{organisation.phone}' has {what}, which a phone cannot dial",
            "write the number in digits, like 0800 356 937; an extension may follow as ext 123",
        )
    email = organisation.email
    if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        yield context.at(
            "governance-contact",
            "error",
            ("meta", "organisation", "email"),
            f"'{email}' is not an email address",
            "write it like clinic@example.org, or remove it",
        )
    for i, author in enumerate(context.document.meta.authors):
        if author.name.strip().lower().strip(".?") in {"tbc", "tbd", "todo", "xxx", "name"}:
            yield context.at(
                "governance-contact",
                "error",
                ("meta", "authors", i, "name"),
                f"author '{author.name}' is a placeholder",
                "name the person or team responsible for the content",
            )


def _has_link(citation: str) -> bool:
    return any(run.url for run in inline.parse(citation))


@gate("source-link", "Every source has a link or a citation a reader can find")
def source_link(context: Context) -> Iterator[Finding]:
    for i, source in enumerate(context.document.sources):
        if source.url is not None or _has_link(source.citation):
            continue
        if re.search(r"\b(?:19|20)\d\d\b", source.citation):
            continue  # a dated citation (author, title, year) can be looked up in a library
        yield context.at(
            "source-link",
            "warning",
            ("sources", i, "citation"),
            "this source has no link and no year, so a reader cannot look it up",
            "add `url: https://…`, or cite it in full with authors, title and year",
        )
