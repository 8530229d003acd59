"""`leaflet schema` agrees with the loader: what one accepts the other accepts, field by field."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from leaflet.errors import LeafletError
from leaflet.loader import load_text
from leaflet.model import json_schema
from tests.conftest import CONTENT, ROOT

BASE = CONTENT.read_text()
VALIDATOR = jsonschema.Draft202012Validator(json_schema())


def as_an_editor_reads_it(text: str) -> Any:
    """The YAML as a schema-checking editor sees it: YAML 1.2 types, dates as strings."""
    data = YAML(typ="safe", pure=True).load(text)
    return json.loads(json.dumps(data, default=lambda value: value.isoformat()))


def loader_accepts(text: str) -> bool:
    try:
        load_text(text)
    except LeafletError:
        return False
    return True


def schema_accepts(text: str) -> bool:
    return VALIDATOR.is_valid(as_an_editor_reads_it(text))


def test_the_schema_is_itself_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema())


@pytest.mark.parametrize(
    "path", [CONTENT, ROOT / "leaflet" / "data" / "starter.yaml"], ids=["content", "starter"]
)
def test_shipped_content_passes_the_schema(path: Any) -> None:
    text = path.read_text()
    errors = [e.message for e in VALIDATOR.iter_errors(as_an_editor_reads_it(text))]
    assert errors == []


CASES: list[tuple[str, str, bool]] = [
    # (what, content, whether the tool accepts it)
    ("version-quoted", BASE, True),
    ("version-a-number", BASE.replace('version: "1.0"', "version: 1.0"), True),
    ("version-an-integer", BASE.replace('version: "1.0"', "version: 2"), True),
    ("version-a-word", BASE.replace('version: "1.0"', "version: one"), False),
    ("colour-a-name", BASE + "theme: {primary: green}\n", False),
    ("colour-hex", BASE + "theme: {primary: '#112233'}\n", True),
    ("paper-capital", BASE + "theme: {paper: Letter}\n", True),
    ("paper-lower", BASE + "theme: {paper: a4}\n", True),
    ("paper-unknown", BASE + "theme: {paper: A5}\n", False),
    ("language-script", BASE.replace("language: en-GB", "language: zh-Hans\n  country: CN"), True),
    ("country-lower", BASE.replace("language: en-GB", "language: en-GB\n  country: gb"), True),
    ("country-unknown", BASE.replace("language: en-GB", "language: en-GB\n  country: QQ"), False),
    ("language-region", BASE.replace("language: en-GB", "language: es-MX"), True),
    ("language-unknown", BASE.replace("language: en-GB", "language: xx"), False),
    ("language-a-name", BASE.replace("language: en-GB", "language: English"), False),
    ("slug-upper-case", BASE.replace("slug: calcinosis-cutis", "slug: Calcinosis"), False),
    ("slug-41-chars", BASE.replace("slug: calcinosis-cutis", "slug: " + "a" * 41), False),
    ("slug-a-number", BASE.replace("slug: calcinosis-cutis", "slug: 2026"), True),
    ("phone-digits-only", BASE.replace("phone: 01632 960 123", "phone: 5551234"), True),
    ("heading-a-number", BASE.replace("patient: What are calcium deposits?", "patient: 42"), True),
    ("heading-empty", BASE.replace("patient: What are calcium deposits?", "patient:"), False),
    ("site-unknown", BASE.replace("sites: [fingers,", "sites: [fingerz,"), False),
    (
        "site-one-sided",
        BASE.replace("sites: [fingers,", "sites: [{id: fingers, side: left},"),
        True,
    ),
    ("website-ftp", BASE.replace("website: https://", "website: ftp://", 1), False),
    ("editions-none", BASE + "editions: []\n", False),
    ("editions-unknown", BASE + "editions: [poster]\n", False),
    ("editions-some", BASE + "editions: [deck]\n", True),
    ("marker-unknown", BASE.replace("marker: lumps", "marker: blobs"), False),
    ("extra-key", BASE + "colour: blue\n", False),
]


@pytest.mark.parametrize(("what", "text", "accepted"), CASES, ids=[c[0] for c in CASES])
def test_the_schema_and_the_loader_agree(what: str, text: str, accepted: bool) -> None:
    assert text != BASE or what == "version-quoted"  # each case really changes the content
    assert (loader_accepts(text), schema_accepts(text)) == (accepted, accepted)


def test_every_field_has_a_description_for_editor_tooltips() -> None:
    schema = json_schema()
    missing = [
        f"{name}.{field}"
        for name, definition in [("Document", schema), *schema["$defs"].items()]
        for field, spec in definition.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert missing == []
