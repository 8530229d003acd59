"""Issue 18's print pieces: the QR code to the topic's page (leaflet, large print, print-shop
leaflet, deck), bleed and crop marks, and the "Also available" line, read back as a reader, a
phone and a print shop meet them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pypdf
import pytest
from click.testing import CliRunner

from leaflet import qr
from leaflet.build import build
from leaflet.cli import cli
from leaflet.edition import EDITIONS, compose
from leaflet.loader import load
from leaflet.renderers.print_marks import MM, Sheet, bled, crop_marks
from tests.conftest import CONTENT
from tests.pdfua_validate import page_missing, page_ua1, verapdf, verapdf_missing
from tests.test_deck_libreoffice import to_pdf

ROOT = Path(__file__).resolve().parent.parent
PSORIASIS = ROOT / "tests" / "cases" / "psoriasis" / "content.yaml"
SHIPPED_URL = "https://skin.example.org/calcinosis-cutis"


def zbarimg() -> str:
    found = shutil.which("zbarimg")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("zbarimg is required in CI; .ci/run installs zbar-tools")
        pytest.skip("no QR decoder: zbarimg is not installed (apt-get install zbar-tools)")
    return found


def decoded(pdf: Path, page: int, work: Path, dpi: int = 150) -> list[str]:
    """What a real decoder reads off one page of a PDF rendered by poppler."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (poppler-utils)")
    stem = work / f"{pdf.stem}-{page}"
    pages = ["-f", str(page), "-l", str(page)]
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", *pages, str(pdf), str(stem)],
        check=True,
        timeout=60,
    )
    done = subprocess.run(
        [zbarimg(), "-q", "--raw", f"{stem}.png"], capture_output=True, text=True, timeout=60
    )
    return done.stdout.split()


@pytest.fixture(scope="module")
def leaflets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shipped content's leaflets, large print and print-shop leaflet, built together."""
    out = tmp_path_factory.mktemp("print")
    written = build(
        CONTENT, out, only=["leaflet", "leaflet-large", "leaflet-print"], languages=["en-GB"]
    ).outputs
    return {w.path.stem.removeprefix("calcinosis-cutis-"): w.path for w in written}


# the module matrix -------------------------------------------------------------------------
def test_the_matrix_has_a_quiet_zone_and_its_runs_are_exactly_the_dark_modules() -> None:
    m = qr.matrix(SHIPPED_URL)
    assert m.size == 4 * m.version + 17 + 2 * qr.QUIET
    for k in range(qr.QUIET):
        assert not any(m.rows[k]) and not any(m.rows[-1 - k])
        assert not any(row[k] or row[-1 - k] for row in m.rows)
    painted = {(y, x + i) for y, x, n in qr.runs(m) for i in range(n)}
    dark = {(y, x) for y, row in enumerate(m.rows) for x, v in enumerate(row) if v}
    assert painted == dark
    # merged: no two runs touch on one row
    ends = {(y, x + n) for y, x, n in qr.runs(m)}
    assert not ends & {(y, x) for y, x, _ in qr.runs(m)}


def test_the_gate_refuses_a_code_that_would_not_scan() -> None:
    assert qr.problem(SHIPPED_URL, 17) is None
    assert "not https" in (qr.problem("http://skin.example.org/x", 17) or "")
    long = "https://skin.example.org/" + "a" * 120
    message = qr.problem(long, 17)
    assert message is not None
    assert "too long to print" in message and "mm wide at 17 mm" in message
    assert "too long for a QR code" in (qr.problem("https://x.org/" + "a" * 3000, 17) or "")


def test_meta_url_must_be_https_with_its_place(project: Path) -> None:
    content = project / "content.yaml"
    text = content.read_text()
    content.write_text(text.replace("  slug: calcinosis-cutis\n", _with_url("http://x.org/a"), 1))
    result = CliRunner().invoke(cli, ["check", str(content)])
    assert result.exit_code == 1
    line = _line_of(content, "url: http://x.org/a")
    assert f"content.yaml:{line}:8: meta.url: 'http://x.org/a' is not an https address" in (
        result.output
    )


def test_a_url_too_long_to_scan_is_a_gate_error_at_meta_url(project: Path) -> None:
    content = project / "content.yaml"
    url = "https://skin.example.org/" + "a" * 120
    content.write_text(content.read_text().replace("  slug: calcinosis-cutis\n", _with_url(url), 1))
    result = CliRunner().invoke(cli, ["build", str(content), "--only", "leaflet"])
    assert result.exit_code == 1
    line = _line_of(content, f"url: {url}")
    assert f"content.yaml:{line}:8: error: meta.url: the QR code's address is too long" in (
        result.output
    )
    assert "too long to print" in result.output
    assert not (project / "output" / "calcinosis-cutis-leaflet.pdf").exists()


