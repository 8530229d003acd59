"""The build: load content, render every requested format in memory, then write all at once."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from leaflet.errors import LeafletError
from leaflet.loader import load
from leaflet.model import Document
from leaflet.renderers import RENDERERS, Options, Rendered


@dataclass(frozen=True)
class Written:
    """A file the build wrote."""

    path: Path
    rendered: Rendered

    def summary(self) -> str:
        units = self.rendered.units
        size_kb = len(self.rendered.data) / 1024
        return (
            f"wrote {self.path} ({units} {self.rendered.unit_name}{'s' if units != 1 else ''},"
            f" {size_kb:.0f} KB)"
        )


def build(
    content: Path, out_dir: Path, only: Sequence[str] = (), paper: str | None = None
) -> list[Written]:
    """Render the content into out_dir; on any failure no output file is changed."""
    document = load(content)
    options = Options(project_dir=content.resolve().parent, paper=paper)
    names = list(only) or list(RENDERERS)
    rendered = {name: _render(name, document, options) for name in names}
    targets = {name: out_dir / RENDERERS[name].filename(document) for name in names}
    write_all({targets[name]: rendered[name].data for name in names})
    return [Written(targets[name], rendered[name]) for name in names]


def _render(name: str, document: Document, options: Options) -> Rendered:
    try:
        return RENDERERS[name].render(document, options)
    except Exception as exc:
        # reportlab's LayoutError: content the model let through that no page can hold
        if type(exc).__name__ == "LayoutError":
            raise LeafletError(
                f"the {name} cannot be laid out: some text is too tall to fit on a page"
                " (shorten the longest title, heading or item)"
            ) from None
        raise


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
