"""Hostile and broken content: one clear message and exit 1 each, nothing run, nothing lost."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_cases import CASES, Case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from leaflet import inline
from leaflet.assets import prepared_image
from leaflet.cli import cli
from leaflet.errors import ContentError
from leaflet.loader import load_text

ROOT = Path(__file__).resolve().parent.parent
STARTER = (ROOT / "leaflet" / "data" / "starter.yaml").read_text("utf-8")
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def test_the_suite_covers_every_kind_of_attack() -> None:
    kinds = {case.kind for case in CASES}
    assert len(CASES) >= 40
    assert kinds == {
        "yaml",
        "schema",
        "text",
        "markup",
        "image",
        "path",
        "content",
        "crash",
        "message",
    }
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_gives_its_exact_message_and_leaves_outputs_alone(
    case: Case, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)  # messages name the file as it was given: content.yaml
    out = project / "output"
    out.mkdir()
    earlier = {"calcinosis-cutis-leaflet.pdf": b"earlier pdf", "calcinosis-cutis-deck.pptx": b"ppt"}
    for name, data in earlier.items():
        (out / name).write_bytes(data)
    case.make(project)
    result = CliRunner().invoke(cli, [case.command, "content.yaml"])
    lines = result.stderr.splitlines()
    assert result.exit_code == 1, result.output
    expected = case.message.replace("{outside}", f"{project.name}-outside")
    assert lines[0] == expected
    assert lines[-1].endswith("nothing was built.") or len(lines) == 1
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier


# ---- images that are fine but unusual come out right ---------------------------------------


def _pixel(png: bytes) -> tuple[int, ...]:
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.mode in ("RGB", "RGBA")
        return tuple(image.getpixel((0, 0)))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "fmt", "pixel"),
    [
        (lambda: Image.new("CMYK", (4, 4), (0, 255, 255, 0)), "JPEG", (255, 0, 0)),
        (lambda: Image.new("I;16", (4, 4), 40000), "PNG", (155, 155, 155)),
        (lambda: Image.new("LA", (4, 4), (100, 128)), "PNG", (100, 100, 100, 128)),
        (lambda: Image.new("RGBA", (4, 4), (0, 0, 255, 255)), "PNG", (0, 0, 255)),
        (lambda: Image.new("L", (4, 4), 7), "JPEG", (7, 7, 7)),
    ],
    ids=["cmyk-jpeg", "16-bit-grey", "grey-alpha", "opaque-alpha", "grey-jpeg"],
)
def test_unusual_images_become_8_bit_rgb(make: object, fmt: str, pixel: tuple[int, ...]) -> None:
    folder = Path(__import__("tempfile").mkdtemp())
    make().save(folder / "logo.png", fmt)  # type: ignore[operator]
    got = _pixel(prepared_image(folder, "logo.png").data)
    assert all(abs(a - b) <= 2 for a, b in zip(got, pixel, strict=True)), got


def test_palette_transparency_is_kept_and_flattens_onto_white(tmp_path: Path) -> None:
    image = Image.new("P", (4, 4), 0)
    image.putpalette([0, 0, 0, 255, 0, 0])
    image.save(tmp_path / "logo.png", transparency=0)
    assert _pixel(prepared_image(tmp_path, "logo.png").data) == (0, 0, 0, 0)
    assert _pixel(prepared_image(tmp_path, "logo.png", flatten=True).data) == (255, 255, 255)


def test_mislabelled_jpeg_named_png_builds(project: Path) -> None:
    Image.new("CMYK", (64, 64), (0, 200, 200, 0)).save(project / "assets" / "logo.png", "JPEG")
    result = CliRunner().invoke(cli, ["build", str(project / "content.yaml"), "--only", "deck"])
    assert result.exit_code == 0, result.output


def test_transparent_logo_builds_both_outputs(project: Path) -> None:
    image = Image.new("RGBA", (120, 120), (0, 0, 0, 0))
    image.paste((31, 78, 121, 255), (20, 20, 100, 100))
    image.save(project / "assets" / "logo.png")
    result = CliRunner().invoke(cli, ["build", str(project / "content.yaml")])
    assert result.exit_code == 0, result.output


# ---- markup: what content says is what the reader sees ------------------------------------

_REPORTLAB_TRAPS = (
    '<font name="x" color="[[getattr(pow,Word(\'__globals__\'))]]">&amp; &lt;b&gt; <br/>'
    ' <a href="javascript:x">click</a> <img src="/etc/passwd"/> <para>'
)


def test_reportlab_markup_in_content_is_printed_as_written(project: Path) -> None:
    path = project / "content.yaml"
    text = path.read_text("utf-8").replace(
        "    patient: Information for patients and families",
        "    patient: '" + _REPORTLAB_TRAPS.replace("'", "''") + "'",
    )
    path.write_text(text, "utf-8")
    result = CliRunner().invoke(cli, ["build", str(path), "--only", "leaflet"])
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader

    page = PdfReader(project / "output" / "calcinosis-cutis-leaflet.pdf").pages[0]
    flat = " ".join(page.extract_text().split())
    assert " ".join(_REPORTLAB_TRAPS.split()) in flat


# ---- environment: no code from the content or working folder runs --------------------------


def _trap_folder(folder: Path) -> Path:
    shutil.copy(ROOT / "content.yaml", folder / "content.yaml")
    shutil.copytree(ROOT / "assets", folder / "assets")
    for module in ("reportlab_settings", "reportlab_mods", "pydantic", "ruamel", "PIL"):
        (folder / f"{module}.py").write_text(
            f"open({str(folder / ('RAN-' + module))!r}, 'w').write('x')\n"
        )
    return folder


def test_the_trap_works_on_bare_reportlab(tmp_path: Path) -> None:
    folder = _trap_folder(tmp_path)
    subprocess.run([sys.executable, "-c", "import reportlab"], cwd=folder, capture_output=True)
    assert (folder / "RAN-reportlab_mods").exists()  # so the next test would notice


def test_python_m_leaflet_runs_no_module_from_the_working_folder(tmp_path: Path) -> None:
    folder = _trap_folder(tmp_path)
    env = {**ENV, "RL_trustedHosts": "*", "RL_toColorCanUse": "rl_safe_eval"}
    result = subprocess.run(
        [sys.executable, "-m", "leaflet", "build", "content.yaml"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.glob("RAN-*")) == []
    assert "wrote output/calcinosis-cutis-leaflet.pdf" in result.stdout


def test_reportlab_settings_are_fixed_in_code_whatever_the_environment() -> None:
    code = (
        "import leaflet, reportlab.rl_config as c;"
        "print(c.trustedHosts, c.trustedSchemes, c.toColorCanUse)"
    )
    env = {**ENV, "RL_trustedHosts": "*", "RL_trustedSchemes": "file", "RL_toColorCanUse": "x"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["None", "[]", "None"]


# ---- writes: a failed or killed build leaves the earlier outputs whole -----------------------

_KILLED_BUILD = """
import os, sys, time
from collections.abc import Callable
from pathlib import Path
import leaflet.build as b
real = os.replace
def stall(src, dst):
    real(src, dst) if Path(dst).suffix == ".pdf" else None
    print("stalled", flush=True)
    time.sleep(600)
