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


def save(img: Image.Image, path: Path) -> None:
    """Three colours and their anti-aliased edges: a 32-colour palette PNG looks the same at 40-50%
    of the bytes of an RGB one, and every visitor's browser fetches the icons on a first visit."""
    img.quantize(32).save(path, optimize=True)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    save(icon(192), OUT / "icon-192.png")
    save(icon(512), OUT / "icon-512.png")
    save(icon(512, maskable=True), OUT / "icon-maskable-512.png")
