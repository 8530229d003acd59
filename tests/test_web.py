"""The web edition as a reader and a browser meet it: structure, words, diagram, layout, axe."""

from __future__ import annotations

import dataclasses
import itertools
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from lxml import etree

from leaflet.diagram.draw_svg import to_svg
from leaflet.edition import EDITIONS, Edition, compose
from leaflet.edition.blocks import Figure, plain
from leaflet.i18n import catalogue
from leaflet.loader import load, load_text
from leaflet.model import Document
from leaflet.renderers import Options
from leaflet.renderers.web_html import page, web_scene
from tests import web_browser
from tests.conftest import CONTENT, ROOT
from tests.phrases import english_phrases

CASES = ROOT / "tests" / "cases"
SPANISH = CASES / "es" / "content.yaml"
PSORIASIS = CASES / "psoriasis" / "content.yaml"
SVG = "{http://www.w3.org/2000/svg}"


def web(document: Document) -> Edition:
    return compose(document, EDITIONS["web"])


def html_of(edition: Edition, folder: Path = ROOT) -> str:
    return page(edition, Options(project_dir=folder))


def tree(text: str) -> Any:
    return lxml.html.document_fromstring(text)


def headings(root: Any) -> list[tuple[int, str]]:
    return [
        (int(h.tag[1]), h.text_content().strip())
        for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")
    ]


def svg_of(root: Any) -> Any:
    (svg,) = root.xpath("//*[local-name()='svg']")
    return etree.fromstring(etree.tostring(svg))  # a plain XML tree with the SVG namespace


@pytest.fixture(scope="module")
def shipped() -> tuple[Edition, str]:
    edition = web(load(CONTENT))
    return edition, html_of(edition)


@pytest.fixture(scope="module")
def spanish() -> tuple[Edition, str]:
    edition = web(load(SPANISH))
    return edition, html_of(edition, SPANISH.parent)


# structure ---------------------------------------------------------------------------------
def test_the_page_has_landmarks_one_h1_and_headings_in_order(shipped: tuple[Edition, str]) -> None:
    edition, text = shipped
    root = tree(text)
    assert [len(root.findall(f".//{tag}")) for tag in ("header", "main", "footer")] == [1, 1, 1]
    found = headings(root)
    assert [h for h in found if h[0] == 1] == [(1, plain(edition.title.title))]
    assert found[0][0] == 1
    assert all(b[0] <= a[0] + 1 for a, b in itertools.pairwise(found)), found
    h2 = [t for level, t in found if level == 2]
    assert h2[: len(edition.sections)] == [plain(s.heading) for s in edition.sections]
    assert h2[len(edition.sections) :] == [
        "Words to know",
        "Where this information comes from",
        "Contact us",
    ]
    # the header holds the title; contact is in main, the governance dates in the footer
    assert root.find(".//header/h1") is not None
    footer = root.find(".//footer").text_content()
    assert "Version 1.0" in footer and "Next review" in footer
    assert edition.contact.phone in root.find(".//main").text_content()


def test_the_glossary_is_a_description_list(shipped: tuple[Edition, str]) -> None:
    edition, text = shipped
    assert edition.glossary is not None
    (dl,) = [d for d in tree(text).iter("dl") if "contact" not in (d.get("class") or "")]
    terms = [dt.text_content() for dt in dl.findall("dt")]
    assert terms == [t.term for t in edition.glossary.terms]
    assert [dd.text_content() for dd in dl.findall("dd")] == [
        plain(t.meaning) for t in edition.glossary.terms
    ]


def test_the_urgent_callout_is_a_region_named_by_a_visible_word_and_its_heading(
    shipped: tuple[Edition, str],
) -> None:
    edition, text = shipped
    root = tree(text)
    (region,) = root.xpath("//*[@role='region']")
    named = " ".join(
        root.get_element_by_id(i).text_content().strip()
        for i in region.get("aria-labelledby").split()
    )
    assert named == "! Urgent When to get help"
    kind = region.find(".//p[@class='callout-kind']")
    assert kind.text_content().strip() == "! Urgent"  # a word on the page, not a colour alone
    assert "Call your clinic on 01632 960 123 if:" in region.text_content()
    warning = edition.section_of("warning_signs")
    assert warning is not None
    assert len(region.findall(".//li")) == len(load(CONTENT).warning_signs)


