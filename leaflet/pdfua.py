"""Tagged PDF (PDF/UA-1) for reportlab platypus: structure marked while drawing, written after."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import io
import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Table

from leaflet import __version__

# The hooks below use reportlab internals (Canvas._code, PDFTextObject._code and _textOut,
# paragraph.py's tx._linkRecord, Canvas._annotationrefs): pyproject pins reportlab's range.

__all__ = [
    "AnnotationRef",
    "Element",
    "MarkedContent",
    "NullTagger",
    "Tagger",
    "TaggingCanvas",
    "TaggingError",
    "decoration",
]

ROLES = frozenset(
    {
        *("Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "NonStruct"),
        *("TOC", "TOCI", "Index", "Private", "H", "H1", "H2", "H3", "H4", "H5", "H6"),
        *("P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH", "TD", "THead", "TBody"),
        *("TFoot", "Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link"),
        *("Annot", "Ruby", "Warichu", "Figure", "Formula", "Form"),
    }
)
"""The standard structure types of ISO 32000-1, 14.8.4; no RoleMap is written."""

_SHOWS_TEXT = re.compile(r"[)>\]]\s*(?:Tj|TJ|'|\")(?=\s|$)")
_PAINTS = frozenset(["f", "F", "f*", "S", "s", "B", "B*", "b", "b*", "Do", "sh", "BI"])
_BFCHAR_BLOCK = re.compile(rb"(\d+) beginbfchar\s(.*?)\sendbfchar", re.S)
_BFCHAR_ENTRY = re.compile(rb"<[0-9A-Fa-f]+>\s*<[0-9A-Fa-f]+>")


ACTUAL_TEXTS: dict[tuple[str, str], str | tuple[tuple[int, str], ...]] = {}
"""(font name, characters drawn) → the text they stand for, where shaping drew glyphs that do
not spell it (joined Arabic forms, Indic conjuncts): such a word is marked with /ActualText, so
that extraction, search and screen readers get the real text. Left-to-right words get one span;
right-to-left words, whose glyphs are set in visual order, one span per cluster of glyphs
((glyph count, letters) in drawing order), as text extractors expect of right-to-left text.
The renderer fills it."""


def _actual_text(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class TaggingError(RuntimeError):
    """The document cannot be tagged as built: a bug in the renderer, never a content error."""


@dataclass(frozen=True)
class MarkedContent:
    """A marked-content sequence: content on one page, numbered by its MCID there."""

    page: int
    """Page index, from 0."""
    mcid: int
    """Marked-content id, unique on its page."""


@dataclass(frozen=True)
class AnnotationRef:
    """A link annotation, found after the build by its page and place in /Annots."""

    page: int
    """Page index, from 0."""
    index: int
    """Index in the page's /Annots array."""


@dataclass(eq=False)
class Element:
    """A structure element of the tree; kids are elements and content, in reading order."""

    role: str
    """Standard structure type, e.g. "P", "H1", "Figure"."""
    kids: list[Element | MarkedContent | AnnotationRef] = field(default_factory=list)
    """Children in reading order."""
    alt: str | None = None
    """Alternate description (/Alt): required on figures."""
    attributes: dict[str, Any] = field(default_factory=dict)
    """Attribute dictionary (/A) entries, with /O, e.g. {"O": "Table", "Scope": "Column"}."""
    text: list[str] = field(default_factory=list)
    """Text drawn into a Link, for its annotation's /Contents."""
    url: str | None = None
    """A Link's target, for /Contents when it draws no text."""
    after: list[Element] = field(default_factory=list)
    """Elements nested under a tagged flowable's element (`within`), read after its content."""

    def add(self, role: str, **kw: Any) -> Element:
        """A new child element, appended."""
        if role not in ROLES:
            raise TaggingError(f"{role!r} is not a standard structure type")
        child = Element(role, **kw)
        self.kids.append(child)
        return child


