"""Every gate, and the loader before them, does work in proportion to the content, not its square.

A pull request can make content as large as the limits allow; a gate that compares every section
with every other would hold CI for minutes. The work is counted, not timed: the lines of leaflet's
own code that run for generated content at 1x and 8x the size.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

import leaflet
from leaflet.checks import GATES
from leaflet.checks.core import Context
from leaflet.checks.run import _apply_silences
from leaflet.loader import load_text_located

ROOT = Path(__file__).resolve().parent.parent
STARTER = (ROOT / "leaflet" / "data" / "starter.yaml").read_text("utf-8")
PACKAGE = str(Path(leaflet.__file__).parent)


def generated(n: int) -> str:
    """The starter content with n of everything a pull request can repeat: sections (some
    empty of patient prose), paragraphs, causes, types, glossary terms, extra jargon words
    and silences, every one cross-referencing the others."""
    sections = "".join(
        f"  - id: part-{i}\n"
        "    heading:\n"
        f"      patient: Part {i}\n"
        f"      clinician: Part {i}\n"
        "    paragraphs:\n"
        f"      - patient: Lumps called nodule{i} can form. Ask about word{i}.\n"
        f"        clinician: Nodule{i} forms.\n"
        for i in range(n)
    )
    causes = "".join(
        f"  - id: cause-{i}\n    name:\n      patient: Cause {i}\n      clinician: Cause {i}\n"
        for i in range(n)
    )
    types = "".join(
        f"  - id: type-{i}\n"
        "    name:\n"
        f"      patient: Type {i}\n"
        f"      clinician: Type {i}\n"
        "    mechanism:\n"
        f"      patient: It forms after harm {i}.\n"
        f"      clinician: Dystrophic {i}.\n"
        f"    causes: [cause-{i}, cause-{(i * 7) % n}]\n"
        for i in range(n)
    )
    glossary = "".join(
        f"  - term: thing{i}\n    meaning: A thing{i} is a small part.\n" for i in range(n)
    )
    jargon = "".join(f"    - word{i}\n" for i in range(n))
    silences = "".join(
        "    - gate: jargon\n"
        f"      at: sections[{i + 3}].paragraphs[0].patient\n"
        "      reason: Explained by the nurse.\n"
        for i in range(n)
    )
    text = STARTER.replace("\nsections:\n", "\nsections:\n" + sections, 1)
    text = text.replace(
        "\nwarning_signs:\n",
        "\n  - id: kinds\n    heading:\n      patient: Kinds\n      clinician: Types\n"
        "    block: types\n\nwarning_signs:\n",
        1,
    )
    return (
        text
        + f"causes:\n{causes}types:\n{types}glossary:\n{glossary}"
        + f"checks:\n  extra_jargon:\n{jargon}  silence:\n{silences}"
    )


def _counting(count: list[int]) -> Callable[[FrameType, str, Any], Any]:
    def local(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            count[0] += 1
        return local

    def called(frame: FrameType, event: str, arg: Any) -> Any:
        return local if frame.f_code.co_filename.startswith(PACKAGE) else None

    return called


def operations(text: str) -> dict[str, int]:
    """Lines of leaflet's code run by the loader, by each gate and by the silences."""
    counts: dict[str, list[int]] = {}

    def counted(name: str, work: Callable[[], Any]) -> Any:
        counts[name] = [0]
        sys.settrace(_counting(counts[name]))
        try:
            return work()
        finally:
            sys.settrace(None)

    document, located = counted("loader", lambda: load_text_located(text))
    context = Context(document, located, ROOT, dt.date(2026, 6, 1))
    findings = []
    for gate in GATES.values():
        findings += counted(gate.id, lambda gate=gate: list(gate.run(context)))
    counted("silence", lambda: _apply_silences(context, findings))
    return {name: count[0] for name, count in counts.items()}


@pytest.fixture(scope="module")
def measured() -> tuple[dict[str, int], dict[str, int]]:
    operations(generated(8))  # caches filled once, as in any run, before counting
    return operations(generated(20)), operations(generated(160))


@pytest.mark.parametrize("stage", ["loader", *GATES, "silence"])
def test_work_grows_linearly_with_the_content(
    stage: str, measured: tuple[dict[str, int], dict[str, int]]
) -> None:
    small, large = measured
    assert small[stage] > 0, "nothing counted: the stage did not run"
    # linear work a + 8b is at most 8 times a + b; quadratic work would be up to 64 times
    assert large[stage] <= 10 * small[stage], (stage, small[stage], large[stage])
