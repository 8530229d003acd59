"""Images named by content: resolved inside the project folder and opened safely as PNG or JPEG."""

from __future__ import annotations

import hashlib
import io
import os
import stat
import struct
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

MAX_ASSET_BYTES = 10_000_000
MAX_PIXELS = 25_000_000
"""Above this an image is refused: 25 megapixels is a 5000x5000 logo, decoded in about 100 MB."""
MAX_SIDE_PX = 20_000
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
_OTHER_SIGNATURES = {
    b"GIF8": "a GIF image",
    b"BM": "a BMP image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"%PDF": "a PDF document",
    b"<svg": "an SVG drawing",
    b"<?xml": "an XML file (perhaps an SVG drawing)",
    b"PK\x03\x04": "a zip archive (perhaps a Word or PowerPoint file)",
    b"\x00\x00\x01\x00": "an icon file",
}


class AssetProblem(ValueError):
    """Why an asset cannot be used, in words for the user."""


@dataclass(frozen=True)
class ImageInfo:
    """What the renderers need to know of an image."""

    path: Path
    format: str
    width_px: int
    height_px: int


@dataclass(frozen=True)
class PreparedImage:
    """An image re-encoded in memory as an 8-bit RGB or RGBA PNG that every renderer can place."""

    data: bytes
    """The PNG file's bytes; no metadata from the original survives."""
    width_px: int
    height_px: int
    has_alpha: bool
    """Whether the PNG keeps a transparency channel (never when flattened)."""


def resolve(project_dir: Path, relative: str) -> Path:
    """The asset's real path, which must lie inside the project folder, symlinks followed.

    Every component is checked: a symlinked folder or file, or a chain of links, that ends
    outside the project is refused, as are absolute paths and `..`.
    """
    if "\x00" in relative or not relative.strip():
        raise AssetProblem(f"{relative!r} is not a file path")
    if relative.startswith(("/", "\\", "~")) or (len(relative) > 1 and relative[1] == ":"):
        raise AssetProblem(
            f"'{relative}' is an absolute path (give it relative to the content file)"
        )
    parts = PurePosixPath(relative.replace("\\", "/")).parts
    if ".." in parts:
        raise AssetProblem(f"'{relative}' leads outside the project folder (remove the '..')")
    try:
        root = project_dir.resolve(strict=True)
        current = root
        for part in parts:
            current = current / part
            if current.is_symlink():
                target = current.resolve()  # follows a whole chain of links
                if not target.is_relative_to(root):
                    raise AssetProblem(
                        f"'{relative}' is a link to a place outside the project folder"
                        " (copy the file into the project instead)"
                    )
                current = target
        path = current.resolve()
    except RuntimeError:  # a symlink loop
        raise AssetProblem(f"'{relative}' is a link that loops back on itself") from None
    except OSError as exc:
        raise AssetProblem(f"'{relative}' cannot be read: {exc.strerror}") from None
    if not path.is_relative_to(root):  # belt and braces: nothing above should let this through
        raise AssetProblem(f"'{relative}' leads outside the project folder")
    return path


def read_asset(project_dir: Path, relative: str) -> bytes:
    """The bytes of a regular file inside the project, read once, no larger than the limit."""
    path = resolve(project_dir, relative)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise AssetProblem(
            f"'{relative}' does not exist (put the file in the project folder)"
        ) from None
    except OSError as exc:
        raise AssetProblem(f"'{relative}' cannot be read: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise AssetProblem(f"'{relative}' is a folder, not an image file")
    if not stat.S_ISREG(info.st_mode):
        raise AssetProblem(f"'{relative}' is not a regular file")
    if info.st_size > MAX_ASSET_BYTES:
        raise AssetProblem(
            f"'{relative}' is {info.st_size:,} bytes; the limit is {MAX_ASSET_BYTES:,}"
            " (save it smaller)"
        )
    try:
        # O_NOFOLLOW: the path was resolved above, so a link appearing now is refused
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(MAX_ASSET_BYTES + 1)
    except OSError as exc:
        raise AssetProblem(f"'{relative}' cannot be read: {exc.strerror}") from None
    if len(data) > MAX_ASSET_BYTES:
        raise AssetProblem(f"'{relative}' is larger than the limit of {MAX_ASSET_BYTES:,} bytes")
    return data


def _kind(relative: str, data: bytes) -> str:
    kind = next((name for sig, name in _SIGNATURES.items() if data.startswith(sig)), None)
    if kind is not None:
        return kind
    if not data:
        raise AssetProblem(f"'{relative}' is empty (0 bytes)")
    head = data[:256].lstrip()
    other = next((name for sig, name in _OTHER_SIGNATURES.items() if head.startswith(sig)), None)
    if other is None and data[8:12] == b"WEBP":
        other = "a WebP image"
    if other is None and data[4:8] == b"ftyp":
        other = "a HEIC or other camera image"
    seen = f" (it is {other}; convert it to PNG)" if other else " (convert it to PNG)"
    raise AssetProblem(f"'{relative}' is not a PNG or JPEG image{seen}")


def open_image(relative: str, data: bytes) -> PILImage:
    """Decode image bytes as PNG or JPEG (by content), refusing bombs and damaged files."""
    from PIL import Image

    kind = _kind(relative, data)
    if kind == "PNG":
        data = without_colour_profile(data)
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[kind])
            width, height = image.size
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE_PX:
                raise AssetProblem(
                    f"'{relative}' is {width}x{height} pixels; the limit is"
                    f" {MAX_PIXELS:,} pixels and {MAX_SIDE_PX:,} a side (scale it down)"
                )
            if width < 1 or height < 1:
                raise AssetProblem(f"'{relative}' has no pixels")
            image.load()
    except AssetProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AssetProblem(
            f"'{relative}' would decode to more than {MAX_PIXELS:,} pixels (scale it down)"
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error):
        raise AssetProblem(
            f"'{relative}' is a damaged or incomplete {kind} file"
            " (open it in an image editor and save it again)"
        ) from None
    return image


