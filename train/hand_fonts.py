"""Handwriting fonts: letters and words a person writes beside numbers, for the digit-or-not
network's negatives and for the forms photos' words.

Real handwriting data is not on the package registries; handwriting-style fonts are. Two sources,
both installed by the project's own set-up:
* Debian's font packages (fonts-dkg-handwriting, fonts-breip, ... : APT_PACKAGES in build.py);
* Google Fonts' handwriting families from npm (@fontsource/*, pinned in package.json), print and
  joined ("cursive") hands. Pillow reads their woff2 files directly.

Some families are held out: training never sees them, and the reports (digit-or-not's held-out
words, the forms photos) are written only in them.
"""
from __future__ import annotations

from pathlib import Path

from . import ROOT

DEBIAN_DIRS = ("/usr/share/fonts/truetype", "/usr/share/fonts/opentype")
DEBIAN = ("dkg", "Breip", "breip", "BecauseWe", "ComicNeue", "DancingScript", "DejaVuSans")
DEBIAN_HELDOUT = ("Humor-Sans", "femkeklaver", "DejaVuSerif", "DejaVuSansMono")
FONTSOURCE = ROOT / "node_modules" / "@fontsource"
# print hands and joined ones on both sides of the split
FONTSOURCE_TRAIN = ("caveat", "indie-flower", "patrick-hand", "gochi-hand", "reenie-beanie", "gloria-hallelujah",
                    "architects-daughter", "just-another-hand", "nanum-pen-script", "covered-by-your-grace",
                    "sacramento", "allura", "great-vibes", "la-belle-aurore", "mr-dafoe")
FONTSOURCE_HELDOUT = ("kalam", "shadows-into-light", "homemade-apple", "cedarville-cursive", "nothing-you-could-do")
# families whose digits no writer would take for digits: the forms' words only (their digits are
# not asked to stay digits)
SCRIPT_ONLY = ("great-vibes", "allura", "mr-dafoe", "sacramento")


def debian_fonts(heldout: bool) -> list[Path]:
    found = []
    for d in DEBIAN_DIRS:
        for p in sorted(Path(d).rglob("*")):
            if p.suffix.lower() not in (".ttf", ".otf") or not p.name.startswith(DEBIAN + DEBIAN_HELDOUT):
                continue
            if "MathTeX" in p.name or "ExtraLight" in p.name:
                continue
            if p.name.startswith(DEBIAN_HELDOUT) == heldout:
                found.append(p)
    return found


def fontsource_fonts(heldout: bool) -> list[Path]:
    """The regular (400, or the lightest there is) Latin face of each family that is installed."""
    found = []
    for family in FONTSOURCE_HELDOUT if heldout else FONTSOURCE_TRAIN:
        files = sorted((FONTSOURCE / family / "files").glob(f"{family}-latin-*-normal.woff2"))
        files = [f for f in files if "-ext-" not in f.name]
        if files:
            found.append(min(files, key=lambda f: abs(int(f.name.split("-")[-2]) - 400)))
    return found


def handwriting_fonts(heldout: bool) -> list[Path]:
    return debian_fonts(heldout) + fontsource_fonts(heldout)


def family(path: Path) -> str:
    return path.parent.parent.name if path.parent.name == "files" else path.stem


# Words written on stock forms, receipts and notebook pages: the forms photos' item names, and the
# digit-or-not network's words (a word's letters may be digit look-alikes: as a whole it is none).
ITEMS = ("Captain Morgan", "Gin", "Vodka", "Tonic", "Limes", "Lemons", "Cola", "Soda water", "Dark rum",
         "Whisky", "Lager", "Cider", "Red wine", "Mint", "Sugar", "Ice", "Coffee", "Milk", "Napkins",
         "Straws", "Cups", "Orange juice", "Prosecco", "Bitters", "Syrup", "Olives", "Crisps", "Peanuts",
         "Ginger ale", "Tequila", "Brandy", "Port", "Sherry", "Stout", "Water", "Tea bags", "Cream")
PLACES = ("Bar", "Cellar", "Shelf", "Store", "Fridge", "Back", "Top", "Box", "Crate", "Room")
WORDS = ("the", "and", "item", "total", "date", "name", "price", "paid", "note", "stock", "count", "left",
         "open", "shut", "order", "each", "unit", "pack", "case", "bottle", "glass", "jar", "bag", "kg",
         "ml", "per", "net", "due", "ref", "sum", "tax", "from", "to", "qty", "amount", "week", "month",
         "Mon", "Tue", "Wed", "Fri", "Sat", "Sun", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
         "Sep", "Oct", "Nov", "Dec", "John", "Anna", "Mark", "Smith", "Road", "Street", "invoice", "cash")


def is_heldout(path) -> bool:
    p = Path(path)
    return p.name.startswith(DEBIAN_HELDOUT) or family(p) in FONTSOURCE_HELDOUT


def heldout_hands() -> list[Path]:
    """The held-out families that look handwritten (DejaVu's serif and mono are printed): the
    forms photos' words."""
    return [p for p in handwriting_fonts(True) if not p.name.startswith("DejaVu")]


def heldout_families() -> list[str]:
    fonts = handwriting_fonts(True)
    return [h for h in DEBIAN_HELDOUT if any(f.name.startswith(h) for f in fonts)] + \
        [f for f in FONTSOURCE_HELDOUT if any(family(p) == f for p in fonts)]
