"""The deck's package work done once: the styled template, blank slides, one zip pass.

python-pptx restyles nothing it can reuse and writes its zip with the clock's dates, so that a
deck used to be opened from the default template, restyled, given slides whose layout
placeholders were cloned shape by shape, saved, and then rewritten with fixed dates. Here:
- the restyled template is kept by theme (the few themes a library uses), and each deck
  starts from a deep copy of it;
- a deck's first slide on a layout is made by python-pptx, and later ones on that layout are
  copies of that blank slide, as python-pptx would have made them;
- the package is written once, each entry dated 1980-01-01, in python-pptx's order and
  compression (a second pass used to rewrite the dates).
The bytes are the same as before.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from pptx import Presentation
from pptx.opc.packuri import PACKAGE_URI
from pptx.opc.serialized import PackageWriter, _PhysPkgWriter
from pptx.presentation import Presentation as PresentationType

TEMPLATES_KEPT = 8
"""Styled templates kept in a process, most recently used first (one per theme)."""

_templates: OrderedDict[str, PresentationType] = OrderedDict()


def styled_presentation(key: str, style: Callable[[PresentationType], None]) -> PresentationType:
    """A new presentation from the default template as `style` leaves it; key names the style
    (the theme, the slide size) so that it is applied once per process, and each deck gets a
    copy of the styled package, parts and relationships in the same order."""
    template = _templates.get(key)
    if template is None:
        template = Presentation()
        style(template)
        _templates[key] = template
        while len(_templates) > TEMPLATES_KEPT:
            _templates.popitem(last=False)
    _templates.move_to_end(key)
    return _copied(template)


def _copied(template: PresentationType) -> PresentationType:
    """A deep copy in which python-pptx's objects that hold an element inside a part's tree (the
    slide list, the layout list) hold that element's copy, not a detached copy of their own."""
    memo: dict[int, Any] = {}
    alive: list[Any] = []  # each element's proxy stays the same object while the copy is made
    for part in template.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None:
            twin = copy.deepcopy(element)
            for original, copied in zip(element.iter(), twin.iter(), strict=True):
                alive.append(original)
                memo[id(original)] = copied
    return copy.deepcopy(template, memo)


class Slides:
    """Adds slides to one presentation, cloning each layout's placeholders once."""

    def __init__(self, prs: PresentationType) -> None:
        self.prs = prs
        self.blank: dict[str, Any] = {}
        """A just-made slide's element, by layout part name."""

    def add(self, layout: Any) -> Any:
        """A new slide on layout, as `prs.slides.add_slide(layout)` makes it."""
        from pptx.opc.constants import CONTENT_TYPE as CT
        from pptx.opc.constants import RELATIONSHIP_TYPE as RT
        from pptx.parts.slide import SlidePart

        key = str(layout.part.partname)
        blank = self.blank.get(key)
        if blank is None:
            slide = self.prs.slides.add_slide(layout)
            self.blank[key] = copy.deepcopy(slide._element)
            return slide
        presentation_part = self.prs.part
        slide_part = SlidePart(
            presentation_part._next_slide_partname,
            CT.PML_SLIDE,
            presentation_part.package,
            copy.deepcopy(blank),
        )
        slide_part.relate_to(layout.part, RT.SLIDE_LAYOUT)
        rid = presentation_part.relate_to(slide_part, RT.SLIDE)
        self.prs.slides._sldIdLst.add_sldId(rid)
        return slide_part.slide


def package_bytes(prs: PresentationType) -> bytes:
    """The presentation as a .pptx, every entry dated 1980-01-01 (mode 644), in one pass."""
    package = prs.part.package
    parts = tuple(package.iter_parts())
    out = io.BytesIO()
    writer = PackageWriter(out, package._rels, parts)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        phys = _Dated(target)
        writer._write_content_types_stream(phys)
        phys.write(PACKAGE_URI.rels_uri, rels_xml(package._rels))
        # python-pptx's _write_parts, with each .rels written as text
        for part in parts:
            phys.write(part.partname, part.blob)
            if part._rels:
                phys.write(part.partname.rels_uri, rels_xml(part._rels))
    return out.getvalue()


_RELS_HEAD = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
)
_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)


def rels_xml(rels: Any) -> bytes:
    """A part's relationships as python-pptx's `_Relationships.xml` serialises them (rIds in
    numerical order, TargetMode only for external targets, lxml's escaping), written as text
    rather than built element by element."""

    def number(rid: str) -> int:
        return int(rid[3:]) if rid.startswith("rId") and rid[3:].isdigit() else 0

    items = []
    for _, rid in sorted((number(rid), rid) for rid in rels):
        rel = rels[rid]
        mode = ' TargetMode="External"' if rel.is_external else ""
        items.append(
            f'<Relationship Id="{rid.translate(_ESCAPES)}" Type="{rel.reltype.translate(_ESCAPES)}"'
            f' Target="{rel.target_ref.translate(_ESCAPES)}"{mode}/>'
        )
    return _RELS_HEAD + "".join(items).encode("utf-8") + b"</Relationships>"


class _Dated(_PhysPkgWriter):
    """python-pptx's zip writer interface, writing each entry with a fixed date."""

    def __init__(self, target: zipfile.ZipFile) -> None:
        self.target = target

    def write(self, pack_uri: Any, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self.target.writestr(info, blob)
