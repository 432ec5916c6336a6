"""`make build` swaps in a new site only when the strict build succeeds, also when two run at once."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, copy_project, mkdocs_env
from test_atomic_site import ROUNDS, run_at_once, scratch_folders, site_contents


def with_makefile(project: Path) -> Path:
    for name in ("Makefile", "requirements.txt"):
        shutil.copy2(ROOT / name, project / name)
    return project


def start_make_build(project: Path) -> subprocess.Popen:
    # Use the environment these tests run in, as it is (-o: never reinstall into it).
    venv = Path(sys.executable).parent.parent
    return subprocess.Popen(
        ["make", "build", f"VENV={venv}", "-o", f"{venv}/.site"],
        cwd=project, env=mkdocs_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def make_build(project: Path) -> subprocess.CompletedProcess:
    process = start_make_build(with_makefile(project))
    output, _ = process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, output, "")


def test_failed_build_keeps_the_previous_site_whole(tmp_path):
    project = copy_project(tmp_path / "project")
    first = make_build(project)
    assert first.returncode == 0, first.stdout
    before = site_contents(project / "site")

    snippet = project / "snippets" / "trend_ranking.py"
    snippet.write_text(snippet.read_text(encoding="utf-8").replace('"stability": 0.3,', '"stability": 0.9,'))
    failed = make_build(project)
    assert failed.returncode != 0
    assert "no longer matches what it prints" in failed.stdout
    assert site_contents(project / "site") == before
    assert scratch_folders(project) == []


def test_two_make_builds_at_once_always_leave_a_whole_site(tmp_path):
    project = copy_project(tmp_path / "project")
    first = make_build(project)
    assert first.returncode == 0, first.stdout
    reference = site_contents(project / "site")
    for round_number in range(ROUNDS):
        assert run_at_once(start_make_build, project) == [], f"round {round_number}"
        assert site_contents(project / "site") == reference, f"round {round_number}: site/ differs from the reference"
        assert scratch_folders(project) == [], f"round {round_number}"
