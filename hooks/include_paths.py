"""Hook: report a ``--8<--`` include whose file does not exist, with the page and line.

pymdownx.snippets would stop the build with a traceback and no line number
(``check_paths: true``) or silently include nothing (``false``). With
``check_paths: false`` in mkdocs.yml, this hook makes a missing file a warning
that names the Markdown file, the line and the path, so ``--strict`` fails
cleanly and ``mkdocs serve`` keeps serving. Paths are looked up in the
extension's ``base_path`` folders; ``;--8<--`` (an escaped include) is skipped.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from markdown_fences import front_matter_lines, page_source

log = logging.getLogger("mkdocs.hooks.include_paths")
_INCLUDE = re.compile(r'^[ \t]*-{1,}8<-{1,}[ \t]+(["\'])(?P<path>[^"\']+)\1[ \t]*$')


def missing_includes(markdown: str, base_paths: list[Path]) -> list[tuple[int, str]]:
    """(1-based line, path) of every include whose file is in none of the base paths."""
    missing = []
    for number, line in enumerate(markdown.splitlines(), start=1):
        match = _INCLUDE.match(line)
        if match and "://" not in match["path"]:  # remote includes are not ours to check
            path = match["path"].split(":", 1)[0]  # "file.py:3:9" and "file.py:section" name file.py
            if not any((base / path).is_file() for base in base_paths):
                missing.append((number, path))
    return missing


def base_paths(config) -> list[Path]:
    settings = config.mdx_configs.get("pymdownx.snippets", {})
    bases = settings.get("base_path", ["."])
    return [Path(b) for b in ([bases] if isinstance(bases, str) else bases)]


def on_page_markdown(markdown, page, config, files):
    source = page_source(page, config)
    offset = front_matter_lines(page.file.abs_src_path, markdown)
    for line, path in missing_includes(markdown, base_paths(config)):
        log.warning(
            f"{source}:{line + offset}: included file {path} does not exist; fix the path after --8<-- or add the file"
        )
    return markdown
