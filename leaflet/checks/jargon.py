"""Medical words in patient text, which must be explained in the glossary or the same section."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from importlib.resources import files
from typing import Any

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


_TERMINAL = ""
"""The key under which a trie node lists the terms that end there (no token is empty)."""

Trie = dict[str, Any]


def tokens(text: str) -> list[str]:
    """The text's words as the term patterns see them: runs of letters, digits, _ and -."""
    return re.findall(r"[\w-]+", text.casefold())


def _trie(terms: Iterable[str]) -> Trie:
    root: Trie = {}
    for term in terms:
        node = root
        for token in tokens(term):
            node = node.setdefault(token, {})
        if node is not root:
            node.setdefault(_TERMINAL, []).append(term)
    return root


def occurrences(trie: Trie, stream: list[str]) -> Iterator[tuple[str, int, int]]:
    """(term, first token, last token) wherever a term's words stand in a row in the stream.

    Every place a term's pattern can match is among these (a superset: the pattern decides).
    One walk from each token, as deep as the terms go: time linear in the text, where trying
    every term at every section was the number of terms times the text.
    """
    for start in range(len(stream)):
        node = trie
        for at in range(start, len(stream)):
            token = stream[at]
            for plural in ("s", "es"):  # the patterns take a plural ending on the last word
                if token.endswith(plural):
                    stem = node.get(token[: -len(plural)])
                    for term in stem.get(_TERMINAL, ()) if stem else ():
                        yield term, start, at
            child: Trie | None = node.get(token)
            if child is None:
                break
            node = child
            for term in node.get(_TERMINAL, ()):
                yield term, start, at


class _Glossary:
    """Whether the glossary names or explains a term, each term worked out once."""

    def __init__(self, context: Context, trie: Trie) -> None:
        self.entries = context.document.glossary
        self.where: dict[str, list[int]] = {}
        for i, entry in enumerate(self.entries):
            for text in (entry.term, entry.meaning):
                for term, _, _ in occurrences(trie, tokens(text)):
                    if i not in self.where.setdefault(term, [])[-1:]:
                        self.where[term].append(i)
        self.known: dict[str, bool] = {}

    def explains(self, term: str) -> bool:
        if term not in self.known:
            wanted = _finder(term)
            self.known[term] = any(
                wanted.search(self.entries[i].term) or _explained_by(term, self.entries[i].meaning)
                for i in self.where.get(term, ())
            )
        return self.known[term]


@gate("jargon", "Medical words in patient text that are not explained")
def jargon(context: Context) -> Iterator[Finding]:
    extra = context.document.checks.extra_jargon
    for i, word in enumerate(extra):
        if not tokens(word):
            yield context.at(
                "jargon",
                "error",
                ("checks", "extra_jargon", i),
                f"'{word}' is not a word, so no text can be checked for it",
                "give the medical word in letters, like 'nodule', or remove it",
            )
    # The shipped lists are English words: other languages get only their own extra_jargon.
    english = context.document.meta.language.split("-")[0] == "en"
    terms = dict.fromkeys([*(shipped_terms() if english else ()), *extra])
    order = {term: i for i, term in enumerate(terms)}
    trie = _trie(terms)
    glossary = _Glossary(context, trie)
    by_section: dict[str, list[Piece]] = {}
    for piece in pieces(context.document, "patient"):
        if piece.section != "glossary":
            by_section.setdefault(piece.section, []).append(piece)
    for group in by_section.values():
        stream: list[str] = []
        owner: list[int] = []
        for k, piece in enumerate(group):
            words = tokens(piece.text)
            stream += words
            owner += [k] * len(words)
        spans: dict[str, dict[tuple[int, int], None]] = {}
        for term, first_token, last_token in occurrences(trie, stream):
            spans.setdefault(term, {})[owner[first_token], owner[last_token]] = None
        for term in sorted(spans, key=order.__getitem__):
            finder = _finder(term)
            inside = dict.fromkeys(a for a, b in spans[term] if a == b)
            first = next((group[k] for k in inside if finder.search(group[k].text)), None)
            if first is None or glossary.explains(term):
                continue
            # an explanation stands next to the word: the pieces around each place it is found
            if any(
                _explained_by(term, "\n".join(p.text for p in group[max(a - 1, 0) : b + 2]))
                for a, b in spans[term]
            ):
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
