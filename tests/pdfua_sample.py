"""A synthetic two-page leaflet built with the leaflet's fonts and flowable kinds, tagged or not."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.graphics.shapes import Circle, Drawing, Ellipse, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from leaflet import pdfua
from leaflet.fonts import LEAFLET_FONT, register_reportlab_fonts

ROOT = Path(__file__).resolve().parent.parent
LOGO = ROOT / "assets" / "logo.png"
TITLE = "Calcium deposits under the skin"
FOOTER = "Sample Clinic · 0161 496 0000"

LONG = (
    "Calcium deposits can be small and hard, like grains of rice, or larger and softer. "
    "They often form on the fingers, elbows and knees, where skin is thin and often knocked. "
)

BREAKAGES = ("figure-without-alt", "untagged-paragraph", "unembedded-font", "untagged-link")


class _Plain:
    """Stands in for a Tagger in the untagged build: returns flowables as they are."""

    def group(self, role: str) -> Any:
        import contextlib

        return contextlib.nullcontext()

    def tag(self, flowable: Flowable, role: str = "P") -> Flowable:
        return flowable

    def item(self, paragraph: Flowable) -> Flowable:
        return paragraph

    def figure(self, flowable: Flowable, alt: str) -> Flowable:
        return flowable

    def table(self, rows: Any, header_rows: int = 1, **kw: Any) -> Table:
        return Table(rows, repeatRows=header_rows, **kw)


def styles() -> dict[str, ParagraphStyle]:
    font = register_reportlab_fonts(LEAFLET_FONT)
    text = colors.HexColor("#1A1A1A")
    base: dict[str, Any] = dict(fontName=font, textColor=text)
    bold = {**base, "fontName": f"{font}-Bold"}
    return {
        "font": font,  # type: ignore[dict-item]
        "h1": ParagraphStyle("h1", fontSize=17, leading=22, spaceBefore=10, spaceAfter=5, **bold),
        "h2": ParagraphStyle("h2", fontSize=13.5, leading=18, spaceBefore=6, spaceAfter=2, **bold),
        "body": ParagraphStyle("body", fontSize=12.5, leading=17, spaceAfter=6, **base),
        "bullet": ParagraphStyle(
            "bullet",
            fontSize=12.5,
            leading=17,
            spaceAfter=3,
            leftIndent=14,
            bulletIndent=2,
            bulletFontName=font,
            **base,
        ),
        "footer": ParagraphStyle("footer", fontSize=9.5, leading=12, **base),
    }


def diagram(font: str) -> Drawing:
    """A small body-site drawing: an outline, lumps, and a label in the embedded font."""
    d = Drawing(60 * mm, 30 * mm, initialFontName=font)
    d.add(Ellipse(30 * mm, 15 * mm, 25 * mm, 12 * mm, fillColor=colors.HexColor("#F3E6DA")))
    for x, y, r in ((22, 16, 2.2), (26, 13, 1.6), (29, 17, 2.8), (33, 14, 1.4)):
        d.add(Circle(x * mm, y * mm, r * mm, fillColor=colors.white, strokeColor=colors.grey))
    d.add(String(4 * mm, 2 * mm, "elbow", fontName=font, fontSize=10))
    return d


def story(t: Any, s: dict[str, Any], breakage: str | None = None) -> list[Flowable]:
    body, bullet = s["body"], s["bullet"]
    out: list[Flowable] = []
    with t.group("Sect"):
        out.append(t.tag(Paragraph(TITLE, s["h1"]), "H1"))
        out.append(
            t.tag(
                Paragraph(
                    "This leaflet explains calcinosis cutis. Read more on the "
                    '<a href="https://www.example.org/calcinosis" color="#1F4E79">'
                    "<u>clinic website</u></a> or ask your nurse.",
                    body,
                )
            )
        )
        if breakage == "untagged-paragraph":
            out.append(Paragraph("This paragraph was left out of the structure.", body))
        if breakage == "unembedded-font":
            out.append(t.tag(Paragraph("Drawn in a font that is not embedded.", s["helv"])))
        out.append(t.tag(Paragraph("Where they form", s["h2"]), "H2"))
        with t.group("L"):
            for text in ("On the fingers", "Around the elbows", "On the face and shoulders"):
                out.append(t.item(Paragraph(text, bullet, bulletText="•")))
        out.append(t.tag(Paragraph("Treatments", s["h2"]), "H2"))
        rows = [
            [Paragraph(f"<b>{h}</b>", body) for h in ("Treatment", "For", "Evidence")],
            [Paragraph(c, body) for c in ("Diltiazem", "Dystrophic deposits", "Limited")],
            [Paragraph(c, body) for c in ("Surgery", "Large, painful lumps", "Established")],
        ]
        table = t.table(rows, header_rows=1, colWidths=[45 * mm, 70 * mm, None])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), s["font"]),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF5")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        out.append(table)
        out.append(Spacer(1, 8))
        with t.group("Div"):
            inner = [
                t.tag(Paragraph("<b>Call your clinic if:</b>", body)),
                t.tag(Paragraph("a lump becomes red, hot or leaks white paste.", body)),
            ]
        callout = Table([[inner]], colWidths=["100%"])
        callout.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), s["font"]),
                    ("BOX", (0, 0), (-1, -1), 2, colors.HexColor("#C8553D")),
                    ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#FFF4E5")),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 8),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
                ]
            )
        )
        out.append(callout)
        out.append(Spacer(1, 8))
        logo = t.figure(Image(str(LOGO), 24 * mm, 24 * mm), alt="Sample Clinic logo")
        drawing = t.figure(diagram(s["font"]), alt="Diagram: deposits on the elbow")
        if breakage == "figure-without-alt":
            drawing.body.alt = None
        out += [logo, drawing]
    with t.group("Sect"):
        out.append(t.tag(Paragraph("Living with calcinosis", s["h2"]), "H2"))
        # Long enough to break across the page end.
        out.append(t.tag(Paragraph(LONG * 9, body)))
        out.append(t.tag(Paragraph("Keep this leaflet and bring it to your next visit.", body)))
        # A paragraph that is one link from end to end (reportlab draws it another way).
        out.append(
            t.tag(
                Paragraph(
                    '<a href="https://www.example.org/sources" color="#1F4E79">'
                    "https://www.example.org/sources</a>",
                    body,
                )
            )
        )
    return out


def long_table(t: Any, s: dict[str, Any]) -> list[Flowable]:
    """A data table long enough to cross a page: its header row is drawn again on page 2."""
    body = s["body"]
    rows = [[Paragraph(f"<b>{h}</b>", body) for h in ("Day", "Dose")]]
    rows += [[Paragraph(f"Day {i}", body), Paragraph(f"{i * 10} mg", body)] for i in range(1, 61)]
    with t.group("Sect"):
        out = [t.tag(Paragraph("Dose diary", s["h1"]), "H1")]
        table = t.table(rows, header_rows=1, colWidths=[60 * mm, 60 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), s["font"]),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ]
            )
        )
        out.append(table)
    return out


class _Template(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, buffer: Any, t: Any, s: dict[str, Any]) -> None:
        super().__init__(
            buffer,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=24 * mm,
            title=TITLE,
            author="Sample Clinic",
            lang="en-GB",
            invariant=1,
            initialFontName=s["font"],
        )
        self.font = s["font"]
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        on_page = t.artifact(self._footer) if isinstance(t, pdfua.Tagger) else self._footer
        self.addPageTemplates([PageTemplate("page", [frame], onPage=on_page)])

    def _footer(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        y = 17 * mm
        canvas.setLineWidth(0.8)
        canvas.line(self.leftMargin, y, self.pagesize[0] - self.rightMargin, y)
        canvas.setFont(self.font, 9.5)
        canvas.drawString(self.leftMargin, y - 12, FOOTER)
        canvas.drawRightString(self.pagesize[0] - self.rightMargin, y - 12, f"Page {doc.page}")
        canvas.restoreState()


def build(tagged: bool = True, breakage: str | None = None, kind: str = "leaflet") -> bytes:
    """The sample as PDF bytes; `breakage` (one of BREAKAGES) breaks one thing on purpose.

    kind "leaflet" is the two-page leaflet; "long-table" a table crossing a page break.
    """
    rl_config.invariant = 1
    rl_config.useA85 = 0  # binary image streams: ASCII85 costs time and a quarter more bytes
    s: dict[str, Any] = styles()
    s["helv"] = ParagraphStyle("helv", parent=s["body"], fontName="Helvetica")
    t: Any = pdfua.Tagger() if tagged else _Plain()
    buffer = io.BytesIO()
    doc = _Template(buffer, t, s)
    flowables = story(t, s, breakage) if kind == "leaflet" else long_table(t, s)
    if tagged:
        doc.build(flowables, canvasmaker=t.canvasmaker)
    else:
        doc.build(flowables)
    if not tagged:
        return buffer.getvalue()
    if breakage == "untagged-link":
        _drop_annotations(t.root)
    return bytes(t.finish(buffer.getvalue(), title=TITLE, lang="en-GB", author="Sample Clinic"))


def _drop_annotations(element: pdfua.Element) -> None:
    element.kids = [k for k in element.kids if not isinstance(k, pdfua.AnnotationRef)]
    for kid in element.kids:
        if isinstance(kid, pdfua.Element):
            _drop_annotations(kid)
