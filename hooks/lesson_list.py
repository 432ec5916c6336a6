"""Hook: replace a ``<!-- lesson-list -->`` line with a list of the lessons and their summaries.

A lesson is a page of the navigation under ``docs/lessons/`` (``extra.lessons_dir``
in mkdocs.yml to change it). Each item links the lesson by its front-matter
``title`` and quotes its ``description``, in navigation order, so a module page
never retypes what its lessons say about themselves.
The marker counts on a line of its own, outside fenced code; in a sentence,
a code span or a code block (a page that explains it) it is shown as written.

What it refuses, naming the file and what to do:

- ``extra.lessons_dir``, when set, that is not the name of an existing folder under
  ``docs/`` (validated with MkDocs' ``config_options`` when the configuration is
  loaded): a configuration error naming mkdocs.yml and the key;
- a lesson that is not UTF-8: the build stops, naming the lesson, the line of
  the first bad byte, and saying to save it as UTF-8 (no traceback);
- a marker with no lesson to list: a warning naming the page and the marker's
  line (a strict build fails), rather than an empty list.

A misspelled key (``lessons_dirs:``) is refused by ``execution_settings``. The
events share one ``LessonList`` (the lessons of the build under way); the plain
functions below do the work, and the tests call them directly.
"""

from __future__ import annotations

import difflib
import html
import logging
import re
import os
import posixpath
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.utils.meta import get_data

from execution_settings import LESSONS_KEY
from markdown_fences import front_matter_lines, lines_in_fences, lines_with_endings, page_source, split_lines

MARKER = "<!-- lesson-list -->"
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+!])")  # characters Python-Markdown reads, escaped with "\\"
DEFAULT_FOLDER = "lessons"
BOM = b"\xef\xbb\xbf"

log = logging.getLogger("mkdocs.hooks.lesson_list")


class LessonsFolder(config_options.Type[str]):
    """A folder that exists under ``docs_dir``, named relative to it; validated as its path there plus "/"."""

    def __init__(self, docs_dir: str, docs_label: str = "docs", default: str = DEFAULT_FOLDER) -> None:
        super().__init__(str, default=default)
        self.docs_dir = docs_dir
        self.docs_label = docs_label  # docs_dir as a contributor types it, for the messages

    def run_validation(self, value: object) -> str:
        docs = self.docs_label
        if not isinstance(value, str):
            raise config_options.ValidationError(
                f"must be the name of a folder under {docs}/ (such as {DEFAULT_FOLDER!r}), got {value!r}"
            )
        name = posixpath.normpath(value.replace("\\", "/").strip("/") or ".")
        if name == "." or name == ".." or name.startswith("../"):
            raise config_options.ValidationError(f"must name a folder inside {docs}/ that holds the lessons, got {value!r}")
        if not os.path.isdir(os.path.join(self.docs_dir, name)):
            raise config_options.ValidationError(f"there is no folder {docs}/{name}. {self.suggestion(name)}")
        return name + "/"

    def suggestion(self, name: str) -> str:
        """What to do about a folder name that does not exist: the closest folder under docs, if any."""
        folders = sorted(entry.name for entry in os.scandir(self.docs_dir) if entry.is_dir())
        close = difflib.get_close_matches(name, folders, n=1)
        hint = f"Did you mean {close[0]!r}? " if close else ""
        return f"{hint}Set it to the folder under {self.docs_label}/ that holds the lesson pages"


def lessons_folder(extra: dict, docs_dir: str, config_file_path: str) -> str:
    """``extra.lessons_dir`` validated: the lessons' folder relative to ``docs_dir``, ending in "/".

    Raises a ConfigurationError naming the configuration file and the key. Left
    unset, it is ``lessons/`` whether or not that folder exists yet: a site with
    no lesson so far builds, and a marker with nothing to list is a warning.
    """
    if LESSONS_KEY not in extra:
        return DEFAULT_FOLDER + "/"
    docs_label = os.path.relpath(docs_dir, os.path.dirname(os.path.abspath(config_file_path)))
    try:
        return LessonsFolder(docs_dir, docs_label).validate(extra.get(LESSONS_KEY))
    except config_options.ValidationError as error:
        raise ConfigurationError(f"{config_file_path}: extra.{LESSONS_KEY}: {error}") from None


def lessons_in(pages: list, folder: str) -> list:
    """The files of the pages under ``folder`` (as ``lessons_folder`` returns it), in navigation order."""
    return [page.file for page in pages if page.file.src_uri.startswith(folder)]


