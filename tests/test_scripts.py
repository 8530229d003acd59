"""Every writing system in the leaflet, checked by what can be measured, not read: lines drawn
by another engine (Pillow with raqm) compared with the PDF's pixels, marker words' positions,
text read back per line and through pdftotext, and the fonts embedded."""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pdfplumber
import pytest

from leaflet.edition import EDITIONS, compose
from leaflet.loader import load
from leaflet.renderers import Options
from leaflet.renderers.leaflet_pdf import render

CASES = Path(__file__).parent / "cases" / "scripts"


@cache
def leaflet(name: str, edition: str = "leaflet") -> bytes:
    path = CASES / f"{name}.yaml"
    composed = compose(load(path), EDITIONS[edition])
    return render(composed, Options(project_dir=CASES)).data


def lines_of(pdf: bytes, page: int = 0) -> list[list[dict[str, object]]]:
    """Words of a page grouped into lines: a word whose bottom is within 10 pt of the line's
    first word belongs to it (marks above and below shift a word's box by a few points)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        words = doc.pages[page].extract_words(keep_blank_chars=False, use_text_flow=False)
    rows: list[list[dict[str, object]]] = []
    for w in sorted(words, key=lambda w: float(w["bottom"])):
        if rows and float(w["bottom"]) - float(rows[-1][0]["bottom"]) < 10:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [sorted(r, key=lambda w: float(w["x0"])) for r in rows]


def test_arabic_leaflet_embeds_the_arabic_face_regular_and_bold() -> None:
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(leaflet("ar")))
    names = {
        str(font.BaseFont).split("+")[-1]
        for page in pdf.pages
        for font in page.Resources.Font.values()
    }
    assert {"NotoSansArabic-Regular", "NotoSansArabic-Bold"} <= names
    assert pdf.Root.Lang == "ar"


@pytest.mark.parametrize("name", ["ar", "ur"])
def test_marker_words_stand_in_right_to_left_order(name: str) -> None:
    """ONE begins the paragraph (at the right of its first line), TWO ends it (at the left of
    its last line); Vitamin D reads left to right and the number stays whole."""
    rows = lines_of(leaflet(name))
    one = next(i for i, r in enumerate(rows) if any(w["text"] == "ONE" for w in r))
    two = next(i for i, r in enumerate(rows) if any(w["text"] == "TWO" for w in r))
    assert two > one
    first, last = rows[one], rows[two]
    # Latin words sit in the Arabic line; ONE is its rightmost word, TWO the last line's leftmost
    assert first[-1]["text"] == "ONE"
    assert last[0]["text"] == "TWO"
    vitamin = next(r for r in rows[one : two + 1] if any(w["text"] == "Vitamin" for w in r))
    texts = [w["text"] for w in vitamin]
    assert texts[texts.index("Vitamin") + 1] == "D"
    assert any("1000" in str(w["text"]) for r in rows[one : two + 1] for w in r)


def test_arabic_lines_are_ragged_left() -> None:
    """Right to left: the lines of a paragraph end at one right edge."""
    rows = lines_of(leaflet("ar"))
    one = next(i for i, r in enumerate(rows) if any(w["text"] == "ONE" for w in r))
    two = next(i for i, r in enumerate(rows) if any(w["text"] == "TWO" for w in r))
    edge = float(next(w for w in rows[one] if w["text"] == "ONE")["x1"])
    column = [[w for w in r if float(w["x1"]) <= edge + 1] for r in rows[one : two + 1]]
    rights = {round(max(float(w["x1"]) for w in r)) for r in column}
    lefts = {round(float(r[0]["x0"])) for r in column}
    assert max(rights) - min(rights) <= 2
    assert max(lefts) - min(lefts) > 10


def _render_pdf_line(pdf: bytes, bbox: tuple[float, float, float, float], dpi: int) -> object:
    import numpy as np
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    page = doc[0]
    scale = dpi / 72
    image = page.render(scale=scale).to_pil().convert("L")
    x0, top, x1, bottom = bbox
    crop = image.crop((int(x0 * scale), int(top * scale), int(x1 * scale), int(bottom * scale)))
    return np.asarray(crop, dtype=float)


def _inkiest_band(pixels: object) -> object:
    """The rows of the band of text (rows with ink between blank ones) with the most ink: the
    title, in a crop that may hold parts of the lines above and below."""
    import numpy as np

    ink = (255 - np.asarray(pixels)).sum(axis=1)
    bands: list[tuple[int, int]] = []
    start = None
    for i, value in enumerate([*ink, 0]):
        if value > 0 and start is None:
            start = i
        elif value == 0 and start is not None:
            bands.append((start, i))
            start = None
    first, last = max(bands, key=lambda b: ink[b[0] : b[1]].sum())
    return np.asarray(pixels)[first:last]


def _ink_profile(pixels: object) -> object:
    """Ink per column, blurred: where the letters of a line stand, left to right."""
    import numpy as np

    ink = 255 - np.asarray(pixels)
    column = ink.sum(axis=0)
    kernel = np.ones(9) / 9
    return np.convolve(column, kernel, mode="same")


def _correlation(a: object, b: object) -> float:
    import numpy as np

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    n = min(len(a), len(b))
    a, b = a[:n] - a[:n].mean(), b[:n] - b[:n].mean()
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))


@pytest.mark.parametrize("name", ["ar", "ur", "hi", "bn", "pa", "gu"])
def test_title_line_matches_raqm_drawing(name: str) -> None:
    """The title drawn by Pillow with raqm (HarfBuzz and FriBiDi, another engine) in the same
    face has its ink where the PDF's has it: a wrong word order or unjoined letters do not."""
    from PIL import Image, ImageDraw, ImageFont, features

    if not features.check("raqm"):
        pytest.skip("Pillow was built without raqm")
    import numpy as np

    from leaflet.fonts import script_fonts, static_path

    document = load(CASES / f"{name}.yaml")
    title = document.meta.title.patient
    pdf = leaflet(name)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        chars = [c for c in page.chars if c["size"] > 20]
    x0 = min(c["x0"] for c in chars)
    x1 = max(c["x1"] for c in chars)
    top = min(c["top"] for c in chars)
    bottom = max(c["bottom"] for c in chars)
    size = chars[0]["size"]
    dpi = 144
    page_area = _render_pdf_line(pdf, (x0 - 2, top - 1.5 * size, x1 + 2, bottom + 2), dpi)
    drawn = _inkiest_band(page_area)
    family = script_fonts("hi" if name == "hi" else document.meta.language).primary
    font = ImageFont.truetype(
        str(static_path(family, "bold")), size=round(size * dpi / 72), layout_engine=1
    )
    direction = "rtl" if name in ("ar", "ur") else "ltr"
    box = font.getbbox(title, direction=direction)
    reference = Image.new("L", (box[2] + 8, box[3] + 8), 255)
    ImageDraw.Draw(reference).text((4 - box[0], 4), title, font=font, fill=0, direction=direction)
    ref = np.asarray(reference, dtype=float)
    a, b = _ink_profile(drawn), _ink_profile(ref)
    # Both trimmed to their ink, then the same length
    a = a[np.nonzero(a > a.max() * 0.02)[0][0] : np.nonzero(a > a.max() * 0.02)[0][-1] + 1]
    b = b[np.nonzero(b > b.max() * 0.02)[0][0] : np.nonzero(b > b.max() * 0.02)[0][-1] + 1]
    n = min(len(a), len(b))
    assert abs(len(a) - len(b)) <= 0.03 * max(len(a), len(b))
    assert (
        _correlation(np.interp(np.linspace(0, 1, n), np.linspace(0, 1, len(a)), a), b[:n]) >= 0.95
    )
    # The same comparison with the words in logical order left to right fails (a wrong order
    # is caught): the check is not one that anything passes.
    if direction == "rtl":
        wrong = Image.new("L", reference.size, 255)
        words = title.split()
        ImageDraw.Draw(wrong).text(
            (4 - box[0], 4), " ".join(reversed(words)), font=font, fill=0, direction="rtl"
        )
        c = _ink_profile(np.asarray(wrong, dtype=float))
        c = c[np.nonzero(c > c.max() * 0.02)[0][0] : np.nonzero(c > c.max() * 0.02)[0][-1] + 1]
        m = min(n, len(c))
        resampled = np.interp(np.linspace(0, 1, m), np.linspace(0, 1, len(a)), a)
        assert _correlation(resampled, c[:m]) < 0.9


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("ar", ["عيادة", "ترسبات", "الكالسيوم", "تحت", "معلومات"]),
        ("ur", ["کیلشیم", "ذخائر", "انجیکشن", "گلٹیاں"]),
        ("hi", ["त्वचा", "कैल्शियम", "स्टेरॉयड", "इंजेक्शन", "उंगलियों"]),
        ("bn", ["ত্বকের", "ক্যালসিয়াম", "ইনজেকশন", "স্টেরয়েড"]),
        ("pa", ["ਚਮੜੀ", "ਕੈਲਸ਼ੀਅਮ", "ਸਟੀਰੌਇਡ", "ਉਂਗਲਾਂ"]),
        ("gu", ["ત્વચા", "કેલ્શિયમ", "સ્ટીરોઈડ", "ઇન્જેક્શન"]),
    ],
)
def test_pdftotext_gives_the_logical_text(name: str, words: list[str], tmp_path: Path) -> None:
    """Shaped words carry /ActualText: extraction gives the letters in logical order, not
    joined forms or private code points (poppler may part an Arabic word at a join: spaces
    are not compared)."""
    pdf = tmp_path / "leaflet.pdf"
    pdf.write_bytes(leaflet(name))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    squeezed = "".join(text.split())
    for word in words:
        assert word in squeezed, word
    assert not any(0xE000 <= ord(c) <= 0xF8FF for c in text.split("\f")[0][:400])


