"""The README's generated sections: the text between `<!-- tag:start -->` and `<!-- tag:end -->`.

Benchmarks and training write their figures there, so no figure in the README is typed by hand.
"""
from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def replace_sections(sections: dict[str, str], readme: Path = README, required: bool = False) -> None:
    """Put each body between its tag's markers; a missing pair is an error only when required."""
    text = readme.read_text()
    for tag, body in sections.items():
        start, end = f"<!-- {tag}:start -->", f"<!-- {tag}:end -->"
        if start not in text or end not in text:
            if required:
                raise SystemExit(f"{readme} has no {start} ... {end} section")
            continue
        text = text[: text.index(start) + len(start)] + "\n" + body + "\n" + text[text.index(end):]
    readme.write_text(text)
