"""How a markdown-exec block's output reaches the page: run under its limits, or replayed from the cache.

Not a hook: ``code_execution`` wraps every fence markdown-exec registers with
``BlockRunner.wrap`` (the fences are plain entries of pymdownx.superfences'
documented ``custom_fences`` setting; the wrapper calls markdown-exec's own
formatter, never its internals). markdown-exec stays the only thing that runs a
block and writes its HTML, so the page is what markdown-exec alone makes of it.
What the wrapper adds:

- **Limits** (``block_limits``): a time limit (``extra.code_execution.timeout``,
  or ``timeout="SECONDS"`` on the fence line, which markdown-exec passes through
  unused) and standard input at end-of-file, for every block of every language.
- **A guard:** a block that changes, creates or deletes files under ``docs/`` or
  the snippets folder is reported with its page and line (write under a
  temporary folder instead).
- **Checks:** a raw-HTML block (``html="on"``, a chart) that prints nothing, or
  whose SVG carries a ``<style>`` (it would style the whole page) or a date
  (builds would differ), is reported with its page and line.
- **The cache** (``result_cache``), for *chart blocks* only: Python blocks with
  ``html="on"`` and no ``session`` or ``source``, whose printed text is their
  HTML. When one must run, the modules of the project (anything imported from
  outside the Python installation) are imported afresh for it, so what it prints
  depends only on its code, its environment and the files it reads, all of
  which are recorded; that is also why a chart block does not see changes that
  earlier blocks made to such modules (blocks that build on one another belong
  in a ``session``, which is never cached). What it sees of the process that earlier
  blocks may have changed (the working directory, matplotlib's settings and more:
  ``process_state``) is part of its key. It is stored only when it ran cleanly (no
  warning, no file of the project changed, no program started, nothing said
  around the recorded streams and log, its own block number not in its
  output or log, the random generator untouched, no pyplot figure open) and printed
  something, with the modules it imported and the settings it left; it is reused
  only if importing those modules again leaves the settings so, and the blocks
  after it see the settings a clean build leaves them. A reused block is
  still run by markdown-exec, as a one-line program printing the stored HTML, so
  markdown-exec numbers and registers it exactly as before; the log records
  below WARNING (a run that warned is not stored) and the standard-error and
  standard-output text of its first run are replayed, so a warm build's log says what a clean build's said.
"""

from __future__ import annotations

import io
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from block_limits import TimeLimitExceeded, limits
from file_access import inputs_digest, inside, outside, recording
from markdown_fences import fences, positive_seconds
import process_state
from result_cache import ResultCache, cache_key

log = logging.getLogger("mkdocs.hooks.code_blocks")
KIND = "chart block"
PYTHON_LANGUAGES = frozenset({"python", "py"})
WRAPPED = "code_execution_wrapped"  # set on a wrapped formatter, so a fence is wrapped once


def is_chart_block(language: str, options: dict) -> bool:
    """A block the cache may hold: Python printing raw HTML, sharing no session, showing no source."""
    return language in PYTHON_LANGUAGES and bool(options.get("html")) and not options.get("session") and not options.get("source")


@dataclass
class PageInProgress:
    """The page whose Markdown is being converted: blocks are reported with its path and their line."""

    label: str  # as a contributor types the path
    path: str  # absolute, to find a block's line
    text: str | None = None

    def line_of(self, code: str) -> int | None:
        """1-based line of the first fence in the page's file whose body is this code."""
        if self.text is None:
            try:
                self.text = Path(self.path).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                self.text = ""
        for fence in fences(self.text):
            if "\n".join(fence.body).strip("\n") == code.strip("\n"):
                return fence.start + 1
        return None

    def where(self, code: str) -> str:
        line = self.line_of(code)
        return f"{self.label}:{line}" if line else self.label