def test_devanagari_conjuncts_are_shaped() -> None:
    """क्ष and त्व drawn as conjuncts: the shaped word is narrower than its letters set one by one
    with visible halants, and the PDF draws it at the shaped width."""
    from reportlab.pdfbase import pdfmetrics

    from leaflet.fonts import NOTO_SANS_DEVANAGARI, face_name, register_script_font
    from leaflet.renderers.leaflet_pdf.scripts import _text_width

    register_script_font(NOTO_SANS_DEVANAGARI)
    name = face_name(NOTO_SANS_DEVANAGARI, "regular")
    for word in ("क्षतिग्रस्त", "त्वचा"):
        shaped = _text_width(word, name, 12, True)
        unshaped = pdfmetrics.stringWidth(word, name, 12)
        assert shaped < unshaped - 1


def test_no_chinese_line_starts_with_closing_punctuation() -> None:
    pdf = leaflet("zh-Hans")
    closing = set("，：；！？。、）」』】》")
    starts = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for line in page.extract_text_lines():
                starts.append(line["text"][:1])
    assert len(starts) > 10
    assert not closing & set(starts), [s for s in starts if s in closing]


def test_chinese_leaflet_embeds_a_cjk_subset() -> None:
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(leaflet("zh-Hans")))
    names = {
        str(font.BaseFont).split("+")[-1]
        for page in pdf.pages
        for font in page.Resources.Font.values()
    }
    assert any("NotoSansCJK" in n for n in names), names
    text = "".join(
        page.extract_text() for page in pdfplumber.open(io.BytesIO(leaflet("zh-Hans"))).pages
    )
    assert "皮肤下的钙质沉积" in text
    assert "Vitamin D" in text


