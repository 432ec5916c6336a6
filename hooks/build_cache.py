"""Hook: reuse snippet runs and chart blocks from earlier builds when nothing they depend on changed.

Sets up ``cache_store.current`` for each build (what goes into a key, and why,
is in ``cache_store``'s docstring), and wraps markdown-exec's Python fences
(``python`` and ``py``, as ``blocks_ahead`` does) so that a block rendering raw
HTML (``html="on"``, no ``session``) is looked up before it runs. A block that
logged a warning is never stored. After the build it logs what was reused and
what was computed. A block whose HTML ``blocks_ahead`` puts in place only when
its page is rendered is stored then. ``NO_BUILD_CACHE=1`` turns it off.
List it after the markdown-exec plugin (hooks run after plugins anyway).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import cache_store
from block_worker import counting_warnings
from markdown_fences import wrap_python_fences
from snippet_imports import snippets_dir

KIND = cache_store.BLOCK


def cached_formatter(original):
    """Wrap a superfences formatter so raw-HTML blocks come from the cache when they can."""

    def format(src, language, css_class, options, md, **kwargs):
        cache = cache_store.current
        if cache is None or not options.get("html") or options.get("session"):
            return original(src, language, css_class, options, md, **kwargs)
        key = cache.block_key(language, src, options)
        hit = cache.get(KIND, key)
        if hit is not None:
            return hit["html"]
        with counting_warnings(logging.getLogger("mkdocs")) as counter:
            html = original(src, language, css_class, options, md, **kwargs)
        when_ready = getattr(html, "when_ready", None)
        if when_ready is not None:  # blocks_ahead puts the HTML in place when the page is rendered
            when_ready(lambda final, clean: clean and cache.put(KIND, key, {"html": final}))
        elif counter.count == 0:
            cache.put(KIND, key, {"html": str(html)})
        return html

    format.__wrapped__ = original
    format.looks_up_build_cache = True
    return format


def base_key(config) -> str:
    """What every entry of this build depends on: inputs, hooks, environment, configuration."""
    root = Path(config.config_file_path).resolve().parent
    settings = (config.extra or {}).get("build_cache") or {}
    folders = [snippets_dir(config), Path(__file__).resolve().parent]
    folders += [root / folder for folder in settings.get("inputs", [])]
    exec_plugin = config.plugins.get("markdown-exec")
    parts = [
        cache_store.folder_digest([f for f in folders if f.is_dir()]),
        cache_store.environment_digest(),
        dict(config.extra or {}),
        dict(exec_plugin.config) if exec_plugin else None,
    ]
    return cache_store.digest_text(json.dumps(parts, sort_keys=True, default=str))


def on_config(config):
    root = Path(config.config_file_path).resolve().parent
    cache_store.current = cache_store.BuildCache(
        root / ".cache" / "build", base_key(config), enabled=cache_store.cache_enabled()
    )
    wrap_python_fences(config, cached_formatter, "looks_up_build_cache")


def on_post_build(config):
    if cache_store.current is not None and cache_store.current.summary():
        logging.getLogger("mkdocs.hooks.build_cache").info(cache_store.current.summary())
