"""Benchmarks of the stages of a build, in-process; run with `pytest benchmarks/ --benchmark-only`.

Not part of the default test run (pytest's testpaths is tests/). Each benchmark also checks what
it produced, so that a broken stage cannot look fast.
"""

from __future__ import annotations

from pathlib import Path

from pytest_benchmark.fixture import BenchmarkFixture

from leaflet.loader import load_text
from leaflet.model import Document
from leaflet.renderers import RENDERERS, Options

from .conftest import CONTENT


def test_load_content(benchmark: BenchmarkFixture) -> None:
    text = CONTENT.read_text("utf-8")
    document = benchmark(load_text, text, "content.yaml", CONTENT.parent)
    assert document.meta.slug == "calcinosis-cutis"


def test_render_leaflet(benchmark: BenchmarkFixture, document: Document, options: Options) -> None:
    rendered = benchmark(RENDERERS["leaflet"].render, document, options)
    assert rendered.data.startswith(b"%PDF-") and rendered.units >= 1


def test_render_deck(benchmark: BenchmarkFixture, document: Document, options: Options) -> None:
    rendered = benchmark(RENDERERS["deck"].render, document, options)
    assert rendered.data.startswith(b"PK") and rendered.units >= 1


def test_up_to_date_check(benchmark: BenchmarkFixture, tmp_path: Path) -> None:
    from leaflet import cache
    from leaflet.build import build

    build(CONTENT, tmp_path)
    fresh = benchmark(cache.up_to_date, CONTENT, tmp_path, ["leaflet", "deck"], None)
    assert fresh is not None and [e.renderer for e in fresh] == ["leaflet", "deck"]
