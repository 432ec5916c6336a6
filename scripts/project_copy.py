"""Copy this project's buildable parts to a scratch folder (used by the tests and the benchmark)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ["mkdocs.yml", "docs", "hooks", "snippets", "overrides", "scripts", "package.json", "package-lock.json"]


def copy_project(destination: Path) -> Path:
    """A throw-away copy of the project (no site/, no caches), safe to edit and build."""
    destination.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / part)
    if (ROOT / "node_modules").is_dir():  # npm's install (Pyodide for the site): shared, not copied
        (destination / "node_modules").symlink_to(ROOT / "node_modules")
    return destination
