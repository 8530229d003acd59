"""`leaflet check`: each gate fires on a small bad example, at its exact place, in every format."""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from leaflet import clock
from leaflet.checks import accessibility, run
from leaflet.checks.readability import measure, syllables
from leaflet.cli import cli

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: TODAY)
    monkeypatch.delenv("NO_COLOR", raising=False)


def edit(project: Path, old: str, new: str) -> str:
    """Replace text in the project's content.yaml; the new text."""
    content = project / "content.yaml"
    text = content.read_text()
    assert old in text, old
    text = text.replace(old, new, 1)
    content.write_text(text)
    return text


def place(text: str, needle: str, skip: int = 0) -> tuple[int, int]:
    """1-based (line, column) where needle starts, `skip` characters in."""
    offset = text.index(needle) + skip
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", str(project / "content.yaml"), *args])
    return result.exit_code, result.stdout


def findings(project: Path, *args: str) -> list[dict[str, object]]:
    code, out = check(project, "--format", "json", *args)
    data = json.loads(out)
    assert data["ok"] == (code == 0)
    return [f for f in data["findings"] if f["file"] == str(project / "content.yaml")]


# Each case: a small edit that breaks one gate, the place it is reported, and what is said.
Case = tuple[str, str, str, str, Callable[[str], tuple[int, int]], str, str]
CASES: list[Case] = [
    (
        "reading-level",
        "Women get these deposits more often than men.",
        "Epidemiological investigations demonstrate considerable predominance amongst"
        " postmenopausal individuals.",
        "error",
        lambda t: place(t, "id: who"),
        "sections[1]",
        "section 'who' reads at grade",
    ),
    (
        "long-sentence",
        "They are most common in",
        "They are most common in women who are in the middle part of their lives and who"
        " have had some trouble with their skin, and they are most common in",
        "warning",
        lambda t: place(t, ">-\n          Women get these"),
        "sections[1].paragraphs[0].patient",
        "has 35 words; the limit is 20",
    ),
    (
        "jargon",
        "The lumps are white.",
        "The lumps are white. A biopsy may be done.",
        "error",
        lambda t: place(t, ">-\n          The lumps are white."),
        "sections[0].paragraphs[1].patient",
        "'biopsy' is a medical word that this section does not explain",
    ),
    (
        "governance-contact",
        "phone: 01632 960 123",
        "phone: ask at reception",
        "error",
        lambda t: place(t, "ask at reception"),
        "meta.organisation.phone",
        "'ask at reception' is not a phone number patients can call",
    ),
    (
        "contrast",
        "sites: [fingers",
        "theme:\n  text: '#999999'\n\nsites: [fingers",
        "error",
        lambda t: place(t, "'#999999'"),
        "theme.text",
        "body text on the page: text #999999 on background #FFFFFF has contrast 2.85:1",
    ),
    (
        "alt-text",
        "logo_alt: Riverside Skin Clinic logo",
        "logo_alt: logo.png",
        "error",
        lambda t: place(t, "logo_alt: logo.png", 10),
        "meta.organisation.logo_alt",
        "the alt text 'logo.png' is a file name",
    ),
    (
        "site-consistency",
        "fingers, elbows, face and\n          shoulders.",
        "fingers, elbows, face, knees and\n          shoulders.",
        "error",
        lambda t: place(t, ">-\n          The lumps are most often found"),
        "sections[2].paragraphs[0].patient",
        "the text names the knees, but the diagram does not draw them",
    ),
    (
        "site-consistency",
        "sites: [fingers, elbows, face, shoulders]",
        "sites: [fingers, elbows, face, shoulders, toes]",
        "error",
        lambda t: place(t, "toes]"),
        "sites[4]",
        "the diagram draws the toes, but the patient text of section 'where' does not name",
    ),
    (
        "empty-section",
        """      - patient: >-
          Women get these deposits more often than men. They are most common in
          women aged 35 to 65.""",
        "      - patient: '** **'",
        "error",
        lambda t: place(t, "id: who"),
        "sections[1]",
        "section 'who' has a heading but nothing under it for patients",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] + str(i) for i, c in enumerate(CASES)])
def test_each_gate_fires_at_its_place_in_every_format(project: Path, case: Case) -> None:
    gate, old, new, severity, where, path, message = case
    text = edit(project, old, new)
    line, col = where(text)
    name = str(project / "content.yaml")

    found = [f for f in findings(project) if f["gate"] == gate and message in str(f["message"])]
    assert len(found) == 1, found
    assert (found[0]["line"], found[0]["column"], found[0]["path"]) == (line, col, path)
    assert found[0]["severity"] == severity
    assert message in str(found[0]["message"])
    assert found[0]["fix"]

    code, out = check(project)
    assert code == (1 if severity == "error" else 0)
    line_shown = f"{name}:{line}:{col}: {severity}: {path}: "
    shown = [x for x in out.splitlines() if x.startswith(line_shown) and message in x]
    assert len(shown) == 1 and shown[0].endswith(f"[{gate}]"), out

    code, out = check(project, "--format", "github")
    assert code == (1 if severity == "error" else 0)
    prefix = f"::{severity} file={name},line={line},col={col},title={gate}::{path}: "
    assert any(x.startswith(prefix) and message in x for x in out.splitlines()), out


