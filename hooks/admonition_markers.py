"""Hook: warn when a box's first line is not read as a box, or its title is read as a class.

An admonition (``!!! note "Title"``) or a collapsible block (``??? success
"Solution"``) is read as a box only when its first line is written exactly so:
three marks at the margin (or 4 spaces in, inside a list or another box), type
words, then the title in straight double quotes and nothing after. A slip in
that line (``??`` or ``????``, a space before the marks, the title in single or
typographic quotes, a colon after it, a quote left open) turns the line into a
paragraph shown as typed, and the text indented under it into a code block: a
collapsed solution is printed openly. And a title written without quotes
(``??? success Solution``) is read as a second class: the box is titled
"Success". The build exits 0 in both cases.

The verdict is the rendered page's: a paragraph or list item that starts with
``!!``/``??``, or a box whose title is its type while the line gave it another
word. Each is reported at its Markdown line with what to change, so
``mkdocs build --strict`` fails and ``mkdocs serve`` keeps serving.
"""

from __future__ import annotations

import logging
import re
from html import unescape

from markdown_fences import (
    indent_columns, lines_in_comments, lines_in_fences, lines_in_raw_html, report_page_problems, split_lines,
)

log = logging.getLogger("mkdocs.hooks.admonition_markers")

# A line the author meant as a box: marks, then something (the first line of a paragraph once rendered).
_MEANT = re.compile(r"^(?P<indent>[ \t]*)(?P<marks>!{2,}|\?{2,})(?P<rest>.*)$")
# The first line as admonition and pymdownx.details read it: types, then a title in straight double quotes.
_READ = re.compile(r'^(?P<marks>!!!|\?\?\?\+?)(?:[ ]*(?P<kind>[\w-]+(?:[ ]+[\w-]+)*))?(?:[ ]+"(?P<title>.*?)")?[ ]*$')
# Rendered text that begins with box marks: at the start of a paragraph, list item or cell, or of a line
# inside one (a paragraph's second line; a box's line may follow text, so a slip in it may too).
_SHOWN_AS_TEXT = re.compile(r"(?:<(?:p|li|dd|dt|td|th)\b[^>]*>\s*|\n[ \t]*)(?P<text>(?:!{2,}|\?{2,})[^<\n]*)")
_CODE = re.compile(r"<pre\b.*?</pre>", re.DOTALL)  # lines of code blocks are shown as written, on purpose
_BOX_TITLE = re.compile(r'<details class="(?P<d>[^"]*)"[^>]*>\s*<summary>(?P<summary>[^<]*)</summary>'
                        r'|<div class="admonition (?P<a>[^"]*)">\s*<p class="admonition-title">(?P<title>[^<]*)</p>')


def comparable(text: str) -> str:
    """A line as written or as shown, for comparing the two: spaces collapsed, entities read."""
    return " ".join(unescape(text).split())


def why_not_a_box(indent: str, marks: str, rest: str) -> str:
    """What in a box's first line keeps it from being read as one, and what to write instead."""
    if len(marks) != 3:
        return f"'{marks}' is not a box's mark: write '!!!' (a box) or '???' (a collapsible block)"
    if indent and indent.strip(" ") == "" and len(indent) % 4:
        spaces = f"{len(indent)} space" + ("s" if len(indent) > 1 else "")
        return (f"it starts {spaces} in: start it at the margin, or 4 spaces in for each "
                "list or box it sits in")
    if re.search(r"[“”‘’']", rest):
        return "its title is in single or typographic quotes: use straight double quotes (\")"
    if rest.count('"') % 2:
        return "its title's quote is never closed: end the title with a straight double quote (\")"
    if re.search(r'"[^"]*"\s*\S', rest):
        return "something follows the title's closing quote: end the line with the title"
    if _READ.match(marks + rest):
        return ("the line itself is right, but it is read as part of the text above it (a line of text, or a "
                "content tab's === line, which this site does not read): leave a blank line above it")
    return "write the type as a word of letters, digits, '-' or '_', then the title in straight double quotes"


def has_a_body(lines: list[str], index: int) -> bool:
    """Whether the next line of text after this one is indented 4 columns past it, as a box's body is."""
    following = next((later for later in lines[index + 1 :] if later.strip()), None)
    return following is not None and indent_columns(following) >= indent_columns(lines[index]) + 4


def shown_as_text(markdown: str, html: str) -> list[tuple[int, str]]:
    """(1-based line, what to do) for each box line the rendered page shows as text."""
    shown = [comparable(found["text"]) for found in _SHOWN_AS_TEXT.finditer(_CODE.sub("", html))]
    if not shown:
        return []
    skipped = lines_in_fences(markdown) | lines_in_comments(markdown) | lines_in_raw_html(markdown)
    lines = split_lines(markdown)
    problems = []
    for index, line in enumerate(lines):
        meant = _MEANT.match(line)
        if not meant or index in skipped or not (len(meant["marks"]) == 3 or has_a_body(lines, index)):
            continue  # prose may begin with "??"; a box line has three marks or text indented under it
        # The rendered text stops at the first tag (inline code in a title): it begins the line.
        match = next((text for text in shown if comparable(line).startswith(text)), None)
        if match is None:
            continue
        shown.remove(match)
        reason = why_not_a_box(meant["indent"], meant["marks"], meant["rest"])
        problems.append((index + 1, (
            f"this line is shown as text, not as a box, and the text indented under it as code, in plain "
            f"sight (a solution under ???, too): {reason}"
        )))
    return problems


def titles_read_as_classes(markdown: str, html: str) -> list[tuple[int, str]]:
    """(1-based line, what to do) for each box titled after its type because its title has no quotes."""
    shown = {(found["summary"] if found["d"] is not None else found["title"]).strip()
             for found in _BOX_TITLE.finditer(html)}
    skipped = lines_in_fences(markdown) | lines_in_comments(markdown) | lines_in_raw_html(markdown)
    problems = []
    for index, line in enumerate(split_lines(markdown)):
        read = _READ.match(line.lstrip())
        if not read or index in skipped or read["title"] is not None or not read["kind"]:
            continue
        kind, *classes = read["kind"].split()
        words = [word for word in classes if any(character.isupper() for character in word)]
        if words and kind.capitalize() in shown:
            problems.append((index + 1, (
                f"this box is titled '{kind.capitalize()}': '{' '.join(words)}' is read as a class, not its "
                f"title; put the title in straight double quotes: {read['marks']} {kind} \"{' '.join(classes)}\""
            )))
    return problems


def on_page_content(html, page, config, files):
    report_page_problems(page, config, log,
                         lambda markdown: shown_as_text(markdown, html) + titles_read_as_classes(markdown, html))
    return html
