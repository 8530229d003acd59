"""Every writing system in the leaflet: a font per word, shaping, right-to-left lines, CJK breaks.

reportlab has neither font fallback nor right-to-left paragraphs, and it shapes each word with
the font of the word's first piece. So each word is given the one family that draws all of it
(`leaflet.fonts.ScriptFonts.for_word`); paragraphs with joined or reordered letters are shaped
with HarfBuzz; a paragraph with right-to-left words breaks its lines in logical order, then sets
the words of each line in the order the Unicode Bidirectional Algorithm gives (python-bidi),
ragged on the left when the language is written right to left. Shaped words draw glyphs that
have no or the wrong Unicode value (joined Arabic forms, conjuncts): `actual_texts` records what
each stood for, so the tagged PDF can say it (/ActualText, leaflet.pdfua).
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from leaflet.fonts import (
    CJK_FAMILIES,
    RTL_SCRIPTS,
    SHAPED_SCRIPTS,
    SYNTHETIC_BOLD,
    SYNTHETIC_BOLD_EM,
    Face,
    FontFamily,
    Script,
    ScriptFonts,
    face_name,
    register_script_font,
    script_fonts,
    script_of,
)
from leaflet.pdfua import ACTUAL_TEXTS

CANNOT_START = "，：；！？％》〉、。）」』】〕〗〙〛"
"""Chinese closing punctuation that may not begin a line; reportlab's own list is made for
Japanese and lacks the full-width comma, colon, semicolon and marks."""


def edition_chars(value: Any) -> frozenset[str]:
    """Every character of the strings in an edition's tree (blocks, runs, catalogue words)."""
    seen: set[str] = set()
    stack = [value]
    visited: set[int] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            seen.update(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, tuple | list | frozenset | set):
            stack.extend(item)
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            if id(item) in visited:
                continue
            visited.add(id(item))
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
    return frozenset(seen)


RENDERER_CHARS = frozenset("–•·:0123456789 ()")
"""Characters the leaflet's renderer sets itself (the glossary's dash, bullets, numbers): a CJK
subset made for a document holds them too."""


