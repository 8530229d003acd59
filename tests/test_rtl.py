"""Right-to-left leaflets are mirrored: the reading column and its bullets, the bars of cards
and callouts, the footer and the diagram's labels stand where a right-to-left reader starts.
Read back from the PDF (pdfplumber's positions) and checked on the diagram's scene; a Latin
leaflet measured the same way stands the other way round."""

from __future__ import annotations

import io
from dataclasses import replace
from functools import cache
from pathlib import Path

import pdfplumber
import pytest

from leaflet.diagram.scene import figure_scene
from leaflet.edition import EDITIONS, compose
from leaflet.edition.blocks import Figure
from leaflet.loader import load
from leaflet.renderers import Options
from leaflet.renderers.leaflet_pdf import render

CASES = Path(__file__).parent / "cases"
RTL = CASES / "scripts" / "ar.yaml"
LTR = CASES / "leaflet-psoriasis.yaml"


@cache
def _pdf(path: Path, edition: str) -> bytes:
    composed = compose(load(path), EDITIONS[edition])
    return render(composed, Options(project_dir=path.parent)).data


def _bars(page: object) -> list[tuple[float, float, float]]:
    """The thick vertical rules, a card's bar (3 pt) and a callout's (5 pt), with the left and
    right edges of the box each stands on (its fill drawn from the bar's top to its foot)."""
    out = []
    for line in page.lines:  # type: ignore[attr-defined]
        if abs(line["x0"] - line["x1"]) > 0.1 or float(line["linewidth"]) not in (3.0, 5.0):
            continue
        boxes = [
            r
            for r in page.rects  # type: ignore[attr-defined]
            if r["fill"]
            and abs(float(r["top"]) - float(line["top"])) < 3
            and abs(float(r["bottom"]) - float(line["bottom"])) < 3
            and float(r["x0"]) - 3 < float(line["x0"]) < float(r["x1"]) + 3
        ]
        assert boxes, line
        box = max(boxes, key=lambda r: float(r["x1"]) - float(r["x0"]))
        out.append((float(line["x0"]), float(box["x0"]), float(box["x1"])))
    return out


@pytest.mark.parametrize("edition", ["leaflet", "leaflet-large"])
@pytest.mark.parametrize(("path", "rtl"), [(RTL, True), (LTR, False)])
def test_bars_bullets_and_footer_stand_at_the_reading_start(
    path: Path, rtl: bool, edition: str
) -> None:
    """Every card's and callout's bar is at the text block's right edge (left for Latin), every
    bullet is its line's rightmost word (leftmost), the page number is at the footer's left
    (right) and the footer's lines at its right (left)."""
    bars, bullets, numbers = 0, 0, 0
    with pdfplumber.open(io.BytesIO(_pdf(path, edition))) as doc:
        for page in doc.pages:
            width = float(page.width)
            words = page.extract_words()
            for x, box_left, box_right in _bars(page):
                assert abs(x - (box_right if rtl else box_left)) < 3, (x, box_left, box_right)
                bars += 1
            for bullet in (w for w in words if w["text"] == "•"):
                line = [
                    w
                    for w in words
                    if abs(float(w["bottom"]) - float(bullet["bottom"])) < 6 and w is not bullet
                ]
                assert line
                if rtl:
                    assert all(float(w["x1"]) <= float(bullet["x0"]) + 0.5 for w in line)
                else:
                    assert all(float(w["x0"]) >= float(bullet["x1"]) - 0.5 for w in line)
                bullets += 1
            footer = [w for w in words if float(w["top"]) > float(page.height) - 60]
            digits = [w for w in footer if w["text"].isdigit() and len(w["text"]) <= 2]
            site = [w for w in footer if "example.org" in w["text"]]
            assert digits and site
            if rtl:
                assert max(float(w["x1"]) for w in digits) < width * 0.25
                assert min(float(w["x0"]) for w in site) > max(float(w["x1"]) for w in digits)
            else:
                assert min(float(w["x0"]) for w in digits) > width * 0.75
                assert max(float(w["x1"]) for w in site) < min(float(w["x0"]) for w in digits)
            numbers += 1
    assert bars >= 2 and bullets >= 2 and numbers >= 2


def test_arabic_text_column_is_right_of_the_diagram_beside_it() -> None:
    """The opening sections run down the right, the body diagram stands at their left."""
    with pdfplumber.open(io.BytesIO(_pdf(RTL, "leaflet"))) as doc:
        page = doc.pages[0]
        words = page.extract_words()
        one = next(w for w in words if w["text"] == "ONE")
        # the figure's outline: the curves drawn beside the paragraph
        beside = [
            c
            for c in page.curves
            if float(c["top"]) < float(one["bottom"]) + 200
            and float(c["bottom"]) > float(one["top"])
        ]
        assert beside
        assert max(float(c["x1"]) for c in beside) < float(one["x0"])
        assert float(one["x1"]) == pytest.approx(max(float(w["x1"]) for w in words), abs=1)