b.os.replace = stall
b.build(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_build_killed_while_writing_leaves_outputs_whole_and_no_temps(project: Path) -> None:
    out = project / "output"
    out.mkdir()
    (out / "calcinosis-cutis-deck.pptx").write_bytes(b"earlier deck")
    (out / "calcinosis-cutis-leaflet.pdf").write_bytes(b"earlier pdf")
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED_BUILD, str(project / "content.yaml"), str(out)],
        env=ENV,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "stalled"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert sorted(p.name for p in out.iterdir()) == [
        "calcinosis-cutis-deck.pptx",
        "calcinosis-cutis-leaflet.pdf",
    ]
    assert (out / "calcinosis-cutis-deck.pptx").read_bytes() == b"earlier deck"
    assert (out / "calcinosis-cutis-leaflet.pdf").read_bytes().startswith(b"%PDF")
    [staging] = project.glob(".output.leaflet-staging-*")  # outside output/
    assert len(list(staging.glob("*.new"))) == 4  # large print, deck, web page, record
    result = CliRunner().invoke(cli, ["build", str(project / "content.yaml")])
    assert result.exit_code == 0
    assert not staging.exists()  # the next build cleared what the killed one left


def test_a_failed_write_changes_nothing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import leaflet.build

    out = project / "output"
    out.mkdir()
    (out / "calcinosis-cutis-leaflet.pdf").write_bytes(b"earlier pdf")

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device", str(dst))

    monkeypatch.setattr(leaflet.build.os, "replace", full_disk)
    result = CliRunner().invoke(cli, ["build", str(project / "content.yaml")])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: cannot write {out / 'calcinosis-cutis-leaflet.pdf'}: the disk holding {out}"
        " is full (free some space)\n"
    )
    assert [p.name for p in out.iterdir()] == ["calcinosis-cutis-leaflet.pdf"]
    assert (out / "calcinosis-cutis-leaflet.pdf").read_bytes() == b"earlier pdf"
    assert not list(project.glob(".output.leaflet-staging*"))


