"""Chart blocks run ahead in a worker process give exactly what markdown-exec gives, or fall back to it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from markdown_exec._internal.formatters.python import _run_python, _sessions_counter
from mkdocs.structure.files import Files

import block_worker
import cache_store
import blocks_ahead
from blocks_ahead import (
    BlockWorker,
    BlockWorkers,
    blocks_to_run,
    close_unused,
    parsed_options,
    runs_ahead,
    start_worker_process,
    worker_count,
)
from cache_store import BuildCache
from conftest import build, build_imports_matplotlib, copy_project, fixture_project
from markdown_fences import fences

def worker_line(result) -> tuple[int, int] | None:
    """(run ahead, handed over) from the build's "Block workers:" line; None when no worker ran."""
    found = re.search(r"Block workers: (\d+) of (\d+) blocks run ahead", result.output)
    return (int(found[1]), int(found[2])) if found else None


def fence_options(info: str) -> dict | None:
    (fence,) = fences(f"```{info}\nprint(1)\n```\n")
    return parsed_options(info.split(" ", 1)[0], fence)


@pytest.mark.parametrize(
    "code",
    [
        'print("<svg></svg>")',
        "print('a', 2, None, sep='-', end='')\nprint(3.5)",
        "import math\nfor n in range(3):\n    print(math.sqrt(n))",
        "def f():\n    return __name__\nprint(f())",
        "",
    ],
)
def test_worker_prints_what_markdown_exec_prints(code):
    number = _sessions_counter[None] + 1  # markdown-exec names the block after its count of blocks run
    assert block_worker.run_block(code, number) == _run_python(code)


@pytest.mark.parametrize(
    "code",
    [
        "raise ValueError('no data')",
        "import warnings\nwarnings.warn('careful')",
        "import logging\nlogging.getLogger('mkdocs').warning('careful')",
        "import sys\nsys.stdout.write('to the terminal')",
        "import sys\nprint('x', file=sys.stderr)\nsys.stderr.write('to the terminal')",
        "raise SystemExit(2)",
    ],
)
def test_worker_hands_back_anything_unusual_to_the_build(code):
    assert block_worker.run_block(code, 1) is None


@pytest.mark.parametrize(
    ("info", "ahead"),
    [
        ('python exec="on" html="on"', True),
        ('python exec="1" html="yes"', True),
        ('python exec="on"', False),  # rendered as Markdown: markdown-exec converts it
        ('python exec="on" html="on" session="s"', False),
        ('python exec="on" html="on" source="above"', False),
        ('python exec="on" html="on" workdir="snippets"', False),
        ('python exec="on" html="on" title="Chart"', False),
    ],
)
def test_only_blocks_whose_html_is_their_output_run_ahead(info, ahead):
    assert runs_ahead(fence_options(info)) is ahead


def test_blocks_that_markdown_exec_does_not_run_are_not_collected():
    assert fence_options("python") is None
    assert fence_options('python exec="off" html="on"') is None


def test_blocks_held_by_the_cache_are_not_handed_over(tmp_path):
    page = tmp_path / "page.md"
    page.write_text('# P\n\n```python exec="on" html="on"\nprint("<b>1</b>")\n```\n', encoding="utf-8")
    cache = BuildCache(tmp_path / "cache", "base")
    (block,) = blocks_to_run([page], {"python"}, cache).values()
    assert block == 'print("<b>1</b>")'
    options = fence_options('python exec="on" html="on"')
    cache.put(cache_store.BLOCK, cache.block_key("python", block, options), {"html": "<b>1</b>"})
    assert blocks_to_run([page], {"python"}, cache) == {}


def test_worker_results_arrive_by_block(tmp_path):
    worker = BlockWorker({"a": "print('<i>a</i>')", "b": "raise ValueError", "c": "print(2 + 2)"}, list(sys.path))
    try:
        assert worker.output("c") == "4\n"
        assert worker.output("b") is None
        assert worker.output("a") == "<i>a</i>\n"
        assert worker.output("never handed over") is None
        assert worker.used == 2
    finally:
        worker.stop()


def test_a_worker_that_dies_leaves_every_block_to_the_build():
    worker = BlockWorker({"a": "import os\nos._exit(3)", "b": "print(1)"}, list(sys.path))
    try:
        assert worker.output("b") is None
        assert worker.output("a") is None
    finally:
        worker.stop()