def test_scripts_leaflets_build_in_large_print_too() -> None:
    for name in ("ar", "zh-Hans"):
        data = leaflet(name, "leaflet-large")
        assert data.startswith(b"%PDF")


def test_glyph_gate_names_a_script_without_a_font(tmp_path: Path) -> None:
    """Tamil has no font here: the gate says so at the character's place. Gurmukhi and
    Gujarati are drawn by the vendored Noto faces."""
    from leaflet.glyphs import PATIENT, missing

    lacking = missing("தமிழ் தகவல்", PATIENT, "en-GB")
    assert lacking[0][0] == 0
    assert "Atkinson" in lacking[0][2]
    assert missing("ਪੰਜਾਬੀ ਜਾਣਕਾਰੀ", PATIENT, "pa") == []
    assert missing("ગુજરાતી માહિતી", PATIENT, "gu") == []
    assert missing("ترسبات الكالسيوم Vitamin D 1000", PATIENT, "ar") == []
    assert missing("皮肤下的钙质沉积，Vitamin D。", PATIENT, "zh-Hans") == []


# --- the deck, through LibreOffice ------------------------------------------------------------


def _lo_fonts(work: Path) -> dict[str, str]:
    """A private fontconfig with copies of the fonts the deck names (LibreOffice shows a
    font collection that is a link as boxes)."""
    from leaflet.fonts import (
        DECK_MEASURE_FONT,
        HIND_SILIGURI,
        NOTO_CJK_SC,
        NOTO_SANS_ARABIC,
        NOTO_SANS_DEVANAGARI,
        source_path,
        static_path,
    )

    fonts = work / "fonts"
    fonts.mkdir()
    for family in (NOTO_SANS_ARABIC, NOTO_SANS_DEVANAGARI, HIND_SILIGURI, DECK_MEASURE_FONT):
        for face in ("regular", "bold"):
            target = fonts / f"{family.pdf_name}-{face}.ttf"
            shutil.copyfile(static_path(family, face), target)
    cjk = source_path(NOTO_CJK_SC)
    shutil.copyfile(cjk, fonts / cjk.name)  # a copy: LibreOffice shows a linked collection as boxes
    conf = work / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{fonts}</dir><cachedir>{work / 'cache'}</cachedir></fontconfig>"
    )
    import os

    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def _deck_pdf(name: str, work: Path) -> bytes:
    from leaflet.renderers.deck_pptx import render as render_deck
    from tests.test_deck_libreoffice import to_pdf

    composed = compose(load(CASES / f"{name}.yaml"), EDITIONS["deck"])
    pptx = work / f"{name}.pptx"
    pptx.write_bytes(render_deck(composed, Options(project_dir=CASES)).data)
    return to_pdf(pptx, work, env=_lo_fonts(work), timeout=180).read_bytes()


