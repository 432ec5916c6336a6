"""Hook: check how each page is named (its title, its heading, its file name), naming the file and what to do.

A page's front-matter ``title`` names it in the browser tab, in search and in
the module's lesson list; its ``# heading`` is what the reader sees on it; its
file name becomes its address. When the build starts (``on_files``, before
any page is rendered) each page's file is read once and, as warnings (so
``mkdocs build --strict`` fails and ``mkdocs serve`` keeps serving):

- a first ``# heading`` whose words, as the page shows them, are not the
  title's (a lesson renamed in one place only): named at the heading's line;
- a title that another page of the same folder has too (a lesson copied and
  not renamed): readers could not tell the two apart in the lesson list or in
  search (pages of different folders, each section's ``index.md``, may share one);
- a file or folder name holding a space or a character an address must escape
  (``My Lesson.md`` is published at ``My%20Lesson/``), with a name to use instead.

Pages whose front matter cannot be read are left to ``front_matter``, which
reports them. A heading is read as Python-Markdown reads one (``#Title`` is
one; trailing ``#`` are dropped) and compared by the words it shows (links,
emphasis, escapes and entities rendered; an attribute list ``{#id}`` dropped),
outside fenced code and HTML comments. Setext headings are not compared.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
from html import unescape

import markdown
from markdown.blockprocessors import HashHeaderProcessor

from markdown_fences import lines_in_fences, page_texts, read_front_matter, split_lines

log = logging.getLogger("mkdocs.hooks.page_names")

_ATTRIBUTES = re.compile(r"[ \t]*\{[^}]*\}[ \t]*$")  # attr_list's {#id .class}: not words a reader sees
_AWKWARD = re.compile(r"[^\w.-]")  # a space, or a character an address must escape (letters of any script are fine)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def words(text: str) -> str:
    """A title's words, spaces collapsed."""
    return " ".join(text.split())


def shown_words(heading: str) -> str:
    """The words a reader sees for a heading's Markdown: links, emphasis, escapes and entities rendered
    (as a heading, so that "1. Start" or "> Quote" stay text, not a list or a quote)."""
    html = markdown.markdown("# " + _ATTRIBUTES.sub("", heading))
    return words(unescape(_TAG.sub("", html)))


def first_heading(text: str) -> tuple[int, str] | None:
    """(0-based line, Markdown) of the text's first level-1 ``#`` heading, as Python-Markdown reads one,
    outside fenced code and HTML comments; None if it has none."""
    hidden = lines_in_fences(text) | lines_in_comments(text)
    for index, line in enumerate(split_lines(text)):
        match = HashHeaderProcessor.RE.match(line)
        if match and len(match["level"]) == 1 and index not in hidden:
            return index, match["header"].strip()
    return None


def lines_in_comments(text: str) -> set[int]:
    """0-based indexes of the lines an HTML comment covers (from its opening line to its closing one)."""
    covered = set()
    for comment in _COMMENT.finditer(text):
        first = text.count("\n", 0, comment.start())
        covered.update(range(first, first + comment.group(0).count("\n") + 1))
    return covered


def heading_problem(body: str, title: str, front_matter: int) -> tuple[int, str] | None:
    """(1-based line in the file, what to do) when the page's first heading is not its title.

    ``body`` is the page's Markdown, below the ``front_matter`` lines that hold its ``title``.
    """
    found = first_heading(body)
    shown = shown_words(found[1]) if found else None
    if shown is None or shown == words(title):
        return None
    return found[0] + 1 + front_matter, (
        f"the heading '{shown}' is not the page's title '{words(title)}' (front matter), which names "
        "the page in the browser tab, in search and in the module's lesson list: make them the same"
    )


def repeated_titles(pages: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """(page, what to do) for each page whose title an earlier page of the same folder has too: a lesson
    copied and not renamed. ``pages``: (page as the contributor types it, its folder as MkDocs names it
    with "/", its title), in order. Pages of different folders (each section's index.md titled
    "Exercises") may share a title."""
    first: dict[tuple[str, str], str] = {}
    problems = []
    for page, folder, title in pages:
        key = (folder, words(title).casefold())
        if key in first:
            problems.append((page, (
                f"the title '{words(title)}' is the title of {first[key]} too, in the same folder, so readers could "
                "not tell the two apart in the lesson list or in search: give this page a title of its own"
            )))
        else:
            first[key] = page
    return problems


def name_problem(src_uri: str, url: str) -> str | None:
    """What to do when a page's path (a folder's name or its own) would make an address (``url``, as MkDocs
    writes it) that must be escaped."""
    awkward = [part for part in src_uri.split("/") if _AWKWARD.search(part)]
    if not awkward:
        return None
    part = awkward[0]
    stem, suffix = (part[: -len(".md")], ".md") if part.endswith(".md") else (part, "")
    better = (re.sub(r"[\W_]+", "-", stem.lower()).strip("-") or "page") + suffix
    what = "file" if suffix else "folder"
    return (
        f"the {what} name '{part}' holds a space or a character that an address escapes, so the page would be "
        f"published at {url or './'}; rename the {what} (for example to {better}) and the links to it"
    )


def on_files(files, config):
    project = os.path.dirname(os.path.abspath(config.config_file_path))
    titled: list[tuple[str, str, str]] = []
    for file in files.documentation_pages():
        if file.abs_src_path is None:  # generated by a plugin: not a file a contributor names
            continue
        source = os.path.relpath(file.abs_src_path, project)
        name = name_problem(file.src_uri, file.url)
        if name:
            log.warning(f"{source}: {name}")
        text = next(page_texts([file.abs_src_path]), None)
        if text is None:
            continue  # reported when the page is read
        body, meta, front_matter = read_front_matter(text)
        title = meta.get("title")
        if not isinstance(title, str):
            continue  # front_matter reports a missing title
        if title.strip():
            titled.append((source, posixpath.dirname(file.src_uri), title))
        heading = heading_problem(body, title, front_matter)
        if heading:
            log.warning(f"{source}:{heading[0]}: {heading[1]}")
    for source, problem in repeated_titles(titled):
        log.warning(f"{source}: {problem}")
    return files
