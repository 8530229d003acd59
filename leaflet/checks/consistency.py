"""The parts agree: the body sites the text names are the ones drawn; no section is empty."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from leaflet.checks.core import Context, Finding, gate
from leaflet.checks.readability import UNSPACED_LANGUAGES
from leaflet.checks.texts import pieces
from leaflet.i18n import catalogue
from leaflet.sites import SITES


@cache
def site_words(language: str = "en-GB") -> dict[str, tuple[str, ...]]:
    """Words that name each site in text in the content's language: both audiences' words from
    its catalogue, the catalogue's other words for it (`also`), and, for languages written in
    Latin script, singulars of plurals ('elbow' for 'elbows')."""
    words_of = catalogue(language)
    latin = words_of.locale.split("-")[0] in _PLURAL_S
    out = {}
    for site_id in SITES:
        entry = words_of.sites[site_id]
        words = {entry.patient, entry.clinician, *entry.also}
        if latin:
            words |= {w[:-1] for w in words if w.endswith("s") and not w.endswith("ss")}
        out[site_id] = tuple(sorted(words, key=len, reverse=True))
    return out


_PLURAL_S = {"en", "es", "pt", "fr", "ro"}
"""Languages whose plurals mostly add -s, so that a singular is found by dropping it."""


_PROCLITICS = {"ar": "[وفبلك]", "fa": "[و]"}
"""Letters that Arabic (and, for 'and', Persian) writes joined to the front of the next word
('والمرفقين', 'and the elbows'): a site's name may follow one or two of them."""


def _site_pattern(word: str, language: str) -> str:
    base = language.split("-")[0]
    name = r"\s+".join(map(re.escape, word.split()))
    if base in UNSPACED_LANGUAGES:  # a site's name is found anywhere in the text
        return name
    clitic = _PROCLITICS.get(base)
    before = r"(?<![\w-])" if clitic is None else rf"(?<![\w-])(?:{clitic}{{1,2}})?"
    return before + name + r"(?![\w-])"


def sites_named(text: str, language: str = "en-GB") -> set[str]:
    """Site ids a text names; a longer name wins ('fingertips' is not also 'fingers')."""
    named = set()
    taken: list[tuple[int, int]] = []
    candidates = [(w, s) for s, words in site_words(language).items() for w in words]
    for word, site_id in sorted(candidates, key=lambda c: len(c[0]), reverse=True):
        pattern = _site_pattern(word, language)
        for match in re.finditer(pattern, text, re.IGNORECASE):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            taken.append(span)
            named.add(site_id)
    return named


@gate("site-consistency", "Sites the text names where the condition shows are the sites drawn")
def site_consistency(context: Context) -> Iterator[Finding]:
    # Only the section that shows the diagram says where the condition shows; elsewhere a site word
    # means something else ("the small glands in the neck").
    document = context.document
    section = document.section_with("sites")
    if section is None:
        return
    drawn = {site.id for site in document.sites}
    for audience in ("patient", "clinician"):
        texts = [
            p for p in pieces(document, audience) if p.section == section.id and p.kind == "prose"
        ]
        if not texts:
            continue
        named_anywhere: set[str] = set()
        for piece in texts:
            named = sites_named(piece.text, document.meta.language)
            named_anywhere |= named
            for site_id in sorted(named - drawn, key=list(SITES).index):
                yield context.at(
                    "site-consistency",
                    "error",
                    piece.loc,
                    f"the text names the {SITES[site_id].patient}, but the diagram does not"
                    " draw them",
                    f"add {site_id} to `sites`, or take it out of the text",
                )
        for i, site in enumerate(document.sites):
            if site.id not in named_anywhere:
                yield context.at(
                    "site-consistency",
                    "error",
                    ("sites", i),
                    f"the diagram draws the {SITES[site.id].patient}, but the {audience} text of"
                    f" section '{section.id}' does not name them",
                    f"name the {SITES[site.id].patient} in that section's {audience} text, or"
                    " remove the site",
                )


@gate("empty-section", "Every section shows the reader something")
def empty_section(context: Context) -> Iterator[Finding]:
    document = context.document
    # one pass over the text for all sections: once per section was quadratic in the content
    written = {p.section for p in pieces(document, "patient") if p.kind == "prose" and p.text}
    for i, section in enumerate(document.sections):
        if section.block is not None and (
            section.block == "sites" or getattr(document, section.block)
        ):
            continue
        if section.id not in written:
            yield context.at(
                "empty-section",
                "error",
                ("sections", i),
                f"section '{section.id}' has a heading but nothing under it for patients",
                "write a paragraph, add a `block:`, or remove the section",
            )
