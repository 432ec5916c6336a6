"""Hook: run markdown-exec's raw-HTML Python blocks (the charts) ahead of time, in worker processes.

MkDocs renders pages one after another in one process, and drawing charts
(importing matplotlib, then drawing) is most of a lesson's build time. So when
the build begins, this hook collects every block markdown-exec will run with
``html="on"`` and nothing else that changes how it runs (no session, source,
workdir, id, width or extra options) and whose HTML is not in the build cache,
and deals them out to worker processes (``block_worker.py``), one per core but
one. They draw while MkDocs loads its theme and renders; when markdown-exec
reaches such a block, the worker's output is used instead of running the block
again.

A block still being drawn when its page's Markdown is converted does not hold
the build up: the page gets a placeholder, and the block's HTML is put in its
place when the page is rendered (``on_page_context``, ahead of Material's
search, which indexes the page then), exactly as Python-Markdown would have
placed it. Meanwhile MkDocs converts the other pages, copies the theme's files
and renders the pages before it. A plugin that read ``page.content`` earlier
(``on_page_content``) would see the placeholder; this site has none.

The result is what markdown-exec would give: the worker runs a block as
markdown-exec does, and a block that raises, warns or writes anything but its
output is run again in the build, where markdown-exec reports it as usual
(naming the page, with ``page_in_warnings``, also at render time). The
workers are stopped when the build ends. ``NO_BLOCK_WORKER=1`` turns them off.

The first worker process is started when MkDocs starts (``on_startup``), before
anything is known about the pages, so that Python's own start-up overlaps
MkDocs loading its configuration; it imports nothing but the standard library
until it is handed blocks, and ends at once if there are none.

Blocks run ahead share no module state with blocks run elsewhere (each worker
imports afresh): blocks that build on one another belong in a ``session``, and
those always run in the build. List this hook before ``build_cache.py``: a
block is looked up in the cache first.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from markdown_exec import validator
from mkdocs.plugins import event_priority
from mkdocs.structure.files import get_files
from markupsafe import Markup

import cache_store
import rendering_page
from block_worker import counting_warnings
from markdown_fences import Fence, fences, page_texts, wrap_python_fences

log = logging.getLogger("mkdocs.hooks.blocks_ahead")
SWITCH = "NO_BLOCK_WORKER"
WORKER = Path(__file__).resolve().parent / "block_worker.py"
# Options that change how markdown-exec runs or wraps a block: the worker does none of that.
_UNSUPPORTED = ("session", "source", "workdir", "id", "width", "extra", "returncode", "result")


def runs_ahead(options: dict) -> bool:
    """Whether a block's HTML is exactly what it prints, the one case the worker handles."""
    return bool(options.get("html")) and not any(options.get(name) for name in _UNSUPPORTED)


def block_id(language: str, source: str, options: dict) -> str:
    return json.dumps([language, source, options], sort_keys=True, default=str)


def parsed_options(language: str, fence: Fence) -> dict | None:
    """The options markdown-exec's validator makes of a fence line, or None if it won't run it."""
    options: dict = {}
    return options if validator(language, dict(fence.options), options, {}, None) else None


