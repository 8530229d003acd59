"""Measuring text with Arimo metrics: word wrap, block heights, shrinking and splitting."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from leaflet import inline
from leaflet.fonts import DECK_MEASURE_FONT, Face, script_of, text_width_pt, word_extent_em
from leaflet.inline import Run

LINE_HEIGHT = 1.2
"""Line pitch as a multiple of the font size; the deck sets it as exact line spacing."""
WRAP_SAFETY = 0.97
"""Wrap as if lines were this much narrower, so a renderer's rounding never adds a line."""
INSET_X_PT = 7.2
"""Left and right inset of every text frame and table cell."""
INSET_Y_PT = 3.6
"""Top and bottom inset of every text frame and table cell."""


@dataclass(frozen=True)
class Para:
    """One paragraph of a text frame or table cell."""

    spans: tuple[Run, ...]
    """The text, in runs."""
    level: int = 0
    """Outline level: 0 for a bullet, 1 for a sub-bullet."""
    bullet: bool = True
    """Whether a bullet character hangs to the left of the text."""
    scale: float = 1.0
    """Font size relative to the frame's size (a title slide's smaller lines)."""
    space_before: float = 0.5
    """Space before the paragraph, in lines of its own size; ignored for a frame's first."""
    keep_with_next: bool = False
    """A lead-in ("Seek review for:") that must not end a slide."""
    note: str = ""
    """Words for the speaker notes only, after the paragraph's text (a link's address)."""

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)

    def indent_pt(self) -> float:
        """Where the text starts, right of the frame's inset (the bullet hangs left of it)."""
        if not self.bullet and self.level == 0:
            return 0.0
        return 24.0 + 30.0 * self.level


def para(text: str, **options: object) -> Para:
    """A paragraph from content text with inline markup."""
    spans = tuple(inline.parse(text))
    return Para(spans, **options)  # type: ignore[arg-type]


def plain_para(*parts: str | Run, **options: object) -> Para:
    """A paragraph from literal strings and spans; strings are never parsed as markup."""
    spans = tuple(Run(p) if isinstance(p, str) else p for p in parts)
    return Para(spans, **options)  # type: ignore[arg-type]


REFERENCE_PT = 100.0
"""Words are measured once, at this size, and scaled: advance widths grow with the size."""


def _width(text: str, face: Face, size_pt: float) -> float:
    """A word's advance width at a size; fitting tries each word at many sizes."""
    return _reference_width(text, face) * (size_pt / REFERENCE_PT)


@lru_cache(maxsize=65536)
def _reference_width(text: str, face: Face) -> float:
    return text_width_pt(text, DECK_MEASURE_FONT, face, REFERENCE_PT)


@lru_cache(maxsize=4096)
def _words(spans: tuple[Run, ...], size_pt: float) -> tuple[tuple[float, float], ...]:
    """Each word's width and the width of the space after it, across span boundaries; asked
    again for each frame width a fit tries, so kept."""
    words: list[tuple[float, float]] = []
    width = 0.0
    pending = False
    for span in spans:
        pieces = span.text.split(" ")
        for k, piece in enumerate(pieces):
            if k > 0:
                space = _width(" ", span.face, size_pt)
                if pending:
                    words.append((width, space))
                elif words:
                    words[-1] = (words[-1][0], words[-1][1] + space)
                width, pending = 0.0, False
            if piece:
                width += _width(piece, span.face, size_pt)
                pending = True
    if pending:
        words.append((width, 0.0))
    return tuple(words)


@lru_cache(maxsize=4096)
def line_factor(spans: tuple[Run, ...]) -> float:
    """Line pitch of a paragraph as a multiple of its size: LINE_HEIGHT, or more where a word
    of a taller script (Arabic, Bengali, Devanagari) needs it, measured in the font that draws
    it: its ink above the baseline and its font's descent below (LibreOffice sets an exact
    pitch's first baseline that far above the line's foot, and a table cell clips above)."""
    factor = LINE_HEIGHT
    for span in spans:
        if span.text.isascii():
            continue
        for word in span.text.split():
            if all(script_of(c) in (None, "latin") for c in word):
                continue
            ascent, descent = word_extent_em(word, DECK_MEASURE_FONT, span.face)
            factor = max(factor, round(ascent + descent + 0.05, 2))
    return factor


def pitch_pt(paragraph: Para, size_pt: float) -> float:
    """Distance between the baselines of a paragraph's lines at a frame's size."""
    return size_pt * paragraph.scale * line_factor(paragraph.spans)


