"""The tiny inline markup of content text (**bold**, *italic*, [text](url)) parsed into runs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leaflet.fonts import Face

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

    @property
    def face(self) -> Face:
        """The font face it is drawn (and measured) in."""
        if self.bold and self.italic:
            return "bolditalic"
        return "bold" if self.bold else "italic" if self.italic else "regular"


class MarkupError(ValueError):
    """Inline markup that cannot be drawn safely, with the offset it starts at."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


WEB_ADDRESS = r"(?i:https?)://[A-Za-z0-9._~%!$&'*+,;=:@\[\]-]+(?:[/?#][^\s]*)?"
"""http(s)://host, then anything; characters are checked separately by bad_url_char."""
_LINK_SHAPES = {
    "http": WEB_ADDRESS,
    "https": WEB_ADDRESS,
    "mailto": r"(?i:mailto):[^@\s]+@[^@\s]+",
    "tel": r"(?i:tel):\+?[0-9][0-9().-]*",
}
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]")


def link_scheme_ok(url: str) -> bool:
    scheme, sep, _ = url.partition(":")
    return bool(sep) and scheme.lower() in ALLOWED_SCHEMES


def bad_url_char(url: str) -> int | None:
    """Offset of the first character a URL may not hold as it is (RFC 3986), or None.

    Quotes, angle brackets, backslashes, spaces and non-ASCII letters must be %-escaped; letting
    them through could end an attribute in the PDF's link markup.
    """
    return next((i for i, c in enumerate(url) if not _URL_CHARS.fullmatch(c)), None)


def check_link(url: str, offset: int = 0) -> None:
    """Raise MarkupError unless url is a well-formed https, http, mailto or tel link."""
    if not link_scheme_ok(url):
        raise MarkupError(f"link '{url}' must start with https:, http:, mailto: or tel:", offset)
    bad = bad_url_char(url)
    if bad is not None:
        char = url[bad]
        shown = f"'{char}'" if char.isprintable() else f"U+{ord(char):04X}"
        raise MarkupError(
            f"a link cannot contain {shown} (write it as a %-escape, or copy the address from"
            " the browser's address bar)",
            offset + bad,
        )
    scheme = url.partition(":")[0].lower()
    if not re.fullmatch(_LINK_SHAPES[scheme], url):
        example = {"mailto": "mailto:name@example.org", "tel": "tel:+441632960000"}.get(
            scheme, "https://example.org/page"
        )
        raise MarkupError(f"link '{url}' is not complete (write it like {example})", offset)


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
            check_link(url, match.start("url"))
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
