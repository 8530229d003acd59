"""The build stamp: what each output was made from, so that an unchanged build renders nothing."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leaflet import __version__, clock

if TYPE_CHECKING:
    from leaflet.model import Document

STAMP_NAME = ".leaflet-build.json"
"""Kept beside the outputs; it describes them, so it lives and dies with them."""

STAMP_FORMAT = 1

DEFAULT_EDITIONS = ("leaflet", "leaflet-large", "deck")
"""leaflet.edition.DEFAULT_EDITIONS, without importing it (the no-op build stays light)."""

MAX_CONTENT_BYTES = 1_000_000
"""Larger content is never taken as up to date; the loader then says what is wrong with it."""

DISTRIBUTIONS = (
    "reportlab",
    "python-pptx",
    "Pillow",
    "lxml",
    "pydantic",
    "pydantic-core",
    "ruamel.yaml",
    "fontpkg",
    "fontpkg-atkinson-hyperlegible",
    "fontpkg-arimo",
    "fonttools",
    "pyphen",
)
"""Installed packages whose version can change an output's bytes, or what content passes."""


@dataclass(frozen=True)
class Entry:
    """One output as the stamp records it: where it is, what it was made from, what it holds."""

    renderer: str
    """The renderer's name ('leaflet' or 'deck')."""
    filename: str
    """The output's name inside the output folder."""
    inputs: Mapping[str, Any]
    """Everything that decides the output's bytes: content, assets, options, tool."""
    sha256: str
    """Digest of the output as written, so that an edited or replaced file is rebuilt."""
    size: int
    """Bytes in the output."""
    units: int
    """Pages or slides."""
    unit_name: str
    """'page' or 'slide'."""


def file_digest(path: Path) -> str:
    """The sha256 of a file's bytes, in hex."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@cache
def tool_fingerprint() -> dict[str, str]:
    """Versions of leaflet, its rendering packages and Python, and a digest of leaflet's source."""
    found = {"leaflet": __version__, "leaflet-source": _source_digest()}
    found["python"] = sys.version.split()[0]
    versions = _installed_versions()
    for name in DISTRIBUTIONS:
        found[name] = versions.get(_normalise(name)) or _metadata_version(name)
    return found


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _installed_versions() -> dict[str, str]:
    """Versions read from the names of `<name>-<version>.dist-info` folders on sys.path.

    A directory listing costs far less than importing importlib.metadata, which an up-to-date
    build would otherwise spend most of its time on.
    """
    found: dict[str, str] = {}
    for entry in reversed(sys.path):  # earlier entries win, as they do for imports
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            stem = name.removesuffix(".dist-info")
            if stem != name and stem.count("-") == 1:
                dist, version = stem.split("-")
                found[_normalise(dist)] = version
    return found


def _metadata_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _source_digest() -> str:
    """Digest of every file in the leaflet package: a developer's edit invalidates stamps."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def referenced_assets(document: Document) -> list[str]:
    """Every file the content names, as written there (relative to the content file)."""
    logo = document.meta.organisation.logo
    return [logo] if logo is not None else []


def gates(strict: bool | None) -> dict[str, Any] | None:
    """How the build was gated: None when it was not; else how strictly, and on which day.

    The day is part of it because gates read the clock (a review date can pass overnight).
    """
    if strict is None:
        return None
    return {"strict": strict, "on": clock.today().isoformat()}


def inputs(
    content_sha256: str,
    assets: Mapping[str, str],
    renderer: str,
    out_dir: Path,
    paper: str | None,
    gated: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The record of what one output is made from; equal records mean equal bytes."""
    return {
        "renderer": renderer,
        "content": content_sha256,
        "assets": dict(sorted(assets.items())),
        "out_dir": str(out_dir.resolve()),
        "paper": paper,
        "gates": dict(gated) if gated is not None else None,
        "tool": tool_fingerprint(),
    }


def asset_digests(project_dir: Path, relatives: Iterable[str]) -> dict[str, str] | None:
    """Digest of each asset; None when one is missing or leads outside the project folder.

    Paths resolve exactly as the renderers resolve them (`assets.resolve`), so the stamp hashes
    the very file that was drawn.
    """
    from leaflet.assets import AssetProblem, resolve  # standard library only: the no-op stays light

    found = {}
    for relative in relatives:
        try:
            found[relative] = file_digest(resolve(project_dir, relative))
        except (AssetProblem, OSError):
            return None
    return found


def read_stamp(out_dir: Path) -> dict[str, Entry]:
    """The stamp's entries by renderer; empty when there is none or it cannot be understood."""
    try:
        raw = json.loads((out_dir / STAMP_NAME).read_text("utf-8"))
        if raw.get("format") != STAMP_FORMAT:
            return {}
        return {name: Entry(renderer=name, **fields) for name, fields in raw["outputs"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def up_to_date(
    content: Path,
    out_dir: Path,
    renderers: Sequence[str],
    paper: str | None,
    strict: bool | None = None,
) -> list[Entry] | None:
    """The stamp's entries when every requested output is current and intact; otherwise None."""
    entries = read_stamp(out_dir)
    if not entries or any(name not in entries for name in renderers):
        return None
    try:
        if content.stat().st_size > MAX_CONTENT_BYTES:
            return None
        content_sha = file_digest(content)
    except OSError:
        return None
    project_dir = content.resolve().parent
    fresh = []
    for name in renderers:
        entry = entries[name]
        recorded = entry.inputs
        assets = asset_digests(project_dir, recorded.get("assets", {}))
        if assets is None:
            return None
        wanted = gates(strict)
        if (
            wanted is not None
            and not wanted["strict"]
            and (recorded.get("gates") or {}).get("strict")
        ):
            wanted["strict"] = True  # what passed strict gates passes the lenient ones too
        if recorded != inputs(content_sha, assets, name, out_dir, paper, wanted):
            return None
        path = out_dir / entry.filename
        try:
            if path.stat().st_size != entry.size or file_digest(path) != entry.sha256:
                return None
        except OSError:
            return None
        fresh.append(entry)
    return fresh


def stamp_bytes(out_dir: Path, new: Iterable[Entry]) -> bytes:
    """The stamp with new entries recorded and the others kept, ready to be written."""
    entries = read_stamp(out_dir)
    for entry in new:
        entries[entry.renderer] = entry
    outputs = {
        name: {
            "filename": e.filename,
            "inputs": e.inputs,
            "sha256": e.sha256,
            "size": e.size,
            "units": e.units,
            "unit_name": e.unit_name,
        }
        for name, e in sorted(entries.items())
    }
    text = json.dumps({"format": STAMP_FORMAT, "outputs": outputs}, indent=1, sort_keys=True)
    return (text + "\n").encode("utf-8")
