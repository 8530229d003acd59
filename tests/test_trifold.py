"""The tri-fold edition: six panels imposed for a roll fold, read in panel order, nothing across a
fold or an edge, and a message instead of clipping when the content does not fit."""

from __future__ import annotations

import io
import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from click.testing import CliRunner
from pdfua_validate import page_missing, page_ua1, verapdf, verapdf_missing
from test_pdfua import need

from leaflet.cli import cli
from leaflet.edition import DEFAULT_EDITIONS, EDITIONS, Edition, compose
from leaflet.edition.blocks import plain
from leaflet.errors import LeafletError
from leaflet.library import load_library
from leaflet.loader import load, load_located
from leaflet.model import Document
from leaflet.renderers import Options
from leaflet.renderers.leaflet_pdf import render
from leaflet.renderers.leaflet_pdf.plan import MM
from leaflet.renderers.leaflet_pdf.trifold import (
    BODY_PANELS,
    EDGE_MM,
    FOLD_GUTTER_MM,
    MARGIN,
    TICK_MM,
    over_message,
    panels_for,
    plan,
)

ROOT = Path(__file__).resolve().parent.parent
PAPERS = ["A4", "letter"]


def psoriasis() -> Document:
    """The examples library's second topic: a condition that fills the tri-fold's four panels."""
    library = load_library(ROOT / "examples")
    topic = library.topic("psoriasis")
    return load_located(topic.content, library.defaults(topic))[0]


def edition(document: Document, paper: str) -> Edition:
    return compose(document, EDITIONS["leaflet-trifold"].with_paper(paper))  # type: ignore[arg-type]


@pytest.fixture(scope="module", params=PAPERS)
def folded(request: pytest.FixtureRequest) -> tuple[Edition, bytes]:
    made = edition(psoriasis(), request.param)
    return made, render(made, Options(project_dir=ROOT / "examples")).data


# --- the sheet, on the plan ---------------------------------------------------------------


@pytest.mark.parametrize("paper", PAPERS)
def test_the_panels_map_onto_a_roll_folded_sheet(paper: str) -> None:
    (width, height), panels = panels_for(paper)
    assert (width, height) == ((841.89, 595.28) if paper == "A4" else (792.0, 612.0)) or (
        round(width, 2),
        round(height, 2),
    ) == ((841.89, 595.28) if paper == "A4" else (792.0, 612.0))
    by = {p.name: p for p in panels}
    # reading order: the cover, the flap seen on opening it, the inside left to right, the back
    assert [p.name for p in panels] == ["cover", "flap", "inside-1", "inside-2", "inside-3", "back"]
    outside = sorted((p for p in panels if p.side == 1), key=lambda p: p.x)
    inside = sorted((p for p in panels if p.side == 2), key=lambda p: p.x)
    assert [p.name for p in outside] == ["flap", "back", "cover"]
    assert [p.name for p in inside] == ["inside-1", "inside-2", "inside-3"]
    for side in (outside, inside):
        assert side[0].x == 0 and abs(side[-1].right - width) < 0.01
        assert all(abs(a.right - b.x) < 0.01 for a, b in itertools.pairwise(side))
    # the flap folds in: 3 mm narrower than the others, and backed by inside 3
    full = by["cover"].width
    assert by["back"].width == pytest.approx(full)
    assert by["inside-1"].width == pytest.approx(full)
    assert full - by["flap"].width == pytest.approx(3 * MM)
    if paper == "A4":
        assert [round(p.width / MM) for p in outside] == [97, 100, 100]

    def mirrored(p: object) -> tuple[float, float]:
        return (round(width - p.right, 3), round(width - p.x, 3))  # type: ignore[attr-defined]

    # turned over about the vertical axis (flip on the short edge), each panel backs another
    for front, behind in (("flap", "inside-3"), ("back", "inside-2"), ("cover", "inside-1")):
        assert mirrored(by[front]) == (round(by[behind].x, 3), round(by[behind].right, 3))
    # every text box is clear of the folds and the paper's edges
    folds = {
        1: [by["flap"].right, by["back"].right],
        2: [by["inside-1"].right, by["inside-2"].right],
    }
    for p in panels:
        box = p.text
        assert p.x <= box.x and box.right <= p.right
        assert box.x >= EDGE_MM * MM - 0.01 and box.right <= width - EDGE_MM * MM + 0.01
        assert box.y >= EDGE_MM * MM and box.top <= height - EDGE_MM * MM
        for fold in folds[p.side]:
            assert min(abs(box.x - fold), abs(box.right - fold)) >= FOLD_GUTTER_MM * MM - 0.01
            assert not box.x < fold < box.right
    # the body panels share one measure: about 40 characters, not the 60 a panel cannot hold
    widths = {round(p.text.width, 3) for p in panels if p.role == "body"}
    assert len(widths) == 1 and 75 * MM < widths.pop() < 90 * MM


