"""Fixtures for the render benchmarks: the shipped content, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet.loader import load
from leaflet.model import Document
from leaflet.renderers import Options

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content.yaml"


@pytest.fixture(scope="session")
def document() -> Document:
    return load(CONTENT)


@pytest.fixture(scope="session")
def options() -> Options:
    return Options(project_dir=ROOT)