class Tagger:
    """Builds the structure tree of one document while its story is assembled and drawn.

    Use: wrap flowables with tag/item/figure/table while building the story (inside
    `group` blocks for Sect, L, Div); build with `canvasmaker=tagger.canvasmaker`; wrap
    onPage callbacks with `artifact`; then `finish` the bytes. One Tagger per build.
    """

    def __init__(self) -> None:
        self.root = Element("Document")
        self._stack = [self.root]

    @property
    def current(self) -> Element:
        """The element new tagged flowables are added to."""
        return self._stack[-1]

    @contextlib.contextmanager
    def group(self, role: str, **kw: Any) -> Iterator[Element]:
        """A grouping element (Sect, L, Div, …) holding what is tagged inside the block."""
        with self.within(self.current.add(role, **kw)) as element:
            yield element

    @contextlib.contextmanager
    def within(self, target: Element | Flowable) -> Iterator[Element]:
        """What is tagged inside the block goes into `target`, made earlier: a section whose
        block is set after other content; or, for a flowable made by `tag`/`item`, into its
        element (an item's LBody), as for a callout under a list item."""
        if isinstance(target, Element):
            self._stack.append(target)
            try:
                yield target
            finally:
                self._stack.pop()
            return
        if not isinstance(target, _Tagged):
            raise TaggingError(f"within() takes an element or a tagged flowable, not {target!r}")
        # The flowable's content is marked when it is drawn, later: what is nested now is
        # held apart and read after that content.
        holder = Element(target.body.role)
        self._stack.append(holder)
        try:
            yield target.body
        finally:
            self._stack.pop()
            target.body.after += [k for k in holder.kids if isinstance(k, Element)]

    def tag(self, flowable: Flowable, role: str = "P") -> Flowable:
        """A flowable whose text is one element (P, H1, …); links inside become Link."""
        return _Tagged(flowable, body=self.current.add(role))

    def item(self, paragraph: Flowable, label: str | None = None) -> Flowable:
        """A list item (LI): the paragraph's bulletText as Lbl, its text as LBody.

        With `label`, the paragraph's text starts with the label (a glossary term set in
        bold before its meaning): that leading text is the Lbl, the rest the LBody. The
        wrapper's `body` is the LBody, for content nested in the item (`within`).
        """
        if self.current.role != "L":
            raise TaggingError("item() belongs inside group('L')")
        li = self.current.add("LI")
        has_label = label is not None or getattr(paragraph, "bulletText", None)
        lbl = li.add("Lbl") if has_label else None
        chars = _visible_chars(label) if label is not None else 0
        if label is not None and not chars:
            raise TaggingError("an item's label needs visible text")
        return _Tagged(paragraph, body=li.add("LBody"), label=lbl, label_chars=chars)

    def figure(self, flowable: Flowable, alt: str) -> Flowable:
        """An Image or Drawing as a Figure with alternate text and its bounding box."""
        if not alt.strip():
            raise TaggingError("a figure needs alternate text")
        return _Tagged(flowable, body=self.current.add("Figure", alt=alt), figure=True)

    def table(
        self,
        rows: Sequence[Sequence[Flowable | Sequence[Flowable]]],
        header_rows: int = 1,
        **table_kw: Any,
    ) -> Table:
        """A data Table: TR rows of TH (scope Column) then TD cells, each flowable a P."""
        table = self.current.add("Table")
        data: list[list[list[Flowable]]] = []
        for r, row in enumerate(rows):
            tr = table.add("TR")
            header = r < header_rows
            cells: list[list[Flowable]] = []
            for cell in row:
                if isinstance(cell, str):  # drawn by Table itself, out of reach of tagging
                    raise TaggingError(f"table row {r}: give Paragraphs, not {cell!r}")
                flowables = list(cell) if isinstance(cell, Sequence) else [cell]
                attrs = {"O": "Table", "Scope": "Column"} if header else {}
                td = tr.add("TH" if header else "TD", attributes=attrs)
                for f in flowables:
                    if not isinstance(f, Flowable):
                        raise TaggingError(f"table row {r}: give Paragraphs, not {f!r}")
                cells.append([_Tagged(f, body=td.add("P")) for f in flowables])
            data.append(cells)
        return Table(data, repeatRows=header_rows, **table_kw)

    def artifact(
        self, callback: Callable[[Canvas, Any], None], kind: str = "Pagination"
    ) -> Callable[[Canvas, Any], None]:
        """An onPage/onPageEnd callback whose drawing is marked as an Artifact."""

        @functools.wraps(callback)
        def wrapped(canvas: Canvas, doc: Any) -> None:
            with _marking(canvas).artifact(kind):
                callback(canvas, doc)

        return wrapped

    @property
    def canvasmaker(self) -> Callable[..., Canvas]:
        """Pass to BaseDocTemplate.build(story, canvasmaker=…)."""
        return TaggingCanvas

    def finish(
        self,
        pdf: bytes,
        *,
        title: str,
        lang: str,
        author: str | None = None,
        subject: str | None = None,
        dates: tuple[dt.date, dt.date] | None = None,
    ) -> bytes:
        """The built PDF with its structure tree, catalog entries and XMP: PDF/UA-1.

        `dates` (created, modified) date the file at 00:00 UTC of each day, in the Info
        dictionary and the XMP alike; without them reportlab's invariant date stays."""
        return _finish(
            pdf, self.root, title=title, lang=lang, author=author, subject=subject, dates=dates
        )


