"""Run a lesson's snippet exactly as a reader would: ``python snippets/NAME.py`` from the project root.

Not a hook: used by ``verified_output`` (the build) and
``scripts/update_expected.py``. Each run is a fresh interpreter, so:

- the output is what the reader's terminal shows (own ``__main__``, own process);
- a crash or an endless loop cannot take the build down with it: past its time
  limit it is killed, and it dies with the build if the build is stopped; so do
  the programs it started (it runs in a process group of its own, killed when it
  ends), and a program that left the group holding its output open counts
  against its time limit;
- standard input is empty, never the terminal;
- its traceback holds only the snippet's own frames.

What a run may do is checked: the snippet must be a ``.py`` file inside the
snippets folder (after ``..`` and links are resolved), its output is taken as
bytes and must be UTF-8 and at most ``output_limit`` bytes (a larger output is
counted, not kept), and it must not change files under ``docs/`` or the
snippets folder (``snippet_site`` records its file accesses). Results are
memoised per build by the snippet's bytes, so a snippet that a page both shows
and verifies runs once; clean runs are kept in the build cache
(``result_cache``) with the files they read (not a run whose inputs were saved
while it ran: their digests, taken after it, may not be what it read).

A snippet runs twice before its result counts (and is kept), the second time
with another hash seed: output that changes from run to run (a set of strings
printed in hash order, an unseeded random number, elapsed time) is reported,
since a reader would see other lines than the page. Not after a first run that
changed a file (anywhere: the second would find another world), and not when a
file it read was saved meanwhile. Output that changes only with the date passes
both runs: the cache cannot see the clock (the guide says so).
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as StillRunning
from dataclasses import dataclass, field
from pathlib import Path

from block_limits import bare_thread
from execution_settings import DEFAULT_OUTPUT_LIMIT, DEFAULT_TIMEOUT
from file_access import changed_since, inputs_digest, inside, note_inputs, outside, read_record
from markdown_fences import BlockSyntaxError, ExpectedBlock
from result_cache import ResultCache, cache_key

CACHE_KIND = "snippet run"
SITE = Path(__file__).resolve().parent / "snippet_site"  # its sitecustomize records file accesses
KEPT_STDERR = 64_000  # characters of standard error kept for a report
# A file's times come from the kernel's coarse clock, which lags the one time.time_ns reads by up to a
# tick (1 to 10 ms): a file saved just after a run began may carry an earlier time. Runs whose inputs were
# saved that close to their start are not stored either (the next build stores them).
TIMESTAMP_SLACK_NS = 100_000_000
OUTPUT_GRACE = 2.0  # seconds the end of a run's output may take to arrive after it ended, even at its limit
SECOND_RUN_FAILED = "\0second run failed\0"  # marks other_output that is a failure report, not output
SECOND_HASH_SEED = "1"  # a run is repeated with this seed (the first has "0"): output must not depend on it
WAKE_EVERY = 0.25  # seconds: how often a thread waiting for a run looks for a stop signal (see _wait)


class SnippetPathError(ValueError):
    """A snippet path the build will not run."""


@dataclass(frozen=True)
class RunResult:
    """What one run of a snippet produced."""

    snippet: str  # path as the reader types it, relative to the project root
    stdout: str  # decoded; empty when the output was too large or not UTF-8
    stderr: str
    returncode: int | None  # None when the time limit stopped it
    timeout: float
    output_size: int = 0  # bytes printed, all of them
    output_limit: float = DEFAULT_OUTPUT_LIMIT
    undecodable_at: int | None = None  # offset of the first byte that is not UTF-8
    changed: tuple[str, ...] = field(default_factory=tuple)  # project files it changed, relative
    head: str = ""  # the start of an output too large to keep whole, for the report
    # What the run read, as file_access names inputs ("file:PATH", "dir:PATH"); None if unknown.
    inputs: tuple[str, ...] | None = None
    # What a second run (another hash seed) printed, or how it failed, when that was not this run's output.
    other_output: str | None = None

    @property
    def timed_out(self) -> bool:
        return self.returncode is None

    @property
    def too_large(self) -> bool:
        return self.output_size > self.output_limit

    @property
    def ok(self) -> bool:
        return (self.returncode == 0 and not self.too_large and self.undecodable_at is None and not self.changed
                and self.other_output is None)


def snippet_file(root: Path, snippets_dir: str, snippet: str) -> Path:
    """The snippet's resolved path; SnippetPathError saying why if the build must not run it."""
    folder = (root / snippets_dir).resolve()
    path = (root / snippet).resolve()
    if not path.is_relative_to(folder):
        raise SnippetPathError(
            f"{snippet} is not inside the snippets folder {snippets_dir}/ (after resolving .. and links); "
            f"put the snippet there and name it as {snippets_dir}/NAME.py"
        )
    if path.is_dir():
        raise SnippetPathError(f"{snippet} is a folder, not a snippet file; name a .py file inside it")
    if path.suffix != ".py":
        raise SnippetPathError(f"{snippet} is not a Python file; a snippet is a .py file run with python")
    if not path.is_file():
        raise FileNotFoundError(snippet)
    return path


