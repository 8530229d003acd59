"""The web edition: one self-contained, accessible HTML page, the diagram as inline SVG.

The page holds everything it shows: CSS inline, the logo as a data: URI, the diagram as SVG
markup. It runs no script and asks nothing of the network. Every piece of content text is
escaped here and nowhere else; links keep only the schemes the content model allows.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from leaflet.colour import URGENT_FILL, URGENT_RED
from leaflet.edition import blocks as eb
from leaflet.inline import bad_url_char, check_link, link_scheme_ok
from leaflet.renderers import Options, Rendered

if TYPE_CHECKING:
    from leaflet.diagram.scene import Scene
    from leaflet.edition import Edition
    from leaflet.model import Theme

DIAGRAM_LABEL_PX = 13.0
"""Labels come out this large when the diagram is drawn DIAGRAM_BOX_PX wide and high: the width
of a narrow phone's reading column, so that the labels still read there."""
DIAGRAM_BOX_PX = (340.0, 420.0)


def render(edition: Edition, options: Options) -> Rendered:
    """The page's bytes (UTF-8); the same edition and assets always give the same bytes."""
    return Rendered(page(edition, options).encode("utf-8"), 1, "page")


def page(edition: Edition, options: Options) -> str:
    """The whole HTML document."""
    return _Page(edition, options).html()


def href(url: str) -> str | None:
    """The link as an attribute value, or None for one the content model would not allow."""
    if not link_scheme_ok(url) or bad_url_char(url) is not None:
        return None
    return escape(url, quote=True)


def runs(text: eb.Text) -> str:
    """Inline runs as HTML: every character escaped, tags only for the parser's runs."""
    out = []
    for run in text:
        piece = escape(run.text, quote=False)
        if run.italic:
            piece = f"<em>{piece}</em>"
        if run.bold:
            piece = f"<strong>{piece}</strong>"
        target = href(run.url) if run.url else None
        if target is not None:
            piece = f'<a href="{target}">{piece}</a>'
        out.append(piece)
    return "".join(out)


def _tel(phone: str) -> str | None:
    """A tel: link for a phone number as people write it ("01632 960000"), when it is one."""
    number = re.sub(r"[\s().-]", "", phone)
    url = f"tel:{number}"
    try:
        check_link(url)
    except ValueError:
        return None
    return url


def _mailto(email: str) -> str | None:
    url = f"mailto:{email}"
    try:
        check_link(url)
    except ValueError:
        return None
    return url


