"""site/ is always a whole site: builds write a scratch folder and swap it in only when they succeed."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

import atomic_site
from conftest import ROOT, build, copy_project, fixture_project, mkdocs_env

ROUNDS = 10


def site_contents(site: Path) -> dict[str, str]:
    """Every file of a built site, by relative path, with a digest of its bytes."""
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def scratch_folders(project: Path) -> list[str]:
    return sorted(path.name for path in project.iterdir() if atomic_site.SCRATCH_INFIX in path.name)


def mkdocs_build(project: Path, **env: str) -> subprocess.Popen:
    """Start a plain strict `mkdocs build` into the project's site/, as a contributor runs it."""
    return subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project, env=mkdocs_env(**env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def run_at_once(start, project: Path) -> list[str]:
    """Start two builds together; while they run, note every moment site/ lacks its home page.

    Returns the moments' descriptions (none expected); asserts both builds pass.
    """
    builds = [start(project), start(project)]
    gaps = []
    while any(process.poll() is None for process in builds):
        if not (project / "site" / "index.html").is_file():
            gaps.append(f"site/index.html missing at {time.monotonic():.3f}")
        time.sleep(0.002)
    for process in builds:
        output = process.stdout.read()
        process.stdout.close()
        assert process.returncode == 0, output
    return gaps


def test_two_mkdocs_builds_at_once_always_leave_a_whole_site(tmp_path):
    project = copy_project(tmp_path / "project")
    first = build(project)
    assert first.returncode == 0, first.output
    reference = site_contents(project / "site")
    for round_number in range(ROUNDS):
        gaps = run_at_once(mkdocs_build, project)
        assert gaps == [], f"round {round_number}"
        assert site_contents(project / "site") == reference, f"round {round_number}: site/ differs from the reference"
        assert scratch_folders(project) == [], f"round {round_number}"


def test_failed_strict_build_leaves_the_previous_site(tmp_path):
    project = fixture_project("mismatch", tmp_path)  # its snippet's output no longer matches: a warning
    lenient = build(project, strict=False)
    assert lenient.returncode == 0, lenient.output
    before = site_contents(project / "site")
    (project / "docs" / "index.md").write_text(
        (project / "docs" / "index.md").read_text(encoding="utf-8").replace("Prose between", "New prose between"),
        encoding="utf-8",
    )
    strict = mkdocs_build(project)
    output, _ = strict.communicate()
    assert strict.returncode == 1
    assert "no longer matches what it prints" in output and "left as it was" in output
    assert site_contents(project / "site") == before
    assert scratch_folders(project) == []


def test_build_that_raises_leaves_the_previous_site(tmp_path):
    project = fixture_project("two_lessons", tmp_path)
    assert build(project).returncode == 0
    before = site_contents(project / "site")
    (project / "docs" / "second.md").write_bytes(b"---\ntitle: \xff\n---\n")  # not UTF-8: MkDocs raises
    failed = build(project)
    assert failed.returncode == 1
    assert "Encoding error reading file: second.md" in failed.output
    assert site_contents(project / "site") == before
    assert scratch_folders(project) == []


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_build_leaves_the_previous_site_and_no_scratch_folder(tmp_path, signal_number):
    project = fixture_project("slow_chart", tmp_path)  # a chart block that sleeps for a minute
    previous = project / "site"
    previous.mkdir()
    (previous / "index.html").write_text("the previous site", encoding="utf-8")
    running = mkdocs_build(project, NO_BLOCK_WORKER="1", NO_BUILD_CACHE="1")
    deadline = time.monotonic() + 60
    while not scratch_folders(project) and time.monotonic() < deadline and running.poll() is None:
        time.sleep(0.05)
    assert scratch_folders(project), "the build never made its scratch folder"
    time.sleep(1)  # well into the sleeping chart block
    running.send_signal(signal_number)
    output, _ = running.communicate(timeout=30)
    assert running.returncode != 0, output
    assert site_contents(previous) == {"index.html": hashlib.sha256(b"the previous site").hexdigest()}
    assert scratch_folders(project) == []


def test_scratch_folder_of_a_killed_build_is_removed_by_the_next(tmp_path):
    project = fixture_project("two_lessons", tmp_path)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = project / f".site{atomic_site.SCRATCH_INFIX}{dead.stdout.strip()}-0000"
    (left / "assets").mkdir(parents=True)
    assert build(project).returncode == 0
    assert scratch_folders(project) == []
    assert (project / "site" / "second" / "index.html").is_file()


@pytest.mark.parametrize("renameat2", [True, False], ids=["exchange", "two renames"])
def test_swap_puts_the_new_site_in_place_and_deletes_the_old(tmp_path, monkeypatch, renameat2):
    if not renameat2:
        monkeypatch.setattr(atomic_site.ctypes, "CDLL", lambda *args, **kwargs: object())  # no renameat2 here
    site, scratch = tmp_path / "site", tmp_path / ".site.building-1-a"
    for folder, text in ((site, "old"), (scratch, "new")):
        folder.mkdir()
        (folder / "index.html").write_text(text, encoding="utf-8")
    atomic_site.swap_in(scratch, site)
    assert (site / "index.html").read_text(encoding="utf-8") == "new"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["site"]



def test_process_forked_during_a_build_leaves_its_scratch_folder_alone(tmp_path):
    hook = atomic_site.AtomicSite()
    hook.exit_handlers_installed = True  # no handlers in the test process
    config = types.SimpleNamespace(site_dir=str(tmp_path / "site"))
    hook.on_config(config)
    scratch = Path(config.site_dir)
    assert scratch.is_dir() and scratch.parent == tmp_path
    child = os.fork()
    if child == 0:  # what a chart block that forks, then exits normally, would do
        hook.discard()
        os._exit(0)
    os.waitpid(child, 0)
    assert scratch.is_dir()
    hook.on_build_error(RuntimeError("the build failed"))
    assert not scratch.exists() and config.site_dir == str(tmp_path / "site")


def test_site_dir_in_a_folder_that_does_not_exist_yet(tmp_path):
    project = fixture_project("two_lessons", tmp_path / "project")
    result = build(project, site=tmp_path / "out" / "nested" / "site")
    assert result.returncode == 0, result.output
    assert (result.site / "second" / "index.html").is_file()
    assert sorted(path.name for path in result.site.parent.iterdir()) == ["site"]


def test_warning_from_a_later_hooks_post_build_still_keeps_the_previous_site(tmp_path):
    project = tmp_path / "project"
    hooks = [str(ROOT / "hooks" / "atomic_site.py"), str(project / "warn_after_build.py")]  # this hook listed first
    fixture_project("late_warning", project, extra_config={"hooks": hooks})
    previous = project / "site"
    previous.mkdir()
    (previous / "index.html").write_text("the previous site", encoding="utf-8")
    result = build(project)
    assert result.returncode == 1
    assert "a warning logged after the site was written" in result.output and "Aborted with 1 warnings" in result.output
    assert site_contents(previous) == {"index.html": hashlib.sha256(b"the previous site").hexdigest()}
    assert scratch_folders(project) == []
