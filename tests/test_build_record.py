"""The build record and the writer: keyed by topic and edition, untrusted, locked, all or none."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from leaflet import cache
from leaflet.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CONTENT_TEXT = (ROOT / "content.yaml").read_text()
OUTPUTS = [
    "calcinosis-cutis-deck.pptx",
    "calcinosis-cutis-leaflet-large.pdf",
    "calcinosis-cutis-leaflet.pdf",
    "calcinosis-cutis-web.html",
]


def run(*args: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout.splitlines(), result.stderr


def verbs(lines: list[str]) -> list[str]:
    return ["up to date" if line.startswith("up to date: ") else line.split()[0] for line in lines]


def second_topic(project: Path, slug: str = "second-topic") -> Path:
    """Another content file in the same project, building into the same output folder."""
    text = (project / "content.yaml").read_text()
    other = project / f"{slug}.yaml"
    other.write_text(text.replace("slug: calcinosis-cutis", f"slug: {slug}", 1))
    return other


def outputs(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


# ---- keyed by topic and edition ------------------------------------------------------------


def test_two_topics_build_into_one_folder_without_rebuilding_each_other(project: Path) -> None:
    a, b = project / "content.yaml", second_topic(project)
    assert verbs(run("build", str(a))[1]) == ["wrote"] * 4
    assert verbs(run("build", str(b))[1]) == ["wrote"] * 4
    code, lines, _ = run("build", str(a))
    assert code == 0 and verbs(lines) == ["up to date"] * 4
    assert verbs(run("build", str(b))[1]) == ["up to date"] * 4
    entries = cache.read_record(project / "output").entries
    assert sorted(entries) == [
        f"{slug}/{edition}"
        for slug in ("calcinosis-cutis", "second-topic")
        for edition in ("deck", "leaflet", "leaflet-large", "web")
    ]


def test_only_one_edition_then_a_full_build_builds_the_rest(project: Path) -> None:
    content = str(project / "content.yaml")
    assert verbs(run("build", content, "--only", "deck")[1]) == ["wrote"]
    assert verbs(run("build", content)[1]) == ["wrote"] * 4
    assert verbs(run("build", content, "--only", "leaflet-large")[1]) == ["up to date"]


def test_the_editions_the_content_asks_for_are_what_is_built(project: Path) -> None:
    content = project / "content.yaml"
    text = content.read_text()
    content.write_text(
        text.replace("slug: calcinosis-cutis", "slug: calcinosis-cutis\n  # editions below", 1)
        + "editions: [deck, leaflet-large]\n"
    )
    code, lines, err = run("build", str(content))
    assert code == 0, err
    assert [Path(line.split()[1]).name for line in lines] == [
        "calcinosis-cutis-deck.pptx",
        "calcinosis-cutis-leaflet-large.pdf",
    ]
    assert verbs(run("build", str(content))[1]) == ["up to date"] * 2


# ---- the record is untrusted input ----------------------------------------------------------


def _record_with(out: Path, body: Any, key: bytes | None = None) -> None:
    text = json.dumps(body, sort_keys=True, indent=1)
    mac = cache._mac(text.encode(), key) if key else "0" * 64
    (out / cache.STAMP_NAME).write_text(
        json.dumps({"format": cache.STAMP_FORMAT, "body": text, "mac": mac})
    )


def test_a_record_from_a_pull_request_never_vouches_for_its_outputs(project: Path) -> None:
    """A record made with another machine's key (or none), plus chosen outputs: rebuilt, gated."""
    content = str(project / "content.yaml")
    run("build", content)
    out = project / "output"
    record = json.loads((out / cache.STAMP_NAME).read_text())
    body = json.loads(record["body"])
    for name in OUTPUTS:
        (out / name).write_bytes(b"attacker's file")
    for key, entry in body["outputs"].items():
        entry["sha256"] = cache.hashlib.sha256(b"attacker's file").hexdigest()
        entry["size"] = len(b"attacker's file")
        assert key.startswith("calcinosis-cutis/")
    for forged in (os.urandom(32), None):
        _record_with(out, body, forged)
        code, lines, _ = run("build", content)
        assert code == 0 and verbs(lines) == ["wrote"] * 4
        assert all((out / name).read_bytes() != b"attacker's file" for name in OUTPUTS)
        for name in OUTPUTS:
            (out / name).write_bytes(b"attacker's file")


BAD_RECORDS: list[tuple[str, bytes]] = [
    ("empty", b""),
    ("not-json", b"{"),
    ("a-list", b"[]"),
    ("deep-nesting", b"[" * 100_000 + b"]" * 100_000),
    ("huge", b'{"format": 2, "body": "' + b"x" * (cache.MAX_RECORD_BYTES + 1) + b'"}'),
    ("format-1", json.dumps({"format": 1, "outputs": {}}).encode()),
    ("body-not-text", json.dumps({"format": 2, "body": {}, "mac": ""}).encode()),
    ("mac-a-number", json.dumps({"format": 2, "body": "{}", "mac": 5}).encode()),
    ("latin-1", '{"format": 2, "body": "é", "mac": ""}'.encode("latin-1")),
]


