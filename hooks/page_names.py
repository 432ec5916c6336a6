"""Hook: check how each page is named (its title, its heading, its file name), naming the file and what to do.

A page's front-matter ``title`` names it in the browser tab, in search and in
the module's lesson list; its first heading is what the reader sees on it; its
file name becomes its address. As warnings (so ``mkdocs build --strict`` fails
and ``mkdocs serve`` keeps serving):

- when the build starts (``on_files``, each page's file read once): a title
  that another page of the same folder has too (a lesson copied and not
  renamed): readers could not tell the two apart in the lesson list or in
  search (pages of different folders, each section's ``index.md``, may share
  one); a file or folder name holding a space or a character an address must
  escape (``My Lesson.md`` is published at ``My%20Lesson/``), with a name to use;
- when a page is rendered (``on_page_content``): a first ``<h1>`` whose words,
  as the rendered page shows them, are not the title's (a lesson renamed in one
  place only). The page's own rendering is the judge, so links, inline code,
  attribute lists, references defined further down and raw HTML read as the
  reader sees them; the warning names the line of the heading as written
  (``# Heading``, a heading underlined with ``===``, or ``<h1>``).

Pages whose front matter cannot be read are left to ``front_matter``, which
reports them.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
from html import unescape

from markdown.blockprocessors import HashHeaderProcessor

from markdown_fences import lines_in_comments, lines_in_fences, lines_in_raw_html, page_source, page_texts, read_front_matter, split_lines

log = logging.getLogger("mkdocs.hooks.page_names")

_AWKWARD = re.compile(r"[^\w.-]")  # a space, or a character an address must escape (letters of any script are fine)
_TAG = re.compile(r"<[^>]+>")
_SETEXT = re.compile(r"^ {0,3}=+[ \t]*$")
_H1 = re.compile(r"<h1[\s>]", re.IGNORECASE)
_CODE_SPAN = re.compile(r"(`+).+?\1")
_RENDERED_H1 = re.compile(r"<h1\b[^>]*>(?P<inner>.*?)</h1>", re.IGNORECASE | re.DOTALL)
_HEADERLINK = re.compile(r"<a\b[^>]*\bclass=\"headerlink\"[^>]*>.*?</a>", re.DOTALL)


def words(text: str) -> str:
    """A title's words, spaces collapsed."""
    return " ".join(text.split())


def first_heading(text: str) -> tuple[int, str] | None:
    """(0-based line, Markdown) of the text's first level-1 ``#`` heading, as Python-Markdown reads one,
    outside fenced code and HTML comments; None if it has none."""
    hidden = lines_in_fences(text) | lines_in_comments(text)
    for index, line in enumerate(split_lines(text)):
        match = HashHeaderProcessor.RE.match(line)
        if match and len(match["level"]) == 1 and index not in hidden:
            return index, match["header"].strip()
    return None


def heading_line(text: str) -> int | None:
    """0-based line of the text's first level-1 heading as written: ``# Heading``, a line underlined with
    ``===``, or ``<h1>``, outside fenced code and HTML comments; None if none is found."""
    hidden = lines_in_fences(text) | lines_in_raw_html(text)
    lines = split_lines(text)
    atx = first_heading(text)
    for index, line in enumerate(lines):
        if atx and index == atx[0]:
            return index
        if index in hidden:
            continue
        if _SETEXT.match(line) and index > 0 and lines[index - 1].strip() and index - 1 not in hidden:
            return index - 1
        if _H1.search(_CODE_SPAN.sub("", line)):
            return index
    return None


def first_h1_words(html: str) -> str | None:
    """The words of the rendered page's first ``<h1>`` as a reader sees them (its permalink left out)."""
    found = _RENDERED_H1.search(html)
    if not found:
        return None
    return words(unescape(_TAG.sub("", _HEADERLINK.sub("", found["inner"]))))


def heading_problem(html: str, markdown: str, title: str, front_matter: int) -> tuple[int | None, str] | None:
    """(1-based line in the file or None, what to do) when the rendered page's first heading is not its title.

    ``markdown`` is the page's Markdown, below the ``front_matter`` lines that hold its ``title``.
    """
    shown = first_h1_words(html)
    if shown is None or shown == words(title):
        return None
    line = heading_line(markdown)
    return (None if line is None else line + 1 + front_matter), (
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
        _, meta, _ = read_front_matter(text)
        title = meta.get("title")
        if not isinstance(title, str):
            continue  # front_matter reports a missing title
        if title.strip():
            titled.append((source, posixpath.dirname(file.src_uri), title))
    for source, problem in repeated_titles(titled):
        log.warning(f"{source}: {problem}")
    return files


def on_page_content(html, page, config, files):
    title = page.meta.get("title")
    if not isinstance(title, str) or page.file.abs_src_path is None:
        return html  # front_matter reports a missing title
    markdown, _, front_matter = read_front_matter(page.file.content_string)
    problem = heading_problem(html, markdown, title, front_matter)
    if problem:
        line, message = problem
        source = page_source(page, config)
        log.warning(f"{source}:{line}: {message}" if line else f"{source}: {message}")
    return html
