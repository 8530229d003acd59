"""Images named by content: resolved inside the project folder and opened safely as PNG or JPEG."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_ASSET_BYTES = 10_000_000
MAX_PIXELS = 40_000_000
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


class AssetProblem(ValueError):
    """Why an asset cannot be used, in words for the user."""


@dataclass(frozen=True)
class ImageInfo:
    """What the renderers need to know of an image."""

    path: Path
    format: str
    width_px: int
    height_px: int


def resolve(project_dir: Path, relative: str) -> Path:
    """The asset's real path, which must lie inside the project folder."""
    root = project_dir.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise AssetProblem(f"'{relative}' leads outside the project folder {root}")
    return path


def inspect_image(project_dir: Path, relative: str) -> ImageInfo:
    """Open an image by its content, not its name, and check it is one we can place."""
    path = resolve(project_dir, relative)
    if not path.is_file():
        raise AssetProblem(f"'{relative}' does not exist (put the file in the project folder)")
    size = path.stat().st_size
    if size > MAX_ASSET_BYTES:
        raise AssetProblem(f"'{relative}' is {size:,} bytes; the limit is {MAX_ASSET_BYTES:,}")
    with path.open("rb") as handle:
        head = handle.read(8)
    kind = next((name for sig, name in _SIGNATURES.items() if head.startswith(sig)), None)
    if kind is None:
        raise AssetProblem(f"'{relative}' is not a PNG or JPEG image (convert it to PNG)")
    from PIL import Image

    try:
        with Image.open(path, formats=[kind]) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise AssetProblem(
                    f"'{relative}' is {width}x{height} pixels; the limit is"
                    f" {MAX_PIXELS:,} pixels (scale it down)"
                )
            image.load()
    except AssetProblem:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise AssetProblem(f"'{relative}' is a damaged {kind} file ({exc})") from None
    return ImageInfo(path, kind, width, height)
