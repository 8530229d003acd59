"""An edition's blocks: what one output says, in reading order, before anything is drawn.

Each block's role is the PDF/UA structure role and the HTML element a renderer gives it (the
`role` class attribute). Text is a tuple of inline runs, already in the edition's language and
audience: renderers choose how a run looks, never what it says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar, Literal

from leaflet.diagram.words import SceneWords
from leaflet.inline import Run
from leaflet.model import BlockKind, Marker

Text = tuple[Run, ...]
"""Runs of inline text: content text parsed from its tiny markup, interface words as given."""

CalloutKind = Literal["urgent", "clinic", "advice", "info"]
"""urgent: the first of the warning signs (get urgent help now, or call the clinic when no
sign is an emergency); clinic: the signs for the clinic that follow the emergency ones."""
View = Literal["body", "hand"]


def plain(text: Text) -> str:
    """The characters a reader sees."""
    return "".join(run.text for run in text)


@dataclass(frozen=True)
class Logo:
    """The organisation's image, inside the project folder."""

    path: str
    """Relative to the content file."""
    alt: str


@dataclass(frozen=True)
class TitleBlock:
    """Who publishes it and what it is about; the title is the document's one H1."""

    role: ClassVar[str] = "H1"
    organisation: str
    title: Text
    subtitle: Text | None
    logo: Logo | None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; `label`, when given, leads it in bold ("Mechanism: …")."""

    role: ClassVar[str] = "P"
    text: Text
    label: str | None = None


@dataclass(frozen=True)
class Item:
    """A list item; `quote` is the other audience's words for it, where an edition shows both."""

    role: ClassVar[str] = "LI"
    text: Text
    quote: Text | None = None
    aside: Callout | None = None
    """A callout that belongs to this item (a risk factor's advice)."""
    label: str | None = None
    """For a description list's term: what a screen reader announces as the item's label."""


@dataclass(frozen=True)
class BulletList:
    """A list; `lead`, when given, introduces it ("Advise patients to seek review for:")."""

    role: ClassVar[str] = "L"
    items: tuple[Item, ...]
    lead: str | None = None


@dataclass(frozen=True)
class Callout:
    """A boxed note whose kind is shown by an icon and a word as well as colour."""

    role: ClassVar[str] = "Div"
    kind: CalloutKind
    body: tuple[Block, ...]
    lead: Text | None = None
    """A call to action that follows the heading ("Call your clinic on … if:")."""
    badge: str | None = None
    """The word that names the callout's kind beside its icon ("Urgent"), where an output
    shows one: from the catalogue, never the theme's colour alone."""


@dataclass(frozen=True)
class Card:
    """One of a set of like things (a type, a treatment): a title (H3) and paragraphs."""

    role: ClassVar[str] = "Div"
    id: str
    title: Text
    body: tuple[Paragraph, ...]
    notes: str = ""
    """What a presenter says about it (the deck's speaker notes)."""


@dataclass(frozen=True)
class Cards:
    role: ClassVar[str] = "Div"
    items: tuple[Card, ...]


@dataclass(frozen=True)
class Table:
    """A comparison: a header row, then one row per thing, each cell some paragraphs."""

    role: ClassVar[str] = "Table"
    name: str
    """What the table compares, for its shape name and caption."""
    header: tuple[str, ...]
    rows: tuple[tuple[tuple[Paragraph, ...], ...], ...]
    row_notes: tuple[str, ...]
    """What a presenter says about each row."""
    shares: tuple[float, ...]
    """Each column's share of the width, summing to 1."""
    cue: str
    """What a presenter says about the whole table."""


