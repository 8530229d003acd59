"""Medical words in patient text, which must be explained in the glossary or the same section."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib.resources import files

from leaflet.checks.core import Context, Finding, gate
from leaflet.checks.texts import Piece, pieces


@cache
def shipped_terms() -> tuple[str, ...]:
    """The word lists shipped with the tool: leaflet/data/jargon.txt and medicines.txt."""
    found: list[str] = []
    for name in ("jargon.txt", "medicines.txt"):
        text = files("leaflet").joinpath("data", name).read_text("utf-8")
        lines = (line.strip() for line in text.splitlines())
        found += [line for line in lines if line and not line.startswith("#")]
    return tuple(dict.fromkeys(found))


def _term_pattern(term: str) -> str:
    words = r"\s+".join(re.escape(w) for w in term.split())
    return rf"(?<![\w-]){words}(?:s|es)?(?![\w-])"


def _finder(term: str) -> re.Pattern[str]:
    # An acronym matches only in capitals: "NSAID" is jargon, a word spelt the same is not.
    flags = 0 if term.isupper() else re.IGNORECASE
    return re.compile(_term_pattern(term), flags)


def _explained_by(term: str, text: str) -> bool:
    """True when the text explains the term in one of the ways plain-language writers do."""
    t = _term_pattern(term)
    patterns = (
        rf"\bcall(?:s|ed)?\s+(?:this|it|them|these|that)?\s*(?:an?\s+)?\**{t}",
        rf"{t}\**,\s+(?:an?|the|which|where|that|when|or|meaning)\b",
        rf"{t}\s+(?:is|are|means|mean)\s+(?:an?|the|when|where|how|what)\b",
        rf"\(\s*{t}\s*\)",
        rf"{t}\s*\(",
    )
    return any(re.search(p, text, re.IGNORECASE) for p in patterns)


def _in_glossary(term: str, context: Context) -> bool:
    wanted = _finder(term)
    for entry in context.document.glossary:
        if wanted.search(entry.term) or _explained_by(term, entry.meaning):
            return True
    return False


@gate("jargon", "Medical words in patient text that are not explained")
def jargon(context: Context) -> Iterator[Finding]:
    # The shipped lists are English words: other languages get only their own extra_jargon.
    english = context.document.meta.language.split("-")[0] == "en"
    shipped = shipped_terms() if english else ()
    terms = dict.fromkeys([*shipped, *context.document.checks.extra_jargon])
    by_section: dict[str, list[Piece]] = {}
    for piece in pieces(context.document, "patient"):
        if piece.section != "glossary":
            by_section.setdefault(piece.section, []).append(piece)
    for group in by_section.values():
        section_text = "\n".join(p.text for p in group)
        folded = section_text.casefold()
        for term in terms:
            if term.split()[0].casefold() not in folded:
                continue  # most terms never occur: skip building their patterns
            finder = _finder(term)
            first = next((p for p in group if finder.search(p.text)), None)
            if first is None or _in_glossary(term, context):
                continue
            if _explained_by(term, section_text):
                continue
            found = finder.search(first.text)
            word = found.group() if found else term
            yield context.at(
                "jargon",
                "error",
                first.loc,
                f"'{word}' is a medical word that this section does not explain",
                f"add it to the glossary, or explain it here: '{word}, a …' or"
                f" '… (doctors call this {word})'",
            )