@pytest.mark.parametrize(("name", "raw"), BAD_RECORDS, ids=[n for n, _ in BAD_RECORDS])
def test_a_record_of_any_wrong_shape_means_rebuild(project: Path, name: str, raw: bytes) -> None:
    out = project / "output"
    out.mkdir()
    (out / cache.STAMP_NAME).write_bytes(raw)
    code, lines, err = run("build", str(project / "content.yaml"))
    assert (code, err) == (0, "")
    assert verbs(lines) == ["wrote"] * 4
    assert verbs(run("build", str(project / "content.yaml"))[1]) == ["up to date"] * 4


BAD_BODIES: list[tuple[str, Any]] = [
    ("outputs-a-list", {"outputs": [], "sources": {}}),
    ("extra-key", {"outputs": {}, "sources": {}, "trust": True}),
    ("key-without-edition", {"outputs": {"calcinosis-cutis": {}}, "sources": {}}),
    ("size-a-string", "size"),
    ("file-outside-the-folder", "filename"),
    ("file-of-another-topic", "other-topic"),
    ("sha-not-hex", "sha256"),
    ("editions-not-a-list", "sources"),
]


@pytest.mark.parametrize(("name", "bad"), BAD_BODIES, ids=[n for n, _ in BAD_BODIES])
def test_a_correctly_signed_record_of_the_wrong_shape_is_ignored(
    project: Path, name: str, bad: Any
) -> None:
    """Even a record bound by this machine's key must have exactly the shape the tool writes."""
    content = str(project / "content.yaml")
    run("build", content)
    out = project / "output"
    body = json.loads(json.loads((out / cache.STAMP_NAME).read_text())["body"])
    entry = body["outputs"]["calcinosis-cutis/leaflet"]
    if isinstance(bad, dict):
        body = bad
    elif bad == "size":
        entry["size"] = str(entry["size"])
    elif bad == "filename":
        entry["filename"] = "../../etc/passwd"
    elif bad == "other-topic":
        entry["filename"] = "other-topic-leaflet.pdf"
    elif bad == "sha256":
        entry["sha256"] = "Z" * 64
    elif bad == "sources":
        body["sources"] = {k: "leaflet" for k in body["sources"]}
    key = cache.record_key()
    assert key is not None
    _record_with(out, body, key)
    assert cache.read_record(out) == cache.EMPTY
    code, lines, err = run("build", content)
    assert (code, err) == (0, "")
    assert "wrote" in verbs(lines)


def test_force_writes_a_clean_record(project: Path) -> None:
    out = project / "output"
    out.mkdir()
    (out / cache.STAMP_NAME).write_bytes(b"[" * 1000)
    assert run("build", str(project / "content.yaml"), "--force")[0] == 0
    record = cache.read_record(out)
    assert sorted(e.filename for e in record.entries.values()) == OUTPUTS


def test_the_record_reader_never_raises_on_random_bytes() -> None:
    import random

    rng = random.Random(7)
    key = b"k" * 32
    for _ in range(500):
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(64)))
        assert cache.parse_record(raw, key) == cache.EMPTY


# ---- the output folder ------------------------------------------------------------------


def test_an_output_folder_linking_out_of_the_project_is_refused(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / "output").symlink_to(elsewhere)
    code, lines, err = run("build", str(project / "content.yaml"))
    assert code == 1 and lines == []
    assert err == (
        f"error: {project / 'output'}: is a link to {elsewhere.resolve()}, outside the project"
        " folder (remove the link; to write elsewhere on purpose, name the folder with --out)\n"
    )
    assert list(elsewhere.iterdir()) == []
    # named by the user, it may be anywhere
    code, _, err = run("build", str(project / "content.yaml"), "--out", str(elsewhere))
    assert (code, err) == (0, "")


def test_an_output_that_is_a_file_says_so(project: Path) -> None:
    (project / "output").write_bytes(b"a file")
    code, _, err = run("build", str(project / "content.yaml"))
    assert code == 1
    assert err == (
        f"error: {project / 'output'}: is a file, not a folder (remove it, or choose another"
        " folder with --out)\n"
    )
    assert (project / "output").read_bytes() == b"a file"


# ---- all or none -------------------------------------------------------------------------


@pytest.mark.parametrize("failing", [1, 2, 3, 4])
def test_a_failure_at_any_rename_puts_every_output_back(
    project: Path, monkeypatch: pytest.MonkeyPatch, failing: int
) -> None:
    """The 1st..3rd output or the record (4th) fails to go in: every earlier file is as it was."""
    import leaflet.build

    content = str(project / "content.yaml")
    run("build", content, "--paper", "letter")
    out = project / "output"
    before = outputs(out)
    real = os.replace
    calls = []

    def replace(src: Any, dst: Any) -> None:
        if str(src).endswith(".new"):
            calls.append(dst)
            if len(calls) == failing:
                raise OSError(28, "No space left on device", str(dst))
        real(src, dst)

    monkeypatch.setattr(leaflet.build.os, "replace", replace)
    code, _, err = run("build", content)
    assert code == 1 and "is full" in err
    assert outputs(out) == before
    assert not list(project.glob(".output.leaflet-staging*"))


