"""The `leaflet` command: thin wrappers that parse options and call the pipeline."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leaflet import __version__, clock

if TYPE_CHECKING:
    from leaflet.checks import Report
    from leaflet.library import Library
    from leaflet.library_build import LibraryResult, Outcome


class _Command(click.Group):
    """The command group, showing the library's errors as their lines and exit codes."""

    def invoke(self, ctx: click.Context) -> object:
        from leaflet.errors import LeafletError

        try:
            return super().invoke(ctx)
        except LeafletError as exc:
            from leaflet.checks import GateError

            colour = _colour(sys.stderr)
            lines = exc.lines(colour) if isinstance(exc, GateError) else exc.lines()
            for line in lines:
                click.echo(line, err=True, color=colour)
            ctx.exit(exc.exit_code)


@click.group(cls=_Command, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leaflet")
def cli() -> None:
    """Turn one content file into a patient leaflet (PDF) and a clinician slide deck (PPTX)."""


TARGET = click.argument("content", type=click.Path(path_type=Path), required=False)
"""A content file, or a library folder (one holding leaflet.toml); default: the library here,
else content.yaml."""


@cli.command()
@TARGET
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the outputs  [default: output/ beside the content file, or the library's]",
)
@click.option(
    "--only",
    type=click.Choice(
        [
            "leaflet",
            "leaflet-large",
            "leaflet-trifold",
            "leaflet-print",
            "leaflet-trifold-print",
            "deck",
            "web",
        ]
    ),
    help="Build one edition instead of those the content asks for.",
)
@click.option(
    "--print-shop",
    is_flag=True,
    help="Build the leaflet for a print shop (3 mm bleed, crop marks, slug line) as"
    " <slug>-leaflet-print.pdf (the same as --only leaflet-print); with --only"
    " leaflet-trifold, the tri-fold so, as <slug>-leaflet-trifold-print.pdf.",
)
@click.option(
    "--paper",
    type=click.Choice(["A4", "letter"], case_sensitive=False),
    help="Leaflet paper size  [default: the content's theme.paper, else A4]",
)
@click.option("--strict", is_flag=True, help="Treat check warnings as errors.")
@click.option("--force", is_flag=True, help="Rebuild even when the outputs are up to date.")
@click.option(
    "--lang",
    "languages",
    multiple=True,
    metavar="LANG",
    help="Build this language only: the content's own, or a translation's (repeat for more)."
    "  [default: every language]",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Library: worker processes  [default: the machine's cores]",
)
@click.option(
    "--topic",
    "topics",
    multiple=True,
    metavar="SLUG",
    help="Library: build this topic only (repeat for more).",
)
@click.option(
    "--shard",
    metavar="K/N",
    help="Library: build the K-th of N stable shares of the topics (for a CI matrix).",
)
@click.pass_context
def build(
    ctx: click.Context,
    content: Path | None,
    out_dir: Path | None,
    only: str | None,
    print_shop: bool,
    paper: str | None,
    strict: bool,
    force: bool,
    languages: tuple[str, ...],
    jobs: int | None,
    topics: tuple[str, ...],
    shard: str | None,
) -> None:
    """Build CONTENT (default content.yaml) into a leaflet PDF and a deck PPTX.

    CONTENT may be a library folder (one holding leaflet.toml; the default when the current
    folder holds one): every topic that is out of date is built, on worker processes.
    Outputs already built from the same content, assets, options and leaflet version, and
    still as they were written, are left alone and reported as up to date.
    """
    clock.source_date_epoch()  # refused before any work, not as a crash while the PDF renders
    if print_shop:
        shop = {
            None: "leaflet-print",
            "leaflet": "leaflet-print",
            "leaflet-trifold": "leaflet-trifold-print",
        }
        if only not in shop and only not in shop.values():
            raise click.UsageError(
                "--print-shop builds the leaflet or the tri-fold for a print shop:"
                " drop --only, or use --only leaflet-trifold"
            )
        only = shop.get(only, only)
    only_these = [only] if only else []
    library = _library(content)
    if library is None:
        for name, given in (("--jobs", jobs), ("--topic", topics), ("--shard", shard)):
            if given:
                raise click.UsageError(f"{name} is for a library (a folder with leaflet.toml)")
        from leaflet.build import build as run_build

        target = content or Path("content.yaml")
        result = run_build(
            target, out_dir, only_these, paper, force=force, strict=strict, languages=languages
        )
        if result.report is not None and (result.report.findings or result.report.silenced):
            _show_findings(result.report)
        for written in result.outputs:
            click.echo(written.summary())
        return
    from leaflet.library import parse_shard, select
    from leaflet.library_build import build_library

    try:
        share = parse_shard(shard) if shard else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--shard") from None
    chosen = select(library, topics, share)
    progress = _Progress(len(chosen)) if _tty(sys.stderr) else None
    on_outcome = progress.update if progress is not None else _plain_outcome
    built = build_library(
        library, chosen, out_dir, only_these, paper, force, strict, jobs, on_outcome
    )
    if progress is not None:
        progress.close()
    _library_summary(built, len(chosen))
    out = out_dir or library.out_dir
    if share is None:
        from leaflet.catalogue import write_catalogue

        catalogue = write_catalogue(library, out)
        verb = "wrote" if catalogue.changed else "up to date:"
        click.echo(
            f"{verb} {catalogue.html_path} and {catalogue.json_path.name}"
            f" ({catalogue.topics} topic{'s' if catalogue.topics != 1 else ''})"
        )
    else:
        click.echo(
            f"shard {share[0]}/{share[1]}: {len(chosen)} topics; when every shard is in"
            f" {out}, run: leaflet catalogue"
        )
    ctx.exit(built.exit_code)


def _tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _library(content: Path | None) -> Library | None:
    """The library CONTENT names (or the one here, when it names nothing), else None.

    Imports the library code only for a library: a lone file's up-to-date build stays light.
    """
    folder = Path(".") if content is None else content
    if not folder.is_dir() or (content is None and not (folder / "leaflet.toml").is_file()):
        return None
    from leaflet.library import PROJECT_FILE, is_library, load_library

    if not is_library(folder):
        from leaflet.errors import LeafletError

        raise LeafletError(
            f"{content}: is a folder, not a content file (name the file in it, like"
            f" {content}/content.yaml; or add {PROJECT_FILE} to build it as a library)"
        )
    return load_library(folder)


def _plain_outcome(outcome: Outcome, done: int, total: int) -> None:
    """Without a terminal (CI logs): one line per file, and a line for each failed topic."""
    for written in outcome.outputs:
        click.echo(written.summary())
    if outcome.failed:
        click.echo(f"failed: {outcome.slug} (the summary below says why)", err=True)


class _Progress:
    """On a terminal: one line redrawn in place, '[#####.....] 12/40 topics, last: gout'.

    Home-made rather than rich or tqdm: a counter on one line is all a library build needs,
    and a dependency for it would cost every command its import.
    """

    WIDTH = 24

    def __init__(self, total: int) -> None:
        self.total = total
        self.shown = False

    def update(self, outcome: Outcome, done: int, total: int) -> None:
        filled = self.WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        state = "FAILED" if outcome.failed else "rebuilt" if outcome.rebuilt else "up to date"
        line = f"[{bar}] {done}/{total} topics; {outcome.slug}: {state}"
        click.echo(f"\r\x1b[2K{line}", nl=False, err=True)
        self.shown = True

    def close(self) -> None:
        if self.shown:
            click.echo("\r\x1b[2K", nl=False, err=True)


def _library_summary(result: LibraryResult, total: int) -> None:
    """Warnings and failures with their places, then one line of counts."""
    for outcome in result.outcomes:
        for line in outcome.notes:
            click.echo(line, err=True)
    rebuilt = [o.slug for o in result.outcomes if o.rebuilt and not o.failed]
    fresh = [o for o in result.outcomes if not o.rebuilt and not o.failed]
    failures = result.failures
    if failures:
        click.echo(f"{len(failures)} of {total} topics failed:", err=True)
        for outcome in failures:
            for line in outcome.problems:
                click.echo(f"  {line}", err=True)
    parts = [f"{len(rebuilt)} rebuilt" + (f" ({', '.join(rebuilt)})" if rebuilt else "")]
    parts.append(f"{len(fresh)} up to date")
    if failures:
        parts.append(f"{len(failures)} failed ({', '.join(o.slug for o in failures)})")
    click.echo(f"{total} topic{'s' if total != 1 else ''}: {'; '.join(parts)}")


def _colour(stream: object) -> bool:
    # https://no-color.org: any non-empty NO_COLOR turns colour off.
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def _show_findings(report: Report) -> None:
    """A build's warnings and silenced findings, on standard error, without the summary."""
    from leaflet.checks.report import text_lines

    colour = _colour(sys.stderr)
    for line in text_lines(report, colour)[:-1]:
        click.echo(line, err=True, color=colour)


@cli.command()
@click.argument("library", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="The folder holding every topic's outputs  [default: the library's output folder]",
)
@click.pass_context
def catalogue(ctx: click.Context, library: Path, out_dir: Path | None) -> None:
    """Write index.html and catalogue.json for LIBRARY from the topics built into its output.

    Run it after copying every shard's output into one folder; it fails (exit 1) when a topic
    of the library has no entry there.
    """
    from leaflet.catalogue import missing_error, write_catalogue

    found = _library(library)
    assert found is not None  # a folder: _library raises unless it is a library
    out = out_dir or found.out_dir
    written = write_catalogue(found, out)
    for name in written.ignored:
        click.echo(f"ignored: {out / name} (not a topic of this library, or not its shape)")
    verb = "wrote" if written.changed else "up to date:"
    click.echo(f"{verb} {written.html_path} and {written.json_path.name} ({written.topics} topics)")
    if written.missing:
        raise missing_error(written, out)


@cli.command()
@TARGET
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for GitHub Actions annotations.",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.pass_context
def check(ctx: click.Context, content: Path | None, fmt: str, strict: bool) -> None:
    """Check CONTENT against the quality gates; report each finding with its line and column.

    CONTENT may be a library folder: every topic is checked, then a summary of reviews by
    topic (overdue, and due within 60 days).
    """
    from leaflet.checks import run_checks
    from leaflet.checks.report import as_json, github_lines, text_lines

    library = _library(content)
    if library is not None:
        from leaflet.library_check import check_library, library_json, library_lines

        checked = check_library(library, strict)
        if fmt == "json":
            click.echo(library_json(checked))
        else:
            colour = _colour(sys.stdout) and fmt == "text"
            for line in library_lines(checked, fmt, colour):
                click.echo(line, color=colour)
        ctx.exit(0 if checked.ok else 1)
    content = content or Path("content.yaml")
    report = run_checks(content, strict=strict)
    if fmt == "text" and report.load_error is not None:
        raise report.load_error  # the loader's own messages, exactly as `leaflet build` shows
    if fmt == "json":
        click.echo(as_json(report))
    elif fmt == "github":
        for line in github_lines(report):
            click.echo(line)
    else:
        colour = _colour(sys.stdout)
        for line in text_lines(report, colour):
            click.echo(line, color=colour)
    ctx.exit(0 if report.ok else 1)


@cli.command()
@TARGET
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port to listen on  [default: a free one]",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but this computer's own lets others see the page.",
)
@click.option("--topic", metavar="SLUG", help="Library: the topic to show  [default: the first]")
def preview(content: Path | None, port: int, host: str, topic: str | None) -> None:
    """Show CONTENT's leaflet, slides, web page and checks in your browser, as you save it.

    Starts a small web server on this computer and prints its address; open it in a browser.
    Each time the content file (or a picture it names) is saved, what changed is built again
    and the open page updates itself. Stop it with Ctrl-C.
    """
    from leaflet.errors import LeafletError, SettingError
    from leaflet.preview.server import LOOPBACK, Preview

    library = _library(content)
    library_root: Path | None = None
    if library is not None:
        if not library.topics:
            raise LeafletError(f"{library.root}: the library has no topics to show")
        chosen = library.topic(topic) if topic else library.topics[0]
        target, library_root, topic = chosen.content, library.root, chosen.slug
    else:
        if topic:
            raise click.UsageError("--topic is for a library (a folder with leaflet.toml)")
        target = content or Path("content.yaml")
        if not target.is_file():
            raise LeafletError(
                f"{target}: no such file (name the content file, or run leaflet init to start one)"
            )
    try:
        running = Preview(target, host, port, library_root, topic, log=click.echo)
    except OSError as exc:
        raise SettingError(
            f"cannot listen on {host} port {port}: {exc.strerror or exc} (choose another"
            " --port, or leave it out for a free one)"
        ) from None
    if host not in LOOPBACK:
        click.echo(
            f"warning: listening on {host}: anyone who can reach this computer on port"
            f" {running.server.port} can see the content",
            err=True,
        )
    click.echo(f"Preview of {target} at {running.url}  (Ctrl-C to stop)")
    running.start()
    try:
        running.serve_forever()
    except KeyboardInterrupt:
        click.echo("\nstopping the preview…")
    finally:
        running.close()
    click.echo("preview stopped")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the content file, for editors that check as you type."""
    from leaflet.model import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


@cli.group()
def translate() -> None:
    """Exchange translations with translators as XLIFF 2.0 files."""


@translate.command("export")
@click.option("--lang", "language", required=True, metavar="LANG", help="The target language.")
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The XLIFF file to write  [default: translations/LANG.xlf beside the content]",
)
@click.argument("content", type=click.Path(path_type=Path), default="content.yaml")
def translate_export(language: str, out: Path | None, content: Path) -> None:
    """Write CONTENT's texts as an XLIFF 2.0 file for translators (existing ones as targets)."""
    from leaflet.xliff import export_to

    path, units, done = export_to(content, language, out)
    click.echo(f"wrote {path} ({units} units, {done} already translated)")


@translate.command("import")
@click.argument("xliff", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("content", type=click.Path(path_type=Path), default="content.yaml")
@click.option("--translator", metavar="NAME", help="Who translated it, for a new translation.")
@click.pass_context
def translate_import(
    ctx: click.Context, xliff: Path, content: Path, translator: str | None
) -> None:
    """Merge a returned XLIFF file into translations/LANG.yaml beside CONTENT.

    Units whose source text changed since the export are refused (exit 1), as are units that
    name no text; empty targets are left untranslated.
    """
    from leaflet.xliff import import_from

    done = import_from(xliff, content, translator)
    merged = done.merged
    for problem in merged.refused:
        click.echo(f"{problem.format(str(xliff))}", err=True)
    left = f"; {done.missing} still to translate" if done.missing else ""
    empty = f", {len(merged.empty)} left empty" if merged.empty else ""
    click.echo(f"imported {len(merged.imported)} units into {done.path}{empty}{left}")
    if merged.refused:
        count = len(merged.refused)
        click.echo(
            f"{count} unit{'s' if count != 1 else ''} refused; the others were imported.",
            err=True,
        )
        ctx.exit(1)


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
def init(directory: Path) -> None:
    """Start a new content file in DIRECTORY (default: here) that builds as it is."""
    from importlib.resources import files

    from leaflet.errors import LeafletError

    target = directory / "content.yaml"
    if target.exists():
        raise LeafletError(f"{target} already exists (choose another folder or remove it)")
    directory.mkdir(parents=True, exist_ok=True)
    starter = files("leaflet").joinpath("data/starter.yaml").read_text("utf-8")
    target.write_text(starter_text(starter, clock.today()), "utf-8")
    click.echo(f"wrote {target}; edit it, then run: leaflet build {target}")


def starter_text(template: str, today: dt.date) -> str:
    """The starter content dated today, due for review a year from now (28 February for 29th)."""
    try:
        next_review = today.replace(year=today.year + 1)
    except ValueError:
        next_review = today.replace(year=today.year + 1, day=28)
    dates = {"published": today, "reviewed": today, "next_review": next_review}
    for key, day in dates.items():
        template = re.sub(rf"(?m)^(  {key}: )\S+$", rf"\g<1>{day.isoformat()}", template, count=1)
    return template


class Terminated(BaseException):
    """SIGTERM, raised wherever the program is, so that every finally block runs (the build's
    temporary files are removed there). Not an Exception: nothing may take it for a bug."""


TERMINATED = (
    "error: stopped by SIGTERM before the command finished (its temporary files are removed)"
)


def _on_sigterm(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends the process at once
    raise Terminated


def main() -> None:
    """Entry point: runs the CLI; an unexpected error is one line and exit 3, not a traceback.

    SIGTERM (CI cancelling a job) is handled as Ctrl-C is: the work stops where it is, temporary
    files are cleaned up, a message says so, and the exit code is 143 (128 + 15), as a shell
    reports a process that SIGTERM ended.
    """
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except Terminated:
        click.echo(TERMINATED, err=True)
        sys.exit(143)
    except Exception as exc:  # a bug, by definition: say so plainly
        if os.environ.get("LEAFLET_DEBUG"):
            raise
        click.echo(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in leaflet, not in your content. Run again with LEAFLET_DEBUG=1"
            " for details and report it.",
            err=True,
        )
        sys.exit(3)
