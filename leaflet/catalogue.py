"""A library's catalogue: `catalogue.json` (versioned) and an accessible `index.html`.

Each topic's build writes its entry beside its outputs (`<slug>-catalogue.json`, recorded like
any output), so shards built on different machines merge by copying their output folders into
one; `leaflet catalogue` then joins the entries. The entries sit in a folder a pull request can
write, so they are read as untrusted: a strict shape under a size limit, and every text escaped
in the page. The shapes are documented in docs/library.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leaflet.errors import LeafletError

if TYPE_CHECKING:
    from leaflet.edition.spec import EditionSpec
    from leaflet.library import Library
    from leaflet.model import Document

ENTRY_SCHEMA = "leaflet-topic/1"
CATALOGUE_SCHEMA = "leaflet-catalogue/1"
MAX_ENTRY_BYTES = 64_000
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?")
_FILE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\.(pdf|pptx|html)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

_FORMATS = {"leaflet": "PDF", "deck": "PowerPoint"}
_EDITION_NAMES = {
    "leaflet": "Leaflet",
    "leaflet-large": "Large print leaflet",
    "leaflet-trifold": "Tri-fold leaflet",
    "leaflet-print": "Leaflet for a print shop (bleed and crop marks)",
    "leaflet-trifold-print": "Tri-fold for a print shop (bleed, crop and fold marks)",
    "deck": "Slide deck for clinicians",
}
# The page's own words, in English for now: they move to the interface catalogues
# (leaflet/data/i18n) when catalogue pages are built per language.


def topic_entry(
    document: Document, specs: Sequence[EditionSpec], translations: Mapping[str, bool] | None = None
) -> bytes:
    """A topic's catalogue entry: what the catalogue shows of it, as canonical JSON bytes.

    translations: by language, whether it is reviewed; its files are in `<lang>/`.
    """
    meta = document.meta
    entry = {
        "schema": ENTRY_SCHEMA,
        "slug": meta.slug,
        "title": {"patient": meta.title.patient, "clinician": meta.title.clinician},
        "language": meta.language,
        "version": meta.version,
        "published": meta.published.isoformat(),
        "reviewed": meta.reviewed.isoformat(),
        "next_review": meta.next_review.isoformat(),
        "organisation": meta.organisation.name,
        "licence": meta.licence,
        "editions": [
            {
                "id": spec.id,
                "file": spec.filename(meta.slug),
                "format": spec.format,
                "audience": spec.audience,
            }
            for spec in specs
        ],
        "translations": [
            {"language": language, "reviewed": reviewed}
            for language, reviewed in sorted((translations or {}).items())
        ],
    }
    return (json.dumps(entry, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


@dataclass(frozen=True)
class Catalogue:
    """What `leaflet catalogue` wrote, and the topics it could not list."""

    json_path: Path
    html_path: Path
    topics: int
    missing: list[str]
    """Topics of the library with no entry in the output folder (not built, or not merged)."""
    ignored: list[str]
    """Entries in the folder that are not a topic of the library, or not of the right shape."""
    changed: bool
    """False when both files already held exactly this (nothing was written)."""


def read_entry(path: Path) -> dict[str, Any] | None:
    """A topic's entry if it has exactly the shape this tool writes, else None."""
    from leaflet.cache import FileProblem, read_limited

    try:
        data = json.loads(read_limited(path, MAX_ENTRY_BYTES).decode("utf-8"))
    except (FileProblem, ValueError, UnicodeError, RecursionError):
        return None
    text_keys = ("slug", "language", "version", "organisation", "licence")
    date_keys = ("published", "reviewed", "next_review")
    expected = {"schema", "title", "editions", "translations", *text_keys, *date_keys}
    if not isinstance(data, dict) or set(data) != expected or data["schema"] != ENTRY_SCHEMA:
        return None
    if not all(isinstance(data[k], str) and len(data[k]) <= 500 for k in text_keys):
        return None
    if not _SLUG.fullmatch(data["slug"]) or path.name != f"{data['slug']}-catalogue.json":
        return None
    if not all(isinstance(data[k], str) and _DATE.fullmatch(data[k]) for k in date_keys):
        return None
    title = data["title"]
    if not isinstance(title, dict) or set(title) != {"patient", "clinician"}:
        return None
    if not all(isinstance(v, str) and len(v) <= 500 for v in title.values()):
        return None
    editions = data["editions"]
    if not isinstance(editions, list) or len(editions) > 16:
        return None
    for edition in editions:
        if not isinstance(edition, dict) or set(edition) != {"id", "file", "format", "audience"}:
            return None
        if not all(isinstance(v, str) and len(v) <= 100 for v in edition.values()):
            return None
        if not _FILE.fullmatch(edition["file"]) or not edition["file"].startswith(
            f"{data['slug']}-{edition['id']}."
        ):
            return None
    translations = data["translations"]
    if not isinstance(translations, list) or len(translations) > 200:
        return None
    for item in translations:
        if not isinstance(item, dict) or set(item) != {"language", "reviewed"}:
            return None
        if not (isinstance(item["language"], str) and _LANGUAGE.fullmatch(item["language"])):
            return None
        if not isinstance(item["reviewed"], bool):
            return None
    return data


