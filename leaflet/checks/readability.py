"""Reading grade of patient text (Flesch-Kincaid, SMOG), counted offline with pyphen."""

from __future__ import annotations

import itertools
import math
import re
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet.checks.core import Context, Finding, Severity, gate
from leaflet.checks.texts import Piece, pieces

if TYPE_CHECKING:
    import pyphen

_SENTENCE_END = re.compile(
    r"(?<=[.!?\u06d4\u061f])[\"')\]\u00bb\u201d]*\s+"  # . ! ? and Urdu's ۔ and Arabic's ؟
    r"|(?<=[\u3002\uff01\uff1f])[\u201d\u300d\u300f\uff09]*\s*"  # Chinese 。！？ need no space
    r"|(?<=[:;])\s+(?=[A-Z])"
)
UNSPACED_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my"})
"""Languages written without spaces between words."""
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
"""A word in any script: letters and digits, with apostrophes inside (don't, l'eau)."""
_VOWELS = re.compile(r"[aeiouy]+")


@cache
def _patterns() -> tuple[bytes, str, tuple[tuple[str, str], ...], int]:
    """pyphen's English dictionary: its first line, its encoding, each line with its letters
    (the line without its digits), and the most letters a line has (at least a pattern's)."""
    # pyphen ships its hyphenation dictionaries inside the wheel: no download at run time.
    import pyphen

    raw = pyphen.LANGUAGES[pyphen.language_fallback("en_GB")].read_bytes()
    first, _, rest = raw.partition(b"\n")
    encoding = first.decode().strip()
    if encoding.lower() == "microsoft-cp1251":  # as pyphen reads it
        encoding = "cp1251"
    # Digits are single ASCII bytes in every encoding these dictionaries use.
    letters = rest.translate(None, b"0123456789").decode(encoding).split("\n")
    lines = tuple(zip(map(str.strip, letters), rest.decode(encoding).split("\n"), strict=True))
    return first, encoding, lines, max(len(letters) for letters, _ in lines)


def _trimmed(vocabulary: Collection[str]) -> list[str]:
    """The dictionary's lines that can apply to these words."""
    _, _, lines, longest = _patterns()
    fragments: set[str] = set()
    for word in vocabulary:
        dotted = f".{word}."
        for i in range(len(dotted)):
            fragments.update(dotted[i:j] for j in range(i + 1, min(i + longest, len(dotted)) + 1))
    # Lines with ^^hex escapes or nonstandard breaks (a/b) are kept whole: their letters are
    # not simply the line without digits.
    return [line for letters, line in lines if letters in fragments or "^" in line or "/" in line]


@cache
def _whole() -> pyphen.Pyphen:
    import pyphen

    return pyphen.Pyphen(lang="en_GB")


def _hyphenator(vocabulary: Collection[str]) -> Callable[[str], list[str]]:
    """How to cut each of these words at its hyphenation points, from only the patterns they
    can use.

    Liang's method applies a pattern to a word only where the pattern's letters occur in
    ".word.", so a dictionary trimmed to those patterns hyphenates these words exactly as the
    whole one does. Parsing all 14,000 patterns costs more than every other gate together; the
    thousand or so a leaflet's words can use take a few milliseconds.
    """
    import pyphen

    first, encoding, _, _ = _patterns()
    kept = _trimmed(vocabulary)
    if not kept:
        return lambda word: [word]  # no pattern applies to any of these words: no breaks
    try:
        with tempfile.TemporaryDirectory(prefix="leaflet-hyph-") as folder:
            path = Path(folder, "hyph_en_GB.dic")
            path.write_bytes(first + b"\n" + "\n".join(kept).encode(encoding) + b"\n")
            hyphenator = pyphen.Pyphen(filename=path, cache=False)  # reads the whole file now
            # pyphen files every dictionary it reads, even uncached; this one is never reused
            getattr(pyphen, "hdcache", {}).pop(path, None)
    except OSError:  # no writable temporary folder: the whole dictionary, parsed once
        hyphenator = _whole()
    return lambda word: str(hyphenator.inserted(word, hyphen="-")).split("-")