def test_strict_makes_a_warning_fail(project: Path) -> None:
    edit(
        project,
        "The lumps are white.",
        "The lumps are white and they can be small or big and they can come and go on the"
        " skin of your hands.",
    )
    assert check(project)[0] == 0
    code, out = check(project, "--strict")
    assert code == 1
    assert "error: sections[0].paragraphs[1].patient: the sentence" in out
    assert out.splitlines()[-1].endswith("(--strict: warnings are errors)")


def test_the_shipped_content_passes_in_every_format() -> None:
    runner = CliRunner()
    for fmt in ("text", "json", "github"):
        result = runner.invoke(cli, ["check", "content.yaml", "--format", fmt])
        assert result.exit_code == 0, result.output
        assert "error" not in result.stdout.replace('"errors": 0', "")
    data = json.loads(runner.invoke(cli, ["check", "--format", "json"]).stdout)
    assert data["schema"] == "leaflet-check/1"
    assert data["counts"]["errors"] == 0
    grades = {g["section"]: g for g in data["reading"]}
    assert all(g["flesch_kincaid"] <= 6 for g in grades.values()), grades
    assert grades["overall"]["sentences"] >= 30


@pytest.mark.parametrize(
    ("today", "severity", "message"),
    [
        (dt.date(2027, 12, 1), "error", "the next review was due on 2027-11-24 (7 days ago)"),
        (dt.date(2027, 10, 25), "warning", "the next review is due on 2027-11-24, in 30 days"),
    ],
)
def test_review_dates_against_an_injected_today(
    project: Path, monkeypatch: pytest.MonkeyPatch, today: dt.date, severity: str, message: str
) -> None:
    monkeypatch.setattr(clock, "now", lambda: today)
    text = (project / "content.yaml").read_text()
    found = [f for f in findings(project) if f["gate"] == "governance-dates"]
    line, col = place(text, "2027-11-24")
    assert found == [
        {
            "gate": "governance-dates",
            "severity": severity,
            "file": str(project / "content.yaml"),
            "line": line,
            "column": col,
            "path": "meta.next_review",
            "message": found[0]["message"],
            "fix": found[0]["fix"],
        }
    ]
    assert str(found[0]["message"]).startswith(message)


def test_source_without_link_or_year_is_a_warning(project: Path) -> None:
    edit(project, "leaflet project, 2026.", "leaflet project.")
    text = (project / "content.yaml").read_text()
    found = [f for f in findings(project) if f["gate"] == "source-link"]
    line, col = place(text, ">-\n      Calcium deposits under the skin. Plain")
    assert [(f["path"], f["line"], f["column"], f["severity"]) for f in found] == [
        ("sources[0].citation", line, col, "warning")
    ]


def test_low_resolution_logo_is_a_warning(project: Path) -> None:
    Image.new("RGB", (100, 100), "white").save(project / "assets" / "logo.png")
    found = [f for f in findings(project) if f["gate"] == "image-resolution"]
    assert [f["message"] for f in found] == [
        "the logo is 100x100 pixels, 106 dpi at its printed size of 24 mm; print needs 300 dpi"
    ]
    assert found[0]["fix"] == "use an image at least 283x283 pixels"


def test_missing_asset_is_the_asset_gate_in_json_and_the_loader_message_in_text(
    project: Path,
) -> None:
    (project / "assets" / "logo.png").unlink()
    data = json.loads(check(project, "--format", "json")[1])
    assert [(f["gate"], f["path"], f["line"], f["column"]) for f in data["findings"]] == [
        ("asset", "meta.organisation.logo", 22, 11)
    ]
    result = CliRunner().invoke(cli, ["check", str(project / "content.yaml")])
    assert result.exit_code == 1
    assert "meta.organisation.logo: 'assets/logo.png' does not exist" in result.stderr


