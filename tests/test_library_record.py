"""A library build writes its record a batch at a time, and never vouches for a file before
it is in place."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet import cache, library_build
from leaflet.library import find_topics, load_library
from tests.test_library import make_library, run


def _merges(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many topics' entries each record write merged."""
    counts: list[int] = []
    merge = cache.merged_record_bytes

    def counted(out_dir: Path, updates: list[cache.Update]) -> bytes:
        counts.append(len(updates))
        return merge(out_dir, updates)

    monkeypatch.setattr(cache, "merged_record_bytes", counted)
    return counts


def test_the_record_is_written_once_for_a_batch_of_topics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_library(tmp_path / "lib", ("alpha", "beta", "gamma", "delta"))
    lib = load_library(root)
    monkeypatch.setattr(library_build, "RECORD_EVERY_S", 1e9)  # one batch, however slow
    writes = _merges(monkeypatch)
    result = library_build.build_library(lib, find_topics(root), jobs=1, strict=False)
    assert not result.failures
    assert writes == [4]  # one write for the four topics (each used to write its own)
    entries = cache.read_record(root / "output").entries
    assert sorted({e.slug for e in entries.values()}) == ["alpha", "beta", "delta", "gamma"]
    for entry in entries.values():
        assert cache.file_digest(root / "output" / entry.filename) == entry.sha256
    code, out, _ = run("build", str(root))
    assert code == 0 and "0 rebuilt; 4 up to date" in out


def test_a_long_build_writes_the_record_as_it_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_library(tmp_path / "lib")
    monkeypatch.setattr(library_build, "RECORD_EVERY_S", 0.0)
    writes = _merges(monkeypatch)
    library_build.build_library(load_library(root), find_topics(root), jobs=1, strict=False)
    assert writes == [1, 1, 1]


def test_topics_built_before_a_stop_are_recorded_and_the_rest_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_library(tmp_path / "lib")
    build_one = library_build.build_one

    def stopping(lib: object, topic: object, *args: object) -> library_build.Outcome:
        if getattr(topic, "slug", "") == "gamma":
            raise KeyboardInterrupt
        return build_one(lib, topic, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(library_build, "build_one", stopping)
    with pytest.raises(KeyboardInterrupt):
        library_build.build_library(load_library(root), find_topics(root), jobs=1, strict=False)
    monkeypatch.undo()
    assert sorted({e.slug for e in cache.read_record(root / "output").entries.values()}) == [
        "alpha",
        "beta",
    ]
    code, out, _ = run("build", str(root))
    assert code == 0 and "1 rebuilt (gamma); 2 up to date" in out
