"""Read content.yaml into a validated Document; every problem is reported with its place."""

from __future__ import annotations

import bisect
import copy
import difflib
import errno
import re
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from leaflet.cache import MAX_CONTENT_BYTES, FileProblem, read_limited
from leaflet.errors import ContentError, Problem
from leaflet.model import Document

MAX_FILE_BYTES = MAX_CONTENT_BYTES
MAX_DEPTH = 12
MAX_NODES = 50_000

Loc = tuple[str | int, ...]
_NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass
class Located:
    """Plain data from YAML (dicts, lists, strings, None) with the place of every key and value."""

    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    """1-based (line, column) where each value starts."""
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    """1-based (line, column) of the key that names each mapping entry."""
    scalars: dict[Loc, Scalar] = field(default_factory=dict)
    """Where each text value lies in the source, to point at one character inside it."""
    text: str = ""
    """The source the marks index into."""
    _line_starts: list[int] = field(default_factory=list, repr=False, compare=False)
    """0-based index where each line of text starts, once a character is asked for."""
    origins: dict[Loc, str] = field(default_factory=dict)
    """The file each value came from when it is not this one (a value a library topic inherits
    from the project file): its marks are in that file."""

    def char_at(self, loc: Loc, offset: int) -> tuple[int, int]:
        """1-based (line, column) of the character at 0-based offset in the value at loc.

        Exact where the character can be traced to the source (quoted escapes included, and any
        literal character); otherwise the start of the value.
        """
        start = self.values.get(loc, (1, 1))
        scalar = self.scalars.get(loc)
        if scalar is None or loc in self.origins:
            return start
        index = scalar.source_index(self.text, offset)
        if index is None:
            return start
        if not self._line_starts:  # made once: counting lines for each problem was quadratic
            self._line_starts[:] = [0, *(m.end() for m in re.finditer("\n", self.text))]
        line = bisect.bisect_right(self._line_starts, index)
        return line, index - self._line_starts[line - 1] + 1

    def origin(self, loc: Loc) -> str | None:
        """The file holding the nearest located value at or above loc, when it is not this one."""
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.values:
                return self.origins.get(loc[:end])
        return None


@dataclass(frozen=True)
class Defaults:
    """What a library's project file gives a topic: merged under the topic's own values.

    A topic's own value wins (mappings merge key by key; a list or text is replaced whole). An
    inherited value keeps its place in the project file, so a problem with it names that file.
    """

    located: Located
    """The shared values, shaped as content (`meta.organisation`, `theme`, `editions`), with
    their marks in the project file."""
    filename: str
    """The project file as messages name it."""
    asset_root: Path
    """The library folder: every topic's assets, and the shared logo, resolve inside it."""
    asset_prefix: str = ""
    """The topic folder from asset_root ('topics/gout/'): a topic's own asset paths, written
    relative to its content file, are read relative to the library folder with this in front."""
    slug: str | None = None
    """The topic's folder name: its meta.slug when the content gives none."""
    renames: tuple[tuple[str, str], ...] = ()
    """(content path, project-file path) prefixes, to name an inherited value as it is written
    in the project file ('meta.organisation' -> 'organisation')."""

    def merged(self, topic: Located) -> Located:
        """The topic's located data with every value it leaves out filled in from here."""
        data = topic.data
        if not isinstance(data, dict) or not isinstance(self.located.data, dict):
            return topic
        logo: tuple[str, ...] = ("meta", "organisation", "logo")
        own_logo = _get(data, logo)
        if self.asset_prefix and isinstance(own_logo, str) and _relative(own_logo):
            _set(data, logo, self.asset_prefix + own_logo)
        if self.slug is not None and isinstance(data.get("meta"), dict):
            data["meta"].setdefault("slug", self.slug)
        self._fill(data, self.located.data, (), topic)
        return topic

    def _fill(self, into: dict[str, Any], shared: dict[str, Any], loc: Loc, out: Located) -> None:
        for key, value in shared.items():
            here = (*loc, key)
            if key not in into:
                into[key] = copy.deepcopy(value)
                self._copy_marks(here, out)
            elif isinstance(into[key], dict) and isinstance(value, dict):
                self._fill(into[key], value, here, out)

    def _copy_marks(self, loc: Loc, out: Located) -> None:
        source = self.located
        for marks, target in ((source.values, out.values), (source.keys, out.keys)):
            for at, mark in marks.items():
                if at[: len(loc)] == loc:
                    target[at] = mark
                    out.origins[at] = self.filename
        for at, scalar in source.scalars.items():
            if at[: len(loc)] == loc:
                out.scalars[at] = scalar

    def placed(self, problem: Problem, located: Located) -> Problem:
        """The problem named in the project file when its place is an inherited value."""
        if problem.file:
            return problem
        origin = next(
            (located.origins[loc] for loc in located.origins if format_loc(loc) == problem.path),
            None,
        )
        if origin is None:
            return problem
        path = problem.path
        for content, project in self.renames:
            if path == content or path.startswith((content + ".", content + "[")):
                path = project + path[len(content) :]
                break
        message = re.sub(
            r"\(add `(\w+): …`\)",
            r"(add `\1 = …` here, or `\1: …` to the topic)",
            problem.message,
        )
        return replace(problem, file=origin, path=path, message=message)


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _set(data: dict[str, Any], loc: tuple[str, ...], value: Any) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def _relative(path: str) -> bool:
    """Not absolute in any way the asset resolver refuses (those must stay refused)."""
    return not path.startswith(("/", "\\", "~")) and not (len(path) > 1 and path[1] == ":")


