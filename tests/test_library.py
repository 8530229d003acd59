"""A content library: the project file and what topics inherit, building many topics at once,
shards, the catalogue, and checking a library."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from leaflet import cache
from leaflet.cli import cli
from leaflet.errors import ContentError
from leaflet.library import load_library, select, shard_of, toml_marks
from leaflet.loader import load_located

ROOT = Path(__file__).resolve().parent.parent

PROJECT = """\
title = "Riverside Skin Clinic: patient information"
editions = ["deck"]

[organisation]
name = "Riverside Skin Clinic"
phone = "01632 960 123"
website = "https://skin.example.org"
logo = "assets/logo.png"
"""


def topic_text(title: str = "Calcium deposits under the skin", slug: bool = False) -> str:
    """The shipped content without what the project file gives (organisation, slug)."""
    text = (ROOT / "content.yaml").read_text()
    text = re.sub(r"  organisation:\n(    .*\n)+", "", text)
    if not slug:
        text = text.replace("  slug: calcinosis-cutis\n", "")
    return text.replace("patient: Calcium deposits under the skin", f"patient: {title}", 1)


def make_library(root: Path, slugs: tuple[str, ...] = ("alpha", "beta", "gamma")) -> Path:
    (root / "assets").mkdir(parents=True)
    shutil.copy(ROOT / "assets" / "logo.png", root / "assets" / "logo.png")
    (root / "leaflet.toml").write_text(PROJECT)
    for slug in slugs:
        folder = root / "topics" / slug
        folder.mkdir(parents=True)
        (folder / "content.yaml").write_text(topic_text(f"Topic {slug}"))
    return root


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return make_library(tmp_path / "lib")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_library(root)
    return caught.value.lines()


# ---- the project file and what topics inherit ------------------------------------------------


def test_a_topic_inherits_what_it_leaves_out_and_its_own_value_wins(library: Path) -> None:
    own = library / "topics" / "beta" / "content.yaml"
    own.write_text(
        own.read_text().replace(
            "  authors:\n", "  organisation:\n    phone: 01632 960 999\n  authors:\n", 1
        )
    )
    lib = load_library(library)
    alpha, beta = lib.topic("alpha"), lib.topic("beta")
    a = load_located(alpha.content, lib.defaults(alpha))[0]
    b = load_located(beta.content, lib.defaults(beta))[0]
    assert a.meta.slug == "alpha" and b.meta.slug == "beta"
    assert a.meta.organisation.phone == "01632 960 123"
    assert b.meta.organisation.phone == "01632 960 999"  # the topic's own
    assert b.meta.organisation.name == "Riverside Skin Clinic"  # the rest merged in
    assert a.editions == b.editions == ["deck"]
    assert a.meta.organisation.logo == "assets/logo.png"


def test_problems_in_the_project_file_name_its_lines_and_columns(library: Path) -> None:
    (library / "leaflet.toml").write_text(
        'title = "Riverside"\ncolour = "blue"\n\n[organisation]\nname = "Riverside"\n'
        'phone = 1632\nwebsite = "ftp://skin.example.org"\nphon = "1"\n'
        '[theme]\nprimary = "blue"\n'
    )
    name = str(library / "leaflet.toml")
    lines = problems(library)
    assert lines == [
        f"{name}:2:1: colour: unknown key 'colour' (allowed: title, output, editions, paper,"
        " licence, organisation, theme)",
        f"{name}:6:9: organisation.phone: expected text in quotes, got 1632",
        f"2 problems in {name}; nothing was built.",
    ]
    (library / "leaflet.toml").write_text(
        '[organisation]\nname = "Riverside"\nwebsite = "ftp://x.example.org"\nphon = "1"\n'
    )
    assert problems(library) == [
        f"{name}:3:11: organisation.website: 'ftp://x.example.org' is not a web address"
        " (start it with https://)",
        f"{name}:4:1: organisation.phon: unknown key 'phon' (did you mean 'phone'?)",
        f"2 problems in {name}; nothing was built.",
    ]


def test_a_toml_syntax_error_names_its_place(library: Path) -> None:
    (library / "leaflet.toml").write_text('title = "x"\neditions = [\n"deck"\n[theme]\n')
    lines = problems(library)
    assert re.match(rf"{re.escape(str(library / 'leaflet.toml'))}:4:1: TOML syntax error", lines[0])


def test_a_value_missing_from_both_names_the_project_table_and_topic_errors_the_topic(
    library: Path,
) -> None:
    (library / "leaflet.toml").write_text(PROJECT.replace('phone = "01632 960 123"\n', ""))
    topic = library / "topics" / "alpha" / "content.yaml"
    topic.write_text(topic.read_text().replace('version: "1.0"', "version: 1.x"))
    code, _, err = run("build", str(library), "--topic", "alpha", "-j", "1")
    assert code == 1
    project = str(library / "leaflet.toml")
    assert f"  {project}:4:1: organisation: 'phone' is required here (add `phone = …` here," in err
    line = next(n for n, t in enumerate(topic.read_text().splitlines(), 1) if "version:" in t)
    assert f"  {topic}:{line}:12: meta.version: '1.x' is not a version number" in err


def test_toml_marks_place_tables_dotted_keys_inline_tables_and_arrays() -> None:
    text = (
        'title = "x"  # a comment\n'
        "editions = [\n  'deck',\n  \"leaflet\",\n]\n"
        "[organisation]\n"
        'name.first = "a"\n'
        'logo = { path = "p", alt = "q" }\n'
        '"quoted key" = """multi\nline"""\n'
        'after = "z"\n'
    )
    values, keys = toml_marks(text)
    assert values[("title",)] == (1, 9)
    assert values[("editions", 0)] == (3, 3) and values[("editions", 1)] == (4, 3)
    assert keys[("organisation", "name", "first")] == (7, 6)
    assert values[("organisation", "logo", "alt")] == (8, 28)
    assert keys[("organisation", "quoted key")] == (9, 1)
    assert values[("organisation", "after")] == (11, 9)


# ---- building a library ----------------------------------------------------------------------


def test_a_failing_topic_does_not_stop_the_others_and_the_summary_names_its_place(
    library: Path,
) -> None:
    bad = library / "topics" / "beta" / "content.yaml"
    bad.write_text(bad.read_text().replace("  reviewed: 2026-11-24", "  reviewed: soon"))
    (library / "topics" / "No_Slug").mkdir()
    code, out, err = run("build", str(library), "-j", "2")
    assert code == 1
    names = sorted(p.name for p in (library / "output").iterdir() if not p.name.startswith("."))
    assert names == [
        "alpha-catalogue.json",
        "alpha-deck.pptx",
        "catalogue.json",
        "gamma-catalogue.json",
        "gamma-deck.pptx",
        "index.html",
    ]
    line = next(n for n, t in enumerate(bad.read_text().splitlines(), 1) if "reviewed:" in t)
    assert "2 of 4 topics failed:" in err
    assert f"  {bad}:{line}:13: meta.reviewed: expected a date written YYYY-MM-DD" in err
    assert f"{library / 'topics' / 'No_Slug'}: the folder name is not a slug" in err
    assert out.splitlines()[-2] == (
        "4 topics: 2 rebuilt (alpha, gamma); 0 up to date; 2 failed (No_Slug, beta)"
    )


def test_an_unchanged_library_rebuilds_nothing_and_an_edited_topic_rebuilds_alone(
    library: Path,
) -> None:
    assert run("build", str(library), "-j", "2")[0] == 0
    code, out, _ = run("build", str(library), "-j", "2")
    assert code == 0
    *files, summary, catalogue = out.splitlines()
    assert len(files) == 6 and all(line.startswith("up to date: ") for line in files)
    assert summary == "3 topics: 0 rebuilt; 3 up to date"
    assert catalogue.startswith("up to date: ")
    topic = library / "topics" / "beta" / "content.yaml"
    topic.write_text(topic.read_text().replace('version: "1.0"', 'version: "1.1"'))
    code, out, _ = run("build", str(library))
    assert code == 0 and "3 topics: 1 rebuilt (beta); 2 up to date" in out
    assert f"wrote {library / 'output' / 'beta-deck.pptx'}" in out
    # The project file is an input of every topic.
    (library / "leaflet.toml").write_text(PROJECT.replace("960 123", "960 124"))
    assert "3 topics: 3 rebuilt" in run("build", str(library))[1]


def test_plain_output_without_a_terminal_is_one_line_per_file(library: Path) -> None:
    code, out, err = run("build", str(library), "--topic", "alpha", "--topic", "gamma")
    assert code == 0 and err == ""
    output = library / "output"
    lines = out.splitlines()
    assert sorted(line.split(" (")[0] for line in lines[:4]) == [
        f"wrote {output / name}"
        for name in (
            "alpha-catalogue.json",
            "alpha-deck.pptx",
            "gamma-catalogue.json",
            "gamma-deck.pptx",
        )
    ]
    assert lines[4:] == [
        "2 topics: 2 rebuilt (alpha, gamma); 0 up to date",
        f"wrote {output / 'index.html'} and catalogue.json (2 topics)",
    ]
    assert "\r" not in out + err


def test_a_terminal_gets_one_redrawn_progress_line_instead(library: Path) -> None:
    import pty

    leader, follower = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "leaflet", "build", str(library), "-j", "2"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=follower,
    ) as process:
        os.close(follower)
        seen = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            seen += chunk
        out = process.communicate()[0].decode()
    os.close(leader)
    assert process.returncode == 0
    shown = seen.decode()
    assert "[" + "#" * 24 + "] 3/3 topics" in shown
    assert shown.count("\r") >= 3 and "wrote" not in shown
    assert "3 topics: 3 rebuilt" in out


def test_two_library_builds_at_once_leave_whole_outputs_and_one_record(library: Path) -> None:
    command = [sys.executable, "-m", "leaflet", "build", str(library), "-j", "2"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in "ab"]
    for process in runs:
        _, err = process.communicate()
        assert process.returncode == 0, err.decode()
    out = library / "output"
    entries = cache.read_record(out).entries
    assert sorted(entries) == [
        f"{slug}/{edition}"
        for slug in ("alpha", "beta", "gamma")
        for edition in ("catalogue", "deck")
    ]
    for entry in entries.values():
        assert cache.file_digest(out / entry.filename, entry.size) == entry.sha256
    assert not [p for p in out.parent.iterdir() if "staging" in p.name]
    # a later run of the command, as a user would make it (a process of its own, not this
    # test process, whose state other tests have changed)
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "0 rebuilt; 3 up to date" in again.stdout, again.stdout


# ---- shards and the catalogue ----------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5])
def test_shards_cover_every_topic_exactly_once(tmp_path: Path, count: int) -> None:
    slugs = tuple(f"topic-{i}" for i in range(23))
    root = tmp_path / "lib"
    (root / "topics").mkdir(parents=True)
    (root / "leaflet.toml").write_text('title = "x"\n')
    for slug in slugs:
        (root / "topics" / slug).mkdir()
    lib = load_library(root)
    shares = [[t.slug for t in select(lib, shard=(k, count))] for k in range(1, count + 1)]
    assert sorted(s for share in shares for s in share) == sorted(slugs)
    assert all(shard_of(s, count) == k for k, share in enumerate(shares) for s in share)


def test_the_shard_of_a_slug_is_the_same_on_any_machine(library: Path) -> None:
    # sha256 of the slug: no process's hash seed, no order of discovery
    assert [shard_of(s, 3) for s in ("gout", "psoriasis", "calcinosis-cutis")] == [0, 0, 2]
    code, _, err = run("build", str(library), "--shard", "4/3")
    assert code == 2 and "K must be between 1 and N" in err


def test_shards_built_apart_merge_into_one_catalogue(library: Path, tmp_path: Path) -> None:
    merged = tmp_path / "merged"
    merged.mkdir()
    for k in (1, 2, 3):
        out = tmp_path / f"shard-{k}"
        code, lines, _ = run("build", str(library), "--shard", f"{k}/3", "--out", str(out))
        assert code == 0 and "run: leaflet catalogue" in lines
        if out.exists():
            assert not (out / "index.html").exists()
            for path in out.iterdir():
                if not path.name.startswith("."):
                    shutil.copy(path, merged / path.name)
    code, _, err = run("catalogue", str(library), "--out", str(merged / "nope"))
    assert code == 1 and "3 topics not in" in err and "alpha, beta, gamma" in err
    code, lines, _ = run("catalogue", str(library), "--out", str(merged))
    assert code == 0, lines
    data = json.loads((merged / "catalogue.json").read_text())
    assert data["schema"] == "leaflet-catalogue/1"
    assert [t["slug"] for t in data["topics"]] == ["alpha", "beta", "gamma"]
    deck = data["topics"][0]["editions"][0]
    assert deck["id"] == "deck" and deck["file"] == "alpha-deck.pptx"
    assert deck["bytes"] == (merged / "alpha-deck.pptx").stat().st_size


def test_the_catalogue_lists_each_topic_with_its_editions_versions_and_review_dates(
    library: Path,
) -> None:
    (library / "leaflet.toml").write_text(PROJECT.replace("patient information", "<Skin & hair>"))
    assert run("build", str(library))[0] == 0
    out = library / "output"
    data = json.loads((out / "catalogue.json").read_text())
    assert data["title"] == "Riverside Skin Clinic: <Skin & hair>"
    alpha = data["topics"][0]
    assert {k: alpha[k] for k in ("slug", "version", "reviewed", "next_review", "language")} == {
        "slug": "alpha",
        "version": "1.0",
        "reviewed": "2026-11-24",
        "next_review": "2027-11-24",
        "language": "en-GB",
    }
    assert alpha["title"] == {"patient": "Topic alpha", "clinician": "Calcinosis cutis"}
    page = (out / "index.html").read_text()
    assert (
        page.count("<h1>") == 1
        and "<h1>Riverside Skin Clinic: &lt;Skin &amp; hair&gt;</h1>" in page
    )
    assert "<script" not in page and 'lang="en-GB"' in page
    assert page.count('<th scope="row"') == 3
    assert '<a href="alpha-deck.pptx">Slide deck for clinicians</a>' in page
    assert '<time datetime="2027-11-24">24 November 2027</time>' in page


def test_a_topic_entry_of_the_wrong_shape_is_ignored(library: Path) -> None:
    assert run("build", str(library))[0] == 0
    out = library / "output"
    (out / "alpha-catalogue.json").write_text('{"schema": "leaflet-topic/1", "slug": "<x>"}')
    code, lines, err = run("catalogue", str(library))
    assert code == 1 and f"ignored: {out / 'alpha-catalogue.json'}" in lines
    assert "1 topic not in" in err and "alpha" in err


# ---- checking a library ----------------------------------------------------------------------


def test_check_on_a_library_summarises_reviews_by_topic(
    library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from leaflet import clock

    monkeypatch.setattr(clock, "now", lambda: dt.date(2026, 12, 3))
    alpha = library / "topics" / "alpha" / "content.yaml"
    alpha.write_text(
        alpha.read_text().replace("next_review: 2027-11-24", "next_review: 2026-12-01")
    )
    beta = library / "topics" / "beta" / "content.yaml"
    beta.write_text(beta.read_text().replace("next_review: 2027-11-24", "next_review: 2027-01-10"))
    code, out, _ = run("check", str(library))
    assert code == 1  # an overdue review is an error
    lines = out.splitlines()
    assert lines[-5:] == [
        "Reviews on 2026-12-03 (3 topics):",
        "  OVERDUE  alpha: overdue: due 2026-12-01, 2 days ago",
        "  DUE SOON beta: due 2027-01-10, in 38 days",
        "  ok       gamma: due 2027-11-24, in 356 days",
        "3 topics: 1 failed; 1 reviews overdue, 1 due within 60 days",
    ]
    assert any(line.startswith(f"{alpha}:") and "governance-dates" in line for line in lines)
    code, out, _ = run("check", str(library), "--format", "json")
    data = json.loads(out)
    assert data["schema"] == "leaflet-library-check/1" and data["ok"] is False
    assert [t["review"]["status"] for t in data["topics"]] == ["overdue", "due", "ok"]
    assert [t["review"]["days"] for t in data["topics"]] == [-2, 38, 356]
    assert data["topics"][0]["report"]["file"] == str(alpha)
    code, out, _ = run("check", str(library), "--format", "github")
    assert f"::error file={alpha},title=review::overdue: due 2026-12-01, 2 days ago" in out


# ---- the examples library --------------------------------------------------------------------


def test_the_examples_library_passes_every_gate_strictly() -> None:
    code, out, _ = run("check", str(ROOT / "examples"), "--strict")
    assert code == 0, out
    assert out.splitlines()[-1] == "2 topics: 0 failed; 0 reviews overdue, 0 due within 60 days"


def test_the_examples_calcinosis_topic_is_the_shipped_content() -> None:
    from leaflet.loader import load

    lib = load_library(ROOT / "examples")
    topic = lib.topic("calcinosis-cutis")
    shipped = load(ROOT / "content.yaml")
    assert load_located(topic.content, lib.defaults(topic))[0] == shipped
    assert (ROOT / "examples/assets/logo.png").read_bytes() == (
        ROOT / "assets/logo.png"
    ).read_bytes()


def test_the_second_example_has_back_of_body_sites_and_no_types() -> None:
    from leaflet.sites import SITES

    lib = load_library(ROOT / "examples")
    topic = lib.topic("psoriasis")
    document = load_located(topic.content, lib.defaults(topic))[0]
    assert document.types == [] and document.meta.marker == "patch"
    assert any(SITES[site.id].back for site in document.sites)
    assert "calcinosis" not in topic.content.read_text().lower()
