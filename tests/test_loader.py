"""What a content author sees when content.yaml is wrong: one exact message per problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from leaflet.cli import cli
from leaflet.errors import ContentError
from leaflet.loader import load_text

CASES = Path(__file__).parent / "cases" / "bad"
BAD = sorted(CASES.glob("*.yaml"))


def test_there_are_bad_cases() -> None:
    assert len(BAD) >= 25


@pytest.mark.parametrize("case", BAD, ids=[p.stem for p in BAD])
def test_bad_content_gives_its_exact_message_and_exit_1(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(case.parent)  # messages name the file as it was given
    result = CliRunner().invoke(cli, ["check", case.name])
    assert result.exit_code == 1, result.output
    assert result.stderr == case.with_suffix(".expected").read_text()
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("value", "meaning"),
    [("no", "no"), ("012", "012"), ("1.10", "1.10"), ("on", "on"), ("0x1F", "0x1F"), ("~", None)],
)
def test_yaml_does_not_change_the_meaning_of_values(value: str, meaning: str | None) -> None:
    from leaflet.loader import parse_yaml

    assert parse_yaml(f"a: {value}\n").data == {"a": meaning}


def test_version_keeps_its_trailing_zero(document: object) -> None:
    text = (Path(__file__).parent.parent / "leaflet/data/starter.yaml").read_text()
    doc = load_text(text.replace('version: "0.1"', "version: 1.10"))
    assert doc.meta.version == "1.10"


def test_plain_scalar_that_looks_like_a_boolean_stays_text() -> None:
    text = (Path(__file__).parent.parent / "leaflet/data/starter.yaml").read_text()
    doc = load_text(text.replace("name: Your name", "name: no"))
    assert doc.meta.authors[0].name == "no"


def test_every_problem_is_reported_at_once() -> None:
    text = (CASES / "several-problems.yaml").read_text()
    with pytest.raises(ContentError) as info:
        load_text(text, "x.yaml")
    assert [(p.line, p.column) for p in info.value.problems] == [(25, 3), (26, 3)]


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(ContentError) as info:
        load_text("a: " + "[" * 40 + "]" * 40 + "\n")
    assert "nested more than 12 levels deep" in str(info.value)


def test_missing_file_says_how_to_start(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", str(tmp_path / "content.yaml")])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{tmp_path / 'content.yaml'}: not found (run `leaflet init` to start a content file)"
    )


def test_file_that_is_not_utf8_names_its_place(tmp_path: Path) -> None:
    path = tmp_path / "content.yaml"
    path.write_bytes(b"meta:\n  slug: caf\xe9\n")
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}:2:12: is not UTF-8 text (save it as UTF-8 in your editor)"
    )


def test_missing_logo_names_the_field(project: Path) -> None:
    (project / "assets" / "logo.png").unlink()
    result = CliRunner().invoke(cli, ["check", str(project / "content.yaml")])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{project / 'content.yaml'}:22:11: meta.organisation.logo: 'assets/logo.png' does not"
        " exist (put the file in the project folder)"
    )


def test_logo_outside_the_project_is_refused(project: Path) -> None:
    text = (project / "content.yaml").read_text().replace("assets/logo.png", "../logo.png")
    (project / "content.yaml").write_text(text)
    result = CliRunner().invoke(cli, ["check", str(project / "content.yaml")])
    assert result.exit_code == 1
    assert "meta.organisation.logo: '../logo.png' leads outside the project folder" in (
        result.stderr
    )


def test_a_text_file_named_png_is_refused(project: Path) -> None:
    (project / "assets" / "logo.png").write_text("not an image")
    result = CliRunner().invoke(cli, ["check", str(project / "content.yaml")])
    assert result.exit_code == 1
    assert "'assets/logo.png' is not a PNG or JPEG image (convert it to PNG)" in result.stderr


def test_a_build_decodes_the_logo_once_to_check_it_and_again_when_it_changes(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    from leaflet import assets
    from leaflet.build import build
    from leaflet.checks.run import run_checks

    decoded: list[tuple[int, int]] = []
    real = assets.open_image

    def counting(relative: str, data: bytes) -> Any:
        image = real(relative, data)
        decoded.append(image.size)
        return image

    monkeypatch.setattr(assets, "open_image", counting)
    logo, content = project / "assets" / "logo.png", project / "content.yaml"
    seen = []
    # sizes no other test uses, so nothing decoded earlier in this process is reused
    for size in [(311, 97), (97, 311)]:
        Image.new("RGB", size, (20, 90, 160)).save(logo)
        decoded.clear()
        build(content, project / "output", force=True, strict=False)
        # the loader and every gate share one decoding; both renderers share a second
        assert decoded == [size, size]
        report = run_checks(content)
        seen.append(report.document is not None and decoded == [size, size])
    assert seen == [True, True]


def test_a_colon_inside_unquoted_text_says_to_quote_it() -> None:
    from tests.conftest import CONTENT

    text = CONTENT.read_text().replace(
        "patient: What are calcium deposits?", "patient: Note: what are calcium deposits?", 1
    )
    with pytest.raises(ContentError) as caught:
        load_text(text)
    assert str(caught.value) == (
        "content.yaml:39:20: YAML syntax error: mapping values are not allowed here (the text"
        " after 'patient:' holds ': ', which YAML reads as another key; put the text in double"
        ' quotes: patient: "Note: what are calcium depo…")'
    )


def test_a_missing_file_is_named_with_its_folder(tmp_path: Path) -> None:
    missing = tmp_path / "topics" / "missing.yaml"
    result = CliRunner().invoke(cli, ["check", str(missing)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{missing}: not found")
