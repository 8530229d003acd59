"""What an English interface phrase is, for tests that a translated output has none."""

from __future__ import annotations

import re

from leaflet.i18n import catalogue


def english_phrases(locale: str = "es") -> list[str]:
    """Every stretch of words of an en-GB term whose translation differs, and the English words
    for each body site that the translation words otherwise."""
    en, other = catalogue("en-GB"), catalogue(locale)
    phrases = set()
    for key, text in en.terms.items():
        if text == other.terms[key]:
            continue
        for piece in re.split(r"\{\w+\}", text.replace("*", "")):
            piece = piece.strip(" .,:;()\n")
            if sum(c.isalpha() for c in piece) >= 2:
                phrases.add(piece)
    for site, words in en.sites.items():
        for word in (words.patient, words.clinician):
            if word not in (other.sites[site].patient, other.sites[site].clinician):
                phrases.add(word)
    return sorted(phrases)
