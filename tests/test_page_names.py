"""How a page is named: a heading that is not its title, a title two pages share, a file name that needs escaping."""

from __future__ import annotations

import re

from conftest import FIXTURES, build, fixture_project
from page_names import first_heading, name_problem, repeated_titles, words

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


def test_a_heading_is_read_as_a_reader_sees_it():
    assert words("Sleeping *bags* {#bags}") == words("Sleeping  bags") == "Sleeping bags"
    assert first_heading("```markdown\n# code\n```\n\n## Second level\n\n# Real ##\n") == (6, "Real")
    assert first_heading("No heading here.\n#hashtag\n") is None


def test_titles_are_compared_as_words_and_the_first_page_keeps_its_title():
    titles = {"docs/a.md": "A  title", "docs/b.md": "Another", "docs/c.md": "a title"}
    assert [page for page, _ in repeated_titles(titles)] == ["docs/c.md"]


def test_only_names_an_address_must_escape_are_refused():
    assert name_problem("lessons/latest-progress.md", "lessons/latest-progress/") is None
    assert name_problem("lessons/图像生成.md", "lessons/%E5%9B%BE/") is None  # letters of any script are fine
    assert name_problem("lessons/what?.md", "lessons/what%3F/")
