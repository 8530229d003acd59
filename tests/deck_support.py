"""Helpers for the deck tests: the deck edition of a document, a three-times-longer document,
and reading measured frames back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pptx.oxml.ns import qn
from pptx.util import Emu

from leaflet.deck.fit import LINE_HEIGHT, Para, paras_height
from leaflet.edition import EDITIONS, Edition, compose
from leaflet.inline import Run
from leaflet.model import Document

EMU_PER_PT = 12700


def deck(document: Document) -> Edition:
    """The document's deck edition, as the build composes it."""
    return compose(document, EDITIONS["deck"])


def tripled(document: Document) -> Document:
    """Every list three times as long (copies get distinct ids) and every paragraph three times."""
    data = document.model_dump(mode="json", exclude_none=True)

    def triple_text(wording: dict[str, str]) -> dict[str, str]:
        return {
            k: " ".join([v, f"Second telling: {v}", f"Third telling: {v}"])
            for k, v in wording.items()
        }

    def copies(items: list[dict[str, Any]], key: str = "id") -> list[dict[str, Any]]:
        out = list(items)
        for n in (2, 3):
            for item in items:
                copy = dict(item)
                if key in copy:
                    copy[key] = f"{copy[key]}-{n}"
                for field in ("name", "factor", "mechanism", "what"):
                    if field in copy:
                        copy[field] = {k: f"{v} ({n})" for k, v in copy[field].items()}
                out.append(copy)
        return out

    for section in data["sections"]:
        section["paragraphs"] = [triple_text(p) for p in section["paragraphs"]] * 3
    data["causes"] = copies(data["causes"])
    data["types"] = copies(data["types"])
    for kind in data["types"]:
        kind["examples"] = kind.get("examples", []) * 3
        kind["causes"] = kind.get("causes", []) + [f"{c}-2" for c in kind.get("causes", [])]
    data["risk_factors"] = copies(data["risk_factors"])
    data["treatments"] = copies(data["treatments"])
    for t in data["treatments"]:
        t["caveats"] = t.get("caveats", []) * 3
    data["warning_signs"] = [
        {k: v if k == "urgency" else f"{v} ({n})" for k, v in w.items()}
        for n in (1, 2, 3)
        for w in data["warning_signs"]
    ]
    data["sources"] = data["sources"] * 3
    return Document.model_validate(data)


def pt(value: int | Emu) -> float:
    return int(value) / EMU_PER_PT


def paras_of(tx_body: Any) -> tuple[list[Para], float]:
    """A text body read back as measurable paragraphs, with the size of its first run."""
    paras: list[Para] = []
    sizes: list[float] = []
    for p in tx_body.findall(qn("a:p")):
        spans = []
        size = None
        for r in p.findall(qn("a:r")) + p.findall(qn("a:fld")):
            r_pr = r.find(qn("a:rPr"))
            text = r.find(qn("a:t")).text or ""
            spans.append(Run(text, r_pr.get("b") == "1", r_pr.get("i") == "1"))
            size = size or int(r_pr.get("sz")) / 100
        if size is None:
            continue
        p_pr = p.find(qn("a:pPr"))
        level = int(p_pr.get("lvl", "0")) if p_pr is not None else 0
        bullet = p_pr is not None and p_pr.find(qn("a:buChar")) is not None
        before = 0.0
        if p_pr is not None and p_pr.find(f"{qn('a:spcBef')}/{qn('a:spcPts')}") is not None:
            points = int(p_pr.find(f"{qn('a:spcBef')}/{qn('a:spcPts')}").get("val")) / 100
            before = points / (size * LINE_HEIGHT)
        sizes.append(size)
        paras.append(Para(tuple(spans), level, bullet, 1.0, before))
    base = sizes[0] if sizes else 0.0
    scaled = [
        Para(p.spans, p.level, p.bullet, s / base, p.space_before)
        for p, s in zip(paras, sizes, strict=True)
    ]
    return scaled, base


def insets(shape: Any) -> tuple[float, float]:
    """A shape's effective side and top insets in points, following placeholder inheritance."""
    node = shape
    while node is not None:
        body_pr = node._element.find(f".//{qn('a:bodyPr')}")
        if body_pr is not None and body_pr.get("lIns") is not None:
            return int(body_pr.get("lIns")) / EMU_PER_PT, int(body_pr.get("tIns")) / EMU_PER_PT
        node = getattr(node, "_base_placeholder", None)
    return 7.2, 3.6


def measured_frames(prs: Any) -> Iterator[tuple[int, str, float, float]]:
    """(slide number, shape name, measured height, box height) for every text frame and cell."""
    for number, slide in enumerate(prs.slides, 1):
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                paras, size = paras_of(shape.text_frame._txBody)
                if not paras:
                    continue
                inset_x, inset_y = insets(shape)
                need = paras_height(paras, pt(shape.width) - 2 * inset_x, size) + 2 * inset_y
                yield number, shape.name, need, pt(shape.height)
            if shape.has_table:
                table = shape.table
                for r, row in enumerate(table.rows):
                    for c, cell in enumerate(row.cells):
                        paras, size = paras_of(cell._tc.txBody)
                        if paras:
                            width = pt(table.columns[c].width) - 2 * pt(cell.margin_left)
                            need = paras_height(paras, width, size) + 2 * pt(cell.margin_top)
                            yield number, f"{shape.name} [{r},{c}]", need, pt(row.height)
