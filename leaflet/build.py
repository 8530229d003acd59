"""The build: load content, render every requested format in memory, then write all at once."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet import cache
from leaflet.errors import LeafletError
from leaflet.renderers import RENDERERS, Options, Rendered

if TYPE_CHECKING:
    from leaflet.checks import Report
    from leaflet.edition.spec import EditionSpec, Paper
    from leaflet.model import Document


@dataclass(frozen=True)
class Written:
    """An output of the build: written now, or found up to date and left alone."""

    path: Path
    units: int
    """Pages or slides."""
    unit_name: str
    """'page' or 'slide'."""
    size: int
    """Bytes in the file."""
    rebuilt: bool = True
    """False when the file was already up to date and nothing was rendered."""

    def summary(self) -> str:
        plural = "s" if self.units != 1 else ""
        what = f"({self.units} {self.unit_name}{plural}, {self.size / 1024:.0f} KB)"
        return f"wrote {self.path} {what}" if self.rebuilt else f"up to date: {self.path} {what}"


@dataclass(frozen=True)
class BuildResult:
    """What a build made and what the gates said on the way (warnings, silenced findings)."""

    outputs: list[Written]
    report: Report | None = None
    """None when the gates did not run (asked not to, or every output was up to date)."""


def build(
    content: Path,
    out_dir: Path,
    only: Sequence[str] = (),
    paper: str | None = None,
    force: bool = False,
    strict: bool | None = None,
) -> BuildResult:
    """Render the content into out_dir; on any failure no output file is changed.

    strict=None renders without the quality gates; False runs them first (errors stop the
    build); True also stops on warnings. Unless forced, outputs that the stamp in out_dir shows
    were made, and gated, from the same content, assets, options and tool, and that are still
    intact, are left alone: nothing is loaded, checked, rendered or even imported for them.
    """
    wanted = list(only) or list(cache.DEFAULT_EDITIONS)
    if not force:
        fresh = cache.up_to_date(content, out_dir, wanted, paper, strict)
        if fresh is not None:
            return BuildResult(
                [
                    Written(out_dir / e.filename, e.units, e.unit_name, e.size, rebuilt=False)
                    for e in fresh
                ]
            )
    # Inputs are hashed before they are used, so that an edit made during the build leaves a
    # stamp that no longer matches, never one that wrongly does.
    try:
        content_sha = cache.file_digest(content)
    except OSError:
        content_sha = ""
    from leaflet.edition import EDITIONS

    gated = cache.gates(strict)
    document, report = _checked(content, strict)
    project_dir = content.resolve().parent
    assets = cache.asset_digests(project_dir, cache.referenced_assets(document)) or {}
    options = Options(project_dir=project_dir, paper=paper)
    specs = [EDITIONS[name].with_paper(_paper(paper)) for name in only or document.editions]
    rendered = {spec.id: render_edition(document, spec, options) for spec in specs}
    names = [spec.id for spec in specs]
    targets = {spec.id: out_dir / spec.filename(document.meta.slug) for spec in specs}
    write_all({targets[name]: rendered[name].data for name in names})
    entries = [
        cache.Entry(
            renderer=name,
            filename=targets[name].name,
            inputs=cache.inputs(content_sha, assets, name, out_dir, paper, gated),
            sha256=hashlib.sha256(rendered[name].data).hexdigest(),
            size=len(rendered[name].data),
            units=rendered[name].units,
            unit_name=rendered[name].unit_name,
        )
        for name in names
    ]
    # Only after every output is in place: a stamp never vouches for files not yet written.
    write_all({out_dir / cache.STAMP_NAME: cache.stamp_bytes(out_dir, entries)})
    written = [
        Written(targets[n], rendered[n].units, rendered[n].unit_name, len(rendered[n].data))
        for n in names
    ]
    return BuildResult(written, report)


def render_edition(document: Document, spec: EditionSpec, options: Options) -> Rendered:
    """One edition of the document, composed and drawn in memory."""
    from leaflet.edition import compose

    return RENDERERS[spec.format].render(compose(document, spec), options)


def _paper(paper: str | None) -> Paper | None:
    if paper is None:
        return None
    if paper not in ("A4", "letter"):
        raise LeafletError(f"unknown paper {paper!r}: use A4 or letter")
    return "A4" if paper == "A4" else "letter"


def _checked(content: Path, strict: bool | None) -> tuple[Document, Report | None]:
    """The validated content, and the gates' report unless strict is None (no gates)."""
    if strict is None:
        from leaflet.loader import load

        return load(content), None
    from leaflet.checks import gate_build

    report = gate_build(content, strict=strict)
    assert report.document is not None  # a report without a load error always has one
    return report.document, report


def staging_dir(out_dir: Path) -> Path:
    """Where write_all puts files being written: beside out_dir, hidden, on the same disk.

    Never inside out_dir, so a build killed mid-write leaves nothing half-made among the outputs;
    leftovers are removed by the next build.
    """
    out = out_dir.absolute()
    if out.parent == out:  # the root folder has no sibling
        return out / ".leaflet-staging"
    return out.parent / f".{out.name}.leaflet-staging"


def write_all(files: dict[Path, bytes]) -> None:
    """Write every file in full to a staging folder, then rename each into place.

    A failure, or the process being killed, at any point leaves every target either as it was or
    wholly replaced, and no temporary file beside the targets.
    """
    temps: dict[Path, Path] = {}
    try:
        for target, data in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = _staging_for(target.parent)
            hidden = "." if staging == target.parent else ""
            fd, temp_name = tempfile.mkstemp(
                prefix=f"{hidden}{os.getpid()}.{target.name}.", suffix=".tmp", dir=staging
            )
            temps[target] = Path(temp_name)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        mode = 0o666 & ~_umask()
        for target, staged in temps.items():
            os.chmod(staged, mode)
            os.replace(staged, target)
    except OSError as exc:
        raise LeafletError(f"cannot write {exc.filename or 'output'}: {exc.strerror}") from None
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        for staging in {temp.parent for temp in temps.values()}:
            with contextlib.suppress(OSError):
                staging.rmdir()  # only when empty: another build may be writing there


def _staging_for(out_dir: Path) -> Path:
    """The staging folder for out_dir, made if need be and cleared of dead builds' leftovers.

    Falls back to out_dir itself when the sibling cannot be made or lies on another disk, where a
    rename would not be atomic.
    """
    staging = staging_dir(out_dir)
    try:
        staging.mkdir(mode=0o700, exist_ok=True)
        if staging.is_symlink() or staging.stat().st_dev != out_dir.stat().st_dev:
            return out_dir
    except OSError:
        return out_dir
    for leftover in staging.glob("*.tmp"):
        pid = leftover.name.split(".", 1)[0]
        if not (pid.isdigit() and _alive(int(pid))):
            leftover.unlink(missing_ok=True)
    return staging


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
