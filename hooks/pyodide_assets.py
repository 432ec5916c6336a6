"""Hook: copy Pyodide (CPython compiled to WebAssembly) from npm into the built site.

The "Run in your browser" control (``assets/javascripts/code-runner.js``) runs a
lesson's snippet with Pyodide, which must come from our own site, never from a
CDN. ``npm ci`` (``make serve``/``make build`` run it) installs the exact version
pinned in ``package-lock.json`` into ``node_modules/pyodide``; after every build
(``mkdocs build`` and each ``mkdocs serve`` rebuild) this hook copies the files
Pyodide needs to run the standard library into ``assets/pyodide/``, and writes
``manifest.json`` there with the version and each file's size, so the page can
say how large the first download is without anyone typing it. A site none of
whose pages opts in (``<div class="code-runner" markdown>``) gets no Pyodide and
needs no ``node_modules``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError

PACKAGE = Path("node_modules") / "pyodide"
DESTINATION = "assets/pyodide"
# Enough for CPython and its standard library; no other Python package is loaded.
RUNTIME_FILES = (
    "pyodide.js",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)


def package_dir(config_dir: Path) -> Path:
    """The installed pyodide package, or a PluginError that says what to run."""
    package = config_dir / PACKAGE
    missing = [name for name in (*RUNTIME_FILES, "package.json") if not (package / name).is_file()]
    if not missing:
        return package
    problem = f"{package} lacks {', '.join(missing)}" if package.is_dir() else f"{package} does not exist"
    raise PluginError(
        f"hooks/pyodide_assets.py: {problem}. Pyodide, which runs the lessons' code in the "
        f"browser, is installed from npm: run 'npm ci' in {config_dir} "
        "(or 'make build' / 'make serve', which run it)."
    )


def manifest(package: Path) -> dict:
    """Version and byte sizes of the runtime files, read from the files themselves."""
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    sizes = {name: (package / name).stat().st_size for name in RUNTIME_FILES}
    return {"version": version, "files": sizes, "total_bytes": sum(sizes.values())}


def place_file(source: Path, target: Path) -> None:
    """A hard link where the file system allows it, else a copy.

    Copying the 12 MB on every build took about 10 ms, a visible share of a build;
    a link takes none. Nothing writes into the built site's files afterwards.
    """
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed there
        shutil.copyfile(source, target)


def copy_runtime(package: Path, destination: Path) -> None:
    destination.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_FILES:
        place_file(package / name, destination / name)
    text = json.dumps(manifest(package), indent=2, sort_keys=True) + "\n"
    (destination / "manifest.json").write_text(text, encoding="utf-8")


OPT_IN = 'class="code-runner'  # a page with a runner in its HTML


class RunnerPages:
    """Whether any page of the build under way has a runner."""

    def __init__(self) -> None:
        self.found = False

    def on_config(self, config):
        self.found = False
        return config

    def on_page_content(self, html, page, config, files):
        self.found = self.found or OPT_IN in html
        return html

    def on_post_build(self, config, **kwargs) -> None:
        if self.found:
            config_dir = Path(config.config_file_path).resolve().parent
            copy_runtime(package_dir(config_dir), Path(config.site_dir) / DESTINATION)


_pages = RunnerPages()
on_config = _pages.on_config
on_page_content = _pages.on_page_content
on_post_build = _pages.on_post_build
