"""The README stays a page for people, and every generated table has one home, wherever it moved."""
import re

import pytest

from buildtools import readme
from buildtools.readme import DOCS, ROOT, replace_sections

# every section the code writes: train readme, train sweep, bench, bench --before, bench.load
TAGS = ["models", "engines", "bench", "bytes", "startup", "strokephases", "before", "load", "sweep", "personal", "photos",
        "photobrief", "photobench"]


def test_the_readme_is_short():
    assert len((ROOT / "README.md").read_text().splitlines()) <= 200


@pytest.mark.parametrize("tag", TAGS)
def test_each_generated_section_stands_in_one_document(tag):
    homes = [d.name for d in DOCS if f"<!-- {tag}:start -->" in d.read_text() and f"<!-- {tag}:end -->" in d.read_text()]
    assert len(homes) == 1, (tag, homes)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("doc", DOCS + (ROOT / "docs" / "design.md",), ids=lambda d: d.name)
def test_links_between_the_documents_resolve(doc):
    text = doc.read_text()
    for target in re.findall(r"\]\(([^)\s]+)\)", text) + re.findall(r'src="([^"]+)"', text):
        if target.startswith(("http:", "https:")):
            continue
        path, _, anchor = target.partition("#")
        file = (doc.parent / path).resolve() if path else doc
        assert file.exists(), f"{doc.name}: {target}"
        if anchor and file.suffix == ".md":
            headings = [slug(h) for h in re.findall(r"^#+ (.+)$", file.read_text(), re.M)]
            assert anchor in headings, f"{doc.name}: {target} (headings: {headings})"


def test_a_section_is_written_where_its_markers_stand(tmp_path, monkeypatch):
    top, page = tmp_path / "README.md", tmp_path / "docs" / "performance.md"
    page.parent.mkdir()
    top.write_text("intro\n<!-- bench:start -->\nold\n<!-- bench:end -->\n")
    page.write_text("deep\n<!-- startup:start -->\nold\n<!-- startup:end -->\ntail\n")
    monkeypatch.setattr(readme, "DOCS", (top, page))
    monkeypatch.setattr(readme, "ROOT", tmp_path)
    replace_sections({"bench": "B [raw](reports/b.json)", "startup": "S [raw](reports/s.json), [up](#x)"})
    assert top.read_text() == "intro\n<!-- bench:start -->\nB [raw](reports/b.json)\n<!-- bench:end -->\n"
    assert page.read_text() == "deep\n<!-- startup:start -->\nS [raw](../reports/s.json), [up](#x)\n<!-- startup:end -->\ntail\n"
    with pytest.raises(SystemExit, match="sweep"):
        replace_sections({"sweep": "W"}, required=True)
