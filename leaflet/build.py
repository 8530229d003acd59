"""The build: load content, render every requested format in memory, then write all at once."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet import cache, clock
from leaflet.errors import LeafletError
from leaflet.renderers import RENDERERS, Options, Rendered

if TYPE_CHECKING:
    from leaflet.checks import Report
    from leaflet.edition.spec import EditionSpec, Paper
    from leaflet.library import Library, Topic
    from leaflet.loader import Defaults, Located
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
    record: cache.Update | None = None
    """The record entries of the outputs written, when the caller writes the record itself
    (`build_topic(..., defer_record=True)`); else None: the build has written them."""


def build(
    content: Path,
    out_dir: Path | None = None,
    only: Sequence[str] = (),
    paper: str | None = None,
    force: bool = False,
    strict: bool | None = None,
    languages: Sequence[str] = (),
) -> BuildResult:
    """Render the content's editions into out_dir; on any failure no output file is changed.

    Every language with a translation beside the content (`translations/<lang>.yaml`) is built
    too, into `out_dir/<lang>/`; languages: only these (the content's own language and
    translations' languages), all when empty.

    out_dir None: `output/` beside the content file, refused if it is a link out of the project
    (a folder named explicitly may be anywhere). strict=None renders without the quality gates;
    False runs them first (errors stop the build); True also stops on warnings. Unless forced,
    outputs that this machine's build record shows were made, and gated, from the same content,
    assets, options and tool, and that are still intact, are left alone: nothing is loaded,
    checked, rendered or even imported for them.
    """
    clock.source_date_epoch()  # a value reportlab cannot use is refused before any work
    if out_dir is None:
        out_dir = default_out_dir(content)
        check_project_out_dir(content, out_dir)
    return _build(_Source(content), out_dir, only, paper, force, strict, languages)


def build_topic(
    library: Library,
    topic: Topic,
    out_dir: Path | None = None,
    only: Sequence[str] = (),
    paper: str | None = None,
    force: bool = False,
    strict: bool | None = None,
    record: cache.Record | None = None,
    languages: Sequence[str] = (),
    defer_record: bool = False,
) -> BuildResult:
    """One topic of a library, as `build` builds one content file, with the project file's
    values filled in; also writes the topic's entry for the catalogue (`<slug>-catalogue.json`).

    out_dir None: the library's output folder. record: the output folder's build record when the
    caller has read it already (a library build reads it once for every topic). defer_record:
    write the outputs only, and hand back their record entries (`BuildResult.record`) for the
    caller to merge, with other topics', in one write.
    """
    from leaflet.library import topic_problem

    if out_dir is None:
        out_dir = library.out_dir
        _check_link(library.root, out_dir)
    problem = topic_problem(topic)
    if problem is not None:
        raise LeafletError(problem)
    source = _Source(
        topic.content,
        name=str(topic.content),
        defaults=library.defaults(topic),
        project=library.digest,
        record=record,
    )
    return _build(source, out_dir, only, paper, force, strict, languages, defer_record)


def topic_up_to_date(
    library: Library,
    topic: Topic,
    out_dir: Path,
    only: Sequence[str] = (),
    paper: str | None = None,
    strict: bool | None = None,
    record: cache.Record | None = None,
) -> BuildResult | None:
    """The topic's outputs when `build_topic` would find them all up to date, else None.

    Loads, checks and renders nothing, so a library build can ask it of every topic before
    starting any worker.
    """
    from leaflet.library import topic_problem

    if topic_problem(topic) is not None:
        return None
    source = _Source(
        topic.content, defaults=library.defaults(topic), project=library.digest, record=record
    )
    return _fresh(source, out_dir, only, paper, strict)


def _fresh(
    source: _Source, out_dir: Path, only: Sequence[str], paper: str | None, strict: bool | None
) -> BuildResult | None:
    wanted = [*only, CATALOGUE_ENTRY] if source.defaults is not None and only else only
    fresh = cache.up_to_date(
        source.content,
        out_dir,
        wanted,
        paper,
        strict,
        asset_root=source.asset_root,
        project=source.project,
        record=source.record,
        languages=None if only else sorted(cache.translation_files(source.content)),
    )
    if fresh is None:
        return None
    return BuildResult(
        [Written(out_dir / e.filename, e.units, e.unit_name, e.size, rebuilt=False) for e in fresh]
    )


CATALOGUE_ENTRY = "catalogue"
"""The record's edition id for a library topic's catalogue entry (`<slug>-catalogue.json`)."""


@dataclass(frozen=True)
class _Source:
    """Where a build's content comes from: a lone file, or a library topic with its defaults."""

    content: Path
    name: str | None = None
    """How messages name the content file (default: as given)."""
    defaults: Defaults | None = None
    project: str | None = None
    """The library project file's digest, recorded with every output."""
    record: cache.Record | None = None

    @property
    def asset_root(self) -> Path:
        if self.defaults is not None:
            return self.defaults.asset_root
        try:
            return self.content.resolve().parent
        except (OSError, RuntimeError):  # a link loop: the loader says so
            return self.content.absolute().parent


def _build(
    source: _Source,
    out_dir: Path,
    only: Sequence[str],
    paper: str | None,
    force: bool,
    strict: bool | None,
    languages: Sequence[str] = (),
    defer_record: bool = False,
) -> BuildResult:
    content = source.content
    in_library = source.defaults is not None
    check_out_dir(out_dir)
    if not force and not languages:
        fresh = _fresh(source, out_dir, only, paper, strict)
        if fresh is not None:
            return fresh
    # Inputs are hashed before they are used, so that an edit made during the build leaves a
    # record that no longer matches, never one that wrongly does.
    try:
        content_sha = cache.file_digest(content)
    except cache.FileProblem:
        content_sha = ""  # the loader says what is wrong with it
    from leaflet.edition import EDITIONS

    gated = cache.gates(strict)
    document, report, translations = _checked(source, strict, languages)
    project_dir = source.asset_root
    assets = cache.asset_digests(project_dir, cache.referenced_assets(document)) or {}
    options = Options(project_dir=project_dir)
    own = document.meta.language
    chosen = _languages(languages, own, translations, content)
    specs = [EDITIONS[name].with_paper(_paper(paper)) for name in only or document.editions]
    from leaflet.edition.compose import family_of

    # Every (edition, language) the topic has, whichever of them this build makes: the
    # leaflet's "Also available" line lists the others.
    family = family_of(
        document, [spec.id for spec in specs], list(cache.translation_files(content))
    )
    slug = document.meta.slug
    rendered: dict[str, Rendered] = {}
    targets: dict[str, Path] = {}
    digests: dict[str, str | None] = {}
    if own in chosen:
        for spec in specs:
            rendered[spec.id] = render_edition(document, spec, options, family)
            targets[spec.id] = out_dir / spec.filename(slug)
            digests[spec.id] = None
    for language, (translated, reviewed, sha) in translations.items():
        if language not in chosen:
            continue
        for spec in specs:
            key = f"{language}/{spec.id}"
            spec_l = replace(spec, unreviewed=not reviewed)
            rendered[key] = render_edition(translated, spec_l, options, family)
            targets[key] = out_dir / language / spec.filename(slug)
            digests[key] = sha
    if in_library:
        from leaflet.catalogue import topic_entry

        entry = topic_entry(
            document,
            [EDITIONS[name] for name in document.editions],
            {lang: reviewed for lang, (_, reviewed, _) in translations.items()},
        )
        rendered[CATALOGUE_ENTRY] = Rendered(entry, 1, "topic")
        targets[CATALOGUE_ENTRY] = out_dir / f"{slug}-{CATALOGUE_ENTRY}.json"
        digests[CATALOGUE_ENTRY] = None
    record_source = cache.source_id(content)
    entries = [
        cache.Entry(
            slug=slug,
            edition=name,
            source=record_source,
            filename=str(targets[name].relative_to(out_dir)),
            inputs=cache.inputs(
                content_sha,
                assets,
                name,
                out_dir,
                paper,
                gated,
                project=source.project,
                translation=digests[name],
            ),
            sha256=hashlib.sha256(rendered[name].data).hexdigest(),
            size=len(rendered[name].data),
            units=rendered[name].units,
            unit_name=rendered[name].unit_name,
        )
        for name in targets
    ]
    asked: list[str] | None = None
    if not only and not languages:
        asked = [*document.editions]
        asked += [f"{lang}/{e}" for lang in translations for e in document.editions]
        if in_library:
            asked.append(CATALOGUE_ENTRY)
    files = {targets[name]: rendered[name].data for name in targets}
    update = cache.Update(tuple(entries), record_source, None if asked is None else tuple(asked))
    with locked(out_dir):
        # The record goes last, and all in one replacement: it never vouches for files not yet
        # in place, and a failure at the record puts the outputs back as well.
        if not defer_record:
            files[out_dir / cache.STAMP_NAME] = cache.merged_record_bytes(out_dir, [update])
        write_all(files)
    written = [
        Written(targets[n], rendered[n].units, rendered[n].unit_name, len(rendered[n].data))
        for n in targets
    ]
    return BuildResult(written, report, update if defer_record else None)


def default_out_dir(content: Path) -> Path:
    """`output/` beside the content file."""
    return content.parent / "output"


def check_out_dir(out_dir: Path) -> None:
    """Refuse an output folder that is a file, or a link that is not a folder."""
    try:
        info = out_dir.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise LeafletError(
            f"{out_dir}: cannot be used as the output folder: {exc.strerror}"
        ) from None
    if not stat.S_ISDIR(info.st_mode):
        raise LeafletError(
            f"{out_dir}: is a file, not a folder (remove it, or choose another folder with --out)"
        )


def check_project_out_dir(content: Path, out_dir: Path) -> None:
    """Refuse a default output folder that is a link to a place outside the project folder.

    The output folder can arrive in a pull request; a link committed as `output` would make the
    build write wherever it points. A folder the user names with --out is theirs to choose.
    """
    _check_link(content.absolute().parent, out_dir)


def _check_link(project: Path, out_dir: Path) -> None:
    """out_dir, links followed at every level, must stay inside project (and not be it)."""
    try:
        root = project.resolve()
        target = out_dir.resolve()
    except (OSError, RuntimeError):
        raise LeafletError(
            f"{out_dir}: is a link that loops back on itself (remove the link)"
        ) from None
    if target == root:
        raise LeafletError(
            f"{out_dir}: is the project folder itself (write the outputs into a folder of their"
            " own, like output/)"
        )
    if not target.is_relative_to(root):
        raise LeafletError(
            f"{out_dir}: is a link to {target}, outside the project folder (remove the link;"
            " to write elsewhere on purpose, name the folder with --out)"
        )


def check_library_out_dir(root: Path, out_dir: Path) -> None:
    """A library's configured output folder (leaflet.toml's `output`) stays inside the library:
    the project file and any link on the way come from the pull request."""
    _check_link(root, out_dir)


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold out_dir's build lock: one build at a time replaces outputs and merges the record.

    The lock is on the folder itself (flock on its descriptor), so nothing is added to it.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(out_dir, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise LeafletError(f"cannot write in {out_dir}: {exc.strerror}") from None
    try:
        try:
            import fcntl
        except ImportError:  # Windows: builds into one folder are not serialised
            yield
            return
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def render_edition(
    document: Document,
    spec: EditionSpec,
    options: Options,
    family: tuple[tuple[str, str], ...] | None = None,
) -> Rendered:
    """One edition of the document, composed and drawn in memory; family: the (edition,
    language) pairs the build makes, which the leaflet lists as other formats."""
    from leaflet.edition import compose

    return RENDERERS[spec.format].render(compose(document, spec, family), options)


def _paper(paper: str | None) -> Paper | None:
    if paper is None:
        return None
    if paper not in ("A4", "letter"):
        raise LeafletError(f"unknown paper {paper!r}: use A4 or letter")
    return "A4" if paper == "A4" else "letter"


Translated = dict[str, tuple["Document", bool, str]]
"""By language: the translated document, whether it is reviewed, the translation's sha256."""


def _checked(
    source: _Source, strict: bool | None, languages: Sequence[str] = ()
) -> tuple[Document, Report | None, Translated]:
    """The validated content, the gates' report unless strict is None (no gates), and each
    translation's document (the gates have checked it; without gates, it must still cover
    every text)."""
    if strict is None:
        from leaflet.loader import load_located

        document, located = load_located(source.content, source.defaults, source.name)
        return document, None, _translations_ungated(source, document, located, languages)
    from leaflet.checks import gate_build

    if source.defaults is None:
        report = gate_build(source.content, strict=strict, languages=languages)
    else:
        report = gate_build(
            source.content,
            strict=strict,
            defaults=source.defaults,
            filename=source.name,
            languages=languages,
        )
    assert report.document is not None  # a report without a load error always has one
    found: Translated = {}
    for language in report.languages:
        assert language.document is not None and language.translation is not None  # gated
        found[language.language] = (
            language.document,
            language.reviewed,
            _translation_sha(source.content, language.language),
        )
    return report.document, report, found


def _translations_ungated(
    source: _Source, document: Document, located: Located, languages: Sequence[str] = ()
) -> Translated:
    from leaflet.errors import ContentError, Problem
    from leaflet.loader import format_loc
    from leaflet.translation import (
        coverage,
        display_name,
        load_translation,
        translated,
        translation_files,
    )

    name = source.name or str(source.content)
    found: Translated = {}
    for language, path in translation_files(source.content).items():
        if languages and language not in languages:
            continue  # not asked for: a translation behind its English does not stop the others
        translation = load_translation(path, display_name(name, path))
        missing = coverage(document, translation).missing
        if missing:
            raise ContentError(
                name,
                [
                    Problem(
                        *located.values.get(p.loc, (1, 1)),
                        format_loc(p.loc),
                        f"no {language} translation of this text (unit '{p.unit}')",
                    )
                    for p in missing
                ],
            )
        doc, _ = translated(document, located, translation, name, source.asset_root)
        found[language] = (doc, translation.reviewed, _translation_sha(source.content, language))
    return found


def _translation_sha(content: Path, language: str) -> str:
    from leaflet.translation import translation_files

    try:
        return cache.file_digest(translation_files(content)[language])
    except (cache.FileProblem, KeyError):
        return ""


def _languages(asked: Sequence[str], own: str, translations: Translated, content: Path) -> set[str]:
    """The languages to build: those asked for, each the content's own or a translation's."""
    known = [own, *translations]
    if not asked:
        return set(known)
    for language in asked:
        if language not in known:
            raise LeafletError(
                f"no translation into '{language}' beside {content} (there are:"
                f" {', '.join(known)}; add translations/{language}.yaml, see"
                " `leaflet translate export`)"
            )
    return set(asked)


STAGING_PREFIX = ".leaflet-staging-"


def staging_dir(out_dir: Path) -> Path:
    """A new staging folder for one build: beside out_dir, hidden, on the same disk.

    Never inside out_dir, so a build killed mid-write leaves nothing half-made among the outputs;
    each build has its own (named by its process id), and a later build removes those whose
    process has gone.
    """
    out = out_dir.absolute()
    parent = out.parent if out.parent != out else out
    _clear_dead_staging(parent, out.name)
    try:
        made = tempfile.mkdtemp(prefix=f".{out.name}{STAGING_PREFIX}{os.getpid()}-", dir=parent)
        path = Path(made)
        if path.stat().st_dev == out.stat().st_dev:
            return path
        path.rmdir()  # another disk: a rename would not be atomic
    except OSError:
        pass
    made = tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out)
    return Path(made)


def _clear_dead_staging(parent: Path, name: str) -> None:
    for prefix, where in ((f".{name}{STAGING_PREFIX}", parent), (STAGING_PREFIX, parent / name)):
        try:
            found = [p for p in where.iterdir() if p.name.startswith(prefix)]
        except OSError:
            continue
        for folder in found:
            pid = folder.name.removeprefix(prefix).split("-", 1)[0]
            if pid.isdigit() and not _alive(int(pid)) and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)


