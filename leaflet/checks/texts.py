"""The content's text as readers meet it: each piece with its place and the section it shows in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from leaflet import inline
from leaflet.loader import Loc
from leaflet.model import Audience, Document, Name, Wording

Kind = Literal["prose", "label"]


@dataclass(frozen=True)
class Piece:
    """One text value in one audience's wording."""

    loc: Loc
    """Where the text is in the content tree."""
    text: str
    """What the reader sees: markup removed, spaces collapsed."""
    kind: Kind
    """'prose' is sentences (read for grade); 'label' is a name or heading (a fragment)."""
    section: str
    """The leaflet section it shows in: a section id, 'title' or 'glossary'."""


def _piece(
    loc: Loc, wording: Wording | Name, audience: Audience, kind: Kind, section: str
) -> Piece:
    text = " ".join(inline.plain(wording.for_(audience)).split())
    return Piece((*loc, audience), text, kind, section)


def pieces(document: Document, audience: Audience) -> Iterator[Piece]:
    """Every text of one audience, in reading order, tagged with its section."""
    meta = document.meta
    yield _piece(("meta", "title"), meta.title, audience, "label", "title")
    if meta.subtitle is not None:
        yield _piece(("meta", "subtitle"), meta.subtitle, audience, "label", "title")
    for i, section in enumerate(document.sections):
        sid = section.id
        yield _piece(("sections", i, "heading"), section.heading, audience, "label", sid)
        for j, paragraph in enumerate(section.paragraphs):
            yield _piece(("sections", i, "paragraphs", j), paragraph, audience, "prose", sid)
        if section.block is not None:
            yield from _block(document, section.block, audience, sid)
    if audience == "patient":
        for i, term in enumerate(document.glossary):
            text = " ".join(inline.plain(term.meaning).split())
            yield Piece(("glossary", i, "meaning"), text, "prose", "glossary")


def _block(document: Document, block: str, audience: Audience, sid: str) -> Iterator[Piece]:
    if block == "types":
        shown: set[str] = set()
        where = {cause.id: k for k, cause in enumerate(document.causes)}
        for i, kind in enumerate(document.types):
            loc: Loc = ("types", i)
            yield _piece((*loc, "name"), kind.name, audience, "label", sid)
            yield _piece((*loc, "mechanism"), kind.mechanism, audience, "prose", sid)
            for cause_id in kind.causes:
                if cause_id not in shown and cause_id in where:  # else the loader has said so
                    shown.add(cause_id)
                    index = where[cause_id]
                    cause = document.causes[index]
                    yield _piece(("causes", index, "name"), cause.name, audience, "label", sid)
            for j, example in enumerate(kind.examples):
                yield _piece((*loc, "examples", j), example, audience, "prose", sid)
            if kind.note is not None:
                yield _piece((*loc, "note"), kind.note, audience, "prose", sid)
    elif block == "risk_factors":
        for i, risk in enumerate(document.risk_factors):
            loc = ("risk_factors", i)
            yield _piece((*loc, "factor"), risk.factor, audience, "prose", sid)
            if risk.why is not None:
                yield _piece((*loc, "why"), risk.why, audience, "prose", sid)
            if risk.advice is not None:
                yield _piece((*loc, "advice"), risk.advice, audience, "prose", sid)
    elif block == "treatments":
        for i, treatment in enumerate(document.treatments):
            loc = ("treatments", i)
            yield _piece((*loc, "name"), treatment.name, audience, "label", sid)
            yield _piece((*loc, "what"), treatment.what, audience, "prose", sid)
            for j, caveat in enumerate(treatment.caveats):
                yield _piece((*loc, "caveats", j), caveat, audience, "prose", sid)
    elif block == "warning_signs":
        for i, sign in enumerate(document.warning_signs):
            yield _piece(("warning_signs", i), sign, audience, "prose", sid)
    elif block != "sites":  # the sites block shows generated site names, checked elsewhere
        raise ValueError(f"no rule for block {block!r}")
