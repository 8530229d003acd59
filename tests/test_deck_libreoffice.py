"""The deck opened by LibreOffice Impress: one page per slide, no text off a slide or over text."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pptx import Presentation

from leaflet.model import Document
from leaflet.renderers import Options
from tests.deck_support import deck, tripled

ROOT = Path(__file__).resolve().parent.parent
FOOTER_TOP_PT = 498.0


def soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI; .ci/run installs it")
        pytest.skip("LibreOffice (soffice) is not installed; install libreoffice-impress-nogui")
    return found


def to_pdf(pptx: Path, work: Path, env: dict[str, str] | None = None, timeout: float = 120) -> Path:
    """The deck as LibreOffice draws it, in a profile of its own under work; env: the
    environment to run it in (a test's own fonts, say)."""
    profile = work / "profile"
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(pptx),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
        env=env,
    )
    return work / f"{pptx.stem}.pdf"


def text_lines(page: pdfium.PdfPage) -> list[tuple[float, float, float, float]]:
    """Rectangles of the text runs on a page, in points from the top left."""
    text = page.get_textpage()
    height = page.get_height()
    rects = []
    for i in range(text.count_rects()):
        left, bottom, right, top = text.get_rect(i)
        if text.get_text_bounded(left, bottom, right, top).strip():
            rects.append((left, height - top, right, height - bottom))
    return rects


def check(pptx: Path, work: Path) -> None:
    slides = len(Presentation(str(pptx)).slides)
    pdf = pdfium.PdfDocument(to_pdf(pptx, work))
    assert len(pdf) == slides
    problems = []
    for number, page in enumerate(pdf, 1):
        width, height = page.get_width(), page.get_height()
        lines = text_lines(page)
        for left, top, right, bottom in lines:
            if left < -0.5 or top < -0.5 or right > width + 0.5 or bottom > height + 0.5:
                problems.append((number, "off the slide", (left, top, right, bottom)))
        for i, a in enumerate(lines):
            for b in lines[i + 1 :]:
                across = min(a[2], b[2]) - max(a[0], b[0])
                down = min(a[3], b[3]) - max(a[1], b[1])
                # glyphs of one line may touch (an italic quote mark); other text may not
                kerned = min(abs(a[1] - b[1]), abs(a[3] - b[3])) < 3 and across < 4
                if across > 1 and down > 1.5 and not kerned:
                    problems.append((number, "text over text", a, b))
        body = [r for r in lines if r[1] < FOOTER_TOP_PT - 4]
        if number not in (1, slides):  # content slides: body text stays above the footer
            assert all(r[3] <= FOOTER_TOP_PT + 2 for r in body), number
    pdf.close()
    assert problems == []


def test_shipped_deck_opens_cleanly(built: dict[str, Path], tmp_path: Path) -> None:
    check(built["deck"], tmp_path)


def test_three_times_longer_deck_opens_cleanly(document: Document, tmp_path: Path) -> None:
    from leaflet.renderers.deck_pptx import render

    path = tmp_path / "long.pptx"
    path.write_bytes(render(deck(tripled(document)), Options(ROOT)).data)
    check(path, tmp_path)