class NullTagger:
    """Tagger's interface, tagging nothing: for trial layouts measured before the real story
    is made, and for an untagged build to compare against."""

    def __init__(self) -> None:
        self.root = Element("Document")
        """Always empty."""

    @contextlib.contextmanager
    def group(self, role: str, **kw: Any) -> Iterator[Element]:
        """No element; the block runs as it is."""
        yield self.root

    @contextlib.contextmanager
    def within(self, target: Element | Flowable) -> Iterator[Element]:
        """No element; the block runs as it is."""
        yield self.root

    def tag(self, flowable: Flowable, role: str = "P") -> Flowable:
        """The flowable as it is."""
        return flowable

    def item(self, paragraph: Flowable, label: str | None = None) -> Flowable:
        """The paragraph as it is."""
        return paragraph

    def figure(self, flowable: Flowable, alt: str) -> Flowable:
        """The flowable as it is."""
        return flowable

    def table(
        self,
        rows: Sequence[Sequence[Flowable | Sequence[Flowable]]],
        header_rows: int = 1,
        **table_kw: Any,
    ) -> Table:
        """A plain Table of the rows."""
        return Table(rows, repeatRows=header_rows, **table_kw)

    def artifact(
        self, callback: Callable[[Canvas, Any], None], kind: str = "Pagination"
    ) -> Callable[[Canvas, Any], None]:
        """The callback as it is."""
        return callback

    @property
    def canvasmaker(self) -> Callable[..., Canvas]:
        """reportlab's own Canvas."""
        maker: Callable[..., Canvas] = Canvas
        return maker

    def finish(
        self,
        pdf: bytes,
        *,
        title: str,
        lang: str,
        author: str | None = None,
        subject: str | None = None,
        dates: tuple[dt.date, dt.date] | None = None,
    ) -> bytes:
        """The PDF as it is."""
        return pdf


@contextlib.contextmanager
def decoration(canvas: Canvas, kind: str = "Layout") -> Iterator[None]:
    """What a flowable draws inside the block is an Artifact (an icon beside the words that
    say the same); on a canvas that does not tag, the block just runs."""
    marking = getattr(canvas, "pdfua", None)
    if not isinstance(marking, _Marking):
        yield
        return
    with marking.artifact(kind):
        yield


class _Tagged(Flowable):  # type: ignore[misc]
    """A flowable drawn as tagged content of `body`; attributes come from the wrapped one."""

    def __init__(
        self,
        inner: Flowable,
        body: Element,
        label: Element | None = None,
        figure: bool = False,
        label_chars: int = 0,
    ) -> None:
        self.inner = inner
        self.body = body
        self.label = label
        self.figure = figure
        self.label_chars = label_chars
        self.drawn = False
        self.size = (0.0, 0.0)

    def __getattr__(self, name: str) -> Any:
        if name == "inner" or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.inner, name)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        canv = self.__dict__.get("canv")
        self.size = self.inner.wrapOn(canv, aw, ah) if canv else self.inner.wrap(aw, ah)
        return self.size

    def split(self, aw: float, ah: float) -> list[Flowable]:
        canv = self.__dict__.get("canv")
        parts = self.inner.splitOn(canv, aw, ah) if canv else self.inner.split(aw, ah)
        # The label stays with the first part; later parts continue the same element.
        return [
            _Tagged(p, self.body, self.label, self.figure, self.label_chars)
            if i == 0
            else _Tagged(p, self.body, None, self.figure)
            for i, p in enumerate(parts)
        ]

    def minWidth(self) -> float:
        return float(self.inner.minWidth())

    def getSpaceBefore(self) -> float:
        return float(self.inner.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.inner.getSpaceAfter())

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        marking = _marking(canvas)
        if self.drawn:  # a table's repeated header row: shown again, read once
            with marking.artifact("Pagination"):
                self.inner.drawOn(canvas, x, y, _sW)
            return
        self.drawn = True
        if self.figure:
            x0 = self.inner._hAlignAdjust(x, _sW)
            w, h = self.size
            corners = [canvas.absolutePosition(x0 + dx, y + dy) for dx in (0, w) for dy in (0, h)]
            xs, ys = [c[0] for c in corners], [c[1] for c in corners]
            self.body.attributes = {
                "O": "Layout",
                "BBox": [
                    round(min(xs), 2),
                    round(min(ys), 2),
                    round(max(xs), 2),
                    round(max(ys), 2),
                ],
            }
            with marking.content(self.body):
                self.inner.drawOn(canvas, x, y, _sW)
        else:
            label = self.label if getattr(self.inner, "bulletText", None) else None
            whole_link = _whole_link(self.inner)
            if self.label_chars:
                # The label is the leading text; a whole-link paragraph draws its label in it.
                label, whole_link = None, None
            with marking.text(self.body, label, whole_link, self.label, self.label_chars):
                self.inner.drawOn(canvas, x, y, _sW)


def _whole_link(flowable: Flowable) -> str | None:
    """The URL of a simple paragraph that is one link from end to end, drawn without records."""
    para = getattr(flowable, "blPara", None)
    if para is None or para.kind != 0:
        return None
    links = getattr(para, "link", None)
    return str(links[0][1]) if links else None


def _marking(canvas: Canvas) -> _Marking:
    marking = getattr(canvas, "pdfua", None)
    if not isinstance(marking, _Marking):
        raise TaggingError("build with canvasmaker=tagger.canvasmaker to draw tagged flowables")
    return marking


