"""libyaml's event parser (through PyYAML's C binding) for content that parses cleanly.

ruamel's pure-Python parser is the reference: it words every syntax error and is the only one
asked about text that libyaml (YAML 1.1) might read otherwise than ruamel (YAML 1.2). libyaml
streams the same events with the same marks (line, column and character index) about thirty
times faster, so the loader asks it first and turns to ruamel whenever it fails, refuses a
value, or the text holds anything on which the two could disagree: tabs, YAML directives, a
byte-order mark, the Unicode line separators, characters outside YAML's printable set.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_UNSURE = re.compile(
    "[\t\x85\u2028\u2029\ufeff]"
    "|^%"
    "|[^\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]",
    re.MULTILINE,
)
"""What sends a text to ruamel: tabs (YAML's rules for them differ between versions),
directives, a byte-order mark or line separator, and any character YAML does not print."""


class Failed(Exception):
    """libyaml could not parse the text: ruamel will say why, in its own words."""


def events(text: str) -> Iterator[Any] | None:
    """libyaml's events for text, or None when ruamel should parse it (or libyaml is missing).

    Scalar events carry style None for plain scalars, as ruamel's do. A parse error surfaces
    as `Failed` while the events are read.
    """
    if _UNSURE.search(text) is not None:
        return None
    try:
        from yaml import CBaseLoader, YAMLError
    except ImportError:  # PyYAML built without libyaml, or not installed
        return None
    return _stream(CBaseLoader(text), YAMLError)


def _stream(parser: Any, error: type[Exception]) -> Iterator[Any]:
    try:
        while parser.check_event():
            event = parser.get_event()
            if type(event).__name__ == "ScalarEvent" and event.style == "":
                event.style = None
            yield event
    except error:
        raise Failed from None
    finally:
        parser.dispose()
