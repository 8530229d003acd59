"""Fonts from fontpkg packages: measured with Pillow, registered with reportlab."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

Face = Literal["regular", "bold", "italic", "bolditalic"]

_WEIGHT_STYLE: dict[Face, tuple[int, str]] = {
    "regular": (400, "normal"),
    "bold": (700, "normal"),
    "italic": (400, "italic"),
    "bolditalic": (700, "italic"),
}


@dataclass(frozen=True)
class FontFamily:
    """A font family this tool draws or measures with."""

    package_name: str
    """Family name as fontpkg knows it."""
    pdf_name: str
    """Base name reportlab registers the faces under ("Atkinson" → "Atkinson-Bold")."""


LEAFLET_FONT = FontFamily("Atkinson Hyperlegible", "Atkinson")
"""The leaflet's typeface: designed for readers with low vision; embedded in the PDF."""

DECK_MEASURE_FONT = FontFamily("Arimo", "Arimo")
"""Metric-compatible with Arial, which the deck names so every viewer has it; used to measure."""

DECK_FONT_NAME = "Arial"


@cache
def font_path(family: FontFamily, face: Face = "regular") -> Path:
    """The file of one face of a family, from its installed fontpkg package."""
    import fontpkg

    weight, style = _WEIGHT_STYLE[face]
    try:
        return Path(fontpkg.path(family.package_name, weight, style, nearest=True))
    except fontpkg.StyleNotAvailable:  # no italic (Arabic and Indic families): the upright
        return Path(fontpkg.path(family.package_name, weight, "normal", nearest=True))


@cache
def pil_font(family: FontFamily, face: Face, size_px: float) -> FreeTypeFont:
    """A Pillow font at a size, with the variable-font weight axis set for bold faces."""
    from PIL import ImageFont

    if family in CJK_FAMILIES:
        return ImageFont.truetype(
            str(source_path(family)), size=size_px, index=CJK_FAMILIES[family]
        )
    font = ImageFont.truetype(str(font_path(family, face)), size=size_px)
    weight, _ = _WEIGHT_STYLE[face]
    try:
        axes = font.get_variation_axes()
    except OSError:  # a static font has no axes
        return font
    values = [
        float(weight if axis["name"] in (b"Weight", "Weight") else axis["default"] or 0)
        for axis in axes
    ]
    font.set_variation_by_axes(values)
    return font


@cache
def text_width_pt(text: str, family: FontFamily, face: Face, size_pt: float) -> float:
    """Advance width of one line of text in points, measured at 10x for precision: each word
    of another script in the family that draws it (Latin words in `family`)."""
    if not text.isascii() and any(script_of(c) not in (None, "latin") for c in text):
        fonts = script_fonts("und", family)
        space = pil_font(family, face, size_pt * 10).getlength(" ") / 10
        words = text.split(" ")
        total = space * (len(words) - 1)
        for word in words:
            if word:
                drawn = fonts.for_word(word) or family
                total += _shaped_length(word, drawn, face, size_pt * 10) / 10
        return total
    return pil_font(family, face, size_pt * 10).getlength(text) / 10


@cache
def word_extent_em(word: str, family: FontFamily, face: Face) -> tuple[float, float]:
    """How far a word of another script reaches above its baseline (its ink, shaped) and the
    descent of the family that draws it, in ems: a renderer that sets exact line spacing puts
    the first baseline the descent above the line's foot, so the line must be their sum tall.
    The ink is at least the usual height of the script's letters, so the lines of one script
    share a pitch (a row's cells line up) whichever letters a short text happens to have."""
    drawn = script_fonts("und", family).for_word(word) or family
    font = pil_font(drawn, face, 1000)
    top = -font.getbbox(word, anchor="ls")[1] / 1000
    return max(top, _letter_height_em(drawn)), font.getmetrics()[1] / 1000