def _vowel_groups(part: str) -> int:
    """Syllables of one hyphenation part, by vowel groups less a silent final e."""
    groups = _VOWELS.findall(part)
    count = len(groups)
    if count > 1 and groups[-1] == "e":
        count -= _silent_ending(part)
    return max(1, count)


def _silent_ending(part: str) -> bool:
    """A final e, es or ed that adds no syllable ("made", "makes", "used"; not "able")."""
    if part.endswith("e"):
        return not re.search(r"[^aeiouy]le$", part)
    if part.endswith("es"):
        return not re.search(r"(?:[szxgc]h?|[^aeiouy]l)es$", part)
    return part.endswith("ed") and not part.endswith(("ted", "ded"))


_counted: dict[str, int] = {}
"""Syllables of each word counted so far, by its lower-case form."""


def _normal(word: str) -> str:
    """A word as it is counted: lower case, without quotes round it."""
    return word.lower().strip("'’")


def syllables(word: str) -> int:
    """Syllables in a word: pyphen's hyphenation points, each part counted by its vowels.

    Hyphenation alone misses breaks its patterns do not cover ("menopause" has none);
    vowel groups alone miscount silent letters; the parts of one, counted by the other,
    agree with dictionary counts for the words patient leaflets use.
    """
    word = _normal(word)
    if not word:
        return 0
    if word.isdigit():
        return max(1, min(len(word), 3))
    if word not in _counted:
        _count([word])
    return _counted[word]


def _count(words: Iterable[str]) -> None:
    """Count the syllables of words not yet counted (normalised, not numbers), all at once."""
    new = {w for w in words if w and not w.isdigit() and w not in _counted}
    if not new:
        return
    parts_of = _hyphenator(new)
    for word in new:
        parts = parts_of(word)
        _counted[word] = max(1, sum(_vowel_groups(part) for part in parts if part))


def sentences(text: str) -> list[str]:
    """Sentences of a text: split after . ! ? (and the Urdu, Arabic and Chinese full stops and
    question marks) and after : or ; that start a new clause."""
    return [s for s in (part.strip() for part in _SENTENCE_END.split(text)) if _WORD.search(s)]


def words(sentence: str) -> list[str]:
    # Hyphenated words count as their parts: "blood-thinning" is read as two words.
    return _WORD.findall(sentence.replace("-", " "))


@dataclass(frozen=True)
class Grade:
    """Readability of one stretch of text."""

    sentences: int
    words: int
    syllables: int
    polysyllables: int
    """Words of three or more syllables (SMOG counts them)."""
    language: str = "en"
    """Whose formula grades it: en (Flesch-Kincaid, SMOG), es (Fernández-Huerta), pl (Pisarek)."""
    long_words: int = 0
    """Words of four or more syllables (Pisarek's hard words, in Polish)."""

    @property
    def flesch_kincaid(self) -> float:
        if not self.words:
            return 0.0
        per_sentence = self.words / self.sentences
        return 0.39 * per_sentence + 11.8 * self.syllables / self.words - 15.59

    @property
    def smog(self) -> float:
        if not self.sentences:
            return 0.0
        return 1.0430 * math.sqrt(self.polysyllables * 30 / self.sentences) + 3.1291

    @property
    def fernandez_huerta(self) -> float:
        """Fernández-Huerta's reading ease for Spanish (0 hard to 100 easy): 206.84 − 0.60 P −
        1.02 F, with P syllables per 100 words and F words per sentence.

        The formula is usually printed with F "sentences per 100 words", which makes shorter
        sentences read harder; it adapts Flesch's 206.835 − 84.6 syllables/word − 1.015
        words/sentence, and with words per sentence it does (G. Law, "Error in the Fernandez
        Huerta Readability Formula", LINGUIST List 22.2332, 2011; as textstat computes it)."""
        if not self.words or not self.sentences:
            return 100.0
        per_100 = 100 / self.words
        return 206.84 - 0.60 * self.syllables * per_100 - 1.02 * self.words / self.sentences

    @property
    def pisarek(self) -> float:
        """Pisarek's grade for Polish (years of schooling): √(x² + y²) / 2, with x the mean
        sentence length in words and y the share of words of four or more syllables, in %."""
        if not self.words or not self.sentences:
            return 0.0
        x = self.words / self.sentences
        y = 100 * self.long_words / self.words
        return math.sqrt(x * x + y * y) / 2

    @property
    def formula(self) -> str:
        """How the grade was found, as messages name it."""
        if self.language == "es":
            return f"Fernández-Huerta ease {self.fernandez_huerta:.1f}"
        if self.language == "pl":
            return f"Pisarek {self.pisarek:.1f}"
        return f"Flesch-Kincaid {self.flesch_kincaid:.1f}, SMOG {self.smog:.1f}"

    @property
    def grade(self) -> float:
        """The grade the gate compares, to one decimal: Flesch-Kincaid, and SMOG too if it is
        higher and there are enough sentences for SMOG to mean anything; in Spanish,
        Fernández-Huerta's ease read off its school-grade table; in Polish, Pisarek's."""
        if self.language == "es":
            return round(_ease_grade(self.fernandez_huerta), 1)
        if self.language == "pl":
            return round(self.pisarek, 1)
        grade = self.flesch_kincaid
        if self.sentences >= SMOG_MIN_SENTENCES:
            grade = max(grade, self.smog)
        return round(grade, 1)


