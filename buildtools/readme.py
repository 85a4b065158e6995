"""The documents' generated sections: the text between `<!-- tag:start -->` and `<!-- tag:end -->`.

Benchmarks and training write their figures there, so no figure in the README or in docs/ is
typed by hand. A section is written wherever its markers stand, the README or a page of docs/, so
a table can move between them without a change to the code that writes it.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = (README, ROOT / "docs" / "performance.md", ROOT / "docs" / "models.md", ROOT / "docs" / "photos.md")


def replace_sections(sections: dict[str, str], readme: Path | None = None, required: bool = False) -> None:
    """Put each body between its tag's markers, in `readme` or (None) in whichever of DOCS holds them.
    A missing pair is an error only when required."""
    left = dict(sections)
    for doc in [readme] if readme else [d for d in DOCS if d.exists()]:
        text = original = doc.read_text()
        for tag, body in sections.items():
            start, end = f"<!-- {tag}:start -->", f"<!-- {tag}:end -->"
            if start in text and end in text:
                text = text[: text.index(start) + len(start)] + "\n" + relink(body, doc) + "\n" + text[text.index(end):]
                left.pop(tag, None)
        if text != original:
            doc.write_text(text)
    if required and left:
        raise SystemExit(f"no document has a <!-- {next(iter(left))}:start --> ... end section")


def relink(body: str, doc: Path) -> str:
    """Bodies link files relative to the project's root; a page under docs/ needs them from there."""
    up = os.path.relpath(ROOT, doc.resolve().parent)
    if up == ".":
        return body
    return re.sub(r"\]\((?!https?:|#|\.\./)([^)]+)\)", lambda m: f"]({up}/{m.group(1)})", body)