# ---- long text: lays out within limits --------------------------------------------------------


def test_longest_allowed_words_and_texts_build(project: Path) -> None:
    word = "x" * 60
    paragraph = " ".join([word] * 49)  # 2989 characters: just under the limit
    path = project / "content.yaml"
    text = path.read_text("utf-8")
    for old in (
        "      - patient: Calcium deposits are hard, chalky lumps",
        "        clinician: Calcinosis cutis is the deposition",
    ):
        text = text.replace(old, f"{old.split(':')[0]}: {paragraph} ", 1)
    text = text.replace("    name: Riverside Skin Clinic", f"    name: {word} {word} {word}", 1)
    path.write_text(text, "utf-8")
    result = CliRunner().invoke(cli, ["build", str(path)])
    assert result.exit_code == 0, result.output


def test_the_longest_allowed_title_lays_out(project: Path) -> None:
    path = project / "content.yaml"
    title = " ".join(["x" * 60] * 3) + " " + "y" * 17  # 200 characters: the limit for a title
    text = path.read_text("utf-8").replace(
        "    patient: Calcium deposits under the skin", f"    patient: {title}", 1
    )
    path.write_text(text, "utf-8")
    result = CliRunner().invoke(cli, ["build", str(path), "--only", "leaflet"])
    assert result.exit_code == 0, result.output


# ---- properties -------------------------------------------------------------------------------

_YAMLISH = st.text(
    alphabet=st.sampled_from(list("ab:-[]{}'\"\\&*!|>#%@`,?~ \n\t\u00e9\u2603\x07\x85\ud800")),
    max_size=200,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), _YAMLISH))
def test_the_loader_gives_a_document_or_a_content_error(text: str) -> None:
    try:
        load_text(text)
    except ContentError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.line >= 0 and problem.column >= 0 and problem.message


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_text_in_a_paragraph_gives_a_document_or_a_content_error(words: str) -> None:
    quoted = '"' + words.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    content = STARTER.replace("Small lumps can form under the skin of the knees.", quoted, 1)
    try:
        load_text(content)
    except ContentError as exc:
        assert all(p.line == 35 for p in exc.problems), exc


_MARKUPISH = st.lists(
    st.sampled_from([*"ab *[]()_:/.\"'<>&;#\\", "https://x.org", "mailto:a@b", "](", "**"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=100), _MARKUPISH))
def test_inline_parse_gives_runs_or_a_markup_error(text: str) -> None:
    try:
        runs = inline.parse(text)
    except inline.MarkupError as exc:
        assert 0 <= exc.offset <= len(text)
        return
    assert "".join(run.text for run in runs) == inline.plain(text)
    for run in runs:
        assert run.text
        assert run.url is None or inline.link_scheme_ok(run.url)


@settings(max_examples=60, deadline=None)
@given(_MARKUPISH.filter(lambda t: t.strip()))
def test_no_run_text_is_read_as_markup_by_the_pdf(text: str) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from leaflet.renderers.leaflet_pdf import markup

    try:
        visible = " ".join(inline.plain(text).split())
    except inline.MarkupError:
        return
    paragraph = Paragraph(markup(text), ParagraphStyle("p", fontName="Helvetica"))
    drawn = "".join(frag.text for frag in paragraph.frags)
    assert drawn.split() == visible.split()


