"""The speed contract: what is skipped, what is never imported, and what forces a rebuild."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from leaflet import cache, clock
from leaflet.cli import cli
from leaflet.edition import Edition
from leaflet.errors import LeafletError
from leaflet.renderers import RENDERERS, Options, Rendered, Renderer

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("reportlab", "pptx", "PIL", "pydantic", "ruamel", "yaml")
LEAFLET = "calcinosis-cutis-leaflet.pdf"
LARGE = "calcinosis-cutis-leaflet-large.pdf"
DECK = "calcinosis-cutis-deck.pptx"
WROTE = ["wrote"] * 4
"""The shipped content asks for four editions: leaflet, large print, deck, web page."""
FRESH = ["up to date"] * 4

PROBE = f"""
import json, sys
from leaflet.cli import cli
code = 0
try:
    cli.main(args=sys.argv[1:], prog_name="leaflet")
except SystemExit as exc:
    code = exc.code
print("IMPORTED " + json.dumps([m for m in {HEAVY!r} if m in sys.modules]))
sys.exit(code)
"""


def run_probe(*args: str) -> tuple[int, list[str], list[str]]:
    """Run the CLI in a fresh interpreter: exit code, its output lines, heavy modules imported."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    *lines, last = result.stdout.splitlines()
    assert last.startswith("IMPORTED "), result.stdout + result.stderr
    return result.returncode, lines, json.loads(last.removeprefix("IMPORTED "))


def build(project: Path, *extra: str) -> list[str]:
    """`leaflet build` in-process; the lines it printed."""
    result = CliRunner().invoke(cli, ["build", str(project / "content.yaml"), *extra])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def verbs(lines: list[str]) -> list[str]:
    return ["up to date" if line.startswith("up to date: ") else line.split()[0] for line in lines]


def test_an_unchanged_rebuild_renders_nothing_and_imports_no_renderer(project: Path) -> None:
    content = str(project / "content.yaml")
    code, first, _ = run_probe("build", content)
    assert code == 0 and verbs(first) == WROTE
    code, again, imported = run_probe("build", content)
    assert code == 0
    out = project / "output"
    assert [line.split(" (")[0] for line in again] == [
        f"up to date: {out / LEAFLET}",
        f"up to date: {out / LARGE}",
        f"up to date: {out / DECK}",
        f"up to date: {out / 'calcinosis-cutis-web.html'}",
    ]
    # The same figures as when the files were written.
    assert [line.split(" (")[1] for line in again] == [line.split(" (")[1] for line in first]
    assert imported == []


@pytest.mark.parametrize("command", [["--help"], ["schema"], ["check", "content.yaml"]])
def test_help_schema_and_check_import_no_rendering_library(command: list[str]) -> None:
    code, _, imported = run_probe(*command)
    assert code == 0
    assert "reportlab" not in imported and "pptx" not in imported


def test_force_rebuilds(project: Path) -> None:
    build(project)
    assert verbs(build(project)) == FRESH
    assert verbs(build(project, "--force")) == WROTE


def test_a_content_edit_rebuilds(project: Path) -> None:
    build(project)
    content = project / "content.yaml"
    content.write_text(content.read_text().replace("Calcinosis cutis", "Calcinosis Cutis", 1))
    assert verbs(build(project)) == WROTE
    assert verbs(build(project)) == FRESH


def _edit_logo(project: Path) -> None:
    """Change one pixel of the project's logo."""
    from PIL import Image

    logo = project / "assets" / "logo.png"
    with Image.open(logo) as image:
        edited = image.copy()
    edited.putpixel((0, 0), (1, 2, 3, 255) if edited.mode == "RGBA" else (1, 2, 3))
    edited.save(logo)


def test_an_asset_edit_rebuilds(project: Path) -> None:
    build(project)
    _edit_logo(project)
    assert verbs(build(project)) == WROTE


def test_an_asset_named_with_backslashes_is_hashed_and_its_edit_rebuilds(project: Path) -> None:
    content = project / "content.yaml"
    content.write_text(content.read_text().replace("assets/logo.png", "assets\\logo.png"))
    build(project)
    record = cache.read_record(project / "output")
    assert record.entries["calcinosis-cutis/leaflet"].inputs["assets"] == {
        "assets\\logo.png": cache.file_digest(project / "assets" / "logo.png")
    }
    _edit_logo(project)
    assert verbs(build(project)) == WROTE


def test_a_missing_asset_is_reported_not_taken_as_up_to_date(project: Path) -> None:
    build(project)
    (project / "assets" / "logo.png").unlink()
    result = CliRunner().invoke(cli, ["build", str(project / "content.yaml")])
    assert result.exit_code == 1
    assert "assets/logo.png' does not exist" in result.stderr