def write_catalogue(library: Library, out_dir: Path | None = None) -> Catalogue:
    """Join the topic entries in the output folder into catalogue.json and index.html.

    Lists the library's topics that have an entry, with each edition whose file is there (its
    size and sha256 read now); the rest are reported as missing. Written atomically under the
    output folder's lock.
    """
    from leaflet.build import check_library_out_dir, locked, write_all

    if out_dir is None or out_dir == library.out_dir:
        check_library_out_dir(library.root, library.out_dir)
    out = out_dir or library.out_dir
    slugs = {t.slug for t in library.topics}
    topics: list[dict[str, Any]] = []
    ignored: list[str] = []
    with locked(out):
        for path in sorted(out.glob("*-catalogue.json")):
            entry = read_entry(path)
            if entry is None or entry["slug"] not in slugs:
                ignored.append(path.name)
                continue
            topics.append(_with_files(entry, out))
        topics.sort(key=lambda t: (t["title"]["patient"].casefold(), t["slug"]))
        data = {
            "schema": CATALOGUE_SCHEMA,
            "title": library.title,
            "topics": topics,
        }
        json_bytes = (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode()
        page = index_html(library.title, topics, _today()).encode()
        files = {out / "catalogue.json": json_bytes, out / "index.html": page}
        changed = any(_bytes(path) != data for path, data in files.items())
        if changed:
            write_all(files)
    found = {t["slug"] for t in topics}
    return Catalogue(
        out / "catalogue.json",
        out / "index.html",
        len(topics),
        sorted(slugs - found),
        ignored,
        changed,
    )


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() and not path.is_symlink() else None
    except OSError:
        return None


def _with_files(entry: dict[str, Any], out: Path) -> dict[str, Any]:
    from leaflet.cache import FileProblem, read_limited

    editions = []
    for edition in entry["editions"]:
        path = out / edition["file"]
        try:
            data = read_limited(path, 200_000_000) if not path.is_symlink() else None
        except FileProblem:
            data = None
        if data is None:
            continue
        editions.append({**edition, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    return {**entry, "editions": editions}


def _today() -> dt.date:
    from leaflet import clock

    return clock.today()


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _date(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def index_html(title: str, topics: list[dict[str, Any]], today: dt.date) -> str:
    """The catalogue page: one h1, a table with a row per topic, its editions linked.

    No scripts and no outside resources; every text from content or the project file escaped.
    """
    rows = []
    for topic in topics:
        links = "".join(
            f'<li><a href="{_e(e["file"])}">{_e(_EDITION_NAMES.get(e["id"], e["id"]))}</a>'
            f" ({_FORMATS.get(e['format'], e['format'])}, {max(1, round(e['bytes'] / 1024))} KB)"
            "</li>"
            for e in topic["editions"]
        )
        editions = f"<ul>{links}</ul>" if links else "None built yet"
        first = topic["editions"][0]["file"] if topic["editions"] else ""
        languages = [
            f'<a href="{_e(t["language"])}/{_e(first)}" hreflang="{_e(t["language"])}">'
            f"{_e(t['language'])}</a>" + ("" if t["reviewed"] else " (not yet reviewed)")
            for t in topic.get("translations", [])
        ]
        if languages:
            editions += f"<p>Also in: {', '.join(languages)}</p>"
        due = dt.date.fromisoformat(topic["next_review"])
        flag = ""
        if due < today:
            flag = ' <strong class="overdue">(overdue)</strong>'
        elif (due - today).days <= 60:
            flag = ' <strong class="due">(due soon)</strong>'
        rows.append(
            "<tr>"
            f'<th scope="row" lang="{_e(topic["language"])}">{_e(topic["title"]["patient"])}'
            f'<br><span class="clinical">{_e(topic["title"]["clinician"])}</span></th>'
            f"<td>{editions}</td>"
            f"<td>{_e(topic['version'])}</td>"
            f'<td><time datetime="{topic["reviewed"]}">{_date(topic["reviewed"])}</time></td>'
            f'<td><time datetime="{topic["next_review"]}">{_date(topic["next_review"])}</time>'
            f"{flag}</td>"
            "</tr>"
        )
    count = len(topics)
    body = "\n".join(rows)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; font-size: 1.125rem; line-height: 1.5;
  color: #1a1a1a; background: #fff; max-width: 70rem; margin: 0 auto; padding: 1rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; vertical-align: top; padding: 0.5rem;
  border-bottom: 1px solid #767676; }}
caption {{ text-align: left; padding: 0.5rem 0; }}
ul {{ margin: 0; padding-left: 1.2rem; }}
a {{ color: #1f4e79; }}
a:focus {{ outline: 3px solid #b3541e; }}
.clinical {{ font-weight: normal; }}
.overdue, .due {{ color: #8b1a1a; }}
</style>
</head>
<body>
<main>
<h1>{_e(title)}</h1>
<table>
<caption>{count} topic{"s" if count != 1 else ""}, with the files of each</caption>
<thead>
<tr><th scope="col">Topic</th><th scope="col">Files</th><th scope="col">Version</th>
<th scope="col">Reviewed</th><th scope="col">Next review</th></tr>
</thead>
<tbody>
{body}
</tbody>
</table>
</main>
</body>
</html>
"""


def missing_error(catalogue: Catalogue, out: Path) -> LeafletError:
    """The error for a catalogue that lacks some of the library's topics."""
    names = ", ".join(catalogue.missing)
    return LeafletError(
        f"{len(catalogue.missing)} topic{'s' if len(catalogue.missing) != 1 else ''} not in"
        f" {out}: {names} (build them, or copy every shard's output into {out} first)"
    )
