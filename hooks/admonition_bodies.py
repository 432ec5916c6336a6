"""Hook: warn when an admonition or a collapsible block shows only its title because its text is not under it.

An admonition (``!!! note "Title"``) or a collapsible block (``??? success
"Solution"``) holds the lines indented 4 spaces past its own line. Text
indented less (not at all, or 2 spaces) is not its body: the page shows an
empty box and the text after it in plain sight, so a collapsed solution is
printed openly under its own closed box. The build exits 0.

The same holds for a box cut short by a code fence written at the margin in
the middle of its text (copied in without its indent): the fence ends the box,
so the code and the rest of the box's text are shown after it, that text even
as code. That is reported at the fence's line when text after the fence is
indented for the box again and Markdown reads it as code. A box followed by a
paragraph of the page's own is not a slip, whatever follows it (an indented
code block may be the page's), so an unindented paragraph in the middle of a
box is not reported.

The verdict is the rendered page's: a box with a title and nothing else. It is
reported at the line of the ``!!!``/``???`` whose title it shows, when the next
line of text is indented too little to be its body. A title-only box followed
by a heading, another box, an HTML comment (``<!-- title only -->``, to say so)
or the page's end is left alone. Warnings name the Markdown file and
line, so ``mkdocs build --strict`` fails and ``mkdocs serve`` keeps serving.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from html import unescape

from markdown_fences import indent_columns, lines_in_fences, read_as_indented_code, report_page_problems, split_lines

log = logging.getLogger("mkdocs.hooks.admonition_bodies")

# "!!! note", "??? success \"Solution\"", "???+ note inline end", "??? \"Title only\"": classes, then a title.
_MARKER = re.compile(
    r'^(?P<indent>[ \t]*)(?P<marker>!!!|\?\?\?\+?)(?:[ \t]+(?P<kind>[\w-]+(?:[ \t]+[\w-]+)*))?'
    r'(?:[ \t]+"(?P<title>[^"\n]*)")?[ \t]*$'
)
_EMPTY = re.compile(
    r'<div class="admonition\b[^"]*">\s*<p class="admonition-title">(?P<admonition>(?:(?!</p>).)*)</p>\s*</div>'
    r"|<details\b[^>]*>\s*<summary>(?P<details>(?:(?!</summary>).)*)</summary>\s*</details>",
    re.DOTALL,
)
_TAG = re.compile(r"<[^>]+>")
# A heading, another box or an HTML comment (<!-- title only -->): a title-only box is meant.
_NOT_A_BODY = re.compile(r"^[ \t]*(#|!!!|\?\?\?|<!--)")


def comparable(title: str) -> str:
    """A title as written or as shown, for comparing the two: markup characters and case left out."""
    return " ".join(re.sub(r"[`*_]", "", title).split()).casefold()


def empty_titles(html: str) -> list[str]:
    """The title of each admonition or collapsible block the rendered page shows with nothing under it."""
    return [unescape(_TAG.sub("", found["admonition"] or found["details"] or "")).strip() for found in _EMPTY.finditer(html)]


def box_lines(lines: list[str], in_fences: set[int]) -> Iterator[tuple[int, str]]:
    """(0-based index, title as the page shows it) of each ``!!!``/``???`` line outside fenced code."""
    for index, line in enumerate(lines):
        marker = _MARKER.match(line)
        if marker and (marker["kind"] or marker["title"] is not None) and index not in in_fences:
            yield index, marker["title"] if marker["title"] is not None else marker["kind"].split()[0].capitalize()


def bodiless_markers(markdown: str, html: str) -> list[tuple[int, str]]:
    """(1-based line, what to do) for each ``!!!``/``???`` line followed by text indented too little to be
    its body, whose box the rendered page shows empty."""
    empty = [comparable(title) for title in empty_titles(html)]
    if not empty:
        return []
    lines = split_lines(markdown)
    problems = []
    for index, title in box_lines(lines, lines_in_fences(markdown)):
        needed = indent_columns(lines[index]) + 4
        following = next((later for later in lines[index + 1 :] if later.strip()), None)
        if following is None or _NOT_A_BODY.match(following) or indent_columns(following) >= needed:
            continue  # its body, or nothing that could be: a title-only box may be meant
        if comparable(title) not in empty:
            continue
        empty.remove(comparable(title))
        problems.append((index + 1, (
            f"this box shows only its title '{title.strip()}': the text after it is indented "
            f"{indent_columns(following)} spaces, not {needed}, so it is shown outside the box, in plain sight "
            f"(a solution under ???, too); indent every line of its text {needed} spaces"
        )))
    return problems


def cut_short(markdown: str) -> list[tuple[int, str]]:
    """(1-based line, what to do) for each line that ends a box early: indented too little to be in it, while
    text after it is indented for the box again (and Markdown reads that text as code, outside the box)."""
    lines = split_lines(markdown)
    in_fences = lines_in_fences(markdown)
    problems = []
    for index, title in box_lines(lines, in_fences):
        line = lines[index]
        needed = indent_columns(line) + 4
        body = [i for i in range(index + 1, len(lines)) if lines[i].strip()]
        cut = next((i for i in body if indent_columns(lines[i]) < needed), None)
        if cut is None or cut == body[0] or cut not in in_fences:
            continue  # the box holds everything, holds nothing (bodiless_markers), or ends with text of the page's
            # own (a paragraph, then an indented code block of its own, is the page's, not the box's)
        for later in body[body.index(cut) + 1 :]:
            if later in in_fences:
                continue  # a fence written at the margin, inside the box's text: its lines are code anyway
            if indent_columns(lines[later]) <= indent_columns(line) and _NOT_A_BODY.match(lines[later]):
                break
            if indent_columns(lines[later]) >= needed and read_as_indented_code(later, lines):
                problems.append((cut + 1, (
                    f"this line ends the box '{title.strip()}' above it early: it is indented "
                    f"{indent_columns(lines[cut])} spaces, not {needed}, so it and the text after it are shown "
                    f"outside the box, in plain sight (a solution under ???, too), and the text indented for the box "
                    f"after it as code; indent it {needed} spaces, like the rest of the box's text"
                )))
                break
    return problems


def on_page_content(html, page, config, files):
    report_page_problems(page, config, log, lambda markdown: bodiless_markers(markdown, html) + cut_short(markdown))
    return html
