"""Inline runs as reportlab paragraph markup, every character of text escaped."""

from __future__ import annotations

import re
from collections.abc import Iterable
from xml.sax.saxutils import escape

from leaflet import inline
from leaflet.inline import Run

LINK = "#1F4E79"


def runs_markup(runs: Iterable[Run], link_colour: str = LINK) -> str:
    """Runs as reportlab markup; only the runs' own bold, italic and links become tags."""
    out = []
    for run in runs:
        piece = escape(re.sub(r"\s+", " ", run.text))
        if run.bold:
            piece = f"<b>{piece}</b>"
        if run.italic:
            piece = f"<i>{piece}</i>"
        if run.url:
            href = escape(run.url, {'"': "&quot;"})
            piece = f'<a href="{href}" color="{link_colour}"><u>{piece}</u></a>'
        out.append(piece)
    return "".join(out)


def markup(text: str, link_colour: str = LINK) -> str:
    """Content text (the tiny markup) as reportlab paragraph markup."""
    return runs_markup(inline.parse(" ".join(text.split())), link_colour)
