"""Edit-to-page latency under `make serve`: prints figures, never fails on a time.

    python benchmarks/edit_loop.py [--sizes 1,20,100] [--runs 7] [--plain-runs 3]

For each course size (the synthetic course of benchmarks/bench.py), the course is
served as ``make serve`` serves it (``mkdocs serve --dirty``, with
hooks/serve_rebuilds.py) and, beside it in the same run, by plain MkDocs with
markdown-exec (the same course without this project's hooks, ``mkdocs serve``).
The first lesson is open in Debian's Chromium (Playwright), live reload on. Each
edit is timed from the moment the file is saved to the moment the page in the
browser shows it:

- prose: a sentence added to the lesson's Markdown;
- snippet: a trend renamed in the lesson's own ranking snippet, which its expected
  output and its charts show (the page shows the new name in the chart's data
  table, and with the hooks in the out-of-date expected output too).

Medians of ``--runs`` edits per figure (``--plain-runs`` for plain MkDocs, whose
rebuilds take minutes at 100 lessons). The targets of issue 19 are printed beside
the figures.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import synthetic_course  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
TARGETS = {("prose", 20): 1.0, ("prose", 100): 1.5, ("snippet", 20): 2.0, ("snippet", 100): 3.0}
PAGE_TIMEOUT = 600.0  # seconds an edit may take to show before the benchmark gives up on it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def plain_config(project: Path) -> str:
    """mkdocs-plain.yml: the course's configuration without this project's hooks."""
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    without_hooks = re.sub(r"^hooks:\n(?:  - .*\n)+", "", config, flags=re.MULTILINE)
    (project / "mkdocs-plain.yml").write_text(without_hooks, encoding="utf-8")
    return "mkdocs-plain.yml"


def start_server(project: Path, plain: bool, port: int, log) -> subprocess.Popen:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600"}
    if plain:  # markdown-exec alone: the snippets importable by PYTHONPATH, full rebuilds
        env["PYTHONPATH"] = str(project / "snippets")
        options = ["-f", plain_config(project)]
    else:  # as `make serve` runs it
        options = ["--dirty"]
    command = [sys.executable, "-m", "mkdocs", "serve", *options, "--dev-addr", f"127.0.0.1:{port}", "--livereload"]
    return subprocess.Popen(command, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_for_text(page, text: str, deadline: float) -> float:
    """Poll the open page (it reloads itself) until its text contains ``text``; the time it did."""
    while time.monotonic() < deadline:
        try:
            if page.evaluate("t => document.body !== null && document.body.innerText.includes(t)", text):
                return time.perf_counter()
        except Exception:  # noqa: BLE001 - the page is navigating: its old document is gone
            pass
        time.sleep(0.01)
    raise TimeoutError(f"the page did not show {text!r} within {PAGE_TIMEOUT:.0f} s")


def edit_prose(project: Path, lesson: Path, number: str) -> str:
    marker = f"Edited prose, round {number}."
    text = (project / lesson).read_text(encoding="utf-8")
    (project / lesson).write_text(text.replace("## Summary\n", f"## Summary\n\n{marker}\n", 1), encoding="utf-8")
    return marker


def edit_snippet(project: Path, snippet: Path, number: str) -> str:
    marker = f"faster sampling r{number}"
    text = (project / snippet).read_text(encoding="utf-8")
    text = re.sub(r'"faster sampling(?: r\w+)?"', f'"{marker}"', text, count=1)
    (project / snippet).write_text(text, encoding="utf-8")
    return marker


def measure(project: Path, lesson: Path, plain: bool, runs: int, browser) -> dict[str, float]:
    """Median seconds from save to page, per kind of edit, for one server of the course."""
    port = free_port()
    with tempfile.TemporaryFile() as log:
        server = start_server(project, plain, port, log)
        try:
            page = browser.new_page()
            url = f"http://127.0.0.1:{port}/{lesson.with_suffix('').relative_to('docs').as_posix()}/"
            deadline = time.monotonic() + PAGE_TIMEOUT
            while True:  # the first build
                try:
                    page.goto(url, wait_until="load")
                    break
                except Exception:  # noqa: BLE001 - not listening yet
                    if time.monotonic() > deadline or server.poll() is not None:
                        log.seek(0)
                        sys.exit(f"mkdocs serve did not start:\n{log.read().decode('utf-8', 'replace')}")
                    time.sleep(0.2)
            snippet = Path("snippets") / f"trend_ranking_{lesson.stem.split('-')[-1].lstrip('0')}.py"
            figures = {}
            for kind, edit, target in (("prose", edit_prose, lesson), ("snippet", edit_snippet, snippet)):
                times = []
                for number in range(1, runs + 1):
                    time.sleep(1.0)  # settled: the watcher has seen the last edit and the page has loaded
                    started = time.perf_counter()
                    marker = edit(project, target, f"{'p' if plain else 'h'}{number}")  # new to the page
                    shown = wait_for_text(page, marker, time.monotonic() + PAGE_TIMEOUT)
                    times.append(shown - started)
                    page.wait_for_load_state("load")
                figures[kind] = statistics.median(times)
            page.close()
            return figures
        finally:
            server.send_signal(signal.SIGINT)  # as Ctrl-C: serve deletes its temporary site folder
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,20,100", help="course sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=7, help="edits per figure with the hooks")
    parser.add_argument("--plain-runs", type=int, default=3, help="edits per figure for plain MkDocs (0: skip it)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"\nEdit to page under `make serve` (medians: {args.runs} edits with the hooks, {args.plain_runs} plain)")
    print(f"  {'lessons':>7} {'prose s':>8} {'target':>7} {'snippet s':>10} {'target':>7} {'plain prose s':>14} {'plain snippet s':>16}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for size in (int(n) for n in args.sizes.split(",")):
            with tempfile.TemporaryDirectory(prefix=f"bench-edit-{size}-") as folder:
                project = Path(folder)
                lessons = synthetic_course(project, size)
                ours = measure(project, lessons[0], False, args.runs, browser)
                shutil.rmtree(project / ".cache", ignore_errors=True)
                nothing = {"prose": float("nan"), "snippet": float("nan")}
                plain = measure(project, lessons[0], True, args.plain_runs, browser) if args.plain_runs else nothing

            def target(kind: str) -> str:
                limit = TARGETS.get((kind, size))
                return "" if limit is None else ("met" if ours[kind] <= limit else "missed") + f" {limit:g}"

            print(
                f"  {size:7d} {ours['prose']:8.2f} {target('prose'):>7} {ours['snippet']:10.2f} {target('snippet'):>7}"
                f" {plain['prose']:14.2f} {plain['snippet']:16.2f}"
            )
        browser.close()


if __name__ == "__main__":
    main()
