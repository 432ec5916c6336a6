"""Hook: date the build by the last commit, so two builds of one commit are identical.

MkDocs stamps the sitemap (and its gzip header) with the build time unless
``SOURCE_DATE_EPOCH`` is set. When it is not set, this sets it to the time of
the last git commit (or leaves it unset outside a git checkout).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def last_commit_epoch(folder: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=folder, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip() or None


def on_config(config):
    if "SOURCE_DATE_EPOCH" not in os.environ:
        epoch = last_commit_epoch(Path(config.config_file_path).resolve().parent)
        if epoch:
            os.environ["SOURCE_DATE_EPOCH"] = epoch
