"""libyaml reads clean content to exactly what ruamel reads; ruamel words every problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaflet import fastyaml, loader

ROOT = Path(__file__).resolve().parent.parent
CONTENT = sorted(
    [
        ROOT / "content.yaml",
        *ROOT.glob("examples/topics/*/content.yaml"),
        *ROOT.glob("tests/cases/**/*.yaml"),
    ]
)


def _parsed(text: str) -> Any:
    """What the loader makes of text: located data, or the problem with its place."""
    try:
        located = loader.parse_yaml(text)
    except loader._YamlProblem as problem:
        return ("problem", problem.line, problem.column, problem.message)
    return (located.data, located.values, located.keys, located.scalars, located.text)


def _by_ruamel(text: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as patch:
        patch.setattr(fastyaml, "events", lambda text: None)
        return _parsed(text)


def test_libyaml_reads_the_shipped_content() -> None:
    for path in (ROOT / "content.yaml", ROOT / "examples/topics/psoriasis/content.yaml"):
        assert fastyaml.events(path.read_text("utf-8")) is not None


@pytest.mark.parametrize("path", CONTENT, ids=[str(p.relative_to(ROOT)) for p in CONTENT])
def test_every_content_file_reads_as_ruamel_reads_it(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = path.read_text("utf-8")
    assert _parsed(text) == _by_ruamel(text, monkeypatch)


@pytest.mark.parametrize(
    "text",
    [
        "a: b\nc: [d, 'e''f', \"g\\u00e9h\"]\n",
        "a: |\n  Ünïcødé — “q”\n  😀 line\nb: >-\n  folded\n\n  text\n",
        "a: b\r\nc:\r\n  - d\r\n  - e\r\n",
        "a: ~\nb: ''\nc: null\nd:\n",
        "a: {b: c, d: [e, f]}\n",
    ],
)
def test_values_marks_and_spans_match_ruamel(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _parsed(text)
    assert fast[0] != "problem"
    assert fastyaml.events(text) is not None
    assert fast == _by_ruamel(text, monkeypatch)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: b: c\n", "YAML syntax error: mapping values are not allowed here"),
        ("a: &x b\nc: *x\n", "YAML anchor '&x' is not allowed (write the value out in full)"),
        ("a: [b\n", "while parsing a flow sequence"),
        ("a:\n\t- b\n", "(indent with spaces, not tabs)"),
        ("%YAML 1.2\n---\na: b\n", None),
        ("a: b\u2028c\n", None),
    ],
)
def test_what_libyaml_fails_on_or_is_unsure_of_ruamel_words(
    text: str, message: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _parsed(text)
    assert fast == _by_ruamel(text, monkeypatch)
    if message is not None:
        assert fast[0] == "problem"
        assert message in fast[3]


def test_a_deep_alias_bomb_stops_at_the_first_alias() -> None:
    bomb = "a: &a [x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    with pytest.raises(loader._YamlProblem) as info:
        loader.parse_yaml(bomb)
    assert (info.value.line, info.value.column) == (1, 4)


_PIECES = st.sampled_from(
    [
        ":",
        ": ",
        "- ",
        " ",
        "\n",
        "\n  ",
        '"',
        "'",
        "[",
        "]",
        "{",
        "}",
        ",",
        "#",
        "&a ",
        "*a",
        "!t ",
        "|",
        ">",
        "? ",
        "---\n",
        "é",
        "\\",
        "key: value\n",
        "\r\n",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    start=st.integers(0, 400),
    length=st.integers(1, 25),
    edits=st.lists(st.tuples(st.integers(0, 2000), _PIECES, st.booleans()), max_size=4),
)
def test_mangled_content_reads_as_ruamel_reads_it(
    start: int, length: int, edits: list[tuple[int, str, bool]]
) -> None:
    lines = (ROOT / "content.yaml").read_text("utf-8").splitlines(keepends=True)
    text = "".join(lines[start % len(lines) :][:length])
    for at, piece, insert in edits:
        at %= len(text) + 1
        text = text[:at] + piece + text[at:] if insert else text[:at] + text[at + len(piece) :]
    with pytest.MonkeyPatch.context() as patch:
        assert _parsed(text) == _by_ruamel(text, patch)
