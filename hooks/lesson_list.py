"""Hook: replace ``<!-- lesson-list -->`` with a list of the lessons and their summaries.

A lesson is a page under ``docs/lessons/`` (``extra.lessons_dir`` to change
it). Each item links the lesson by its front-matter ``title`` and quotes its
``description``, in navigation order, so a module page never retypes what its
lessons say about themselves.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from mkdocs.utils.meta import get_data

MARKER = "<!-- lesson-list -->"
_lessons: list = []


def lessons_dir(config) -> str:
    return (config.extra or {}).get("lessons_dir", "lessons").strip("/") + "/"


def lesson_items(lessons: list[tuple[str, dict]], from_uri: str) -> list[str]:
    """Markdown list items for (src_uri, front matter) pairs, linked relative to ``from_uri``."""
    here = posixpath.dirname(from_uri)
    items = []
    for src_uri, meta in lessons:
        link = posixpath.relpath(src_uri, here or ".")
        title = meta.get("title") or src_uri
        summary = meta.get("description", "")
        items.append(f"- **[{title}]({link})**: {summary}".rstrip(": "))
    return items


def on_nav(nav, config, files):
    global _lessons
    prefix = lessons_dir(config)
    _lessons = [page.file for page in nav.pages if page.file.src_uri.startswith(prefix)]
    return nav


def on_page_markdown(markdown, page, config, files):
    if MARKER not in markdown:
        return markdown
    found = [(f.src_uri, get_data(Path(f.abs_src_path).read_text(encoding="utf-8-sig"))[1]) for f in _lessons]
    return markdown.replace(MARKER, "\n".join(lesson_items(found, page.file.src_uri)))
