"""The patient leaflet: a PDF drawn with reportlab's platypus, in the patient wording."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from leaflet import inline
from leaflet.assets import prepared_image
from leaflet.fonts import LEAFLET_FONT, register_reportlab_fonts
from leaflet.model import Document, Section
from leaflet.renderers import Options, Rendered
from leaflet.sites import SITES, join_words

EVIDENCE_WORDS = {
    "established": "A standard treatment.",
    "limited": "It helps some people.",
    "experimental": "Still being tested.",
    "anecdotal": "Based on what people have found, not on research.",
}


def markup(text: str, link_colour: str = "#1F4E79") -> str:
    """Content text as reportlab paragraph markup; every character of content is escaped."""
    out = []
    for run in inline.parse(" ".join(text.split())):
        piece = escape(run.text)
        if run.bold:
            piece = f"<b>{piece}</b>"
        if run.italic:
            piece = f"<i>{piece}</i>"
        if run.url:
            href = escape(run.url, {'"': "&quot;"})
            piece = f'<a href="{href}" color="{link_colour}"><u>{piece}</u></a>'
        out.append(piece)
    return "".join(out)


class Styles:
    """The leaflet's type scale: body 12.5 pt, nothing under 9.5 pt."""

    def __init__(self, document: Document) -> None:
        font = register_reportlab_fonts(LEAFLET_FONT)
        theme = document.theme
        text = colors.HexColor(theme.text)
        self.primary = colors.HexColor(theme.primary)
        self.accent = colors.HexColor(theme.accent)
        self.callout_bg = colors.HexColor(theme.callout_background)
        self.font = font
        base = dict(fontName=font, textColor=text, alignment=TA_LEFT)
        self.body = ParagraphStyle("body", fontSize=12.5, leading=17, spaceAfter=6, **base)
        self.title = ParagraphStyle(
            "title",
            fontSize=26,
            leading=31,
            spaceAfter=4,
            **{**base, "fontName": f"{font}-Bold", "textColor": self.primary},
        )
        self.subtitle = ParagraphStyle("subtitle", fontSize=14, leading=19, spaceAfter=10, **base)
        self.h1 = ParagraphStyle(
            "h1",
            fontSize=17,
            leading=22,
            spaceBefore=10,
            spaceAfter=5,
            **{**base, "fontName": f"{font}-Bold", "textColor": self.primary},
        )
        self.h2 = ParagraphStyle(
            "h2",
            fontSize=13.5,
            leading=18,
            spaceBefore=6,
            spaceAfter=2,
            **{**base, "fontName": f"{font}-Bold"},
        )
        self.bullet = ParagraphStyle(
            "bullet",
            parent=self.body,
            leftIndent=14,
            bulletIndent=2,
            spaceAfter=3,
            bulletFontName=font,
        )
        self.small = ParagraphStyle("small", fontSize=10, leading=13, spaceAfter=3, **base)
        self.footer = ParagraphStyle("footer", fontSize=9.5, leading=12, **base)


def render(document: Document, options: Options) -> Rendered:
    import io

    rl_config.invariant = 1
    styles = Styles(document)
    paper = options.paper or document.theme.paper
    pagesize = A4 if paper == "A4" else LETTER
    buffer = io.BytesIO()
    doc = _Template(buffer, document, styles, pagesize)
    story = _story(document, styles, options)
    doc.build(story)
    return Rendered(buffer.getvalue(), doc.page, "page")


class _Template(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, buffer: Any, document: Document, styles: Styles, pagesize: Any) -> None:
        meta = document.meta
        self.document = document
        self.styles = styles
        margin = 18 * mm
        super().__init__(
            buffer,
            pagesize=pagesize,
            leftMargin=margin,
            rightMargin=margin,
            topMargin=16 * mm,
            bottomMargin=24 * mm,
            title=meta.title.patient,
            author=meta.organisation.name,
            subject=meta.subtitle.patient if meta.subtitle else meta.topic.patient,
            creator="leaflet",
            lang=meta.language,
            invariant=1,
            initialFontName=styles.font,
        )
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPage=self._footer)])

    def _footer(self, canvas: Any, doc: Any) -> None:
        meta = self.document.meta
        canvas.saveState()
        canvas.setStrokeColor(self.styles.primary)
        canvas.setLineWidth(0.8)
        y = 17 * mm
        canvas.line(self.leftMargin, y, self.pagesize[0] - self.rightMargin, y)
        canvas.setFont(self.styles.font, 9.5)
        canvas.setFillColor(colors.HexColor(self.document.theme.text))
        org = meta.organisation
        canvas.drawString(self.leftMargin, y - 12, f"{org.name} · {org.phone} · {org.website}")
        canvas.drawString(
            self.leftMargin,
            y - 24,
            f"Version {meta.version} · Reviewed {meta.reviewed:%d %B %Y}"
            f" · Next review {meta.next_review:%d %B %Y}",
        )
        canvas.drawRightString(self.pagesize[0] - self.rightMargin, y - 12, f"Page {doc.page}")
        canvas.restoreState()