@pytest.mark.parametrize("paper", PAPERS)
def test_the_body_is_dealt_onto_the_four_body_panels_in_reading_order(paper: str) -> None:
    made = edition(psoriasis(), paper)
    layout = plan(made)
    assert layout.fits and layout.over == 0
    keys = [p.key for p in layout.parts]
    order = [k for k in layout.body.order if k != "title"]
    assert sorted(set(keys), key=order.index) == order  # every part, none twice out of order
    assert [order.index(k) for k in keys] == sorted(order.index(k) for k in keys)
    assert [p.panel for p in layout.parts] == sorted(p.panel for p in layout.parts)
    assert max(p.panel for p in layout.parts) < BODY_PANELS
    assert all(p.height <= layout.body.grid.height + 0.01 for p in layout.parts)
    assert layout.body.scale.body_pt == 12 and layout.body.scale.floor_pt == 12
    figure = layout.body.figures[0]
    assert figure.width <= layout.body.grid.width and figure.label_pt >= 12


def test_the_flap_holds_whole_sections_unless_that_makes_the_body_too_long() -> None:
    document = psoriasis()
    a4, letter = plan(edition(document, "A4")), plan(edition(document, "letter"))
    assert a4.inside_from == "section:2" and a4.fits
    assert [p.key for p in a4.parts if p.panel == 0] == ["section:0", "section:1"]
    # Letter's panels are 6 mm narrower: whole sections on the flap would not leave room
    assert letter.inside_from is None and letter.fits
    assert {p.panel for p in letter.parts if p.key == "section:2"} == {0, 1}


@pytest.mark.parametrize("paper", PAPERS)
def test_the_shipped_content_is_too_long_for_six_panels_and_the_plan_says_so(paper: str) -> None:
    made = edition(load(ROOT / "content.yaml"), paper)
    layout = plan(made)
    assert not layout.fits
    # measured: the shipped body needs about 1.8 more panels than the four at 12 pt
    assert 1.0 < layout.over / layout.body.grid.height < 2.5
    message = over_message(made, layout)
    assert message.startswith(f"the tri-fold (leaflet-trifold, {paper}) cannot hold this content")
    assert "from sections[5] (treatment, 'How are they treated?') on it does not fit" in message
    assert "build the standard leaflet instead (editions: [leaflet])" in message
    with pytest.raises(LeafletError) as raised:
        render(made, Options(project_dir=ROOT))
    assert str(raised.value.message) == message


def test_a_shorter_content_fits_and_the_over_amount_grows_with_the_content() -> None:
    document = load(ROOT / "content.yaml")
    whole = plan(edition(document, "A4"))
    shorter = document.model_copy(
        update={"sections": document.sections[:3], "glossary": document.glossary[:3]}
    )
    trimmed = plan(edition(shorter, "A4"))
    assert trimmed.fits and not whole.fits
    assert trimmed.needed < whole.needed


# --- the sheet, in the PDF ----------------------------------------------------------------


