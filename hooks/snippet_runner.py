"""Run a lesson snippet the way a reader does, and describe what went wrong.

Not a hook itself: ``verified_output.py`` and ``scripts/update_expected.py`` both
use it. A snippet runs as ``python <path>`` in a subprocess, from the project
root, with a time limit, so that:

- it prints exactly what a reader's terminal shows (fresh interpreter, own
  ``__main__``);
- a crash or an endless loop cannot take the build down with it;
- its traceback holds only the snippet's own frames, never the build's.

Results are memoised by the snippet's bytes, so a snippet that a build both
shows and verifies runs once; successful runs are also kept in the build cache
(``cache_store``) when one is set up.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cache_store
from markdown_fences import BlockSyntaxError, ExpectedBlock

DEFAULT_TIMEOUT = 30.0
CACHE_KIND = "snippet run"


@dataclass(frozen=True)
class RunResult:
    """What one run of a snippet produced."""

    snippet: str  # path as the reader types it, relative to the project root
    stdout: str
    stderr: str
    returncode: int | None  # None when the time limit stopped it
    timeout: float

    @property
    def timed_out(self) -> bool:
        return self.returncode is None

    @property
    def ok(self) -> bool:
        return self.returncode == 0


class SnippetRunner:
    """Runs snippets under one project root, each distinct source once.

    ``start`` launches a run in the background (the build starts every page's
    snippets up front, so they run while charts are drawn); ``run`` waits for it.
    """

    def __init__(self, root: Path, python: str = sys.executable, workers: int | None = None) -> None:
        self.root = root
        self.python = python
        self._pool = ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1)
        self._runs: dict[tuple[str, str, float], Future[RunResult]] = {}
        self._lock = threading.Lock()

    def start(self, snippet: str, timeout: float = DEFAULT_TIMEOUT) -> Future[RunResult]:
        """Begin running ``python <snippet>``; raise FileNotFoundError if it is missing."""
        source = (self.root / snippet).read_bytes()  # FileNotFoundError names the path
        key = (snippet, hashlib.sha256(source).hexdigest(), timeout)
        with self._lock:
            if key not in self._runs:
                self._runs[key] = self._pool.submit(self._cached_or_executed, *key)
            return self._runs[key]

    def run(self, snippet: str, timeout: float = DEFAULT_TIMEOUT) -> RunResult:
        """Run ``python <snippet>`` from the root (or wait for the run already started)."""
        return self.start(snippet, timeout).result()

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def _cached_or_executed(self, snippet: str, source_hash: str, timeout: float) -> RunResult:
        cache = cache_store.current
        if cache is None:
            return self._execute(snippet, timeout)
        key = cache.key(CACHE_KIND, snippet, source_hash, timeout)
        hit = cache.get(CACHE_KIND, key)
        if hit is not None:
            return RunResult(snippet, hit["stdout"], hit["stderr"], 0, timeout)
        result = self._execute(snippet, timeout)
        if result.ok:  # failures are never stored: they run again next time
            cache.put(CACHE_KIND, key, {"stdout": result.stdout, "stderr": result.stderr})
        return result

    def _execute(self, snippet: str, timeout: float) -> RunResult:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1", "PYTHONHASHSEED": "0"}
        try:
            done = subprocess.run(
                [self.python, snippet],
                cwd=self.root,
                env=env,
                capture_output=True,
                text=True,
                encoding="utf-8",
                timeout=timeout,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired as stopped:
            return RunResult(snippet, _text(stopped.stdout), self._relative(_text(stopped.stderr)), None, timeout)
        return RunResult(snippet, done.stdout, self._relative(done.stderr), done.returncode, timeout)

    def _relative(self, traceback: str) -> str:
        # Python writes the script's absolute path; the reader typed the relative one.
        return traceback.replace(f'File "{self.root}{os.sep}', 'File "')


def _text(partial: bytes | str | None) -> str:
    if partial is None:
        return ""
    return partial.decode("utf-8", "replace") if isinstance(partial, bytes) else partial


@dataclass(frozen=True)
class BlockRun:
    """A block's snippet run, or why there is no output to compare with the block."""

    result: RunResult | None
    problem: str = ""  # the report, when result is None or did not run to the end
    headline: str = ""  # a short title for that report
    report_language: str = "text"  # how to highlight the report: a traceback is "pytb"


def run_block(runner: SnippetRunner, block: ExpectedBlock, default_timeout: float) -> BlockRun:
    """Run the snippet an expected-output block names, as the build and the update command both do."""
    try:
        result = runner.run(block.snippet, block.timeout(default_timeout))
    except BlockSyntaxError as error:
        return BlockRun(None, str(error), "Expected output block is malformed")
    except FileNotFoundError:
        problem = (
            f"snippet file {block.snippet} does not exist (paths are relative to {runner.root}); "
            'fix expected-output="..." or add the file.'
        )
        return BlockRun(None, problem, "Snippet file not found")
    if not result.ok:
        return BlockRun(result, failure_report(result), f"{block.snippet} did not run to the end", "pytb")
    return BlockRun(result)


_FRAME = re.compile(r'^  File "(?P<file>[^"]+)", line (?P<line>\d+)', re.MULTILINE)


def failing_line(result: RunResult) -> int | None:
    """The line of the snippet itself where the exception was raised (its deepest own frame)."""
    lines = [
        int(m["line"]) for m in _FRAME.finditer(result.stderr) if _same_file(m["file"], result.snippet)
    ]
    return lines[-1] if lines else None


def _same_file(reported: str, snippet: str) -> bool:
    return Path(reported).as_posix().endswith(Path(snippet).as_posix())


def failure_report(result: RunResult) -> str:
    """A plain-text account of a failed run: where, what it printed, and the traceback."""
    if result.timed_out:
        headline = f"{result.snippet} ran longer than its {result.timeout:g} s time limit and was stopped"
        advice = (
            "Make it finish faster, or raise the limit: timeout=\"SECONDS\" on the expected-output block, "
            "or extra.verified_output.timeout in mkdocs.yml."
        )
    else:
        line = failing_line(result)
        where = f"{result.snippet}:{line}" if line else result.snippet
        last = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"exit code {result.returncode}"
        headline = f"{result.snippet} failed at {where}: {last}"
        advice = f"Fix the snippet, then check it alone with: python {result.snippet}"
    sections = [headline]
    if result.stdout:
        sections.append("Output before it stopped:\n" + result.stdout.rstrip("\n"))
    if result.stderr.strip():
        sections.append(result.stderr.rstrip("\n"))
    sections.append(advice)
    return "\n\n".join(sections)
