"""A lesson added from the template, with its own snippet and expected output, passes every site-wide check.

The test does what the contributing guide asks of a contributor, in a copy of the project:
copy docs/_template.md to a new lesson, give it its own snippet, let `make update-expected`'s
script write the expected output, add the lesson to the nav, and build strictly. Whatever
else the template holds (a chart, say) comes along unchanged.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import browser_checks
import site_checks
from conftest import Build, build, copy_project
from course_copy import add_to_nav, lesson_from_template
from html_text import headings

TITLE = "12.2.99 A Lesson Grown From The Template"
DESCRIPTION = "A lesson a test adds from the template, to show that a new lesson needs no test edited."
SLUG = "grown-from-the-template"
# The new lesson's own example: nothing the template or the course prints.
OWN_SNIPPET = '''"""A lesson's own example: how many steps a sampler saves."""

for steps in (50, 25, 4):
    print(f"{steps} steps: {50 // steps}x fewer network calls than 50")
'''


@dataclass
class Grown:
    project: Path
    lesson: Path
    snippets: list[str]
    result: Build


def with_description(lesson: Path, description: str) -> None:
    """Give the lesson its own description in its front matter."""
    text = lesson.read_text(encoding="utf-8")
    front, body = re.match(r"\A---\n(.*?)\n---\n(.*)\Z", text, flags=re.DOTALL).groups()
    meta = {**yaml.safe_load(front), "description": description}
    lesson.write_text(f"---\n{yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)}---\n{body}", encoding="utf-8")


def with_own_snippets(project: Path, lesson: Path) -> list[str]:
    """Point each expected-output block the template declares at a new snippet of the lesson's own."""
    text = lesson.read_text(encoding="utf-8")
    declared = sorted({block.snippet for block in site_checks.expected_outputs(lesson)})
    assert declared, "docs/_template.md shows no expected output for a contributor to copy"
    own = []
    for number, snippet in enumerate(declared, start=1):
        name = f"snippets/{SLUG.replace('-', '_')}_{number}.py"
        (project / name).write_text(OWN_SNIPPET, encoding="utf-8")
        text = text.replace(f'"{snippet}"', f'"{name}"')
        own.append(name)
    lesson.write_text(text, encoding="utf-8")
    return own


@pytest.fixture(scope="module")
def grown(tmp_path_factory) -> Grown:
    project = copy_project(tmp_path_factory.mktemp("grown") / "project")
    lesson = lesson_from_template(project, SLUG, TITLE)
    with_description(lesson, DESCRIPTION)
    snippets = with_own_snippets(project, lesson)
    # The expected output is written by running the snippet, as `make update-expected` does.
    update = subprocess.run(
        [sys.executable, "scripts/update_expected.py"], cwd=project, capture_output=True, text=True
    )
    assert update.returncode == 0, update.stdout + update.stderr
    add_to_nav(project, TITLE, lesson)
    result = build(project, site=project / "site")
    assert result.returncode == 0, result.output
    return Grown(project, lesson, snippets, result)


def test_the_lesson_declares_what_its_own_snippets_print(grown):
    blocks = site_checks.expected_outputs(grown.lesson)
    assert {block.snippet for block in blocks} == set(grown.snippets)
    for block in blocks:
        assert block.declared == site_checks.printed_by(grown.project, block.snippet)


def test_the_lesson_is_published_and_listed(grown):
    assert grown.lesson in site_checks.lesson_markdown(grown.project, grown.result.site)
    page = grown.result.page(site_checks.page_path(grown.project, grown.lesson))
    assert headings(page)[0] == (1, TITLE)


@pytest.mark.parametrize("check", list(site_checks.SITE_WIDE_CHECKS))
def test_site_wide_check_passes(grown, check):
    assert site_checks.SITE_WIDE_CHECKS[check](grown.project, grown.result.site) == []


def test_a_second_build_is_byte_identical(grown, tmp_path):
    again = build(grown.project, site=tmp_path / "again", NO_BUILD_CACHE="1")  # everything run again
    assert again.returncode == 0, again.output
    assert site_checks.differing_files(grown.result.site, again.site) == []


@pytest.mark.parametrize("scheme", list(browser_checks.SCHEMES))
def test_every_page_is_clean_in_the_browser(grown, browser, scheme):
    pages = [page.relative_to(grown.result.site).parent.as_posix() for page in site_checks.content_pages(grown.result.site)]
    with browser_checks.served(grown.result.site) as base:
        problems = [
            problem for path in pages
            for problem in browser_checks.page_problems(browser, base, "" if path == "." else f"{path}/", scheme)
        ]
    assert problems == []


def test_the_template_as_it_is_builds_clean(tmp_path):
    """What a contributor copies works before they change it: its includes, its expected output (checked
    against the template's own snippet), its chart and its markup pass the strict build."""
    project = copy_project(tmp_path / "project")
    lesson = lesson_from_template(project, "template-as-it-is", "12.2.98 The Template As It Is")
    add_to_nav(project, "12.2.98 The Template As It Is", lesson)
    result = build(project, site=project / "site")
    assert result.returncode == 0, result.output
    assert site_checks.expected_outputs(lesson), "the template shows no expected output"