class _Page:
    def __init__(self, edition: Edition, options: Options) -> None:
        self.edition = edition
        self.options = options
        self.words = edition.words
        self.ids: dict[str, int] = {}
        self.heading_id: str | None = None
        """The id of the heading of the section being written (labels its urgent callout)."""

    def ident(self, kind: str) -> str:
        self.ids[kind] = self.ids.get(kind, 0) + 1
        return f"{kind}-{self.ids[kind]}"

    def term(self, key: str, **fields: str) -> str:
        return escape(self.words.term(key, **fields), quote=False)

    # the document --------------------------------------------------------------------------
    def html(self) -> str:
        e = self.edition
        lang = escape(e.lang, quote=True)
        direction = escape(e.direction, quote=True)
        main = [self.block(s) for s in e.sections]
        if e.glossary is not None:
            main.append(self.block(e.glossary))
        main += [self.block(e.sources), self.block(e.contact)]
        description = escape(e.subject, quote=True)
        return "\n".join(
            [
                "<!DOCTYPE html>",
                f'<html lang="{lang}" dir="{direction}">',
                "<head>",
                '<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                # no script, no request anywhere: only inline styles and data: images
                '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
                " style-src 'unsafe-inline'; img-src data:\">",
                f'<meta name="description" content="{description}">',
                f"<title>{escape(eb.plain(e.title.title), quote=False)}</title>",
                f"<style>{stylesheet(e.theme, e.lang)}</style>",
                "</head>",
                "<body>",
                self.block(e.title),
                "<main>",
                *main,
                "</main>",
                self.block(e.governance),
                "</body>",
                "</html>",
                "",
            ]
        )

    def block(self, block: eb.Block) -> str:
        rule = RULES.get(type(block))
        if rule is None:
            raise TypeError(f"the web page has no rule for {type(block).__name__}")
        return rule(self, block)

    def body(self, blocks: tuple[eb.Block, ...] | tuple[eb.Paragraph, ...]) -> str:
        return "\n".join(self.block(b) for b in blocks)

    # blocks --------------------------------------------------------------------------------
    def title(self, block: eb.TitleBlock) -> str:
        logo = ""
        if block.logo is not None:
            from leaflet.assets import prepared_image

            png = prepared_image(self.options.project_dir, block.logo.path)
            data = base64.b64encode(png.data).decode("ascii")
            logo = (
                f'<img class="logo" src="data:image/png;base64,{data}"'
                f' alt="{escape(block.logo.alt, quote=True)}"'
                f' width="{png.width_px}" height="{png.height_px}">'
            )
        subtitle = f'<p class="subtitle">{runs(block.subtitle)}</p>' if block.subtitle else ""
        return "\n".join(
            [
                "<header>",
                '<div class="masthead">',
                logo,
                f'<p class="organisation">{escape(block.organisation, quote=False)}</p>',
                "</div>",
                f"<h1>{runs(block.title)}</h1>",
                subtitle,
                "</header>",
            ]
        )

    def section(self, block: eb.Section) -> str:
        ident = f"section-{escape(block.id, quote=True)}"
        outer, self.heading_id = self.heading_id, ident
        try:
            inner = self.body(block.body)
        finally:
            self.heading_id = outer
        return (
            f'<section aria-labelledby="{ident}">\n<h2 id="{ident}">{runs(block.heading)}</h2>\n'
            f"{inner}\n</section>"
        )

    def paragraph(self, block: eb.Paragraph) -> str:
        label = f"<strong>{escape(block.label, quote=False)}</strong> " if block.label else ""
        return f"<p>{label}{runs(block.text)}</p>"

    def bullet_list(self, block: eb.BulletList) -> str:
        lead = f"<p>{escape(block.lead, quote=False)}</p>\n" if block.lead else ""
        items = "\n".join(self.item(i) for i in block.items)
        return f"{lead}<ul>\n{items}\n</ul>"

    def item(self, item: eb.Item) -> str:
        parts = [runs(item.text)]
        if item.label:
            parts.insert(0, f"<strong>{escape(item.label, quote=False)}</strong> ")
        if item.quote:
            parts.append(f' <q class="quote">{runs(item.quote)}</q>')
        if item.aside is not None:
            parts.append("\n" + self.block(item.aside))
        return f"<li>{''.join(parts)}</li>"

    def callout(self, block: eb.Callout) -> str:
        inner = [f'<p class="lead">{runs(block.lead)}</p>'] if block.lead else []
        inner.append(self.body(block.body))
        if block.kind != "urgent":
            return f'<div class="callout callout-{block.kind}">\n' + "\n".join(inner) + "\n</div>"
        # a region named by its visible word and the section's heading: "Urgent: When to get help"
        word = self.ident("urgent")
        labels = word if self.heading_id is None else f"{word} {self.heading_id}"
        badge = (
            f'<p class="callout-kind" id="{word}">'
            f'<span class="callout-icon" aria-hidden="true">!</span>'
            f" {escape(block.badge or self.term('leaflet.urgent'))}</p>"
        )
        return (
            f'<div class="callout callout-urgent" role="region" aria-labelledby="{labels}">\n'
            + "\n".join([badge, *inner])
            + "\n</div>"
        )

    def cards(self, block: eb.Cards) -> str:
        return '<div class="cards">\n' + "\n".join(self.card(c) for c in block.items) + "\n</div>"

    def card(self, card: eb.Card) -> str:
        return f'<div class="card">\n<h3>{runs(card.title)}</h3>\n{self.body(card.body)}\n</div>'

    def table(self, block: eb.Table) -> str:
        head = "".join(f'<th scope="col">{escape(h, quote=False)}</th>' for h in block.header)
        rows = "\n".join(
            "<tr>" + "".join(f"<td>{self.body(cell)}</td>" for cell in row) + "</tr>"
            for row in block.rows
        )
        return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>"

    def figure(self, block: eb.Figure) -> str:
        from leaflet.diagram.draw_svg import to_svg

        ident = self.ident("diagram")
        desc = block.description or eb.plain(block.fallback) or block.alt
        svg = to_svg(web_scene(block), title=block.alt, desc=desc, ident=ident)
        heading = f"<h3>{runs(block.heading)}</h3>\n" if block.heading else ""
        caption = ""
        if block.terms:
            lead = f"<p>{escape(block.list_lead, quote=False)}</p>" if block.list_lead else ""
            items = "".join(f"<li>{escape(t, quote=False)}</li>" for t in block.terms)
            caption = f"<figcaption>{lead}<ul>{items}</ul></figcaption>"
        elif block.fallback:
            caption = f"<figcaption>{runs(block.fallback)}</figcaption>"
        return f'{heading}<figure class="figure">\n{svg}\n{caption}\n</figure>'

    def glossary(self, block: eb.Glossary) -> str:
        ident = "glossary"
        terms = "\n".join(
            f"<dt>{escape(t.term, quote=False)}</dt>\n<dd>{runs(t.meaning)}</dd>"
            for t in block.terms
        )
        return (
            f'<section aria-labelledby="{ident}">\n<h2 id="{ident}">'
            f"{escape(block.heading, quote=False)}</h2>\n<dl>\n{terms}\n</dl>\n</section>"
        )

    def sources(self, block: eb.Sources) -> str:
        ident = "sources"
        items = []
        for source in block.items:
            text = runs(source.citation)
            target = href(source.url) if source.url else None
            if source.url and target is not None:
                shown = escape(source.url, quote=False)
                text += f' <a class="url" href="{target}">{shown}</a>'
            if source.accessed:
                text += self.term("deck.accessed", date=source.accessed)
            items.append(f"<li>{text}</li>")
        return (
            f'<section aria-labelledby="{ident}">\n<h2 id="{ident}">'
            f"{escape(block.heading, quote=False)}</h2>\n<ol>\n"
            + "\n".join(items)
            + f'\n</ol>\n<p class="colophon">{runs(block.colophon)}</p>\n</section>'
        )

    def contact(self, block: eb.Contact) -> str:
        ident = "contact"
        rows: list[tuple[str, str]] = []

        def link(url: str | None, shown: str) -> str:
            target = href(url) if url else None
            text = escape(shown, quote=False)
            return f'<a href="{target}">{text}</a>' if target else text

        rows.append(("web.phone", link(_tel(block.phone), block.phone)))
        website = block.website.removeprefix("https://").removeprefix("http://").rstrip("/")
        rows.append(("web.website", link(block.website, website)))
        if block.email:
            rows.append(("web.email", link(_mailto(block.email), block.email)))
        if block.address:
            rows.append(("web.address", escape(block.address, quote=False)))
        listed = "\n".join(f"<dt>{self.term(key)}</dt>\n<dd>{value}</dd>" for key, value in rows)
        return (
            f'<section aria-labelledby="{ident}">\n<h2 id="{ident}">{self.term("web.contact")}'
            f'</h2>\n<p class="organisation-name">{escape(block.organisation, quote=False)}</p>\n'
            f'<dl class="contact">\n{listed}\n</dl>\n</section>'
        )

    def governance(self, block: eb.Governance) -> str:
        dates = self.words.runs(
            "leaflet.footer_dates",
            version=block.version,
            reviewed=block.reviewed,
            next_review=block.next_review,
        )
        contact = self.edition.footer[0] if self.edition.footer else ()
        lines = [f"<p>{runs(contact)}</p>"] if contact else []
        lines.append(f"<p>{runs(dates)}</p>")
        if self.edition.notice is not None:
            lines.append(f'<p class="notice"><strong>{escape(self.edition.notice)}</strong></p>')
        return "<footer>\n" + "\n".join(lines) + "\n</footer>"


