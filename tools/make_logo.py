"""Draw the example clinic's logo (assets/logo.png) so the shipped content exercises images."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 600
BLUE = (31, 78, 121)
CREAM = (255, 253, 245)


def main() -> None:
    scale = 4
    big = SIZE * scale
    image = Image.new("RGB", (big, big), "white")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=BLUE)
    # a river: three soft bands across the lower half
    for i, y in enumerate((0.62, 0.72, 0.82)):
        top = int(big * y)
        draw.rounded_rectangle(
            (int(big * (0.18 + 0.04 * i)), top, int(big * (0.82 - 0.04 * i)), top + big // 28),
            radius=big // 56,
            fill=CREAM,
        )
    # a leaf-like cross of care above it
    arm, cx, cy = big // 9, big // 2, int(big * 0.36)
    draw.rounded_rectangle(
        (cx - arm // 2, cy - 2 * arm, cx + arm // 2, cy + 2 * arm), arm // 3, CREAM
    )
    draw.rounded_rectangle(
        (cx - 2 * arm, cy - arm // 2, cx + 2 * arm, cy + arm // 2), arm // 3, CREAM
    )
    out = Path(__file__).resolve().parent.parent / "assets" / "logo.png"
    image.resize((SIZE, SIZE), Image.Resampling.LANCZOS).save(out, optimize=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