def line_count(paragraph: Para, width_pt: float, size_pt: float) -> int:
    """Lines the paragraph wraps to in a frame of this inner width (insets excluded)."""
    size = size_pt * paragraph.scale
    room = (width_pt - paragraph.indent_pt()) * WRAP_SAFETY
    lines, used = 1, 0.0
    for word, space in _words(paragraph.spans, size):
        if used and used + word > room:
            lines += 1
            used = 0.0
        if word > room:  # an over-long word breaks across lines
            extra = int(word // room)
            lines += extra
            used = word - extra * room + space
        else:
            used += word + space
    return lines


def paras_height(paras: Sequence[Para], width_pt: float, size_pt: float) -> float:
    """Height of paragraphs stacked in a frame of this inner width, without insets."""
    height = 0.0
    for k, paragraph in enumerate(paras):
        pitch = pitch_pt(paragraph, size_pt)
        if k:
            height += paragraph.space_before * pitch
        height += line_count(paragraph, width_pt, size_pt) * pitch
    return height


def frame_height(paras: Sequence[Para], width_pt: float, size_pt: float) -> float:
    """Height a text frame of this outer width needs, insets included."""
    return paras_height(paras, width_pt - 2 * INSET_X_PT, size_pt) + 2 * INSET_Y_PT


def sizes(largest: float, smallest: float) -> list[float]:
    """Candidate font sizes, largest first, in whole points."""
    return [float(s) for s in range(int(largest), int(smallest) - 1, -1)]


def fit_size(
    paras: Sequence[Para], width_pt: float, height_pt: float, largest: float, smallest: float
) -> float | None:
    """The largest size at which the paragraphs fit the frame, or None."""
    for size in sizes(largest, smallest):
        if frame_height(paras, width_pt, size) <= height_pt:
            return size
    return None


SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+|[。！？]+[」』）]*|[۔।؟]\s+")
"""Where a sentence may end: a full stop (or ! ? …) with any closing quotes or brackets and a
space; CJK stops need no space."""


def sentence_ends(text: str) -> list[int]:
    """Offsets in `text` where a sentence after the first begins.

    A stop followed by a lower-case letter ends no sentence ("e.g. warfarin", "approx. 5").
    """
    ends = []
    for match in SENTENCE_END.finditer(text):
        at = match.end()
        if at < len(text) and not text[at].islower() and not text[at].isdigit():
            ends.append(at)
    return ends


def _split_para(
    paragraph: Para, width_pt: float, size_pt: float, room_pt: float, *, words: bool = False
) -> tuple[Para, Para] | None:
    """The paragraph cut between sentences so that the head fits in room_pt, or None.

    With `words`, a single sentence too long for a whole frame is cut at a word instead: the
    only way to place it without clipping it.
    """
    text = paragraph.text
    if words:
        cuts = [m.end() for m in re.finditer(r" +", text) if m.end() < len(text)]
    else:
        cuts = sentence_ends(text)
    low, high = 0, len(cuts)  # heads grow with the cut: the last that fits, by bisection
    while low < high:
        mid = (low + high + 1) // 2
        if paras_height([_cut(paragraph, cuts[mid - 1])[0]], width_pt, size_pt) <= room_pt:
            low = mid
        else:
            high = mid - 1
    if low == 0:
        return None
    head, tail = _cut(paragraph, cuts[low - 1])
    return replace(head, spans=_strip_end(head.spans)), replace(tail, bullet=False)


def _cut(paragraph: Para, at: int) -> tuple[Para, Para]:
    """The paragraph split at a character offset, keeping each span's face."""
    head: list[Run] = []
    tail: list[Run] = []
    pos = 0
    for span in paragraph.spans:
        end = pos + len(span.text)
        if end <= at:
            head.append(span)
        elif pos >= at:
            tail.append(span)
        else:
            head.append(replace(span, text=span.text[: at - pos]))
            tail.append(replace(span, text=span.text[at - pos :]))
        pos = end
    return replace(paragraph, spans=tuple(head)), replace(paragraph, spans=tuple(tail))


def _strip_end(spans: tuple[Run, ...]) -> tuple[Run, ...]:
    if spans and spans[-1].text.endswith(" "):
        return (*spans[:-1], replace(spans[-1], text=spans[-1].text.rstrip(" ")))
    return spans


def split_paras(
    paras: Sequence[Para], width_pt: float, height_pt: float, size_pt: float
) -> list[list[Para]]:
    """Paragraphs dealt onto as many frames of this size as they need, each one fitting.

    Frames break between paragraphs: one that does not fit the rest of a frame starts the
    next. Only a paragraph taller than a whole frame is cut, between two of its sentences (a
    sentence taller than a frame, at a word).
    """
    inner_w, inner_h = width_pt - 2 * INSET_X_PT, height_pt - 2 * INSET_Y_PT
    pages: list[list[Para]] = []
    queue = list(paras)
    while queue:
        page: list[Para] = []
        while queue:
            candidate = [*page, replace(queue[0], space_before=0) if not page else queue[0]]
            if paras_height(candidate, inner_w, size_pt) <= inner_h:
                page = candidate
                queue.pop(0)
                continue
            first = queue[0]
            alone = paras_height([replace(first, space_before=0)], inner_w, size_pt)
            # lead-ins alone cannot end a frame: what follows them is cut if it must be
            settled = any(not p.keep_with_next for p in page)
            if settled and (alone <= inner_h or first.keep_with_next):
                break
            used = paras_height(page, inner_w, size_pt)
            gap = first.space_before * pitch_pt(first, size_pt) if page else 0.0
            parts = _split_para(first, inner_w, size_pt, inner_h - used - gap)
            if parts is None and not settled:
                parts = _split_para(first, inner_w, size_pt, inner_h - used - gap, words=True)
            if parts is not None:
                page.append(replace(parts[0], space_before=first.space_before if page else 0))
                queue[0] = parts[1]
            break
        while len(page) > 1 and page[-1].keep_with_next:
            queue.insert(0, page.pop())
        if not page:
            raise ValueError("a single line does not fit its frame")
        pages.append(page)
    return pages


def fit_pages(
    paras: Sequence[Para], width_pt: float, height_pt: float, largest: float, smallest: float
) -> tuple[float, list[list[Para]]]:
    """The size and pages: all on one page if any allowed size fits, else the fewest pages.

    Among sizes giving the fewest pages the largest wins, so continuation slides stay readable.
    """
    size = fit_size(paras, width_pt, height_pt, largest, smallest)
    if size is not None:
        return size, [list(paras)]
    fewest = len(split_paras(paras, width_pt, height_pt, smallest))
    for size in sizes(largest, smallest):
        pages = split_paras(paras, width_pt, height_pt, size)
        if len(pages) == fewest:
            return size, pages
    raise AssertionError("unreachable: the smallest size always gives the fewest pages")


Cell = tuple[Para, ...]
Row = tuple[Cell, ...]


def row_height(row: Row, widths: Sequence[float], size_pt: float) -> float:
    return max(frame_height(cell, w, size_pt) for cell, w in zip(row, widths, strict=True))


def _split_row(
    row: Row, widths: Sequence[float], size_pt: float, room_pt: float
) -> tuple[Row, Row] | None:
    """A row too tall for the room cut so its head fits; None if nothing fits."""
    heads: list[Cell] = []
    tails: list[Cell] = []
    for cell, width in zip(row, widths, strict=True):
        try:
            pages = split_paras(cell, width, room_pt, size_pt)
        except ValueError:
            return None
        heads.append(tuple(pages[0]))
        rest = [p for page in pages[1:] for p in page]
        tails.append(tuple(rest) if rest else (Para((Run(""),), bullet=False),))
    return tuple(heads), tuple(tails)


def split_rows(
    header: Row, rows: Sequence[Row], widths: Sequence[float], height_pt: float, size_pt: float
) -> list[list[tuple[int, Row]]]:
    """Body rows dealt onto tables of this height, each repeating the header.

    Each row comes with its index in `rows`; a row too tall for the room is cut, and its parts
    keep that index.
    """
    room = height_pt - row_height(header, widths, size_pt)
    pages: list[list[tuple[int, Row]]] = []
    queue = list(enumerate(rows))
    while queue:
        page: list[tuple[int, Row]] = []
        used = 0.0
        while queue:
            index, row = queue[0]
            height = row_height(row, widths, size_pt)
            if used + height <= room:
                page.append(queue.pop(0))
                used += height
                continue
            parts = None if page else _split_row(row, widths, size_pt, room)
            # rows are cut only when one alone is taller than a whole table
            if parts is not None and not page:
                page.append((index, parts[0]))
                queue[0] = (index, parts[1])
            break
        if not page:
            raise ValueError("a table row does not fit its frame")
        pages.append(page)
    return pages


def fit_table(
    header: Row,
    rows: Sequence[Row],
    widths: Sequence[float],
    height_pt: float,
    largest: float,
    smallest: float,
) -> tuple[float, list[list[tuple[int, Row]]]]:
    """The size and the rows of each page, like `fit_pages` for text."""
    fewest = len(split_rows(header, rows, widths, height_pt, smallest))
    for size in sizes(largest, smallest):
        pages = split_rows(header, rows, widths, height_pt, size)
        if len(pages) == fewest:
            return size, balanced(pages, header, widths, height_pt, size)
    raise AssertionError("unreachable: the smallest size always gives the fewest pages")


def balanced(
    pages: list[list[tuple[int, Row]]],
    header: Row,
    widths: Sequence[float],
    height_pt: float,
    size_pt: float,
) -> list[list[tuple[int, Row]]]:
    """The last table topped up with whole rows from the one before while it holds two
    fewer and they fit: a continuation never holds one row after a full table."""
    if len(pages) < 2:
        return pages
    *before, previous, last = [list(page) for page in pages]
    room = height_pt - row_height(header, widths, size_pt)
    used = sum(row_height(row, widths, size_pt) for _, row in last)
    while len(previous) - len(last) >= 2:
        index, row = previous[-1]
        cut = index == last[0][0] or previous[-2][0] == index
        height = row_height(row, widths, size_pt)
        if cut or used + height > room:
            break
        last.insert(0, previous.pop())
        used += height
    return [*before, previous, last]