def start_worker_process() -> subprocess.Popen:
    """A worker process, waiting on its stdin for the blocks to run."""
    return subprocess.Popen(
        [sys.executable, str(WORKER)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True, encoding="utf-8",
    )


def close_unused(process: subprocess.Popen | None) -> None:
    """Let a worker that got no blocks end: on an empty request it exits at once."""
    if process is not None:
        process.stdin.close()
        process.stdout.close()
        process.wait()


class BlockWorker:
    """One worker process running blocks in order; their results are read as they come.

    ``blocks`` maps an identifier (``block_id``) to the block's code; ``process`` is a
    worker started earlier (``start_worker_process``), or None to start one now.
    """

    def __init__(
        self, blocks: dict[str, str], sys_path: list[str], process: subprocess.Popen | None = None
    ) -> None:
        self.blocks = {identifier: index for index, identifier in enumerate(blocks)}
        self.results: dict[int, str | None] = {}
        self.used = 0
        self._done = threading.Condition()
        self._finished = False
        self._process = process or start_worker_process()
        self._reader = threading.Thread(target=self._read, name="block-worker-reader", daemon=True)
        self._reader.start()
        try:
            self._process.stdin.write(json.dumps({"sys_path": sys_path, "blocks": list(blocks.values())}))
            self._process.stdin.close()
        except OSError:
            pass  # the worker died at once: every block runs in the build

    def _read(self) -> None:
        try:
            for line in self._process.stdout:
                reply = json.loads(line)
                with self._done:
                    self.results[reply["index"]] = None if reply.get("failed") else reply["output"]
                    self._done.notify_all()
        except (OSError, ValueError):
            pass
        finally:
            with self._done:
                self._finished = True
                self._done.notify_all()

    def _answered(self, index: int) -> bool:
        """Whether the worker has answered for this block, or will never (call with ``_done`` held)."""
        return index in self.results or self._finished

    def ready(self, identifier: str) -> bool:
        """Whether ``output`` would answer at once."""
        index = self.blocks.get(identifier)
        with self._done:
            return index is None or self._answered(index)

    def output(self, identifier: str) -> str | None:
        """The block's output once the worker has it; None if it failed or was never handed over."""
        index = self.blocks.get(identifier)
        if index is None:
            return None
        with self._done:
            self._done.wait_for(lambda: self._answered(index))
            output = self.results.get(index)
        self.used += output is not None
        return output

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._reader.join()
        self._process.stdout.close()


class BlockWorkers:
    """Blocks dealt out in turn to ``count`` workers, so each worker's next result is needed soon."""

    def __init__(
        self, blocks: dict[str, str], sys_path: list[str], count: int, started: subprocess.Popen | None = None
    ) -> None:
        items = list(blocks.items())
        shares = [share for share in (dict(items[start::count]) for start in range(count)) if share]
        processes = [started] + [None] * (len(shares) - 1)
        self.workers = [BlockWorker(share, sys_path, process) for share, process in zip(shares, processes)]
        self.started_early = started is not None
        self._owner = {identifier: worker for worker in self.workers for identifier in worker.blocks}

    def ready(self, identifier: str) -> bool:
        """Whether ``output`` would answer at once (a block no worker has answers None at once)."""
        worker = self._owner.get(identifier)
        return worker.ready(identifier) if worker else True

    def output(self, identifier: str) -> str | None:
        worker = self._owner.get(identifier)
        return worker.output(identifier) if worker else None

    def summary(self) -> str:
        used = sum(worker.used for worker in self.workers)
        workers = len(self.workers)
        return (
            f"Block workers: {used} of {len(self._owner)} blocks run ahead of the build"
            f" by {workers} worker process{'es' if workers > 1 else ''}"
            + (" (the first started with MkDocs)" if self.started_early else "")
        )

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()


class Pending(Markup):
    """What a page holds in place of a block's HTML until the page is rendered.

    An empty ``<span>`` with a number: inline HTML, so Python-Markdown keeps the
    ``<p>`` it wraps around inline HTML standing alone, and ``LateBlocks`` can do
    with the real HTML what Python-Markdown would have done (drop that ``<p>`` if
    the HTML is block-level). ``when_ready(callback)``: called with the HTML and
    whether it came without warnings (``build_cache`` stores it then).
    """

    def when_ready(self, callback: Callable[[str, bool], None]) -> None:
        self.listeners.append(callback)


@dataclass
class LateBlock:
    identifier: str
    run_in_build: Callable[[object], str]  # markdown-exec itself, given a Markdown instance
    md: object  # a Markdown instance with the site's extensions: it says which HTML is block-level
    listeners: list[Callable[[str, bool], None]] = field(default_factory=list)


class LateBlocks:
    """Blocks whose HTML goes into their page when it is rendered, not when its Markdown is converted.

    So the build converts the other pages, copies the theme's files and renders
    pages while the worker still draws, and waits only when the page itself is
    rendered (``on_page_context``, before the search index reads the page).
    """

    def __init__(self, workers: BlockWorkers) -> None:
        self.workers = workers
        self.pending: dict[int, LateBlock] = {}
        self.placed = 0
        self._numbers = itertools.count(1)
        self._converting: list[LateBlock] = []  # deferred during the page being converted
        self._markdown = None  # the one Markdown instance the pending blocks keep (see page_converted)
        self._build = os.urandom(4).hex()  # so that no text a page holds can pass for a placeholder
        self._marker = re.compile(rf'<span data-block-ahead="{self._build}-(\d+)"></span>')

    def marker(self, number: int) -> str:
        return f'<span data-block-ahead="{self._build}-{number}"></span>'

    def defer(self, identifier: str, run_in_build: Callable[[object], str], md) -> Pending:
        number = next(self._numbers)
        block = LateBlock(identifier, run_in_build, md)
        self._converting.append(block)
        self.pending[number] = block
        marker = Pending(self.marker(number))
        marker.listeners = block.listeners
        return marker

    def page_converted(self) -> None:
        """Let the Markdown instance of the page just converted go.

        Every page is converted with the site's extensions, so the pending blocks of
        all pages can share the first page's instance (emptied of that page's HTML):
        it tells which HTML is block-level, and markdown-exec can run a handed-back
        block with it. One instance per build, not one per page, is kept.
        """
        for block in self._converting:
            if self._markdown is None:
                self._markdown = block.md
                self._markdown.reset()
            block.md = self._markdown
        self._converting.clear()

    def put_in_place(self, html: str) -> str:
        """The page's HTML with each of its pending blocks' HTML in place."""
        for number in dict.fromkeys(int(found) for found in self._marker.findall(html)):
            block = self.pending.pop(number, None)
            if block is None:
                continue
            output, clean = self._html(block)
            self.placed += 1
            for listener in block.listeners:
                listener(output, clean)
            marker = self.marker(number)
            # As Python-Markdown's raw-HTML step does with a stashed block, for this HTML.
            if block.md.postprocessors["raw_html"].isblocklevel(output):
                html = html.replace(f"<p>{marker}</p>", output)
            html = html.replace(marker, output)
        return html

    def _html(self, block: LateBlock) -> tuple[str, bool]:
        output = self.workers.output(block.identifier)
        if output is not None:
            return output, True
        # The worker handed it back: markdown-exec runs and reports it, naming the page.
        with counting_warnings(logging.getLogger("mkdocs")) as warnings:
            output = str(block.run_in_build(block.md))
        return output, warnings.count == 0


_workers: BlockWorkers | None = None
_late: LateBlocks | None = None
_languages: set[str] = set()
_started: subprocess.Popen | None = None  # a worker started with MkDocs, for the first build


def ahead_formatter(original):
    """Wrap markdown-exec's fence formatter so blocks run ahead are not run again."""

    def format(src, language, css_class, options, md, **kwargs):
        if _workers is not None and runs_ahead(options):
            identifier = block_id(language, src, options)
            if _late is not None and not _workers.ready(identifier):  # still being drawn
                run_in_build = lambda md: original(src, language, css_class, options, md, **kwargs)  # noqa: E731
                return _late.defer(identifier, run_in_build, md)
            output = _workers.output(identifier)
            if output is not None:
                return Markup(output)  # noqa: S704 - what markdown-exec returns for html="on"
        return original(src, language, css_class, options, md, **kwargs)

    format.__wrapped__ = original
    format.runs_blocks_ahead = True
    return format


def worker_count(cores: int | None = os.cpu_count()) -> int:
    """One worker per core but one: the build itself keeps rendering pages while they draw."""
    return max(1, (cores or 1) - 1)


def blocks_to_run(
    pages: Iterable[str | Path], languages: set[str], cache: cache_store.BuildCache | None
) -> dict[str, str]:
    """Every block of these pages the worker can run and the cache does not hold: {block_id: code}."""
    found: dict[str, str] = {}
    for text in page_texts(pages):
        for fence in fences(text):
            language = fence.info.split(" ", 1)[0]
            if fence.end is None or language not in languages:
                continue
            options = parsed_options(language, fence)
            source = "\n".join(fence.body)
            if options is None or not runs_ahead(options):
                continue
            if cache is not None and cache.has(cache.block_key(language, source, options)):
                continue
            found[block_id(language, source, options)] = source
    return found


def stop_workers() -> None:
    global _workers, _late
    if _workers is not None:
        late = f"; {_late.placed} put in place as their page was rendered" if _late and _late.placed else ""
        log.info(_workers.summary() + late)
        _workers.stop()
        _workers = None
    _late = None


def on_startup(command, dirty):
    # Python's start-up and the worker's imports take about 30 ms: done now, they overlap
    # MkDocs loading its configuration and theme instead of delaying the first chart.
    global _started
    if not cache_store.switched_off(SWITCH):
        _started = start_worker_process()


def take_started_worker() -> subprocess.Popen | None:
    global _started
    started, _started = _started, None
    return started


def on_shutdown():
    close_unused(take_started_worker())


def on_config(config):
    global _languages
    stop_workers()
    _languages = wrap_python_fences(config, ahead_formatter, "runs_blocks_ahead")


def on_pre_build(config):
    # MkDocs lists the files only after loading its theme; a walk of our own (cheap) starts
    # the workers sooner, and the sooner they start, the more of their work overlaps.
    global _workers, _late
    started = take_started_worker()
    blocks = {}
    try:
        if not cache_store.switched_off(SWITCH) and _languages:
            pages = (file.abs_src_path for file in get_files(config).documentation_pages())
            blocks = blocks_to_run(pages, _languages, cache_store.current)
    finally:
        if not blocks:  # nothing to draw, or the pages could not be read
            close_unused(started)
    if blocks:
        _workers = BlockWorkers(blocks, list(sys.path), min(len(blocks), worker_count()), started)
        _late = LateBlocks(_workers)


def on_page_content(html, page, config, files):
    if _late is not None:
        _late.page_converted()
    return html


@event_priority(100)  # before Material's search plugin reads the page for its index
def on_page_context(context, page, config, nav):
    if _late is not None and _late.pending:
        with rendering_page.rendering(page, config):
            page.content = _late.put_in_place(page.content)
    return context


def on_post_build(config):
    if _late is not None and _late.pending:  # another plugin replaced a page's HTML before it was rendered
        log.warning(
            f"{len(_late.pending)} code block(s) drawn ahead never reached their page; "
            f"build with {SWITCH}=1 to run them in the page instead"
        )
    stop_workers()


def on_build_error(error):
    stop_workers()