def _visible_chars(text: str) -> int:
    return sum(not c.isspace() for c in text)


def _after_visible(text: str, count: int) -> int:
    """The index in `text` just after its first `count` visible characters (or its end)."""
    for i, c in enumerate(text):
        if not c.isspace():
            count -= 1
            if count == 0:
                return i + 1
    return len(text)


class _TextContext:
    """What the text objects drawn by one tagged flowable belong to."""

    def __init__(
        self,
        body: Element,
        label: Element | None,
        whole_link: str | None,
        text_label: Element | None = None,
        label_chars: int = 0,
    ) -> None:
        self.body = body
        self.label = label
        self.whole_link = whole_link
        self.text_label = text_label
        """The Lbl that the first `label_chars` visible characters drawn belong to."""
        self.label_chars = label_chars
        self.link_elements: dict[Any, Element] = {}
        self.line_links: list[Any] = []
        self.whole_link_element: Element | None = None


class _Marking:
    """The canvas's marking state: which element content drawn now belongs to."""

    def __init__(self, canvas: TaggingCanvas) -> None:
        self.canvas = canvas
        self.mcid = 0
        self.depth = 0  # open canvas-level sequences (content or artifact)
        self.text_context: _TextContext | None = None
        self.marks: dict[int, str] = {}  # index in canvas._code → "open" | "close" | "whole"

    @property
    def page(self) -> int:
        return int(self.canvas.getPageNumber()) - 1

    def new_mcid(self, element: Element) -> str:
        mcid = self.mcid
        self.mcid += 1
        element.kids.append(MarkedContent(self.page, mcid))
        return f"/{element.role} <</MCID {mcid}>> BDC"

    def _append(self, code: str, kind: str) -> None:
        self.marks[len(self.canvas._code)] = kind
        self.canvas._code.append(code)

    @contextlib.contextmanager
    def content(self, element: Element) -> Iterator[None]:
        """Everything drawn inside is one marked-content sequence of `element`."""
        if self.depth or self.text_context:
            raise TaggingError(f"{element.role} drawn inside other marked content")
        self._append(self.new_mcid(element), "open")
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            self._append("EMC", "close")

    @contextlib.contextmanager
    def artifact(self, kind: str) -> Iterator[None]:
        """Everything drawn inside is an Artifact (nested marking is switched off)."""
        saved, self.text_context = self.text_context, None
        self._append(f"/Artifact <</Type /{kind}>> BDC", "open")
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            self._append("EMC", "close")
            self.text_context = saved

    @contextlib.contextmanager
    def text(
        self,
        body: Element,
        label: Element | None,
        whole_link: str | None,
        text_label: Element | None = None,
        label_chars: int = 0,
    ) -> Iterator[None]:
        """Text objects drawn inside are marked: the first as `label` if any, then `body`;
        with `label_chars`, the first that many visible characters as `text_label`."""
        if self.depth:
            yield  # inside an artifact (a repeated row) or a figure: already marked
            return
        if self.text_context:
            raise TaggingError(f"{body.role} drawn inside another tagged paragraph")
        self.text_context = _TextContext(body, label, whole_link, text_label, label_chars)
        try:
            yield
        finally:
            left = self.text_context.label_chars
            self.text_context = None
        if left:
            raise TaggingError(f"a label's text was not drawn ({left} characters left)")

    def begin_text(self, tx: Any) -> None:
        """Mark a new text object of the current tagged flowable."""
        ctx = self.text_context
        if ctx is None or self.depth:
            return
        if ctx.label is not None:
            element, ctx.label = ctx.label, None
            _TextMarks(self, tx, element, None).open()
            return
        if ctx.whole_link is not None:
            if ctx.whole_link_element is None:
                ctx.whole_link_element = ctx.body.add("Link", url=ctx.whole_link)
            marks = _TextMarks(self, tx, ctx.whole_link_element, None)
        else:
            marks = _TextMarks(self, tx, ctx.body, ctx)
        marks.open()

    def end_text(self, tx: Any) -> bool:
        """Close the marks of a text object before it is drawn; True when it was marked."""
        marks = getattr(tx, "_pdfua_marks", None)
        if marks is None:
            return False
        marks.close()
        return True

    def annotation(self, url: str) -> None:
        """Record the link annotation just added to the page under its Link element."""
        ctx = self.text_context
        if ctx is None or self.depth:
            return
        index = len(self.canvas._annotationrefs) - 1
        if ctx.whole_link_element is not None:
            element = ctx.whole_link_element
        elif ctx.line_links:
            key = min(ctx.line_links)  # paragraph.py adds a line's links sorted by key
            ctx.line_links.remove(key)
            element = ctx.link_elements[key]
        else:
            raise TaggingError(f"link to {url} drawn outside its text")
        element.kids.append(AnnotationRef(self.page, index))

    def sweep(self) -> None:
        """Before a page is closed: wrap unmarked painting as Artifact; unmarked text fails."""
        code = self.canvas._code
        if self.depth:
            raise TaggingError("a marked-content sequence is open at the end of a page")
        out: list[str] = []
        run: list[str] = []
        depth = 0
        for i, entry in enumerate(code):
            kind = self.marks.get(i)
            if kind is None and depth == 0:
                run.append(entry)
                continue
            if depth == 0:
                out += _artifact_run(run, self.page)
                run = []
            out.append(entry)
            depth += {"open": 1, "close": -1}.get(kind or "", 0)
        out += _artifact_run(run, self.page)
        code[:] = out
        self.marks = {}
        self.mcid = 0