def without_colour_profile(data: bytes) -> bytes:
    """The PNG without its iCCP (ICC colour profile) chunks; anything else is left as it was.

    Pillow refuses a profile that inflates to more than 1 MB as if the whole file were damaged,
    and nothing downstream uses one: a PNG is RGB or grey, and the image placed in the outputs
    is re-encoded without metadata. A chunk structure that does not add up is returned as it
    was, for the decoder to call damaged.
    """
    out = [data[:8]]
    at = 8
    while at < len(data):
        if at + 12 > len(data):
            return data
        (length,) = struct.unpack(">I", data[at : at + 4])
        end = at + 12 + length
        if end > len(data):
            return data
        if data[at + 4 : at + 8] != b"iCCP":
            out.append(data[at:end])
        at = end
    return b"".join(out) if len(out) > 1 else data


def inspect_image(project_dir: Path, relative: str) -> ImageInfo:
    """Open an image by its content, not its name, and check it is one we can place.

    The file is read on every call; bytes already inspected in this process (by the loader,
    then the gates) are not decoded again.
    """
    data = read_asset(project_dir, relative)
    resolved = resolve(project_dir, relative)

    def inspect() -> ImageInfo:
        image = open_image(relative, data)
        return ImageInfo(resolved, image.format or _kind(relative, data), image.width, image.height)

    return _remembered(("inspected", hashlib.sha256(data).digest(), str(resolved)), inspect)


def normalise(image: PILImage, flatten: bool) -> PILImage:
    """8-bit RGB or RGBA, upright, in sRGB where a profile says how; alpha onto white if flatten."""
    from PIL import Image, ImageOps

    image = ImageOps.exif_transpose(image) or image
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        image = image.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    elif image.mode == "F":
        image = image.point(lambda v: v * 255).convert("L")
    if image.mode == "CMYK":
        image = _cmyk_to_rgb(image)
    if image.mode == "P":
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.mode in ("LA", "La", "PA", "RGBa"):
        image = image.convert("RGBA")
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGB")
    if image.mode == "RGBA":
        if image.getchannel("A").getextrema() == (255, 255):
            image = image.convert("RGB")  # fully opaque: the channel carries nothing
        elif flatten:
            white = Image.new("RGB", image.size, (255, 255, 255))
            white.paste(image, mask=image.getchannel("A"))
            image = white
    return image


def _cmyk_to_rgb(image: PILImage) -> PILImage:
    profile = image.info.get("icc_profile")
    if profile:
        from PIL import ImageCms

        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            converted = ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
            )
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: the plain conversion below is close enough
    return image.convert("RGB")


T = TypeVar("T")

_MADE: dict[tuple[str | bytes | bool, ...], Any] = {}
"""What this process made from image bytes (by their SHA-256), so a logo is decoded once."""
_MADE_MAX = 16


def _remembered(key: tuple[str | bytes | bool, ...], make: Callable[[], T]) -> T:
    """make(), or what it returned before for this key; a failure is never remembered."""
    if key not in _MADE:
        if len(_MADE) >= _MADE_MAX:
            del _MADE[next(iter(_MADE))]  # the oldest
        _MADE[key] = make()
    made: T = _MADE[key]
    return made


def prepared_image(project_dir: Path, relative: str, flatten: bool = False) -> PreparedImage:
    """The asset as an 8-bit RGB/RGBA PNG in memory, ready for reportlab or python-pptx.

    The file is read once from inside the project and decoded by its content; renderers place
    `io.BytesIO(result.data)` and never open the path themselves. flatten=True composites any
    transparency onto white (for PDF viewers that mishandle soft masks).

    The file is read and checked on every call; bytes already prepared in this process (the
    leaflet's logo again in the deck, or in the next render) are not decoded again.
    """
    data = read_asset(project_dir, relative)

    def prepare() -> PreparedImage:
        image = normalise(open_image(relative, data), flatten)
        out = io.BytesIO()
        image.save(out, "PNG", optimize=False)
        return PreparedImage(out.getvalue(), image.width, image.height, image.mode == "RGBA")

    return _remembered(("prepared", hashlib.sha256(data).digest(), flatten), prepare)
