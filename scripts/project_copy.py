"""Copy this project's buildable parts to a scratch folder (used by the tests and the benchmark)."""

from __future__ import annotations

import os
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
    share_node_modules(destination / "node_modules")
    return destination


def share_node_modules(folder: Path) -> None:
    """npm's install (Pyodide for the site), linked package by package rather than copied (12 MB).

    A folder of its own whose entries are links: should anything run ``npm ci`` in the copy,
    npm replaces the links, never the packages they point to. The install's stamp file is
    copied and dated now, so ``make`` in the copy finds the install up to date and runs no npm.
    """
    installed = ROOT / "node_modules"
    if not installed.is_dir():
        return
    folder.mkdir()
    for entry in installed.iterdir():
        if entry.is_file() and not entry.is_symlink():
            shutil.copy2(entry, folder / entry.name)
        else:
            (folder / entry.name).symlink_to(entry)
    stamp = folder / ".installed"
    if stamp.exists():
        os.utime(stamp)  # newer than the copied package files: make never reinstalls into the links