_EASE_TO_GRADE = (
    (100.0, 4.0),
    (90.0, 5.0),
    (80.0, 6.0),
    (70.0, 7.0),
    (60.0, 8.5),
    (50.0, 11.0),
    (30.0, 14.0),
    (0.0, 17.0),
)
"""Fernández-Huerta's ease on Flesch's scale, which it was fitted to, and the school grade Flesch
gives each band (90-100: 5th grade, 80-90: 6th, 70-80: 7th, 60-70: 8th-9th, 50-60: 10th-12th,
30-50: college), read at the band's lower edge and joined by straight lines."""


def _ease_grade(ease: float) -> float:
    points = _EASE_TO_GRADE
    if ease >= points[0][0]:
        return points[0][1]
    for (high, at_high), (low, at_low) in itertools.pairwise(points):
        if ease >= low:
            return at_low + (at_high - at_low) * (ease - low) / (high - low)
    return points[-1][1]


_NUCLEUS = {
    # a vowel starts a new syllable unless it joins the one before it (a diphthong)
    "es": ("aeiouáéíóúü", "iuü"),
    "pl": ("aąeęioóuy", "i"),
}
"""Per language: its vowels, and those that glide into a neighbouring vowel (Spanish unstressed
i and u form diphthongs with any vowel; Polish i before a vowel only softens the consonant)."""


@cache
def _pyphen_for(language: str) -> pyphen.Pyphen:
    import pyphen

    return pyphen.Pyphen(lang=pyphen.language_fallback(language) or language)


def syllables_in(word: str, language: str) -> int:
    """Syllables of a Spanish or Polish word: pyphen's hyphenation parts (its dictionary for the
    language, shipped in the package), each counted by its vowel nuclei."""
    word = _normal(word)
    if not word:
        return 0
    if word.isdigit():
        return max(1, min(len(word), 3))
    vowels, glides = _NUCLEUS[language]
    total = 0
    for part in str(_pyphen_for(language).inserted(word, hyphen="-")).split("-"):
        count = 0
        previous = ""
        for char in part:
            if char in vowels:
                joins = (
                    bool(previous)
                    and previous in vowels
                    and (
                        (language == "es" and (char in glides or previous in glides))
                        or (language == "pl" and previous in glides)
                    )
                )
                if not joins:
                    count += 1
            previous = char
        total += count
    return max(1, total)


SMOG_MIN_SENTENCES = 30
"""SMOG was validated on samples of 30 sentences; on a short section it swings by grades."""


def measure(
    texts: Iterable[str], taught: frozenset[str] = frozenset(), language: str = "en"
) -> Grade:
    """Count a text; `taught` words (the glossary's, the topic's) are not hard words for SMOG
    (nor for Pisarek). language: en, es or pl (GRADED_LANGUAGES)."""
    split = [words(sentence) for text in texts for sentence in sentences(text)]
    if language != "en":
        n_sentences = len(split)
        n_words = n_syllables = n_poly = n_long = 0
        for sentence_words in split:
            for word in sentence_words:
                count = syllables_in(word, language)
                n_words += 1
                n_syllables += count
                hard = _stem(word) not in taught
                n_poly += count >= 3 and hard
                n_long += count >= 4 and hard
        return Grade(n_sentences, n_words, n_syllables, n_poly, language, n_long)
    _count(_normal(word) for sentence in split for word in sentence)
    n_sentences = n_words = n_syllables = n_poly = 0
    for sentence_words in split:
        n_sentences += 1
        for word in sentence_words:
            count = syllables(word)
            n_words += 1
            n_syllables += count
            n_poly += count >= 3 and _stem(word) not in taught
    return Grade(n_sentences, n_words, n_syllables, n_poly)