def test_both_font_families_draw_all_printable_ascii() -> None:
    """glyphs.missing skips the cmap look-up for printable ASCII on the strength of this."""
    from leaflet.fonts import DECK_MEASURE_FONT, LEAFLET_FONT
    from leaflet.glyphs import charset

    ascii_printable = set(range(0x20, 0x7F))
    assert ascii_printable <= charset(LEAFLET_FONT)
    assert ascii_printable <= charset(DECK_MEASURE_FONT)


# ---- issue 15: the command line, environment and process, as CI runs them --------------------

_EARLIER = {"calcinosis-cutis-leaflet.pdf": b"earlier pdf", "calcinosis-cutis-deck.pptx": b"ppt"}
SCRIPT = Path(sys.executable).parent / "leaflet"
"""The installed console script, as CI runs it (not `python -m leaflet`)."""


def _earlier_outputs(project: Path) -> Path:
    out = project / "output"
    out.mkdir(exist_ok=True)
    for name, data in _EARLIER.items():
        (out / name).write_bytes(data)
    return out


def _phone(number: str) -> Callable[[Path], None]:
    def make(project: Path) -> None:
        path = project / "content.yaml"
        path.write_text(
            path.read_text("utf-8").replace("phone: 01632 960 123", f"phone: {number}"), "utf-8"
        )

    return make


_SDE = (
    "is {!r}, which is not a time: set it to whole seconds since 1970-01-01 UTC,"
    " from 0 to 253402300799 (like 1767225600), or unset it"
)

RUNS = [
    # (id, break the project, arguments ({c}: content file, {p}: project), environment,
    #  exit code, first line of stderr)
    (
        "content-path-is-a-folder",
        None,
        ["build", "{p}"],
        {},
        1,
        "error: {p}: is a folder, not a content file (name the file in it, like"
        " {p}/content.yaml; or add leaflet.toml to build it as a library)",
    ),
    (
        "source-date-epoch-text",
        None,
        ["build", "{c}"],
        {"SOURCE_DATE_EPOCH": "abc"},
        2,
        "error: SOURCE_DATE_EPOCH " + _SDE.format("abc"),
    ),
    (
        "source-date-epoch-float",
        None,
        ["build", "{c}"],
        {"SOURCE_DATE_EPOCH": "1e20"},
        2,
        "error: SOURCE_DATE_EPOCH " + _SDE.format("1e20"),
    ),
    (
        "source-date-epoch-past-9999",
        None,
        ["build", "{c}"],
        {"SOURCE_DATE_EPOCH": "253402300800"},
        2,
        "error: SOURCE_DATE_EPOCH " + _SDE.format("253402300800"),
    ),
    (
        "phone-with-letters",
        _phone("0800-FLOWERS"),
        ["build", "{c}"],
        {},
        1,
        "{c}:19:12: error: meta.organisation.phone: '0800-FLOWERS' has letters, which a phone"
        " cannot dial (write the number in digits, like 0800 356 937; an extension may follow"
        " as ext 123) [governance-contact]",
    ),
    (
        "phone-with-signs",
        _phone("01632 960 123!"),
        ["build", "{c}"],
        {},
        1,
        "{c}:19:12: error: meta.organisation.phone: '01632 960 123!' has signs, which a phone"
        " cannot dial (write the number in digits, like 0800 356 937; an extension may follow"
        " as ext 123) [governance-contact]",
    ),
]


@pytest.mark.parametrize(
    ("make", "args", "env", "code", "message"), [r[1:] for r in RUNS], ids=[r[0] for r in RUNS]
)
def test_command_line_and_environment_give_a_message_and_leave_outputs_alone(
    project: Path,
    make: Callable[[Path], None] | None,
    args: list[str],
    env: dict[str, str],
    code: int,
    message: str,
) -> None:
    out = _earlier_outputs(project)
    if make is not None:
        make(project)
    fields = {"c": str(project / "content.yaml"), "p": str(project), "name": project.name}
    result = CliRunner().invoke(cli, [a.format(**fields) for a in args], env=env)
    assert result.exit_code == code, result.output
    assert result.stderr.splitlines()[0] == message.format(**fields)
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == _EARLIER