@dataclass(frozen=True)
class Figure:
    """The body-site diagram, drawn from one scene by each output's own backend."""

    role: ClassVar[str] = "Figure"
    view: View
    sites: tuple[tuple[str, str], ...]
    """(site id, side) in content order."""
    words: SceneWords
    marker: Marker
    """How the diagram marks each site: lumps, patch or spots."""
    alt: str
    description: str = ""
    """A longer description (the deck's speaker notes, a web page's <desc>)."""
    heading: Text = ()
    """A title of its own, where the figure has one (the deck's hand close-up)."""
    terms: tuple[str, ...] = ()
    """The sites as a list, where the output lists them beside the figure."""
    list_lead: str | None = None
    """What introduces that list ("Sites shown:")."""
    fallback: Text = ()
    """The sites as one sentence, for an output that cannot draw the figure."""


@dataclass(frozen=True)
class Section:
    """A part of the content: its heading (H2) and blocks; `kind` is the content's block."""

    role: ClassVar[str] = "Sect"
    id: str
    number: int
    """Its place among the content's sections (0-based), for bookmarks and messages;
    -1 for a section the edition adds."""
    heading: Text
    kind: BlockKind | None
    body: tuple[Block, ...]
    cue: str = ""
    """What a presenter says to open it."""

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        """The section's own paragraphs (before any structured block)."""
        return tuple(b for b in self.body if isinstance(b, Paragraph))


@dataclass(frozen=True)
class Term:
    term: str
    meaning: Text


@dataclass(frozen=True)
class Glossary:
    role: ClassVar[str] = "Div"
    heading: str
    terms: tuple[Term, ...]


@dataclass(frozen=True)
class SourceItem:
    citation: Text
    url: str | None
    accessed: str | None
    """The date it was looked at, as the edition writes dates."""


@dataclass(frozen=True)
class Sources:
    role: ClassVar[str] = "Sect"
    heading: str
    bookmark: str
    items: tuple[SourceItem, ...]
    colophon: Text
    """Who wrote it, when it was published, its licence."""
    cue: str = ""


@dataclass(frozen=True)
class Contact:
    """How patients reach the organisation."""

    role: ClassVar[str] = "Div"
    organisation: str
    phone: str
    website: str
    email: str | None
    address: str | None
    lines: tuple[Text, ...] = ()
    """The contact as a reader is given it, one line each (name, phone and website; email;
    address), links as links."""
    web_address: str = ""
    """The topic's web page, where the QR code leads (meta.url, else website + slug)."""
    qr_alt: str = ""
    """The QR code's alternate text, saying where it leads."""
    also: Text = ()
    """The other editions and languages of the topic ("Also available: large print · web
    page · Polski"); empty when there are none."""


@dataclass(frozen=True)
class Governance:
    """Version and review dates, as the edition writes dates; authors and licence."""

    role: ClassVar[str] = "Div"
    version: str
    published: str
    reviewed: str
    next_review: str
    authors: tuple[tuple[str, str | None], ...]
    """(name, role)."""
    licence: str
    credits: str = ""
    """The authors with their roles, as one series in the edition's words."""
    dates: Dates | None = None
    """The same dates as dates, for a file's own properties (the PPTX core properties)."""
    lines: tuple[Text, ...] = ()
    """Version and review dates, then who wrote it (with roles), when, and the licence: as a
    reader is given them in the body of a document."""


@dataclass(frozen=True)
class Dates:
    """When the content was published and reviewed, and when it is next due for review."""

    published: dt.date
    reviewed: dt.date
    next_review: dt.date


Block = (
    TitleBlock
    | Paragraph
    | BulletList
    | Callout
    | Cards
    | Table
    | Figure
    | Section
    | Glossary
    | Sources
    | Contact
    | Governance
)

__all__ = [
    "Block",
    "BulletList",
    "Callout",
    "Card",
    "Cards",
    "Contact",
    "Dates",
    "Figure",
    "Glossary",
    "Governance",
    "Item",
    "Logo",
    "Paragraph",
    "SceneWords",
    "Section",
    "SourceItem",
    "Sources",
    "Table",
    "Term",
    "Text",
    "TitleBlock",
    "plain",
]
