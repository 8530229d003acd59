"""The leaflet's layout plan, read as data: which block goes where, at which size, before any
PDF is made."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet.edition import EDITIONS, Edition, compose
from leaflet.edition.blocks import Figure
from leaflet.errors import LeafletError
from leaflet.loader import load
from leaflet.model import Document
from leaflet.renderers.leaflet_pdf.plan import plan
from leaflet.renderers.leaflet_pdf.typescale import SCALES

CASES = Path(__file__).parent / "cases"


def edition(document: Document, id: str = "leaflet", paper: str = "A4") -> Edition:
    return compose(document, EDITIONS[id].with_paper(paper))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def psoriasis() -> Document:
    return load(CASES / "leaflet-psoriasis.yaml")


def test_the_scales_set_body_sizes_and_floors() -> None:
    standard, large = SCALES["standard"].sizes(), SCALES["large"].sizes()
    assert standard["body"].pt == 12 and large["body"].pt == 18
    assert min(s.pt for name, s in standard.items() if name != "footer") >= 12
    assert standard["footer"].pt >= 10
    assert min(s.pt for s in large.values()) >= 14
    # headings grow with the body
    assert large["h1"].pt / standard["h1"].pt == pytest.approx(1.5, abs=0.01)
    assert large["title"].pt > standard["title"].pt


def test_standard_plan_sets_the_shipped_content_as_designed(document: Document) -> None:
    layout = plan(edition(document))
    assert layout.sizes["body"].pt == 12
    assert layout.grid.main == pytest.approx(352, abs=1)  # about 64 characters
    assert layout.grid.side > 140
    (figure,) = layout.figures
    assert figure.placement == "beside" and figure.views == ("front",)
    assert figure.label_pt >= 12
    assert layout.lead is not None and layout.lead.first == 0 and layout.lead.last == 2
    risks = next(n for n, s in enumerate(edition(document).sections) if s.kind == "risk_factors")
    assert layout.glossary_beside == risks
    assert (layout.card_columns, layout.sign_columns, layout.glossary_columns) == (2, 2, 2)
    assert layout.order[0] == "title" and layout.order[-1] == "sources"
    assert layout.order.index("glossary") == layout.order.index(f"section:{risks}") + 1


def test_every_style_is_set_at_a_leading_of_1_2_or_more() -> None:
    for scale in SCALES.values():
        for name, size in scale.sizes().items():
            assert size.leading >= 1.2 * size.pt - 0.01, (scale.name, name, size)


@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_the_grid_keeps_all_ink_7mm_from_every_edge(document: Document, paper: str) -> None:
    mm = 72 / 25.4
    for id in ("leaflet", "leaflet-large"):
        grid = plan(edition(document, id, paper)).grid
        assert grid.margin_x >= 7.5 * mm and grid.margin_top >= 7 * mm
        # the footer's line of type sits over the 7 mm band at the paper's foot
        assert grid.footer_top >= 7 * mm + SCALES["standard"].size("footer").leading


def test_large_print_plan_scales_everything_and_reflows(document: Document) -> None:
    standard, large = plan(edition(document)), plan(edition(document, "leaflet-large"))
    assert large.sizes["body"].pt == 18
    assert large.grid.gap > standard.grid.gap
    assert large.grid.side == 0  # one reading column: nothing is set beside it
    assert large.glossary_beside is None and "glossary" in large.order
    assert (large.card_columns, large.sign_columns, large.glossary_columns) == (1, 1, 1)
    (figure,) = large.figures
    # The diagram is set beside the opening text, which flows past it (page 1 is not left
    # part-empty by a diagram moved whole to page 2), its labels larger than the standard's.
    assert figure.placement == "beside" and large.lead is not None
    assert figure.label_pt >= 14 and figure.label_pt > standard.figures[0].label_pt
    assert large.grid.margin_bottom > standard.grid.margin_bottom  # the footer is larger too


@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_back_of_body_sites_get_front_and_back_views_and_keep_their_side(
    psoriasis: Document, paper: str
) -> None:
    for id in ("leaflet", "leaflet-large"):
        layout = plan(edition(psoriasis, id, paper))
        (figure,) = layout.figures
        assert figure.views == ("front", "back")
        assert ("elbows", "left") in figure.figure.sites
        labels = [label.text.text for label in figure.scene.labels]
        assert "Elbow (left)" in labels or any("left" in t.lower() for t in labels), labels
        assert figure.label_pt >= layout.scale.floor_pt


def test_a_figure_that_cannot_be_drawn_stops_with_its_place(document: Document) -> None:
    broken = edition(document)
    section = next(s for s in broken.sections if s.kind == "sites")
    figure = next(b for b in section.body if isinstance(b, Figure))
    bad = type(figure)(**{**figure.__dict__, "sites": (("fingers", "both"), ("nowhere", "both"))})
    body = tuple(bad if b is figure else b for b in section.body)
    sections = tuple(
        type(s)(**{**s.__dict__, "body": body}) if s is section else s for s in broken.sections
    )
    from dataclasses import replace

    with pytest.raises(LeafletError, match=r"sections\[2\] \(where\): the body-site diagram"):
        plan(replace(broken, sections=sections))
