"""A content library: a project file (`leaflet.toml`) of shared values and one folder per topic.

```
library/
  leaflet.toml            organisation, contact, logo, theme, editions, paper, output folder
  assets/logo.png         shared assets, named from leaflet.toml relative to it
  topics/<slug>/content.yaml
```

A topic leaves out what the project file gives; its own value wins (mappings merge key by key,
a list or a text is replaced whole). The project file is checked on its own first, each problem
named `leaflet.toml:line:column`; tomllib keeps no positions, so `toml_marks` finds each key and
value in the text itself. A problem in a topic names that topic's file.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaflet.errors import ContentError, Problem
from leaflet.loader import Defaults, Loc, Located, Scalar, format_loc

PROJECT_FILE = "leaflet.toml"
TOPICS_DIR = "topics"
CONTENT_FILE = "content.yaml"
MAX_PROJECT_BYTES = 100_000
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

_KEYS: dict[str, str] = {
    "title": "the catalogue's heading (index.html and catalogue.json)",
    "output": "the output folder, relative to this file",
    "editions": "the editions every topic builds (leaflet, leaflet-large, deck)",
    "paper": "A4 or letter",
    "licence": "the licence of every topic's text",
    "organisation": "a table: name, phone, website, email, address, logo, logo_alt",
    "theme": "a table: primary, accent, text, background, callout_background",
}
"""The keys a project file may hold, and what each means."""

_INTO_CONTENT: dict[str, Loc] = {
    "organisation": ("meta", "organisation"),
    "licence": ("meta", "licence"),
    "theme": ("theme",),
    "paper": ("theme", "paper"),
    "editions": ("editions",),
}
"""Where each shared value goes in a topic's content."""

_RENAMES = (
    ("meta.organisation", "organisation"),
    ("meta.licence", "licence"),
    ("theme.paper", "paper"),
)
"""Content paths as the project file writes them (the rest are the same in both)."""


@dataclass(frozen=True)
class Topic:
    """One topic of a library: its folder and its content file."""

    slug: str
    """The folder's name under topics/: names the outputs, selects with --topic and shards."""
    content: Path
    """Its content.yaml, as reached from the library folder the user named."""


@dataclass(frozen=True)
class Library:
    """A library as found on disk: the shared values, the output folder and every topic."""

    root: Path
    """The library folder as the user named it."""
    title: str
    """The catalogue's heading."""
    out_dir: Path
    """Where every topic builds (`output/` beside leaflet.toml unless it says otherwise)."""
    topics: tuple[Topic, ...]
    """In slug order."""
    shared: Located
    """The shared values shaped as content, marked with their places in the project file."""
    digest: str
    """sha256 of the project file: part of every output's build record."""

    @property
    def project_file(self) -> Path:
        return self.root / PROJECT_FILE

    def defaults(self, topic: Topic) -> Defaults:
        """What the project file gives this topic, for the loader."""
        return Defaults(
            self.shared,
            str(self.project_file),
            self.root.resolve(),
            asset_prefix=f"{TOPICS_DIR}/{topic.slug}/",
            slug=topic.slug,
            renames=_RENAMES,
        )

    def topic(self, slug: str) -> Topic:
        for topic in self.topics:
            if topic.slug == slug:
                return topic
        from leaflet.errors import LeafletError

        known = [t.slug for t in self.topics]
        guess = difflib.get_close_matches(slug, known, n=1, cutoff=0.6)
        hint = f"did you mean '{guess[0]}'?" if guess else f"topics: {', '.join(known) or 'none'}"
        raise LeafletError(f"no topic '{slug}' in {self.root / TOPICS_DIR} ({hint})")


def is_library(path: Path) -> bool:
    """Whether path is a folder holding a project file."""
    return path.is_dir() and (path / PROJECT_FILE).is_file()


