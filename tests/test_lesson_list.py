"""`<!-- lesson-list -->` lists the lessons; a bad lessons folder or a lesson that is not UTF-8 fails clearly."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import ConfigurationError

import lesson_list
from conftest import ROOT, build, fixture_project
from html_text import text_of
from lesson_list import NotUtf8Error, lessons_folder, read_lesson

# Second before first: the list follows the nav, not the file names.
NAV = [
    {"Module home": "index.md"},
    {"Second fixture lesson": "lessons/second.md"},
    {"First fixture lesson": "lessons/first.md"},
]


def lesson_project(tmp_path: Path, extra: dict | None = None, nav: list | None = None) -> Path:
    """The lesson_list fixture, built with the fixture hooks plus hooks/lesson_list.py."""
    project = fixture_project("lesson_list", tmp_path, {"nav": nav or NAV, "extra": extra or {}})
    config_file = project / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["hooks"].append(str(ROOT / "hooks" / "lesson_list.py"))
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return project


def docs_with_lessons(tmp_path: Path) -> str:
    (tmp_path / "docs" / "lessons").mkdir(parents=True)
    return str(tmp_path / "docs")


def test_the_list_names_each_lesson_of_the_nav_in_its_order(tmp_path):
    result = build(lesson_project(tmp_path))
    assert result.returncode == 0, result.output
    page = result.page()
    assert page.index("Second fixture lesson") < page.index("First fixture lesson")
    assert "What the first lesson says about itself." in page
    assert 'href="lessons/second/"' in page


def test_only_a_marker_on_its_own_line_outside_code_is_replaced(tmp_path):
    """A page that explains the marker (a code span, a code block) shows it as written."""
    project = lesson_project(tmp_path)
    index = project / "docs" / "index.md"
    explained = (
        f"Write `{lesson_list.MARKER}` where the list goes, like this:\n\n"
        f"```markdown\n{lesson_list.MARKER}\n```\n\n"
        f'!!! note "Lessons"\n\n    {lesson_list.MARKER}\n'
    )
    index.write_text(index.read_text(encoding="utf-8") + "\n" + explained, encoding="utf-8")
    page = build(project).page()
    shown = text_of(page)
    assert shown.count(lesson_list.MARKER) == 2, shown  # the code span and the code block
    article = page[page.index("<article") : page.index("</article>")]
    assert article.count('href="lessons/second/"') == 2  # the list, and the list inside the admonition
    admonition = page[page.index('class="admonition note"') :]
    assert 'href="lessons/first/"' in admonition[: admonition.index("</div>")]


def test_lesson_not_utf8_names_file_and_line_without_traceback(tmp_path):
    project = lesson_project(tmp_path)
    lesson = project / "docs" / "lessons" / "second.md"
    lesson.write_bytes(lesson.read_bytes() + b"\nCaf\xe9\n")
    line = lesson.read_bytes().split(b"\n").index(b"Caf\xe9") + 1
    result = build(project)
    assert result.returncode == 1
    assert f"docs/lessons/second.md:{line}: byte 0xe9 is not UTF-8" in result.output, result.output
    assert "save it as UTF-8" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("lesson", "extra.lessons_dir: there is no folder docs/lesson. Did you mean 'lessons'?"),
        (5, "extra.lessons_dir: must be the name of a folder under docs/ (such as 'lessons'), got 5"),
    ],
)
def test_bad_lessons_dir_fails_the_build_naming_mkdocs_yml_and_the_key(tmp_path, value, message):
    result = build(lesson_project(tmp_path, extra={"lessons_dir": value}))
    assert result.returncode == 1
    assert f"mkdocs.yml: {message}" in result.output, result.output
    assert "Traceback" not in result.output


def test_marker_with_no_lesson_to_list_is_a_warning_naming_the_page_and_line(tmp_path):
    project = lesson_project(tmp_path, nav=[{"Module home": "index.md"}])
    line = (project / "docs" / "index.md").read_text(encoding="utf-8").split("\n").index(lesson_list.MARKER) + 1
    result = build(project)
    assert result.returncode == 1
    assert f"docs/index.md:{line}: {lesson_list.MARKER} has no lesson to list" in result.output, result.output


@pytest.mark.parametrize("value", [None, "lessons", "lessons/", "/lessons", "./lessons"])
def test_lessons_folder_accepts_the_folder_however_it_is_written(tmp_path, value):
    extra = {} if value is None else {"lessons_dir": value}
    assert lessons_folder(extra, docs_with_lessons(tmp_path), str(tmp_path / "mkdocs.yml")) == "lessons/"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("lesson", "there is no folder docs/lesson. Did you mean 'lessons'?"),
        ("chapters", "there is no folder docs/chapters. Set it to the folder under docs/"),
        (["lessons"], "must be the name of a folder under docs/"),
        ("", "must name a folder inside docs/"),
        ("..", "must name a folder inside docs/"),
        ("lessons/../..", "must name a folder inside docs/"),
    ],
)
def test_lessons_folder_refuses_what_is_not_a_folder_under_docs(tmp_path, value, message):
    with pytest.raises(ConfigurationError) as error:
        lessons_folder({"lessons_dir": value}, docs_with_lessons(tmp_path), str(tmp_path / "mkdocs.yml"))
    assert str(error.value).startswith(f"{tmp_path / 'mkdocs.yml'}: extra.lessons_dir: ")
    assert message in str(error.value)


def test_a_site_without_a_lessons_folder_builds_when_the_setting_is_left_out(tmp_path):
    """The default folder may not exist yet (a new site, or one whose pages are not lessons)."""
    project = lesson_project(tmp_path, nav=[{"Module home": "index.md"}])
    shutil.rmtree(project / "docs" / "lessons")
    index = project / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace(lesson_list.MARKER, "No lessons yet."), encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.output
    assert lessons_folder({}, str(project / "docs"), str(project / "mkdocs.yml")) == "lessons/"


def test_read_lesson_names_the_line_of_the_first_bad_byte(tmp_path):
    path = tmp_path / "lesson.md"
    path.write_bytes(b"\xef\xbb\xbf---\ntitle: t\n---\n\nCaf\xe9\n")
    with pytest.raises(NotUtf8Error) as error:
        read_lesson(str(path), "docs/lessons/lesson.md")
    assert str(error.value) == "docs/lessons/lesson.md:5: byte 0xe9 is not UTF-8"
    assert "save it as UTF-8" in error.value.report("docs/index.md")


def test_read_lesson_drops_a_byte_order_mark(tmp_path):
    path = tmp_path / "lesson.md"
    path.write_bytes(b"\xef\xbb\xbf---\ntitle: Caf\xc3\xa9\n---\n")
    assert read_lesson(str(path), "lesson.md") == "---\ntitle: Café\n---\n"


def test_the_hook_events_share_one_object_not_module_globals():
    events = [lesson_list.on_config, lesson_list.on_nav, lesson_list.on_page_markdown]
    assert len({id(event.__self__) for event in events}) == 1
    assert not hasattr(lesson_list, "_lessons")


def test_a_description_is_listed_as_written(tmp_path):
    """A description is plain text (the meta description too): the list shows its characters, never reads them."""
    project = lesson_project(tmp_path)
    lesson = project / "docs" / "lessons" / "first.md"
    written = "Scores of 2*3 trends, snake_case names, a < b & c, [brackets] and #hashes"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(
        "description: What the first lesson says about itself.", f"description: '{written}'"), encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.output
    item = re.search(r"<li><strong><a [^>]*>First fixture lesson</a></strong>(.*?)</li>", result.page(), re.DOTALL)
    assert item and text_of(item.group(1)) == f": {written}", item and item.group(1)


def test_markup_in_a_description_is_reported_and_still_shown_as_written(tmp_path):
    project = lesson_project(tmp_path)
    lesson = project / "docs" / "lessons" / "first.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(
        "description: What the first lesson says about itself.",
        "description: 'See [the second](second.md), <b>bold'"), encoding="utf-8")
    result = build(project)
    assert result.returncode == 1
    assert "docs/lessons/first.md:3: front matter field 'description' is plain text, but holds '[the second](second.md)'" in result.output
    assert "index.md contains a link" not in result.output  # not blamed on the page that lists it
    page = build(project, strict=False).page()
    assert "See [the second](second.md), &lt;b&gt;bold" in page and "<b>bold" not in page