class Setter:
    """How one edition's text is set: which faces draw which words, and how lines break."""

    def __init__(self, language: str, chars: frozenset[str]) -> None:
        self.fonts: ScriptFonts = script_fonts(language)
        scripts = {s for s in map(script_of, chars) if s is not None}
        self.rtl = self.fonts.rtl
        needed: set[FontFamily] = set()
        for script in scripts:
            family = self.fonts.family(script)
            if family is not None:
                needed.add(family)
        needed.add(self.fonts.primary)
        self.active = not (self.fonts.latin_only and scripts <= {"latin"})
        """False: the Latin-only leaflet, set as it always was (no font is loaded for it)."""
        if self.active:
            points = frozenset(map(ord, chars | RENDERER_CHARS))
            for family in sorted(needed, key=lambda f: f.pdf_name):
                if family.pdf_name != "Atkinson":
                    register_script_font(family, points)
        self._styles: dict[tuple[int, bool, bool, bool], Any] = {}

    def frags(self, frags: list[Any]) -> tuple[list[Any], set[Script]]:
        """The paragraph's fragments cut where the face changes, each word in one face; and
        the scripts found in it."""
        pieces = [(f, f.text) for f in frags if _is_text(f)]
        text = "".join(t for _, t in pieces)
        scripts = {s for s in map(script_of, text) if s is not None}
        if not self.active or not text:
            return frags, scripts
        shaped = bool(scripts & SHAPED_SCRIPTS)
        # A face for each character: its word's family, in its fragment's weight and slant
        # (a shaped word keeps its first fragment's face to its end: reportlab shapes a word
        # with one font).
        faces: list[str] = [""] * len(text)
        owners: list[Any] = []
        for frag, piece in pieces:
            owners.extend([frag] * len(piece))
        i = 0
        while i < len(text):
            if text[i].isspace():
                i += 1
                continue
            j = i
            while j < len(text) and not text[j].isspace():
                j += 1
            family = self.fonts.for_word(text[i:j]) or self.fonts.primary
            first = owners[i]
            for k in range(i, j):
                frag = first if shaped else owners[k]
                faces[k] = face_name(family, _face(frag))
            i = j
        for k in range(len(text)):  # a space goes with the word before it
            if not faces[k]:
                faces[k] = faces[k - 1] if k else next((f for f in faces if f), "")
        out: list[Any] = []
        at = 0
        for frag in frags:
            if not _is_text(frag):
                out.append(frag)
                continue
            end = at + len(frag.text)
            start = at
            while start < end:
                face = faces[start] or frag.fontName
                stop = start
                while stop < end and (faces[stop] or frag.fontName) == face:
                    stop += 1
                part = copy.copy(frag)
                part.text = text[start:stop]
                part.fontName = face
                out.append(part)
                start = stop
            at = end
        return out, scripts

    def style(self, style: Any, scripts: set[Script]) -> Any:
        """The paragraph style adapted to its scripts: shaped, broken per character for CJK,
        aligned right when the language runs right to left."""
        shaped = bool(scripts & SHAPED_SCRIPTS)
        # A paragraph that mixes Han with shaped or right-to-left words (a list of languages)
        # is broken at its spaces: reportlab's CJK breaking neither shapes nor reorders.
        cjk = "han" in scripts and not (shaped or scripts & RTL_SCRIPTS)
        rtl = self.rtl  # every paragraph of a right-to-left leaflet, Latin ones too
        if not (shaped or cjk or rtl):
            return style
        key = (id(style), shaped, cjk, rtl)
        made = self._styles.get(key)
        if made is None:
            from reportlab.lib.enums import TA_LEFT, TA_RIGHT

            changes: dict[str, Any] = {"shaping": 1 if shaped else 0}
            if cjk:
                changes["wordWrap"] = "CJK"
            if rtl and style.alignment == TA_LEFT:
                # Mirrored: ragged left; a list's indent (and its bullet) move to the right,
                # and the reading column's measure is kept from the left.
                changes["alignment"] = TA_RIGHT
                changes["leftIndent"] = style.rightIndent
                changes["rightIndent"] = style.leftIndent
                changes["_leaflet_rtl"] = style.leftIndent
            if shaped:
                # Arabic and Indic marks stand above and below the Latin line: more room.
                changes["leading"] = max(style.leading, style.fontSize * 1.45)
            made = copy.copy(style)
            made.__dict__.update(changes)
            made._leaflet_keep = style  # the key's id stays this style's while the copy lives
            self._styles[key] = made
        return made

    def needs_bidi(self, scripts: set[Script]) -> bool:
        return bool(scripts & RTL_SCRIPTS)


def _is_text(frag: Any) -> bool:
    return (
        hasattr(frag, "text")
        and not hasattr(frag, "cbDefn")
        and not getattr(frag, "lineBreak", False)
    )


def _face(frag: Any) -> Face:
    bold, italic = bool(getattr(frag, "bold", 0)), bool(getattr(frag, "italic", 0))
    return ("bolditalic" if italic else "bold") if bold else ("italic" if italic else "regular")


# --- right-to-left lines ---------------------------------------------------------------------


def bidi_frags(frags: list[Any], width: float, first_width: float, rtl: bool) -> list[Any]:
    """Fragments of pre-broken lines (joined by line breaks), each line's words in visual order.

    Lines are filled in logical order with the widths reportlab will draw (shaped words measured
    shaped); `width` is a line's room, `first_width` the first line's.
    """
    words = _words(frags)
    lines: list[list[list[tuple[Any, str]]]] = []
    line: list[list[tuple[Any, str]]] = []
    used = 0.0
    room = first_width
    for word in words:
        if word is None:  # a forced line break
            lines.append(line)
            line, used, room = [], 0.0, width
            continue
        w = sum(_width(f, t) for f, t in word)
        gap = _width(word[0][0], " ") if line else 0.0
        if line and used + gap + w > room:
            lines.append(line)
            line, used, room = [], 0.0, width
            gap = 0.0
        line.append(word)
        used += gap + w
    lines.append(line)
    out: list[Any] = []
    template = next((f for f in frags if _is_text(f)), None)
    if template is None:
        return frags
    for n, words_of_line in enumerate(lines):
        if n:
            brk = copy.copy(template)
            brk.text = ""
            brk.lineBreak = True
            out.append(brk)
        for k, word in enumerate(visual_order(words_of_line, rtl)):
            if k:
                space = copy.copy(word[0][0])
                space.text = " "
                out.append(space)
            for frag, piece in word:
                part = copy.copy(frag)
                part.text = piece
                out.append(part)
    return out


