"""A picture of a form read row by row (called by screenshot.py's main, in the same Playwright run;
alone: `python -m buildtools.screenshot_form` on a built dist/):

docs/screenshot-form.png: a generated scan of a printed table whose rows hold an item name written
by hand (a font no network trained on), a quantity and a place with its number, read in the page:
the words boxed as rejected marks, each row a line of its numbers ("22 1").
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from .browser import ARGS, CHROMIUM, App, Server

ROOT = Path(__file__).resolve().parent.parent
ROWS = [("Captain Morgan", "22", "Bar", "1"), ("Gin", "13", "Shelf", "4"), None, ("Limes", "7", "Back", "10"),
        ("Tonic", "24", "Fridge", "2")]


def main(pw, server: Server, docs: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from photos import form
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    app = App(page, server.origin).open(server.url)
    p = form(ROWS, seed=0)
    with tempfile.NamedTemporaryFile(suffix=".jpg") as f:
        f.write(p.jpeg)
        f.flush()
        page.set_input_files("#photo", f.name)
        app.wait_attr("photos", 1, timeout=60_000)
    lines = [li.text_content() for li in page.query_selector_all("#lines li")]
    print(f"form: written {p.lines}, read {lines}")
    page.screenshot(path=str(docs / "screenshot-form.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 900})
    page.close()
    browser.close()


if __name__ == "__main__":
    from playwright.sync_api import sync_playwright
    server = Server(ROOT / "dist")
    with sync_playwright() as pw:
        main(pw, server, ROOT / "docs")
    server.stop()
