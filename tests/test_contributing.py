"""One document per audience: a short README, the contributing guide's rules, and its include example."""

from __future__ import annotations

import re

from pymdownx.snippets import SnippetPreprocessor

from conftest import ROOT, build, fixture_project
from html_text import code_blocks, headings, text_of

README = ROOT / "README.md"
GUIDE = ROOT / "docs" / "contributing.md"
README_LIMIT = 5000  # characters: what someone who just cloned the repo reads
INCLUDE = SnippetPreprocessor.RE_ALL_SNIPPETS  # what pymdownx.snippets itself takes for an include
PLACEHOLDER = "snippets/NAME.py"


def is_include(line: str) -> bool:
    match = INCLUDE.match(line)
    return bool(match and match["inline_marker"] and not match["escape"])


def shown_examples(page: str) -> list[str]:
    """The text of every <pre> block on a built page that shows an include line."""
    blocks = [text_of(block) for block in re.findall(r"<pre\b[^>]*>(.*?)</pre>", page, flags=re.DOTALL)]
    return [block for block in blocks if any(is_include(line) for line in block.splitlines())]


def raw_include_lines(markdown: str) -> list[str]:
    """Every code span of a Markdown file whose text is an include line, as written."""
    return [span for span in re.findall(r"`([^`\n]+)`", markdown) if is_include(span)]


def test_readme_is_short_and_keeps_the_two_commands():
    readme = README.read_text(encoding="utf-8")
    assert len(readme) <= README_LIMIT, f"README.md has {len(readme)} characters; move details to docs/"
    commands = re.findall(r"^(make \w+)\s+#", readme, flags=re.M)
    assert commands == ["make serve", "make test"]
    targets = re.findall(r"^(\w[\w-]*):", (ROOT / "Makefile").read_text(encoding="utf-8"), flags=re.M)
    assert {"serve", "test"} <= set(targets)


def test_each_document_links_only_to_files_that_exist():
    for document in (README, ROOT / "CONTRIBUTING.md", ROOT / "benchmarks" / "README.md"):
        links = re.findall(r"\]\(([^)#:]+)\)", document.read_text(encoding="utf-8"))
        missing = [link for link in links if not (document.parent / link).exists()]
        assert missing == [], f"{document.relative_to(ROOT)} links to missing files"


def test_readme_and_contributing_point_to_the_guide_and_the_benchmarks():
    assert "docs/contributing.md" in README.read_text(encoding="utf-8")
    assert "benchmarks/README.md" in README.read_text(encoding="utf-8")
    assert "docs/contributing.md" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_guide_keeps_the_build_cache_section(site):
    assert (2, "Code execution and the build cache") in headings(site.page("contributing"))


def test_guide_has_no_escaped_include_to_copy():
    # ";--8<--" renders as an include line, but copied into a lesson it includes nothing.
    escaped = [line for line in GUIDE.read_text(encoding="utf-8").splitlines() if INCLUDE.match(line)]
    assert escaped == []


def test_rendered_guide_shows_the_include_line_as_written(site):
    examples = shown_examples(site.page("contributing"))
    assert examples, "the contributing page shows no include line"
    assert all(f'"{PLACEHOLDER}"' in example for example in examples)


def test_both_copies_of_the_example_include_the_file(site, tmp_path):
    """The block copied from the rendered page, and the include line copied from the raw file."""
    project = fixture_project("include_example", tmp_path / "project")
    from_page = shown_examples(site.page("contributing"))[0]
    from_raw = raw_include_lines(GUIDE.read_text(encoding="utf-8"))
    assert from_raw, "docs/contributing.md shows no include line a contributor can copy"
    snippet = "snippets/shown.py"
    lesson = "\n\n".join([
        "---\ntitle: Copied example\ndescription: The guide's include example, copied.\n---\n\n# Copied example",
        from_page.replace(PLACEHOLDER, snippet),
        *(f'```python title="raw {n}"\n{line.replace(PLACEHOLDER, snippet)}\n```' for n, line in enumerate(from_raw)),
    ])
    (project / "docs").mkdir()
    (project / "docs" / "index.md").write_text(lesson + "\n", encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.output
    shown = code_blocks(result.page(""))
    source = (project / snippet).read_text(encoding="utf-8").strip()
    included = [title for title, code in shown if code.strip() == source]
    assert included == [snippet, *(f"raw {n}" for n in range(len(from_raw)))]