def _with_url(url: str) -> str:
    return f"  slug: calcinosis-cutis\n  url: {url}\n"


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


# on the page ------------------------------------------------------------------------------
@pytest.mark.parametrize("edition", ["leaflet", "leaflet-large", "leaflet-print"])
def test_the_last_page_has_the_code_the_address_and_the_other_formats(
    leaflets: dict[str, Path], edition: str, tmp_path: Path
) -> None:
    path = leaflets[edition]
    pages = len(pypdf.PdfReader(path).pages)
    assert decoded(path, pages, tmp_path) == [SHIPPED_URL]
    text = " ".join(pypdf.PdfReader(path).pages[-1].extract_text().split())
    # the address is broken after its slash, if at all: never inside a word
    assert re.search(r"skin\.example\.org/ ?calcinosis-cutis", text), text
    others = "standard print · web page" if edition == "leaflet-large" else "large print · web"
    assert f"Also available: {others}" in text


def test_the_code_is_a_figure_whose_alt_says_where_it_leads(leaflets: dict[str, Path]) -> None:
    with pikepdf.open(leaflets["leaflet"]) as pdf:
        alts = [
            str(e.get("/Alt"))
            for e in _elements(pdf.Root.StructTreeRoot)
            if e.get("/S") == pikepdf.Name("/Figure")
        ]
    assert f"QR code: opens {SHIPPED_URL}" in alts


def _elements(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    out = []
    kids = node.get("/K")
    if kids is None:
        return out
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            out.append(kid)
            out += _elements(kid)
    return out


def test_psoriasis_leads_to_its_own_page(tmp_path: Path) -> None:
    (written,) = build(PSORIASIS, tmp_path, only=["leaflet"]).outputs
    pages = len(pypdf.PdfReader(written.path).pages)
    url = load(PSORIASIS).meta.web_address
    assert url.endswith("/" + load(PSORIASIS).meta.slug)
    assert decoded(written.path, pages, tmp_path) == [url]


def test_only_what_the_build_makes_is_listed_and_languages_by_their_own_names() -> None:
    document = load(CONTENT)
    spec = EDITIONS["leaflet"]
    alone = compose(document, spec, family=(("leaflet", "en-GB"),))
    assert alone.contact.also == ()
    family = (("leaflet", "en-GB"), ("web", "en-GB"), ("leaflet", "pl"), ("leaflet", "ar"))
    also = "".join(r.text for r in compose(document, spec, family=family).contact.also)
    assert also == "Also available: web page · Polski · العربية"


# the deck ---------------------------------------------------------------------------------
def test_the_deck_closing_slide_code_decodes_after_libreoffice(tmp_path: Path) -> None:
    from pptx import Presentation

    (written,) = build(CONTENT, tmp_path, only=["deck"], languages=["en-GB"]).outputs
    last = Presentation(str(written.path)).slides[-1]
    groups = [s for s in last.shapes if s.name == "QR code"]
    assert len(groups) == 1
    assert groups[0]._element.nvGrpSpPr.cNvPr.get("descr") == f"QR code: opens {SHIPPED_URL}"
    texts = [s.text_frame.text for s in last.shapes if s.has_text_frame]
    assert any(SHIPPED_URL in t for t in texts)
    pdf = to_pdf(written.path, tmp_path)
    pages = len(pypdf.PdfReader(pdf).pages)
    assert decoded(pdf, pages, tmp_path, dpi=60) == [SHIPPED_URL]


# the print shop ---------------------------------------------------------------------------
def test_the_print_shop_pdf_has_trim_and_bleed_boxes(leaflets: dict[str, Path]) -> None:
    office = pypdf.PdfReader(leaflets["leaflet"]).pages[0]
    width, height = float(office.mediabox.width), float(office.mediabox.height)
    for page in pypdf.PdfReader(leaflets["leaflet-print"]).pages:
        trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
        assert float(trim.width) == pytest.approx(width, abs=0.01)
        assert float(trim.height) == pytest.approx(height, abs=0.01)
        assert float(trim.left) - float(bleed.left) == pytest.approx(3 * MM, abs=0.01)
        assert float(bleed.top) - float(trim.top) == pytest.approx(3 * MM, abs=0.01)
        assert float(media.width) > float(bleed.width) + 2 * 5 * MM


def hairlines(page: pdfplumber.page.Page) -> list[dict[str, float]]:
    """The 0.25 pt lines of a page: the print shop's crop and fold marks."""
    return [line for line in page.lines if line["linewidth"] == pytest.approx(0.25)]


def outside_of(line: dict[str, float], box: tuple[float, float, float, float]) -> bool:
    """Whether a line (pdfplumber's: y from the bottom in y0/y1) lies wholly outside a box."""
    x0, y0, x1, y1 = box
    return (
        max(line["x0"], line["x1"]) <= x0 + 0.01
        or min(line["x0"], line["x1"]) >= x1 - 0.01
        or max(line["y0"], line["y1"]) <= y0 + 0.01
        or min(line["y0"], line["y1"]) >= y1 - 0.01
    )


def test_crop_marks_lie_outside_the_bleed_and_the_text_inside_the_trim(
    leaflets: dict[str, Path],
) -> None:
    boxes = pypdf.PdfReader(leaflets["leaflet-print"]).pages
    with pdfplumber.open(leaflets["leaflet-print"]) as pdf:
        for page, box in zip(pdf.pages, boxes, strict=True):
            x0, y0, x1, y1 = (float(v) for v in box.bleedbox)
            marks = hairlines(page)
            assert len(marks) == 8
            for line in marks:
                assert outside_of(line, (x0, y0, x1, y1)), line
            t0, b0, t1, _ = (float(v) for v in box.trimbox)
            height = float(page.height)
            words = page.extract_words()
            slug = [w for w in words if height - w["bottom"] < b0]
            shown = " ".join(w["text"] for w in slug)
            assert shown == "calcium deposits · v1.0 · leaflet-print · 2026-11-24"
            for word in words:
                if word in slug:
                    continue
                assert t0 + 7 * MM - 0.5 <= word["x0"] and word["x1"] <= t1 - 7 * MM + 0.5


def test_the_print_shop_pdf_passes_pdfua(leaflets: dict[str, Path]) -> None:
    path = leaflets["leaflet-print"]
    missing = verapdf_missing()
    if missing is None:
        report = verapdf(path)[path]
        assert report.compliant, report.failures
    missing_page = page_missing()
    if missing_page is None:
        report = page_ua1(path)
        assert report.compliant, report.failures
    if missing and missing_page:
        pytest.skip(f"{missing}; {missing_page}")


def test_the_office_pdf_is_the_same_bytes_with_or_without_a_print_shop_build(
    leaflets: dict[str, Path], tmp_path: Path
) -> None:
    (alone,) = build(CONTENT, tmp_path, only=["leaflet"], languages=["en-GB"]).outputs
    assert alone.path.read_bytes() == leaflets["leaflet"].read_bytes()


def test_print_shop_flag_writes_the_print_file(project: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(project / "content.yaml"), "--print-shop"])
    assert result.exit_code == 0, result.output
    assert (project / "output" / "calcinosis-cutis-leaflet-print.pdf").exists()
    assert not (project / "output" / "calcinosis-cutis-leaflet.pdf").exists()
    clash = runner.invoke(
        cli, ["build", str(project / "content.yaml"), "--print-shop", "--only", "deck"]
    )
    assert clash.exit_code == 2
    assert "--print-shop builds the leaflet or the tri-fold for a print shop" in clash.output