@dataclass
class Replayable:
    """What a block's run logged and wrote to standard error, to say again when it is reused."""

    records: list[tuple[str, int, str]] = field(default_factory=list)  # logger, level, message
    stderr: str = ""
    stdout: str = ""  # what it wrote to the build's standard output (its print() goes to the page instead)

    def replay(self) -> None:
        for name, level, message in self.records:
            logging.getLogger(name).log(level, message)
        if self.stdout:
            sys.stdout.write(self.stdout)
        if self.stderr:
            sys.stderr.write(self.stderr)


@dataclass
class BlockRunner:
    """Runs the blocks of one build: limits, guard, check and cache (see the module docstring)."""

    timeout: float
    protected: tuple[str, ...]  # absolute folders code must not change: docs and snippets
    project_root: str
    installation: tuple[str, ...]  # folders of Python and its packages (result_cache.installation_folders)
    installation_key: str  # result_cache.installation_digest
    cache: ResultCache  # switched off, it stores and finds nothing (NO_BUILD_CACHE=1)
    page: PageInProgress | None = None
    _excluded_prefixes: tuple = ()

    def wrap(self, original: Callable) -> Callable:
        def format(src, language, css_class, options, md, **kwargs):
            return self.format(original, src, language, css_class, options, md, **kwargs)

        setattr(format, WRAPPED, True)
        return format

    def format(self, original: Callable, src: str, language: str, css_class, options: dict, md, **kwargs):
        page = self.page or PageInProgress("(a page)", "")
        run = lambda code: original(code, language, css_class, options, md, **kwargs)  # noqa: E731
        seconds = self._time_limit(options, page, src)
        if not is_chart_block(language, options):
            html, _, _ = self._run(run, src, seconds, page, record=False)
            return html
        code, before = [language, src, _cacheable_options(options)], process_state.snapshot()
        key = cache_key(KIND, code, self.installation_key, os.environ, process_state.seen(before))
        loaded = set(sys.modules)  # before a rejected reuse may import some: they are the run's imports too
        # Reused only if importing what its run imported leaves the settings as its run left them.
        hit = self.cache.get(KIND, key, lambda value: process_state.reproduce(value["imports"], value["left"], seconds))
        if hit is not None:
            Replayable(**hit["replay"]).replay()
            html = run(f"print({hit['html']!r}, end='')")  # markdown-exec prints it, numbering the block as ever
        else:
            set_aside = self._set_aside_own_modules()
            try:
                html, accesses, replay = self._run(run, src, seconds, page, record=True)
            finally:
                self._put_back(set_aside)
            after = process_state.snapshot()
            if replay is not None and str(html) and process_state.storable(before, after):
                imports = [name for name in sys.modules if name not in loaded and self._importable_again(name)]
                value = {"html": str(html), "replay": replay.__dict__, "imports": imports, "left": process_state.seen(after)}
                inputs = outside(accesses.read, self.installation)
                listed = outside(accesses.listed, self.installation)
                self.cache.put(key, value, inputs_digest(inputs, listed))
        for problem in chart_problems(str(html)):
            log.warning(f"{page.where(src)}: this chart's SVG {problem}")
        return html

    def _run(self, run: Callable, src: str, seconds: float, page: PageInProgress, record: bool):
        """The block's HTML, what it accessed, and its replayable log (None if it must not be stored)."""
        where = page.where(src)
        loaded = set(sys.modules)
        with _capturing() as (replay, warnings), recording() as accesses, _no_bytecode_files():
            try:
                with limits(seconds, where):
                    html = run(src)
            except TimeLimitExceeded as stopped:  # it expired inside markdown-exec itself
                log.warning(f"{where}: this code block {stopped}")
                html = Markup(f"<pre><code>{escape(str(stopped))}</code></pre>")
        new_modules = set(sys.modules) - loaded
        accesses.read |= self._module_files(new_modules)
        changed = sorted(inside(accesses.changed, self.protected))
        if changed:
            log.warning(
                f"{where}: this code block changed files of the project while the site was built: "
                f"{', '.join(os.path.relpath(p, self.project_root) for p in changed)}. Code run at build time "
                "must not write under docs/ or the snippets folder; write under a temporary folder (tempfile) instead."
            )
        if record and not str(html) and not warnings.count:
            log.warning(
                f'{where}: this chart block (html="on") printed nothing, so the page shows nothing in its place; '
                "print the chart's HTML (for example print(svg)), or drop html=\"on\""
            )
        # markdown-exec runs a block as a module named after its number in the build (_code_block_n7_);
        # output that shows it cannot be reused where the block has another number.
        shown = "\n".join([str(html), replay.stderr, replay.stdout, *(message for _, _, message in replay.records)])
        numbered = any(_shows_its_number(name, shown) for name in new_modules if name.startswith("_code_block_"))
        # A program the block started read files that were not recorded: its result cannot be checked. A
        # block that wrote files of the project (a count it keeps in data/) must write them on every build,
        # as without the cache; and one that went around what records its log and output cannot be replayed.
        wrote = inside(accesses.changed, [self.project_root])
        clean = (
            record and not wrote and warnings.count == 0 and not warnings.bypassed and not numbered
            and not accesses.unseen
        )
        return html, accesses, replay if clean else None

    def _time_limit(self, options: dict, page: PageInProgress, src: str) -> float:
        raw = (options.get("extra") or {}).get("timeout")
        if raw is None:
            return self.timeout
        seconds = positive_seconds(raw)
        if seconds is None:
            log.warning(f'{page.where(src)}: timeout="{raw}" must be a positive number of seconds; using {self.timeout:g}')
            return self.timeout
        return seconds

    def _own_module_names(self) -> list[str]:
        return [  # not __main__: the program that runs the build (a script of its own, for some)
            name for name, module in list(sys.modules.items())
            if name != "__main__" and self._is_own_file(getattr(module, "__file__", None) or "")
        ]

    def _is_own_file(self, path: str) -> bool:
        """A file of a module that is neither the Python installation's nor these hooks': the project's
        own modules, and any other folder on sys.path (a course library next to the project). Their
        files are inputs of the blocks that import them; the key covers the installation by versions.
        (A prefix test: it runs for every loaded module before each chart block that runs.)"""
        if not self._excluded_prefixes:
            hooks = os.path.dirname(os.path.abspath(__file__))
            self._excluded_prefixes = tuple(os.path.join(folder, "") for folder in (*self.installation, hooks))
        return os.path.isabs(path) and not path.startswith(self._excluded_prefixes)

    def _importable_again(self, name: str) -> bool:
        """A module a reused block imports again: not an own module (imported afresh by each block that
        runs) nor markdown-exec's module for the block itself (_code_block_n7_)."""
        if name.startswith("_code_block_"):
            return False
        return not self._is_own_file(getattr(sys.modules.get(name), "__file__", None) or "")

    def forget_project_modules(self) -> None:
        """So the next block imports them afresh (an edited module is read again), each file recorded."""
        for name in self._own_module_names():
            del sys.modules[name]

    def _set_aside_own_modules(self) -> dict[str, object]:
        """Take the own modules out of sys.modules, so the block that runs now imports them afresh and each
        file it imports is recorded as read; ``_put_back`` returns them when it ends."""
        return {name: sys.modules.pop(name) for name in self._own_module_names()}

    def _put_back(self, set_aside: dict[str, object]) -> None:
        """The build's copies of the modules again, for the blocks after this one (a session holding an
        object of a module's class still finds the same class); the block's fresh copies are dropped.
        So is an own module the block imported for the first time while others were set aside, as it may
        hold the fresh copies: the next block that imports it imports it again, from the build's copies."""
        if set_aside:
            for name in self._own_module_names():
                if name not in set_aside:
                    del sys.modules[name]
        sys.modules.update(set_aside)

    def _module_files(self, names: set[str]) -> set[str]:
        files = {getattr(sys.modules.get(name), "__file__", None) for name in names}
        return {f for f in files if f and self._is_own_file(f)}


