"""`make serve` (what contributors run) rebuilds from edited snippets, never from stale imports, and
takes an edited hook into account by restarting itself.

The server is started with the options the Makefile's serve target gives `mkdocs serve`
(read from the Makefile), on a free port of 127.0.0.1."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import ROOT, copy_project, free_port, mkdocs_env
from html_text import element, text_of

LESSON = "lessons/latest-progress/"


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(url: str, ready, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and ready(page):
            return page
        time.sleep(0.5)
    raise AssertionError(f"{url} did not show the change within {seconds} s")


def make_serve_options() -> list[str]:
    """The options of `mkdocs serve` in the Makefile's serve target, but the address."""
    recipe = re.search(r"^serve:.*\n\t\$\(BIN\)/mkdocs serve (.*)$", (ROOT / "Makefile").read_text(), re.M)
    assert recipe, "the Makefile's serve target no longer runs `$(BIN)/mkdocs serve ...`"
    options = recipe.group(1).split()
    if "--dev-addr" in options:
        del options[options.index("--dev-addr") : options.index("--dev-addr") + 2]
    return options


@contextmanager
def serving(project: Path) -> Iterator[str]:
    """The project served as `make serve` serves it, on a free port of 127.0.0.1; yields the site's address."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", *make_serve_options(), "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=mkdocs_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.send_signal(signal.SIGINT)  # as Ctrl-C: serve deletes its temporary site folder
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_serve_redraws_charts_and_rechecks_output_after_a_snippet_edit(tmp_path):
    project = copy_project(tmp_path / "project")
    with serving(project) as base:
        url = base + LESSON
        before = wait_for(url, lambda page: "radar-chart" in page)
        radar_before = element(before, "figure", "radar-chart")
        snippet = project / "snippets" / "trend_ranking.py"
        snippet.write_text(
            snippet.read_text(encoding="utf-8").replace(
                '{"name": "faster sampling", "product_value": 9,', '{"name": "faster sampling", "product_value": 3,'
            ),
            encoding="utf-8",
        )
        after = wait_for(url, lambda page: "Expected output is out of date" in page)
        assert element(after, "figure", "radar-chart") != radar_before  # the chart module saw the edit
        assert "+{'name': 'faster sampling', 'product_value': 3" in text_of(after)


def test_an_edited_hook_takes_effect_on_the_next_rebuild(tmp_path):
    """MkDocs imports hooks once (mkdocs#3993): the server restarts itself, in place, with the new code."""
    project = copy_project(tmp_path / "project")
    with serving(project) as base:
        before = wait_for(base, lambda page: "Latest Progress" in page)
        hook = project / "hooks" / "lesson_list.py"
        old = 'items.append(f"- **[{title}]({link})**: {summary}".rstrip(": "))'
        text = hook.read_text(encoding="utf-8")
        assert old in text, "the test edits a line of hooks/lesson_list.py that is no longer there"
        hook.write_text(text.replace(old, old.replace("- **[", "- **Lesson: [")), encoding="utf-8")
        after = wait_for(base, lambda page: "Lesson: " in text_of(page))
        assert "Lesson: " not in text_of(before)
        assert "Lesson: 12.2.6 Latest Progress" in text_of(after)
