# ruff: noqa: E501  (a table of exact messages: one line each reads best)
"""Hostile and broken inputs: how each one is made from a copy of the shipped project."""

from __future__ import annotations

import os
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

LOGO = "    logo: assets/logo.png"
TITLE = "    patient: Calcium deposits under the skin"
TITLE_CLIN = "    clinician: Calcinosis cutis"
WEBSITE = "    website: https://skin.example.org"
SOURCE_URL = "    url: https://dermnetnz.org/topics/calcinosis-cutis"
ORG = "    name: Riverside Skin Clinic"


@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, and the first line of what the user is told."""

    id: str
    kind: str
    """yaml, schema, text, markup, image, path or file: which defence it exercises."""
    make: Callable[[Path], None]
    """Breaks the project copy in the given folder."""
    message: str
    """The first line of stderr, exactly; `{outside}` stands for a folder outside the project."""
    command: str = "build"
    """The leaflet command run on it: `check` where `build` would first hash the file."""


def edit(old: str, new: str) -> Callable[[Path], None]:
    def make(project: Path) -> None:
        path = project / "content.yaml"
        text = path.read_text("utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), "utf-8")

    return make


def whole(data: bytes) -> Callable[[Path], None]:
    def make(project: Path) -> None:
        (project / "content.yaml").write_bytes(data)

    return make


def logo_bytes(data: bytes, name: str = "assets/logo.png") -> Callable[[Path], None]:
    def make(project: Path) -> None:
        (project / "assets" / "logo.png").unlink()
        (project / name).write_bytes(data)
        if name != "assets/logo.png":
            edit(LOGO, f"    logo: {name}")(project)

    return make


def logo_image(build: Callable[[], Image.Image], fmt: str = "PNG") -> Callable[[Path], None]:
    def make(project: Path) -> None:
        build().save(project / "assets" / "logo.png", fmt)

    return make


def png_chunked(width: int, height: int, body: bytes) -> bytes:
    """A PNG file built by hand, so its header can claim any size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def bomb(project: Path) -> None:
    # 1-bit 30000x30000: 900 megapixels in a file of about a hundred kilobytes
    row = b"\x00" + b"\x00" * (30000 // 8)
    body = zlib.compress(row * 2000, 9)  # only the first rows: the header alone must be refused
    (project / "assets" / "logo.png").write_bytes(png_chunked(30000, 30000, body))


def truncated(project: Path) -> None:
    path = project / "assets" / "logo.png"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def oversized(project: Path) -> None:
    with (project / "assets" / "logo.png").open("wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n")
        handle.truncate(10_000_001)


def logo_dir(project: Path) -> None:
    (project / "assets" / "logo.png").unlink()
    (project / "assets" / "logo.png").mkdir()


def logo_fifo(project: Path) -> None:
    (project / "assets" / "logo.png").unlink()
    os.mkfifo(project / "assets" / "logo.png")


def outside_file(project: Path) -> Path:
    outside = project.parent / f"{project.name}-outside"
    outside.mkdir(exist_ok=True)
    (outside / "logo.png").write_bytes((project / "assets" / "logo.png").read_bytes())
    return outside


def link_logo_out(project: Path) -> None:
    outside = outside_file(project)
    (project / "assets" / "logo.png").unlink()
    (project / "assets" / "logo.png").symlink_to(outside / "logo.png")


def link_assets_out(project: Path) -> None:
    outside = outside_file(project)
    (project / "assets" / "logo.png").unlink()
    (project / "assets").rmdir()
    (project / "assets").symlink_to(outside, target_is_directory=True)


def link_chain_out(project: Path) -> None:
    outside = outside_file(project)
    (project / "assets" / "logo.png").unlink()
    (project / "assets" / "hop2.png").symlink_to(outside / "logo.png")
    (project / "assets" / "hop1.png").symlink_to("hop2.png")
    (project / "assets" / "logo.png").symlink_to("hop1.png")


def link_loop(project: Path) -> None:
    (project / "assets" / "logo.png").unlink()
    (project / "assets" / "a.png").symlink_to("logo.png")
    (project / "assets" / "logo.png").symlink_to("a.png")


def content_link_out(project: Path) -> None:
    """content.yaml itself inside, but the logo reached through a symlinked parent."""
    outside = outside_file(project)
    (project / "assets" / "up").symlink_to(outside.parent, target_is_directory=True)
    edit(LOGO, f"    logo: assets/up/{outside.name}/logo.png")(project)


def content_out(project: Path) -> None:
    """content.yaml a link to a file outside the folder it is named in."""
    outside = project.parent / f"{project.name}-outside"
    outside.mkdir(exist_ok=True)
    (project / "content.yaml").rename(outside / "content.yaml")
    (project / "content.yaml").symlink_to(outside / "content.yaml")


def content_chain_out(project: Path) -> None:
    """A link to a link, inside the folder, to a file outside it."""
    content_out(project)
    (project / "content.yaml").rename(project / "hop.yaml")
    (project / "content.yaml").symlink_to("hop.yaml")


def content_device(project: Path) -> None:
    (project / "content.yaml").unlink()
    (project / "content.yaml").symlink_to("/dev/zero")


def content_fifo(project: Path) -> None:
    (project / "content.yaml").unlink()
    os.mkfifo(project / "content.yaml")


def content_dangling(project: Path) -> None:
    (project / "content.yaml").unlink()
    (project / "content.yaml").symlink_to("gone.yaml")


def rgb(mode: str = "RGB", size: tuple[int, int] = (8, 8)) -> Callable[[], Image.Image]:
    return lambda: Image.new(mode, size)


E = "content.yaml"
P = "meta.organisation.logo"
CASES = [
    # YAML: the parser is given nothing it could act on
    Case(
        "yaml-python-tag",
        "yaml",
        edit('  version: "1.0"', "  version: !!python/object/apply:os.system [id]"),
        f"{E}:27:12: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed (remove it; content is plain text)",
    ),
    Case(
        "yaml-billion-laughs",
        "yaml",
        edit(
            "sites: [fingers, elbows, face, shoulders]",
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nsites: [fingers, elbows, face, shoulders]",
        ),
        f"{E}:34:4: YAML anchor '&a' is not allowed (write the value out in full)",
    ),
    Case(
        "yaml-merge-key",
        "yaml",
        edit("  licence: CC BY 4.0", "  licence: CC BY 4.0\n  <<: {slug: x}"),
        f"{E}:33:3: meta.<<: unknown key '<<' (allowed here: slug, title, subtitle, topic, signs, marker, organisation, authors, version, published, reviewed, next_review, language, country, emergency_phone, licence, url)",
    ),
    Case(
        "yaml-complex-key",
        "yaml",
        edit("  licence: CC BY 4.0", "  ? [a, b]\n  : c"),
        f"{E}:32:5: a key must be a plain name, not a list",
    ),
    Case(
        "yaml-deep-nesting",
        "yaml",
        whole(b"a: " + b"[" * 200 + b"]" * 200 + b"\n"),
        f"{E}:1:16: nested more than 12 levels deep",
    ),
    Case(
        "yaml-too-many-values",
        "yaml",
        whole(b"a: [" + b"1," * 60_000 + b"1]\n"),
        f"{E}:1:100001: more than 50000 values (the file is too big)",
    ),
    Case(
        "yaml-huge-file",
        "yaml",
        whole(b"# " + b"x" * 1_000_001 + b"\n"),
        f"{E}: is 1,000,004 bytes; the limit is 1,000,000",
    ),
    Case(
        "yaml-binary",
        "yaml",
        whole(b"title: \x1b[31mred\n"),
        f"{E}:1:8: character U+001B cannot appear in a content file (is this the right file? content is YAML text)",
    ),
    Case(
        "yaml-nul-byte",
        "yaml",
        whole(b"meta:\n  slug: a\x00b\n"),
        f"{E}:2:10: character U+0000 cannot appear in a content file (is this the right file? content is YAML text)",
    ),
    Case(
        "yaml-latin-1",
        "yaml",
        whole(b"meta:\n  title: caf\xe9\n"),
        f"{E}:2:13: is not UTF-8 text (save it as UTF-8 in your editor)",
    ),
    Case(
        "yaml-utf-16",
        "yaml",
        whole("meta: {}\n".encode("utf-16")),
        f"{E}:1:1: is not UTF-8 text (save it as UTF-8 in your editor)",
    ),
    Case(
        "yaml-unclosed-quote",
        "yaml",
        edit(TITLE, '    patient: "Calcium deposits under the skin'),
        f"{E}:27:13: YAML syntax error: expected <block end>, but found '<scalar>' while parsing a block mapping (check the indentation: keys at one level line up, two spaces deeper per level)",
    ),
    Case(
        "yaml-second-document",
        "yaml",
        edit("sites: [fingers", "---\nsites: [fingers"),
        f"{E}:34:1: more than one YAML document (remove the second '---')",
    ),
    # schema: shapes the model refuses
    Case(
        "schema-not-a-mapping",
        "schema",
        whole(b"- meta\n- sites\n"),
        f"{E}:1:1: the file must be a mapping of keys, starting with `meta:`",
    ),
    Case(
        "schema-dunder-key",
        "schema",
        edit("  licence: CC BY 4.0", "  licence: CC BY 4.0\n  __class__: x"),
        f"{E}:33:3: meta.__class__: unknown key '__class__' (allowed here: slug, title, subtitle, topic, signs, marker, organisation, authors, version, published, reviewed, next_review, language, country, emergency_phone, licence, url)",
    ),
    Case(
        "schema-mapping-for-text",
        "schema",
        edit(TITLE, "    patient: {text: x}"),
        f"{E}:9:14: meta.title.patient: expected text, got a mapping (key: value lines)",
    ),
    Case(
        "schema-unicode-id",
        "schema",
        edit("  slug: calcinosis-cutis", "  slug: calcinosis-cut\u0131s"),
        f"{E}:7:9: meta.slug: 'calcinosis-cut\u0131s' is not a valid id (use lower-case letters, digits and hyphens, like 'skin-trauma')",
    ),
    Case(
        "schema-slug-path",
        "schema",
        edit("  slug: calcinosis-cutis", "  slug: ../../etc/x"),
        f"{E}:7:9: meta.slug: '../../etc/x' is not a valid id (use lower-case letters, digits and hyphens, like 'skin-trauma')",
    ),
    Case(
        "schema-text-too-long",
        "schema",
        edit(TITLE, "    patient: " + "word " * 700),
        f"{E}:9:14: meta.title.patient: text is 3499 characters; the limit is 200 (split it into shorter items)",
    ),
    Case(
        "schema-word-too-long",
        "schema",
        edit(TITLE, "    patient: " + "x" * 61),
        f"{E}:9:14: meta.title.patient: the word 'xxxxxxxxxxxxxxxxxxxx…' is 61 characters long; the limit is 60 (add spaces or hyphens)",
    ),
    Case(
        "schema-website-javascript",
        "schema",
        edit(WEBSITE, "    website: javascript:alert(1)"),
        f"{E}:20:14: meta.organisation.website: 'javascript:alert(1)' is not a web address (start it with https://)",
    ),
    Case(
        "schema-website-quote",
        "schema",
        edit(WEBSITE, "    website: 'https://x.org/\" onclick=\"x'"),
        f"{E}:20:29: meta.organisation.website: a web address cannot contain '\"' (at character 15; write it as %-escapes, or copy the address from the browser's address bar)",
    ),
    Case(
        "schema-source-data-url",
        "schema",
        edit(SOURCE_URL, "    url: data:text/html,<script>x</script>"),
        f"{E}:373:10: sources[1].url: 'data:text/html,<script>x</script>' is not a web address (start it with https://)",
    ),
    Case(
        "schema-source-url-angle",
        "schema",
        edit(SOURCE_URL, "    url: https://x.org/<b>"),
        f"{E}:373:24: sources[1].url: a web address cannot contain '<' (at character 15; write it as %-escapes, or copy the address from the browser's address bar)",
    ),
    # text: characters that cannot be printed, pointed at exactly
    Case(
        "text-control-escape",
        "text",
        edit(TITLE, '    patient: "Calcium \\x07deposits"'),
        f"{E}:9:23: meta.title.patient: control character U+0007 at character 9 (delete it; it cannot be printed)",
    ),
    Case(
        "text-nel-escape",
        "text",
        edit(TITLE, '    patient: "Calcium\\N deposits"'),
        f"{E}:9:22: meta.title.patient: control character U+0085 at character 8 (delete it; it cannot be printed)",
    ),
    Case(
        "text-lone-surrogate",
        "text",
        edit(TITLE, '    patient: "Calcium \\udc80 deposits"'),
        f"{E}:9:23: meta.title.patient: broken character (lone surrogate U+DC80) at character 9",
    ),
    Case(
        "text-bidi-override",
        "text",
        edit(TITLE_CLIN, "    clinician: Calcinosis \u202ecutis"),
        f"{E}:10:27: meta.title.clinician: invisible character U+202E RIGHT-TO-LEFT OVERRIDE at character 12 (delete it)",
    ),
    Case(
        "text-zero-width-space",
        "text",
        edit(TITLE, "    patient: Calcium\u200bdeposits under the skin"),
        f"{E}:9:21: meta.title.patient: invisible character U+200B ZERO WIDTH SPACE at character 8 (delete it)",
    ),
    Case(
        "text-emoji-patient",
        "text",
        edit(TITLE, "    patient: Calcium deposits \U0001f9b4 under the skin"),
        f"{E}:9:31: meta.title.patient: character '\U0001f9b4' (U+1F9B4 BONE) is not in the font Atkinson Hyperlegible, so it cannot be printed (use another character or words)",
    ),
    Case(
        "text-tamil-clinician",
        "text",
        edit(TITLE_CLIN, "    clinician: Calcinosis cutis (\u0ba4\u0bae\u0bbf\u0bb4\u0bcd)"),
        f"{E}:10:34: meta.title.clinician: character '\u0ba4' (U+0BA4 TAMIL LETTER TA) is not in the font Arimo/Arial, so it cannot be printed; 4 other characters too (use another character or words)",
    ),
    Case(
        "text-label-both-fonts",
        "text",
        edit(ORG, "    name: Riverside \u2603 Clinic"),
        f"{E}:18:21: meta.organisation.name: character '\u2603' (U+2603 SNOWMAN) is not in the font Atkinson Hyperlegible, so it cannot be printed (use another character or words)",
    ),
    Case(
        "text-block-scalar-glyph",
        "text",
        edit(TITLE, "    patient: |\n      Calcium deposits\n      under the \u2603 skin"),
        f"{E}:11:17: meta.title.patient: character '\u2603' (U+2603 SNOWMAN) is not in the font Atkinson Hyperlegible, so it cannot be printed (use another character or words)",
    ),
    # markup: content never becomes reportlab markup, XML or a dangerous link
    Case(
        "markup-javascript-link",
        "markup",
        edit(TITLE, "    patient: See [this](javascript:alert) now"),
        f"{E}:9:25: meta.title.patient: link 'javascript:alert' must start with https:, http:, mailto: or tel:",
    ),
    Case(
        "markup-file-link",
        "markup",
        edit(TITLE, "    patient: See [this](file:///etc/passwd) now"),
        f"{E}:9:25: meta.title.patient: link 'file:///etc/passwd' must start with https:, http:, mailto: or tel:",
    ),
    Case(
        "markup-quote-in-link",
        "markup",
        edit(TITLE, "    patient: 'See [this](https://x.org/\"onclick=\"y) now'"),
        f"{E}:9:40: meta.title.patient: a link cannot contain '\"' (write it as a %-escape, or copy the address from the browser's address bar)",
    ),
    Case(
        "markup-bare-mailto",
        "markup",
        edit(TITLE, "    patient: Write to [us](mailto:nobody) now"),
        f"{E}:9:28: meta.title.patient: link 'mailto:nobody' is not complete (write it like mailto:name@example.org)",
    ),
    Case(
        "markup-scheme-only",
        "markup",
        edit(TITLE, "    patient: See [this](https:) now"),
        f"{E}:9:25: meta.title.patient: link 'https:' is not complete (write it like https://example.org/page)",
    ),
    # images: by content, within limits, never half-read
    Case(
        "image-missing",
        "image",
        lambda p: (p / "assets" / "logo.png").unlink(),
        f"{E}:22:11: {P}: 'assets/logo.png' does not exist (put the file in the project folder)",
    ),
    Case(
        "image-text-named-png",
        "image",
        logo_bytes(b"hello"),
        f"{E}:22:11: {P}: 'assets/logo.png' is not a PNG or JPEG image (convert it to PNG)",
    ),
    Case(
        "image-gif-named-png",
        "image",
        logo_image(rgb("P"), "GIF"),
        f"{E}:22:11: {P}: 'assets/logo.png' is not a PNG or JPEG image (it is a GIF image; convert it to PNG)",
    ),
    Case(
        "image-svg",
        "image",
        logo_bytes(
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>', "assets/logo.svg"
        ),
        f"{E}:22:11: {P}: 'assets/logo.svg' is not a PNG or JPEG image (it is an SVG drawing; convert it to PNG)",
    ),
    Case(
        "image-webp",
        "image",
        logo_image(rgb(), "WEBP"),
        f"{E}:22:11: {P}: 'assets/logo.png' is not a PNG or JPEG image (it is a WebP image; convert it to PNG)",
    ),
    Case(
        "image-empty",
        "image",
        logo_bytes(b""),
        f"{E}:22:11: {P}: 'assets/logo.png' is empty (0 bytes)",
    ),
    Case(
        "image-truncated",
        "image",
        truncated,
        f"{E}:22:11: {P}: 'assets/logo.png' is a damaged or incomplete PNG file (open it in an image editor and save it again)",
    ),
    Case(
        "image-bad-crc",
        "image",
        logo_bytes(png_chunked(8, 8, b"garbage")),
        f"{E}:22:11: {P}: 'assets/logo.png' is a damaged or incomplete PNG file (open it in an image editor and save it again)",
    ),
    Case(
        "image-decompression-bomb",
        "image",
        bomb,
        f"{E}:22:11: {P}: 'assets/logo.png' would decode to more than 25,000,000 pixels (scale it down)",
    ),
    Case(
        "image-too-wide",
        "image",
        logo_image(rgb("1", (25_000, 1))),
        f"{E}:22:11: {P}: 'assets/logo.png' is 25000x1 pixels; the limit is 25,000,000 pixels and 20,000 a side (scale it down)",
    ),
    Case(
        "image-oversized-file",
        "image",
        oversized,
        f"{E}:22:11: {P}: 'assets/logo.png' is 10,000,001 bytes; the limit is 10,000,000 (save it smaller)",
    ),
    Case(
        "image-folder",
        "image",
        logo_dir,
        f"{E}:22:11: {P}: 'assets/logo.png' is a folder, not an image file",
    ),
    Case(
        "image-fifo", "image", logo_fifo, f"{E}:22:11: {P}: 'assets/logo.png' is not a regular file"
    ),
    # paths: only files inside the project are read
    Case(
        "path-absolute",
        "path",
        edit(LOGO, "    logo: /etc/passwd"),
        f"{E}:22:11: {P}: '/etc/passwd' is an absolute path (give the path relative to the content file, like assets/logo.png)",
    ),
    Case(
        "path-dotdot",
        "path",
        edit(LOGO, "    logo: assets/../../logo.png"),
        f"{E}:22:11: {P}: 'assets/../../logo.png' leads outside the project folder (keep assets inside it, like assets/logo.png)",
    ),
    Case(
        "path-backslash-dotdot",
        "path",
        edit(LOGO, "    logo: assets\\..\\..\\logo.png"),
        f"{E}:22:11: {P}: 'assets\\..\\..\\logo.png' leads outside the project folder (keep assets inside it, like assets/logo.png)",
    ),
    Case(
        "path-windows-drive",
        "path",
        edit(LOGO, "    logo: C:\\logo.png"),
        f"{E}:22:11: {P}: 'C:\\logo.png' is an absolute path (give the path relative to the content file, like assets/logo.png)",
    ),
    Case(
        "path-home",
        "path",
        edit(LOGO, "    logo: ~/logo.png"),
        f"{E}:22:11: {P}: '~/logo.png' is a path in your home folder (put the image in the project folder and give its path relative to the content file, like assets/logo.png)",
    ),
    Case(
        "path-web-address",
        "path",
        edit(LOGO, "    logo: https://evil.example/logo.png"),
        f"{E}:22:11: {P}: 'https://evil.example/logo.png' is a web address; images are not downloaded (save the image in the project folder and give its path, like assets/logo.png)",
    ),
    Case(
        "path-symlink-file-out",
        "path",
        link_logo_out,
        f"{E}:22:11: {P}: 'assets/logo.png' is a link to a place outside the project folder (copy the file into the project instead)",
    ),
    Case(
        "path-symlink-assets-dir-out",
        "path",
        link_assets_out,
        f"{E}:22:11: {P}: 'assets/logo.png' is a link to a place outside the project folder (copy the file into the project instead)",
    ),
    Case(
        "path-symlink-chain-out",
        "path",
        link_chain_out,
        f"{E}:22:11: {P}: 'assets/logo.png' is a link to a place outside the project folder (copy the file into the project instead)",
    ),
    Case(
        "path-symlinked-parent-out",
        "path",
        content_link_out,
        f"{E}:22:11: {P}: 'assets/up/{{outside}}/logo.png' is a link to a place outside the project folder (copy the file into the project instead)",
    ),
    Case(
        "path-symlink-loop",
        "path",
        link_loop,
        f"{E}:22:11: {P}: 'assets/logo.png' is a link that loops back on itself",
    ),
    # content: the content file itself is read as hostile (issue 15)
    Case(
        "content-link-out",
        "content",
        content_out,
        f"{E}: is a link to a file outside its folder (copy the file into the folder instead)",
    ),
    Case(
        "content-link-chain-out",
        "content",
        content_chain_out,
        f"{E}: is a link to a file outside its folder (copy the file into the folder instead)",
    ),
    Case(
        "content-link-device",
        "content",
        content_device,
        f"{E}: is a link to a file outside its folder (copy the file into the folder instead)",
        command="check",  # `build` hashes the content first: the build record's reader (lead)
    ),
    Case(
        "content-fifo",
        "content",
        content_fifo,
        f"{E}: is not a regular file (it is a device, pipe or socket; name a YAML file)",
        command="check",  # `build` hashes the content first: the build record's reader (lead)
    ),
    Case(
        "content-dangling-link",
        "content",
        content_dangling,
        f"{E}: is a link to a file that does not exist",
    ),
    # crash: passed `check`, then crashed a renderer with exit 3
    Case(
        "crash-side-on-unpaired-site",
        "crash",
        edit(
            "sites: [fingers, elbows, face, shoulders]",
            "sites: [fingers, elbows, {id: face, side: left}, shoulders]",
        ),
        f"{E}:34:43: sites[2].side: the face has no left and right, so it takes no side (remove `side: left`)",
    ),
    # message: refused before, but in words that did not say what was wrong
    Case(
        "message-id-too-long",
        "message",
        edit("  slug: calcinosis-cutis", "  slug: calcinosis-cutis-" + "a" * 24),
        f"{E}:7:9: meta.slug: 'calcinosis-cutis-aaa…' is 41 characters; an id is at most 40 (shorten it)",
    ),
    Case(
        "message-date-time",
        "message",
        edit("  published: 2026-11-24", "  published: 2026-11-24T09:30:00"),
        f"{E}:28:14: meta.published: '2026-11-24T09:30:00' is a date and a time; write the date alone, as 2026-11-24",
    ),
    Case(
        "message-midnight-date-time",
        "message",
        edit("  published: 2026-11-24", "  published: 2026-11-24T00:00:00Z"),
        f"{E}:28:14: meta.published: '2026-11-24T00:00:00Z' is a date and a time; write the date alone, as 2026-11-24",
    ),
    Case(
        "message-seconds-as-date",
        "message",
        edit("  published: 2026-11-24", "  published: 1795478400"),
        f"{E}:28:14: meta.published: expected a date written YYYY-MM-DD, got '1795478400'",
    ),
]