def test_blocks_are_dealt_out_to_several_workers():
    workers = BlockWorkers({"a": "print(1)", "b": "print(2)", "c": "print(3)"}, list(sys.path), count=2)
    try:
        assert [len(worker.blocks) for worker in workers.workers] == [2, 1]
        assert [workers.output(name) for name in "cab"] == ["3\n", "1\n", "2\n"]
        assert workers.summary() == "Block workers: 3 of 3 blocks run ahead of the build by 2 worker processes"
    finally:
        workers.stop()


def test_a_worker_started_early_runs_the_blocks_it_is_given_later():
    process = start_worker_process()
    workers = BlockWorkers({"a": "print(1)", "b": "print(2)"}, list(sys.path), count=2, started=process)
    try:
        assert workers.workers[0]._process is process
        assert [workers.output(name) for name in "ab"] == ["1\n", "2\n"]
        assert workers.summary().endswith("by 2 worker processes (the first started with MkDocs)")
    finally:
        workers.stop()


def test_a_worker_started_early_and_not_needed_ends_at_once():
    process = start_worker_process()
    close_unused(process)
    assert process.returncode == 0


def test_the_worker_started_with_mkdocs_is_closed_when_there_is_nothing_to_draw(monkeypatch):
    monkeypatch.setattr(blocks_ahead, "_languages", set())  # no markdown-exec fences to look for
    blocks_ahead.on_startup(command="build", dirty=False)
    started = blocks_ahead._started
    assert started is not None and started.poll() is None
    blocks_ahead.on_pre_build(config=None)
    assert blocks_ahead._started is None and blocks_ahead._workers is None
    assert started.returncode == 0


def test_the_worker_started_with_mkdocs_is_closed_when_collecting_blocks_fails(monkeypatch):
    def unreadable(*args):
        raise OSError("a page could not be read")

    monkeypatch.setattr(blocks_ahead, "_languages", {"python"})
    monkeypatch.setattr(blocks_ahead, "get_files", lambda config: Files([]))
    monkeypatch.setattr(blocks_ahead, "blocks_to_run", unreadable)
    blocks_ahead.on_startup(command="build", dirty=False)
    started = blocks_ahead._started
    with pytest.raises(OSError):
        blocks_ahead.on_pre_build(config=None)
    assert started.returncode == 0


def test_no_worker_is_started_with_mkdocs_when_switched_off(monkeypatch):
    monkeypatch.setenv(blocks_ahead.SWITCH, "1")
    blocks_ahead.on_startup(command="build", dirty=False)
    assert blocks_ahead._started is None


def test_one_core_is_left_to_the_build_itself():
    assert [worker_count(cores) for cores in (None, 1, 2, 8)] == [1, 1, 1, 7]


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def test_the_site_is_the_same_with_and_without_the_worker(project, tmp_path):
    ahead = build(project, site=tmp_path / "ahead", NO_BUILD_CACHE="1")
    assert ahead.returncode == 0, ahead.output
    assert worker_line(ahead) == (2, 2)
    assert "(the first started with MkDocs)" in ahead.output
    alone = build(project, site=tmp_path / "alone", NO_BUILD_CACHE="1", NO_BLOCK_WORKER="1")
    assert alone.returncode == 0, alone.output
    assert worker_line(alone) is None
    ahead_files = sorted(p.relative_to(ahead.site) for p in ahead.site.rglob("*") if p.is_file())
    assert ahead_files == sorted(p.relative_to(alone.site) for p in alone.site.rglob("*") if p.is_file())
    for path in ahead_files:
        assert (ahead.site / path).read_bytes() == (alone.site / path).read_bytes(), path


def test_charts_are_drawn_in_the_worker_not_in_the_build(project):
    imported, output = build_imports_matplotlib(project, NO_BUILD_CACHE="1")
    assert "Block workers: 2 of 2 blocks run ahead" in output
    assert imported is False
    imported, output = build_imports_matplotlib(project, NO_BUILD_CACHE="1", NO_BLOCK_WORKER="1")
    assert "Block worker" not in output
    assert imported is True


def test_no_worker_starts_when_every_chart_is_cached(project):
    first = build(project)
    assert worker_line(first) == (2, 2)
    again = build(project)
    assert again.returncode == 0, again.output
    assert worker_line(again) is None


def test_a_chart_that_raises_is_reported_by_markdown_exec_as_before(tmp_path):
    result = build(fixture_project("chart_raises", tmp_path))
    assert result.returncode == 1
    assert worker_line(result) == (0, 1)
    assert re.search(r"docs/index.md:\d+: markdown_exec: Execution of python code block exited with errors", result.output)
    assert 'raise ValueError("trend \'x\': field \'stability\' is missing")' in result.output