@dataclass(frozen=True)
class Scalar:
    """A text value's span in the source and how it was quoted."""

    start: int
    """0-based index of its first source character (an opening quote, if any)."""
    end: int
    """0-based index just past its last source character."""
    style: str | None
    """None for plain, `'` or `"` for quoted, `|` or `>` for block scalars."""
    value: str

    def source_index(self, text: str, offset: int) -> int | None:
        if not 0 <= offset < len(self.value):
            return None
        raw = text[self.start : self.end]
        if "\n" not in raw.rstrip("\n"):
            walked = _walk_single_line(raw, self.style, len(self.value))
            if walked is not None:
                return self.start + walked[offset]
        # a literal character: its k-th appearance in the value is its k-th in the source
        char = self.value[offset]
        if raw.count(char) != self.value.count(char):
            return None
        at = -1
        for _ in range(self.value.count(char, 0, offset) + 1):
            at = raw.index(char, at + 1)
        return self.start + at


_ESCAPE_LENGTH = {"x": 4, "u": 6, "U": 10}


def _walk_single_line(raw: str, style: str | None, length: int) -> list[int] | None:
    """Source offset of each value character of a one-line scalar, or None if they disagree."""
    if style is None:
        return list(range(length)) if len(raw) >= length else None
    if style not in ("'", '"') or not raw.startswith(style):
        return None
    out: list[int] = []
    i = 1
    while i < len(raw) - 1 and len(out) < length:
        out.append(i)
        if style == "'" and raw.startswith("''", i):
            i += 2
        elif style == '"' and raw[i] == "\\":
            i += _ESCAPE_LENGTH.get(raw[i + 1 : i + 2], 2)
        else:
            i += 1
    return out if len(out) == length else None