def _artifact_run(run: list[str], page: int) -> list[str]:
    painting = [i for i, entry in enumerate(run) if _paints(entry)]
    if not painting:
        return run
    for entry in run:
        if _SHOWS_TEXT.search(entry):
            raise TaggingError(
                f"page {page + 1}: text drawn outside any tagged flowable or artifact: "
                f"{entry[:120]!r} (tag it, or draw it in an artifact() callback)"
            )
    first, last = painting[0], painting[-1] + 1
    return [*run[:first], "/Artifact BMC", *run[first:last], "EMC", *run[last:]]


def _paints(entry: str) -> bool:
    return bool(_SHOWS_TEXT.search(entry)) or not _PAINTS.isdisjoint(entry.split())


def _spanned(tx: Any, text_out: Callable[[str, int], None]) -> Callable[[str, int], None]:
    """A text object's drawing of text, with each shaped word in /ActualText spans."""

    def out(text: str, TStar: int = 0) -> None:
        font = tx._fontname
        if not ACTUAL_TEXTS or not any((font, w) in ACTUAL_TEXTS for w in text.split()):
            text_out(text, TStar)
            return
        i = 0
        while i < len(text):
            j = i
            blank = text[i].isspace()
            while j < len(text) and text[j].isspace() == blank:
                j += 1
            piece = text[i:j]
            meant = None if blank else ACTUAL_TEXTS.get((font, str(piece)))
            runs = ((len(piece), meant),) if isinstance(meant, str) else meant or ()
            if not runs:
                text_out(piece, 0)
            at = 0
            for count, letters in runs:
                tx._code.append(f"/Span <</ActualText {_actual_text(letters)}>> BDC")
                text_out(piece[at : at + count], 0)
                tx._code.append("EMC")
                at += count
            i = j
        if TStar:
            text_out("", TStar)

    return out


class _TextMarks:
    """Marks inside one text object: its element's sequences, split around links."""

    def __init__(
        self, marking: _Marking, tx: Any, element: Element, ctx: _TextContext | None
    ) -> None:
        self.marking = marking
        self.tx = tx
        self.element = element
        self.ctx = ctx
        self.current: Element | None = None  # element whose sequence is open
        self.tail = ""  # the last text drawn that was not empty
        self.last_text = ""  # the text of the last _textOut call …
        self.last_index = 0  # … where its code starts in tx._code …
        self.opened_by_last: MarkedContent | None = None  # … and the sequence it opened
        tx._pdfua_marks = self
        text_out = tx._textOut
        spanned = _spanned(tx, text_out)

        def draw(text: str, TStar: int, element: Element) -> None:
            self.last_index = len(tx._code)
            self.opened_by_last = None
            if self.current is None:
                self.opened_by_last = self._open(element)
            if self.current is not None and self.current.role == "Link":
                self.current.text.append(text)
            self.last_text = text
            spanned(text, TStar)

        def _textOut(text: str, TStar: int = 0) -> None:
            # reportlab drops the space where it breaks a line; draw it, so that text read
            # from the page (and the tree) keeps words apart.
            # A line may end with an empty run after the last word: look at the text before.
            ends = text or self.tail
            if TStar and ends and not ends[-1].isspace():
                text += " "
            if text:
                self.tail = text
            if ctx is not None and ctx.text_label is not None and ctx.label_chars:
                # The label's characters go to the Lbl, the rest of this text to the body.
                cut = _after_visible(text, ctx.label_chars)
                head, text = text[:cut], text[cut:]
                ctx.label_chars -= _visible_chars(head)
                draw(head, 0 if text else TStar, ctx.text_label)
                if ctx.label_chars:
                    return
                self._close()
                if not text:
                    return
            draw(text, TStar, self.element)

        tx._textOut = _textOut
        if ctx is not None:
            tx._linkRecord = self.link_record

    def _open(self, element: Element) -> MarkedContent:
        self.tx._code.append(self.marking.new_mcid(element))
        self.current = element
        content = element.kids[-1]
        assert isinstance(content, MarkedContent)
        return content

    def _close(self) -> None:
        if self.current is not None:
            self.tx._code.append("EMC")
            self.current = None

    def open(self) -> None:
        ctx = self.ctx
        label = ctx.text_label if ctx is not None and ctx.label_chars else None
        self._open(label or self.element)

    def close(self) -> None:
        self._close()

    def link_record(self, key: Any, event: str) -> None:
        """paragraph.py's hook: a link's text ends, or started with the last text drawn."""
        ctx = self.ctx
        assert ctx is not None
        if event != "start":
            self._close()  # the body's next sequence opens with its next text
            return
        link = ctx.link_elements.get(key)
        if link is None:
            link = ctx.link_elements[key] = self.element.add("Link", url=str(key[1]))
        ctx.line_links.append(key)
        link.text.append(self.last_text)
        code = self.tx._code
        opened = self.opened_by_last
        if opened is not None and self.current is not None:
            # The sequence was opened for this text alone: it becomes the link's.
            self.current.kids.remove(opened)
            link.kids.append(opened)
            code[self.last_index] = f"/Link <</MCID {opened.mcid}>> BDC"
            self.current = link
            return
        # paragraph.py records the start after drawing the link's first text: move that text.
        moved = code[self.last_index :]
        del code[self.last_index :]
        self._close()
        self._open(link)
        code.extend(moved)


