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

CONTENT = click.argument("content", type=click.Path(path_type=Path), default="content.yaml")


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


@cli.command()
@CONTENT
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for the outputs  [default: output/ beside the content file]",
)
@click.option(
    "--only",
    type=click.Choice(["leaflet", "leaflet-large", "deck"]),
    help="Build one edition instead of those the content asks for.",
)
@click.option(
    "--paper",
    type=click.Choice(["A4", "letter"], case_sensitive=False),
    help="Leaflet paper size  [default: the content's theme.paper, else A4]",
)
@click.option("--strict", is_flag=True, help="Treat check warnings as errors.")
@click.option("--force", is_flag=True, help="Rebuild even when the outputs are up to date.")
def build(
    content: Path,
    out_dir: Path | None,
    only: str | None,
    paper: str | None,
    strict: bool,
    force: bool,
) -> None:
    """Build CONTENT (default content.yaml) into a leaflet PDF and a deck PPTX.

    Outputs already built from the same content, assets, options and leaflet version, and
    still as they were written, are left alone and reported as up to date.
    """
    from leaflet import clock
    from leaflet.build import build as run_build

    clock.source_date_epoch()  # refused before any work, not as a crash while the PDF renders
    only_these = [only] if only else []
    result = run_build(content, out_dir, only_these, paper, force=force, strict=strict)
    if result.report is not None and (result.report.findings or result.report.silenced):
        _show_findings(result.report)
    for written in result.outputs:
        click.echo(written.summary())


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
@CONTENT
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
def check(ctx: click.Context, content: Path, fmt: str, strict: bool) -> None:
    """Check CONTENT against the quality gates; report each finding with its line and column."""
    from leaflet.checks import run_checks
    from leaflet.checks.report import as_json, github_lines, text_lines

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
def schema() -> None:
    """Print the JSON Schema of the content file, for editors that check as you type."""
    from leaflet.model import json_schema

    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


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