def test_no_text_or_figure_crosses_a_fold_or_the_edge(folded: tuple[Edition, bytes]) -> None:
    made, data = folded
    layout = plan(made)
    width, height = layout.size
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 2
        for number, page in enumerate(pdf.pages, start=1):
            assert (round(page.width, 1), round(page.height, 1)) == (
                round(width, 1),
                round(height, 1),
            )
            boxes = [p.text for p in layout.panels if p.side == number]
            ink = [
                (c["x0"], c["x1"], c["top"], c["bottom"], c["text"])
                for c in page.chars
                if c["text"].strip()
            ]
            ink += [(r["x0"], r["x1"], r["top"], r["bottom"], "box") for r in page.rects]
            ink += [(r["x0"], r["x1"], r["top"], r["bottom"], "curve") for r in page.curves]
            ink += [(r["x0"], r["x1"], r["top"], r["bottom"], "image") for r in page.images]
            assert len([i for i in ink if i[4] not in ("box", "curve", "image")]) > 200
            # no footer here: every character, the diagram's labels too, is 12 pt or more
            assert min(c["size"] for c in page.chars if c["text"].strip()) >= 12 - 0.01
            for x0, x1, top, bottom, what in ink:
                inside = [
                    b
                    for b in boxes
                    if b.x - 2.5 <= x0
                    and x1 <= b.right + 2.5
                    and height - b.top - 2.5 <= top
                    and bottom <= height - b.y + 2.5
                ]
                assert inside, (number, what, x0, x1, top, bottom)
            # the fold marks: short ticks on the fold lines, in the band no content uses
            folds = layout.folds[number - 1]
            band = EDGE_MM * MM
            ticks = [
                line
                for line in page.lines
                if abs(line["x0"] - line["x1"]) < 0.01
                and (line["bottom"] < band or line["top"] > height - band)
            ]
            assert len(ticks) == 4
            assert sorted({round(t["x0"], 2) for t in ticks}) == [round(f, 2) for f in folds]
            for tick in ticks:
                near = min(tick["top"], height - tick["bottom"])
                assert near == pytest.approx(TICK_MM[0] * MM, abs=0.01)
                assert tick["bottom"] - tick["top"] <= (TICK_MM[1] - TICK_MM[0]) * MM + 0.01


def _panel_of(layout: object, side: int, x: float) -> str:
    return next(
        p.name
        for p in layout.panels  # type: ignore[attr-defined]
        if p.side == side and p.x <= x < p.right
    )


def test_each_panel_shows_what_the_plan_puts_there(folded: tuple[Edition, bytes]) -> None:
    made, data = folded
    layout = plan(made)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text: dict[str, str] = {}
        for number, page in enumerate(pdf.pages, start=1):
            for p in (q for q in layout.panels if q.side == number):
                crop = page.crop((p.x, 0, p.right, page.height))
                text[p.name] = " ".join((crop.extract_text() or "").split())
    title = plain(made.title.title)
    assert title in text["cover"] and made.title.organisation in text["cover"]
    assert text["flap"].startswith(plain(made.sections[0].heading))
    # the flap, seen beside inside 1 when the cover is opened, ends with a whole section where
    # the body still fits so: inside 1 starts with a heading, not in mid-sentence
    if layout.inside_from is not None:
        number = int(layout.inside_from.split(":")[1])
        assert text["inside-1"].startswith(plain(made.sections[number].heading))
        assert plain(made.sections[number].heading) not in text["flap"]
    assert "Version 1.0" in text["back"] and "Next review" in text["back"]
    assert made.contact.phone in text["back"]
    for name in ("inside-1", "inside-2", "inside-3"):
        assert text[name], name
    assert made.sources.heading in text["inside-3"]
    # the back panel's foot is the QR code's (and its address's): the text stands above it
    slot = layout.qr_slot
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        back = layout.panel("back")
        for c in page.chars:
            if back.x <= c["x0"] < back.right:
                above = c["bottom"] < page.height - slot.top - 5 * MM
                in_slot = page.height - slot.top <= c["top"] and c["bottom"] <= page.height - slot.y
                assert above or in_slot, c["text"]
    assert made.glossary is not None
    assert made.glossary.heading in text["inside-2"] + text["inside-3"]