class TaggingCanvas(Canvas):  # type: ignore[misc]
    """A reportlab Canvas that writes marked content for tagged flowables."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        self.pdfua = None
        super().__init__(*args, **kw)
        self.pdfua = _Marking(self)

    def beginText(self, *args: Any, **kw: Any) -> Any:
        tx = super().beginText(*args, **kw)
        if self.pdfua is not None:
            self.pdfua.begin_text(tx)
            if ACTUAL_TEXTS and getattr(tx, "_pdfua_marks", None) is None:
                tx._textOut = _spanned(tx, tx._textOut)  # artifacts and figures' labels
        return tx

    def drawText(self, tx: Any) -> None:
        marking = self.pdfua
        if marking is not None and marking.end_text(tx):
            marking.marks[len(self._code)] = "whole"
        super().drawText(tx)

    def linkURL(self, url: str, *args: Any, **kw: Any) -> None:
        super().linkURL(url, *args, **kw)
        if self.pdfua is not None:
            self.pdfua.annotation(url)

    def linkRect(self, contents: str, destination: str, *args: Any, **kw: Any) -> None:
        super().linkRect(contents, destination, *args, **kw)
        if self.pdfua is not None:
            self.pdfua.annotation("#" + destination)

    def showPage(self) -> None:
        if self.pdfua is not None:
            self.pdfua.sweep()
        super().showPage()


# ----- after the build: the tree, the catalog, XMP ------------------------------------------


def _finish(
    pdf: bytes,
    root: Element,
    *,
    title: str,
    lang: str,
    author: str | None,
    subject: str | None,
    dates: tuple[dt.date, dt.date] | None = None,
) -> bytes:
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    _prune(root)
    if not root.kids:
        raise TaggingError("nothing was tagged")
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        pages = list(doc.pages)
        parents: dict[int, dict[int, Any]] = {i: {} for i in range(len(pages))}
        annotation_parents: list[Any] = []
        tree_root = doc.make_indirect(Dictionary(Type=Name.StructTreeRoot))

        page_objs = [page.obj for page in pages]
        first: dict[int, int | None] = {}

        def first_page(element: Element) -> int | None:
            if id(element) not in first:
                page = None
                for kid in element.kids:
                    page = first_page(kid) if isinstance(kid, Element) else kid.page
                    if page is not None:
                        break
                first[id(element)] = page
            return first[id(element)]

        def build(element: Element, parent: Any) -> Any:
            node = doc.make_indirect(
                Dictionary(Type=Name.StructElem, S=Name("/" + element.role), P=parent)
            )
            page = first_page(element)
            if page is not None:
                node.Pg = page_objs[page]
            kids = Array()
            for kid in element.kids:
                if isinstance(kid, Element):
                    kids.append(build(kid, node))
                elif isinstance(kid, MarkedContent):
                    parents[kid.page][kid.mcid] = node
                    if kid.page == page:
                        kids.append(kid.mcid)
                    else:
                        kids.append(
                            Dictionary(Type=Name.MCR, Pg=page_objs[kid.page], MCID=kid.mcid)
                        )
                else:
                    annot = page_objs[kid.page].Annots[kid.index]
                    annot.StructParent = len(pages) + len(annotation_parents)
                    annotation_parents.append(node)
                    words = " ".join("".join(element.text).split())
                    target = element.url or ""
                    annot.Contents = String(
                        f"{words} ({target})" if words and words != target else target
                    )
                    kids.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=page_objs[kid.page]))
            node.K = kids[0] if len(kids) == 1 else kids
            if element.alt is not None:
                node.Alt = String(element.alt)
            if element.attributes:
                node.A = _pdf_value(element.attributes)
            return node

        tree_root.K = build(root, tree_root)
        nums = Array()
        for i, page in enumerate(pages):
            page.obj.StructParents = i
            mcids = parents[i]
            if sorted(mcids) != list(range(len(mcids))):
                raise TaggingError(f"page {i + 1}: marked content ids are not 0..n-1")
            nums.append(i)
            nums.append(doc.make_indirect(Array([mcids[m] for m in sorted(mcids)])))
            # Tab order follows the structure on every page, with links or without.
            page.obj.Tabs = Name.S
        for key, node in enumerate(annotation_parents, start=len(pages)):
            nums.append(key)
            nums.append(node)
        tree_root.ParentTree = doc.make_indirect(Dictionary(Nums=nums))
        tree_root.ParentTreeNextKey = len(pages) + len(annotation_parents)

        catalog = doc.Root
        catalog.StructTreeRoot = tree_root
        catalog.MarkInfo = Dictionary(Marked=True)
        catalog.Lang = String(lang)
        catalog.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        info = doc.docinfo
        if dates is not None:
            info.CreationDate = String(_pdf_date(dates[0]))
            info.ModDate = String(_pdf_date(dates[1]))
        info.Producer = String(PRODUCER)
        xmp = _xmp(
            title=title,
            lang=lang,
            author=author,
            subject=subject,
            created=_xmp_date(str(info.get("/CreationDate", ""))),
            modified=_xmp_date(str(info.get("/ModDate", ""))),
            creator_tool=str(info.get("/Creator", "")),
            keywords=str(info.get("/Keywords", "")),
        )
        metadata = doc.make_stream(xmp)
        metadata.Type = Name.Metadata
        metadata.Subtype = Name.XML
        catalog.Metadata = metadata
        doc.docinfo.Title = String(title)
        _fix_fonts(doc)
        _tag_subsets(doc)
        out = io.BytesIO()
        _single_filters(doc)
        # reportlab's /ID hashes its own dates (SOURCE_DATE_EPOCH among them): without it,
        # qpdf makes the whole /ID from the file written, so equal files get equal ids.
        if "/ID" in doc.trailer:
            del doc.trailer["/ID"]
        doc.save(
            out,
            deterministic_id=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            compress_streams=True,
            fix_metadata_version=False,  # keep the XMP written above byte for byte
            min_version="1.7",  # PDF/UA-1 builds on ISO 32000-1 (PDF 1.7)
        )
        return out.getvalue()


def _single_filters(doc: Any) -> None:
    """/Filter [/FlateDecode] as /Filter /FlateDecode: qpdf then keeps reportlab's compressed
    streams as they are, where it would decode and compress each again (5 ms for a logo)."""
    from pikepdf import Array, Stream

    for obj in doc.objects:
        if isinstance(obj, Stream):
            filters = obj.get("/Filter")
            if isinstance(filters, Array) and len(filters) == 1:
                obj.Filter = filters[0]
                parms = obj.get("/DecodeParms")
                if isinstance(parms, Array):
                    if len(parms) == 1 and parms[0] is not None:
                        obj.DecodeParms = parms[0]
                    else:
                        del obj["/DecodeParms"]


def _prune(element: Element) -> None:
    """Drop elements that drew nothing (a flowable never drawn, an empty label)."""
    element.kids += element.after
    element.after = []
    for kid in element.kids:
        if isinstance(kid, Element):
            _prune(kid)
    element.kids = [k for k in element.kids if not isinstance(k, Element) or k.kids]


def _pdf_value(value: Any) -> Any:
    from pikepdf import Array, Dictionary, Name

    if isinstance(value, dict):
        return Dictionary({"/" + k: _pdf_value(v) for k, v in value.items()})
    if isinstance(value, list):
        return Array([_pdf_value(v) for v in value])
    if isinstance(value, str):
        return Name("/" + value)
    return value


def _fix_fonts(doc: Any) -> None:
    """Every font used must be embedded; ToUnicode entries for unused codes (U+0000) go."""
    from pikepdf import Name

    seen: set[tuple[int, int]] = set()
    for page in doc.pages:
        resources = [page.obj.get("/Resources")]
        while resources:
            res = resources.pop()
            if res is None:
                continue
            for xobject in (res.get("/XObject") or {}).values():
                if xobject.get("/Subtype") == Name.Form:
                    resources.append(xobject.get("/Resources"))
            for font in (res.get("/Font") or {}).values():
                if font.objgen in seen:
                    continue
                seen.add(font.objgen)
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.get("/FontDescriptor")
                if descriptor is None or not any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    raise TaggingError(
                        f"font {font.get('/BaseFont')} is not embedded: set fontName (and "
                        "bulletFontName, a Table's FONTNAME, a Drawing's fontName, the doc's "
                        "initialFontName) to an embedded TrueType font"
                    )
                if "/ToUnicode" in font:
                    cmap = font.ToUnicode
                    raw = cmap.read_bytes()
                    private = _private_in_order(raw)
                    fixed = _drop_zero_unicode(private if private is not None else raw)
                    if fixed is None:
                        fixed = private
                    if fixed is not None:
                        cmap.write(zlib.compress(fixed), filter=Name.FlateDecode)


_PRIVATE_ENTRY = re.compile(
    rb"<([0-9A-Fa-f]{2,4})>\s*<([Ee][0-9A-Fa-f]{3}|[Ff][0-8][0-9A-Fa-f]{2})>"
)


def _private_in_order(cmap: bytes) -> bytes | None:
    """The CMap with the private code points that shaped glyphs map to renumbered from U+E000
    in the order of their codes. reportlab hands out those code points as a process shapes
    words, so without this the bytes of a leaflet would depend on what was rendered before it
    in the same process."""
    found = _PRIVATE_ENTRY.findall(cmap)
    if not found:
        return None
    order = {
        code: 0xE000 + i
        for i, code in enumerate(sorted({c for c, _ in found}, key=lambda c: int(c, 16)))
    }

    def entry(m: re.Match[bytes]) -> bytes:
        return b"<%s> <%04X>" % (m[1], order[m[1]])

    return _PRIVATE_ENTRY.sub(entry, cmap)


def _drop_zero_unicode(cmap: bytes) -> bytes | None:
    """A ToUnicode CMap without entries mapping to U+0000 (reportlab's unused subset codes)."""

    def block(m: re.Match[bytes]) -> bytes:
        entries = [e for e in _BFCHAR_ENTRY.findall(m[2]) if not e.endswith(b"<0000>")]
        return b"%d beginbfchar\n%s\nendbfchar" % (len(entries), b"\n".join(entries))

    fixed = _BFCHAR_BLOCK.sub(block, cmap)
    return None if fixed == cmap else fixed


PRODUCER = f"leaflet {__version__} (ReportLab, pikepdf)"
"""The Info dictionary's and the XMP's producer: the same words in both."""


def _pdf_date(day: dt.date) -> str:
    """The day at 00:00 UTC as a PDF date."""
    return f"D:{day:%Y%m%d}000000+00'00'"


def _xmp_date(pdf_date: str) -> str | None:
    """A PDF date (D:YYYYMMDDHHmmSS+HH'mm') as the XMP writes it."""
    match = re.fullmatch(
        r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:Z|([+-])(\d\d)'(\d\d)'?)?", pdf_date
    )
    if match is None:
        return None
    y, mo, d, h, mi, se, sign, zh, zm = match.groups()
    zone = f"{sign}{zh}:{zm}" if sign and (zh, zm) != ("00", "00") else "Z"
    return f"{y}-{mo}-{d}T{h}:{mi}:{se}{zone}"


