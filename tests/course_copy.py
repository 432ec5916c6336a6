"""Grow a copy of the course as a contributor would: a lesson from the template, added to the nav."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
_NAV_LESSON = re.compile(r"^\s*- [^\n]*: lessons/[^\n]+\.md[ \t]*$", re.M)


def template_title(project: Path) -> str:
    """The placeholder title the template's front matter gives."""
    text = (project / "docs" / "_template.md").read_text(encoding="utf-8")
    return yaml.safe_load(_FRONT_MATTER.match(text).group(1))["title"]


def lesson_from_template(project: Path, slug: str, title: str) -> Path:
    """docs/lessons/SLUG.md copied from docs/_template.md with only its title changed."""
    template = (project / "docs" / "_template.md").read_text(encoding="utf-8")
    lesson = project / "docs" / "lessons" / f"{slug}.md"
    lesson.write_text(template.replace(template_title(project), title), encoding="utf-8")
    return lesson


def add_to_nav(project: Path, title: str, lesson: Path) -> None:
    """List the lesson in mkdocs.yml's nav right after the last lesson there."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    last = list(_NAV_LESSON.finditer(text))[-1]
    indent = re.match(r"\s*", last.group(0)).group(0)
    entry = f"\n{indent}- {title}: {lesson.relative_to(project / 'docs').as_posix()}"
    config.write_text(text[: last.end()] + entry + text[last.end() :], encoding="utf-8")
