"""`make build` swaps in a new site only when the strict build succeeds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, copy_project, mkdocs_env


def make_build(project: Path) -> subprocess.CompletedProcess:
    for name in ("Makefile", "requirements.txt"):
        (project / name).write_bytes((ROOT / name).read_bytes())
    # Use the environment these tests run in instead of creating another one.
    venv = Path(sys.executable).parent.parent
    return subprocess.run(
        ["make", "build", f"VENV={venv}"], cwd=project, env=mkdocs_env(), capture_output=True, text=True
    )


def test_failed_build_keeps_the_previous_site_whole(tmp_path):
    project = copy_project(tmp_path / "project")
    first = make_build(project)
    assert first.returncode == 0, first.stdout + first.stderr
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}

    snippet = project / "snippets" / "trend_ranking.py"
    snippet.write_text(snippet.read_text(encoding="utf-8").replace('"stability": 0.3,', '"stability": 0.9,'))
    failed = make_build(project)
    assert failed.returncode != 0
    assert "no longer matches what it prints" in failed.stdout + failed.stderr
    after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before
    assert not (project / "site.partial").exists()