def test_lang_and_dir_and_no_script_and_nothing_fetched(shipped: tuple[Edition, str]) -> None:
    edition, text = shipped
    root = tree(text)
    assert (root.get("lang"), root.get("dir")) == ("en-GB", "ltr")
    assert root.xpath("//script") == [] and "<script" not in text
    assert root.xpath("//link | //iframe | //object | //embed | //base") == []
    assert all(img.get("src").startswith("data:image/png;base64,") for img in root.iter("img"))
    assert [img.get("alt") for img in root.iter("img")] == ["Riverside Skin Clinic logo"]
    # every address the page names is a link a reader follows, from the content
    allowed = {s.url for s in edition.sources.items} | {edition.contact.website}
    allowed |= {r.url for r in _runs(edition) if r.url}
    links = root.xpath("//@href | //@src | //@action | //@srcset | //@poster")
    web_links = {str(a) for a in links if re.match(r"(?i)\s*(https?:)?//", str(a))}
    assert web_links and web_links <= allowed
    assert {str(a).split(":")[0] for a in links} <= {"https", "http", "mailto", "tel", "data"}
    assert "url(" not in text and "@import" not in text


def _runs(edition: Edition) -> list[Any]:
    found = []

    def walk(value: Any) -> None:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            if hasattr(value, "url") and hasattr(value, "bold"):
                found.append(value)
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))
        elif isinstance(value, tuple):
            for v in value:
                walk(v)

    for block in edition.blocks:
        walk(block)
    return found


def test_content_text_is_escaped_and_unsafe_links_are_not_made() -> None:
    source = CONTENT.read_text("utf-8")
    hostile = "<script>alert(1)</script> & <img src=x onerror=alert(2)>"
    assert "Sometimes calcium builds up" in source
    text = source.replace(
        "Sometimes calcium builds up", f"{hostile} Sometimes calcium builds up", 1
    )
    document = load_text(text, str(CONTENT), ROOT)
    out = html_of(web(document))
    root = tree(out)
    assert root.xpath("//script") == [] and root.xpath("//img[@onerror]") == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;" in out
    assert hostile in root.find(".//main").text_content()


def test_the_page_is_the_same_bytes_every_time(shipped: tuple[Edition, str]) -> None:
    edition, text = shipped
    assert html_of(web(load(CONTENT))) == text
    assert html_of(edition).encode() == text.encode()


def test_build_only_web_writes_one_page(project: Path) -> None:
    from leaflet.build import build

    (written,) = build(project / "content.yaml", project / "out", only=["web"]).outputs
    assert written.path.name == "calcinosis-cutis-web.html"
    assert (written.units, written.unit_name) == (1, "page")
    assert tree(written.path.read_text("utf-8")).find(".//h1") is not None


# words -------------------------------------------------------------------------------------