def test_the_structure_tree_reads_in_panel_order_not_sheet_order(
    folded: tuple[Edition, bytes], tmp_path: Path
) -> None:
    made, data = folded
    need(None if shutil.which("pdfinfo") else "poppler-utils is not installed")
    path = tmp_path / "trifold.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True
    ).stdout
    tree = " ".join(" ".join(re.findall(r'^\s*"(.*)"\s*$', out, re.M)).split())
    marks = [
        made.title.organisation,
        plain(made.title.title),
        plain(made.sections[0].heading),
        plain(made.sections[-1].heading),
        made.glossary.heading if made.glossary else "",
        made.sources.heading,
        "Version 1.0",
    ]
    places = [tree.find(m) for m in marks]
    assert -1 not in places and places == sorted(places), list(zip(marks, places, strict=True))
    # the back panel is on the outside, drawn before the inside, and read last
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert "Version 1.0" in (pdf.pages[0].extract_text() or "")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.Root.Lang) == made.lang
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
    headings = [plain(s.heading) for s in made.sections]
    assert titles[: len(headings)] == headings
    assert made.sources.bookmark in titles


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The psoriasis tri-fold at each paper size, written to files for the validators."""
    folder = tmp_path_factory.mktemp("trifold-ua")
    out = {}
    for paper in PAPERS:
        out[paper] = folder / f"{paper}.pdf"
        made = edition(psoriasis(), paper)
        out[paper].write_bytes(render(made, Options(project_dir=ROOT / "examples")).data)
    return out


def test_verapdf_finds_the_trifold_pdf_ua1_compliant(sheets: dict[str, Path]) -> None:
    need(verapdf_missing())
    reports = verapdf(*sheets.values())  # one JVM for both papers
    for paper, path in sheets.items():
        assert reports[path].failures == [], paper
        assert reports[path].compliant, paper


@pytest.mark.parametrize("paper", PAPERS)
def test_page_validation_finds_the_trifold_pdf_ua1_compliant(
    sheets: dict[str, Path], paper: str
) -> None:
    need(page_missing())
    report = page_ua1(sheets[paper])
    assert report.failures == [] and report.compliant


def test_the_same_content_gives_the_same_bytes(folded: tuple[Edition, bytes]) -> None:
    made, data = folded
    assert render(made, Options(project_dir=ROOT / "examples")).data == data


# --- the edition, built ------------------------------------------------------------------


def test_the_trifold_is_opt_in() -> None:
    assert "leaflet-trifold" in EDITIONS and "leaflet-trifold" not in DEFAULT_EDITIONS
    spec = EDITIONS["leaflet-trifold"]
    assert spec.layout == "trifold" and spec.audience == "patient" and spec.format == "leaflet"
    assert spec.filename("psoriasis") == "psoriasis-leaflet-trifold.pdf"


def test_build_only_trifold_writes_it_and_keeps_a_record(tmp_path: Path) -> None:
    library = tmp_path / "library"
    shutil.copytree(ROOT / "examples", library, ignore=shutil.ignore_patterns("output"))
    shutil.rmtree(library / "topics" / "calcinosis-cutis")
    out = tmp_path / "out"
    args = ["build", str(library), "--out", str(out), "--only", "leaflet-trifold"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    pdf = out / "psoriasis-leaflet-trifold.pdf"
    assert f"wrote {pdf} (2 pages" in first.stdout
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0 and f"up to date: {pdf} (2 pages" in again.stdout
    record = json.loads(json.loads((out / ".leaflet-build.json").read_text())["body"])
    assert "psoriasis/leaflet-trifold" in record["outputs"]


def test_content_too_long_for_the_trifold_is_a_message_and_outputs_stay(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "assets", project / "assets")
    shutil.copy(ROOT / "content.yaml", project / "content.yaml")
    runner = CliRunner()
    out = project / "output"
    built = runner.invoke(cli, ["build", str(project / "content.yaml"), "--only", "leaflet"])
    assert built.exit_code == 0, built.output
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = runner.invoke(
        cli, ["build", str(project / "content.yaml"), "--only", "leaflet-trifold"]
    )
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: the tri-fold (leaflet-trifold, A4) cannot hold this content at 12 pt"
    )
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def _shipped_sections(count: int) -> Document:
    document = load(ROOT / "content.yaml")
    return document.model_copy(update={"sections": document.sections[:count]})


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("topic", ["psoriasis", "shipped-5", "shipped-4"])
def test_the_plan_ends_the_body_where_the_pdf_does(topic: str, paper: str) -> None:
    """The estimate that decides "fits" agrees with the layout drawn: the same last panel, and
    there it errs on the long side by less than the margin within which the drawn layout
    decides, so the plan never refuses a body that would fit."""
    if topic == "psoriasis":
        document, project = psoriasis(), ROOT / "examples"
    else:
        document, project = _shipped_sections(int(topic[-1])), ROOT
    made = edition(document, paper)
    layout = plan(made)
    assert layout.fits
    last = max(p.panel for p in layout.parts)
    planned = sum(p.height for p in layout.parts if p.panel == last)
    data = render(made, Options(project_dir=project)).data
    used: list[float] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for panel in layout.body_panels:
            page = pdf.pages[panel.side - 1]
            chars = [
                c
                for c in page.chars
                if panel.text.x - 1 <= c["x0"] and c["x1"] <= panel.text.right + 3
            ]
            low = max((c["bottom"] for c in chars if c["text"].strip()), default=None)
            if low is not None:
                used.append(low - (page.height - panel.text.top))
    assert len(used) - 1 == last
    assert -3 * MM < planned - used[-1] < MARGIN * layout.body.grid.height, (
        used[-1] / MM,
        planned / MM,
    )


def test_a_diagram_too_wide_for_a_panel_is_said_in_words(tmp_path: Path) -> None:
    """Spanish site words set beside the figure need more than a panel's width at 12 pt: the
    tri-fold says where the deposits form in a sentence instead, never with smaller labels."""
    content = ROOT / "tests" / "cases" / "es" / "content.yaml"
    made = edition(load(content), "A4")
    layout = plan(made)
    assert layout.body.figures == ()
    (figure,) = [b for s in made.sections for b in s.body if type(b).__name__ == "Figure"]
    sentence = plain(figure.fallback)  # type: ignore[attr-defined]
    assert sentence
    data = render(made, Options(project_dir=content.parent)).data
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        panels = [
            pdf.pages[p.side - 1].crop((p.x, 0, p.right, pdf.pages[0].height)).extract_text()
            for p in layout.body_panels
        ]
    assert sentence in " ".join(" ".join(panels).split())
    roles: list[str] = []

    def walk(node: pikepdf.Object) -> None:
        if isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/StructElem":
            roles.append(str(node.S))
        kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids else []:
            walk(kid)

    with pikepdf.open(io.BytesIO(data)) as pdf:
        walk(pdf.Root.StructTreeRoot)
    # the logo and the QR code to the web page: no diagram
    assert roles.count("/Figure") == (1 if made.title.logo else 0) + 1


def test_the_drawn_layout_has_the_last_word_and_says_how_much_ran_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Content the estimate lets through is laid out; if it runs past the last inside panel,
    the message measures the drawn layout (here the estimate's margin is opened wide)."""
    from leaflet.renderers.leaflet_pdf import trifold

    made = edition(load(ROOT / "content.yaml"), "A4")
    layout = plan(made)
    monkeypatch.setattr(trifold, "MARGIN", 10.0)
    with pytest.raises(LeafletError) as raised:
        render(made, Options(project_dir=ROOT))
    message = raised.value.message
    assert message.startswith("the tri-fold (leaflet-trifold, A4) cannot hold this content")
    assert "from sections[5] (treatment, 'How are they treated?') on it does not fit" in message
    panels = float(re.search(r"\((\d+\.\d) panels more\)", message).group(1))  # type: ignore[union-attr]
    # drawn, the shipped body runs about 1.8 panels past the four; the estimate says 1.4
    assert 1.0 < panels < 2.5
    assert panels >= round(layout.over / layout.body.grid.height, 1)


