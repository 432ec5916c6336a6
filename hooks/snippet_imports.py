"""Hook: let code blocks run by markdown-exec import the lesson snippets, fresh each build.

Chart blocks do ``import trend_charts``; this puts the snippets folder
(``extra.snippets_dir`` in mkdocs.yml, default ``snippets``) on ``sys.path``.
Before every build it forgets modules loaded from that folder, so
``mkdocs serve`` redraws charts from the edited files instead of stale imports.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def snippets_dir(config) -> Path:
    root = Path(config.config_file_path).resolve().parent
    return root / (config.extra or {}).get("snippets_dir", "snippets")


def forget_modules_under(folder: Path) -> list[str]:
    """Drop every imported module whose file lies in ``folder``; return their names."""
    prefix = str(folder) + os.sep  # module paths are absolute already: no resolve() per module
    stale = [
        name
        for name, module in list(sys.modules.items())
        if (getattr(module, "__file__", None) or "").startswith(prefix)
    ]
    for name in stale:
        del sys.modules[name]
    return stale


def on_config(config):
    folder = snippets_dir(config)
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    forget_modules_under(folder)