def _words(frags: list[Any]) -> list[list[tuple[Any, str]] | None]:
    """Words in logical order, each as (fragment, text) pieces; None where a line must break."""
    words: list[list[tuple[Any, str]] | None] = []
    current: list[tuple[Any, str]] = []
    for frag in frags:
        if getattr(frag, "lineBreak", False):
            if current:
                words.append(current)
                current = []
            words.append(None)
            continue
        if not _is_text(frag):
            continue
        text = frag.text
        i = 0
        while i < len(text):
            if text[i].isspace():
                if current:
                    words.append(current)
                    current = []
                i += 1
                continue
            j = i
            while j < len(text) and not text[j].isspace():
                j += 1
            current.append((frag, text[i:j]))
            i = j
    if current:
        words.append(current)
    return words


def _width(frag: Any, text: str) -> float:
    return _text_width(text, frag.fontName, frag.fontSize, bool(getattr(frag, "_shaped", 1)))


@lru_cache(maxsize=65536)
def _text_width(text: str, font: str, size: float, shaped: bool) -> float:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr

    if shaped and any(script_of(c) in SHAPED_SCRIPTS for c in text):
        drawn = shapeStr(text, font, size)
        if isinstance(drawn, ShapedStr):
            return float(sum(d.x_advance for d in drawn.__shapeData__) * size / 1000)
    return float(pdfmetrics.stringWidth(text, font, size))


def visual_order(words: list[Any], rtl: bool, texts: list[str] | None = None) -> list[Any]:
    """Words of one line in the order they are seen, by the Unicode Bidirectional Algorithm:
    each word keeps its own letters (HarfBuzz orders those) and takes the level of its first
    strong character. `texts`: the words' characters, where `words` are not (fragments)."""
    if not words:
        return words
    if texts is None:
        texts = ["".join(t for _, t in w) for w in words]
    levels = word_levels(texts, rtl)
    order = list(range(len(words)))
    top = max(levels)
    lowest_odd = min(lv for lv in levels if lv % 2) if any(lv % 2 for lv in levels) else top + 1
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return [words[i] for i in order]


def word_levels(texts: list[str], rtl: bool) -> list[int]:
    """The embedding level of each word of a line (python-bidi's resolution of levels)."""
    from bidi import algorithm as uba

    line = " ".join(texts)
    storage = uba.get_empty_storage()
    base = 1 if rtl else 0
    storage["base_level"] = base
    storage["base_dir"] = "R" if rtl else "L"
    uba.get_embedding_levels(line, storage)
    uba.explicit_embed_and_overrides(storage, False)
    uba.resolve_weak_types(storage, False)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    chars = storage["chars"]
    levels: list[int] = []
    at = 0
    for text in texts:
        mine = chars[at : at + len(text)]
        strong = [c["level"] for c in mine if c["orig"] in ("L", "R", "AL", "EN", "AN")]
        levels.append(strong[0] if strong else (mine[0]["level"] if mine else base))
        at += len(text) + 1
    return levels


def draw_label(canvas: Any, label: Any, setter: Setter) -> None:
    """A diagram label (a reportlab graphics String) drawn word by word: each word in its
    family's face, shaped, the words in the order they are seen."""
    bold = label.fontName.endswith("-Bold")
    words = label.text.split()
    faces = [
        face_name(setter.fonts.for_word(w) or setter.fonts.primary, "bold" if bold else "regular")
        for w in words
    ]
    size = label.fontSize
    order = visual_order(list(range(len(words))), setter.rtl, [w for w in words])
    widths = [_text_width(w, f, size, True) for w, f in zip(words, faces, strict=True)]
    space = _text_width(" ", faces[0], size, False) if faces else 0.0
    total = sum(widths) + space * max(0, len(words) - 1)
    x = label.x - {"start": 0.0, "middle": total / 2, "end": total}.get(label.textAnchor, 0.0)
    canvas.saveState()
    canvas.setFillColor(label.fillColor)
    from reportlab.pdfbase.ttfonts import shapeStr

    for i in order:
        text = words[i]
        if any(script_of(c) in SHAPED_SCRIPTS for c in text):
            text = shapeStr(text, faces[i], size)
            data = getattr(text, "__shapeData__", None)
            if data and str(text) != words[i]:
                rtl = any(script_of(c) in RTL_SCRIPTS for c in words[i])
                meant = _clusters(data, words[i]) if rtl else words[i]
                ACTUAL_TEXTS[(faces[i], str(text))] = meant
        tx = canvas.beginText(x, label.y)
        tx.setFont(faces[i], size)
        tx._textOut(text)
        canvas.drawText(tx)
        x += widths[i] + space
    canvas.restoreState()