_PAGE_WIDE_STYLE = re.compile(r"<style\b", re.IGNORECASE)
_DATE = re.compile(r"<dc:date>", re.IGNORECASE)


def _shows_its_number(module_name: str, text: str) -> bool:
    """Whether the text shows markdown-exec's number for the block run as this module: in the module's
    name (_code_block_n7_) or its file's (<code block: n7>, also HTML-escaped or with a title after it)."""
    number = re.match(r"_code_block_(n\d+)", module_name)
    if number is None:
        return module_name.strip("_") in text
    return re.search(rf"code[_ ]block(?:_|: ){number[1]}(?!\d)", text) is not None


def chart_problems(html: str) -> list[str]:
    """What a chart's HTML must not carry: a <style> (it applies to the whole page) or a date (builds differ)."""
    problems = []
    if "<svg" in html and _PAGE_WIDE_STYLE.search(html):
        problems.append(
            "has a <style> element, which styles the whole page, not only the chart; draw with the chart kit "
            "(snippets/chart_kit.py), or remove the <style> from the SVG"
        )
    if "<svg" in html and _DATE.search(html):
        problems.append(
            "carries a date (<dc:date>), so two builds differ; draw with the chart kit (snippets/chart_kit.py), "
            'or save with metadata={"Date": None}'
        )
    return problems


