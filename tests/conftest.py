"""Shared fixtures: the repo's content, a copy of the project to break, and built outputs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from leaflet.loader import load
from leaflet.model import Document

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content.yaml"


@pytest.fixture(scope="session", autouse=True)
def _record_key(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The build record's key in a temporary folder, not the user's cache (and child processes)."""
    import os

    from leaflet import cache

    os.environ[cache.KEY_ENV] = str(tmp_path_factory.mktemp("key") / "record.key")
    cache.record_key.cache_clear()


@pytest.fixture(scope="session")
def document() -> Document:
    return load(CONTENT)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the shipped project (content.yaml and assets/) in a temporary folder."""
    shutil.copy(CONTENT, tmp_path / "content.yaml")
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    return tmp_path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The shipped content built once for the session, by edition: leaflet, leaflet-large, deck."""
    from leaflet.build import build

    out = tmp_path_factory.mktemp("output")
    written = build(CONTENT, out, languages=["en-GB"]).outputs
    slug = "calcinosis-cutis-"
    return {w.path.name.removeprefix(slug).rsplit(".", 1)[0]: w.path for w in written}