Rule = Callable[[_Page, eb.Block], str]

RULES: dict[type, Rule] = {
    eb.TitleBlock: _Page.title,  # type: ignore[dict-item]
    eb.Section: _Page.section,  # type: ignore[dict-item]
    eb.Paragraph: _Page.paragraph,  # type: ignore[dict-item]
    eb.BulletList: _Page.bullet_list,  # type: ignore[dict-item]
    eb.Callout: _Page.callout,  # type: ignore[dict-item]
    eb.Cards: _Page.cards,  # type: ignore[dict-item]
    eb.Table: _Page.table,  # type: ignore[dict-item]
    eb.Figure: _Page.figure,  # type: ignore[dict-item]
    eb.Glossary: _Page.glossary,  # type: ignore[dict-item]
    eb.Sources: _Page.sources,  # type: ignore[dict-item]
    eb.Contact: _Page.contact,  # type: ignore[dict-item]
    eb.Governance: _Page.governance,  # type: ignore[dict-item]
}
"""How each block type becomes HTML; a block type with no rule is an error, never skipped."""


def web_scene(figure: eb.Figure) -> Scene:
    """The figure's scene, its labels sized to read in a phone's reading column."""
    from leaflet.diagram.scene import figure_scene

    width, height = DIAGRAM_BOX_PX
    return figure_scene(figure, label_pt=DIAGRAM_LABEL_PX, width_pt=width, height_pt=height)


SYSTEM_FONTS: dict[str, str] = {
    "arabic": '"Noto Naskh Arabic","Segoe UI","Geeza Pro",Tahoma,',
    "devanagari": '"Nirmala UI","Kohinoor Devanagari","Lohit Devanagari",',
    "bengali": '"Nirmala UI","Kohinoor Bangla","Lohit Bengali",',
    "gurmukhi": '"Noto Sans Gurmukhi","Nirmala UI","Lohit Gurmukhi",',
    "gujarati": '"Noto Sans Gujarati","Nirmala UI","Lohit Gujarati",',
    "han": '"PingFang SC","Microsoft YaHei","Noto Sans SC",',
    "greek": "",
    "cyrillic": "",
}
"""Fonts a reader's system is likely to have for each script, after the leaflet's own family
(which the page names but does not carry: a reader who has it installed gets it)."""


