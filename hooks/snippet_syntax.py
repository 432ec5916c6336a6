"""The lines pymdownx.snippets acts on, read with the extension's own patterns.

Not a hook: shared by ``include_paths`` (which checks includes and shows an
unreadable one as typed) and ``verified_output`` (which shows a printed line
that looks like an include as printed). Both need the same two answers, so
they live here once:

- ``section_marker``: a ``--8<-- [start:name]`` / ``[end:name]`` line, which the
  extension drops from what it includes;
- ``escaped``: the line with the ``;`` that makes the extension show it as is,
  when the line is an include, a bare ``--8<--`` (which opens a list of files)
  or a section marker; any other line unchanged;
- ``included_whole``: the file a line includes whole (``hands_on_markup`` checks
  that a runner shows the whole snippet, not an excerpt).
"""

from __future__ import annotations

import re

from pymdownx.snippets import SnippetPreprocessor


def section_marker(line: str) -> re.Match | None:
    """The extension's match for a section marker line; None for any other line."""
    return SnippetPreprocessor.RE_SNIPPET_SECTION.match(line) if "8<-" in line else None  # cheap test first


def escaped(line: str) -> str:
    """The line as the extension would show it as is: one more ``;`` where it acts on the line."""
    found = SnippetPreprocessor.RE_ALL_SNIPPETS.match(line) or section_marker(line)
    if not found:
        return line
    return line[: found.start("escape")] + ";" + line[found.start("escape") :]


def included_whole(line: str) -> str | None:
    """The path a ``--8<-- "path"`` line includes whole; None for any other line, or a part (``path:3:9``,
    ``path:section``), or an escaped include."""
    found = SnippetPreprocessor.RE_ALL_SNIPPETS.match(line)
    if not found or found["escape"] or not found["snippet"]:
        return None
    path, ranges, section = SnippetPreprocessor.RE_SNIPPET_FILE.match(found["snippet"][1:-1].strip()).groups()
    return None if ranges or section else path