# --- reportlab, patched while a leaflet renders ----------------------------------------------


@contextmanager
def patched_reportlab() -> Iterator[None]:
    """Chinese line-start rules, a record of what shaped words stand for, and reportlab's
    setRise fix, for the time of one render; reportlab is as it was afterwards."""
    import reportlab.lib.textsplit as textsplit
    from reportlab.pdfgen import textobject
    from reportlab.platypus import paragraph

    saved = (paragraph.ALL_CANNOT_START, paragraph.shapeFragWord, textobject.PDFTextObject.setRise)
    shape = paragraph.shapeFragWord

    def recording(w: Any, *args: Any, **kw: Any) -> Any:
        turned = _ltr_runs_turned(w)
        if turned is not None:
            # HarfBuzz lays a right-to-left word out backwards whole, digits too ("2026۔"
            # would read 6202): their runs go in backwards, to come out forwards.
            new = shape(turned, *args, **kw)
            parts = [(f, t) for f, t in new[1:] if not hasattr(f, "cbDefn")]
            if len(parts) == 1:
                logical = "".join(t for f, t in w[1:] if not hasattr(f, "cbDefn"))
                ACTUAL_TEXTS[(parts[0][0].fontName, str(parts[0][1]))] = logical
                return new
            _record(turned, new)
            return new
        new = shape(w, *args, **kw)
        if new is not w:
            _record(w, new)
        return new

    from reportlab.pdfbase import ttfonts

    add_private = ttfonts.TTFont._TTFont__addPrivate

    def nominal(self: Any, name: str, gid: int, advance: float) -> int:
        # A glyph with no character of its own (a conjunct, a joined form) gets a private
        # code whose width must be the font's own advance for it, as /Widths and the
        # embedded font agree (PDF/UA 7.21.5); HarfBuzz's positioned advance, which reportlab
        # takes, differs where marks or kerning move it. The TJ offsets still place it.
        known = getattr(self, "_TTFont__hbUnis", {}).get(name)
        uchar: int = add_private(self, name, gid, advance)
        if not known:
            font = getattr(self, "_leaflet_hb_font", None)
            if font is None:
                import uharfbuzz

                font = self._leaflet_hb_font = uharfbuzz.Font(self.hbFace)
            self.face.charWidths[uchar] = self.face._pdfScale(font.get_glyph_h_advance(gid))
        return uchar

    format_text = textobject.PDFTextObject._formatText

    def emboldened(self: Any, text: str) -> str:
        return _synthetic_bold(self, format_text(self, text))

    ACTUAL_TEXTS.clear()  # what this render draws is recorded again as it is shaped
    paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START + CANNOT_START
    paragraph.shapeFragWord = recording
    textobject.PDFTextObject.setRise = _set_rise
    textobject.PDFTextObject._formatText = emboldened
    ttfonts.TTFont._TTFont__addPrivate = nominal
    try:
        yield
    finally:
        paragraph.ALL_CANNOT_START, paragraph.shapeFragWord = saved[0], saved[1]
        textobject.PDFTextObject.setRise = saved[2]
        textobject.PDFTextObject._formatText = format_text
        ttfonts.TTFont._TTFont__addPrivate = add_private


def _synthetic_bold(tx: Any, code: str) -> str:
    """Text in a synthetic bold face (CJK: no Bold is packaged) filled and stroked in its own
    colour, the stroke SYNTHETIC_BOLD_EM wide; the canvas's line width, stroke colour and
    render mode are set back after it (a text object cannot save the graphics state)."""
    from reportlab.lib.colors import Color
    from reportlab.lib.rl_accel import fp_str

    if not code or tx._fontname not in SYNTHETIC_BOLD:
        return code
    canvas = tx._canvas
    # the text's colour: set in this text object, else the canvas's when it began
    fill = tx.__dict__.get("_fillColorObj") or getattr(canvas, "_fillColorObj", None)
    ink = (fill.red, fill.green, fill.blue) if isinstance(fill, Color) else (0, 0, 0)
    stroke = getattr(canvas, "_strokeColorObj", None)
    back = (stroke.red, stroke.green, stroke.blue) if isinstance(stroke, Color) else (0, 0, 0)
    width = tx._fontsize * SYNTHETIC_BOLD_EM
    return (
        f"2 Tr {fp_str(width)} w {fp_str(*ink)} RG {code}"
        f" {tx._textRenderMode} Tr {fp_str(canvas._lineWidth)} w {fp_str(*back)} RG"
    )


