"""Nothing a page runs can hang the build: every block has a time limit, input is at end-of-file, nothing outlives the build."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, build, fixture_project, mkdocs_env
from test_serve import serving, wait_for

import block_limits

LIMIT = 1  # the fixture's timeout="1"
SLACK = 10  # the bound: the limit plus 10 s


def fence_above(text: str, fixture: str = "hangs", page: str = "docs/index.md") -> int:
    """1-based line of the opening fence of the block holding ``text``."""
    lines = (FIXTURES / fixture / page).read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if text in line)
    return next(i for i in range(at, -1, -1) if lines[i].startswith("```")) + 1


def test_hanging_blocks_stop_within_their_limit_naming_page_and_line(tmp_path):
    started = time.monotonic()
    result = build(fixture_project("hangs", tmp_path))
    elapsed = time.monotonic() - started
    assert result.returncode == 1
    # Three blocks with a limit of 1 s and one that reads input: far under 4 x (1 + 10) s.
    assert elapsed < 3 * LIMIT + SLACK, f"the build took {elapsed:.0f} s"
    for code in ("while True:", "import loops_on_import", "time.sleep(600)"):
        line = fence_above(code)
        assert f"docs/index.md:{line}: markdown_exec: Execution of python code block exited with errors" in result.output
    assert result.output.count(f"ran longer than its time limit of {LIMIT} s and was stopped") == 3
    # The loop inside the imported module is named where it is.
    assert 'snippets/loops_on_import.py", line 4, in <module>' in result.output
    assert "block_limits.py" not in result.output  # our own frame is left out of the traceback


def test_a_block_reading_input_gets_end_of_file_not_the_terminal(tmp_path):
    result = build(fixture_project("hangs", tmp_path))
    line = fence_above("input(")
    report = result.output.split(f"docs/index.md:{line}: ", 1)[1]
    assert "EOFError: EOF when reading a line" in report.split("WARNING")[0]


def test_a_block_that_swallows_the_time_limit_still_ends_the_build_in_time(tmp_path):
    project = fixture_project("hangs", tmp_path)
    (project / "docs" / "index.md").write_text(
        "---\ntitle: Stubborn\ndescription: A block that swallows every exception.\n---\n\n# Stubborn\n\n"
        '```python exec="on" html="on" timeout="1"\n'
        "while True:\n"
        "    try:\n"
        "        while True:\n"
        "            pass\n"
        "    except Exception:\n"
        "        pass\n"
        "```\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    result = build(project)
    assert result.returncode != 0
    assert time.monotonic() - started < LIMIT + SLACK
    assert (
        f"docs/index.md:8: the code is still running {block_limits.HARD_STOP:g} s after its time limit"
        in result.output
    )


def test_a_bad_block_time_limit_is_reported_and_the_default_used(tmp_path):
    project = fixture_project("hangs", tmp_path)
    (project / "docs" / "index.md").write_text(
        "---\ntitle: Bad limit\ndescription: A block with a time limit that is no number.\n---\n\n# Bad limit\n\n"
        '```python exec="on" html="on" timeout="soon"\nprint("<p>fine</p>")\n```\n',
        encoding="utf-8",
    )
    result = build(project)
    assert result.returncode == 1
    assert 'docs/index.md:8: timeout="soon" must be a positive number of seconds; using 30' in result.output


def test_the_time_limit_applies_in_any_thread():
    # mkdocs build and serve build in the main thread (an alarm signal); anything else gets the exception raised
    # in its own thread.
    import threading

    outcome = []

    def spin() -> None:
        try:
            with block_limits.limits(0.5, "docs/x.md:1"):
                while True:
                    pass
        except block_limits.TimeLimitExceeded as stopped:
            outcome.append(str(stopped))

    thread = threading.Thread(target=spin)
    started = time.monotonic()
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert time.monotonic() - started < 5
    assert outcome and "time limit of 0.5 s" in outcome[0]


@pytest.mark.parametrize("hangs", ["after the inner block", "inside the inner block"])
def test_an_outer_limit_holds_around_a_block_run_inside_it(hangs):
    """A markdown-exec block whose output holds blocks (``md`` exec) runs them inside its own limit: the
    sooner of the two limits stops the code, and the outer one resumes when the inner block ends."""
    started = time.monotonic()

    def hang() -> None:
        while time.monotonic() - started < 3:
            pass

    try:
        with block_limits.limits(0.5, "docs/x.md:1"):
            with block_limits.limits(5, "docs/x.md:3"):
                if hangs == "inside the inner block":
                    hang()
            hang()
    except block_limits.TimeLimitExceeded as stopped:
        assert "time limit of 0.5 s" in str(stopped) and time.monotonic() - started < 2
    else:
        raise AssertionError(f"the outer block ran past its limit (it hung {hangs})")
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0) and signal.getsignal(signal.SIGALRM) is signal.SIG_DFL


def test_a_handler_a_block_installs_stays_for_the_blocks_after_it():
    """As without the limits: a block's own SIGALRM handler serves a later block's own timer."""
    heard = []
    with block_limits.limits(5, "docs/x.md:1"):
        signal.signal(signal.SIGALRM, lambda signum, frame: heard.append(signum))
    try:
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # the limit's timer went with its block
        with block_limits.limits(5, "docs/x.md:9"):
            signal.setitimer(signal.ITIMER_REAL, 0.05)
            time.sleep(0.3)
        assert heard == [signal.SIGALRM]
    finally:
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


def test_mkdocs_serve_shows_a_hanging_block_in_the_page_and_keeps_serving(tmp_path):
    project = fixture_project("hangs", tmp_path)
    page = project / "docs" / "index.md"
    page.write_text(
        "---\ntitle: Serve\ndescription: A page served while its block hangs.\n---\n\n# Serve\n\n"
        '```python exec="on" html="on" timeout="1"\nwhile True:\n    pass\n```\n',
        encoding="utf-8",
    )
    with serving(project) as url:
        shown = wait_for(url, lambda html: "TimeLimitExceeded" in html)
        assert "ran longer than its time limit of 1 s" in shown
        page.write_text(page.read_text(encoding="utf-8").replace("while True:\n    pass", 'print("<p>fixed</p>")'), encoding="utf-8")
        wait_for(url, lambda html: "<p>fixed</p>" in html)


def processes_running(marker: str) -> list[int]:
    """Processes whose command line names the marker (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if marker in command and int(entry.name) != os.getpid():
                found.append(int(entry.name))
    return found


def wait_until(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_a_stopped_build_leaves_no_snippet_running(tmp_path):
    for stop in (signal.SIGTERM, signal.SIGINT, signal.SIGKILL):
        with runaway_build(tmp_path / stop.name) as build_process:
            build_process.send_signal(stop)
            assert_stops(build_process, stop.name)


def test_a_stop_signal_taken_by_any_thread_of_the_build_stops_it(tmp_path):
    # The system hands a signal sent to a process to any of its threads that does not block it; Python
    # acts on it only in the main thread, once that thread runs Python code. The build waits for the
    # snippet (limit: 120 s) while a thread of its own waits on the snippet's process and two read its
    # output: each of them is sent the signal in turn (tgkill), as the system may choose it.
    tgkill = getattr(ctypes.CDLL(None, use_errno=True), "tgkill")
    for stop in (signal.SIGTERM, signal.SIGINT):
        for index in range(3):
            with runaway_build(tmp_path / f"{stop.name}-{index}") as build_process:
                tasks = Path(f"/proc/{build_process.pid}/task")
                # The snippet's reading threads start just after its process does.
                assert wait_until(lambda: len(list(tasks.iterdir())) >= 4, 10), f"threads: {list(tasks.iterdir())}"
                others = sorted(int(task.name) for task in tasks.iterdir() if int(task.name) != build_process.pid)
                assert tgkill(build_process.pid, others[index], int(stop)) == 0, os.strerror(ctypes.get_errno())
                assert_stops(build_process, f"{stop.name} taken by thread {index + 1} of {len(others)}")


@contextmanager
def runaway_build(project_dir: Path) -> Iterator[subprocess.Popen]:
    """A build waiting for a snippet that never ends; its standard error (with Python's fault handler on)
    is kept in ``build.err`` next to the project, for assert_stops to show."""
    project = fixture_project("runaway_snippet", project_dir)
    with open(project_dir / "build.err", "w", encoding="utf-8") as errors:
        build_process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "--strict"],
            cwd=project, env=mkdocs_env(PYTHONFAULTHANDLER="1"), stdout=subprocess.DEVNULL, stderr=errors,
        )
    build_process.errors = project_dir / "build.err"
    try:
        assert wait_until(lambda: processes_running("snippets/spin.py"), 30), "the snippet never started"
        yield build_process
    finally:
        build_process.kill()
        build_process.wait()