def load_library(root: Path) -> Library:
    """The library in root: its project file checked (ContentError naming it) and its topics."""
    from leaflet.cache import FileProblem, read_limited

    project = root / PROJECT_FILE
    name = str(project)
    if project.is_symlink():
        raise ContentError(
            name, [Problem(0, 0, "", "is a link (keep the project file itself in the library)")]
        )
    try:
        raw = read_limited(project, MAX_PROJECT_BYTES)
    except FileProblem as exc:
        raise ContentError(name, [Problem(0, 0, "", str(exc))]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(name, [Problem(line, 1, "", "is not UTF-8 text")]) from None
    data, values, keys = _parse(text, name)
    problems = list(_top_level(data, values, keys))
    problems += _not_text(data, (), values)
    shared = _shared(data, values, keys, name)
    if not problems:
        problems += _validate(shared, root)
    if problems:
        raise ContentError(name, problems)
    output = data.get("output", "output")
    title = data.get("title", "Patient information")
    return Library(
        root=root,
        title=title,
        out_dir=root / output,
        topics=tuple(find_topics(root)),
        shared=shared,
        digest=hashlib.sha256(raw).hexdigest(),
    )


def find_topics(root: Path) -> list[Topic]:
    """Every folder under topics/ (hidden ones left out), in slug order.

    A folder whose name is not a slug, or that holds no content.yaml, is still a topic: its
    build fails with a message, so it is never skipped unseen.
    """
    folder = root / TOPICS_DIR
    try:
        entries = sorted(p for p in folder.iterdir() if p.is_dir() or p.is_symlink())
    except OSError:
        return []
    return [Topic(entry.name, entry / CONTENT_FILE) for entry in entries if entry.name[:1] != "."]


def topic_problem(topic: Topic) -> str | None:
    """What makes a topic folder unbuildable before its content is read, if anything."""
    if not SLUG.fullmatch(topic.slug):
        return (
            f"{topic.content.parent}: the folder name is not a slug (use lower-case letters,"
            " digits and single hyphens, like 'gout' or 'hand-eczema')"
        )
    folder = topic.content.parent
    if folder.is_symlink():
        return (
            f"{folder}: is a link (a topic folder must be a real folder inside the library;"
            " copy the topic in)"
        )
    if not topic.content.is_file():
        return f"{folder}: no {CONTENT_FILE} in this topic folder (add one)"
    return None


def shard_of(slug: str, count: int) -> int:
    """The shard (0-based, of count) a topic belongs to: a hash of its slug, the same anywhere."""
    return int.from_bytes(hashlib.sha256(slug.encode("utf-8")).digest()[:8], "big") % count


def parse_shard(text: str) -> tuple[int, int]:
    """'K/N' (1-based K) as (K, N); ValueError with a message for anything else."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match:
        raise ValueError(f"'{text}' is not K/N (like 2/5: the second of five shares)")
    index, count = int(match[1]), int(match[2])
    if not 1 <= index <= count:
        raise ValueError(f"'{text}': K must be between 1 and N")
    return index, count


def select(
    library: Library, slugs: tuple[str, ...] = (), shard: tuple[int, int] | None = None
) -> list[Topic]:
    """The topics asked for: by slug (each must exist), then this shard's share of them."""
    topics = [library.topic(s) for s in dict.fromkeys(slugs)] if slugs else list(library.topics)
    if shard is not None:
        index, count = shard
        topics = [t for t in topics if shard_of(t.slug, count) == index - 1]
    return topics


# --- the project file -----------------------------------------------------------------------

Marks = dict[Loc, tuple[int, int]]


def _parse(text: str, name: str) -> tuple[dict[str, Any], Marks, Marks]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line, column = (int(found[1]), int(found[2])) if found else (0, 0)
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        problem = Problem(line, column, "", f"TOML syntax error: {message}")
        raise ContentError(name, [problem]) from None
    values, keys = toml_marks(text)
    return data, values, keys


def _top_level(data: dict[str, Any], values: Marks, keys: Marks) -> list[Problem]:
    problems = []
    for key in data:
        if key not in _KEYS:
            line, column = keys.get((key,), (1, 1))
            guess = difflib.get_close_matches(key, list(_KEYS), n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else f"allowed: {', '.join(_KEYS)}"
            problems.append(Problem(line, column, key, f"unknown key '{key}' ({hint})"))
    for key in ("organisation", "theme"):
        if key in data and not isinstance(data[key], dict):
            line, column = values.get((key,), (1, 1))
            problems.append(Problem(line, column, key, f"expected a table ([{key}]): {_KEYS[key]}"))
    if "paper" in data and isinstance(data.get("theme"), dict) and "paper" in data["theme"]:
        line, column = keys.get(("theme", "paper"), (1, 1))
        problems.append(
            Problem(line, column, "theme.paper", "paper is given twice (keep the top-level one)")
        )
    output = data.get("output")
    if isinstance(output, str) and (
        not output.strip() or output.startswith(("/", "~")) or ".." in Path(output).parts
    ):
        line, column = values.get(("output",), (1, 1))
        problems.append(
            Problem(line, column, "output", "give a folder inside the library, like 'output'")
        )
    return problems


def _not_text(data: Any, loc: Loc, values: Marks) -> list[Problem]:
    """Every value must be text (TOML's numbers, dates and booleans are not): content is text."""
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in _not_text(value, (*loc, key), values)]
    if isinstance(data, list):
        return [p for i, value in enumerate(data) for p in _not_text(value, (*loc, i), values)]
    if isinstance(data, str):
        return []
    line, column = values.get(loc, (1, 1))
    return [Problem(line, column, format_loc(loc), f"expected text in quotes, got {data!r}")]


def _shared(data: dict[str, Any], values: Marks, keys: Marks, name: str) -> Located:
    """The shared values shaped as content, each marked where the project file has it."""
    shaped: dict[str, Any] = {}
    out = Located(shaped)
    for key, target in _INTO_CONTENT.items():
        if key not in data:
            continue
        node = shaped
        for part in target[:-1]:
            node = node.setdefault(str(part), {})
        node[str(target[-1])] = data[key]
        for marks, into in ((values, out.values), (keys, out.keys)):
            for at, mark in marks.items():
                if at[:1] == (key,):
                    into[(*target, *at[1:])] = mark
        for end in range(1, len(target)):
            out.values.setdefault(target[:end], values.get((key,), (1, 1)))
    for loc, value in _strings(shaped, ()):
        out.scalars[loc] = Scalar(0, 0, None, value)
    out.origins.update(dict.fromkeys(out.values, name))
    return out


def _strings(data: Any, loc: Loc) -> list[tuple[Loc, str]]:
    if isinstance(data, dict):
        return [s for key, value in data.items() for s in _strings(value, (*loc, key))]
    if isinstance(data, list):
        return [s for i, value in enumerate(data) for s in _strings(value, (*loc, i))]
    return [(loc, data)] if isinstance(data, str) else []


def _validate(shared: Located, root: Path) -> list[Problem]:
    """The shared values checked as content would be, except that a topic may add what is
    missing: every problem but 'is required', named as the project file writes it."""
    from pydantic import ValidationError

    from leaflet import loader
    from leaflet.model import Document

    problems: list[Problem] = []
    try:
        Document.model_validate(shared.data)
    except ValidationError as exc:
        errors = [e for e in exc.errors() if e["type"] != "missing"]
        problems += loader._problems(errors, shared)
    problems += loader._glyphs(shared)
    logo = shared.data.get("meta", {}).get("organisation", {}).get("logo")
    if isinstance(logo, str) and not problems:
        from leaflet.assets import AssetProblem, inspect_image

        try:
            inspect_image(root.resolve(), logo)
        except AssetProblem as exc:
            line, column = shared.values.get(("meta", "organisation", "logo"), (1, 1))
            problems.append(Problem(line, column, "meta.organisation.logo", str(exc)))
    renamed = []
    for problem in problems:
        path = problem.path
        for content, project in _RENAMES:
            if path == content or path.startswith((content + ".", content + "[")):
                path = project + path[len(content) :]
                break
        renamed.append(Problem(problem.line, problem.column, path, problem.message))
    return renamed


# --- where each key and value is in the TOML text --------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<newline>\n)
    | (?P<space>[ \t\r]+)
    | (?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^\\]|\\.)*?\"\"\"\"{0,2}|'''.*?'''\'{0,2}|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')
    | (?P<punct>\[\[|\]\]|[\[\]{}=,.])
    | (?P<bare>[^\s\#=,\[\]{}"'.]+(?:\.[0-9][^\s\#=,\[\]{}"']*)?)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass
class _Tok:
    kind: str
    text: str
    line: int
    column: int


def _tokens(text: str) -> list[_Tok]:
    out = []
    line, start = 1, 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or ""
        if kind not in ("space", "comment"):
            out.append(_Tok(kind, match.group(), line, match.start() - start + 1))
        newlines = match.group().count("\n")
        if newlines:
            line += newlines
            start = match.start() + match.group().rfind("\n") + 1
    return out


def _key_text(token: _Tok) -> str:
    if token.kind == "string":
        value = tomllib.loads(f"k = {token.text}")["k"]
        return str(value)
    return token.text


def toml_marks(text: str) -> tuple[Marks, Marks]:
    """(values, keys): the 1-based (line, column) of every value and key in a TOML text.

    For text tomllib has already parsed, so this reads only as much TOML as it needs to place
    things: tables, array tables, dotted keys, inline tables and arrays.
    """
    tokens = _tokens(text)
    values: Marks = {}
    keys: Marks = {}
    counts: dict[Loc, int] = {}
    pos = 0

    def peek() -> _Tok | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> _Tok:
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def key_path(base: Loc) -> Loc:
        loc = base
        while True:
            token = take()
            loc = (*loc, _key_text(token))
            keys.setdefault(loc, (token.line, token.column))
            values.setdefault(loc, (token.line, token.column))
            following = peek()
            if following is None or following.text != ".":
                return loc
            take()

    def skip_newlines() -> None:
        while (token := peek()) is not None and token.kind == "newline":
            take()

    def value(loc: Loc) -> None:
        token = take()
        values[loc] = (token.line, token.column)
        if token.text == "{":
            while (following := peek()) is not None and following.text != "}":
                if following.text == ",":
                    take()
                    continue
                inner = key_path(loc)
                take()  # '='
                value(inner)
            take()
        elif token.text == "[":
            index = 0
            while True:
                skip_newlines()
                following = peek()
                if following is None or following.text == "]":
                    break
                if following.text == ",":
                    take()
                    continue
                value((*loc, index))
                index += 1
            if peek() is not None:
                take()

    table: Loc = ()
    while (token := peek()) is not None:
        if token.kind == "newline":
            take()
        elif token.text in ("[", "[["):
            take()
            path = key_path(())
            take()  # ']' or ']]'
            if token.text == "[[":
                index = counts.get(path, 0)
                counts[path] = index + 1
                path = (*path, index)
                values[path] = (token.line, token.column)
            else:
                values[path] = (token.line, token.column)
            table = path
        else:
            loc = key_path(table)
            take()  # '='
            value(loc)
    return values, keys
