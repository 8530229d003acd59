"""The deck can be made: every slide title fits its slide (the planner's own measure)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from leaflet import inline
from leaflet.checks.core import Context, Finding, gate
from leaflet.loader import Loc

_PART = re.compile(r"\s*\([^()]*\)$")
"""A numbered title's part, "(2 of 3)", as the catalogue's `deck.part_title` adds it."""


@gate("deck-titles", "Every deck slide title fits its slide")
def deck_titles(context: Context) -> Iterator[Finding]:
    if "deck" not in context.document.editions:
        return
    from leaflet.deck.plan import TITLE_MIN, PlacedTitleTooLong, plan
    from leaflet.edition import EDITIONS, compose

    try:
        plan(compose(context.document, EDITIONS["deck"]))
    except PlacedTitleTooLong as error:
        shown = error.title if len(error.title) <= 60 else error.title[:60].rstrip() + "…"
        yield context.at(
            "deck-titles",
            "error",
            _title_loc(context.located.data, error.title, error.where),
            f"the deck's slide title '{shown}' takes {error.taken} lines at {TITLE_MIN:g} pt,"
            f" and a slide has room for {error.most}",
            "shorten it; the deck uses the clinician wording",
        )


def _title_loc(data: Any, title: str, where: str) -> Loc:
    """Where the content says the title: its clinician wording, else the deck's part."""
    for wanted in (title, _PART.sub("", title)):
        found = _find(data, wanted, ())
        if found is not None:
            return found
    match = re.fullmatch(r"sections\[(\d+)\]", where)
    if match:
        return ("sections", int(match.group(1)), "heading")
    return tuple(where.split(".")) if re.fullmatch(r"[a-z_.]+", where) else ()


def _find(node: Any, wanted: str, loc: Loc) -> Loc | None:
    if isinstance(node, dict):
        keys = sorted(node, key=lambda k: k != "clinician")  # the deck's wording first
        for key in keys:
            found = _find(node[key], wanted, (*loc, key))
            if found is not None:
                return found
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found = _find(item, wanted, (*loc, index))
            if found is not None:
                return found
    elif isinstance(node, str) and loc and loc[-1] in ("clinician", "patient"):
        try:
            shown = inline.plain(node)
        except inline.MarkupError:
            return None
        if " ".join(shown.split()) == " ".join(wanted.split()):
            return loc
    return None
