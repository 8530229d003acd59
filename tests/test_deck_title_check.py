"""A deck title too long for its slide: `leaflet check` reports it at the title's line and
column, and `leaflet build` stops with the same message before writing anything."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from leaflet.cli import cli
from tests.conftest import CONTENT, ROOT

LONG = (
    "across every population studied so far, including adults and children, with"
    " prevalence, incidence and the distribution by sex and age in each group, in every"
    " country studied"
)


def project(tmp_path: Path, text: str) -> Path:
    shutil.copytree(ROOT / "assets", tmp_path / "assets")
    (tmp_path / "content.yaml").write_text(text)
    return tmp_path / "content.yaml"


def place(text: str, needle: str) -> tuple[int, int]:
    at = text.index(needle)
    line = text[:at].count("\n") + 1
    return line, at - text.rfind("\n", 0, at)


@pytest.mark.parametrize(
    ("written", "path"),
    [
        ("      clinician: Epidemiology\n", "sections[1].heading.clinician"),
        ("      clinician: Dystrophic calcinosis\n", "types[0].name.clinician"),
    ],
)
def test_check_and_build_report_a_long_deck_title_at_its_place(
    tmp_path: Path, written: str, path: str
) -> None:
    original = CONTENT.read_text()
    assert written in original
    longer = written.rstrip("\n") + " " + LONG + "\n"
    text = original.replace(written, longer, 1)
    content = project(tmp_path, text)
    line, column = place(text, longer.strip().removeprefix("clinician: "))
    checked = CliRunner().invoke(cli, ["check", str(content)])
    assert checked.exit_code == 1, checked.output
    (finding,) = [x for x in checked.output.splitlines() if "[deck-titles]" in x]
    assert re.fullmatch(
        rf"{re.escape(str(content))}:{line}:{column}: error: {re.escape(path)}: the deck's"
        r" slide title '.{20,60}…' takes \d lines at 28 pt, and a slide has room for 3"
        r" \(shorten it; the deck uses the clinician wording\) \[deck-titles\]",
        finding,
    ), finding
    built = CliRunner().invoke(cli, ["build", str(content), "--out", str(tmp_path / "out")])
    assert built.exit_code == 1
    assert finding in built.output.splitlines()
    assert "Traceback" not in built.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_title_that_fits_passes_and_builds(tmp_path: Path) -> None:
    text = CONTENT.read_text().replace(
        "      clinician: Epidemiology\n", "      clinician: Epidemiology across adults\n", 1
    )
    content = project(tmp_path, text)
    assert CliRunner().invoke(cli, ["check", str(content)]).exit_code == 0
    built = CliRunner().invoke(
        cli, ["build", str(content), "--only", "deck", "--out", str(tmp_path / "out")]
    )
    assert built.exit_code == 0, built.output
