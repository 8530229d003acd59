"""The tagged-PDF layer on a synthetic leaflet: PDF/UA-1 by two validators, and what is read."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from pdfua_sample import BREAKAGES, FOOTER, TITLE, build
from pdfua_validate import Report, page_missing, page_ua1, verapdf, verapdf_missing
from reportlab.platypus import Image, Paragraph

from leaflet import pdfua

IN_CI = bool(os.environ.get("CI"))


def need(reason: str | None) -> None:
    """Skip when a tool is missing on a developer's machine; in CI a missing tool fails."""
    if reason:
        if IN_CI:
            pytest.fail(f"CI must run this check: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdfua") / "sample.pdf"
    path.write_bytes(build())
    return path


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One file per breakage; the layer's own guards are switched off where they would refuse."""
    folder = tmp_path_factory.mktemp("pdfua-broken")
    out: dict[str, Path] = {}
    with pytest.MonkeyPatch.context() as mp:
        for breakage in BREAKAGES:
            if breakage == "untagged-paragraph":
                mp.setattr(pdfua, "_artifact_run", lambda run, page: run)
            if breakage == "unembedded-font":
                mp.setattr(pdfua, "_fix_fonts", lambda doc: None)
            out[breakage] = folder / f"{breakage}.pdf"
            out[breakage].write_bytes(build(breakage=breakage))
            mp.undo()
    return out


@pytest.fixture(scope="module")
def long_table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdfua") / "long-table.pdf"
    path.write_bytes(build(kind="long-table"))
    return path


@pytest.fixture(scope="module")
def vera(sample: Path, long_table: Path, broken: dict[str, Path]) -> dict[Path, Report]:
    """veraPDF's verdict on the samples and every broken file, from one JVM."""
    need(verapdf_missing())
    return verapdf(sample, long_table, *broken.values())