def test_a_failure_removes_outputs_that_did_not_exist_before(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import leaflet.build

    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        if str(dst).endswith(".pptx"):
            raise OSError(5, "Input/output error", str(dst))
        real(src, dst)

    monkeypatch.setattr(leaflet.build.os, "replace", replace)
    code, _, err = run("build", str(project / "content.yaml"))
    out = project / "output"
    assert code == 1
    assert err == (
        f"error: cannot write {out / 'calcinosis-cutis-deck.pptx'}: Input/output error;"
        " nothing was changed\n"
    )
    assert list(out.iterdir()) == []


def test_a_folder_where_an_output_goes_is_named(project: Path) -> None:
    (project / "output" / "calcinosis-cutis-deck.pptx").mkdir(parents=True)
    code, _, err = run("build", str(project / "content.yaml"))
    assert code == 1
    target = project / "output" / "calcinosis-cutis-deck.pptx"
    assert err == f"error: cannot write {target}: a folder of that name is in the way (remove it)\n"
    assert sorted(p.name for p in (project / "output").iterdir()) == [target.name]


# ---- parallel builds ---------------------------------------------------------------------

_PARALLEL = """
import sys
from pathlib import Path
from leaflet.build import build
build(Path(sys.argv[1]), force=True, only=["deck"])
"""


def _parallel(project: Path, count: int) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _PARALLEL, str(project / "content.yaml")],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    errors = [(p.wait(), p.stderr.read() if p.stderr else "") for p in procs]
    for proc in procs:
        if proc.stderr:
            proc.stderr.close()
    assert errors == [(0, "")] * count
    out = project / "output"
    assert sorted(p.name for p in out.iterdir()) == [cache.STAMP_NAME, OUTPUTS[0]]
    record = cache.read_record(out)
    assert record.entries["calcinosis-cutis/deck"].sha256 == cache.file_digest(out / OUTPUTS[0])
    assert not list(project.glob(".output.leaflet-staging*"))


def test_builds_of_one_project_at_once_all_succeed_whole(project: Path) -> None:
    _parallel(project, 6)


@pytest.mark.slow
def test_forty_builds_at_once_all_succeed_whole(project: Path) -> None:
    _parallel(project, 40)


# ---- links a pull request can commit (found in review) -----------------------------------


def test_a_content_file_that_is_a_link_loop_is_a_message(project: Path) -> None:
    (project / "b.yaml").symlink_to(project / "a.yaml")
    (project / "a.yaml").symlink_to(project / "b.yaml")
    code, _, err = run("build", str(project / "a.yaml"))
    assert code == 1
    assert f"{project / 'a.yaml'}: is a link that loops back on itself" in err


def test_an_output_folder_that_loops_is_a_message(project: Path) -> None:
    (project / "output").symlink_to(project / "output")
    code, _, err = run("build", str(project / "content.yaml"))
    assert (code, err) == (
        1,
        f"error: {project / 'output'}: is a link that loops back on itself (remove the link)\n",
    )


def _library(tmp_path: Path) -> Path:
    import shutil

    library = tmp_path / "library"
    shutil.copytree(ROOT / "examples", library, ignore=shutil.ignore_patterns("output"))
    return library


def test_a_librarys_output_linking_out_is_refused(tmp_path: Path) -> None:
    library = _library(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (library / "output").symlink_to(elsewhere)
    code, _, err = run("build", str(library), "--only", "deck", "--jobs", "1")
    assert code == 1
    assert "is a link to" in err and "outside the project folder" in err
    assert list(elsewhere.iterdir()) == []


def test_a_topic_folder_linking_out_is_refused_and_named(tmp_path: Path) -> None:
    library = _library(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "content.yaml").write_text(CONTENT_TEXT.replace("calcinosis-cutis", "evil", 1))
    (library / "topics" / "evil").symlink_to(outside)
    code, _, err = run("build", str(library), "--only", "deck", "--jobs", "1")
    assert code == 1
    assert f"{library / 'topics' / 'evil'}: is a link" in err
    assert not list((library / "output").glob("evil-*"))


def test_a_project_file_that_is_a_link_is_refused(tmp_path: Path) -> None:
    library = _library(tmp_path)
    real = library / "leaflet.toml"
    moved = tmp_path / "shared.toml"
    real.rename(moved)
    real.symlink_to(moved)
    code, _, err = run("build", str(library), "--only", "deck", "--jobs", "1")
    assert code == 1
    assert "leaflet.toml: is a link" in err