def test_unreadable_content_is_a_message_not_a_usage_error(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import leaflet.cache

    real_open = os.open

    def denied(path: object, flags: int, *args: object) -> int:
        if Path(str(path)).name == "content.yaml":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(leaflet.cache.os, "open", denied)  # the one reader of project files
    result = CliRunner().invoke(cli, ["check", str(project / "content.yaml")])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{project / 'content.yaml'}: cannot be read: Permission denied"
    )


def test_a_png_with_a_large_colour_profile_builds_without_it(project: Path) -> None:
    logo = project / "assets" / "logo.png"
    with Image.open(logo) as image:
        pixel = image.convert("RGB").getpixel((60, 60))
        image.save(logo, "PNG", icc_profile=b"p" * 2_000_000)  # Pillow's limit is 1 MB
    assert b"iCCP" in logo.read_bytes()
    with Image.open(io.BytesIO(prepared_image(project / "assets", "logo.png").data)) as placed:
        assert placed.convert("RGB").getpixel((60, 60)) == pixel
        assert "icc_profile" not in placed.info
    result = CliRunner().invoke(cli, ["build", str(project / "content.yaml"), "--only", "deck"])
    assert result.exit_code == 0, result.output


def _planted(folder: Path) -> Path:
    for module in ("click", "pptx", "pydantic"):
        (folder / f"{module}.py").write_text(f"open({module!r} + '-RAN', 'w').write('x')\n")
    (folder / "PIL").mkdir()
    (folder / "PIL" / "__init__.py").write_text("open('PIL-RAN', 'w').write('x')\n")
    return folder


def test_the_planted_modules_would_run_with_pythonpath_dot(project: Path) -> None:
    folder = _planted(project)
    code = "import click, pptx, PIL"
    env = {**os.environ, "PYTHONPATH": "."}
    subprocess.run([sys.executable, "-c", code], cwd=folder, env=env, capture_output=True)
    assert sorted(p.name for p in folder.glob("*-RAN")) == ["PIL-RAN", "click-RAN", "pptx-RAN"]


@pytest.mark.parametrize("pythonpath", [".", "{p}"], ids=["dot", "absolute"])
def test_the_installed_command_runs_no_module_from_the_content_folder(
    project: Path, pythonpath: str
) -> None:
    assert SCRIPT.exists(), "the test needs the installed `leaflet` command"
    folder = _planted(project)
    env = {**os.environ, "PYTHONPATH": pythonpath.format(p=folder)}
    result = subprocess.run(
        [str(SCRIPT), "build", "content.yaml", "--only", "deck"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.glob("*-RAN")) == []
    assert result.stdout.startswith("wrote output/calcinosis-cutis-deck.pptx (")


def test_a_deleted_working_folder_is_a_message(project: Path) -> None:
    out = _earlier_outputs(project)
    gone = project.parent / f"{project.name}-gone"
    gone.mkdir()
    result = subprocess.run(
        [
            "sh",
            "-c",
            'cd "$1" && rmdir "$1" && exec "$2" build "$3"',
            "sh",
            str(gone),
            str(SCRIPT),
            str(project / "content.yaml"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr == (
        "error: the working folder no longer exists (it was deleted or moved); change to a"
        " folder that exists and run again\n"
    )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == _EARLIER


_STALLED_BUILD = """
import os, sys, time
def stall(*args, **kwargs):
    print("stalled", flush=True)
    time.sleep(600)
os.replace = os.rename = stall  # every output is staged, none yet renamed into place
sys.argv = ["leaflet", "build", sys.argv[1]]
from leaflet.launcher import main
main()
"""


def test_sigterm_stops_with_a_message_143_and_no_temporary_files(project: Path) -> None:
    out = _earlier_outputs(project)
    proc = subprocess.Popen(
        [sys.executable, "-c", _STALLED_BUILD, str(project / "content.yaml")],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().strip() == "stalled"
    staged = list(project.glob(".output.leaflet-staging-*/*"))
    assert staged, "the build should be holding temporary files when it is stopped"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait() == 143
    assert proc.stderr.read() == (
        "error: stopped by SIGTERM before the command finished (its temporary files are removed)\n"
    )
    proc.stdout.close()
    proc.stderr.close()
    assert not any(p.exists() for p in staged)
    assert list(project.glob(".output.leaflet-staging*")) == []
    assert {p.name: p.read_bytes() for p in out.iterdir()} == _EARLIER
