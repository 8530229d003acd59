"""Fuzz the loader, the inline parser and the build record reader for minutes.

Any content gives a Document or a ContentError; any record bytes give a Record (EMPTY unless
they are exactly what this tool writes), never an exception.

Run: PYTHONPATH=. python fuzz/fuzz_loader.py [SECONDS]   (default 300)
or as a slow test: pytest -m slow fuzz/fuzz_loader.py
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflet import cache, inline
from leaflet.errors import ContentError
from leaflet.loader import load_text

STARTER = (Path(__file__).resolve().parent.parent / "leaflet/data/starter.yaml").read_text()
LINES = STARTER.splitlines(keepends=True)

_mutated = st.builds(
    lambda i, j, junk: "".join(LINES[:i]) + junk + "".join(LINES[j:]),
    st.integers(0, len(LINES)),
    st.integers(0, len(LINES)),
    st.text(max_size=120),
)
_inputs = st.one_of(st.text(max_size=2000), _mutated)

KEY = b"k" * 32
_real_body = json.dumps(
    {
        "outputs": {
            "calcinosis-cutis/deck": {
                "source": "/p/content.yaml",
                "filename": "calcinosis-cutis-deck.pptx",
                "inputs": {"edition": "deck"},
                "sha256": "0" * 64,
                "size": 1,
                "units": 1,
                "unit_name": "slide",
            }
        },
        "sources": {"/p/content.yaml": ["deck"]},
    }
)
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def _signed(body: str) -> bytes:
    mac = cache._mac(body.encode(), KEY)
    return json.dumps({"format": cache.STAMP_FORMAT, "body": body, "mac": mac}).encode()


_records = st.one_of(
    st.binary(max_size=400),
    _json.map(lambda v: json.dumps(v).encode()),
    _json.map(lambda v: _signed(json.dumps(v))),  # signed, so the shape checks are reached
    st.builds(
        lambda i, junk: _signed(_real_body[:i] + junk + _real_body[i:]),
        st.integers(0, len(_real_body)),
        st.text(max_size=20),
    ),
)


def check_record(raw: bytes) -> None:
    record = cache.parse_record(raw, KEY)
    assert isinstance(record, cache.Record)
    for key, entry in record.entries.items():
        assert key == entry.key and "/" not in entry.filename


def check(text: str) -> None:
    try:
        load_text(text)
    except ContentError as exc:
        assert exc.problems
    with contextlib.suppress(inline.MarkupError):
        inline.parse(text[:500])


@pytest.mark.slow
@settings(max_examples=20_000, deadline=2000, suppress_health_check=list(HealthCheck))
@given(_inputs)
def test_fuzz_loader(text: str) -> None:
    check(text)


@pytest.mark.slow
@settings(max_examples=20_000, deadline=2000, suppress_health_check=list(HealthCheck))
@given(_records)
def test_fuzz_record_reader(raw: bytes) -> None:
    check_record(raw)


if __name__ == "__main__":
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 300.0
    end = time.monotonic() + seconds
    runs = 0
    while time.monotonic() < end:
        settings(max_examples=2000, deadline=2000, suppress_health_check=list(HealthCheck))(
            given(_inputs)(check)
        )()
        settings(max_examples=2000, deadline=2000, suppress_health_check=list(HealthCheck))(
            given(_records)(check_record)
        )()
        runs += 4000
    print(f"{runs} inputs, no failure")
