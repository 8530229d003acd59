"""The deck defects readers and validators found (issue 14), each read back from the PPTX."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from leaflet.model import Document
from leaflet.renderers import Options
from leaflet.renderers.deck_pptx import DECORATIVE_NS
from tests.conftest import ROOT
from tests.deck_support import deck, tripled


def render(document: Document) -> Any:
    from leaflet.renderers.deck_pptx import render as draw

    return Presentation(io.BytesIO(draw(deck(document), Options(ROOT)).data))


def changed(document: Document, edit: Any) -> Document:
    data = document.model_dump(mode="json", exclude_none=True)
    edit(data)
    return Document.model_validate(data)


def body_paragraphs(slide: Any) -> list[str]:
    """The text of the slide's body placeholder, a paragraph a line."""
    shape = next(s for s in slide.shapes if s.name == "Body")
    return [p.text for p in shape.text_frame.paragraphs]


SENTENCES = [
    f"Audit {k} of our clinic found that most patients with deposits also needed help"
    + " with pain" * (k % 3)
    + " and weight; diet alone rarely reaches target."
    for k in range(1, 21)
]
SHORT = ["One short paragraph before it.", "Another short paragraph, after it."]


def test_slides_break_between_paragraphs_and_between_sentences_only(document: Document) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["sections"][1]["paragraphs"] = [
            {"patient": t, "clinician": t} for t in (SHORT[0], " ".join(SENTENCES), SHORT[1])
        ]

    prs = render(changed(document, edit))
    slides = [s for s in prs.slides if s.shapes.title.text.startswith("Epidemiology")]
    assert len(slides) >= 2
    pages = [body_paragraphs(s) for s in slides]
    shown = [p for page in pages for p in page]
    # every sentence is on some slide, whole and in order
    assert " ".join(shown).split() == " ".join([SHORT[0], *SENTENCES, SHORT[1]]).split()
    for before, after in itertools.pairwise(pages):
        assert before[-1].endswith((".", "target.")), before[-1][-60:]
        assert after[0][:1].isupper(), after[0][:60]
        # the cut is where a sentence starts
        assert any(after[0].startswith(s) for s in [*SENTENCES, SHORT[1]]), after[0][:60]


def test_a_paragraph_that_fits_a_slide_is_never_cut() -> None:
    from leaflet.deck.fit import frame_height, para, split_paras

    paras = [para(f"Item {k} is a bullet of two sentences. It says little.") for k in range(9)]
    tallest = max(frame_height([p], 400, 18) for p in paras)
    for height in range(int(tallest) + 1, 400, 3):
        pages = split_paras(paras, 400, height, 18)
        assert [p.text for page in pages for p in page] == [p.text for p in paras], height


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("One. Two! Three? Four.", ["Two", "Three", "Four"]),
        ("Use e.g. warfarin. Then stop.", ["Then"]),
        ("He said “stop.” Then left.", ["Then"]),
        ("第一句。第二句。", ["第二句"]),
    ],
)
def test_sentence_ends(text: str, starts: list[str]) -> None:
    from leaflet.deck.fit import sentence_ends

    ends = sentence_ends(text)
    assert len(ends) == len(starts)
    assert all(text[at:].startswith(s) for at, s in zip(ends, starts, strict=True))


# --- the shipped, psoriasis, Spanish and tripled decks ---------------------------------------


