"""The build record: what each output was made from, so that an unchanged build renders nothing.

The record lives in the output folder, which a pull request can write. So it is read as untrusted
input: a strict, versioned, size-limited shape, bound by an HMAC whose key lives outside the
project (in the user's cache folder), so that a record the tool did not write itself, on this
machine, means "rebuild" and never "up to date". See docs/security.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from leaflet import __version__, clock

if TYPE_CHECKING:
    from leaflet.model import Document

STAMP_NAME = ".leaflet-build.json"
"""Kept beside the outputs; it describes them, so it lives and dies with them."""

STAMP_FORMAT = 2
"""Format 2: entries keyed by topic and edition ('<slug>/<edition>'), bound by an HMAC."""

MAX_RECORD_BYTES = 32_000_000
"""About 55,000 outputs (1.4 KB each): a library of thousands of topics, each edition."""
MAX_ENTRIES = 50_000
MAX_TEXT = 4_096
"""The longest string the record may hold (a path, a digest, a version)."""

KEY_ENV = "LEAFLET_RECORD_KEY_FILE"
"""Overrides where the record key is kept (default: <user cache>/leaflet/record.key)."""


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
    "fontpkg-noto-sans",
    "fontpkg-noto-sans-arabic",
    "fontpkg-noto-sans-devanagari",
    "fontpkg-hind-siliguri",
    "noto-cjk-sans-otc",
    "uharfbuzz",
    "python-bidi",
    "fonttools",
    "pyphen",
)
"""Installed packages whose version can change an output's bytes, or what content passes."""


@dataclass(frozen=True)
class Entry:
    """One output as the record keeps it: where it is, what it was made from, what it holds."""

    slug: str
    """The topic's slug: with the edition, the entry's key."""
    edition: str
    """The edition's id ('leaflet', 'leaflet-large', 'deck')."""
    source: str
    """The content file it was built from (its absolute path, links resolved)."""
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

    @property
    def key(self) -> str:
        return f"{self.slug}/{self.edition}"


@dataclass(frozen=True)
class Record:
    """The outputs of the topics built into one folder, and the editions each source asked for."""

    entries: dict[str, Entry]
    """By '<slug>/<edition>'."""
    sources: dict[str, tuple[str, ...]]
    """By content path: the editions its last full build made (what 'up to date' must cover)."""


EMPTY = Record({}, {})


@dataclass(frozen=True)
class Update:
    """What one build adds to the record: its entries, and what its source asked for."""

    entries: tuple[Entry, ...]
    source: str
    """The content file, as `source_id` names it."""
    editions: tuple[str, ...] | None
    """What the source asks for, when this was a full build of it (None for --only)."""


FileKind = Literal["missing", "folder", "special", "too-big", "unreadable"]


class FileProblem(Exception):
    """A file that is not a small regular file (a FIFO, a device, a folder, too big, a loop)."""

    def __init__(self, message: str, kind: FileKind = "unreadable") -> None:
        super().__init__(message)
        self.kind: FileKind = kind
        """What is wrong, for callers that word it their own way (the loader does)."""


_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
"""O_NONBLOCK: a pipe or device opens at once, so that fstat can refuse it."""


def read_limited(path: Path, limit: int, follow_links: bool = True) -> bytes:
    """A regular file's bytes, refusing anything else before reading, and anything over limit.

    Opened without blocking (a FIFO does not hang the open) and checked on the open handle, so a
    device, a folder or a file swapped in after a check is never read. follow_links=False refuses
    a link as the last part of the path (one made after the caller checked it).
    """
    flags = _READ_FLAGS | (0 if follow_links else getattr(os, "O_NOFOLLOW", 0))
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise FileProblem("not found", "missing") from None
    except OSError as exc:
        raise FileProblem(exc.strerror or "cannot be opened") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem("is a folder, not a file", "folder")
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem("is not a regular file", "special")
        if info.st_size > limit:
            raise FileProblem(f"is {info.st_size:,} bytes; the limit is {limit:,}", "too-big")
        chunks, total = [], 0
        while chunk := os.read(fd, 1 << 20):
            total += len(chunk)
            if total > limit:
                raise FileProblem(f"is larger than the limit of {limit:,} bytes", "too-big")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise FileProblem(exc.strerror or "cannot be read") from None
    finally:
        os.close(fd)


def file_digest(path: Path, limit: int = MAX_CONTENT_BYTES) -> str:
    """The sha256 of a small regular file's bytes, in hex (FileProblem for anything else)."""
    return hashlib.sha256(read_limited(path, limit)).hexdigest()


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
    edition: str,
    out_dir: Path,
    paper: str | None,
    gated: Mapping[str, Any] | None,
    project: str | None = None,
    translation: str | None = None,
) -> dict[str, Any]:
    """The record of what one output is made from; equal records mean equal bytes.

    project: the digest of a library's project file, for a topic that inherits from it;
    translation: the digest of the translation file a translated edition is made from.
    """
    found = {
        "edition": edition,
        "content": content_sha256,
        "assets": dict(sorted(assets.items())),
        "out_dir": str(out_dir.resolve()),
        "paper": paper,
        "gates": dict(gated) if gated is not None else None,
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"),
        "tool": tool_fingerprint(),
    }
    if project is not None:
        found["project"] = project
    if translation is not None:
        found["translation"] = translation
    return found


