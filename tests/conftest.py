"""Shared helpers: build real MkDocs sites (the project, or a fixture lesson) in temp folders."""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Unit tests import the hooks' and snippets' plain functions directly.
for folder in (ROOT / "hooks", ROOT / "snippets", ROOT / "scripts"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from project_copy import copy_project  # noqa: E402, F401  (tests import it from here)


@dataclass
class Build:
    """The outcome of one `mkdocs build` run."""

    returncode: int
    output: str  # stdout and stderr together, as a contributor sees them
    site: Path

    def page(self, path: str = "") -> str:
        return (self.site / path / "index.html").read_text(encoding="utf-8")


def mkdocs_env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1767225600", **extra}
    env.pop("PYTEST_CURRENT_TEST", None)  # differs between a fixture and its test: the build cache keys on the environment
    for name in ("SITE_URL", "REPO_URL", "EDIT_URI"):
        if name not in extra:
            env.pop(name, None)
    return env


def build(project: Path, strict: bool = True, site: Path | None = None, **env: str) -> Build:
    """Run the real `mkdocs build` on a project folder, from that folder."""
    site = site or project / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "--site-dir", str(site)]
    if strict:
        command.append("--strict")
    done = subprocess.run(command, cwd=project, env=mkdocs_env(**env), capture_output=True, text=True)
    return Build(done.returncode, done.stdout + done.stderr, site)


IMPORTS_PROBE = """
import logging, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
logging.basicConfig(level=logging.INFO, format="%(levelname)s - %(message)s")
build(load_config("mkdocs.yml", site_dir=sys.argv[1]))
print("matplotlib imported:", "matplotlib" in sys.modules)
"""


def build_imports_matplotlib(project: Path, **env: str) -> tuple[bool, str]:
    """Build in one process, then tell whether that process imported matplotlib; and the log."""
    done = subprocess.run(
        [sys.executable, "-c", IMPORTS_PROBE, str(project / "probe-site")],
        cwd=project, env=mkdocs_env(**env), capture_output=True, text=True, check=True,
    )
    return "matplotlib imported: True" in done.stdout, done.stdout + done.stderr


def fixture_project(name: str, destination: Path, extra_config: dict | None = None) -> Path:
    """A fixture lesson (docs/ and snippets/ under tests/fixtures/NAME) wired to the real hooks."""
    shutil.copytree(FIXTURES / name, destination, dirs_exist_ok=True)
    config = yaml.safe_load((FIXTURES / "mkdocs.fixture.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(ROOT / "hooks" / hook) for hook in config["hooks"]]
    config.update(extra_config or {})
    (destination / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return destination


def build_cases(project: Path, pages: list[str]) -> Build:
    """A project whose docs/ holds only these pages (docs/caseN.md, in order), built non-strict, as a corpus
    that a check's verdicts are compared with, page by page."""
    for path in (project / "docs").glob("*.md"):
        path.unlink()
    for number, page in enumerate(pages):
        (project / "docs" / f"case{number}.md").write_text(page, encoding="utf-8")
    result = build(project, strict=False)
    assert result.returncode == 0, result.output
    return result


def update_expected(project: Path) -> subprocess.CompletedProcess:
    """`make update-expected` as it runs: the script in its own process, here on a project copy."""
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "update_expected.py"), "--root", str(project)],
        cwd=project, env=mkdocs_env(), capture_output=True, text=True,
    )


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing_tool(message: str) -> None:
    """Skip a test whose tool is not installed here; in CI (REQUIRE_TOOLS=1) fail it instead."""
    if os.environ.get("REQUIRE_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Build:
    """The real site, built once in strict mode for the tests that only read it."""
    result = build(ROOT, site=tmp_path_factory.mktemp("site"))
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="session")
def snippet_output() -> list[str]:
    """What `python snippets/trend_ranking.py` prints right now, line by line."""
    done = subprocess.run(
        [sys.executable, "snippets/trend_ranking.py"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()


# --- Browser tests: the built site served on 127.0.0.1, driven in Debian's Chromium. ---

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",  # no calls home: the network is closed and watched
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, with the site's own 404 page for anything missing (as GitHub Pages does)."""

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="session")
def served_site(tmp_path_factory):
    """The real site, built for and served at http://127.0.0.1:PORT/ until the session ends."""
    import functools
    import threading

    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    result = build(ROOT, site=tmp_path_factory.mktemp("served"), SITE_URL=base)
    assert result.returncode == 0, result.output
    handler = functools.partial(_SiteHandler, directory=str(result.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium via Playwright; skipped (or failed in CI) when it is not installed."""
    if not CHROMIUM.exists():
        message = (
            f"Chromium not found at {CHROMIUM}: install Debian's package with 'sudo apt-get install chromium' "
            "(or run 'make test' as root, which installs it) to run the browser tests."
        )
        missing_tool(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
