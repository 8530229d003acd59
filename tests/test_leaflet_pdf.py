"""The patient leaflet as a reader and a printer see it: pages, fonts, order, sizes, metadata."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from leaflet.errors import LeafletError
from leaflet.inline import plain
from leaflet.model import Document, GlossaryTerm, Name, Section, Wording
from leaflet.renderers import Options
from leaflet.renderers.leaflet_pdf import render
from tests.test_outputs import squash

ROOT = Path(__file__).resolve().parent.parent
A4_PT = (595.28, 841.89)
LETTER_PT = (612.0, 792.0)


def pdf(document: Document, paper: str | None = None) -> bytes:
    return render(document, Options(project_dir=ROOT, paper=paper)).data


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return squash(" ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def a4(document: Document) -> bytes:
    return pdf(document, "A4")


@pytest.fixture(scope="module")
def letter(document: Document) -> bytes:
    return pdf(document, "letter")


@pytest.mark.parametrize(("paper", "size"), [("A4", A4_PT), ("letter", LETTER_PT)])
def test_page_size_follows_the_paper(document: Document, paper: str, size: tuple) -> None:
    reader = PdfReader(io.BytesIO(pdf(document, paper)))
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(size, abs=0.5)


def test_theme_paper_is_used_without_an_option(document: Document) -> None:
    themed = document.model_copy(
        update={"theme": document.theme.model_copy(update={"paper": "letter"})}
    )
    box = PdfReader(io.BytesIO(pdf(themed))).pages[0].mediabox
    assert float(box.width) == pytest.approx(612.0)


@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_shipped_content_fits_one_sheet_printed_both_sides(document: Document, paper: str) -> None:
    assert len(PdfReader(io.BytesIO(pdf(document, paper))).pages) == 2


def _fonts(reader: PdfReader) -> dict[str, DictionaryObject]:
    found: dict[str, DictionaryObject] = {}
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            found[str(font["/BaseFont"])] = font
    return found


def test_every_font_is_embedded_and_subset(a4: bytes) -> None:
    fonts = _fonts(PdfReader(io.BytesIO(a4)))
    assert fonts, "no fonts found"
    for name, font in fonts.items():
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        assert "/FontDescriptor" in descendant, name
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object(), name
        assert "+AtkinsonHyperlegible" in name, name


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler's pdffonts not installed")
def test_pdffonts_lists_no_unembedded_font(a4: bytes, tmp_path: Path) -> None:
    path = tmp_path / "leaflet.pdf"
    path.write_bytes(a4)
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    lines = rows.stdout.splitlines()[2:]
    assert lines
    assert all(line.split()[-5] == "yes" for line in lines), rows.stdout
    assert "Helvetica" not in rows.stdout


def test_every_section_heading_and_text_appears_in_order(document: Document, a4: bytes) -> None:
    text = text_of(a4).lower()
    pos = 0
    for section in document.sections:
        for piece in [section.heading.patient, *(p.patient for p in section.paragraphs)]:
            found = text.find(squash(plain(piece)).lower(), pos)
            assert found >= 0, f"{section.id}: {piece!r} missing or out of order"
            pos = found
    for tail in ["words to know", "where this information comes from"]:
        assert tail in text


def test_title_block_footer_and_sources(document: Document, a4: bytes) -> None:
    text = text_of(a4)
    meta = document.meta
    assert text.startswith(f"{meta.organisation.name} {meta.title.patient}")
    pages = len(PdfReader(io.BytesIO(a4)).pages)
    for number in range(1, pages + 1):
        assert f"Page {number} of {pages}" in text
    assert text.count("Phone 01632 960 123") == pages
    assert (
        text.count("Version 1.0 · Reviewed 24 November 2026 · Next review 24 November 2027")
        == pages
    )
    assert "Call your clinic on 01632 960 123 if:" in text
    assert "Our advice: Do not stop your steroid injections" in text


def test_body_is_12pt_and_nothing_is_under_9pt(document: Document, a4: bytes) -> None:
    with pdfplumber.open(io.BytesIO(a4)) as doc:
        chars = [c for page in doc.pages for c in page.chars if c["text"].strip()]
        page1 = doc.pages[0]
        first_para = squash(plain(document.sections[0].paragraphs[0].patient))[:40]
        hits = page1.search(first_para[:30])
    sizes = Counter(round(c["size"], 1) for c in chars)
    assert min(sizes) >= 9.0, sizes
    assert sizes.most_common(1)[0][0] >= 12.0, sizes
    assert hits, "first paragraph not found on page 1"
    assert all(round(c["size"], 1) >= 12.0 for hit in hits for c in hit["chars"])


def test_metadata_names_title_author_subject_keywords_and_language(
    document: Document, a4: bytes
) -> None:
    reader = PdfReader(io.BytesIO(a4))
    info = reader.metadata
    assert info is not None
    assert info.title == document.meta.title.patient
    assert info.author == document.meta.organisation.name
    assert info.subject == "Information for patients and families"
    assert "calcium deposits" in str(info["/Keywords"])
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_every_section_has_a_bookmark(document: Document, a4: bytes) -> None:
    outline = PdfReader(io.BytesIO(a4)).outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert "Words to know" in titles
    assert [t for t in titles if t not in ("Words to know", "Sources")] == [
        plain(section.heading.patient) for section in document.sections
    ]


def test_the_logo_is_optional(document: Document) -> None:
    meta = document.meta
    bare = document.model_copy(
        update={
            "meta": meta.model_copy(
                update={"organisation": meta.organisation.model_copy(update={"logo": None})}
            )
        }
    )
    assert "Calcium deposits under the skin" in text_of(pdf(bare))


BUILD = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from leaflet.loader import load
from leaflet.renderers import Options
from leaflet.renderers.leaflet_pdf import render
data = render(load(Path({root!r}) / "content.yaml"), Options(project_dir=Path({root!r}))).data
sys.stdout.buffer.write(data)
"""


