"""Hook: check each page's front matter before it is rendered.

Every page needs ``title`` and ``description`` (both non-empty text: the
description becomes ``<meta name="description">``, which search results show
as written, so it is plain text: a link, a code span, emphasis or an HTML tag
in it is reported). ``keywords`` may be a
list of words. Any other field must be one MkDocs or Material understands;
an unknown one (often a typo such as ``descripton``) is reported with the
closest known name. A field written twice is reported at its second line: YAML
keeps the last value, so the first is lost without a word. Problems are warnings
naming the file, the field and its line (when it is there), so
``mkdocs build --strict`` fails on them.

Front matter that is not valid YAML (or not a mapping of fields) is dropped by
MkDocs without a word, leaving the page with no title or description; it is
reported instead with its file, its line and YAML's own message.
"""

from __future__ import annotations

import difflib
import logging
import re

import yaml
from mkdocs.utils.meta import YAML_RE, SafeLoader  # how MkDocs finds and reads front matter

from markdown_fences import page_source

log = logging.getLogger("mkdocs.hooks.front_matter")
OPENING = re.compile(r"-{3}[ \t]*\n")  # the first line of front matter, as MkDocs' YAML_RE begins

REQUIRED = ("title", "description")
# Markdown or HTML in text that is shown as written: a link, a code span, emphasis, a tag.
_MARKUP = re.compile(
    r"\[[^\]]*\]\([^)]*\)|\[[^\]]+\]\[[^\]]*\]|`[^`]+`"  # a link, a reference link, a code span
    r"|(?<![\w*])\*\*?(?=\S)[^*]+?(?<=\S)\*\*?(?![\w*])"  # *emphasis* (not 2*3*4)
    r"|</?(?:a|abbr|b|br|code|del|em|i|img|ins|kbd|mark|q|s|small|span|strong|sub|sup|u)\b[^<>]*>"  # a tag
)
# Fields MkDocs, Material for MkDocs (its templates: author, location, revision_date; its plugins: search,
# tags, social) or our overrides (keywords) read from front matter, and the git-date plugins' fields its
# templates show. tests/test_front_matter.py checks that every field the templates read is here.
KNOWN = {*REQUIRED, "keywords", "hide", "icon", "status", "subtitle", "template", "search", "tags", "social",
         "author", "location", "revision_date", "git_revision_date_localized", "git_creation_date_localized"}


def front_matter_problems(meta: dict) -> list[str]:
    """What is wrong with one page's front matter, one sentence per field."""
    return [message for _, message in field_problems(meta)]


def field_problems(meta: dict) -> list[tuple[str, str]]:
    """(field, what is wrong with it) for one page's front matter."""
    problems = []
    for field in REQUIRED:
        value = meta.get(field)
        if value is None:
            problems.append((field, f"front matter field '{field}' is missing; add '{field}: ...' at the top of the page"))
        elif not isinstance(value, str) or not value.strip():
            problems.append((field, f"front matter field '{field}' must be non-empty text, got {value!r}"))
        elif field == "description" and _MARKUP.search(value):
            problems.append((field, (
                f"front matter field 'description' is plain text, but holds {_MARKUP.search(value)[0]!r}: it becomes "
                "the page's meta description, which search results show as written, and its summary in the lesson "
                "list; write it without Markdown or HTML (link to a lesson from the page's text instead)"
            )))
    keywords = meta.get("keywords")
    if keywords is not None and not (
        isinstance(keywords, list) and all(isinstance(word, str) and word.strip() for word in keywords)
    ):
        problems.append(("keywords", f"front matter field 'keywords' must be a list of words, got {keywords!r}"))
    for field in sorted(set(meta) - KNOWN, key=str):
        guess = difflib.get_close_matches(str(field), sorted(KNOWN), n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else f"; known fields: {', '.join(sorted(KNOWN))}"
        problems.append((field, f"front matter field '{field}' is not a known field{hint}"))
    return problems


def field_lines(text: str) -> tuple[dict[str, int], list[tuple[int, str]]]:
    """The 1-based line of each front-matter field of a page's whole text, and (line, field) for each field
    written a second time (YAML keeps the last value: the first is lost without a word)."""
    found = YAML_RE.match(text)
    try:
        node = yaml.compose(found.group(1), SafeLoader) if found else None
    except yaml.YAMLError:
        return {}, []
    if not isinstance(node, yaml.MappingNode):
        return {}, []
    lines: dict[str, int] = {}
    repeated = []
    for key, _ in node.value:
        line = 2 + key.start_mark.line  # the YAML starts on the line after the opening ---
        if key.value in lines:
            repeated.append((line, key.value))
        else:
            lines[key.value] = line
    return lines, repeated


def front_matter_error(text: str) -> tuple[int, str] | None:
    """(1-based line, what is wrong) when the text opens with front matter MkDocs could not read; else None."""
    found = YAML_RE.match(text)
    if not found:
        if OPENING.match(text):
            return 1, "front matter opened here is never closed: add a '---' line after its last field"
        return None
    try:
        fields = yaml.load(found.group(1), SafeLoader)
    except yaml.YAMLError as error:
        mark, began = getattr(error, "problem_mark", None), getattr(error, "context_mark", None)
        line = 2 + (mark.line if mark else 0)  # the YAML starts on the line after the opening ---
        column = f", column {mark.column + 1}" if mark else ""
        start = f" (it began on line {2 + began.line})" if began and 2 + began.line < line else ""
        return line, (
            f"front matter is not valid YAML{column}: {yaml_message(error)}{start}; "
            "fix it (quote a value that holds ': ' or starts with a special character)"
        )
    if fields is not None and not isinstance(fields, dict):
        return 2, (
            f"front matter must be fields, one 'name: value' per line, but YAML reads it as a "
            f"{type(fields).__name__}"
        )
    return None


def yaml_message(error: yaml.YAMLError) -> str:
    """YAML's own words for the error, without its positions in the front matter alone."""
    parts = [getattr(error, "context", None), getattr(error, "problem", None)]
    return ": ".join(part for part in parts if part) or str(error)


def on_page_markdown(markdown, page, config, files):
    source = page_source(page, config)
    if not page.meta:  # MkDocs leaves it empty when it could not read the front matter too
        error = front_matter_error(page.file.content_string)
        if error:
            log.warning(f"{source}:{error[0]}: {error[1]}")
            return markdown  # the missing fields follow from this; reporting them would mislead
    lines, repeated = field_lines(page.file.content_string)
    for line, field in repeated:
        log.warning(f"{source}:{line}: front matter field '{field}' is written twice (first at line {lines[field]}), "
                    "and only this value is kept; remove one of them")
    for field, problem in field_problems(page.meta or {}):
        log.warning(f"{source}:{lines[field]}: {problem}" if field in lines else f"{source}: {problem}")
    return markdown
