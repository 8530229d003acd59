"""The command line contract: messages, exit codes, and outputs that a failed build leaves alone."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from leaflet.cli import cli


def test_build_writes_both_files_and_says_so(project: Path) -> None:
    result = CliRunner().invoke(cli, ["build", str(project / "content.yaml")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith(f"wrote {project / 'output' / 'calcinosis-cutis-leaflet.pdf'} (")
    assert " pages, " in lines[0] and lines[0].endswith(" KB)")
    out = project / "output"
    assert lines[1].startswith(f"wrote {out / 'calcinosis-cutis-leaflet-large.pdf'} (")
    assert lines[2].startswith(f"wrote {project / 'output' / 'calcinosis-cutis-deck.pptx'} (")
    assert " slides, " in lines[2]


def test_only_builds_one(project: Path) -> None:
    out = project / "elsewhere"
    result = CliRunner().invoke(
        cli, ["build", str(project / "content.yaml"), "--only", "deck", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "calcinosis-cutis-deck.pptx"
    ]


def test_usage_error_exits_2(project: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--only", "poster"])
    assert result.exit_code == 2
    assert "Invalid value for '--only'" in result.stderr


def test_failed_build_leaves_earlier_outputs_untouched(project: Path) -> None:
    content = project / "content.yaml"
    assert CliRunner().invoke(cli, ["build", str(content)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in (project / "output").iterdir()}
    content.write_text(content.read_text().replace("sites: [fingers", "sites: [fingerz"))
    result = CliRunner().invoke(cli, ["build", str(content)])
    assert result.exit_code == 1
    assert "unknown body site 'fingerz' (did you mean 'fingers'?)" in result.stderr
    after = {p.name: p.read_bytes() for p in (project / "output").iterdir()}
    assert after == before


def test_rebuilds_are_byte_identical_in_any_time_zone(project: Path) -> None:
    outputs = []
    for tz in ("UTC", "Pacific/Kiritimati", "America/Los_Angeles"):
        out = project / tz.replace("/", "-")
        subprocess.run(
            [sys.executable, "-m", "leaflet", "build", str(project / "content.yaml"), "--out", out],
            check=True,
            env={"TZ": tz, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path.cwd())},
            capture_output=True,
        )
        outputs.append({p.name: p.read_bytes() for p in out.iterdir() if p.suffix != ".json"})
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0]) == 4


def test_schema_is_json_schema_with_the_site_vocabulary() -> None:
    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "fingers" in json.dumps(schema["$defs"]["SiteRef"])
    assert schema["$defs"]["Wording"]["additionalProperties"] is False


def test_init_makes_a_content_file_that_builds(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["init", str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["build", str(tmp_path / "new" / "content.yaml")])
    assert result.exit_code == 0, result.output
    again = runner.invoke(cli, ["init", str(tmp_path / "new")])
    assert again.exit_code == 1
    assert "already exists" in again.stderr


def test_init_dates_the_starter_today_and_it_passes_every_gate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from leaflet import clock

    monkeypatch.setattr(clock, "now", lambda: dt.date(2028, 2, 29))
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(tmp_path)]).exit_code == 0
    text = (tmp_path / "content.yaml").read_text()
    assert "  published: 2028-02-29\n  reviewed: 2028-02-29\n  next_review: 2029-02-28\n" in text
    result = runner.invoke(cli, ["check", "--strict", str(tmp_path / "content.yaml")])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{tmp_path / 'content.yaml'}: OK (3 sections, 1 body site, 0 types, 0 treatments)"
    ]


def test_check_reports_ok() -> None:
    result = CliRunner().invoke(cli, ["check", "content.yaml"])
    assert result.exit_code == 0
    assert result.output.splitlines()[-1].startswith("content.yaml: OK")


def test_python_dash_m_works_and_a_bug_is_not_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "leaflet", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert result.stdout.startswith("leaflet, version ")
