"""Hook: keep the theme's compiled Jinja templates between builds.

Compiling Material's templates (icons included) costs about 0.4 s per build,
every build, for templates that only change when the theme is upgraded. Jinja's
own bytecode cache stores the compiled code in ``.cache/jinja/``, keyed by each
template's name and source checksum, much as Python keeps ``__pycache__``.
``NO_BUILD_CACHE=1`` turns it off along with the build cache.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache

import cache_store


def on_env(env, config, files):
    if cache_store.cache_enabled():
        folder = Path(config.config_file_path).resolve().parent / ".cache" / "jinja"
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env