def test_arabic_deck_through_libreoffice(tmp_path: Path) -> None:
    """The deck's Arabic paragraphs run right to left in LibreOffice: on the definition slide
    ONE (the paragraph's first word) is its first line's rightmost word and TWO (its last)
    the last line's leftmost; the
    title line matches raqm's drawing of it in the face the deck names; the text exported is
    the logical text."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    from leaflet.fonts import NOTO_SANS_ARABIC, static_path

    pdf = _deck_pdf("ar", tmp_path)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = next(p for p in doc.pages if "ONE" in (p.extract_text() or ""))
        number = page.page_number - 1
        words = page.extract_words()
        text = "".join((p.extract_text() or "") for p in doc.pages)
        cover = doc.pages[0]
        big = [c for c in cover.chars if c["size"] >= max(ch["size"] for ch in cover.chars) - 0.1]
    one = next(w for w in words if w["text"] == "ONE")
    two = next(w for w in words if w["text"] == "TWO")
    line = [
        w for w in words if abs(float(w["bottom"]) - float(one["bottom"])) < 6 and w["text"] != "•"
    ]
    last = [
        w for w in words if abs(float(w["bottom"]) - float(two["bottom"])) < 6 and w["text"] != "•"
    ]
    assert max(line, key=lambda w: float(w["x1"]))["text"] == "ONE"
    assert float(two["bottom"]) >= float(one["bottom"])
    assert min(last, key=lambda w: float(w["x0"]))["text"] == "TWO"
    assert number > 0 and "ONE" in text
    if shutil.which("pdftotext"):
        (tmp_path / "deck.pdf").write_bytes(pdf)
        logical = subprocess.run(
            ["pdftotext", str(tmp_path / "deck.pdf"), "-"], check=True, capture_output=True
        ).stdout.decode()
        assert "التكلس" in "".join(logical.split())
    # The cover's title, drawn by raqm in Noto Sans Arabic Bold
    title = compose(load(CASES / "ar.yaml"), EDITIONS["deck"]).title.title
    title_text = "".join(r.text for r in title)
    x0, x1 = min(c["x0"] for c in big), max(c["x1"] for c in big)
    top, bottom = min(c["top"] for c in big), max(c["bottom"] for c in big)
    size = big[0]["size"]
    dpi = 144
    area = _render_pdf_line(pdf, (x0 - 2, top - 1.5 * size, x1 + 2, bottom + 2), dpi)
    drawn = _inkiest_band(_dark(area))
    font = ImageFont.truetype(
        str(static_path(NOTO_SANS_ARABIC, "bold")), size=round(size * dpi / 72), layout_engine=1
    )
    box = font.getbbox(title_text, direction="rtl")
    reference = Image.new("L", (box[2] + 8, box[3] + 8), 255)
    ImageDraw.Draw(reference).text((4 - box[0], 4), title_text, font=font, fill=0, direction="rtl")
    a, b = _trimmed(_ink_profile(drawn)), _trimmed(_ink_profile(reference))
    n = min(len(a), len(b))
    resampled = np.interp(np.linspace(0, 1, n), np.linspace(0, 1, len(a)), a)
    assert (
        _correlation(resampled, np.interp(np.linspace(0, 1, n), np.linspace(0, 1, len(b)), b))
        >= 0.95
    )


def _trimmed(profile: object) -> object:
    import numpy as np

    p = np.asarray(profile)
    ink = np.nonzero(p > p.max() * 0.02)[0]
    return p[ink[0] : ink[-1] + 1]


def _dark(pixels: object) -> object:
    """Text as black on white, whatever the background (the cover's is dark): a pixel far from
    the background's grey is ink."""
    import numpy as np

    p = np.asarray(pixels, dtype=float)
    background = np.median(p)
    return np.where(np.abs(p - background) > 60, 0.0, 255.0)


def test_greek_cyrillic_and_turkish_words_are_drawn_in_noto_sans(tmp_path: Path) -> None:
    """Words Atkinson Hyperlegible cannot draw (Greek, Cyrillic, Turkish İ) go whole into Noto
    Sans, Regular and Bold; the Spanish around them stays in Atkinson; none is a box."""
    import pikepdf

    source = (Path(__file__).parent / "cases" / "leaflet-es.yaml").read_text("utf-8")
    words = "Ασβέστιο кальций İstanbul"
    edited = source.replace(
        "Suelen aparecer en los dedos y los codos.",
        f"Suelen aparecer en los dedos y los codos ({words}, **Ωμέγα**).",
    )
    assert edited != source
    content = tmp_path / "content.yaml"
    content.write_text(edited, "utf-8")
    shutil.copytree(Path(__file__).parent / "cases" / "es" / "assets", tmp_path / "assets")
    composed = compose(load(content), EDITIONS["leaflet"])
    pdf = render(composed, Options(project_dir=tmp_path)).data
    fonts = {
        str(f.BaseFont).split("+")[-1]
        for page in pikepdf.open(io.BytesIO(pdf)).pages
        for f in page.Resources.Font.values()
    }
    assert {"NotoSans-Regular", "NotoSans-Bold", "AtkinsonHyperlegible-Regular"} <= fonts, fonts
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        chars = [c for page in doc.pages for c in page.chars]
    text = "".join(c["text"] for c in chars)
    for word in ("Ασβέστιο", "кальций", "İstanbul", "Ωμέγα", "Suelen"):
        assert word in text, word
    faces = {c["text"]: c["fontname"].split("+")[-1] for c in chars if c["text"] in "Ακİ"}
    assert all(name.startswith("NotoSans") for name in faces.values()), faces


def test_a_latin_leaflet_loads_no_script_font() -> None:
    """A Spanish leaflet sets its text as before: no other family is registered, no bidi
    module imported, no CJK collection read (a fresh interpreter, so nothing is shared)."""
    import sys

    code = (
        "from pathlib import Path\n"
        "from leaflet.edition import EDITIONS, compose\n"
        "from leaflet.loader import load\n"
        "from leaflet.renderers import Options\n"
        "from leaflet.renderers.leaflet_pdf import render\n"
        "import sys\n"
        "from reportlab.pdfbase import pdfmetrics\n"
        "cases = Path('tests/cases')\n"
        "render(compose(load(cases / 'leaflet-es.yaml'), EDITIONS['leaflet']),"
        " Options(project_dir=cases))\n"
        "print(sorted(n for n in pdfmetrics._fonts if not n.startswith('Atkinson')"
        " and n in pdfmetrics.getRegisteredFontNames()), 'bidi' in sys.modules,"
        " 'noto_cjk_sans_otc' in sys.modules)\n"
    )
    root = Path(__file__).parent.parent
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, check=True, capture_output=True, text=True
    ).stdout.split("\n")[0]
    fonts, bidi, cjk = out.rsplit(" ", 2)
    import ast

    assert not any("Noto" in f or "Hind" in f for f in ast.literal_eval(fonts))
    assert (bidi, cjk) == ("False", "False")