def asset_digests(project_dir: Path, relatives: Iterable[str]) -> dict[str, str] | None:
    """Digest of each asset; None when one is missing, unsafe or leads outside the project.

    Paths resolve exactly as the renderers resolve them (`assets.resolve`), so the record hashes
    the very file that was drawn.
    """
    from leaflet.assets import MAX_ASSET_BYTES, AssetProblem, resolve  # standard library only

    found = {}
    for relative in relatives:
        try:
            found[relative] = file_digest(resolve(project_dir, relative), MAX_ASSET_BYTES)
        except (AssetProblem, FileProblem):
            return None
    return found


def source_id(content: Path) -> str:
    """How the record names a content file: its absolute path, links resolved."""
    try:
        return str(content.resolve())
    except (OSError, RuntimeError):  # a link loop: never up to date; the loader says why
        return str(content.absolute())


# --- the record's key -----------------------------------------------------------------------


def key_path() -> Path:
    override = os.environ.get(KEY_ENV)
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "leaflet" / "record.key"


@cache
def record_key() -> bytes | None:
    """This machine's secret for binding records; made on first use. None: records not trusted.

    It lives in the user's cache folder, outside every project, so no pull request can read or
    write it. A fresh CI machine has a fresh key, so every record committed to the repository is
    ignored there.
    """
    path = key_path()
    try:
        return _read_key(path)
    except (FileProblem, OSError, ValueError):
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600
        )
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(32).hex().encode())
        return _read_key(path)
    except (FileProblem, OSError, ValueError):
        return None


def _read_key(path: Path) -> bytes:
    key = bytes.fromhex(read_limited(path, 256).decode("ascii"))
    if len(key) < 32:
        raise ValueError("short key")
    return key


def _mac(body: bytes, key: bytes) -> str:
    return hmac.new(key, body, hashlib.sha256).hexdigest()


# --- reading and writing the record ---------------------------------------------------------

_ENTRY_FIELDS: dict[str, type] = {
    "source": str,
    "filename": str,
    "inputs": dict,
    "sha256": str,
    "size": int,
    "units": int,
    "unit_name": str,
}
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_EDITION = re.compile(
    r"(?:[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?/)?[a-z0-9]+(?:-[a-z0-9]+)*"
)
"""An edition's id, after its language and a slash for a translated one ('es/leaflet')."""
_DIGEST = re.compile(r"[0-9a-f]{64}")


class _Bad(Exception):
    """The record is not one this tool wrote: ignore it all."""


def parse_record(raw: bytes, key: bytes | None) -> Record:
    """The record from its bytes: EMPTY unless it has exactly the shape and MAC this tool writes.

    Never raises: every problem with a record means only that nothing is taken as up to date.
    """
    if key is None or len(raw) > MAX_RECORD_BYTES:
        return EMPTY
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or set(data) != {"format", "body", "mac"}:
            raise _Bad
        if data["format"] != STAMP_FORMAT or not isinstance(data["body"], str):
            raise _Bad
        body = data["body"].encode("utf-8")
        mac = data["mac"]
        if not isinstance(mac, str) or not hmac.compare_digest(mac, _mac(body, key)):
            raise _Bad
        return _record_of(json.loads(body))
    except (_Bad, ValueError, RecursionError, MemoryError, UnicodeError):
        return EMPTY


def _record_of(body: Any) -> Record:
    if not isinstance(body, dict) or set(body) != {"outputs", "sources"}:
        raise _Bad
    outputs, sources = body["outputs"], body["sources"]
    if not isinstance(outputs, dict) or not isinstance(sources, dict):
        raise _Bad
    if len(outputs) > MAX_ENTRIES or len(sources) > MAX_ENTRIES:
        raise _Bad
    entries = {}
    for key, fields in outputs.items():
        slug, _, edition = key.partition("/")
        if not (_SLUG.fullmatch(slug) and _EDITION.fullmatch(edition)):
            raise _Bad
        if not isinstance(fields, dict) or set(fields) != set(_ENTRY_FIELDS):
            raise _Bad
        for name, kind in _ENTRY_FIELDS.items():
            value = fields[name]
            if type(value) is not kind or (isinstance(value, str) and len(value) > MAX_TEXT):
                raise _Bad
        name = fields["filename"]
        language, _, plain = edition.rpartition("/")
        folder = f"{language}/" if language else ""
        if not name.startswith(f"{folder}{slug}-{plain}.") or "\\" in name:
            raise _Bad
        if name.count("/") != (1 if language else 0):
            raise _Bad
        if not _DIGEST.fullmatch(fields["sha256"]) or fields["size"] < 0:
            raise _Bad
        entries[key] = Entry(slug=slug, edition=edition, **fields)
    found: dict[str, tuple[str, ...]] = {}
    for source, editions in sources.items():
        if not isinstance(editions, list) or len(editions) > MAX_ENTRIES:  # editions x languages
            raise _Bad
        if not all(isinstance(e, str) and _EDITION.fullmatch(e) for e in editions):
            raise _Bad
        found[source] = tuple(editions)
    return Record(entries, found)