def stylesheet(theme: Theme, language: str = "en") -> str:
    """The page's CSS: one reading column from 320 px up, and a print stylesheet; the fonts of
    the language's script after Atkinson Hyperlegible (a browser chooses per character)."""
    from leaflet.fonts import CJK_FAMILIES, LEAFLET_FONT, script_fonts

    fonts = script_fonts(language)
    script = ""
    if fonts.script != "latin" or fonts.family("latin") != LEAFLET_FONT:
        family = fonts.primary
        name = family.package_name
        if family in CJK_FAMILIES:
            name = "Noto Sans CJK " + ("TC" if family.pdf_name.endswith("TC") else "SC")
        script = f'"{name}",' + SYSTEM_FONTS.get(fonts.script, "")
    return CSS.format(
        script_fonts=script,
        text=theme.text,
        background=theme.background,
        primary=theme.primary,
        accent=theme.accent,
        callout=theme.callout_background,
        urgent=URGENT_RED,
        urgent_fill=URGENT_FILL,
    ).strip()


# Colours are the theme's, whose pairs `leaflet check` holds to WCAG AA: text and primary on the
# background and on the callout background, white on primary, accent as a border (3:1).
CSS = """
*,*::before,*::after{{box-sizing:border-box}}
html{{-webkit-text-size-adjust:100%;text-size-adjust:100%}}
body{{margin:0;background:{background};color:{text};font-family:"Atkinson Hyperlegible",\
{script_fonts}Verdana,Arial,"Liberation Sans",sans-serif;font-size:1.125rem;line-height:1.55;\
overflow-wrap:break-word}}
header,main,footer{{max-width:42rem;margin:0 auto;padding:0 1rem}}
header{{padding-top:1rem;padding-bottom:.5rem;border-bottom:.25rem solid {primary}}}
.masthead{{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem}}
.logo{{height:auto;max-height:4.5rem;width:auto;max-width:100%}}
.organisation{{margin:0;font-weight:700}}
h1,h2,h3{{color:{primary};line-height:1.25;margin:1.5rem 0 .5rem}}
h1{{font-size:2rem;margin-top:.75rem}}
h2{{font-size:1.5rem}}
h3{{font-size:1.25rem}}
.subtitle{{font-size:1.25rem;margin-top:0}}
p,ul,ol,dl{{margin:0 0 .75rem}}
ul,ol{{padding-inline-start:1.5rem}}
li{{margin-bottom:.375rem}}
a{{color:{primary};text-decoration-thickness:.08em;text-underline-offset:.15em}}
a:focus-visible{{outline:.1875rem solid {accent};outline-offset:.125rem}}
.callout{{background:{callout};color:{text};border-inline-start:.5rem solid {accent};\
padding:.75rem 1rem;margin:1rem 0}}
.callout a{{color:{primary}}}
.callout-urgent{{background:{urgent_fill};border:.1875rem solid {urgent};\
border-inline-start-width:.5rem}}
.callout-clinic{{background:#FFFFFF;border:.125rem solid {urgent};border-inline-start-width:.5rem}}
.callout-kind{{display:inline-block;background:{urgent};color:#FFFFFF;font-weight:700;\
padding:.125rem .625rem;border-radius:.25rem;margin-bottom:.5rem}}
.callout-icon{{display:inline-block;font-weight:700;margin-inline-end:.25rem}}
.lead{{font-weight:700}}
.card{{border-top:.125rem solid {primary};margin:1rem 0}}
.card h3{{margin-top:.75rem}}
figure{{margin:1rem 0}}
.diagram{{display:block;width:100%;height:auto;max-width:26rem;margin:0 auto}}
figcaption{{margin-top:.5rem}}
dt{{font-weight:700}}
dd{{margin:0 0 .75rem}}
.contact dd{{margin-inline-start:0}}
table{{border-collapse:collapse;width:100%}}
th,td{{border:1px solid {text};padding:.375rem;text-align:start;vertical-align:top}}
.colophon{{font-size:1rem}}
footer{{margin-top:2rem;padding-top:.75rem;padding-bottom:1.5rem;\
border-top:.125rem solid {primary};font-size:1rem}}
@media print{{
body{{font-size:12pt;line-height:1.4}}
header,main,footer{{max-width:none;padding:0}}
h1{{font-size:22pt}}h2{{font-size:16pt}}h3{{font-size:13pt}}
h2,h3{{break-after:avoid}}
.callout,.card,figure,li{{break-inside:avoid}}
.callout-kind{{border:1pt solid {urgent}}}
.diagram{{max-width:14cm}}
main a:not(.url)[href^="http"]::after{{content:" (" attr(href) ")"}}
}}
"""