_LTR_CLASSES = frozenset({"L", "EN", "AN"})
_JOINERS = frozenset({"ES", "CS", "ET", "NSM"})


def _ltr_runs_turned(word: Any) -> Any | None:
    """A right-to-left frag word with each run of digits or Latin letters in it reversed (a
    copy), or None if it has no such run or is not shaped right to left."""
    import unicodedata

    pieces = [(f, t) for f, t in word[1:] if not hasattr(f, "cbDefn")]
    text = "".join(t for _, t in pieces)
    scripts = [s for s in map(script_of, text) if s is not None]
    if not scripts or scripts[0] not in RTL_SCRIPTS:
        return None
    classes = [unicodedata.bidirectional(c) for c in text]
    if not _LTR_CLASSES & set(classes):
        return None
    turned = list(word)
    changed = False
    for k, item in enumerate(word[1:], start=1):
        frag, piece = item
        if hasattr(frag, "cbDefn"):
            continue
        out, i = [], 0
        while i < len(piece):
            if unicodedata.bidirectional(piece[i]) not in _LTR_CLASSES:
                out.append(piece[i])
                i += 1
                continue
            j = end = i
            while j < len(piece) and (kind := unicodedata.bidirectional(piece[j])) in (
                _LTR_CLASSES | _JOINERS
            ):
                j += 1
                if kind in _LTR_CLASSES:
                    end = j
            out.append(piece[i:end][::-1])
            changed = changed or end - i > 1
            i = end
        turned[k] = (frag, "".join(out))
    return turned if changed else None


def _record(word: Any, shaped: Any) -> None:
    text = "".join(s for f, s in word[1:] if not hasattr(f, "cbDefn"))
    parts = [(f, s) for f, s in shaped[1:] if not hasattr(f, "cbDefn")]
    for n, (frag, drawn) in enumerate(parts):
        data = getattr(drawn, "__shapeData__", None)
        if not data:
            continue
        clusters = [d.cluster for d in data if 0 <= d.cluster < len(text)]
        if not clusters:
            continue
        start = min(clusters)
        later = [
            d.cluster
            for f, s in parts[n + 1 :]
            for d in getattr(s, "__shapeData__", [])
            if 0 <= d.cluster < len(text)
        ]
        end = min([c for c in later if c > start] or [len(text)])
        if len(parts) == 1:
            start, end = 0, len(text)
        meant = text[start:end]
        if str(drawn) == meant:
            continue
        if any(script_of(c) in RTL_SCRIPTS for c in meant):
            ACTUAL_TEXTS[(frag.fontName, str(drawn))] = _clusters(data, text)
        else:
            ACTUAL_TEXTS[(frag.fontName, str(drawn))] = meant


def _clusters(data: Any, text: str) -> tuple[tuple[int, str], ...]:
    """A right-to-left word's glyphs in runs of one cluster each, in drawing order, with the
    letters each cluster stands for (to the next cluster's start)."""
    starts = sorted({d.cluster for d in data if 0 <= d.cluster < len(text)})
    runs: list[tuple[int, str]] = []
    previous = None
    for d in data:
        if d.cluster == previous and runs:
            runs[-1] = (runs[-1][0] + 1, runs[-1][1])
            continue
        previous = d.cluster
        later = [c for c in starts if c > d.cluster]
        start = max(0, min(d.cluster, len(text)))
        runs.append((1, text[start : later[0] if later else len(text)]))
    return tuple(runs)


def _set_rise(self: Any, rise: float) -> None:
    """reportlab's setRise, which fails when a shaped run starts with a raised mark (its code
    list is still empty)."""
    from reportlab.lib.rl_accel import fp_str

    v = f"{fp_str(rise)} Ts"
    if self._code and self._code[-1].endswith(" Ts"):
        self._y += self._rise
        self._code[-1] = v
    else:
        self._rise = rise
        self._y -= rise
        self._code.append(v)


def is_cjk(family: FontFamily) -> bool:
    return family in CJK_FAMILIES