def read_record(out_dir: Path) -> Record:
    """The record in out_dir; EMPTY when there is none, or it is not one this tool wrote here."""
    try:
        raw = read_limited(out_dir / STAMP_NAME, MAX_RECORD_BYTES)
    except FileProblem:
        return EMPTY
    return parse_record(raw, record_key())


def record_bytes(
    out_dir: Path, new: Iterable[Entry], source: str, editions: Sequence[str] | None
) -> bytes:
    """The record with new entries merged into the one in out_dir, bound and ready to write.

    editions: what the source asks for, when this was a full build of it (None for --only).
    Call it while holding the lock, so that concurrent builds do not drop each other's entries.
    """
    update = Update(tuple(new), source, None if editions is None else tuple(editions))
    return merged_record_bytes(out_dir, [update])


def merged_record_bytes(out_dir: Path, updates: Iterable[Update]) -> bytes:
    """The record with every update merged, in order, into the one in out_dir (as
    `record_bytes`, for many builds at once: a library build writes its record once a batch)."""
    record = read_record(out_dir)
    entries = dict(record.entries)
    sources = dict(record.sources)
    for update in updates:
        for entry in update.entries:
            entries[entry.key] = entry
        if update.editions is not None:
            sources[update.source] = update.editions
    outputs = {
        key: {
            "source": e.source,
            "filename": e.filename,
            "inputs": e.inputs,
            "sha256": e.sha256,
            "size": e.size,
            "units": e.units,
            "unit_name": e.unit_name,
        }
        for key, e in sorted(entries.items())
    }
    body = json.dumps(
        {"outputs": outputs, "sources": {s: list(e) for s, e in sorted(sources.items())}},
        indent=1,
        sort_keys=True,
    )
    key = record_key()
    mac = _mac(body.encode("utf-8"), key) if key is not None else ""
    text = json.dumps({"format": STAMP_FORMAT, "body": body, "mac": mac}, indent=1)
    return (text + "\n").encode("utf-8")


def up_to_date(
    content: Path,
    out_dir: Path,
    editions: Sequence[str],
    paper: str | None,
    strict: bool | None = None,
    *,
    asset_root: Path | None = None,
    project: str | None = None,
    record: Record | None = None,
    languages: Sequence[str] | None = None,
) -> list[Entry] | None:
    """The record's entries when every wanted output of this content is current and intact.

    editions: the ids asked for with --only, or empty for those the content asks for (as its last
    full build recorded them). None when anything must be built. For a library topic: assets
    resolve in asset_root, project is the project file's digest, and record may be the output
    folder's record already read.
    """
    if record is None:
        record = read_record(out_dir)
    if not record.entries:
        return None
    source = source_id(content)
    wanted = list(editions) or list(record.sources.get(source, ()))
    if not wanted:
        return None
    if languages is not None and not editions:
        built = sorted({e.split("/")[0] for e in wanted if "/" in e})
        if built != sorted(languages):  # a translation added or removed since
            return None
    try:
        content_sha = file_digest(content)
    except FileProblem:
        return None
    by_edition = {e.edition: e for e in record.entries.values() if e.source == source}
    project_dir = asset_root if asset_root is not None else content.resolve().parent
    fresh = []
    for edition in wanted:
        entry = by_edition.get(edition)
        if entry is None:
            return None
        recorded = entry.inputs
        assets = recorded.get("assets")
        if not isinstance(assets, dict):
            return None
        digests = asset_digests(project_dir, [str(a) for a in assets])
        if digests is None:
            return None
        gated = gates(strict)
        if (
            gated is not None
            and not gated["strict"]
            and (recorded.get("gates") or {}).get("strict")
        ):
            gated["strict"] = True  # what passed strict gates passes the lenient ones too
        translation = None
        if "/" in edition:
            language = edition.split("/")[0]
            try:
                translation = file_digest(content.parent / "translations" / f"{language}.yaml")
            except FileProblem:
                return None
        if recorded != inputs(
            content_sha, digests, edition, out_dir, paper, gated, project, translation
        ):
            return None
        path = out_dir / entry.filename
        try:
            if path.is_symlink() or file_digest(path, entry.size) != entry.sha256:
                return None
        except FileProblem:
            return None
        fresh.append(entry)
    return fresh


TRANSLATIONS_DIR = "translations"
"""The folder beside a content file that holds its translations (`<lang>.yaml`)."""


def translation_files(content: Path) -> dict[str, Path]:
    """The translation files beside a content file, by the language their names give."""
    folder = content.parent / TRANSLATIONS_DIR
    try:
        if folder.is_symlink() or not folder.is_dir():
            return {}
        names = sorted(p for p in folder.iterdir() if p.suffix == ".yaml")
    except OSError:
        return {}
    return {p.stem: p for p in names[:200]}