def test_shaped_leaflets_have_the_same_bytes_whatever_was_rendered_before() -> None:
    """reportlab numbers shaped glyphs as a process meets them; the leaflet's bytes must not
    depend on that (large print alone, and after the standard leaflet, in fresh interpreters)."""
    import sys

    def digest(*editions: str) -> str:
        code = (
            "import hashlib, sys\n"
            "sys.path.insert(0, 'tests')\n"
            "from test_scripts import leaflet\n"
            f"for e in {list(editions)!r}: data = leaflet('ar', e)\n"
            "print(hashlib.sha256(data).hexdigest())\n"
        )
        root = Path(__file__).parent.parent
        run = subprocess.run(
            [sys.executable, "-c", code], cwd=root, check=True, capture_output=True, text=True
        )
        return run.stdout.strip()

    assert digest("leaflet-large") == digest("leaflet", "leaflet-large")


# --- the deck's line pitch: the metrics of the font that draws each script ------------------


def _glyf_extent_em(family: object, text: str) -> tuple[float, float]:
    """The highest top of the text's glyphs as HarfBuzz shapes it (fontTools' glyph bounds and
    HarfBuzz's offsets, in the Bold face) and the face's descent, in ems: measured without
    Pillow, which the deck measures with."""
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    from leaflet.fonts import static_path

    path = static_path(family, "bold")  # type: ignore[arg-type]
    font = TTFont(path)
    glyf, upm, order = font["glyf"], font["head"].unitsPerEm, font.getGlyphOrder()
    shaper = hb.Font(hb.Face(path.read_bytes()))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(shaper, buffer)
    tops = [
        getattr(glyf[order[info.codepoint]], "yMax", 0) + pos.y_offset
        for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)
    ]
    return max(tops) / upm, -font["hhea"].descent / upm