def _tag_subsets(doc: Any) -> None:
    """Each font subset named by a tag of its own (six letters from its bytes): reportlab
    calls every first subset AAAAAA+, so two fonts' subsets shared one tag."""
    from pikepdf import Dictionary, Name

    used: set[str] = set()
    for obj in doc.objects:
        if not isinstance(obj, Dictionary) or obj.get("/Type") != Name.Font:
            continue
        base = str(obj.get("/BaseFont", ""))
        match = re.fullmatch(r"/[A-Z]{6}\+(.+)", base)
        descriptor = obj.get("/FontDescriptor")
        if match is None or descriptor is None:
            continue
        program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
        seed = match.group(1).encode() + (program.read_raw_bytes() if program else b"")
        digest = hashlib.sha256(seed).digest()
        tag = ""
        for n in range(len(digest)):
            tag = "".join(chr(65 + b % 26) for b in digest[n : n + 6])
            if len(tag) == 6 and tag not in used:
                break
        used.add(tag)
        name = Name(f"/{tag}+{match.group(1)}")
        obj.BaseFont = name
        descriptor.FontName = name


def _xmp(
    *,
    title: str,
    lang: str,
    author: str | None,
    subject: str | None,
    created: str | None = None,
    modified: str | None = None,
    creator_tool: str = "",
    keywords: str = "",
) -> bytes:
    def alt(tag: str, text: str) -> str:
        return (
            f'<{tag}><rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li>'
            f"</rdf:Alt></{tag}>"
        )

    parts = [
        "<dc:format>application/pdf</dc:format>",
        alt("dc:title", title),
        f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>",
    ]
    if author:
        parts.append(
            f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
        )
    if subject:
        parts.append(alt("dc:description", subject))
    parts.append("<pdfuaid:part>1</pdfuaid:part>")
    parts.append(f"<pdf:Producer>{escape(PRODUCER)}</pdf:Producer>")
    if keywords:
        parts.append(f"<pdf:Keywords>{escape(keywords)}</pdf:Keywords>")
    if creator_tool:
        parts.append(f"<xmp:CreatorTool>{escape(creator_tool)}</xmp:CreatorTool>")
    if created:
        parts.append(f"<xmp:CreateDate>{created}</xmp:CreateDate>")
    if modified:
        parts += [
            f"<xmp:ModifyDate>{modified}</xmp:ModifyDate>",
            f"<xmp:MetadataDate>{modified}</xmp:MetadataDate>",
        ]
    body = "\n   ".join(parts)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        f"   {body}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()