@cache
def _letter_height_em(family: FontFamily) -> float:
    """The height above the baseline that 95 in 100 of a family's letters (in bold, the taller)
    stay within, over the letters of its scripts other than Latin (a sample for Han)."""
    import unicodedata

    font = pil_font(family, "bold", 1000)
    chars = sorted(
        c
        for c in charset(family)
        if script_of(chr(c)) not in (None, "latin") and unicodedata.category(chr(c))[0] == "L"
    )
    if not chars:
        return 0.0
    sample = chars[:: max(1, len(chars) // 400)]
    tops = sorted(-font.getbbox(chr(c), anchor="ls")[1] / 1000 for c in sample)
    return tops[int(len(tops) * 0.95)]


def _shaped_length(text: str, family: FontFamily, face: Face, size_px: float) -> float:
    """A word's advance, shaped where Pillow has raqm (joined and reordered letters)."""
    return float(pil_font(family, face, size_px).getlength(text))


def register_reportlab_fonts(family: FontFamily = LEAFLET_FONT) -> str:
    """Register all four faces with reportlab (once) and return the family's base name."""
    # One cache entry a family however it is named: functools.cache keys f() and f(LEAFLET_FONT)
    # apart, and parsing the four font files costs more than laying out a page.
    return _register_reportlab_fonts(family)


@cache
def _register_reportlab_fonts(family: FontFamily) -> str:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = {
        "regular": family.pdf_name,
        "bold": f"{family.pdf_name}-Bold",
        "italic": f"{family.pdf_name}-Italic",
        "bolditalic": f"{family.pdf_name}-BoldItalic",
    }
    for face, name in names.items():
        pdfmetrics.registerFont(TTFont(name, str(font_path(family, face))))
    pdfmetrics.registerFontFamily(
        family.pdf_name,
        normal=names["regular"],
        bold=names["bold"],
        italic=names["italic"],
        boldItalic=names["bolditalic"],
    )
    for bold, italic, face in (
        (0, 0, "regular"),
        (1, 0, "bold"),
        (0, 1, "italic"),
        (1, 1, "bolditalic"),
    ):
        addMapping(family.pdf_name, bold, italic, names[face])
    return family.pdf_name


# --- scripts: which family draws which words ------------------------------------------------

Script = Literal[
    "latin", "greek", "cyrillic", "arabic", "devanagari", "bengali", "gurmukhi", "gujarati", "han"
]

_SCRIPT_RANGES: tuple[tuple[int, int, Script], ...] = (
    (0x0041, 0x005A, "latin"),
    (0x0061, 0x007A, "latin"),
    (0x00AA, 0x00AA, "latin"),
    (0x00BA, 0x00BA, "latin"),
    (0x00C0, 0x024F, "latin"),
    (0x0250, 0x02AF, "latin"),
    (0x0370, 0x03FF, "greek"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0x08A0, 0x08FF, "arabic"),
    (0x0900, 0x097F, "devanagari"),
    (0x0980, 0x09FF, "bengali"),
    (0x0A00, 0x0A7F, "gurmukhi"),
    (0x0A80, 0x0AFF, "gujarati"),
    (0x1E00, 0x1EFF, "latin"),
    (0x1F00, 0x1FFF, "greek"),
    (0x2E80, 0x2FFF, "han"),
    (0x3000, 0x303F, "han"),
    (0x3040, 0x9FFF, "han"),
    (0xF900, 0xFAFF, "han"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE30, 0xFE4F, "han"),
    (0xFE70, 0xFEFF, "arabic"),
    (0xFF00, 0xFFEF, "han"),
)
_RANGE_STARTS = tuple(start for start, _, _ in _SCRIPT_RANGES)

RTL_SCRIPTS: frozenset[Script] = frozenset({"arabic"})
SHAPED_SCRIPTS: frozenset[Script] = frozenset(
    {"arabic", "devanagari", "bengali", "gurmukhi", "gujarati"}
)
"""Scripts whose letters join or reorder: reportlab must shape them with HarfBuzz."""


def script_of(char: str) -> Script | None:
    """The script a character belongs to; None for digits, punctuation, spaces and symbols,
    which take the script of the word they stand in (CJK punctuation is `han`)."""
    import bisect

    point = ord(char)
    if point < 0x41:
        return None
    i = bisect.bisect_right(_RANGE_STARTS, point) - 1
    if i < 0:
        return None
    start, end, script = _SCRIPT_RANGES[i]
    return script if start <= point <= end else None


NOTO_SANS = FontFamily("Noto Sans", "NotoSans")
"""Greek, Cyrillic, Vietnamese and Turkish (Atkinson Hyperlegible lacks İ)."""
NOTO_SANS_ARABIC = FontFamily("Noto Sans Arabic", "NotoSansArabic")
"""Arabic, Persian and Urdu. Urdu is set in this Naskh face: the Nastaliq style Urdu readers
expect (Noto Nastaliq Urdu) is not packaged on PyPI."""
NOTO_SANS_DEVANAGARI = FontFamily("Noto Sans Devanagari", "NotoSansDevanagari")
NOTO_SANS_GURMUKHI = FontFamily("Noto Sans Gurmukhi", "NotoSansGurmukhi")
"""Punjabi: vendored in leaflet/fonts_vendored (no package of a Gurmukhi face is on PyPI)."""
NOTO_SANS_GUJARATI = FontFamily("Noto Sans Gujarati", "NotoSansGujarati")
"""Gujarati: vendored likewise."""
HIND_SILIGURI = FontFamily("Hind Siliguri", "HindSiliguri")
"""Bengali: no Noto Sans Bengali is packaged on PyPI; Hind Siliguri is, with a real Bold."""
NOTO_CJK_SC = FontFamily("Noto Sans CJK SC", "NotoSansCJKSC")
NOTO_CJK_TC = FontFamily("Noto Sans CJK TC", "NotoSansCJKTC")
CJK_FAMILIES = {NOTO_CJK_SC: 2, NOTO_CJK_TC: 3}
"""Faces of noto-cjk-sans-otc's collection, by index. It has Regular only (no CJK Bold is
packaged on PyPI): bold CJK text is the Regular face filled and stroked, a synthetic bold
(`SYNTHETIC_BOLD_EM`)."""
SYNTHETIC_BOLD: set[str] = set()
"""reportlab names of faces drawn as a synthetic bold of a Regular (the CJK ones)."""
SYNTHETIC_BOLD_EM = 0.035
"""Width of the outline stroked around a synthetic bold's glyphs, in ems (each side gains
half): about the weight Noto Sans CJK Bold adds to its Regular's stems."""

_SCRIPT_FAMILY: dict[Script, FontFamily | None] = {
    "latin": LEAFLET_FONT,
    "greek": NOTO_SANS,
    "cyrillic": NOTO_SANS,
    "arabic": NOTO_SANS_ARABIC,
    "devanagari": NOTO_SANS_DEVANAGARI,
    "bengali": HIND_SILIGURI,
    "gurmukhi": NOTO_SANS_GURMUKHI,
    "gujarati": NOTO_SANS_GUJARATI,
    "han": NOTO_CJK_SC,
}

_LANGUAGE_SCRIPT: dict[str, Script] = {
    **dict.fromkeys(("ar", "fa", "ur", "ps", "ku", "sd"), "arabic"),
    **dict.fromkeys(("hi", "mr", "ne", "sa"), "devanagari"),
    **dict.fromkeys(("bn", "as"), "bengali"),
    "pa": "gurmukhi",
    "gu": "gujarati",
    "zh": "han",
    "ja": "han",
    "el": "greek",
    **dict.fromkeys(("ru", "uk", "bg", "sr", "mk", "be", "kk"), "cyrillic"),
}
_NOTO_LATIN = frozenset({"tr", "az", "vi"})
"""Languages whose Latin letters Atkinson Hyperlegible does not all have (İ, Vietnamese)."""


@dataclass(frozen=True)
class ScriptFonts:
    """Which family draws each script in one language's output."""

    language: str
    script: Script
    """The language's own script."""
    families: tuple[tuple[Script, FontFamily | None], ...]

    def family(self, script: Script) -> FontFamily | None:
        return dict(self.families)[script]

    @property
    def primary(self) -> FontFamily:
        """The family of the language's own script (or the Latin one where there is none)."""
        return self.family(self.script) or self.family("latin") or LEAFLET_FONT

    @property
    def rtl(self) -> bool:
        return self.script in RTL_SCRIPTS

    @property
    def latin_only(self) -> bool:
        return self.script == "latin" and self.family("latin") == LEAFLET_FONT

    def for_word(self, word: str) -> FontFamily | None:
        """The one family that draws a whole word: that of its first letter's script, else one
        that has every character of it; a word of digits and signs takes the language's own."""
        scripts = [s for s in map(script_of, word) if s is not None]
        first = self.family(scripts[0]) if scripts else self.primary
        if first is None:
            return None
        # Only the families of the word's own scripts and the language's: a sign no family of
        # these has is reported, not drawn in whichever font happens to have it.
        candidates = [first, self.primary, *(self.family(s) for s in scripts)]
        if {"latin", "greek", "cyrillic"} & set(scripts):
            candidates.append(NOTO_SANS)  # Latin letters Atkinson lacks (İ, ŋ, Vietnamese)
        if not scripts:  # digits and signs the language's face lacks (· in Noto Sans Gurmukhi)
            candidates.append(self.family("latin"))
        for family in candidates:
            if family is None:
                continue
            chars = charset(family)
            if all(ord(c) in chars or c.isspace() for c in word):
                return family
        return first


@cache
def script_fonts(language: str, latin: FontFamily = LEAFLET_FONT) -> ScriptFonts:
    """The families of one content language; `latin` is the Latin family of the output (the
    deck names Arial)."""
    base = language.split("-")[0].lower()
    script = _LANGUAGE_SCRIPT.get(base, "latin")
    families = dict(_SCRIPT_FAMILY)
    families["latin"] = NOTO_SANS if base in _NOTO_LATIN and latin == LEAFLET_FONT else latin
    traditional = language in ("zh-Hant", "zh-TW", "zh-HK", "zh-MO") or "Hant" in language
    families["han"] = NOTO_CJK_TC if traditional else NOTO_CJK_SC
    return ScriptFonts(language, script, tuple(families.items()))


@cache
def charset(family: FontFamily) -> frozenset[int]:
    """Code points the family's Regular face maps to a glyph (every face of a family here has
    the same cmap, or draws bold from the Regular)."""
    from fontTools.ttLib import TTFont

    if family in CJK_FAMILIES:
        return frozenset(_cjk_face().getBestCmap() or {})
    with TTFont(source_path(family, "regular"), lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def source_path(family: FontFamily, face: Face = "regular") -> Path:
    """The installed file a face comes from (a variable font or a collection, maybe)."""
    if family in CJK_FAMILIES:
        import noto_cjk_sans_otc

        return Path(str(noto_cjk_sans_otc.FONT_PATH))
    return font_path(family, face)


@cache
def _cjk_face() -> Any:
    from fontTools.ttLib import TTCollection

    return TTCollection(str(source_path(NOTO_CJK_SC)), lazy=True)[CJK_FAMILIES[NOTO_CJK_SC]]


def font_cache_dir() -> Path:
    """Made fonts (static instances, converted CJK subsets) live in the user's cache folder."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "leaflet" / "fonts"


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temp = tempfile.mkstemp(prefix=".font-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise


@cache
def static_path(family: FontFamily, face: Face) -> Path:
    """A static TrueType file for a face: the package's own, or an instance of its variable
    font at the face's weight (made once with fontTools' instancer, kept in the user cache,
    keyed by the variable font's hash). reportlab reads only a variable font's default master."""
    source = font_path(family, face)
    with open(source, "rb") as handle:
        head = handle.read()
    from fontTools.ttLib import TTFont

    with TTFont(io.BytesIO(head), lazy=True) as probe:
        if "fvar" not in probe:
            return source
    weight = _WEIGHT_STYLE[face][0]
    digest = hashlib.sha256(head).hexdigest()[:16]
    path = font_cache_dir() / f"{source.stem.split('[')[0]}-{digest}-{weight}.ttf"
    if path.is_file():
        return path
    from fontTools.varLib import instancer

    font = TTFont(io.BytesIO(head), recalcTimestamp=False)
    location = {axis.axisTag: axis.defaultValue for axis in font["fvar"].axes}
    location["wght"] = weight
    static = instancer.instantiateVariableFont(font, location, updateFontNames=True)
    out = io.BytesIO()
    static.save(out)
    _atomic_write(path, out.getvalue())
    return path


@cache
def cjk_subset_path(family: FontFamily, chars: frozenset[int]) -> Path:
    """The CJK face cut to the characters of one document, its CFF outlines made TrueType
    (reportlab embeds TrueType only): deterministic, kept in the user cache by what it holds."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection

    source = source_path(family)
    wanted = sorted(chars | {0x20})
    digest = hashlib.sha256(
        f"{source.stat().st_size}:{CJK_FAMILIES[family]}:{wanted}".encode()
    ).hexdigest()[:16]
    path = font_cache_dir() / f"{family.pdf_name}-{digest}.ttf"
    if path.is_file():
        return path
    font = TTCollection(str(source))[CJK_FAMILIES[family]]
    font.recalcTimestamp = False
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.desubroutinize = True
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    _cff_to_glyf(font)
    out = io.BytesIO()
    font.save(out)
    _atomic_write(path, out.getvalue())
    return path


def _cff_to_glyf(font: Any) -> None:
    """CFF outlines as quadratic TrueType ones (fontTools' otf2ttf recipe)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0
    font.sfntVersion = "\000\001\000\000"


def face_name(family: FontFamily, face: Face) -> str:
    """The name reportlab knows a face by. Faces a family lacks fall back: italic to upright
    (Arabic and Indic scripts have no italics; Noto Sans's are not instanced), bold to the
    synthetic bold for CJK."""
    if family in CJK_FAMILIES:  # bold: the Regular, drawn stroked (see SYNTHETIC_BOLD_EM)
        return family.pdf_name + ("-Bold" if face in ("bold", "bolditalic") else "")
    if family == LEAFLET_FONT:
        suffix = {"regular": "", "bold": "-Bold", "italic": "-Italic", "bolditalic": "-BoldItalic"}
        return family.pdf_name + suffix[face]
    return family.pdf_name + ("-Bold" if face in ("bold", "bolditalic") else "")


def register_script_font(family: FontFamily, chars: frozenset[int] = frozenset()) -> None:
    """Register a script family's faces with reportlab, once (CJK: cut to `chars`, again
    whenever the characters differ, under the same name)."""
    if family in CJK_FAMILIES:
        _register_cjk(family, chars)
        return
    _register_static(family)


@cache
def _register_static(family: FontFamily) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    # Regular and Bold only: making each static instance of a variable font costs seconds, once
    # per machine; text in italics is set upright in the scripts' families.
    faces: tuple[Face, ...] = ("regular", "bold")
    for face in faces:
        pdfmetrics.registerFont(TTFont(face_name(family, face), str(static_path(family, face))))


def _register_cjk(family: FontFamily, chars: frozenset[int]) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = cjk_subset_path(family, chars)
    name = family.pdf_name
    known = pdfmetrics._fonts.get(name)
    if known is not None and getattr(known, "leaflet_path", None) == path:
        return
    font = TTFont(name, str(path))
    font.leaflet_path = path
    if known is None:
        pdfmetrics.registerFont(font)
    else:
        # registerFont keeps the first font registered under a name: put the new cut in its
        # place (and under its face's name, which reportlab also looks fonts up by).
        pdfmetrics._fonts[name] = font
        pdfmetrics._dynFaceNames[font.face.name] = font
    # The bold name is the same font: text set under it is drawn emboldened (SYNTHETIC_BOLD).
    pdfmetrics._fonts[f"{name}-Bold"] = font
    SYNTHETIC_BOLD.add(f"{name}-Bold")