def test_a_spanish_page_is_in_spanish(spanish: tuple[Edition, str]) -> None:
    _, text = spanish
    root = tree(text)
    assert (root.get("lang"), root.get("dir")) == ("es", "ltr")
    shown = [root.find(".//title").text_content(), root.find(".//body").text_content()]
    seen = " ".join(shown + root.xpath("//@alt | //meta[@name='description']/@content"))
    seen = re.sub(r"https?://\S+", "", seen)
    phrases = english_phrases()
    assert len(phrases) > 100
    assert [p for p in phrases if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", seen)] == []
    assert "Urgente" in seen and "Contacto" in seen and "Palabras útiles" in seen
    assert "24 de noviembre de 2026" in root.find(".//footer").text_content()


def test_an_arabic_catalogue_turns_the_page_right_to_left(shipped: tuple[Edition, str]) -> None:
    edition, _ = shipped
    arabic = dataclasses.replace(edition, words=catalogue("ar"))
    root = tree(html_of(arabic))
    assert root.get("dir") == "rtl"
    assert root.xpath("//*[@role='region']")  # the urgent box keeps its region
    # the diagram keeps its own left-to-right layout inside a right-to-left page
    assert svg_of(root).find(f"{SVG}g[@class='labels']").get("direction") == "ltr"


# the diagram -------------------------------------------------------------------------------
def test_the_diagram_is_an_svg_image_titled_by_the_figures_alt(
    shipped: tuple[Edition, str],
) -> None:
    edition, text = shipped
    (figure,) = [b for s in edition.sections for b in s.body if isinstance(b, Figure)]
    svg = svg_of(tree(text))
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert (
        title.text
        == figure.alt
        == "Where calcium deposits form: on the fingers, elbows, face and shoulders."
    )
    assert desc.text == plain(figure.fallback)
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert labels == [t.text for t in web_scene(figure).texts()]
    assert {"Fingers", "Elbows", "Face", "Shoulders", "Calcium deposits"} <= set(labels)


@pytest.mark.parametrize(
    ("marker", "shape", "kind"),
    [("lumps", "circle", "lump"), ("patch", "path", "patch"), ("spots", "circle", "spot")],
)
def test_the_svg_draws_each_marker_as_its_marks(
    shipped: tuple[Edition, str], marker: str, shape: str, kind: str
) -> None:
    edition, _ = shipped
    (figure,) = [b for s in edition.sections for b in s.body if isinstance(b, Figure)]
    figure = dataclasses.replace(figure, marker=marker)  # type: ignore[arg-type]
    scene = web_scene(figure)
    svg = etree.fromstring(to_svg(scene, title="t & <x>", desc="d", ident="d1"))
    marks = svg.findall(f".//{SVG}g[@class='marks']/*")
    assert {(m.tag.removeprefix(SVG), m.get("class")) for m in marks} == {(shape, f"mark {kind}")}
    expected = len(scene.patches()) if marker == "patch" else len(scene.lumps())
    assert len(marks) == expected > len(figure.sites)
    fill = {"lumps": "#FFFDF5", "patch": "#D9897A", "spots": "#B4553F"}[marker]
    assert {m.get("fill") for m in marks} == {fill}
    assert svg.find(f"{SVG}title").text == "t & <x>"


# a real browser ----------------------------------------------------------------------------
BROWSER = web_browser.chromium()
needs_browser = pytest.mark.skipif(
    BROWSER is None, reason="no chromium on PATH (apt-get install chromium; .ci/run does)"
)


@needs_browser
@pytest.mark.parametrize("width", [390, 1280])
def test_in_a_browser_the_page_fits_the_width_and_shows_its_text(
    shipped: tuple[Edition, str], width: int
) -> None:
    assert BROWSER is not None
    edition, text = shipped
    seen = web_browser.measure(BROWSER, text, width)
    assert seen["viewport"] == width
    assert seen["width"] <= seen["viewport"]  # no horizontal scroll
    assert (seen["lang"], seen["dir"], seen["scripts"]) == ("en-GB", "ltr", 0)
    for words in (plain(edition.title.title), "When to get help", "Words to know", "Version 1.0"):
        assert words in seen["text"]


@needs_browser
def test_in_a_browser_a_narrow_spanish_page_fits(spanish: tuple[Edition, str]) -> None:
    assert BROWSER is not None
    seen = web_browser.measure(BROWSER, spanish[1], 320)
    assert seen["viewport"] == 320 and seen["width"] <= 320
    assert "Cuándo pedir ayuda" in seen["text"]


@needs_browser
@pytest.mark.skipif(
    not web_browser.AXE.is_file(),
    reason=f"axe-core is not installed at {web_browser.AXE} (npm install --prefix"
    f" {web_browser.AXE_HOME} axe-core; .ci/run does)",
)
@pytest.mark.parametrize(
    "content", [CONTENT, PSORIASIS, SPANISH], ids=["shipped", "psoriasis", "es"]
)
def test_axe_finds_no_wcag_22_aa_violation(content: Path) -> None:
    assert BROWSER is not None
    text = html_of(web(load(content)), content.parent)
    assert web_browser.axe(BROWSER, text) == []
