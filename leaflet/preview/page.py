"""The preview page's HTML: the whole page, and each region the open page replaces on a change.

Every piece of text from the content (the title, messages that quote it, file names) is
escaped here; the page's script only moves this HTML into place. The page's own words are for
the people who write leaflets, in English.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from leaflet.preview.session import Finding, Output, Problem, Slides, State

REGIONS = ("title", "status", "nav", "problems", "checks", "outputs")
"""The parts of the page that change, in page order; `outputs` is keyed (see preview.js)."""

LABELS = {
    "leaflet": "Patient leaflet",
    "leaflet-large": "Large print leaflet",
    "deck": "Slides for clinicians",
    "web": "Web page",
}
"""How the page names the editions it knows; others by their description."""

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "frame-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
"""The page's Content-Security-Policy: its own script and style, and nothing from elsewhere."""


def document(state: State) -> str:
    """The whole page, as it is now; the script keeps it up to date."""
    parts = regions(state)
    title = escape(state.title or state.content)
    keyed = {"outputs": " data-keyed"}
    roles = {"status": ' role="status"'}
    body = "".join(
        f'<div id="region-{name}"{keyed.get(name, "")}{roles.get(name, "")}>{parts[name]}</div>'
        for name in REGIONS
        if name not in ("title", "status", "nav")
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>Preview: {title}</title>\n"
        '<link rel="stylesheet" href="/static/preview.css">\n'
        '<script src="/static/preview.js" defer></script>\n'
        f'</head>\n<body data-generation="{state.generation}">\n'
        '<header class="top">\n'
        f'<h1 id="region-title">{parts["title"]}</h1>\n'
        f'<p class="watching">Showing <code>{escape(state.content)}</code>. Save the file and'
        " this page updates by itself.</p>\n"
        f'<div id="region-status" role="status">{parts["status"]}</div>\n'
        f'<nav aria-label="On this page" id="region-nav">{parts["nav"]}</nav>\n'
        "</header>\n"
        f'<main id="main">\n{body}\n</main>\n'
        "<footer><p>This page is made on your own computer by <code>leaflet preview</code>;"
        " nothing is sent anywhere. Stop it with Ctrl-C in its terminal.</p></footer>\n"
        "</body>\n</html>\n"
    )


def regions(state: State) -> dict[str, str]:
    """Each changing region's inner HTML."""
    return {
        "title": _title(state),
        "status": _status(state),
        "nav": _nav(state),
        "problems": _problems(state),
        "outputs": _outputs(state),
        "checks": _checks(state),
    }


def _title(state: State) -> str:
    lang = f' lang="{escape(state.language, quote=True)}"' if state.language else ""
    return f"Preview: <span{lang}>{escape(state.title or state.content)}</span>"


def _status(state: State) -> str:
    if state.building and not state.outputs and not state.problems:
        return '<p class="status busy">Building the first version…</p>'
    if state.problems:
        count = len(state.problems)
        what = "a bug in leaflet" if state.bug else f"{count} problem{'s' * (count != 1)}"
        text = f"Not built: {what} (see below)."
        kind = "bad"
    elif state.building:
        text = "Building…"
        kind = "busy"
    else:
        text = f"Up to date (last change shown at {escape(state.updated)})."
        kind = "good"
        errors = sum(1 for f in state.findings if f.severity == "error")
        if errors:
            text += f" {errors} check{'s' * (errors != 1)} failed (see Checks)."
            kind = "bad"
    return f'<p class="status {kind}">{text}</p>'


def _nav(state: State) -> str:
    links = []
    if state.problems:
        links.append('<a href="#problems-heading">The mistake</a>')
    if state.checked:
        links.append('<a href="#checks-heading">Checks</a>')
    several = len({o.language for o in state.outputs}) > 1
    for o in state.outputs:
        target = escape(f"h-{o.language}-{o.edition}", quote=True)
        language = f" ({escape(o.language)})" if several else ""
        links.append(f'<a href="#{target}">{escape(_label(o.edition))}{language}</a>')
    if not links:
        return ""
    return "<ul>" + "".join(f"<li>{link}</li>" for link in links) + "</ul>"


def _place(place: str) -> str:
    return f"<code>{escape(place)}</code>: " if place else ""


def _problems(state: State) -> str:
    if not state.problems:
        return ""
    items = "".join(_problem(p) for p in state.problems)
    if state.outputs:
        kept = (
            "The pictures below are the last version that built"
            + (f" (shown at {escape(state.updated)})" if state.updated else "")
            + ". Fix the content, save, and they come back."
        )
    else:
        kept = "Fix the content and save; the leaflet appears here when it builds."
    heading = "leaflet could not build this" if state.bug else "The content has a mistake"
    return (
        '<section class="problems" aria-labelledby="problems-heading">'
        f'<h2 id="problems-heading">{heading}</h2>'
        f'<ul class="findings">{items}</ul><p>{kept}</p></section>'
    )


def _problem(problem: Problem) -> str:
    path = f'<span class="path">{escape(problem.path)}</span>: ' if problem.path else ""
    return f'<li class="error">{_place(problem.place)}{path}{escape(problem.message)}</li>'