def _cacheable_options(options: dict) -> dict:
    return {name: value for name, value in options.items() if name != "extra"} | {"extra": options.get("extra") or {}}


class _Counter:
    """The log records made while a block runs, from any logger, counted by what Python's logging makes
    (``setLogRecordFactory``): a handler on the root logger would change what the block's own logging
    does (no ``basicConfig``, no last-resort handler for a logger without one)."""

    def __init__(self) -> None:
        self.count = 0
        self.records: list[tuple[str, int, str]] = []
        self.listening = True
        self.bypassed = False  # the block replaced the record factory or a stream, or wrote bytes under them

    def note(self, record: logging.LogRecord) -> None:
        if not self.listening:
            return
        if record.levelno >= logging.WARNING:
            self.count += 1
        else:
            self.records.append((record.name, record.levelno, record.getMessage()))


class _Tee:
    """A standard stream that also keeps a copy of what is written to it."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.kept = io.StringIO()
        self.raw_used = False  # its bytes (buffer) or file descriptor were asked for: writes there are not kept

    def write(self, text: str) -> int:
        self.kept.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name):
        if name in ("buffer", "fileno"):
            self.raw_used = True
        return getattr(self.stream, name)


@contextmanager
def _capturing() -> Iterator[tuple[Replayable, _Counter]]:
    """Log records, and what is written to the build's standard error and output."""
    counter = _Counter()
    previous = logging.getLogRecordFactory()

    def making(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        counter.note(record)
        return record

    logging.setLogRecordFactory(making)
    replay = Replayable()
    err, out = _Tee(sys.stderr), _Tee(sys.stdout)
    sys.stderr, sys.stdout = err, out
    try:
        yield replay, counter
    finally:
        # Left as the block left them if it replaced them itself; then what it logged or wrote is not
        # all known, and the run is not stored.
        counter.bypassed = not (sys.stderr is err and sys.stdout is out and logging.getLogRecordFactory() is making)
        counter.bypassed |= err.raw_used or out.raw_used
        if sys.stderr is err:
            sys.stderr = err.stream
        if sys.stdout is out:
            sys.stdout = out.stream
        counter.listening = False
        if logging.getLogRecordFactory() is making:
            logging.setLogRecordFactory(previous)
        replay.records, replay.stderr, replay.stdout = counter.records, err.kept.getvalue(), out.kept.getvalue()


@contextmanager
def _no_bytecode_files() -> Iterator[None]:
    """Imports write no __pycache__ into the project: under ``mkdocs serve`` that would trigger another build."""
    before, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        yield
    finally:
        sys.dont_write_bytecode = before
