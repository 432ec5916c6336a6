"""The build cache reuses work only while every input is unchanged, and never breaks a build."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import build, build_imports_matplotlib, copy_project, fixture_project
from html_text import code_blocks

LESSON = "lessons/latest-progress"


def counts(result) -> dict[str, tuple[int, int]]:
    """{kind: (reused, computed)} from the build's "Build cache:" line."""
    line = re.search(r"Build cache[^:]*: (.* computed)$", result.output, flags=re.MULTILINE)
    assert line, result.output
    return {
        kind.strip(): (int(reused), int(computed))
        for kind, reused, computed in re.findall(r"([a-z ]+?) (\d+) reused (\d+) computed", line.group(1))
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the real site whose cache has been filled by one build."""
    copy = copy_project(tmp_path / "project")
    first = build(copy)
    assert first.returncode == 0, first.output
    assert counts(first) == {"chart block": (0, 2), "snippet run": (0, 1)}
    return copy


def test_unchanged_rebuild_reuses_everything_and_renders_the_same(project):
    before = (project / "site" / LESSON / "index.html").read_bytes()
    again = build(project)
    assert again.returncode == 0, again.output
    assert counts(again) == {"chart block": (2, 0), "snippet run": (1, 0)}
    assert (project / "site" / LESSON / "index.html").read_bytes() == before


@pytest.mark.parametrize(
    ("what", "path", "old", "new"),
    [
        ("the snippet", "snippets/trend_ranking.py", "# Value and stability", "# Still: value and stability"),
        ("the chart module", "snippets/trend_charts.py", '"#0072B2"', '"#0072B3"'),
        ("a config value", "mkdocs.yml", "timeout: 30", "timeout: 31"),
        ("a hook", "hooks/snippet_runner.py", "DEFAULT_TIMEOUT = 30.0", "DEFAULT_TIMEOUT = 30.00"),
    ],
)
def test_any_changed_input_runs_everything_again(project, what, path, old, new):
    edit(project / path, old, new)
    again = build(project)
    assert again.returncode == 0, again.output
    assert counts(again) == {"chart block": (0, 2), "snippet run": (0, 1)}, what


def test_prose_edit_reuses_code_results(project):
    edit(project / "docs" / "lessons" / "latest-progress.md", "## Summary\n", "## Summary\n\nA new sentence.\n")
    again = build(project)
    assert again.returncode == 0, again.output
    assert counts(again) == {"chart block": (2, 0), "snippet run": (1, 0)}
    assert "A new sentence." in again.page(LESSON)


def test_expected_output_is_still_checked_on_a_cached_run(project):
    edit(project / "docs" / "lessons" / "latest-progress.md", "'score': 6.0}", "'score': 6.5}")
    again = build(project)
    assert again.returncode == 1
    assert counts(again)["snippet run"] == (1, 0)
    assert "-{'name': 'stronger controllable editing', 'product_value': 10, 'engineering_cost': 7, 'stability': 8, 'score': 6.5}" in again.output


def test_changed_data_file_is_never_served_stale(tmp_path):
    project = fixture_project("two_lessons", tmp_path)
    (project / "snippets" / "names.txt").write_text("Ada\nGrace\n", encoding="utf-8")
    (project / "snippets" / "greet.py").write_text(
        "from pathlib import Path\n\n"
        "for name in Path('snippets/names.txt').read_text().split():\n"
        "    print(f'Hello, {name}!')\n",
        encoding="utf-8",
    )
    assert build(project).returncode == 0
    (project / "snippets" / "names.txt").write_text("Ada\nLinus\n", encoding="utf-8")
    stale = build(project)
    assert stale.returncode == 1
    assert "-Hello, Grace!\n+Hello, Linus!" in stale.output


@pytest.mark.parametrize("damage", ["not json at all", '{"format": 1, "key": "x", "val'], ids=["corrupt", "partial"])
def test_damaged_entry_is_ignored_and_rebuilt_with_a_warning(project, damage):
    entries = sorted((project / ".cache" / "build").glob("*.json"))
    assert len(entries) == 3
    entries[0].write_text(damage, encoding="utf-8")
    again = build(project)
    assert again.returncode == 0, again.output
    assert f"Build cache: ignoring unreadable entry {entries[0]}" in again.output
    reused = sum(r for r, _ in counts(again).values())
    computed = sum(c for _, c in counts(again).values())
    assert (reused, computed) == (2, 1)
    assert entries[0].read_text(encoding="utf-8").startswith('{"format": 1')


def test_switch_turns_the_cache_off(tmp_path):
    project = copy_project(tmp_path / "project")
    for _ in range(2):
        result = build(project, NO_BUILD_CACHE="1")
        assert result.returncode == 0, result.output
        assert counts(result) == {"chart block": (0, 2), "snippet run": (0, 1)}
    assert "(off: NO_BUILD_CACHE=1)" in result.output
    assert not (project / ".cache").exists()


def test_concurrent_builds_share_the_cache_safely(project):
    edit(project / "snippets" / "trend_charts.py", '"#0072B2"', '"#0072B3"')  # everything to compute again
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda n: build(project, site=project / f"site-{n}"), range(3)))
    assert all(r.returncode == 0 for r in results), [r.output for r in results]
    pages = {r.page(LESSON) for r in results}
    assert len(pages) == 1
    assert not list((project / ".cache" / "build").glob("*.tmp"))


def test_py_fences_are_cached_as_python_fences_are(project):
    # markdown-exec runs both names as Python once listed; the block worker already takes both.
    edit(project / "mkdocs.yml", "languages: [python]", "languages: [python, py]")
    edit(project / "docs" / "lessons" / "latest-progress.md", '```python exec="on" html="on"', '```py exec="on" html="on"')
    first = build(project)
    assert first.returncode == 0, first.output
    assert counts(first)["chart block"] == (0, 2)
    again = build(project)
    assert again.returncode == 0, again.output
    assert counts(again)["chart block"] == (2, 0)
    assert again.page(LESSON) == first.page(LESSON)


def test_matplotlib_is_loaded_only_when_a_page_draws(tmp_path, project):
    # Without the block worker (tests/test_blocks_ahead.py), so that the build itself would draw.
    no_worker = {"NO_BLOCK_WORKER": "1"}
    no_charts = fixture_project("two_lessons", tmp_path / "no-charts")
    assert build_imports_matplotlib(no_charts, **no_worker)[0] is False
    assert build_imports_matplotlib(project, **no_worker)[0] is False  # every chart comes from the cache
    edit(project / "snippets" / "trend_charts.py", '"#0072B2"', '"#0072B3"')
    assert build_imports_matplotlib(project, **no_worker)[0] is True


def test_shown_and_verified_snippet_runs_once_per_build(tmp_path):
    project = fixture_project("two_lessons", tmp_path)
    (project / "snippets" / "greet.py").write_text(
        "from pathlib import Path\n\n"
        "log = Path('runs.log')\n"
        "log.write_text(log.read_text() + 'run\\n' if log.exists() else 'run\\n')\n"
        "for name in ['Ada', 'Grace']:\n"
        "    print(f'Hello, {name}!')\n",
        encoding="utf-8",
    )
    page = project / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nAgain:\n\n```text expected-output=\"snippets/greet.py\"\nHello, Ada!\nHello, Grace!\n```\n", encoding="utf-8")
    result = build(project, NO_BUILD_CACHE="1")
    assert result.returncode == 0, result.output
    assert (project / "runs.log").read_text() == "run\n"
    assert len([t for t, _ in code_blocks(result.page()) if t == "Output of python snippets/greet.py"]) == 2
