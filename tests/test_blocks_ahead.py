"""Chart blocks run ahead in a worker process give exactly what markdown-exec gives, or fall back to it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import markdown
import pytest
from markdown_exec import formatter, validator
from markdown_exec._internal.formatters.python import _run_python, _sessions_counter
from mkdocs.structure.files import Files

import block_worker
import cache_store
import blocks_ahead
from blocks_ahead import (
    BlockWorker,
    BlockWorkers,
    LateBlocks,
    ahead_formatter,
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
    assert "(the first started with MkDocs); 2 put in place as their page was rendered" in ahead.output
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


def test_no_worker_starts_when_every_chart_is_cached(project, tmp_path):
    first = build(project)
    assert worker_line(first) == (2, 2)
    assert "; 2 put in place as their page was rendered" in first.output  # stored then, not before
    again = build(project, site=tmp_path / "again")
    assert again.returncode == 0, again.output
    assert worker_line(again) is None
    lesson = "lessons/latest-progress"
    assert again.page(lesson) == first.page(lesson)


def test_a_chart_that_raises_is_reported_by_markdown_exec_as_before(tmp_path):
    result = build(fixture_project("chart_raises", tmp_path))
    assert result.returncode == 1
    assert worker_line(result) == (0, 1)
    assert re.search(r"docs/index.md:\d+: markdown_exec: Execution of python code block exited with errors", result.output)
    assert 'raise ValueError("trend \'x\': field \'stability\' is missing")' in result.output


# Blocks in each place Python-Markdown treats differently; the first waits for a gate file,
# and the worker runs blocks in order, so none is ready while the page is converted.
LATE_PAGE = """# Late blocks

```python exec="on" html="on"
import pathlib, time
while not pathlib.Path(r"GATE").exists():
    time.sleep(0.01)
print('<div class="late">block-level, alone</div>')
```

Some text, then inline HTML alone:

```python exec="on" html="on"
print('<span>inline, alone</span>')
```

```python exec="on" html="on"
print('plain text')
```

```python exec="on" html="on"
print()
print('<div>after an empty line</div>')
```

- an item

    ```python exec="on" html="on"
    print('<div>in a list</div>')
    ```

- another item

!!! note

    ```python exec="on" html="on"
    print('<span>in an admonition</span>')
    ```
"""


def converted(text: str, format_fence) -> str:
    fence = {"name": "python", "class": "python", "validator": validator, "format": format_fence}
    md = markdown.Markdown(
        extensions=["admonition", "md_in_html", "pymdownx.superfences"],
        extension_configs={"pymdownx.superfences": {"custom_fences": [fence]}},
    )
    return md.convert(text)


def test_html_put_in_place_at_render_time_is_what_python_markdown_makes_of_it(tmp_path, monkeypatch):
    gate = tmp_path / "gate"
    text = LATE_PAGE.replace("GATE", str(gate))
    gate.touch()
    at_once = converted(text, formatter)  # markdown-exec runs each block while converting
    gate.unlink()
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    workers = BlockWorkers(blocks_to_run([page], {"python"}, None), list(sys.path), count=1)
    late = LateBlocks(workers)
    monkeypatch.setattr(blocks_ahead, "_workers", workers)
    monkeypatch.setattr(blocks_ahead, "_late", late)
    try:
        pages = []
        for _ in range(2):  # two pages, each converted with its own Markdown instance, as MkDocs does
            pages.append(converted(text, ahead_formatter(formatter)))
            late.page_converted()  # on_page_content: the pending blocks now share one instance
        assert len(late.pending) == 2 * len(workers.workers[0].blocks) == 12
        gate.touch()
        assert [late.put_in_place(page) for page in pages] == [at_once, at_once]
        assert late.pending == {} and late.placed == 12
    finally:
        workers.stop()


def test_a_chart_that_raises_after_its_page_was_converted_is_reported_as_before(tmp_path):
    project = fixture_project("chart_raises_late", tmp_path)
    result = build(project)
    assert result.returncode == 1
    assert worker_line(result) == (0, 1)
    assert "; 1 put in place as their page was rendered" in result.output
    (fence,) = fences((project / "docs" / "index.md").read_text(encoding="utf-8"))
    line = fence.start + 1  # the opening fence, counted in the file as the contributor sees it
    assert re.search(rf"docs/index.md:{line}: markdown_exec: Execution of python code block exited with errors", result.output)
    assert 'raise ValueError("trend \'x\': field \'stability\' is missing")' in result.output


def test_a_placeholder_left_in_no_page_is_reported(monkeypatch, caplog):
    late = LateBlocks(BlockWorkers({}, list(sys.path), count=1))
    late.defer("a block", lambda md: "", md=None)  # its page never reaches on_page_context
    monkeypatch.setattr(blocks_ahead, "_late", late)
    monkeypatch.setattr(blocks_ahead, "_workers", None)
    with caplog.at_level("WARNING", logger="mkdocs.hooks.blocks_ahead"):
        blocks_ahead.on_post_build(config=None)
    assert "1 code block(s) drawn ahead never reached their page" in caplog.text
    assert f"{blocks_ahead.SWITCH}=1" in caplog.text
    assert blocks_ahead._late is None
