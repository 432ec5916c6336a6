"""How a page is named: a heading that is not its title, a title two pages share, a file name that needs escaping."""

from __future__ import annotations

import re

from conftest import FIXTURES, build, build_cases, fixture_project
from page_names import first_heading, heading_line, name_problem, repeated_titles

DOCS = FIXTURES / "page_name_mistakes" / "docs"


def test_each_naming_slip_is_a_warning_with_its_file_and_a_strict_build_fails(tmp_path):
    result = build(fixture_project("page_name_mistakes", tmp_path))
    assert result.returncode == 1
    reported = re.findall(r"WARNING - +(docs/[^:]+\.md)(?::(\d+))?: (.*)", result.output)
    stoves = (DOCS / "stoves.md").read_text(encoding="utf-8").split("\n").index("# Stoves, an old name") + 1
    assert sorted((page, line) for page, line, _ in reported) == [
        ("docs/Sleeping bags.md", ""), ("docs/b-copy.md", ""), ("docs/stoves.md", str(stoves)),
    ], result.output
    messages = {page: message for page, _, message in reported}
    assert "would be published at Sleeping%20bags/" in messages["docs/Sleeping bags.md"]
    assert "(for example to sleeping-bags.md)" in messages["docs/Sleeping bags.md"]
    assert "is the title of docs/a-tent.md too" in messages["docs/b-copy.md"]
    assert "the heading 'Stoves, an old name' is not the page's title 'Stoves compared'" in messages["docs/stoves.md"]


# (title, the page's Markdown under its front matter, whether the rendered heading is not the title)
HEADINGS = [
    ("Sleeping bags", "# Sleeping *bags* {#bags}\n", False),
    ("Using Matplotlib & C# snake_case", "# Using [Matplotlib](https://matplotlib.org) &amp; C\\# snake\\_case\n", False),
    ("1. Getting started", "# 1. Getting started\n", False),
    ("The print() function", "# The `#!python print()` function\n", False),
    ("Image generation", "# [Image generation][course]\n\n[course]: https://example.org/\n", False),
    ("Image generation", "# *Image*{ .accent } generation\n", False),
    ("Shell setup", "<pre>\n# install the tools\npip install mkdocs\n</pre>\n\n# Shell setup\n", False),
    ("Real", "```markdown\n# code\n```\n\n## Second level\n\n# Real ##\n", False),
    ("New title", "<!--\n# Old title\n-->\n# New title\n", False),
    ("Underlined", "Underlined\n==========\n", False),
    ("In HTML", "<h1>In HTML</h1>\n", False),
    ("C#", "# C#\n", True),  # Python-Markdown drops trailing hashes: the page shows "C"
    ("New name", "# Old name\n", True),
    ("New name", "Old name\n========\n", True),
    ("New name", "<h1>Old name</h1>\n", True),
    ("New name", "Intro.\n\n#Old name\n", True),
]


def test_a_heading_is_read_as_the_rendered_page_shows_it(tmp_path):
    extensions = {"markdown_extensions": ["attr_list", "md_in_html", "pymdownx.inlinehilite", "pymdownx.highlight",
                                          "pymdownx.superfences", {"toc": {"permalink": True}}]}
    project = fixture_project("page_name_mistakes", tmp_path / "project", extensions)
    pages = [f"---\ntitle: '{title}'\ndescription: A heading.\n---\n\n{body}" for title, body, _ in HEADINGS]
    result = build_cases(project, pages)
    warned = {int(n): int(line) for n, line in re.findall(r"WARNING - +docs/case(\d+)\.md:(\d+): the heading", result.output)}
    assert sorted(warned) == [n for n, (_, _, wrong) in enumerate(HEADINGS) if wrong], result.output
    for number in warned:
        assert warned[number] == 5 + 1 + heading_line(HEADINGS[number][1]), (HEADINGS[number], warned[number])
    assert heading_line("Intro.\n\n#Old name\n") == 2 and heading_line("x\n\nOld\n===\n") == 2
    assert first_heading("# C#\n") == (0, "C")


def test_titles_are_compared_as_words_within_a_folder():
    pages = [("docs/a.md", "", "A  title"), ("docs/b.md", "", "Another"), ("docs/c.md", "", "a title"),
             ("docs/one/index.md", "one", "Exercises"), ("docs/two/index.md", "two", "Exercises")]
    assert [page for page, _ in repeated_titles(pages)] == ["docs/c.md"]


def test_only_names_an_address_must_escape_are_refused():
    assert name_problem("lessons/latest-progress.md", "lessons/latest-progress/") is None
    assert name_problem("lessons/图像生成.md", "lessons/%E5%9B%BE/") is None  # letters of any script are fine
    assert "(for example to what.md)" in name_problem("lessons/what?.md", "lessons/what%3F/")
    folder = name_problem("Module 3/intro.md", "Module%203/intro/")
    assert "the folder name 'Module 3'" in folder and "module-3" in folder
    assert "(for example to café-crème.md)" in name_problem("Café crème.md", "Caf%C3%A9%20cr%C3%A8me/")
    assert "(for example to a-b.md)" in name_problem("a(b).md", "a%28b%29/")
    assert "(for example to page.md)" in name_problem("???.md", "%3F%3F%3F/")
