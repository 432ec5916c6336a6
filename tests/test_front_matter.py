"""Every page declares a title and a description; typos in front matter fail the build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest


from conftest import FIXTURES, ROOT, build, fixture_project
from front_matter import KNOWN, front_matter_error, front_matter_problems


def test_missing_description_fails_strict_build_naming_file_and_field(tmp_path):
    result = build(fixture_project("no_description", tmp_path))
    assert result.returncode == 1
    assert "docs/index.md: front matter field 'description' is missing" in result.output
    line = (FIXTURES / "no_description" / "docs" / "index.md").read_text(encoding="utf-8").split("\n").index("descripton: The field name above is misspelled, so the page has no description.") + 1
    assert f"docs/index.md:{line}: front matter field 'descripton' is not a known field; did you mean 'description'?" in result.output


def test_a_field_written_twice_is_named_at_its_second_line(tmp_path):
    project = fixture_project("no_description", tmp_path)
    page = project / "docs" / "index.md"
    page.write_text("---\ntitle: One\ndescription: >-\n  The first,\n  long one.\ndescription: Short second one.\n---\n\n# One\n", encoding="utf-8")
    result = build(project)
    assert result.returncode == 1
    assert "docs/index.md:6: front matter field 'description' is written twice (first at line 3)" in result.output


@pytest.mark.parametrize(
    ("meta", "problem"),
    [
        ({"description": "d"}, "field 'title' is missing"),
        ({"title": "t", "description": ""}, "field 'description' must be non-empty text"),
        ({"title": "t", "description": ["a"]}, "field 'description' must be non-empty text"),
        ({"title": "t", "description": "d", "keywords": "a, b"}, "field 'keywords' must be a list of words"),
        ({"title": "t", "description": "d", "titel": "x"}, "did you mean 'title'?"),
    ],
)
def test_front_matter_problems(meta, problem):
    assert any(problem in found for found in front_matter_problems(meta))


def test_every_field_the_templates_read_is_known():
    """A field Material's templates or our overrides show (author, ...) is never reported as unknown."""
    import material

    templates = [*Path(material.__file__).parent.joinpath("templates").rglob("*.html"), *Path(ROOT, "overrides").rglob("*.html")]
    read = {field for path in templates for field in re.findall(r"page\.meta\.(\w+)", path.read_text(encoding="utf-8"))}
    assert read and read <= KNOWN, read - KNOWN


def test_complete_front_matter_has_no_problems():
    assert front_matter_problems({"title": "t", "description": "d", "keywords": ["a"]}) == []


def test_pages_carry_their_description_and_keywords(site):
    page = site.page("lessons/latest-progress")
    assert re.search(r'<meta name="description" content="The four stable directions of image generation', page)
    assert re.search(r'<meta name="keywords" content="image generation, diffusion models,', page)
    assert '<link rel="canonical" href="http://127.0.0.1:8000/lessons/latest-progress/">' in page


def test_invalid_yaml_fails_strict_build_with_file_line_and_yaml_message(tmp_path):
    project = fixture_project("bad_front_matter", tmp_path)
    page = (project / "docs" / "index.md").read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(page, 1) if text.startswith("description:"))
    result = build(project)
    assert result.returncode == 1
    assert re.search(
        rf"WARNING - +docs/index\.md:{line}: front matter is not valid YAML, column \d+: mapping values are not allowed",
        result.output,
    ), result.output
    assert "is missing" not in result.output  # the title and description are there: not what to report


@pytest.mark.parametrize(
    ("front_matter", "line", "message"),
    [
        ("title: t\ndescription: a: b\n", 3, "mapping values are not allowed"),
        ("title: t\n\tdescription: d\n", 3, "found a tab character that violates indentation"),
        ("title: t\ndescription: 'unclosed\nkeywords: [a]\n", 5, "found unexpected end of stream (it began on line 3)"),
        ("title: [t\ndescription: d\n", 3, "did not find expected ',' or ']'"),
        ("- title\n- description\n", 2, "YAML reads it as a list"),
    ],
)
def test_front_matter_error_names_the_line_and_yaml_message(front_matter, line, message):
    text = f"---\n{front_matter}---\n\n# Page\n"
    found_line, found_message = front_matter_error(text)
    assert found_line == line and message in found_message, found_message


def test_front_matter_never_closed_is_named():
    line, message = front_matter_error("---\ntitle: t\ndescription: d\n\n# Page\n")
    assert line == 1 and "never closed" in message


@pytest.mark.parametrize("text", ["---\ntitle: t\ndescription: d\n---\n# Page\n", "# No front matter\n"])
def test_readable_or_absent_front_matter_is_no_error(text):
    assert front_matter_error(text) is None
