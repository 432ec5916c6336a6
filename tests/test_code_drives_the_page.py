"""Editing the snippet is all it takes: output and both charts follow; stale Markdown fails the build."""

from __future__ import annotations

import difflib
import re
import subprocess
import sys

import pytest

from conftest import build, copy_project
from html_text import code_blocks

LESSON = "lessons/latest-progress"
OUTPUT_TITLE = "Output of python snippets/trend_ranking.py"

EDITS = {
    "a trend's value": (
        '{"name": "faster sampling", "product_value": 9,',
        '{"name": "faster sampling", "product_value": 4,',
    ),
    "a weight": ('"stability": 0.3,', '"stability": 0.4,'),
}


def charts(page: str) -> list[str]:
    """Every <figure> of the page that holds an inline SVG chart, in page order."""
    return [f for f in re.findall(r"<figure\b.*?</figure>", page, flags=re.DOTALL) if "<svg" in f]


def printed(project) -> list[str]:
    done = subprocess.run(
        [sys.executable, "snippets/trend_ranking.py"], cwd=project, capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_edit_fails_the_stale_build_then_update_fixes_only_the_expected_lines(tmp_path, edit):
    project = copy_project(tmp_path / "project")
    before = build(project, site=tmp_path / "before")
    assert before.returncode == 0, before.output
    snippet = project / "snippets" / "trend_ranking.py"
    lesson = project / "docs" / "lessons" / "latest-progress.md"
    markdown_before = lesson.read_text(encoding="utf-8")
    old, new = EDITS[edit]
    assert old in snippet.read_text(encoding="utf-8")
    snippet.write_text(snippet.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    stale = build(project, site=tmp_path / "stale")
    assert stale.returncode != 0
    assert "docs/lessons/latest-progress.md:" in stale.output
    assert "--- expected (docs/lessons/latest-progress.md:" in stale.output
    assert "+++ actual (python snippets/trend_ranking.py)" in stale.output

    update = subprocess.run(
        [sys.executable, "scripts/update_expected.py"], cwd=project, capture_output=True, text=True
    )
    assert update.returncode == 0, update.stderr
    assert "docs/lessons/latest-progress.md:" in update.stdout

    changed = [
        line for line in difflib.ndiff(markdown_before.splitlines(), lesson.read_text(encoding="utf-8").splitlines())
        if line.startswith(("- ", "+ "))
    ]
    new_output = printed(project)
    assert changed and all(line[2:] in new_output or line[2:].startswith("{'name'") for line in changed)
    assert {line[2:] for line in changed if line.startswith("+ ")} <= set(new_output)

    after = build(project, site=tmp_path / "after")
    assert after.returncode == 0, after.output
    assert dict(code_blocks(after.page(LESSON)))[OUTPUT_TITLE].splitlines() == new_output
    assert dict(code_blocks(before.page(LESSON)))[OUTPUT_TITLE].splitlines() != new_output
    charts_before, charts_after = charts(before.page(LESSON)), charts(after.page(LESSON))
    assert charts_before and len(charts_before) == len(charts_after)
    redrawn = [one != two for one, two in zip(charts_before, charts_after)]
    # Every chart draws the trends' values; only some draw the weights (the radar does not).
    assert all(redrawn) if edit == "a trend's value" else any(redrawn)