def assert_stops(build_process: subprocess.Popen, how: str) -> None:
    """The build ends within 30 s and its snippet with it; if not, its threads' stacks are in the failure."""
    try:
        build_process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        build_process.send_signal(signal.SIGABRT)  # the fault handler writes every thread's stack
        build_process.wait()
        raise AssertionError(f"the build still ran 30 s after {how}:\n{build_process.errors.read_text()[-6000:]}") from None
    assert wait_until(lambda: not processes_running("snippets/spin.py"), 10), f"the snippet outlived {how}"


def test_programs_a_snippet_leaves_running_cannot_hold_the_build(tmp_path):
    # Both snippets end at once but leave `sleep` holding their output open. The one in the snippet's
    # process group is stopped when the snippet ends; the one that left the group holds the output
    # past the time limit, which is then reported as the snippet's.
    started = time.monotonic()
    try:
        result = build(fixture_project("leaves_programs", tmp_path))
        elapsed = time.monotonic() - started
        assert not processes_running("sleep 617"), "the program the snippet left running outlived its run"
    finally:
        for pid in processes_running("sleep 617") + processes_running("sleep 619"):
            os.kill(pid, signal.SIGKILL)
    assert elapsed < 3 + SLACK, f"the build took {elapsed:.0f} s"
    assert result.returncode == 1
    assert "starts_helper.py" not in result.output  # its output was checked, and matched
    assert "snippets/starts_daemon.py ran longer than its time limit of 3 s and was stopped" in result.output


def test_a_build_started_without_standard_input_keeps_the_files_blocks_open(tmp_path):
    # With descriptor 0 closed, the first file a block opens may land on it; the limits around the
    # next block must not close it. (A build started with `<&-`; here, a process that closed it.)
    data = tmp_path / "data.txt"
    data.write_text("kept open\n", encoding="utf-8")
    script = (
        "import os, sys\n"
        f"sys.path.insert(0, {str(ROOT / 'hooks')!r})\n"
        "from block_limits import limits\n"
        "os.close(0)\n"
        "with limits(5, 'first block'):\n"
        f"    kept = open({str(data)!r})\n"
        "with limits(5, 'second block'):\n"
        "    print(kept.read(), end='')\n"
        "with limits(5, 'third block'):\n"
        "    print(repr(sys.stdin.read()))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "kept open\n''\n"