def test_a_cover_too_full_for_its_panel_is_a_message() -> None:
    from dataclasses import replace

    made = edition(psoriasis(), "A4")
    long = replace(made.title, subtitle=made.title.subtitle * 60)  # type: ignore[operator]
    with pytest.raises(LeafletError) as raised:
        render(replace(made, title=long), Options(project_dir=ROOT / "examples"))
    assert raised.value.message == (
        "the tri-fold's cover panel cannot hold the logo, organisation, title and subtitle:"
        " shorten them, or build the standard leaflet"
    )


def test_check_says_where_content_asks_for_a_trifold_it_does_not_fit(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "assets", project / "assets")
    text = (ROOT / "content.yaml").read_text()
    content = project / "content.yaml"
    content.write_text(text + "\neditions: [leaflet, leaflet-trifold]\n")
    line = len((text + "\n").splitlines()) + 1
    result = CliRunner().invoke(cli, ["check", str(content)])
    assert result.exit_code == 1
    (finding,) = [f for f in result.stdout.splitlines() if f.endswith("[trifold-fit]")]
    assert finding.startswith(
        f"{content}:{line}:21: error: editions[1]: the tri-fold (leaflet-trifold, A4) cannot"
        " hold this content at 12 pt"
    )
    assert "from sections[5] (treatment, 'How are they treated?') on it does not fit (shorten" in (
        finding
    )
    # nothing is built: the gate stops the build before anything renders
    built = CliRunner().invoke(cli, ["build", str(content)])
    assert built.exit_code == 1 and not (project / "output").exists()