def lesson_items(lessons: list[tuple[str, dict]], from_uri: str) -> list[str]:
    """Markdown list items for (src_uri, front matter) pairs, linked relative to ``from_uri``."""
    here = posixpath.dirname(from_uri)
    items = []
    for src_uri, meta in lessons:
        link = posixpath.relpath(src_uri, here or ".")
        title = meta.get("title") or src_uri
        summary = as_written(str(meta.get("description", "")))
        items.append(f"- **[{title}]({link})**: {summary}".rstrip(": "))
    return items


def as_written(text: str) -> str:
    """Plain text as Markdown that shows it as written: the description is the page's meta description too,
    so the list says what search results say (front_matter reports markup in it)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(" ".join(text.split()), quote=False))


class NotUtf8Error(ValueError):
    """A lesson file that is not UTF-8 text."""

    def __init__(self, label: str, line: int, byte: int) -> None:
        super().__init__(f"{label}:{line}: byte 0x{byte:02x} is not UTF-8")
        self.label, self.line, self.byte = label, line, byte

    def report(self, listed_on: str) -> str:
        """The message for a contributor: the file and line, the page that lists it, and what to do."""
        return (
            f"{self.label}:{self.line}: byte 0x{self.byte:02x} is not UTF-8 (the lesson list of {listed_on} "
            "reads this file): save it as UTF-8 and build again"
        )


def read_lesson(path: str, label: str) -> str:
    """A lesson's text (a UTF-8 byte-order mark dropped); NotUtf8Error naming ``label`` and the line otherwise."""
    data = Path(path).read_bytes()
    data = data[len(BOM) :] if data.startswith(BOM) else data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotUtf8Error(label, data[: error.start].count(b"\n") + 1, data[error.start]) from None


def front_matters(lessons: list, project_dir: str) -> list[tuple[str, dict]]:
    """(src_uri, front matter) of each lesson file, named relative to ``project_dir`` if one is not UTF-8."""
    found = []
    for file in lessons:
        label = os.path.relpath(file.abs_src_path, project_dir)
        found.append((file.src_uri, get_data(read_lesson(file.abs_src_path, label))[1]))
    return found


def marker_lines(markdown: str) -> list[int]:
    """0-based indexes of the lines that are the marker alone, outside fenced code.

    Only such a line is replaced: a page that writes about the marker (in a
    code span, a sentence or a code block) shows it as written.
    """
    in_code = lines_in_fences(markdown)
    return [index for index, line in enumerate(split_lines(markdown)) if line.strip() == MARKER and index not in in_code]


def with_list(markdown: str, markers: list[int], items: list[str]) -> str:
    """The Markdown with each marker line replaced by the items, at the marker's indent."""
    lines = lines_with_endings(markdown)
    for index in markers:
        line = lines[index]
        indent, ending = line[: len(line) - len(line.lstrip())], line[len(line.rstrip("\r\n")) :]
        lines[index] = "\n".join(indent + item for item in items) + ending
    return "".join(lines)


def no_lessons_message(where: str, docs: str, folder: str) -> str:
    """The warning for a marker with nothing to list, at ``where`` (file:line)."""
    return (
        f"{where}: {MARKER} has no lesson to list: no page of the nav is under {docs}/{folder}. "
        f"Add the lessons to nav: in mkdocs.yml, or set extra.{LESSONS_KEY} there to the folder under {docs}/ "
        "that holds them"
    )


class LessonList:
    """The hook's events; the lessons folder and the lessons of the build under way are what they share."""

    def __init__(self) -> None:
        self.folder = DEFAULT_FOLDER + "/"
        self.lessons: list = []

    def on_config(self, config):
        """Validate ``extra.lessons_dir`` (a ConfigurationError stops the build before any page)."""
        self.folder = lessons_folder(config.extra or {}, config.docs_dir, config.config_file_path)
        self.lessons = []
        return config

    def on_nav(self, nav, config, files):
        """Note the lessons: the pages of the nav in the lessons folder."""
        self.lessons = lessons_in(nav.pages, self.folder)
        return nav

    def on_page_markdown(self, markdown, page, config, files):
        """Replace the marker with the list; warn when it is empty, stop on a lesson that is not UTF-8."""
        markers = marker_lines(markdown) if MARKER in markdown else []
        if not markers:
            return markdown
        label = page_source(page, config)
        project_dir = os.path.dirname(os.path.abspath(config.config_file_path))
        if not self.lessons:
            line = markers[0] + 1 + front_matter_lines(page.file.abs_src_path)
            log.warning(no_lessons_message(f"{label}:{line}", os.path.relpath(config.docs_dir, project_dir), self.folder))
        try:
            found = front_matters(self.lessons, project_dir)
        except NotUtf8Error as error:
            raise PluginError(error.report(label)) from None
        return with_list(markdown, markers, lesson_items(found, page.file.src_uri))


_hook = LessonList()
on_config = _hook.on_config
on_nav = _hook.on_nav
on_page_markdown = _hook.on_page_markdown
