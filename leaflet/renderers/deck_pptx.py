"""The clinician deck: a 16:9 PPTX drawn with python-pptx, in the clinician wording."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from pptx import Presentation
from pptx.presentation import Presentation as PresentationType
from pptx.util import Emu, Inches, Pt

from leaflet import inline
from leaflet.assets import prepared_image
from leaflet.model import Document
from leaflet.renderers import Options, Rendered
from leaflet.sites import SITES, join_words

EVIDENCE = {
    "established": "Established",
    "limited": "Limited evidence",
    "experimental": "Experimental",
    "anecdotal": "Anecdotal",
}


@dataclass
class SlidePlan:
    """One slide before drawing: its title, bullets or table, and speaker notes."""

    title: str
    bullets: list[str] = field(default_factory=list)
    table: list[list[str]] | None = None
    notes: str = ""


def plan(document: Document) -> list[SlidePlan]:
    """The slides, as data, in order."""
    slides: list[SlidePlan] = []
    for section in document.sections:
        bullets = [p.clinician for p in section.paragraphs]
        title = section.heading.clinician
        if section.block == "sites":
            sites = [SITES[s.id].clinician for s in document.sites]
            bullets.append(f"Sites: {join_words(sites)}")
            slides.append(SlidePlan(title, bullets, notes=" ".join(bullets)))
        elif section.block == "types":
            slides.append(SlidePlan(title, bullets, notes=" ".join(bullets)))
            for kind in document.types:
                points = [f"Mechanism: {kind.mechanism.clinician}"]
                if kind.causes:
                    causes = [document.cause(c).name.clinician for c in kind.causes]
                    points.append(f"Associated conditions: {join_words(causes)}")
                points += [f"Example: {e.clinician}" for e in kind.examples]
                if kind.note:
                    points.append(kind.note.clinician)
                notes = f"{kind.name.clinician}. " + " ".join(points)
                slides.append(SlidePlan(kind.name.clinician, points, notes=notes))
        elif section.block == "risk_factors":
            for risk in document.risk_factors:
                line = risk.factor.clinician
                if risk.why:
                    line += f" {risk.why.clinician}"
                if risk.advice:
                    line += f" {risk.advice.clinician}"
                bullets.append(line)
            slides.append(SlidePlan(title, bullets, notes=" ".join(bullets)))
        elif section.block == "treatments":
            rows = [["Treatment", "What", "For", "Evidence and caveats"]]
            for t in document.treatments:
                kinds = [document.type_(k).name.clinician for k in t.for_types] or ["Any type"]
                caveats = " ".join([EVIDENCE[t.evidence] + "."] + [c.clinician for c in t.caveats])
                rows.append([t.name.clinician, t.what.clinician, join_words(kinds), caveats])
            notes = " ".join(bullets) or title
            slides.append(SlidePlan(title, bullets, table=rows, notes=notes))
        elif section.block == "warning_signs":
            bullets += [w.clinician for w in document.warning_signs]
            slides.append(SlidePlan(title, bullets, notes=" ".join(bullets)))
        else:
            slides.append(SlidePlan(title, bullets, notes=" ".join(bullets)))
    refs = [s.citation + (f" {s.url}" if s.url else "") for s in document.sources]
    slides.append(SlidePlan("References", refs, notes="Sources for this deck: " + " ".join(refs)))
    return slides


def render(document: Document, options: Options) -> Rendered:
    prs = Presentation()
    prs.slide_width = Inches(13.333)
    prs.slide_height = Inches(7.5)
    meta = document.meta
    title_slide = prs.slides.add_slide(prs.slide_layouts[0])
    title_slide.shapes.title.text = meta.title.clinician
    subtitle = meta.subtitle.clinician if meta.subtitle else meta.topic.clinician
    title_slide.placeholders[
        1
    ].text = (
        f"{subtitle}\n{meta.organisation.name} · Version {meta.version} · {meta.reviewed:%d %B %Y}"
    )
    if meta.organisation.logo:
        logo = title_slide.shapes.add_picture(
            # hostile-content hook: bytes read once from inside the project, normalised
            io.BytesIO(prepared_image(options.project_dir, meta.organisation.logo).data),
            Inches(0.6),
            Inches(0.5),
            Inches(1.1),
            Inches(1.1),
        )
        alt = meta.organisation.logo_alt or f"{meta.organisation.name} logo"
        logo._element.nvPicPr.cNvPr.set("descr", alt)
    title_slide.notes_slide.notes_text_frame.text = (
        f"{meta.title.clinician}: {subtitle}. Prepared by {meta.organisation.name}."
    )
    for slide_plan in plan(document):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = inline.plain(slide_plan.title)
        top = Emu(Inches(1.5))
        if slide_plan.bullets:
            box = slide.shapes.add_textbox(Inches(0.6), top, Inches(12.1), Inches(2.5))
            frame = box.text_frame
            frame.word_wrap = True
            for i, text in enumerate(slide_plan.bullets):
                para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
                para.text = inline.plain(text)
                para.font.size = Pt(18)
            top = Emu(top + Inches(2.6))
        if slide_plan.table:
            rows, cols = len(slide_plan.table), len(slide_plan.table[0])
            shape = slide.shapes.add_table(rows, cols, Inches(0.6), top, Inches(12.1), Inches(3))
            for r, row in enumerate(slide_plan.table):
                for c, text in enumerate(row):
                    cell = shape.table.cell(r, c)
                    cell.text = inline.plain(text)
                    for para in cell.text_frame.paragraphs:
                        para.font.size = Pt(11)
        slide.notes_slide.notes_text_frame.text = inline.plain(slide_plan.notes)
    _core_properties(prs, document)
    buffer = io.BytesIO()
    prs.save(buffer)
    return Rendered(fixed_zip_dates(buffer.getvalue()), len(prs.slides), "slide")


def _core_properties(prs: PresentationType, document: Document) -> None:
    """Properties from the content, never the clock, so that bytes repeat."""
    meta = document.meta
    props = prs.core_properties
    props.title = meta.title.clinician
    props.subject = meta.subtitle.clinician if meta.subtitle else meta.topic.clinician
    props.author = meta.organisation.name
    props.last_modified_by = meta.organisation.name
    props.language = meta.language
    props.version = meta.version
    props.revision = 1
    props.keywords = meta.topic.clinician
    props.created = dt.datetime.combine(meta.published, dt.time())
    props.modified = dt.datetime.combine(meta.reviewed, dt.time())
    props.last_printed = dt.datetime.combine(meta.published, dt.time())


def fixed_zip_dates(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01, in the same order and compression."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