def test_small_renderer_type_is_found(monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    sizes = {c.name: c.size_pt for c in accessibility.renderer_sizes() if c.renderer == "leaflet"}
    assert sizes["body"] >= 12 and sizes["footer"] >= 9
    small = accessibility.SizeConstant("leaflet", "body", 10, Path("r.py"), 7, 3)
    monkeypatch.setattr(accessibility, "renderer_sizes", lambda: [small])
    code, out = check(project, "--format", "github")
    assert code == 1
    assert (
        "::error file=r.py,line=7,col=3,title=font-size::leaflet renderer: body: the leaflet"
        " draws body at 10 pt; at least 12 pt is readable" in out
    )


def test_a_small_size_in_the_type_scale_is_an_error_at_its_line(
    monkeypatch: pytest.MonkeyPatch, project: Path
) -> None:
    from leaflet.renderers.leaflet_pdf import typescale

    small = typescale.TypeScale("standard", body_pt=12.0, floor_pt=12.0, footer_pt=8.0)
    monkeypatch.setattr(typescale, "FOOTER", typescale.Ratio(0.6, 1.0))
    monkeypatch.setitem(typescale.SCALES, "standard", small)
    code, out = check(project, "--format", "github")
    assert code == 1
    line = next(
        n
        for n, text in enumerate(Path(typescale.__file__).read_text().splitlines(), 1)
        if text.strip().startswith("FOOTER =")
    )
    assert (
        f"::error file={os.path.relpath(typescale.__file__)},line={line},col=16,title=font-size::"
        "leaflet renderer: footer: the leaflet draws footer at 8 pt; at least 10 pt is readable"
    ) in out


def test_the_leaflet_takes_every_type_size_from_the_type_scale() -> None:
    """What the font-size gate checks is what the renderer draws: no style or canvas text sets
    a size of its own."""
    from leaflet.renderers.leaflet_pdf.typescale import STYLES

    typed: dict[str, str] = {}
    for module in (
        "renderers/leaflet_pdf/draw.py",
        "renderers/leaflet_pdf/trifold_draw.py",
        "diagram/draw_reportlab.py",
    ):
        tree = ast.parse((ROOT / "leaflet" / module).read_text("utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            called = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if called == "setFont" and len(node.args) >= 2:
                assert not isinstance(node.args[1], ast.Constant), ast.unparse(node)
            if called != "ParagraphStyle":
                continue
            name = ast.literal_eval(node.args[0])
            assert not {k.arg for k in node.keywords} & {"fontSize", "leading"}, name
            scale = [
                ast.literal_eval(k.value.args[1])
                for k in node.keywords
                if k.arg is None
                and isinstance(k.value, ast.Call)
                and getattr(k.value.func, "id", "") == "leaflet_type"
            ]
            if scale:
                typed[name] = scale[0]
            else:
                assert "parent" in {k.arg for k in node.keywords}, f"{name} has no type"
    # every style of the scale is drawn but the diagram's labels (the scene sizes them)
    assert typed == {name: name for name in [*STYLES, "footer"] if name != "diagram_label"}


SILENCE = """
checks:
  silence:
    - gate: jargon
      at: sections[0].paragraphs[1].patient
"""


def test_silence_needs_a_reason_and_is_reported(project: Path) -> None:
    edit(project, "The lumps are white.", "The lumps are white. A biopsy may be done.")
    content = project / "content.yaml"
    base = content.read_text()

    content.write_text(base + SILENCE)
    result = CliRunner().invoke(cli, ["check", str(content)])
    assert result.exit_code == 1
    assert "checks.silence[0]: 'reason' is required here" in result.stderr

    content.write_text(base + SILENCE + "      reason: '  '\n")
    result = CliRunner().invoke(cli, ["check", str(content)])
    assert result.exit_code == 1
    assert "checks.silence[0].reason: text is empty" in result.stderr

    content.write_text(base + SILENCE + "      reason: The clinic explains biopsies in person.\n")
    code, out = check(project)
    assert code == 0, out
    assert "[jargon] (reason: The clinic explains biopsies in person.)" in out
    assert "silenced: sections[0].paragraphs[1].patient: 'biopsy'" in out
    data = json.loads(check(project, "--format", "json")[1])
    assert data["counts"]["silenced"] == 1
    assert data["silenced"][0]["reason"] == "The clinic explains biopsies in person."
    assert not [f for f in data["findings"] if f["gate"] == "jargon"]


def test_silence_must_name_a_real_place_and_gate(project: Path) -> None:
    content = project / "content.yaml"
    base = content.read_text()
    content.write_text(
        base + "checks:\n  silence:\n    - gate: jargon\n      at: sections[99].heading\n"
        "      reason: because\n    - gate: jargn\n      at: sections[0]\n      reason: because\n"
    )
    code, out = check(project)
    assert code == 1
    text = content.read_text()
    line, col = place(text, "sections[99]")
    assert (
        f"{content}:{line}:{col}: error: checks.silence[0].at: 'sections[99].heading' is not a"
        " place in the file" in out
    )
    assert "checks.silence[1].gate: no gate 'jargn' (did you mean 'jargon'?)" in out


def test_build_refuses_on_a_gate_error_and_builds_with_warnings(project: Path) -> None:
    content = project / "content.yaml"
    edit(project, "leaflet project, 2026.", "leaflet project.")
    runner = CliRunner()
    result = runner.invoke(cli, ["build", str(content), "--only", "deck"])
    assert result.exit_code == 0, result.output
    assert "[source-link]" in result.stderr  # warnings are shown, the build goes on
    assert (project / "output" / "calcinosis-cutis-deck.pptx").exists()

    strict = runner.invoke(cli, ["build", str(content), "--only", "deck", "--strict", "--out", "s"])
    assert strict.exit_code == 1
    assert not Path("s").exists()

    shutil.rmtree(project / "output")
    edit(project, "The lumps are white.", "The lumps are white. A biopsy may be done.")
    result = runner.invoke(cli, ["build", str(content)])
    assert result.exit_code == 1
    assert "'biopsy' is a medical word" in result.stderr
    assert "1 check failed; nothing was built" in result.stderr
    assert not (project / "output").exists()


def test_colour_only_on_a_terminal_and_never_with_no_color(project: Path) -> None:
    from leaflet.checks.report import text_lines

    edit(project, "leaflet project, 2026.", "leaflet project.")
    report = run.run_checks(project / "content.yaml")
    assert "\x1b[" in "".join(text_lines(report, colour=True))
    assert "\x1b[" not in check(project)[1]
    from leaflet.cli import _colour

    class Tty:
        def isatty(self) -> bool:
            return True

    assert _colour(Tty())
    os.environ["NO_COLOR"] = "1"
    try:
        assert not _colour(Tty())
    finally:
        del os.environ["NO_COLOR"]


def test_syllables_and_grade_are_plausible() -> None:
    counts = {w: syllables(w) for w in ("calcium", "menopause", "surgery", "makes", "people")}
    assert counts == {"calcium": 3, "menopause": 3, "surgery": 3, "makes": 1, "people": 2}
    easy = measure(["The cat sat on the mat. It was warm."])
    assert easy.flesch_kincaid < 1
    hard = measure(["Epidemiological investigations demonstrate considerable predominance."])
    assert hard.flesch_kincaid > 15


def test_trimmed_dictionary_hyphenates_as_the_whole_one() -> None:
    import pyphen

    from leaflet.checks.readability import _hyphenator, _trimmed

    text = (ROOT / "content.yaml").read_text("utf-8").lower()
    vocabulary = set(re.findall(r"[a-z’']+", text)) | {
        "hyperparathyroidism",
        "dermatomyositis",
        "extraordinarily",
        "don't",
        "naïve",
        "x",
    }
    whole = pyphen.Pyphen(lang="en_GB")
    assert len(_trimmed(vocabulary)) < 14_000 / 5  # it really is trimmed
    parts_of = _hyphenator(vocabulary)
    cut = {w: "-".join(parts_of(w)) for w in vocabulary}
    assert cut == {w: whole.inserted(w, hyphen="-") for w in vocabulary}
    assert cut["hyperparathyroidism"] == "hy-per-para-thyroid-ism"


def test_words_no_pattern_fits_are_counted_alone_and_leave_nothing_behind() -> None:
    """'a' alone, or 'at' as the one new word of a second text, matches no pattern at all."""
    code = (
        "import pyphen\n"
        "from leaflet.checks.readability import measure, syllables\n"
        "print(syllables('a'), measure(['Ask your team.']).syllables,"
        " measure(['Ask at your team.']).syllables, len(pyphen.hdcache))"
    )
    done = fresh_python(code)
    assert (done.returncode, done.stdout.split(), done.stderr) == (0, ["1", "3", "4", "0"], "")


def fresh_python(code: str) -> subprocess.CompletedProcess[str]:
    """code run in a new interpreter that imports leaflet from this checkout."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_readability_works_with_no_network() -> None:
    code = (
        "from leaflet.checks.readability import measure;"
        "print(round(measure(['Calcium builds up in lumps under the skin.']).flesch_kincaid, 1))"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
    }
    command = [sys.executable, "-c", code]
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"]).returncode == 0:
        command = ["unshare", "-n", *command]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    assert float(result.stdout) < 6


def test_check_imports_no_renderer_library() -> None:
    code = (
        "import sys; from leaflet.checks import run_checks; from pathlib import Path;"
        f"run_checks(Path({str(ROOT / 'content.yaml')!r}));"
        "print(sorted(m for m in ('reportlab', 'pptx') if m in sys.modules))"
    )
    result = fresh_python(code)
    assert (result.returncode, result.stdout.strip()) == (0, "[]")
