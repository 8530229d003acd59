"""Accessibility: colour contrast, type sizes, alt text, image resolution, readable images."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from leaflet.checks.core import Context, Finding, Severity, gate
from leaflet.colour import contrast_ratio, relative_luminance
from leaflet.loader import Loc

WHITE = "#FFFFFF"
LOGO_PRINTED_MM = 24.0
"""The leaflet prints the logo 24 mm square (leaflet_pdf's title block)."""
MIN_DPI = 300


@dataclass(frozen=True)
class Pair:
    """Two theme colours the renderers draw one on the other, and the ratio they need."""

    foreground: str
    background: str
    minimum: float
    severity: Severity
    what: str


PAIRS = (
    Pair("text", "background", 4.5, "error", "body text on the page"),
    Pair("primary", "background", 4.5, "error", "headings and links on the page"),
    Pair("text", "callout_background", 4.5, "error", "text in callout boxes"),
    Pair("primary", "callout_background", 4.5, "error", "links in callout boxes"),
    # Title bars and the deck fill shapes with primary and write white on them.
    Pair("white", "primary", 4.5, "error", "white text on primary-coloured bars"),
    # WCAG 1.4.11: a border that marks a callout needs 3:1 against the page.
    Pair("accent", "background", 3.0, "warning", "callout borders on the page"),
)


@gate("contrast", "Theme colour pairs meet WCAG AA contrast")
def contrast(context: Context) -> Iterator[Finding]:
    theme = context.document.theme

    def colour(name: str) -> str:
        return WHITE if name == "white" else str(getattr(theme, name))

    for pair in PAIRS:
        ratio = contrast_ratio(colour(pair.foreground), colour(pair.background))
        if ratio >= pair.minimum:
            continue
        # Point at the colour the author wrote; a default is pointed at through `theme`.
        names = [n for n in (pair.foreground, pair.background) if n != "white"]
        written = [n for n in names if ("theme", n) in context.located.values]
        loc: Loc = ("theme", (written or names)[0])
        yield context.at(
            "contrast",
            pair.severity,
            loc,
            f"{pair.what}: {pair.foreground} {colour(pair.foreground)} on {pair.background}"
            f" {colour(pair.background)} has contrast {ratio:.2f}:1; WCAG AA needs"
            f" {pair.minimum:g}:1",
            f"make theme.{loc[1]} {'darker' if _is_light(colour(str(loc[1]))) else 'lighter'}"
            " until the ratio is met (any WCAG contrast checker shows it)",
        )


def _is_light(colour: str) -> bool:
    return relative_luminance(colour) > 0.18


BODY_STYLES = {"body", "bullet"}
MINIMUMS = {"standard": (12.0, 12.0, 10.0), "large": (18.0, 14.0, 14.0)}
"""Per type scale: body, every other text outside the running footer, the footer (issue 13)."""


@dataclass(frozen=True)
class SizeConstant:
    """A type size the leaflet is drawn at, where the type scale sets it."""

    renderer: str
    name: str
    size_pt: float
    file: Path
    line: int
    column: int


def renderer_sizes() -> list[SizeConstant]:
    """The leaflet's type sizes in each type scale (leaflet.renderers.leaflet_pdf.typescale),
    each with the line that sets its ratio; nothing that draws is imported."""
    from leaflet.renderers.leaflet_pdf import typescale

    path = Path(typescale.__file__)
    lines = path.read_text("utf-8").splitlines()

    def place(name: str) -> tuple[int, int]:
        key = f'"{name}":' if name != "footer" else "FOOTER ="
        for number, text in enumerate(lines, 1):
            if text.strip().startswith(key) and "Ratio(" in text:
                return number, text.index("Ratio(") + len("Ratio(") + 1
        return 1, 1

    found = []
    for scale in typescale.SCALES.values():
        renderer = "leaflet" if scale.name == "standard" else f"leaflet ({scale.name})"
        for name, size in scale.sizes().items():
            line, column = place(name)
            found.append(SizeConstant(renderer, name, size.pt, path, line, column))
    return found


def _minimum(constant: SizeConstant) -> float:
    body, text, footer = MINIMUMS["large" if "large" in constant.renderer else "standard"]
    if constant.name in BODY_STYLES:
        return body
    return footer if constant.name == "footer" else text


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


@gate(
    "font-size",
    "Type sizes of the leaflet: body 12 pt, nothing else under 12 pt but the footer (10 pt);"
    " large print body 18 pt, nothing under 14 pt",
)
def font_size(context: Context) -> Iterator[Finding]:
    for constant in renderer_sizes():
        minimum = _minimum(constant)
        if constant.size_pt >= minimum:
            continue
        yield Finding(
            "font-size",
            "error",
            f"{constant.renderer} renderer: {constant.name}",
            constant.line,
            constant.column,
            f"the {constant.renderer} draws {constant.name} at {constant.size_pt:g} pt;"
            f" at least {minimum:g} pt is readable",
            f"raise the size to {minimum:g} pt or more in the type scale",
            file=_shown(constant.file),
        )


_GENERIC_ALT = {"logo", "image", "picture", "photo", "img", "graphic", "icon", "alt"}


@gate("alt-text", "Every image has alt text that describes it")
def alt_text(context: Context) -> Iterator[Finding]:
    organisation = context.document.meta.organisation
    if organisation.logo is None:
        return
    alt = organisation.logo_alt or f"{organisation.name} logo"
    loc: Loc = ("meta", "organisation", "logo_alt" if organisation.logo_alt else "logo")
    problem = None
    if re.search(r"\.(?:png|jpe?g|gif|svg|webp)$", alt, re.IGNORECASE) or "/" in alt:
        problem = f"the alt text '{alt}' is a file name"
    elif alt.strip().lower().strip(".") in _GENERIC_ALT:
        problem = f"the alt text '{alt}' does not say what the image shows"
    elif len(alt) > 150:
        problem = f"the alt text is {len(alt)} characters; screen readers cut it at about 150"
    if problem:
        yield context.at(
            "alt-text",
            "error",
            loc,
            problem,
            "write `logo_alt:` as the words a screen reader should say, like 'Riverside"
            " Skin Clinic logo'",
        )


LOGO: Loc = ("meta", "organisation", "logo")


def _logo_info(context: Context) -> tuple[Loc, object] | None:
    return None if context.logo is None else (LOGO, context.logo)


@gate("asset", "Every file the content names exists inside the project and is an image")
def asset(context: Context) -> Iterator[Finding]:
    from leaflet.assets import AssetProblem

    found = _logo_info(context)
    if found is not None and isinstance(found[1], AssetProblem):
        yield context.at(
            "asset",
            "error",
            found[0],
            str(found[1]),
            "put a PNG or JPEG inside the project folder and give its path relative to"
            " content.yaml",
        )


@gate("image-resolution", "Images print at 300 dpi or more at their printed size")
def image_resolution(context: Context) -> Iterator[Finding]:
    from leaflet.assets import ImageInfo

    found = _logo_info(context)
    if found is None or not isinstance(found[1], ImageInfo):
        return
    info = found[1]
    dpi = min(info.width_px, info.height_px) / (LOGO_PRINTED_MM / 25.4)
    if dpi < MIN_DPI:
        need = round(MIN_DPI * LOGO_PRINTED_MM / 25.4)
        yield context.at(
            "image-resolution",
            "warning",
            found[0],
            f"the logo is {info.width_px}x{info.height_px} pixels, {dpi:.0f} dpi at its printed"
            f" size of {LOGO_PRINTED_MM:g} mm; print needs {MIN_DPI} dpi",
            f"use an image at least {need}x{need} pixels",
        )


@gate("qr-code", "The QR code to the topic's web page is https and scans at its printed size")
def qr_code(context: Context) -> Iterator[Finding]:
    from leaflet import qr

    meta = context.document.meta
    problem = qr.problem(meta.web_address, min(qr.LEAFLET_MM.values()))
    if problem is None:
        return
    loc: Loc = ("meta", "url") if meta.url is not None else ("meta", "organisation", "website")
    yield context.at(
        "qr-code",
        "error",
        loc,
        problem,
        "give the topic's web page as `url: https://…` under meta (a short address; the"
        " default is the organisation's website followed by the slug)",
    )
