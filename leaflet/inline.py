"""The tiny inline markup of content text (**bold**, *italic*, [text](url)) parsed into runs."""

from __future__ import annotations

import re
from dataclasses import dataclass

ALLOWED_SCHEMES = ("https", "http", "mailto", "tel")

_TOKEN = re.compile(
    r"\*\*(?P<bold>[^*]+?)\*\*"
    r"|\*(?P<italic>[^*]+?)\*"
    r"|\[(?P<text>[^\[\]]+)\]\((?P<url>[^()\s]+)\)"
)


@dataclass(frozen=True)
class Run:
    """A stretch of text drawn one way."""

    text: str
    """The characters, exactly as the reader sees them; never markup."""
    bold: bool = False
    """Drawn in the bold face."""
    italic: bool = False
    """Drawn in the italic face."""
    url: str | None = None
    """Where a link goes; only the schemes in ALLOWED_SCHEMES."""


class MarkupError(ValueError):
    """Inline markup that cannot be drawn safely, with the offset it starts at."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def link_scheme_ok(url: str) -> bool:
    scheme, sep, _ = url.partition(":")
    return bool(sep) and scheme.lower() in ALLOWED_SCHEMES


def parse(text: str) -> list[Run]:
    """Split text into runs; a stray `*` or `[` is kept as the character it is."""
    runs: list[Run] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() > pos:
            runs.append(Run(text[pos : match.start()]))
        if match["bold"] is not None:
            runs.append(Run(match["bold"], bold=True))
        elif match["italic"] is not None:
            runs.append(Run(match["italic"], italic=True))
        else:
            url = match["url"]
            if not link_scheme_ok(url):
                raise MarkupError(
                    f"link '{url}' must start with https:, http:, mailto: or tel:",
                    match.start("url"),
                )
            runs.append(Run(match["text"], url=url))
        pos = match.end()
    if pos < len(text):
        runs.append(Run(text[pos:]))
    for run in runs:
        if run.url is None and not run.bold and not run.italic and "](" in run.text:
            raise MarkupError(
                "a link is not written right (write [words](https://…), with no spaces or"
                " brackets in the address)",
                text.index("]("),
            )
    return runs


def plain(text: str) -> str:
    """The text a reader sees, with the markup removed."""
    return "".join(run.text for run in parse(text))
