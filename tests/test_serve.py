"""`mkdocs serve` (what contributors run) rebuilds from edited snippets, never from stale imports."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import copy_project, free_port, mkdocs_env
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


@contextmanager
def serving(project: Path) -> Iterator[str]:
    """`mkdocs serve` of a project on 127.0.0.1, live reload on; yields the site's address."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload"],
        cwd=project, env=mkdocs_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=30)


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
