"""Every page declares a title and a description; typos in front matter fail the build."""

from __future__ import annotations

import re

import pytest

from conftest import build, fixture_project
from front_matter import front_matter_problems


def test_missing_description_fails_strict_build_naming_file_and_field(tmp_path):
    result = build(fixture_project("no_description", tmp_path))
    assert result.returncode == 1
    assert "docs/index.md: front matter field 'description' is missing" in result.output
    assert "docs/index.md: front matter field 'descripton' is not a known field; did you mean 'description'?" in result.output


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


def test_complete_front_matter_has_no_problems():
    assert front_matter_problems({"title": "t", "description": "d", "keywords": ["a"]}) == []


def test_pages_carry_their_description_and_keywords(site):
    page = site.page("lessons/latest-progress")
    assert re.search(r'<meta name="description" content="The four stable directions of image generation', page)
    assert re.search(r'<meta name="keywords" content="image generation, diffusion models,', page)
    assert '<link rel="canonical" href="http://127.0.0.1:8000/lessons/latest-progress/">' in page