def test_check_passes_content_that_fits_the_trifold(tmp_path: Path) -> None:
    library = tmp_path / "library"
    shutil.copytree(ROOT / "examples", library, ignore=shutil.ignore_patterns("output"))
    shutil.rmtree(library / "topics" / "calcinosis-cutis")
    content = library / "topics" / "psoriasis" / "content.yaml"
    content.write_text(content.read_text() + "\neditions: [leaflet, leaflet-trifold]\n")
    result = CliRunner().invoke(cli, ["check", str(library)])
    assert result.exit_code == 0, result.output
    assert "trifold-fit" not in result.output


def test_check_warns_when_the_trifold_says_the_diagram_in_words(tmp_path: Path) -> None:
    project = tmp_path / "es"
    shutil.copytree(ROOT / "tests" / "cases" / "es", project)
    content = project / "content.yaml"
    text = content.read_text()
    content.write_text(text + "\neditions: [leaflet, leaflet-trifold]\n")
    line = len((text + "\n").splitlines()) + 1
    result = CliRunner().invoke(cli, ["check", str(content)])
    assert result.exit_code == 0, result.output
    assert (
        f"{content}:{line}:21: warning: editions[1]: the tri-fold cannot draw the body-site"
        " diagram in a panel 84 mm wide with its labels at 12 pt or more: it says where in a"
        " sentence instead (name fewer sites, or use shorter site words, to have it drawn)"
        " [trifold-fit]"
    ) in result.stdout.splitlines()


def test_the_back_panel_has_the_qr_code_its_address_and_the_other_formats(
    folded: tuple[Edition, bytes], tmp_path: Path
) -> None:
    """A phone reads the code off the printed outside (poppler's drawing, zbarimg); the
    address is printed beside it, and the code's alt says where it leads, read last."""
    from test_print import _elements, decoded

    made, data = folded
    url = "https://skin.example.org/psoriasis"
    pdf = tmp_path / "trifold.pdf"
    pdf.write_bytes(data)
    assert decoded(pdf, 1, tmp_path) == [url]
    layout = plan(made)
    back = layout.panel("back")
    with pdfplumber.open(pdf) as sheet:
        outside = sheet.pages[0]
        height = float(outside.height)
        words = outside.extract_words()
        address = [w for w in words if w["text"] == "skin.example.org/psoriasis"]
        assert address, "the address is printed"
        word = address[0]
        # on the back panel, in its slot at the foot
        assert back.text.x <= word["x0"] and word["x1"] <= back.text.right
        assert height - word["bottom"] >= layout.qr_slot.y - 0.5
        assert height - word["top"] <= layout.qr_slot.top + 0.5
        # (and not in the text above the slot)
        panel = outside.crop((back.x, 0, back.right, height)).extract_text() or ""
        assert "Also available: standard print · large print · web page" in " ".join(panel.split())
    with pikepdf.open(io.BytesIO(data)) as doc:
        figures = [e for e in _elements(doc.Root.StructTreeRoot) if e.get("/S") == "/Figure"]
        assert str(figures[-1].get("/Alt")) == f"QR code: opens {url}"


# --- for a print shop ---------------------------------------------------------------------