class SnippetRunner:
    """Runs snippets under one project root, each distinct source once per build.

    ``start`` launches a run in the background (the build starts every page's
    snippets when it begins, so they run on another core while pages render);
    ``run`` waits for it.
    """

    def __init__(
        self,
        root: Path,
        python: str = sys.executable,
        *,
        snippets_dir: str = "snippets",
        output_limit: float = DEFAULT_OUTPUT_LIMIT,
        protected: tuple[str, ...] = (),
        cache: ResultCache | None = None,
        installation_key: str = "",
        installation: tuple[str, ...] = (),
    ) -> None:
        self.root = root
        self.python = python
        self.snippets_dir = snippets_dir
        self.output_limit = output_limit
        self.protected = protected or (str(root / "docs"), str(root / snippets_dir))
        self.cache = cache
        self.installation_key = installation_key
        self.installation = installation
        # Runs at once: one core is left to the build itself, which renders pages meanwhile.
        self._slots = threading.Semaphore(max(1, (os.cpu_count() or 1) - 1))
        self._runs: dict[tuple[str, str, float], Future[RunResult]] = {}
        self._lock = threading.Lock()
        self._live: set[subprocess.Popen] = set()  # snippet processes running now
        self._started_in = dict(os.environ)

    def start(self, snippet: str, timeout: float = DEFAULT_TIMEOUT) -> Future[RunResult]:
        """Begin running ``python <snippet>``; FileNotFoundError or SnippetPathError if it cannot be run."""
        source = snippet_file(self.root, self.snippets_dir, snippet).read_bytes()
        key = (snippet, hashlib.sha256(source).hexdigest(), timeout)
        with self._lock:
            if key not in self._runs:
                self._runs[key] = Future()
                # A bare thread (block_limits.bare_thread: blocks running meanwhile do not see it): if the build
                # is interrupted, it ends with the process, and its snippet with it (snippet_site's
                # _die_with_the_build), instead of the process waiting for the snippet.
                future, args = self._runs[key], key
                bare_thread(lambda: self._fill(future, *args))
            return self._runs[key]

    def _fill(self, future: Future[RunResult], *key) -> None:
        with self._slots:
            try:
                future.set_result(self._cached_or_executed(*key))
            except BaseException as error:
                future.set_exception(error)

    def run(self, snippet: str, timeout: float = DEFAULT_TIMEOUT) -> RunResult:
        """Run ``python <snippet>`` from the root (or wait for the run already started)."""
        return _wait(self.start(snippet, timeout)).result()

    def close(self) -> None:
        """Wait for the runs under way (each ends by its time limit at the latest)."""
        for future in list(self._runs.values()):
            _wait(future)

    def stop(self) -> None:
        """End every run under way now (the build failed: nobody will read them)."""
        with self._lock:
            for process in self._live:
                _kill_group(process)
        self.close()

    def _environment(self) -> dict[str, str]:
        # The build's environment as the runner was made, as a reader's shell has it: a markdown-exec block
        # that sets a variable in the build's process while snippets wait their turn does not reach them.
        # No __pycache__ written into the snippets folder: under `mkdocs serve` it would trigger another build.
        return {
            **self._started_in, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1", "PYTHONHASHSEED": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def _cached_or_executed(self, snippet: str, source_hash: str, timeout: float) -> RunResult:
        environment = self._environment()
        key = cache_key(CACHE_KIND, [snippet, source_hash, timeout, self.output_limit], self.installation_key, environment)
        hit = self.cache.get_with_inputs(CACHE_KIND, key) if self.cache else None
        if hit is not None:
            value, inputs = hit
            return RunResult(
                snippet, value["stdout"], value["stderr"], 0, timeout, value["size"], self.output_limit,
                inputs=tuple(inputs),
            )
        started_ns = time.time_ns()
        result, accesses = self._execute(snippet, timeout, environment)
        if result.ok and accesses is not None and not accesses["changed"]:
            result = self._run_again(snippet, timeout, environment, result, accesses, started_ns)
        if accesses is None or accesses["unseen"]:  # inputs not known (it started a program): not cached
            return result
        read = outside(accesses["read"], self.installation)
        listed = outside(accesses["listed"], self.installation)
        inputs = inputs_digest(read, listed)
        # A run that changed any file is not stored: skipping it on a later build would skip the change,
        # which the snippet itself, or a later block, may read back (a count kept in a file). Nor is one
        # whose inputs were saved while it ran: their digests, taken now, may not be what it read.
        saved_meanwhile = any(changed_since(path, started_ns - TIMESTAMP_SLACK_NS) for path in read | listed)
        if result.ok and not accesses["changed"] and not saved_meanwhile and self.cache is not None:
            value = {"stdout": result.stdout, "stderr": result.stderr, "size": result.output_size}
            self.cache.put(key, value, inputs)
        return dataclasses.replace(result, inputs=tuple(sorted(inputs)))

    def _run_again(
        self, snippet: str, timeout: float, environment: dict[str, str], first: RunResult, accesses: dict, started_ns: int
    ) -> RunResult:
        """The first run, or the same with what a second run printed when that differs.

        The second run has another hash seed: a snippet that prints a set of strings (or anything else that
        changes between runs: random numbers, times) shows a reader other lines than the page. Only after a
        first run that changed no file (a second one would find another world: a count it keeps, a file it
        made), and no difference counts when a file the run read was saved meanwhile (its data changed).
        """
        again, _ = self._execute(snippet, timeout, {**environment, "PYTHONHASHSEED": SECOND_HASH_SEED})
        if again.ok and again.stdout == first.stdout:
            return first
        read = outside(accesses["read"], self.installation) | outside(accesses["listed"], self.installation)
        if any(changed_since(path, started_ns - TIMESTAMP_SLACK_NS) for path in read):
            return first
        return dataclasses.replace(first, other_output=again.stdout if again.ok else SECOND_RUN_FAILED + failure_report(again))

    def _execute(self, snippet: str, timeout: float, environment: dict[str, str]) -> tuple[RunResult, dict | None]:
        fd, record = tempfile.mkstemp(prefix="snippet-record-", suffix=".txt")
        os.close(fd)
        pythonpath = environment.get("PYTHONPATH")
        env = {
            **environment, "PYTHONPATH": os.pathsep.join(filter(None, [str(SITE), pythonpath])),
            "CODE_EXECUTION_RECORD": record, "CODE_EXECUTION_PARENT": str(os.getpid()),  # snippet_site reads both
        }
        if pythonpath is not None:
            env["CODE_EXECUTION_PYTHONPATH"] = pythonpath
        try:
            # A process group of its own: what the snippet starts and leaves running is stopped with it.
            process = subprocess.Popen(
                [self.python, snippet], cwd=self.root, env=env, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, process_group=0,
            )
            deadline = time.monotonic() + timeout
            with self._lock:
                self._live.add(process)
            stdout = _CappedReader(process.stdout, int(self.output_limit))
            stderr = _CappedReader(process.stderr, KEPT_STDERR)
            ended = False
            try:
                ended = _wait_unreaped(process, timeout)
            finally:  # ended, at its limit, or Ctrl-C / the build stopped: its group stops with it
                _kill_group(process)
                status = process.wait()
                with self._lock:
                    self._live.discard(process)
            returncode: int | None = status if ended else None
            # A program that left the group (a daemon) may still hold the output open: wait no longer than the limit.
            if not (stdout.join(deadline) and stderr.join(deadline)):
                returncode = None
            accesses = _read_record(record) if returncode is not None else None
        finally:
            Path(record).unlink(missing_ok=True)
        changed = sorted(inside((accesses or {}).get("changed", []), self.protected))
        text, undecodable = _decoded(stdout.kept) if stdout.size <= self.output_limit else ("", None)
        head = stdout.kept[:2000].decode("utf-8", "replace") if stdout.size > self.output_limit else ""
        result = RunResult(
            snippet, text, self._relative(stderr.kept.decode("utf-8", "replace")), returncode, timeout,
            stdout.size, self.output_limit, undecodable, tuple(os.path.relpath(p, self.root) for p in changed), head,
        )
        return result, accesses

    def _relative(self, traceback: str) -> str:
        # Python writes the script's absolute path; the reader typed the relative one.
        return traceback.replace(f'File "{self.root}{os.sep}', 'File "')


class _CappedReader:
    """Reads a pipe to its end in a thread, keeping at most ``limit`` + 1 bytes and counting all."""

    def __init__(self, stream, limit: int) -> None:
        self.kept = b""
        self.size = 0
        self._parts: list[bytes] = []
        self._stream, self._limit = stream, limit
        self._ended = bare_thread(self._drain)

    def _drain(self) -> None:
        kept = 0
        while chunk := self._stream.read1(65536):
            self.size += len(chunk)
            if kept <= self._limit:
                self._parts.append(chunk[: self._limit + 1 - kept])
                kept += len(self._parts[-1])
        self._stream.close()

    def join(self, deadline: float) -> bool:
        """Wait for the end of the output until ``deadline`` (monotonic seconds); False if it is still open."""
        ended = self._ended(max(OUTPUT_GRACE, deadline - time.monotonic()))
        self.kept = b"".join(self._parts)
        return ended


def _wait_unreaped(process: subprocess.Popen, timeout: float) -> bool:
    """True when the process ended within ``timeout``. It is left unreaped (a zombie), so its id still
    names its process group and ``_kill_group`` cannot reach another program's."""
    try:
        handle = os.pidfd_open(process.pid)
    except (AttributeError, OSError):  # not Linux 5.3+: wait for it (the group is then killed by id after)
        try:
            process.wait(timeout=timeout)
            return True
        except subprocess.TimeoutExpired:
            return False
    try:  # readable once the process has ended (a thread of its own waits here, never the build's main one)
        return bool(select.select([handle], [], [], timeout)[0])
    finally:
        os.close(handle)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass  # nothing of it is left running


def _wait(future: Future[RunResult]) -> Future[RunResult]:
    """The future, once done, waited for in short steps.

    The system may hand a stop signal (Ctrl-C, SIGTERM) to any thread of the build, but Python acts on it
    only in the main thread, and only when that thread runs Python code: a wait without a time limit would
    hold the build until the snippet's own limit (tests/test_time_limits.py sends it to another thread).
    """
    while True:
        try:
            future.exception(timeout=WAKE_EVERY)
            return future
        except StillRunning:
            continue


def _decoded(output: bytes) -> tuple[str, int | None]:
    try:
        return output.decode("utf-8"), None
    except UnicodeDecodeError as error:
        return "", error.start


def _read_record(path: str) -> dict | None:
    try:
        text = Path(path).read_text(encoding="utf-8", errors="surrogateescape")
        return read_record(text)
    except (OSError, ValueError):
        return None  # it exited without writing one (os._exit, a signal): nothing is known


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
        note_inputs(result.inputs)  # what it read (None: not known), for serve_rebuilds
    except BlockSyntaxError as error:
        return BlockRun(None, str(error), "Expected output block is malformed")
    except SnippetPathError as error:
        return BlockRun(None, f"{error}. Nothing was run.", "Snippet path refused")
    except FileNotFoundError:
        problem = (
            f"snippet file {block.snippet} does not exist (paths are relative to {runner.root}); "
            'fix expected-output="..." or add the file.'
        )
        return BlockRun(None, problem, "Snippet file not found")
    if result.returncode != 0:
        return BlockRun(result, failure_report(result), f"{block.snippet} did not run to the end", "pytb")
    if result.changed:
        problem = (
            f"{block.snippet} changed files of the project while the site was built: {', '.join(result.changed)}. "
            "A snippet must not write under docs/ or the snippets folder; write under a temporary folder "
            "(tempfile) instead, and delete a file it made there (it would be published with the site) or restore "
            "one it changed (git checkout -- PATH)."
        )
        return BlockRun(result, problem, f"{block.snippet} changed project files")
    if result.too_large:
        problem = (
            f"{block.snippet} printed {result.output_size:,} bytes, more than the limit of {result.output_limit:,.0f} "
            "(extra.code_execution.output_limit); an expected output is text for a reader. It began:\n"
            + cut(result.head, 20)
        )
        return BlockRun(result, problem, f"{block.snippet} printed too much")
    if result.undecodable_at is not None:
        problem = (
            f"{block.snippet} printed bytes that are not UTF-8 text (first at byte offset {result.undecodable_at}); "
            "print text, or encode what you print as UTF-8."
        )
        return BlockRun(result, problem, f"{block.snippet} printed bytes that are not text")
    if result.other_output is not None and result.other_output.startswith(SECOND_RUN_FAILED):
        problem = (
            f"{block.snippet} ran to the end once, but not when it ran again (with another hash seed): a reader "
            "who runs it may see it fail. Make it behave the same on every run.\n\n"
            + result.other_output[len(SECOND_RUN_FAILED):]
        )
        return BlockRun(result, problem, f"{block.snippet} fails on some runs", "pytb")
    if result.other_output is not None:
        changes = difflib.unified_diff(result.stdout.splitlines(), result.other_output.splitlines(),
                                       "first run", "second run", lineterm="")
        problem = (
            f"{block.snippet} printed something else when it ran again (with another hash seed), so a reader who "
            f"runs python {block.snippet} may not see what the page shows. Make its output the same on every run: "
            "print a set's items sorted, seed a random generator, leave out times and dates.\n" + cut("\n".join(changes), 40)
        )
        return BlockRun(result, problem, f"{block.snippet} prints different output each run")
    return BlockRun(result)


def cut(text: str, lines: int) -> str:
    """At most ``lines`` lines of ``text``, saying how many were left out."""
    kept = text.splitlines()
    if len(kept) <= lines:
        return "\n".join(kept)
    return "\n".join(kept[:lines] + [f"... ({len(kept) - lines} more lines not shown)"])


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
        headline = f"{result.snippet} ran longer than its time limit of {result.timeout:g} s and was stopped"
        advice = (
            "Make it finish faster, or raise the limit: timeout=\"SECONDS\" on the expected-output block, "
            "or extra.code_execution.timeout in mkdocs.yml."
        )
    else:
        line = failing_line(result)
        where = f"{result.snippet}:{line}" if line else result.snippet
        last = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"exit code {result.returncode}"
        headline = f"{result.snippet} failed at {where}: {last}"
        advice = f"Fix the snippet, then check it alone with: python {result.snippet}"
    sections = [headline]
    if result.stdout:
        sections.append("Output before it stopped:\n" + cut(result.stdout.rstrip("\n"), 40))
    if result.stderr.strip():
        sections.append(result.stderr.rstrip("\n"))
    sections.append(advice)
    return "\n\n".join(sections)
