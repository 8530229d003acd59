"""The fixed vocabulary of body sites that content may name and the diagrams know how to draw."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

Region = Literal["head", "trunk", "arm", "hand", "leg", "foot"]
Side = Literal["both", "left", "right"]


@dataclass(frozen=True)
class SiteInfo:
    """How one body site is named to each audience and where it belongs."""

    patient: str
    """Plain word for patients, plural where the site is paired ("elbows")."""
    clinician: str
    """Anatomical term for clinicians."""
    region: Region
    """Which part of the body the site belongs to; the diagram groups labels by it."""
    paired: bool
    """True where the site has a left and a right (a `side` may then be given)."""
    back: bool = False
    """True where the site is seen from behind (drawn on the back view)."""


SITES: dict[str, SiteInfo] = {
    "scalp": SiteInfo("scalp", "scalp", "head", paired=False),
    "face": SiteInfo("face", "face", "head", paired=False),
    "ears": SiteInfo("ears", "auricles", "head", paired=True),
    "neck": SiteInfo("neck", "neck", "head", paired=False),
    "shoulders": SiteInfo("shoulders", "shoulders", "trunk", paired=True),
    "chest": SiteInfo("chest", "anterior chest wall", "trunk", paired=False),
    "abdomen": SiteInfo("belly", "abdominal wall", "trunk", paired=False),
    "back": SiteInfo("back", "back", "trunk", paired=False, back=True),
    "upper-arms": SiteInfo("upper arms", "upper arms", "arm", paired=True),
    "elbows": SiteInfo("elbows", "elbows", "arm", paired=True),
    "forearms": SiteInfo("forearms", "forearms", "arm", paired=True),
    "wrists": SiteInfo("wrists", "wrists", "arm", paired=True),
    "hands": SiteInfo("hands", "hands", "hand", paired=True),
    "fingers": SiteInfo("fingers", "digits of the hand", "hand", paired=True),
    "fingertips": SiteInfo("fingertips", "fingertip pulp", "hand", paired=True),
    "hips": SiteInfo("hips", "hips", "leg", paired=True),
    "buttocks": SiteInfo("buttocks", "buttocks", "leg", paired=True, back=True),
    "thighs": SiteInfo("thighs", "thighs", "leg", paired=True),
    "knees": SiteInfo("knees", "knees", "leg", paired=True),
    "shins": SiteInfo("shins", "shins", "leg", paired=True),
    "calves": SiteInfo("calves", "calves", "leg", paired=True, back=True),
    "ankles": SiteInfo("ankles", "ankles", "foot", paired=True),
    "feet": SiteInfo("feet", "feet", "foot", paired=True),
    "toes": SiteInfo("toes", "toes", "foot", paired=True),
}
"""Every site id content may use, in head-to-toe order."""


def suggest_site(name: str, words: dict[str, tuple[str, ...]] | None = None) -> str | None:
    """The closest known site id to a misspelt one, or None when nothing is close.

    words: other names of each site (what patients and clinicians call it: 'belly', 'big toe',
    'kneecap'), tried when no id is close: the id whose word matches best.
    """
    wanted = name.lower().replace(" ", "-")
    matches = difflib.get_close_matches(wanted, SITES, n=1, cutoff=0.6)
    if matches:
        return matches[0]
    if words:
        by_word = {w.lower().replace(" ", "-"): s for s, ws in words.items() for w in ws}
        close = difflib.get_close_matches(wanted, by_word, n=1, cutoff=0.75)
        if close:
            return by_word[close[0]]
    return None


def join_words(words: list[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c': a list as a reader says it."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"
