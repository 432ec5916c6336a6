"""In GitHub Actions a located build failure also becomes an ::error annotation on its file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ci_annotations import annotation, escape_data, escape_property
from conftest import build, fixture_project
from site_checks import differing_files, expected_outputs, printed_by

ANNOTATION = re.compile(r"^::error file=(?P<file>[^,]+)(?:,line=(?P<line>\d+))?,title=[^:]*::(?P<message>.*)$", re.M)


def stale_blocks(project: Path) -> list[tuple[str, int]]:
    """(file, fence line) of every expected-output block whose snippet now prints something else."""
    return [
        (block.markdown.relative_to(project).as_posix(), block.line)
        for markdown in sorted((project / "docs").rglob("*.md"))
        for block in expected_outputs(markdown)
        if block.declared != printed_by(project, block.snippet)
    ]


@pytest.fixture
def no_github_actions(monkeypatch):
    """The environment of a local build, even when the suite itself runs in GitHub Actions."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def test_stale_expected_output_is_annotated_on_its_file_and_line(tmp_path):
    project = fixture_project("mismatch", tmp_path / "project")
    stale = stale_blocks(project)
    assert stale, "the fixture should hold a stale expected output"
    result = build(project, GITHUB_ACTIONS="true")
    assert result.returncode != 0
    annotated = [(found["file"], int(found["line"])) for found in ANNOTATION.finditer(result.output) if found["line"]]
    assert annotated == stale
    message = ANNOTATION.search(result.output)["message"]
    assert "%0A--- expected (" in message and "\n" not in message  # the diff, on one line


def test_nothing_is_annotated_outside_github_actions(tmp_path, no_github_actions):
    project = fixture_project("mismatch", tmp_path / "project")
    result = build(project)
    assert result.returncode != 0
    assert f"{stale_blocks(project)[0][0]}:{stale_blocks(project)[0][1]}:" in result.output  # the warning itself
    assert "::error" not in result.output


def test_annotations_change_no_page(tmp_path, no_github_actions):
    project = fixture_project("two_lessons", tmp_path / "project")
    local = build(project, site=tmp_path / "local")
    in_actions = build(project, site=tmp_path / "actions", GITHUB_ACTIONS="true")
    assert local.returncode == 0 and in_actions.returncode == 0, local.output + in_actions.output
    assert differing_files(local.site, in_actions.site) == []


def test_a_file_without_a_line_is_annotated_on_the_file(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a,b.md").write_text("# page\n", encoding="utf-8")
    command = annotation("docs/a,b.md: front matter field 'title' is missing", "WARNING", tmp_path)
    assert command == "::error file=docs/a%2Cb.md,title=MkDocs build warning::front matter field 'title' is missing"


def test_messages_not_located_in_a_project_file_are_not_annotated(tmp_path):
    assert annotation("docs/missing.md:3: no such page here", "WARNING", tmp_path) is None
    assert annotation("Doc file 'index.md' contains a link to 'x.md'", "WARNING", tmp_path) is None


def test_workflow_command_escaping_follows_github():
    # GitHub's toolkit (toCommandValue / escapeData / escapeProperty): % first, then CR and LF.
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