@pytest.mark.parametrize(
    ("family_name", "text"),
    [("NOTO_SANS_ARABIC", "الحالات المرافقة"), ("HIND_SILIGURI", "সংশ্লিষ্ট রোগ")],
)
def test_deck_line_pitch_holds_the_script_s_letters_and_descent(
    family_name: str, text: str
) -> None:
    """A paragraph of a taller script is fitted, and drawn, with a pitch that holds its
    letters above the baseline and its font's descent below; Latin keeps 1.2."""
    import leaflet.fonts as fonts
    from leaflet.deck.fit import LINE_HEIGHT, line_factor, paras_height, plain_para
    from leaflet.inline import Run

    ascent, descent = _glyf_extent_em(getattr(fonts, family_name), text)
    spans = (Run(text, bold=True),)
    assert line_factor(spans) >= ascent + descent > LINE_HEIGHT
    assert line_factor((Run("Associated conditions", bold=True),)) == LINE_HEIGHT
    tall = paras_height([plain_para(Run(text, bold=True))], 400, 20)
    assert tall == pytest.approx(20 * line_factor(spans))


def test_arabic_deck_cells_are_spaced_by_the_arabic_face() -> None:
    """Every paragraph of the Arabic deck's tables has an exact pitch of at least the Arabic
    face's descent plus its letters' height (LibreOffice puts the first baseline the descent
    above the line's foot: less and the cell cuts the tops of the letters off)."""
    from pptx import Presentation

    from leaflet.fonts import NOTO_SANS_ARABIC
    from leaflet.renderers.deck_pptx import render as render_deck

    composed = compose(load(CASES / "ar.yaml"), EDITIONS["deck"])
    deck = Presentation(io.BytesIO(render_deck(composed, Options(project_dir=CASES)).data))
    checked = 0
    for slide in deck.slides:
        for shape in slide.shapes:
            if not shape.has_table:
                continue
            for row in shape.table.rows:
                for cell in row.cells:
                    for p in cell.text_frame.paragraphs:
                        if not p.text.strip():
                            continue
                        size = p.runs[0].font.size.pt
                        ascent, descent = _glyf_extent_em(NOTO_SANS_ARABIC, p.text)
                        assert p.line_spacing.pt >= (ascent + descent) * size, p.text
                        checked += 1
    assert checked >= 6


