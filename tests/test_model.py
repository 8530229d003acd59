"""The model: the shipped content is complete, and the model stays free of renderer libraries."""

from __future__ import annotations

import subprocess
import sys

from leaflet.inline import Run, parse
from leaflet.model import Document


def test_shipped_content_has_every_part(document: Document) -> None:
    assert [s.id for s in document.sites] == ["fingers", "elbows", "face", "shoulders"]
    assert [t.id for t in document.types] == [
        "dystrophic",
        "metastatic",
        "idiopathic",
        "iatrogenic",
    ]
    assert document.meta.title.clinician == "Calcinosis cutis"
    assert "metastic" not in (document.model_dump_json())
    assert {t.evidence for t in document.treatments} >= {"experimental", "anecdotal"}


def test_importing_the_model_imports_no_renderer() -> None:
    code = (
        "import sys, leaflet.model, leaflet.loader, leaflet.cli;"
        "bad = [m for m in ('reportlab', 'pptx', 'PIL') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_inline_markup_becomes_runs() -> None:
    assert parse("a **b** *c* [d](https://e.org) <f>") == [
        Run("a "),
        Run("b", bold=True),
        Run(" "),
        Run("c", italic=True),
        Run(" "),
        Run("d", url="https://e.org"),
        Run(" <f>"),
    ]