@pytest.mark.parametrize("option", [["--paper", "letter"], ["--out", "elsewhere"]])
def test_other_options_rebuild(project: Path, option: list[str]) -> None:
    build(project)
    if option[0] == "--out":
        option = ["--out", str(project / option[1])]
    assert set(verbs(build(project, *option))) == {"wrote"}
    assert set(verbs(build(project, *option))) == {"up to date"}


def test_one_output_built_alone_is_up_to_date_in_a_full_build(project: Path) -> None:
    build(project, "--only", "deck")
    assert verbs(build(project)) == WROTE
    assert verbs(build(project, "--only", "deck")) == ["up to date"]


def test_a_strict_build_after_a_lenient_one_runs_the_strict_gates(project: Path) -> None:
    content = str(project / "content.yaml")
    build(project)
    runner = CliRunner()
    after_lenient = runner.invoke(cli, ["build", content, "--strict"])
    forced = runner.invoke(cli, ["build", content, "--strict", "--force"])
    assert after_lenient.exit_code == forced.exit_code
    assert "up to date" not in after_lenient.stdout


def test_the_gates_run_again_on_another_day(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(project)
    assert verbs(build(project)) == FRESH
    tomorrow = clock.today() + dt.timedelta(days=1)
    monkeypatch.setattr(clock, "now", lambda: tomorrow)
    assert verbs(build(project)) == WROTE


def test_a_new_tool_version_rebuilds(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(project)
    newer = {**cache.tool_fingerprint(), "reportlab": "99.0"}
    monkeypatch.setattr(cache, "tool_fingerprint", lambda: newer)
    assert verbs(build(project)) == WROTE


def test_the_tool_fingerprint_covers_versions_and_leaflet_source() -> None:
    tool = cache.tool_fingerprint()
    for name in ("leaflet", "leaflet-source", "python", "reportlab", "python-pptx", "Pillow"):
        assert tool[name] not in ("", "not installed"), name
    assert tool["fontpkg-atkinson-hyperlegible"] != "not installed"


@pytest.mark.parametrize("damage", ["delete", "edit", "same-size-edit"])
def test_a_deleted_or_edited_output_rebuilds(project: Path, damage: str) -> None:
    build(project)
    target = project / "output" / DECK
    original = target.read_bytes()
    if damage == "delete":
        target.unlink()
    elif damage == "edit":
        target.write_bytes(original + b"\n")
    else:
        target.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    assert verbs(build(project)) == WROTE
    assert target.read_bytes() == original


def test_a_damaged_stamp_rebuilds(project: Path) -> None:
    build(project)
    (project / "output" / cache.STAMP_NAME).write_text("{not json")
    assert verbs(build(project)) == WROTE
    assert verbs(build(project)) == FRESH


def test_a_failed_build_never_looks_up_to_date(project: Path) -> None:
    content = project / "content.yaml"
    good = content.read_text()
    content.write_text(good.replace("sites: [fingers", "sites: [fingerz"))
    for _ in range(2):
        result = CliRunner().invoke(cli, ["build", str(content)])
        assert result.exit_code == 1
        assert "unknown body site 'fingerz'" in result.stderr
    assert not (project / "output" / cache.STAMP_NAME).exists()
    content.write_text(good)
    assert verbs(build(project)) == WROTE
    content.write_text(good.replace("sites: [fingers", "sites: [fingerz"))
    assert CliRunner().invoke(cli, ["build", str(content)]).exit_code == 1


def test_the_stamp_is_written_after_the_outputs_and_describes_them(project: Path) -> None:
    build(project)
    out = project / "output"
    record = cache.read_record(out)
    for name, filename in (("leaflet", LEAFLET), ("leaflet-large", LARGE), ("deck", DECK)):
        entry = record.entries[f"calcinosis-cutis/{name}"]
        assert entry.filename == filename
        assert entry.sha256 == cache.file_digest(out / filename)
        assert entry.size == (out / filename).stat().st_size
        assert entry.inputs["assets"] == {
            "assets/logo.png": cache.file_digest(project / "assets" / "logo.png")
        }
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_failed_render_leaves_outputs_and_stamp_alone(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(project)
    out = project / "output"
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def refuse(edition: Edition, options: Options) -> Rendered:
        raise LeafletError("cannot fit")

    monkeypatch.setitem(RENDERERS, "deck", Renderer("deck", refuse))
    result = CliRunner().invoke(cli, ["build", str(project / "content.yaml"), "--force"])
    assert result.exit_code == 1 and "cannot fit" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_failed_gate_discards_the_renders(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import leaflet.checks

    def refuse(content: Path, strict: bool = False, **_: object) -> None:
        raise LeafletError("1 check failed; nothing was built")

    monkeypatch.setattr(leaflet.checks, "gate_build", refuse)
    result = CliRunner().invoke(cli, ["build", str(project / "content.yaml")])
    assert result.exit_code == 1
    assert result.stderr == "error: 1 check failed; nothing was built\n"
    assert not (project / "output").exists()