class _YamlProblem(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def _mark(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _describe_event(event: Any) -> str:
    name = type(event).__name__
    return {"MappingStartEvent": "a mapping", "SequenceStartEvent": "a list"}.get(name, "a value")


class _Builder:
    """Turns ruamel's event stream into plain data, refusing what content must not use."""

    def __init__(self, events: Iterator[Any]) -> None:
        self.events = events
        self.out = Located(None)
        self.nodes = 0

    def next(self) -> Any:
        return next(self.events)

    def refuse_extras(self, event: Any) -> None:
        line, col = _mark(event)
        tag = getattr(event, "tag", None)
        if tag is not None:
            tag = getattr(tag, "value", tag)
            raise _YamlProblem(
                line, col, f"YAML tag '{tag}' is not allowed (remove it; content is plain text)"
            )
        if getattr(event, "anchor", None) is not None:
            raise _YamlProblem(
                line,
                col,
                f"YAML anchor '&{event.anchor}' is not allowed (write the value out in full)",
            )

    def value(self, event: Any, loc: Loc, depth: int) -> Any:
        kind = type(event).__name__
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _YamlProblem(*_mark(event), f"more than {MAX_NODES} values (the file is too big)")
        if kind == "AliasEvent":
            raise _YamlProblem(
                *_mark(event),
                f"YAML alias '*{event.anchor}' is not allowed (write the value out in full)",
            )
        self.refuse_extras(event)
        if depth > MAX_DEPTH:
            raise _YamlProblem(*_mark(event), f"nested more than {MAX_DEPTH} levels deep")
        self.out.values[loc] = _mark(event)
        if kind == "ScalarEvent":
            if event.style is None and event.value in _NULLS:
                return None
            self.out.scalars[loc] = Scalar(
                event.start_mark.index, event.end_mark.index, event.style, event.value
            )
            return event.value
        if kind == "SequenceStartEvent":
            items: list[Any] = []
            while type(item := self.next()).__name__ != "SequenceEndEvent":
                items.append(self.value(item, (*loc, len(items)), depth + 1))
            return items
        if kind == "MappingStartEvent":
            mapping: dict[str, Any] = {}
            while type(key_event := self.next()).__name__ != "MappingEndEvent":
                if type(key_event).__name__ != "ScalarEvent":
                    raise _YamlProblem(
                        *_mark(key_event),
                        f"a key must be a plain name, not {_describe_event(key_event)}",
                    )
                self.refuse_extras(key_event)
                key = key_event.value
                if key in mapping:
                    first = self.out.keys[(*loc, key)]
                    raise _YamlProblem(
                        *_mark(key_event),
                        f"duplicate key '{key}' (first given at line {first[0]}; keep one)",
                    )
                self.out.keys[(*loc, key)] = _mark(key_event)
                value_event = self.next()
                mapping[key] = self.value(value_event, (*loc, key), depth + 1)
                if mapping[key] is None:
                    self.out.values[(*loc, key)] = _mark(key_event)
            return mapping
        raise _YamlProblem(*_mark(event), f"unexpected YAML {kind}")

    def document(self) -> Located:
        documents = 0
        for event in self.events:
            kind = type(event).__name__
            if kind == "DocumentStartEvent":
                documents += 1
                if documents > 1:
                    raise _YamlProblem(
                        *_mark(event), "more than one YAML document (remove the second '---')"
                    )
                self.out.data = self.value(self.next(), (), 0)
        return self.out


def parse_yaml(text: str) -> Located:
    """YAML text to located plain data; scalars stay strings so `no`, `012`, `1.10` keep meaning.

    libyaml reads text it is sure of (`leaflet.fastyaml`); anything it fails on or refuses is
    read again by ruamel, whose words every problem keeps.
    """
    from leaflet import fastyaml

    fast = fastyaml.events(text)
    if fast is not None:
        try:
            located = _Builder(fast).document()
        except (_YamlProblem, fastyaml.Failed):
            pass
        else:
            located.text = text
            return located
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    try:
        located = _Builder(iter(YAML(typ="safe", pure=True).parse(text))).document()
        located.text = text
        return located
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = (exc.problem or "").strip()
        context = f" {exc.context.strip()}" if exc.context else ""
        lines = text.splitlines()
        source_line = lines[line - 1] if 0 < line <= len(lines) else ""
        hint = _syntax_hint(problem, source_line)
        raise _YamlProblem(line, col, f"YAML syntax error: {problem}{context}{hint}") from None
    except ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise _YamlProblem(
            line,
            column,
            f"character U+{exc.character:04X} cannot appear in a content file"
            " (is this the right file? content is YAML text)",
        ) from None
    except YAMLError as exc:
        raise _YamlProblem(0, 0, f"YAML error: {exc}") from None


_COLON_IN_VALUE = re.compile(r"^\s*(?:-\s+)?([\w-]+):\s+([^\s\"'|>&*!{\[][^#]*?:\s.*)$")
"""`key: text with: a colon`: a plain value holding ': ', which YAML reads as a second key."""


def _syntax_hint(problem: str, line: str = "") -> str:
    if "mapping values are not allowed" in problem:
        colon = _COLON_IN_VALUE.match(line)
        if colon:
            key, value = colon.groups()
            shown = value if len(value) <= 30 else value[:27] + "…"
            return (
                f" (the text after '{key}:' holds ': ', which YAML reads as another key; put the"
                f' text in double quotes: {key}: "{shown}")'
            )
    if "mapping values are not allowed" in problem or "expected <block end>" in problem:
        return " (check the indentation: keys at one level line up, two spaces deeper per level)"
    if "found character '\\t'" in problem or "\\t" in problem:
        return " (indent with spaces, not tabs)"
    if "could not find expected ':'" in problem:
        return " (each line inside a mapping is 'key: value')"
    return ""


def read_content(path: Path) -> str:
    """The file's text, read once, refusing what is not a small UTF-8 text file in its folder.

    Content arrives by pull request, so the file is treated as hostile before it is parsed: a
    link that leads outside the folder the file is named in is refused (its values would be
    echoed in messages), and the file must be a regular file (opened without blocking, so that a
    pipe or device cannot hang the build) no larger than the limit, read through one descriptor.
    """
    name = str(path)

    def refused(message: str) -> ContentError:
        return ContentError(name, [Problem(0, 0, "", message)])

    try:
        real = _inside_its_folder(path, refused)
        raw = read_limited(real, MAX_FILE_BYTES, follow_links=False)
    except FileNotFoundError:
        raise refused("not found (run `leaflet init` to start a content file)") from None
    except OSError as exc:
        raise refused(f"cannot be read: {exc.strerror}") from None
    except FileProblem as exc:
        raise refused(_content_problem(exc, path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError(
            name,
            [Problem(line, column, "", "is not UTF-8 text (save it as UTF-8 in your editor)")],
        ) from None
    return text


def _content_problem(problem: FileProblem, path: Path) -> str:
    """What to tell a writer whose content path is not a small regular file."""
    if problem.kind == "missing":
        return "not found (run `leaflet init` to start a content file)"
    if problem.kind == "folder":
        inside = path / "content.yaml"
        return f"is a folder, not a content file (name the file in it, like {inside})"
    if problem.kind == "special":
        return "is not a regular file (it is a device, pipe or socket; name a YAML file)"
    if problem.kind == "too-big":
        return str(problem)
    return f"cannot be read: {problem}"


def _inside_its_folder(path: Path, refused: Callable[[str], ContentError]) -> Path:
    """The path to open: the file itself, or where its link leads if that is inside its folder."""
    if not path.is_symlink():
        return path
    try:
        real = path.resolve(strict=True)  # follows a whole chain of links
    except FileNotFoundError:
        raise refused("is a link to a file that does not exist") from None
    except (RuntimeError, OSError) as exc:  # a loop: RuntimeError until Python 3.13
        if isinstance(exc, OSError) and exc.errno != errno.ELOOP:
            raise
        raise refused("is a link that loops back on itself") from None
    if not real.is_relative_to(path.parent.resolve()):
        raise refused(
            "is a link to a file outside its folder (copy the file into the folder instead)"
        )
    return real


def load(path: Path | str) -> Document:
    """Read and validate a content file; raise ContentError listing every problem."""
    return load_located(path)[0]


def load_text(
    text: str, filename: str = "content.yaml", project_dir: Path | None = None
) -> Document:
    """Validate content text; assets are checked inside project_dir when one is given."""
    return load_text_located(text, filename, project_dir)[0]


def load_located(
    path: Path | str, defaults: Defaults | None = None, filename: str | None = None
) -> tuple[Document, Located]:
    """Like `load`, and also the place of every key and value, for checks that report them.

    defaults: what a library's project file gives this topic; filename: how messages name the
    file (default: its name).
    """
    path = Path(path)
    name = filename or str(path)
    try:
        text = read_content(path)
    except ContentError as exc:
        raise ContentError(name, exc.problems) from None
    return load_text_located(text, name, path.resolve().parent, defaults)


def load_text_located(
    text: str,
    filename: str = "content.yaml",
    project_dir: Path | None = None,
    defaults: Defaults | None = None,
) -> tuple[Document, Located]:
    """Like `load_text`, and also the place of every key and value.

    With defaults (a library topic), the project file's values fill in what the content leaves
    out, and assets resolve inside the library folder.
    """
    try:
        located = parse_yaml(text)
    except _YamlProblem as exc:
        raise ContentError(filename, [Problem(exc.line, exc.column, "", exc.message)]) from None
    if defaults is not None:
        project_dir = defaults.asset_root
        try:
            return _validated(defaults.merged(located), filename, project_dir)
        except ContentError as exc:
            raise ContentError(
                filename, [defaults.placed(p, located) for p in exc.problems]
            ) from None
    return _validated(located, filename, project_dir)


def _validated(
    located: Located, filename: str, project_dir: Path | None
) -> tuple[Document, Located]:
    if located.data is None:
        raise ContentError(
            filename,
            [Problem(1, 1, "", "the file is empty (run `leaflet init` for a starting point)")],
        )
    if not isinstance(located.data, dict):
        raise ContentError(
            filename,
            [Problem(1, 1, "", "the file must be a mapping of keys, starting with `meta:`")],
        )
    try:
        document = Document.model_validate(located.data)
    except ValidationError as exc:
        raise ContentError(filename, _problems(exc.errors(), located)) from None
    problems = list(_references(document, located))
    problems += _glyphs(located)
    if project_dir is not None:
        problems += _assets(document, located, project_dir)
    if problems:
        raise ContentError(filename, problems, loaded=(document, located))
    return document, located


def format_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _data_loc(raw: tuple[Any, ...], data: Any) -> tuple[Loc, Any, Any]:
    """The part of a pydantic loc that names real data, the last data reached, and the rest."""
    loc: list[str | int] = []
    node = data
    rest = None
    for part in raw:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            loc.append(part)
            node = node[part]
        elif isinstance(part, str) and (part[:1].isupper() or "[" in part):
            continue  # a union or validator name that pydantic puts in the loc
        else:
            rest = part
            break
    return tuple(loc), node, rest


def _model_at(loc: Loc, root: type[BaseModel] = Document) -> type[BaseModel] | None:
    """The model class that validates the mapping at loc, found by walking field annotations."""
    current: Any = root
    for part in loc:
        if isinstance(part, int):
            current = _unwrap(current)
            continue
        if typing.get_origin(current) is dict:  # a mapping's key names no field
            current = _unwrap(typing.get_args(current)[-1])
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        fld = current.model_fields.get(part)
        if fld is None:
            return None
        current = _unwrap(fld.annotation)
        if typing.get_origin(current) is dict:
            continue
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while True:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        origin = typing.get_origin(annotation)
        if origin in (list, typing.Union, typing.Annotated) or str(origin) == "types.UnionType":
            annotation = args[0]
            continue
        return annotation


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping (key: value lines)"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'" if len(str(value)) <= 40 else "text"


def _problem(err: Any, located: Located, root: type[BaseModel] = Document) -> Problem:
    loc, node, rest = _data_loc(err["loc"], located.data)
    kind = err["type"]
    value = err.get("input")
    line, col = located.values.get(loc, (1, 1))
    path = format_loc(loc)
    message: str
    if kind == "missing":
        key = rest if rest is not None else err["loc"][-1]
        message = f"'{key}' is required here (add `{key}: …`)"
        if isinstance(node, dict) and not node:
            message = f"'{key}' is required (this mapping is empty)"
    elif kind == "extra_forbidden":
        key = loc[-1] if rest is None else rest
        parent = loc[:-1] if rest is None else loc
        line, col = located.keys.get((*parent, key), (line, col))
        path = format_loc((*parent, key))
        model = _model_at(parent, root)
        allowed = list(model.model_fields) if model else []
        guess = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        if guess:
            message = f"unknown key '{key}' (did you mean '{guess[0]}'?)"
        else:
            message = f"unknown key '{key}' (allowed here: {', '.join(allowed)})"
    elif kind == "string_type":
        message = f"expected text, got {_describe(value)}"
    elif kind == "list_type":
        message = f"expected a list (one '- ' line per item), got {_describe(value)}"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"expected a mapping (key: value lines), got {_describe(value)}"
    elif kind in ("date_parsing", "date_type", "date_from_datetime_parsing"):
        message = f"expected a date written YYYY-MM-DD, got {_describe(value)}"
    elif kind == "literal_error":
        expected = err["ctx"]["expected"]
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
        guess = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        hint = f"did you mean '{guess[0]}'?" if guess else f"use one of: {', '.join(options)}"
        message = f"{_describe(value)} is not allowed here ({hint})"
    elif kind == "too_short":
        need = err["ctx"].get("min_length", 1)
        message = f"needs at least {need} item{'s' if need != 1 else ''}"
    elif kind == "bool_parsing":
        message = f"expected yes or no, got {_describe(value)}"
    else:
        message = err["msg"].removeprefix("Value error, ")
        field_name = err.get("ctx", {}).get("field")
        if field_name:
            loc = (*loc, field_name)
            line, col = located.values.get(loc, (line, col))
            path = format_loc(loc)
        offset = err.get("ctx", {}).get("offset")
        if isinstance(offset, int) and rest is None:
            line, col = located.char_at(loc, offset - 1)
    return Problem(line, col, path, message)


def _problems(
    errors: list[Any], located: Located, root: type[BaseModel] = Document
) -> list[Problem]:
    """Translate pydantic errors; a misspelt key is one problem, not also a missing one.

    root: the model the located data was validated against (a content file's Document, or
    another file read the same way, like a translation)."""
    problems = [_problem(err, located, root) for err in errors]
    missing = {
        i: (loc[:-1], loc[-1])
        for i, err in enumerate(errors)
        if err["type"] == "missing"
        and (loc := _data_loc(err["loc"], located.data)[0] + (err["loc"][-1],))
    }
    guessed = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = _data_loc(err["loc"], located.data)[0]
            model = _model_at(loc[:-1], root)
            allowed = list(model.model_fields) if model else []
            for guess in difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6):
                guessed.add((loc[:-1], guess))
    return [p for i, p in enumerate(problems) if missing.get(i) not in guessed]


def _assets(document: Document, located: Located, project_dir: Path) -> list[Problem]:
    from leaflet.assets import AssetProblem, inspect_image

    problems = []
    logo = document.meta.organisation.logo
    if logo is not None:
        loc: Loc = ("meta", "organisation", "logo")
        try:
            inspect_image(project_dir, logo)
        except AssetProblem as exc:
            line, col = located.values.get(loc, (1, 1))
            problems.append(Problem(line, col, format_loc(loc), str(exc)))
    return problems


_NOT_DRAWN = {"logo"}
"""Keys whose text is never printed (a file path), so any character the file system takes goes."""


def _glyphs(located: Located) -> Iterator[Problem]:
    """Every text the fonts cannot draw in full, at its first such character."""
    from leaflet.glyphs import CLINICIAN, PATIENT, describe, missing

    language_scalar = located.scalars.get(("meta", "language"))
    language = language_scalar.value if language_scalar is not None else "en"
    for loc, scalar in located.scalars.items():
        if not loc or loc[-1] in _NOT_DRAWN:
            continue
        audiences = [c for c in (PATIENT, CLINICIAN) if c is PATIENT or "patient" not in loc]
        if "clinician" in loc:
            audiences = [CLINICIAN]
        for coverage in audiences:
            lacking = missing(scalar.value, coverage, language)
            if not lacking:
                continue
            offset, char, label = lacking[0]
            others = len({c for _, c, _ in lacking}) - 1
            more = f"; {others} other character{'s' if others != 1 else ''} too" if others else ""
            line, col = located.char_at(loc, offset)
            yield Problem(
                line,
                col,
                format_loc(loc),
                f"character {describe(char)} is not in the {label}, so it cannot"
                f" be printed{more} (use another character or words)",
            )
            break


def _emergency(doc: Document, at: Callable[[Loc, str], Problem]) -> Iterator[Problem]:
    """An emergency sign tells readers a number to call: the content's country must have one."""
    first = next((i for i, s in enumerate(doc.warning_signs) if s.urgency == "emergency"), None)
    if first is None or doc.meta.emergency_number() is not None:
        return
    region = doc.meta.region()
    if region is None:
        yield at(
            ("warning_signs", first, "urgency"),
            "an emergency sign tells readers which number to call, and that depends on"
            f" their country: add `country:` to meta (the two-letter code, like GB or US;"
            f" '{doc.meta.language}' names no country)",
        )
    else:
        where: Loc = ("meta", "country") if doc.meta.country else ("meta", "language")
        yield at(
            where,
            f"leaflet knows no emergency number for {region}: add `emergency_phone:` to meta"
            " (the number readers there call for an ambulance)",
        )


def _references(doc: Document, located: Located) -> Iterator[Problem]:
    """Problems that span the tree: unknown ids, repeated ids, lists nothing shows."""

    def at(loc: Loc, message: str) -> Problem:
        line, col = located.values.get(loc, (1, 1))
        return Problem(line, col, format_loc(loc), message)

    def unique(name: str, items: list[Any]) -> Iterator[Problem]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                yield at(
                    (name, i, "id"), f"id '{item.id}' is used twice in {name} (ids are unique)"
                )
            seen.add(item.id)

    for name in ("causes", "types", "risk_factors", "treatments", "sections"):
        yield from unique(name, getattr(doc, name))

    def known(loc: Loc, ref: str, pool: list[str], what: str) -> Iterator[Problem]:
        if ref not in ids[what]:  # a set: `in` a list, for every reference, was quadratic
            guess = difflib.get_close_matches(ref, pool, n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else f"known: {', '.join(pool) or 'none'}"
            yield at(loc, f"'{ref}' is not in {what} ({hint})")

    cause_ids = [c.id for c in doc.causes]
    type_ids = [t.id for t in doc.types]
    ids = {"causes": set(cause_ids), "types": set(type_ids)}
    for i, kind in enumerate(doc.types):
        for j, ref in enumerate(kind.causes):
            yield from known(("types", i, "causes", j), ref, cause_ids, "causes")
    for i, treatment in enumerate(doc.treatments):
        for j, ref in enumerate(treatment.for_types):
            yield from known(("treatments", i, "for_types", j), ref, type_ids, "types")

    seen_sites: set[tuple[str, str]] = set()
    for i, site in enumerate(doc.sites):
        if (site.id, site.side) in seen_sites:
            yield at(("sites", i), f"body site '{site.id}' is listed twice")
        seen_sites.add((site.id, site.side))

    shown: dict[str, int] = {}
    for i, section in enumerate(doc.sections):
        if section.block is None:
            if not section.paragraphs:
                yield at(("sections", i), "section has no paragraphs and no block (add one)")
            continue
        if section.block in shown:
            yield at(
                ("sections", i, "block"),
                f"block '{section.block}' is already shown in sections[{shown[section.block]}]",
            )
        shown[section.block] = i
    for block in ("types", "risk_factors", "treatments", "warning_signs"):
        if getattr(doc, block) and block not in shown:
            yield at(
                (block,), f"no section shows these (add `block: {block}` to one of the sections)"
            )
        if block in shown and not getattr(doc, block):
            yield at(
                ("sections", shown[block], "block"),
                f"'{block}' is empty, so this block would show nothing (add {block} or remove it)",
            )
    yield from _emergency(doc, at)
    if doc.sites and "sites" not in shown:
        yield at(("sites",), "no section shows the body sites (add `block: sites` to a section)")
    if "sites" in shown and not doc.sites:
        yield at(
            ("sections", shown["sites"], "block"),
            "'sites' is empty, so this block would show nothing (add sites or remove it)",
        )