def _stem(word: str) -> str:
    word = word.lower()
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def taught_words(context: Context) -> frozenset[str]:
    """Words the leaflet teaches: those of the topic and of every glossary term."""
    document = context.document
    texts = [document.meta.topic.patient, *(term.term for term in document.glossary)]
    return frozenset(_stem(w) for text in texts for w in words(text))


@dataclass(frozen=True)
class SectionGrade:
    """The measured grade of one leaflet section, or of the whole leaflet ('overall')."""

    section: str
    loc: tuple[str | int, ...]
    grade: Grade


GRADED_LANGUAGES = frozenset({"en", "es", "pl"})
"""Languages whose reading grade leaflet measures, each with a formula made for it: English
(Flesch-Kincaid and SMOG), Spanish (Fernández-Huerta), Polish (Pisarek); syllables from pyphen's
dictionary for the language. Content in any other language is not graded at all rather than
graded wrongly; `leaflet check` says so."""


def graded(context: Context) -> bool:
    """Whether the content's language has a reading-grade formula here."""
    return context.document.meta.language.split("-")[0] in GRADED_LANGUAGES


def section_grades(context: Context) -> list[SectionGrade]:
    """Grade per section (its prose, patient wording) and overall, in reading order; none for a
    language without a formula here (GRADED_LANGUAGES)."""
    if not graded(context):
        return []
    by_section: dict[str, list[Piece]] = {}
    for piece in pieces(context.document, "patient"):
        if piece.kind == "prose":
            by_section.setdefault(piece.section, []).append(piece)
    index = {s.id: i for i, s in enumerate(context.document.sections)}
    taught = taught_words(context)
    everything = [p.text for group in by_section.values() for p in group]
    language = context.document.meta.language.split("-")[0]
    if language == "en":  # one dictionary for all
        _count(_normal(word) for text in everything for word in words(text))
    out = []
    for name, group in by_section.items():
        loc: tuple[str | int, ...] = ("sections", index[name]) if name in index else (name,)
        out.append(SectionGrade(name, loc, measure((p.text for p in group), taught, language)))
    out.append(SectionGrade("overall", ("sections",), measure(everything, taught, language)))
    return out


@gate("reading-level", "Reading grade of patient text, per section and overall")
def reading_level(context: Context) -> Iterator[Finding]:
    limits = context.document.checks.reading_grade
    for measured in section_grades(context):
        grade = measured.grade
        if grade.grade <= limits.warn:
            continue
        severity: Severity = "error" if grade.grade > limits.error else "warning"
        limit = limits.error if severity == "error" else limits.warn
        where = (
            "the patient text overall"
            if measured.section == "overall"
            else (f"section '{measured.section}'")
        )
        yield context.at(
            "reading-level",
            severity,
            measured.loc,
            f"{where} reads at grade {grade.grade:g} ({grade.formula}); the limit is {limit:g}",
            "use shorter sentences and everyday words of one or two syllables",
        )


@gate("long-sentence", "Patient sentences longer than checks.sentence_words")
def long_sentence(context: Context) -> Iterator[Finding]:
    limit = context.document.checks.sentence_words
    if context.document.meta.language.split("-")[0] in UNSPACED_LANGUAGES:
        return  # no spaces between words: no words to count
    for piece in pieces(context.document, "patient"):
        if piece.kind != "prose":
            continue
        for sentence in sentences(piece.text):
            count = len(words(sentence))
            if count > limit:
                start = " ".join(sentence.split()[:6])
                yield context.at(
                    "long-sentence",
                    "warning",
                    piece.loc,
                    f"the sentence '{start} …' has {count} words; the limit is {limit}",
                    "split it into two sentences",
                )