def _figure(path: Path) -> Figure:
    composed = compose(load(path), EDITIONS["leaflet"])
    return next(b for s in composed.sections for b in s.body if isinstance(b, Figure))


def test_diagram_labels_take_the_mirrored_places() -> None:
    """A site on both sides is labelled on the other side of the figure right to left, its
    leader running to that side's mark; the legend's sample follows its words, at the
    right. The figure itself is not flipped."""
    figure = _figure(RTL)
    assert figure.words.rtl
    ltr = replace(figure, words=replace(figure.words, rtl=False))
    kw = {"label_pt": 9.0, "width_pt": 200.0, "height_pt": 300.0}
    mirrored, plain = figure_scene(figure, **kw), figure_scene(ltr, **kw)  # type: ignore[arg-type]
    assert [f.view for f in mirrored.figures] == [f.view for f in plain.figures]
    sides = {}
    for scene in (mirrored, plain):
        centre = sum(f.box.x + f.box.width / 2 for f in scene.figures) / len(scene.figures)
        sides[scene is mirrored] = {
            label.site: (label.text.x > centre, label.anchor[0] > centre) for label in scene.labels
        }
    assert sides[True] and sides[True].keys() == sides[False].keys()
    for site, (label_right, anchor_right) in sides[True].items():
        # the label and the mark it points at are on one side; the other side than Latin's
        assert label_right == anchor_right
        assert label_right != sides[False][site][0]
    legend = mirrored.legend
    assert legend is not None and legend.text.align == "end"
    assert min(c.centre[0] for c in legend.lumps) > legend.text.x
    assert (
        plain.legend is not None
        and max(c.centre[0] for c in plain.legend.lumps) < plain.legend.text.x
    )


# --- the deck ---------------------------------------------------------------------------------


def _deck(path: Path) -> object:
    from pptx import Presentation

    from leaflet.renderers.deck_pptx import render as render_deck

    composed = compose(load(path), EDITIONS["deck"])
    return Presentation(io.BytesIO(render_deck(composed, Options(project_dir=path.parent)).data))


@pytest.mark.parametrize(("path", "rtl"), [(RTL, True), (LTR, False)])
def test_deck_tables_and_paragraphs_run_right_to_left(path: Path, rtl: bool) -> None:
    """Right to left, each table says so (`a:tblPr rtl`: its first column at the right) and
    each paragraph of its cells and text boxes runs right to left, aligned right, its bullet
    at the right; a Latin deck says none of it."""
    from pptx.oxml.ns import qn

    tables = paragraphs = 0
    for slide in _deck(path).slides:  # type: ignore[attr-defined]
        for shape in slide.shapes:
            if shape.has_table:
                tbl_pr = shape._element.find(".//" + qn("a:tblPr"))
                assert (tbl_pr.get("rtl") == "1") == rtl
                tables += 1
            for p in shape._element.iter(qn("a:p")):
                p_pr = p.find(qn("a:pPr"))
                if not "".join(t.text or "" for t in p.iter(qn("a:t"))).strip() or p_pr is None:
                    continue
                if p_pr.get("algn") == "ctr":
                    continue
                assert (p_pr.get("rtl") == "1") == rtl
                paragraphs += 1
    assert (tables >= 1 or path == LTR) and paragraphs > 10


def test_deck_diagram_labels_take_the_mirrored_places() -> None:
    """The deck's body diagram is the scene the edition's words make: right to left, the label
    of each site stands on the other side of the figure than the same words set left to right
    put it."""
    from leaflet.deck.plan import DiagramBlock, diagram_scene, plan

    composed = compose(load(RTL), EDITIONS["deck"])
    figures = [b for s in composed.sections for b in s.body if isinstance(b, Figure)]
    # (the hand close-up labels its one finger mark where it has room, either way)
    blocks = [
        b
        for s in plan(composed)
        for b in s.blocks
        if isinstance(b, DiagramBlock) and b.view == "body"
    ]
    assert blocks
    for block in blocks:
        words = next(f.words for f in figures if f.view == block.view)
        assert words.rtl
        plain, *_ = diagram_scene(
            block.sites,
            block.view,
            replace(words, rtl=False),
            block.rect.width,
            block.rect.height,
            block.scene.marker,
        )
        sides = []
        for scene in (block.scene, plain):
            centre = sum(f.box.x + f.box.width / 2 for f in scene.figures) / len(scene.figures)
            sides.append({label.site: label.text.x > centre for label in scene.labels})
        assert sides[0] and sides[0].keys() == sides[1].keys()
        assert all(sides[0][site] != sides[1][site] for site in sides[0])