def struct_text(path: Path) -> str:
    """The text of the structure tree in tree order, as poppler reads it."""
    need(None if shutil.which("pdfinfo") else "poppler-utils is not installed")
    out = subprocess.run(
        ["pdfinfo", "-struct-text", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(re.findall(r'^\s*"(.*)"\s*$', out, re.M))


def visible_text(path: Path) -> str:
    """The text drawn on the pages, in drawing order, without the running footer."""
    need(None if shutil.which("pdftotext") else "poppler-utils is not installed")
    out = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line for line in out.splitlines() if FOOTER not in line and "Page " not in line]
    return " ".join(lines)


def words(text: str) -> list[str]:
    return text.replace("\f", " ").split()


# --- the sample is PDF/UA-1 --------------------------------------------------------------


def test_verapdf_finds_the_sample_pdf_ua1_compliant(vera: dict[Path, Report], sample: Path) -> None:
    assert vera[sample].failures == []
    assert vera[sample].compliant


def test_page_validation_finds_the_sample_pdf_ua1_compliant(sample: Path) -> None:
    need(page_missing())
    report = page_ua1(sample)
    assert report.failures == []
    assert report.compliant


def test_a_table_across_pages_is_compliant_and_reads_its_header_once(
    vera: dict[Path, Report], long_table: Path
) -> None:
    assert vera[long_table].failures == []
    need(page_missing())
    assert page_ua1(long_table).compliant
    assert visible_text(long_table).count("Day Dose") >= 2  # the header repeats on each page
    tree = struct_text(long_table)
    assert tree.count("Dose") == 2  # the title and the header, once
    assert words(tree)[:6] == ["Dose", "diary", "Day", "Dose", "Day", "1"]


def test_the_tree_reads_the_visible_text_in_order(sample: Path) -> None:
    tree = words(struct_text(sample))
    assert tree == words(visible_text(sample))
    assert tree[:5] == ["Calcium", "deposits", "under", "the", "skin"]
    assert tree[-4:] == ["your", "next", "visit.", "https://www.example.org/sources"]


def test_words_stay_apart_where_lines_break(sample: Path) -> None:
    # "softer. They" ends a line and "often form" starts the next one.
    assert "softer. They often form on the fingers" in struct_text(sample)
    assert "Theyoften" not in struct_text(sample)


def test_the_structure_tree_has_every_kind_of_element(sample: Path) -> None:
    with pikepdf.open(sample) as pdf:
        roles: list[str] = []
        found: dict[str, list[pikepdf.Dictionary]] = {}

        def walk(node: pikepdf.Object) -> None:
            if isinstance(node, pikepdf.Dictionary) and node.get("/Type") == "/StructElem":
                role = str(node.S)[1:]
                roles.append(role)
                found.setdefault(role, []).append(node)
                kids = node.get("/K")
                for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                    walk(kid)

        walk(pdf.Root.StructTreeRoot.K)
        assert roles[:3] == ["Document", "Sect", "H1"]
        for role in ("H2", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "Div"):
            assert role in roles, role
        assert roles.count("Sect") == 2
        assert roles.count("LI") == 3
        assert [str(th.A.Scope) for th in found["TH"]] == ["/Column"] * 3
        alts = [str(f.Alt) for f in found["Figure"]]
        assert alts == ["Sample Clinic logo", "Diagram: deposits on the elbow"]
        for figure in found["Figure"]:
            x0, y0, x1, y1 = (float(v) for v in figure.A.BBox)
            assert 0 <= x0 < x1 <= 596 and 0 <= y0 < y1 <= 842
        contents = []
        for link in found["Link"]:
            objr = next(k for k in link.K if isinstance(k, pikepdf.Dictionary))
            assert objr.Type == "/OBJR"
            assert objr.Obj.Subtype == "/Link"
            contents.append(str(objr.Obj.Contents))
        assert contents == [
            "clinic website (https://www.example.org/calcinosis)",
            "https://www.example.org/sources",
        ]
        # The paragraph split by the page break is one element with content on both pages.
        split = found["P"][-3]
        assert [k.Pg.objgen for k in split.K if isinstance(k, pikepdf.Dictionary)] == [
            pdf.pages[1].obj.objgen
        ]


def test_the_catalog_declares_a_tagged_titled_english_ua_document(sample: Path) -> None:
    with pikepdf.open(sample) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert str(root.Lang) == "en-GB"
        assert root.ViewerPreferences.DisplayDocTitle is True
        xmp = root.Metadata.read_bytes().decode()
        assert f'<rdf:li xml:lang="x-default">{TITLE}</rdf:li>' in xmp
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
        assert "<rdf:li>en-GB</rdf:li>" in xmp
        assert all(page.obj.Tabs == "/S" for page in pdf.pages if "/Annots" in page.obj)


def test_every_font_is_embedded_and_maps_to_unicode(sample: Path) -> None:
    with pikepdf.open(sample) as pdf:
        for page in pdf.pages:
            for font in page.obj.Resources.Font.values():
                assert "/FontFile2" in font.FontDescriptor, font.BaseFont
                assert b"<0000>" not in font.ToUnicode.read_bytes()


def test_tagging_changes_nothing_a_sighted_reader_sees(sample: Path) -> None:
    import pypdfium2 as pdfium

    def pixels(pdf: bytes | Path) -> list[bytes]:
        doc = pdfium.PdfDocument(pdf)
        try:
            return [page.render(scale=1).to_pil().tobytes() for page in doc]
        finally:
            doc.close()

    tagged, plain = pixels(sample), pixels(build(tagged=False))
    assert len(tagged) == len(plain) == 2
    assert tagged == plain


def test_rebuilding_gives_identical_bytes(sample: Path) -> None:
    assert build() == sample.read_bytes()


# --- the gate can fail ---------------------------------------------------------------------

EXPECTED_RULES = {
    "figure-without-alt": "7.3-1",
    "untagged-paragraph": "7.1-3",
    "unembedded-font": "7.21.4.1-1",
    "untagged-link": "7.18.5-1",
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_verapdf_fails_a_broken_file(
    breakage: str, vera: dict[Path, Report], broken: dict[str, Path]
) -> None:
    report = vera[broken[breakage]]
    assert not report.compliant
    assert any(f.startswith(EXPECTED_RULES[breakage] + ":") for f in report.failures), (
        report.failures
    )


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_page_validation_fails_a_broken_file(breakage: str, broken: dict[str, Path]) -> None:
    need(page_missing())
    assert not page_ua1(broken[breakage]).compliant


def test_an_untagged_paragraph_fails_the_build() -> None:
    with pytest.raises(pdfua.TaggingError, match="text drawn outside any tagged flowable"):
        build(breakage="untagged-paragraph")


def test_an_unembedded_font_fails_the_build() -> None:
    with pytest.raises(pdfua.TaggingError, match="font /Helvetica is not embedded"):
        build(breakage="unembedded-font")


def test_the_api_refuses_what_it_cannot_tag() -> None:
    t = pdfua.Tagger()
    with pytest.raises(pdfua.TaggingError, match="alternate text"):
        t.figure(Image(str(Path(__file__).parent.parent / "assets" / "logo.png")), alt=" ")
    with pytest.raises(pdfua.TaggingError, match="not 'Diltiazem'"):
        t.table([["Diltiazem"]])  # type: ignore[list-item]
    with pytest.raises(pdfua.TaggingError, match=r"inside group\('L'\)"):
        t.item(Paragraph("loose", bulletText="•"))
    with pytest.raises(pdfua.TaggingError, match="'Aside' is not a standard"):
        t.tag(Paragraph("x"), "Aside")
    with pytest.raises(pdfua.TaggingError, match="label needs visible text"), t.group("L"):
        t.item(Paragraph("x"), label=" ")
    with pytest.raises(pdfua.TaggingError, match="within"), t.within(Paragraph("x")):
        pass
