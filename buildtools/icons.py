"""Draw the app icons with Pillow: `.venv/bin/python -m buildtools.icons` (run once; the PNGs are
committed in web/icons/, so a build needs no Pillow)."""
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent.parent / "web" / "icons"


def icon(size: int, maskable: bool = False) -> Image.Image:
    img = Image.new("RGB", (size, size), "#1f6f43")
    d = ImageDraw.Draw(img)
    m = size * (0.18 if maskable else 0.08)       # maskable icons keep content in the safe zone
    d.rounded_rectangle((m, m, size - m, size - m), radius=size * 0.12, fill="#ffffff")
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", int(size * (0.5 if maskable else 0.62)))
    d.text((size / 2, size / 2), "7", font=font, fill="#10151c", anchor="mm")
    return img


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    icon(192).save(OUT / "icon-192.png", optimize=True)
    icon(512).save(OUT / "icon-512.png", optimize=True)
    icon(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
