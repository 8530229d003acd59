"""Fuzz the loader and inline parser for minutes: any input gives a Document or a ContentError.

Run: PYTHONPATH=. python fuzz/fuzz_loader.py [SECONDS]   (default 300)
or as a slow test: pytest -m slow fuzz/fuzz_loader.py
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflet import inline
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


if __name__ == "__main__":
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 300.0
    end = time.monotonic() + seconds
    runs = 0
    while time.monotonic() < end:
        settings(max_examples=2000, deadline=2000, suppress_health_check=list(HealthCheck))(
            given(_inputs)(check)
        )()
        runs += 2000
    print(f"{runs} inputs, no failure")