def _story(document: Document, s: Styles, options: Options) -> list[Flowable]:
    meta = document.meta
    heading: list[Flowable] = [
        Paragraph(escape(meta.organisation.name), s.h2),
        Paragraph(markup(meta.title.patient), s.title),
    ]
    if meta.subtitle:
        heading.append(Paragraph(markup(meta.subtitle.patient), s.subtitle))
    story: list[Flowable] = heading
    if meta.organisation.logo:
        import io

        from reportlab.platypus import Image

        # hostile-content hook: bytes read once from inside the project, decoded and normalised
        png = prepared_image(options.project_dir, meta.organisation.logo)
        logo = Image(io.BytesIO(png.data), 24 * mm, 24 * mm)
        block = Table([[logo, heading]], colWidths=[30 * mm, None])
        block.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (0, 0), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        story = [block]
    for section in document.sections:
        story.extend(_section(document, section, s))
    if document.glossary:
        rows = [
            [
                Paragraph(f"<b>{escape(term.term)}</b>", s.body),
                Paragraph(markup(term.meaning), s.body),
            ]
            for term in document.glossary
        ]
        story.append(Paragraph("Words to know", s.h1))
        table = Table(rows, colWidths=[45 * mm, None])
        table.setStyle(
            TableStyle(
                [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), s.font)]
            )
        )
        story.append(table)
    story.append(Paragraph("Where this information comes from", s.h1))
    for source in document.sources:
        text = markup(source.citation)
        if source.url:
            text += f' <a href="{escape(source.url)}" color="#1F4E79">{escape(source.url)}</a>'
        story.append(Paragraph(text, s.small, bulletText="•"))
    authors = join_words([a.name for a in meta.authors])
    story.append(Spacer(1, 6))
    story.append(
        Paragraph(
            f"Written by {escape(authors)}. Published {meta.published:%d %B %Y}. "
            f"Licence: {escape(meta.licence)}.",
            s.small,
        )
    )
    return story


def _callout(flowables: list[Flowable], s: Styles) -> Flowable:
    table = Table([[flowables]], colWidths=["100%"])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 2, s.accent),
                ("BACKGROUND", (0, 0), (-1, -1), s.callout_bg),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def _section(document: Document, section: Section, s: Styles) -> list[Flowable]:
    out: list[Flowable] = [Paragraph(markup(section.heading.patient), s.h1)]
    out += [Paragraph(markup(p.patient), s.body) for p in section.paragraphs]
    block = section.block
    if block is None:
        return out
    return out + _BLOCKS[block](document, s)


def _sites(document: Document, s: Styles) -> list[Flowable]:
    words = [SITES[site.id].patient for site in document.sites]
    return [Paragraph(f"Places they form: {escape(join_words(words))}.", s.body)]


def _types(document: Document, s: Styles) -> list[Flowable]:
    out: list[Flowable] = []
    for kind in document.types:
        part: list[Flowable] = [
            Paragraph(markup(kind.name.patient), s.h2),
            Paragraph(markup(kind.mechanism.patient), s.body),
        ]
        if kind.causes:
            causes = [document.cause(c).name.patient for c in kind.causes]
            part.append(Paragraph("It can be caused by:", s.body))
            part += [Paragraph(markup(c), s.bullet, bulletText="•") for c in causes]
        part += [Paragraph(markup(e.patient), s.body) for e in kind.examples]
        if kind.note:
            part.append(Paragraph(markup(kind.note.patient), s.body))
        out.append(KeepTogether(part))
    return out


def _risks(document: Document, s: Styles) -> list[Flowable]:
    out: list[Flowable] = []
    for risk in document.risk_factors:
        text = f"<b>{markup(risk.factor.patient)}</b>"
        if risk.why:
            text += " " + markup(risk.why.patient)
        out.append(Paragraph(text, s.bullet, bulletText="•"))
        if risk.advice:
            out.append(Spacer(1, 4))
            out.append(_callout([Paragraph(markup(risk.advice.patient), s.body)], s))
            out.append(Spacer(1, 6))
    return out


def _treatments(document: Document, s: Styles) -> list[Flowable]:
    out: list[Flowable] = []
    for treatment in document.treatments:
        part: list[Flowable] = [
            Paragraph(markup(treatment.name.patient), s.h2),
            Paragraph(markup(treatment.what.patient), s.body),
        ]
        if treatment.for_types:
            names = [document.type_(t).name.patient.lower() for t in treatment.for_types]
            part.append(Paragraph(f"Used for deposits {escape(join_words(names, 'or'))}.", s.body))
        notes = [EVIDENCE_WORDS[treatment.evidence]] + [c.patient for c in treatment.caveats]
        part.append(Paragraph(markup(" ".join(notes)), s.body))
        out.append(KeepTogether(part))
    return out


def _warning_signs(document: Document, s: Styles) -> list[Flowable]:
    phone = escape(document.meta.organisation.phone)
    inner: list[Flowable] = [Paragraph(f"<b>Call your clinic on {phone} if:</b>", s.body)]
    inner += [
        Paragraph(markup(w.patient), s.bullet, bulletText="•") for w in document.warning_signs
    ]
    return [_callout(inner, s)]


_BLOCKS = {
    "sites": _sites,
    "types": _types,
    "risk_factors": _risks,
    "treatments": _treatments,
    "warning_signs": _warning_signs,
}
