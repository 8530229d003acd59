"""The deck's package shortcuts (kept template, copied blank slides, one zip pass) change no
byte: each deck is the one python-pptx's own calls make."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from leaflet.build import render_edition
from leaflet.deck import package
from leaflet.edition import EDITIONS
from leaflet.loader import load
from leaflet.renderers import Options

ROOT = Path(__file__).resolve().parent.parent
CONTENTS = [ROOT / "content.yaml", ROOT / "tests/cases/psoriasis/content.yaml"]


def _deck(content: Path) -> bytes:
    document = load(content)
    return render_edition(document, EDITIONS["deck"], Options(project_dir=content.parent)).data


def _by_python_pptx(monkeypatch: pytest.MonkeyPatch) -> None:
    """The deck made as before: a fresh styled template, add_slide, save, then dates fixed."""
    from pptx import Presentation

    def styled(key: str, style: Any) -> Any:
        prs = Presentation()
        style(prs)
        return prs

    def saved(prs: Any) -> bytes:
        buffer = io.BytesIO()
        prs.save(buffer)
        source = zipfile.ZipFile(buffer)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                fixed.compress_type = zipfile.ZIP_DEFLATED
                fixed.external_attr = 0o644 << 16
                target.writestr(fixed, source.read(info.filename))
        return out.getvalue()

    monkeypatch.setattr(package, "styled_presentation", styled)
    monkeypatch.setattr(
        package.Slides, "add", lambda self, layout: self.prs.slides.add_slide(layout)
    )
    monkeypatch.setattr(package, "package_bytes", saved)


@pytest.mark.parametrize("content", CONTENTS, ids=["calcinosis", "psoriasis"])
def test_each_deck_is_the_one_python_pptx_makes(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = [_deck(content), _deck(content)]  # the second from the kept template
    with monkeypatch.context() as patch:
        _by_python_pptx(patch)
        reference = _deck(content)
    assert fast == [reference, reference]


def test_every_entry_is_dated_1980_and_every_slide_is_there() -> None:
    with zipfile.ZipFile(io.BytesIO(_deck(CONTENTS[1]))) as deck:
        infos = deck.infolist()
        assert deck.testzip() is None
        slides = [i.filename for i in infos if i.filename.startswith("ppt/slides/slide")]
        assert slides == [f"ppt/slides/slide{k}.xml" for k in range(1, len(slides) + 1)]
        assert len(slides) >= 8
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o644}


def test_kept_templates_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package, "_templates", type(package._templates)())
    made = []
    for k in range(package.TEMPLATES_KEPT + 5):
        made.append(package.styled_presentation(f"theme {k}", lambda prs: None))
    assert len(package._templates) == package.TEMPLATES_KEPT
    assert list(package._templates) == [f"theme {k}" for k in range(5, package.TEMPLATES_KEPT + 5)]
    # each deck has its own copy: a slide added to one is in no other
    made[0].slides.add_slide(made[0].slide_layouts[0])
    assert [len(p.slides) for p in made[:2]] == [1, 0]
    assert len(package.styled_presentation("theme 6", lambda prs: None).slides) == 0


def test_relationships_are_written_as_python_pptx_writes_them() -> None:
    from pptx import Presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    for url in (
        "https://example.org/a?b=1&c=2",
        'https://example.org/"quoted"<x>',
        "https://example.org/é—ü/\tline",
        "mailto:a@example.org",
    ):
        slide.part.relate_to(url, RT.HYPERLINK, is_external=True)
    for part in [prs.part, slide.part]:
        for _ in range(9):  # rId10 and above sort by number, not as text
            part.relate_to(f"https://example.org/{_}", RT.HYPERLINK, is_external=True)
        assert package.rels_xml(part.rels) == part.rels.xml
    assert package.rels_xml(prs.part.package._rels) == prs.part.package._rels.xml