@pytest.fixture(scope="module")
def decks(
    built: dict[str, Path], document: Document, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    from leaflet.renderers.deck_pptx import render as draw
    from tests.test_deck_edition import PSORIASIS, SPANISH, built_deck

    long = tmp_path_factory.mktemp("tripled") / "tripled.pptx"
    long.write_bytes(draw(deck(tripled(document)), Options(ROOT)).data)
    return {
        "shipped": built["deck"],
        "psoriasis": built_deck(PSORIASIS, tmp_path_factory),
        "spanish": built_deck(SPANISH, tmp_path_factory),
        "tripled": long,
    }


NAMES = ["shipped", "psoriasis", "spanish", "tripled"]


def titles(path: Path) -> list[str]:
    return [s.shapes.title.text for s in Presentation(str(path)).slides]


@pytest.mark.parametrize("name", NAMES)
def test_every_slide_title_is_unique(name: str, decks: dict[str, Path]) -> None:
    shown = titles(decks[name])
    assert len(set(shown)) == len(shown), [t for t in shown if shown.count(t) > 1]


def test_continuation_slides_are_numbered(decks: dict[str, Path]) -> None:
    shown = titles(decks["tripled"])
    management = [t for t in shown if t.startswith("Management")]
    n = len(management)
    assert n >= 3
    assert management == [f"Management ({k} of {n})" for k in range(1, n + 1)]
    assert not any("(cont.)" in t for t in shown)
    spanish = [t for t in titles(decks["spanish"]) if re.search(r"\(\d+ de \d+\)$", t)]
    assert all(" de " in t for t in spanish)


def test_the_logo_card_is_decorative_and_the_logo_described(decks: dict[str, Path]) -> None:
    cover = Presentation(str(decks["shipped"])).slides[0]
    card = next(s for s in cover.shapes if s.name == "Logo card")
    c_nv_pr = card._element.nvSpPr.cNvPr
    assert c_nv_pr.get("descr") is None
    marks = c_nv_pr.findall(f".//{{{DECORATIVE_NS}}}decorative")
    assert [m.get("val") for m in marks] == ["1"]
    assert marks[0].getparent().get("uri") == "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
    logo = next(s for s in cover.shapes if s.name == "Logo")
    assert logo._element.nvPicPr.cNvPr.get("descr") == "Riverside Skin Clinic logo"


@pytest.mark.parametrize("name", NAMES)
def test_every_shape_is_described_or_decorative(name: str, decks: dict[str, Path]) -> None:
    """What PowerPoint's accessibility checker asks of pictures, groups and drawn shapes."""
    for number, slide in enumerate(Presentation(str(decks[name])).slides, 1):
        for shape in slide.shapes:
            c_nv_pr = shape._element.find(f"./*/{qn('p:cNvPr')}")
            if shape.is_placeholder or (shape.has_text_frame and shape.text_frame.text.strip()):
                continue
            if shape.has_table:
                continue
            decorative = c_nv_pr.find(f".//{{{DECORATIVE_NS}}}decorative") is not None
            assert decorative or c_nv_pr.get("descr"), (number, shape.name)


def _cell_fill(cell: Any) -> Any:
    return cell._tc.tcPr.find(qn("a:solidFill"))


@pytest.mark.parametrize("name", NAMES)
def test_tables_carry_their_own_fills_and_rules(name: str, decks: dict[str, Path]) -> None:
    prs = Presentation(str(decks[name]))
    tables = [s.table for slide in prs.slides for s in slide.shapes if s.has_table]
    assert tables
    for table in tables:
        tbl_pr = table._tbl.tblPr
        assert tbl_pr.find(qn("a:tableStyleId")) is None  # no built-in style is named
        assert tbl_pr.get("firstRow") == "1"
        for k, row in enumerate(table.rows):
            for cell in row.cells:
                fill = _cell_fill(cell)[0]
                assert fill.get("val") == "accent1"
                assert (fill.find(qn("a:tint")) is None) == (k == 0)
                for side in ("lnL", "lnR", "lnT", "lnB"):
                    assert cell._tc.tcPr.find(qn(f"a:{side}")) is not None
            if k == 0:
                runs = [r for c in row.cells for p in c.text_frame.paragraphs for r in p.runs]
                assert all(r.font.color.theme_color is not None for r in runs)
        bands = [_cell_fill(row.cells[0])[0].find(qn("a:tint")) for row in list(table.rows)[1:]]
        assert len({b.get("val") for b in bands}) == min(2, len(bands))


def test_references_link_the_title_not_the_address(decks: dict[str, Path]) -> None:
    prs = Presentation(str(decks["shipped"]))
    slide = next(s for s in prs.slides if s.shapes.title.text.startswith("References"))
    body = next(s for s in slide.shapes if s.name == "Body")
    linked: dict[str, str] = {}
    for p in body.text_frame.paragraphs:
        for r in p.runs:
            if r.hyperlink.address:
                # a run a word (LibreOffice wraps a linked run only at its ends)
                assert len(r.text.split()) == 1, r.text
                linked[r.hyperlink.address] = linked.get(r.hyperlink.address, "") + r.text
    assert linked == {"https://dermnetnz.org/topics/calcinosis-cutis": "DermNet: Calcinosis cutis."}
    assert "https://" not in body.text_frame.text
    # the address stays in the speaker notes
    assert (
        "https://dermnetnz.org/topics/calcinosis-cutis" in slide.notes_slide.notes_text_frame.text
    )


@pytest.mark.parametrize("name", NAMES)
def test_app_properties_are_true_to_the_deck(name: str, decks: dict[str, Path]) -> None:
    from lxml import etree

    path = decks[name]
    with zipfile.ZipFile(path) as z:
        app = etree.fromstring(z.read("docProps/app.xml"))
    ns = {
        "e": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
        "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    }
    prs = Presentation(str(path))
    shown = titles(path)
    assert app.findtext("e:PresentationFormat", namespaces=ns) == "Widescreen"  # 16:9
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    assert int(app.findtext("e:Slides", namespaces=ns)) == len(prs.slides) == len(shown)
    notes = sum(1 for s in prs.slides if s.notes_slide.notes_text_frame.text.strip())
    assert int(app.findtext("e:Notes", namespaces=ns)) == notes == len(prs.slides)
    assert int(app.findtext("e:Words", namespaces=ns)) > 20 * len(prs.slides)
    parts = [t.text for t in app.findall("e:TitlesOfParts/vt:vector/vt:lpstr", ns)]
    assert parts[-len(shown) :] == shown


@pytest.mark.parametrize("name", NAMES)
def test_the_thumbnail_is_the_title_slide(name: str, decks: dict[str, Path]) -> None:
    from PIL import Image

    from leaflet.model import Theme

    with zipfile.ZipFile(decks[name]) as z:
        data = z.read("docProps/thumbnail.jpeg")
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.size == (256, 144)
    # mostly the primary colour, as the title slide is, with light text on it: not blank white
    primary = Theme.model_fields["primary"].default
    colours = image.getcolors(256 * 144) or []
    common = max(colours)[1]
    assert max(abs(a - b) for a, b in zip(common, _rgb(primary), strict=True)) < 24
    light = sum(n for n, c in colours if min(c) > 200)
    assert 200 < light < 256 * 144 // 3


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def test_the_thumbnail_bytes_repeat(document: Document) -> None:
    from leaflet.renderers.deck_pptx import render as draw

    datas = [draw(deck(document), Options(ROOT)).data for _ in range(2)]
    thumbs = [zipfile.ZipFile(io.BytesIO(d)).read("docProps/thumbnail.jpeg") for d in datas]
    assert thumbs[0] == thumbs[1]


# --- titles fitted on every slide --------------------------------------------------------------

LONG_TITLE = (
    "Calcinosis cutis in adults and children: classification, risk factors, management and"
    " safety-netting advice for primary and secondary care teams"
)
LONG_HEADING = (
    "Classification and aetiology of calcinosis cutis by pathogenesis, with the conditions"
    " each type is associated with in adults"
)


def _long_titles(title: str, heading: str) -> Any:
    def edit(data: dict[str, Any]) -> None:
        data["meta"]["title"]["clinician"] = title
        data["sections"][3]["heading"]["clinician"] = heading

    return edit


def _title_need(shape: Any) -> float:
    """The height the title's text takes in its shape, measured in bold as the master sets it."""
    from dataclasses import replace

    from leaflet.deck.fit import paras_height
    from tests.deck_support import insets, paras_of, pt

    paras, size = paras_of(shape.text_frame._txBody)
    bold = [replace(p, spans=tuple(replace(s, bold=True) for s in p.spans)) for p in paras]
    inset_x, inset_y = insets(shape)
    return paras_height(bold, pt(shape.width) - 2 * inset_x, size) + 2 * inset_y


def test_long_titles_fit_their_slides_without_a_stray_strip(document: Document) -> None:
    from tests.deck_support import pt

    prs = render(changed(document, _long_titles(LONG_TITLE, LONG_HEADING)))
    cover = prs.slides[0]
    title = cover.shapes.title
    assert title.text == LONG_TITLE
    assert _title_need(title) <= pt(title.height) + 0.5
    assert pt(title.top) >= 156  # below the accent rule (150 pt, 6 pt high)
    assert not [s for s in cover.shapes if s.name == "Accent strip"]  # no full-width strip
    subtitle = next(s for s in cover.shapes if s.name == "Subtitle")
    assert pt(subtitle.top) >= pt(title.top + title.height)
    assert pt(subtitle.top + subtitle.height) <= 540
    for slide in list(prs.slides)[1:]:
        bar = slide.shapes.title
        assert _title_need(bar) <= pt(bar.height) + 0.5, bar.text
        below = [
            s
            for s in slide.shapes
            if s.shape_id != bar.shape_id
            and s.name != "Accent strip"
            and pt(s.left) < pt(bar.left + bar.width)  # the closing QR code stands beside it
        ]
        assert all(pt(s.top) >= pt(bar.top + bar.height) for s in below), bar.text
        if pt(bar.height) > 86.5:
            (strip,) = [s for s in slide.shapes if s.name == "Accent strip"]
            assert abs(pt(strip.top) - pt(bar.top + bar.height)) < 0.1
    grown = [s for s in prs.slides if s.shapes.title.text.startswith(LONG_HEADING)]
    assert grown and all(pt(s.shapes.title.height) > 86.5 for s in grown)


TOO_LONG = (
    "Classification and aetiology of calcinosis cutis by pathogenesis and by the conditions"
    " each type is associated with, in adults, in children and in older people seen in"
    " primary care"
)


def test_a_heading_too_long_for_a_title_bar_is_reported_with_its_place(
    document: Document,
) -> None:
    from leaflet.errors import LeafletError

    assert len(TOO_LONG) <= 200  # content may have it
    with pytest.raises(LeafletError) as caught:
        render(changed(document, _long_titles("Calcinosis cutis", TOO_LONG)))
    assert str(caught.value) == (
        f"deck: sections[3]: the title '{TOO_LONG}' takes 4 lines at 28 pt, and a slide has"
        " room for 3: shorten it"
    )


def test_a_cover_title_too_long_for_the_title_slide_is_reported(document: Document) -> None:
    from dataclasses import replace

    from leaflet.deck.plan import plan
    from leaflet.errors import LeafletError
    from leaflet.inline import Run

    edition = deck(document)
    long = replace(edition, title=replace(edition.title, title=(Run(" ".join([LONG_TITLE] * 3)),)))
    with pytest.raises(LeafletError, match=r"^deck: meta\.title: the title 'Calcinosis cutis in"):
        plan(long)


# --- sparse content merged ---------------------------------------------------------------------


def test_the_agenda_is_not_titled_like_a_section(document: Document) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["sections"][0]["heading"]["clinician"] = "Overview"

    prs = render(changed(document, edit))
    shown = [s.shapes.title.text for s in prs.slides]
    assert shown[1] == "Contents"
    assert shown.count("Overview") == 1
    agenda = body_paragraphs(prs.slides[1])
    assert agenda.count("Overview") == 1 and "Contents" not in agenda


def _leads(slide: Any) -> list[str]:
    """The bold lines that lead a slide's text (a card's name on a shared slide)."""
    shape = next(s for s in slide.shapes if s.name == "Body")
    return [
        p.text
        for p in shape.text_frame.paragraphs
        if p.runs and all(r.font.bold for r in p.runs) and p.text.strip()
    ]


def test_short_type_cards_share_a_slide(decks: dict[str, Path]) -> None:
    prs = Presentation(str(decks["shipped"]))
    names = ["Dystrophic", "Metastatic", "Idiopathic", "Iatrogenic"]
    slides = [
        s
        for s in prs.slides
        if any(s.shapes.title.text.startswith(n) for n in names)
        and any(sh.name == "Body" for sh in s.shapes)
    ]
    assert len(slides) < len(names)
    shared = next(s for s in slides if len(_leads(s)) > 1)
    assert shared.shapes.title.text == "Idiopathic calcinosis and iatrogenic calcinosis"
    assert _leads(shared) == ["Idiopathic calcinosis", "Iatrogenic calcinosis"]
    text = " ".join(body_paragraphs(shared))
    assert "congenital soft-tissue defects" in text and "corticosteroid injection" in text
    notes = shared.notes_slide.notes_text_frame.text
    assert "Idiopathic calcinosis" in notes and "Iatrogenic calcinosis" in notes


def test_the_hand_view_stands_beside_the_body_view(decks: dict[str, Path]) -> None:
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    prs = Presentation(str(decks["shipped"]))
    with_groups = [
        (s, [g for g in s.shapes if g.shape_type == MSO_SHAPE_TYPE.GROUP and g.name != "QR code"])
        for s in prs.slides
    ]
    ((slide, groups),) = [(s, g) for s, g in with_groups if g]
    assert [g.name for g in groups] == ["Body-site diagram", "Hand diagram"]
    body, hand = groups
    assert body.left + body.width <= hand.left  # side by side, not overlapping
    assert abs(body.top + body.height / 2 - (hand.top + hand.height / 2)) < 12700
    assert not any(s.shapes.title.text.endswith("the hand") for s in prs.slides)
    site_list = next(s for s in slide.shapes if s.name == "Site list")
    assert (
        "Sites shown: digits of the hand, elbows, face and shoulders" in site_list.text_frame.text
    )
    notes = slide.notes_slide.notes_text_frame.text
    assert body._element.nvGrpSpPr.cNvPr.get("descr") in notes
    assert hand._element.nvGrpSpPr.cNvPr.get("descr") in notes


# --- an independent validator ------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_openxml_audit_finds_nothing(name: str, decks: dict[str, Path]) -> None:
    import openxml_audit

    result = openxml_audit.validate_pptx(decks[name])
    assert [str(e) for e in result.errors] == []
    assert (result.is_valid, result.error_count, result.warning_count) == (True, 0, 0)


def test_openxml_audit_does_find_a_broken_slide(decks: dict[str, Path], tmp_path: Path) -> None:
    """The validator runs (offline) and reads the slides: a control for the test above."""
    import openxml_audit

    broken = tmp_path / "broken.pptx"
    with zipfile.ZipFile(decks["shipped"]) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.namelist():
            data = source.read(item)
            if item == "ppt/slides/slide2.xml":
                data = data.replace(b"<p:cSld>", b"<p:cSld><p:bogus/>", 1)
            target.writestr(item, data)
    result = openxml_audit.validate_pptx(broken)
    assert not result.is_valid
    assert any("bogus" in str(e) for e in result.errors)
