"""Draw a diagram scene as inline SVG markup, for the web page: shapes, marks and text labels."""

from __future__ import annotations

from html import escape

from leaflet.diagram.paths import Path
from leaflet.diagram.scene import Circle, Scene, Text

HEIGHT = 1000.0
"""The SVG's user units for the scene's height; the width follows from its aspect."""

FONT_FAMILY = '"Atkinson Hyperlegible", Arial, "Liberation Sans", sans-serif'
"""Labels are laid out with Atkinson Hyperlegible's widths; the fallbacks are no wider."""


def _n(value: float) -> str:
    """A coordinate written the same way every time, at a hundredth of a unit."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _attr(value: str) -> str:
    return escape(value, quote=True)


def to_svg(scene: Scene, *, title: str, desc: str, ident: str) -> str:
    """The scene as an `<svg role="img">` element with `<title>` and `<desc>` first.

    `ident` prefixes the ids the title and description take, so that several diagrams can sit
    on one page. Every word is escaped; the same scene and words always give the same text.
    """
    w, h = HEIGHT * scene.aspect, HEIGHT

    def xy(p: tuple[float, float]) -> str:
        return f"{_n(p[0] * w)} {_n(p[1] * h)}"

    def path(p: Path, cls: str) -> str:
        d: list[str] = []
        for op in p.ops:
            letter = {"move": "M", "line": "L", "curve": "C", "close": "Z"}[op.kind]
            d.append(" ".join([letter, *(xy(pt) for pt in op.points)]))
        fill = p.fill or "none"
        stroke = f' stroke="{p.stroke}" stroke-width="{_n(p.stroke_width * h)}"' if p.stroke else ""
        return f'<path class="{cls}" d="{" ".join(d)}" fill="{fill}"{stroke}/>'

    def circle(c: Circle, cls: str) -> str:
        x, y = c.centre
        return (
            f'<circle class="{cls}" cx="{_n(x * w)}" cy="{_n(y * h)}" r="{_n(c.radius * h)}"'
            f' fill="{c.fill}" stroke="{c.stroke}" stroke-width="{_n(c.stroke_width * h)}"/>'
        )

    def text(t: Text) -> str:
        weight = ' font-weight="700"' if t.bold else ""
        return (
            f'<text x="{_n(t.x * w)}" y="{_n(t.baseline * h)}" font-size="{_n(t.size * h)}"'
            f' text-anchor="{t.align}" fill="{t.colour}"{weight}>{escape(t.text)}</text>'
        )

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" role="img"'
        f' viewBox="0 0 {_n(w)} {_n(h)}" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
        '<g class="figures" stroke-linejoin="round" stroke-linecap="round">',
    ]
    out += [path(p, "outline") for figure in scene.figures for p in figure.paths]
    out.append("</g>")
    out.append('<g class="leaders" stroke-linecap="round">')
    for label in scene.labels:
        line = label.leader
        (x1, y1), (x2, y2) = line.start, line.end
        out.append(
            f'<line x1="{_n(x1 * w)}" y1="{_n(y1 * h)}" x2="{_n(x2 * w)}" y2="{_n(y2 * h)}"'
            f' stroke="{line.colour}" stroke-width="{_n(line.width * h)}"/>'
        )
    out.append("</g>")
    # patches under round marks, as the other backends draw them; each mark named by its kind
    out.append('<g class="marks">')
    kinds = [(c.kind, c.patches, c.lumps) for c in scene.clusters]
    if scene.legend is not None:
        kinds.append((scene.legend.kind, scene.legend.patches, scene.legend.lumps))
    out += [path(p, "mark patch") for _, patches, _ in kinds for p in patches]
    out += [
        circle(c, "mark spot" if kind == "spots" else "mark lump")
        for kind, _, lumps in kinds
        for c in lumps
    ]
    out.append("</g>")
    # the scene is laid out left to right whatever the page's direction
    out.append(f'<g class="labels" font-family="{_attr(FONT_FAMILY)}" direction="ltr">')
    out += [text(t) for t in scene.texts()]
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
