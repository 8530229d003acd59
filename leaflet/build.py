"""The build: load content, render every requested format in memory, then write all at once."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from leaflet.errors import LeafletError
from leaflet.loader import load
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
    rendered = {name: RENDERERS[name].render(document, options) for name in names}
    targets = {name: out_dir / RENDERERS[name].filename(document) for name in names}
    write_all({targets[name]: rendered[name].data for name in names})
    return [Written(targets[name], rendered[name]) for name in names]


def write_all(files: dict[Path, bytes]) -> None:
    """Write every file to a temporary name beside its target, then rename all into place."""
    temps: dict[Path, Path] = {}
    try:
        for target, data in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp_name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
            )
            temps[target] = Path(temp_name)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        mode = 0o666 & ~_umask()
        for target, temp in temps.items():
            os.chmod(temp, mode)
            os.replace(temp, target)
    except OSError as exc:
        raise LeafletError(f"cannot write {exc.filename or 'output'}: {exc.strerror}") from None
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
