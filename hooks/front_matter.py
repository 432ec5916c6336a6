"""Hook: check each page's front matter before it is rendered.

Every page needs ``title`` and ``description`` (both non-empty text: the
description becomes ``<meta name="description">``). ``keywords`` may be a
list of words. Any other field must be one MkDocs or Material understands;
an unknown one (often a typo such as ``descripton``) is reported with the
closest known name. Problems are warnings naming the file and the field, so
``mkdocs build --strict`` fails on them.
"""

from __future__ import annotations

import difflib
import logging

from markdown_fences import page_source

log = logging.getLogger("mkdocs.hooks.front_matter")

REQUIRED = ("title", "description")
# Fields MkDocs or Material for MkDocs read from front matter.
KNOWN = {*REQUIRED, "keywords", "hide", "icon", "status", "subtitle", "template", "search", "tags", "social"}


def front_matter_problems(meta: dict) -> list[str]:
    """What is wrong with one page's front matter, one sentence per field."""
    problems = []
    for field in REQUIRED:
        value = meta.get(field)
        if value is None:
            problems.append(f"front matter field '{field}' is missing; add '{field}: ...' at the top of the page")
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"front matter field '{field}' must be non-empty text, got {value!r}")
    keywords = meta.get("keywords")
    if keywords is not None and not (
        isinstance(keywords, list) and all(isinstance(word, str) and word.strip() for word in keywords)
    ):
        problems.append(f"front matter field 'keywords' must be a list of words, got {keywords!r}")
    for field in sorted(set(meta) - KNOWN):
        guess = difflib.get_close_matches(str(field), sorted(KNOWN), n=1)
        hint = f"; did you mean '{guess[0]}'?" if guess else f"; known fields: {', '.join(sorted(KNOWN))}"
        problems.append(f"front matter field '{field}' is not a known field{hint}")
    return problems


def on_page_markdown(markdown, page, config, files):
    source = page_source(page, config)
    for problem in front_matter_problems(page.meta or {}):
        log.warning(f"{source}: {problem}")
    return markdown