def _outputs(state: State) -> str:
    if not state.outputs:
        return ""
    languages: dict[str, list[Output]] = {}
    for output in state.outputs:
        languages.setdefault(output.language, []).append(output)
    parts = []
    for language, outputs in languages.items():
        key = escape(f"language-{language}", quote=True)
        parts.append(
            f'<h2 class="language" data-key="{key}" data-sig="">'
            f"{escape(language_name(language))}</h2>"
        )
        parts.extend(_output(state, o) for o in outputs)
    return "".join(parts)


def language_name(tag: str) -> str:
    """The language's name in English (the page's language), with its tag."""
    try:
        from babel import Locale

        name = Locale.parse(tag.replace("-", "_")).get_display_name("en")
    except (ValueError, TypeError, LookupError):
        name = None
    return f"{name}, {tag}" if name else tag or "Outputs"


def _label(edition: str) -> str:
    from leaflet.edition.spec import EDITIONS
    from leaflet.preview.session import base_edition

    edition = base_edition(edition)  # a translation is labelled as the edition it translates
    if edition in LABELS:
        return LABELS[edition]
    spec = EDITIONS.get(edition)
    description = spec.description if spec is not None else edition
    return description[:1].upper() + description[1:]


def _output(state: State, output: Output) -> str:
    label = escape(_label(output.edition))
    ident = escape(f"{output.language}-{output.edition}", quote=True)
    heading_id = f"h-{ident}"
    units = f"{output.units} {output.unit_name}{'s' * (output.units != 1)}"
    href = f"/files/{quote(output.file)}?v={output.sha[:12]}"
    link = (
        f'<a href="{href}" download>Download {escape(output.file)}</a>'
        if output.file.endswith(".pptx")
        else f'<a href="{href}">Open {escape(output.file)}</a>'
    )
    sig = output.sha[:16]
    if output.pictures:
        body = _pictures(output.pictures, label, "pages")
    elif output.file.endswith(".pptx") and output.language != state.language:
        body = '<p class="note">Slides are drawn here in the content\'s own language only.</p>'
    elif output.file.endswith(".pptx"):
        body = _slides(state.slides, label)
        sig += f"-{state.slides.status}-{state.slides.sha[:16]}"
    elif output.file.endswith(".html"):
        body = (
            f'<iframe class="web" src="{href}" sandbox="" title="{label}: {label_of(state)}"'
            ' referrerpolicy="no-referrer"></iframe>'
        )
    else:
        body = ""
    size = f"{output.size / 1024:.0f} KB"
    return (
        f'<section class="output" data-key="{ident}" data-sig="{escape(sig, quote=True)}"'
        f' aria-labelledby="{heading_id}">'
        f'<h3 id="{heading_id}">{label}</h3>'
        f'<p class="meta">{units}, {size}. {link}</p>{body}</section>'
    )


def label_of(state: State) -> str:
    return escape(state.title or state.content, quote=True)


def _pictures(pictures: tuple[tuple[str, int, int], ...], label: str, kind: str) -> str:
    count = len(pictures)
    noun = "Page" if kind == "pages" else "Slide"
    items = "".join(
        f'<li><img src="/pictures/{quote(name)}" width="{width}" height="{height}"'
        f' alt="{noun} {number} of {count}, {label}"></li>'
        for number, (name, width, height) in enumerate(pictures, start=1)
    )
    return f'<ol class="{kind}">{items}</ol>'


def _slides(slides: Slides, label: str) -> str:
    if slides.status == "ready":
        return _pictures(slides.pictures, label, "slides")
    if slides.status == "missing":
        return f'<p class="note">{escape(slides.message)}</p>'
    if slides.status == "failed":
        return f'<p class="note bad">The slides could not be drawn: {escape(slides.message)}</p>'
    note = '<p class="note busy">LibreOffice is drawing the slides…</p>'
    if slides.pictures:
        return note + _pictures(slides.pictures, label, "slides")
    return note


def _checks(state: State) -> str:
    if not state.checked:
        return ""
    heading = '<h2 id="checks-heading">Checks</h2>'
    if state.check_ok:
        verdict = "The content passes every check"
        if state.findings:
            verdict += " that stops a build; the warnings below are worth a look"
    else:
        errors = sum(1 for f in state.findings if f.severity == "error")
        them = "they are" if errors != 1 else "it is"
        verdict = (
            f"{errors} check{'s' * (errors != 1)} failed: <code>leaflet build</code> will refuse"
            f" this content until {them} fixed (the pictures here are drawn anyway)"
        )
    summary = f" ({escape(state.check_summary)})" if state.check_summary else ""
    silenced = (
        f" {state.silenced} finding{'s are' if state.silenced != 1 else ' is'} silenced on"
        " purpose in the content."
        if state.silenced
        else ""
    )
    items = "".join(_finding(f) for f in state.findings)
    listing = f'<ul class="findings">{items}</ul>' if items else ""
    return (
        f'<section class="checks" aria-labelledby="checks-heading">{heading}'
        f"<p>{verdict}{summary}.{silenced}</p>{listing}</section>"
    )


def _finding(finding: Finding) -> str:
    severity = "Error" if finding.severity == "error" else "Warning"
    path = f'<span class="path">{escape(finding.path)}</span>: ' if finding.path else ""
    fix = f' <span class="fix">({escape(finding.fix)})</span>' if finding.fix else ""
    return (
        f'<li class="{escape(finding.severity, quote=True)}">'
        f'<strong class="severity">{severity}</strong> {_place(finding.place)}{path}'
        f'{escape(finding.message)}{fix} <span class="gate">[{escape(finding.gate)}]</span></li>'
    )