def write_all(files: dict[Path, bytes]) -> None:
    """Write every file in full to a staging folder, then rename each into place, all or none.

    A failure at any point puts back every target already replaced (and removes those that did
    not exist before), so a build changes every output or none; a process killed mid-way leaves
    each target either as it was or wholly replaced, and nothing half-written beside them.
    """
    if not files:
        return
    out_dir = next(iter(files)).parent
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = staging_dir(out_dir)
    done: list[tuple[Path, Path | None]] = []
    """(target, its earlier file kept in staging, or None when there was none)."""
    current = next(iter(files))
    try:
        staged: dict[Path, Path] = {}
        mode = 0o666 & ~_umask()
        for index, (target, data) in enumerate(files.items()):
            current = target
            temp = staging / f"{index}.new"
            with open(temp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, mode)
            staged[target] = temp
            target.parent.mkdir(parents=True, exist_ok=True)  # a language's own folder
        for index, (target, temp) in enumerate(staged.items()):
            current = target
            backup: Path | None = staging / f"{index}.old"
            assert backup is not None
            try:
                os.link(target, backup)
            except FileNotFoundError:
                backup = None
            except OSError:
                if target.is_dir():
                    raise IsADirectoryError(21, "Is a directory", str(target)) from None
                if target.is_symlink():  # keep the link itself, never read what it names
                    os.symlink(os.readlink(target), backup)
                else:
                    shutil.copy2(target, backup)
            os.replace(temp, target)
            done.append((target, backup))
    except OSError as exc:
        _roll_back(done)
        raise LeafletError(_write_problem(current, exc)) from None
    except BaseException:
        _roll_back(done)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _roll_back(done: list[tuple[Path, Path | None]]) -> None:
    for target, backup in reversed(done):
        with contextlib.suppress(OSError):
            if backup is None:
                target.unlink()
            else:
                os.replace(backup, target)


def _write_problem(target: Path, exc: OSError) -> str:
    """What went wrong, naming the output (never a temporary file) and, for a full disk, where."""
    if exc.errno == errno.ENOSPC:
        return f"cannot write {target}: the disk holding {target.parent} is full (free some space)"
    if exc.errno == errno.EISDIR or target.is_dir():
        return f"cannot write {target}: a folder of that name is in the way (remove it)"
    return f"cannot write {target}: {exc.strerror or exc}; nothing was changed"


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