def test_marks_and_bands_for_any_trim() -> None:
    sheet = Sheet((297 * MM, 210 * MM))  # a landscape tri-fold sheet
    assert sheet.media == pytest.approx((297 * MM + 26 * MM, 210 * MM + 26 * MM))
    for x0, y0, x1, y1 in crop_marks(sheet):
        inside_x = -sheet.bleed < min(x0, x1) and max(x0, x1) < 297 * MM + sheet.bleed
        inside_y = -sheet.bleed < min(y0, y1) and max(y0, y1) < 210 * MM + sheet.bleed
        assert not (inside_x and inside_y)
    # a band across the top, touching the left and right edges, grows there and at the top
    assert bled(sheet, (0, 180 * MM, 297 * MM, 210 * MM)) == pytest.approx(
        (-3 * MM, 180 * MM, 300 * MM, 213 * MM)
    )
    # a panel's background away from every edge stays as it is
    assert bled(sheet, (99 * MM, 20 * MM, 198 * MM, 190 * MM)) == (
        99 * MM,
        20 * MM,
        198 * MM,
        190 * MM,
    )


def test_a_web_address_breaks_after_a_slash_or_before_a_dot_never_inside_a_word() -> None:
    from leaflet.renderers.leaflet_pdf.draw import address_lines

    def width(text: str) -> float:
        return 5.0 * len(text)

    assert address_lines("skin.example.org/calcinosis-cutis", width, 200) == [
        "skin.example.org/calcinosis-cutis"
    ]
    assert address_lines("skin.example.org/calcinosis-cutis", width, 100) == [
        "skin.example.org/",
        "calcinosis-cutis",
    ]
    long = "www.a-very-long-hospital-name.nhs.uk/leaflets/calcinosis-cutis"
    lines = address_lines(long, width, 100)
    assert "".join(lines) == long
    assert all(width(line) <= 100 for line in lines)
    assert not any(line.endswith(("-", ".")) for line in lines)  # a hyphen ends no line
    assert address_lines("abcdefghijklmnopqrstuvwxyz.org", width, 50) == [
        "abcdefghijklmnopqrstuvwxyz",
        ".org",
    ]