def _cells_whose_text_touches_an_edge(pdf: bytes) -> list[tuple[int, float, float]]:
    """Table cells of a LibreOffice PDF (filled rectangles below the title band) whose top or
    bottom strip, just inside the cell, has ink in it: text the cell cut off."""
    import numpy as np
    import pypdfium2 as pdfium

    touched = []
    doc = pdfium.PdfDocument(pdf)
    with pdfplumber.open(io.BytesIO(pdf)) as plumbed:
        for number, page in enumerate(plumbed.pages):
            cells = {
                (round(r["x0"], 1), round(r["top"], 1), round(r["x1"], 1), round(r["bottom"], 1))
                for r in page.rects
                if r["top"] > 90 and r["bottom"] - r["top"] > 12 and r["x1"] - r["x0"] > 40
            }
            if not cells:
                continue
            scale = 3.0
            image = np.asarray(doc[number].render(scale=scale).to_pil().convert("L"), float)
            for x0, top, x1, bottom in cells:
                for y in (top + 0.6, bottom - 1.2):
                    strip = image[
                        int(y * scale) : int((y + 0.6) * scale),
                        int((x0 + 2) * scale) : int((x1 - 2) * scale),
                    ]
                    if np.abs(strip - np.median(strip)).max() > 60:
                        touched.append((number + 1, x0, top))
    return touched


@pytest.mark.parametrize(
    "name",
    [
        "ar",
        "bn",
        pytest.param("ur", marks=pytest.mark.slow),
        pytest.param("hi", marks=pytest.mark.slow),
    ],
)
def test_deck_table_cells_do_not_clip_their_text_in_libreoffice(name: str, tmp_path: Path) -> None:
    """Through LibreOffice, no table cell's text reaches the cell's top or bottom edge (where
    a cell clips the tops of Arabic and Bengali letters fitted with Latin metrics)."""
    pdf = _deck_pdf(name, tmp_path)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert any(p.rects for p in doc.pages)
    assert _cells_whose_text_touches_an_edge(pdf) == []


def test_numbers_joined_to_urdu_punctuation_read_forwards(tmp_path: Path) -> None:
    """A number fused with a right-to-left full stop ("2026۔") is one word HarfBuzz lays out
    backwards whole: its digits still stand in order (2026 left to right, the stop at its
    left), and the text read back is the logical text."""
    pdf = leaflet("ur")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        rows = [
            "".join(c["text"] for c in sorted(line, key=lambda c: float(c["x0"])))
            for page in doc.pages
            for line in _char_lines(page.chars)
        ]
    years = [r for r in rows if "2026" in r]
    assert years and not any("6202" in r for r in rows)
    if shutil.which("pdftotext"):
        (tmp_path / "ur.pdf").write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", str(tmp_path / "ur.pdf"), "-"], check=True, capture_output=True
        ).stdout.decode()
        assert "6202" not in text and "2026" in text


def _char_lines(chars: list[dict[str, object]]) -> list[list[dict[str, object]]]:
    lines: dict[int, list[dict[str, object]]] = {}
    for c in chars:
        lines.setdefault(round(float(c["bottom"])), []).append(c)  # type: ignore[arg-type]
    return list(lines.values())


# --- bold in every script ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "bold"),
    [
        ("ar", "NotoSansArabic-Bold"),
        ("ur", "NotoSansArabic-Bold"),
        ("hi", "NotoSansDevanagari-Bold"),
        ("bn", "HindSiliguri-Bold"),
    ],
)
def test_each_shaped_script_embeds_a_real_bold(name: str, bold: str) -> None:
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(leaflet(name)))
    names = {
        str(font.BaseFont).split("+")[-1]
        for page in pdf.pages
        for font in page.Resources.Font.values()
    }
    assert bold in names, names


