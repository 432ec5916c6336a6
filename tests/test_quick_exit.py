"""MkDocs ends without Python's final garbage collections, and only when the process ends."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT, mkdocs_env

# Registered before anything else, so it runs last at exit: it sees what the hook left.
PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0))
"""


def run_probe(code: str, *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE + code, *args],
        cwd=ROOT, env=mkdocs_env(), capture_output=True, text=True, check=True,
    )
    return done.stdout.splitlines()


def test_shutdown_freezes_at_exit_and_not_before():
    lines = run_probe(
        f"sys.path.insert(0, {str(ROOT / 'hooks')!r})\n"
        "import quick_exit\n"
        "quick_exit.on_shutdown()\n"
        "print('frozen while running:', gc.get_freeze_count() > 0)\n"
    )
    assert lines == ["frozen while running: False", "frozen at exit: True"]


def test_the_site_build_exits_frozen(tmp_path):
    lines = run_probe(
        "from mkdocs.__main__ import cli\n"
        "sys.argv = ['mkdocs', 'build', '--strict', '--site-dir', sys.argv[1]]\n"
        "try:\n    cli()\nexcept SystemExit as end:\n    assert not end.code, end.code\n",
        str(tmp_path / "site"),
    )
    assert lines == ["frozen at exit: True"]
    assert (tmp_path / "site" / "index.html").is_file()


def test_without_the_hook_nothing_is_frozen():
    # The probe itself must be able to tell: a plain Python process exits unfrozen.
    assert run_probe("") == ["frozen at exit: False"]