def test_bytes_repeat_whatever_the_time_zone() -> None:
    outputs = []
    for zone in ("UTC", "Pacific/Auckland"):
        env = {**os.environ, "TZ": zone, "PYTHONHASHSEED": "random"}
        run = subprocess.run(
            [sys.executable, "-c", BUILD.format(root=str(ROOT))],
            capture_output=True,
            env=env,
            check=True,
        )
        outputs.append(run.stdout)
    assert outputs[0][:5] == b"%PDF-"
    assert outputs[0] == outputs[1]


def _tripled(document: Document) -> Document:
    sections = [
        s.model_copy(update={"id": f"{s.id}-{n}"}) for n in range(3) for s in document.sections
    ]
    return document.model_copy(
        update={
            "sections": sections,
            "types": document.types * 3,
            "treatments": document.treatments * 3,
            "risk_factors": document.risk_factors * 3,
            "warning_signs": document.warning_signs * 3,
            "glossary": document.glossary * 3,
        }
    )


def test_tripled_content_flows_onto_more_pages(document: Document, a4: bytes) -> None:
    data = pdf(_tripled(document))
    assert len(PdfReader(io.BytesIO(data)).pages) > len(PdfReader(io.BytesIO(a4)).pages)
    text = text_of(data)
    # Three copies of each section, each showing the tripled list: nine of each card.
    assert text.count("Colchicine It calms swelling in soft tissue.") == 9
    assert text.count("When to get help") == 3


def test_a_very_long_word_wraps_instead_of_crashing(document: Document) -> None:
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" + "x" * 14
    first = document.sections[0]
    long_para = Wording(patient=f"A word: {word} ends here.", clinician="x")
    sections = [first.model_copy(update={"paragraphs": [long_para]}), *document.sections[1:]]
    glossary = [GlossaryTerm(term=word[:40], meaning=f"It means {word}."), *document.glossary]
    data = pdf(document.model_copy(update={"sections": sections, "glossary": glossary}))
    assert "ends here" in text_of(data)


def test_markup_characters_in_content_appear_literally(document: Document) -> None:
    words = "Tom <b>& Jerry</b> &amp; <font name='x'>co</font>"
    nasty = Wording(patient=words, clinician="x")
    section = Section(id="nasty", heading=Name(patient=words, clinician="x"), paragraphs=[nasty])
    data = pdf(document.model_copy(update={"sections": [*document.sections, section]}))
    assert "Tom <b>& Jerry</b> &amp; <font name='x'>co</font>" in text_of(data)


def test_a_layout_failure_is_a_leaflet_error_naming_the_section(
    document: Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportlab.platypus.doctemplate import LayoutError

    from leaflet.renderers import leaflet_pdf

    real = leaflet_pdf._Template.handle_flowable

    def fail(self: leaflet_pdf._Template, flowables: list) -> None:
        real(self, flowables)
        if self.current_section.startswith("sections[4]"):
            raise LayoutError("Flowable too large")

    monkeypatch.setattr(leaflet_pdf._Template, "handle_flowable", fail)
    with pytest.raises(LeafletError, match=r"sections\[4\] \(risks\)"):
        pdf(document)


def test_the_body_site_diagram_is_drawn_with_labels_at_9pt_or_more(a4: bytes) -> None:
    with pdfplumber.open(io.BytesIO(a4)) as doc:
        page = doc.pages[0]
        labels = [page.search(word) for word in ("Fingers", "Elbows", "Face", "Shoulders")]
    assert all(labels), "a diagram label is missing from page 1"
    assert all(c["size"] >= 9.0 for hits in labels for hit in hits for c in hit["chars"])