def test_chinese_headings_are_set_in_a_synthetic_bold() -> None:
    """No CJK Bold is packaged: a bold CJK run is the Regular filled and stroked in its own
    colour. The first heading's Chinese letters carry clearly more ink than raqm's drawing of
    them in the Regular face at the same size, and stand where those letters stand (no tofu,
    nothing moved)."""
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    from leaflet.fonts import CJK_FAMILIES, NOTO_CJK_SC, source_path

    composed = compose(load(CASES / "zh-Hans.yaml"), EDITIONS["leaflet"])
    heading = "".join(r.text for r in composed.sections[0].heading)
    letters = "".join(c for c in heading if "\u4e00" <= c <= "\u9fff")
    pdf = leaflet("zh-Hans")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        chars = doc.pages[0].chars
    run = next(
        chars[i : i + len(letters)]
        for i in range(len(chars))
        if "".join(c["text"] for c in chars[i : i + len(letters)]) == letters
    )
    size = float(run[0]["size"])
    x0, x1 = float(run[0]["x0"]), float(run[-1]["x1"])
    top, bottom = min(float(c["top"]) for c in run), max(float(c["bottom"]) for c in run)
    dpi = 288
    drawn = _render_pdf_line(pdf, (x0, top, x1, bottom), dpi)
    font = ImageFont.truetype(
        str(source_path(NOTO_CJK_SC)), size=round(size * dpi / 72), index=CJK_FAMILIES[NOTO_CJK_SC]
    )
    box = font.getbbox(letters)
    reference = Image.new("L", (box[2] + 8, box[3] + 8), 255)
    ImageDraw.Draw(reference).text((4, 4), letters, font=font, fill=0)
    ink_pdf = (np.asarray(drawn) < 200).sum()
    ink_ref = (np.asarray(reference, dtype=float) < 200).sum()
    assert ink_pdf > 1.15 * ink_ref, (ink_pdf, ink_ref)
    a = _trimmed(_ink_profile(_dark(drawn)))
    b = _trimmed(_ink_profile(np.asarray(reference, dtype=float)))
    n = min(len(a), len(b))
    resample = lambda p: np.interp(np.linspace(0, 1, n), np.linspace(0, 1, len(p)), p)  # noqa: E731
    assert _correlation(resample(a), resample(b)) >= 0.9
    # emboldened runs are closed: each stroked run sets the fill-only mode back after it
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        contents = doc.pages[0].Contents
        parts = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        stream = b"".join(part.read_bytes() for part in parts)
    assert stream.count(b"2 Tr") >= 2 and stream.count(b"2 Tr") == stream.count(b"0 Tr")


# --- Hindi, Greek and Turkish interfaces ------------------------------------------------------

ENGLISH_INTERFACE = ("Page ", "Words to know", "Where this information comes from", "Overview")
ENGLISH_DECK = ("Overview", "References", "Questions and contact", "What to tell patients")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("tr", ["İlçe", "ılık", "Işık", "İğne", "Sayfa", "Bilmeniz", "kaynağı"]),
        ("el", ["Εναποθέσεις", "Σελίδα", "Λέξεις", "προέρχονται"]),
        ("hi", ["पृष्ठ", "जानने", "ली गई", "त्वचा"]),
    ],
)
def test_hindi_greek_and_turkish_build_in_their_own_interface(
    name: str, words: list[str], tmp_path: Path
) -> None:
    """The leaflet's text as pdftotext reads it has the language's interface words and its
    letters (Turkish İ and ı, Greek, shaped Devanagari), and no English interface phrase; the
    deck's slides and notes have none either."""
    from pptx import Presentation

    from leaflet.renderers.deck_pptx import render as render_deck

    pdf = tmp_path / f"{name}.pdf"
    pdf.write_bytes(leaflet(name))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True
    ).stdout.decode()
    flat = " ".join(text.split())
    for word in words:
        assert word in flat, word
    assert not [p for p in ENGLISH_INTERFACE if p in flat]
    composed = compose(load(CASES / f"{name}.yaml"), EDITIONS["deck"])
    deck = Presentation(io.BytesIO(render_deck(composed, Options(project_dir=CASES)).data))
    said = " ".join(
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    assert said.strip() and not [p for p in ENGLISH_DECK if p in said]