@pytest.fixture(scope="module", params=PAPERS)
def shop_sheet(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The psoriasis tri-fold drawn for a print shop, written to a file."""
    made = compose(
        psoriasis(),
        EDITIONS["leaflet-trifold-print"].with_paper(request.param),  # type: ignore[arg-type]
    )
    path = tmp_path_factory.mktemp("shop") / f"trifold-print-{request.param}.pdf"
    path.write_bytes(render(made, Options(project_dir=ROOT / "examples")).data)
    return path


def test_the_print_shop_trifold_has_bleed_and_every_mark_outside_it(shop_sheet: Path) -> None:
    """TrimBox the folded sheet's size, BleedBox 3 mm round it; 8 crop marks and 2 fold
    marks a side, all outside the bleed; every word but the slug line inside the trim, none
    across a fold; the office sheet's ticks inside the trim are gone."""
    import pypdf
    from test_print import hairlines, outside_of

    from leaflet.renderers.print_marks import BLEED_MM

    office = plan(edition(psoriasis(), "A4" if "A4" in shop_sheet.name else "letter"))
    boxes = pypdf.PdfReader(shop_sheet).pages
    with pdfplumber.open(shop_sheet) as pdf:
        assert len(pdf.pages) == 2
        for number, (page, box) in enumerate(zip(pdf.pages, boxes, strict=True)):
            t0, b0, t1, b1 = (float(v) for v in box.trimbox)
            x0, y0, x1, y1 = (float(v) for v in box.bleedbox)
            assert (t1 - t0, b1 - b0) == pytest.approx(office.size, abs=0.01)
            assert t0 - x0 == pytest.approx(BLEED_MM * MM, abs=0.01)
            marks = hairlines(page)
            assert len(marks) == 8 + 4  # crop marks, then a fold mark above and below each fold
            for line in marks:
                assert outside_of(line, (x0, y0, x1, y1)), line
            folds = sorted({line["x0"] - t0 for line in marks if line["x0"] == line["x1"]})
            for fold in office.folds[number]:
                assert any(abs(f - fold) < 0.01 for f in folds), fold
            height = float(page.height)
            words = page.extract_words()
            slug = [w for w in words if height - w["bottom"] < b0]
            assert " ".join(w["text"] for w in slug).startswith("psoriasis · v")
            for word in words:
                if word in slug:
                    continue
                assert t0 <= word["x0"] and word["x1"] <= t1
                assert b0 <= height - word["bottom"] and height - word["top"] <= b1
                for fold in office.folds[number]:
                    assert not (word["x0"] < t0 + fold < word["x1"]), word["text"]


def test_the_print_shop_trifold_code_decodes_and_it_passes_pdfua(
    shop_sheet: Path, tmp_path: Path
) -> None:
    from test_print import decoded

    assert decoded(shop_sheet, 1, tmp_path) == ["https://skin.example.org/psoriasis"]
    need(verapdf_missing())
    report = verapdf(shop_sheet)[shop_sheet]
    assert report.compliant, report.failures[:5]


def test_print_shop_with_only_trifold_writes_the_trifold_for_a_print_shop(tmp_path: Path) -> None:
    library = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", library, ignore=shutil.ignore_patterns("output"))
    runner = CliRunner()
    args = ["build", str(library), "--topic", "psoriasis", "--jobs", "1"]
    result = runner.invoke(cli, [*args, "--only", "leaflet-trifold", "--print-shop"])
    assert result.exit_code == 0, result.output
    assert (library / "output" / "psoriasis-leaflet-trifold-print.pdf").exists()
    assert not (library / "output" / "psoriasis-leaflet-trifold.pdf").exists()
    wrong = runner.invoke(cli, [*args, "--only", "deck", "--print-shop"])
    assert wrong.exit_code == 2
    assert "--print-shop builds the leaflet or the tri-fold for a print shop" in wrong.output


def test_every_edition_is_a_choice_of_only_and_a_content_edition() -> None:
    """The CLI lists the editions without importing the model (start-up stays light): the
    three lists must stay one."""
    import typing

    import click

    from leaflet.model import EditionId

    option = next(p for p in cli.commands["build"].params if p.name == "only")
    assert isinstance(option.type, click.Choice)
    assert list(option.type.choices) == list(typing.get_args(EditionId)) == list(EDITIONS)
