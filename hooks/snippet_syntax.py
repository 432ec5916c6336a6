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
  that a runner shows the whole snippet, not an excerpt);
- ``read_includes``: every file a page's lines include, as the extension reads
  them (one ``--8<-- "file"`` line, or a list of files between two bare ``--8<--``
  lines), and each line that looks like an include but that the extension would
  not read as one (``IncludeSlip``: shown as typed, dropped, or swallowing the
  rest of the page), for ``include_paths`` to check and report.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from pymdownx.snippets import SnippetPreprocessor

# A line starting like an include (after any escaping ;), whether or not the extension reads it.
_LIKE_AN_INCLUDE = re.compile(r"^[ \t]*;*-{1,}8<-{1,}(?P<rest>.*?)\r?$")
# What follows the marker when a path was meant but written without quotes: one word with a / or a dot.
_UNQUOTED_PATH = re.compile(r"[ \t]+(?P<path>[^\s\"']*[./][^\s\"']*)[ \t]*")


class Include(NamedTuple):
    """One file a page's line includes: ``target`` as the extension reads it (``file``, ``file:3:9``, ``file:name``)."""

    line: int  # 1-based
    target: str
    listed: bool = False  # a line of a list of files (between two bare --8<-- lines), not a --8<-- "file" line


class IncludeSlip(NamedTuple):
    """A line that looks like an include and is not read as one, and what to do."""

    line: int  # 1-based
    message: str
    unclosed_list: bool = False  # a bare --8<-- that nothing closes: escaping it gives the page back its text


def section_marker(line: str) -> re.Match | None:
    """The extension's match for a section marker line; None for any other line."""
    return SnippetPreprocessor.RE_SNIPPET_SECTION.match(line) if "8<-" in line else None  # cheap test first


def escaped(line: str) -> str:
    """The line as the extension would show it as is: one more ``;`` where it acts on the line.

    (A line of a list of files is not shown either way: see ``commented_out``.)"""
    found = SnippetPreprocessor.RE_ALL_SNIPPETS.match(line) or section_marker(line)
    if not found:
        return line
    return line[: found.start("escape")] + ";" + line[found.start("escape") :]


def commented_out(line: str) -> str:
    """A line of a list of files (between two bare ``--8<--`` lines) that the extension skips: ``;`` before
    the path."""
    path = line.lstrip(" \t")
    return line[: len(line) - len(path)] + ";" + path


def included_whole(line: str) -> str | None:
    """The path a ``--8<-- "path"`` line includes whole; None for any other line, or a part (``path:3:9``,
    ``path:section``), or an escaped include."""
    found = SnippetPreprocessor.RE_ALL_SNIPPETS.match(line)
    if not found or found["escape"] or not found["snippet"]:
        return None
    path, ranges, section = SnippetPreprocessor.RE_SNIPPET_FILE.match(found["snippet"][1:-1].strip()).groups()
    return None if ranges or section else path


def read_includes(lines: list[str]) -> tuple[list[Include], list[IncludeSlip]]:
    """The files these lines include and the include-like lines the extension does not read, in line order.

    Follows the extension's own reading (``SnippetPreprocessor.parse_snippets``): an escaped line is shown;
    a bare ``--8<--`` opens a list of files, one per line (blank and ``;``-commented lines skipped), that
    the next bare ``--8<--`` closes; an inline include inside such a list is dropped.
    """
    includes: list[Include] = []
    slips: list[IncludeSlip] = []
    listed: list[Include] = []
    opened_at = 0  # the line of the bare --8<-- that opened the current list; 0 outside a list
    for number, line in enumerate(lines, start=1):
        found = SnippetPreprocessor.RE_ALL_SNIPPETS.match(line)
        if found and found["escape"]:
            continue
        if found and found["block_marker"]:
            if opened_at:
                includes.extend(listed)
            opened_at, listed = (0 if opened_at else number), []
        elif found and opened_at:
            slips.append(IncludeSlip(number, "an include inside a list of files (between two bare --8<-- lines) "
                                             "is dropped: write its path alone on the line, without --8<-- and quotes"))
        elif found:
            target = found["snippet"][1:-1].strip()
            if not target.startswith(";"):  # the extension's commented-out include
                includes.append(Include(number, target))
        elif opened_at:
            target = line.strip()
            if target and not target.startswith(";"):
                listed.append(Include(number, target, listed=True))
        else:
            reason = unread_include(line)
            if reason:
                slips.append(IncludeSlip(number, f"this line looks like an include, but pymdownx.snippets shows it "
                                                 f"as typed: {reason}"))
    if opened_at:
        slips.append(IncludeSlip(opened_at, f"a bare --8<-- opens a list of files to include and no bare --8<-- "
                                            f"line closes it, so the {_lines(len(lines) - opened_at)} after it would "
                                            "be read as file names and vanish from the page; close the list with "
                                            "a --8<-- line of its own, or write ;--8<-- to show the line as typed",
                                 unclosed_list=True))
    return includes, sorted(slips)


def unread_include(line: str) -> str | None:
    """Why the extension shows this include-like line as typed, and the fix; None for any other line."""
    like = _LIKE_AN_INCLUDE.match(line)
    if not like or SnippetPreprocessor.RE_ALL_SNIPPETS.match(line) or section_marker(line):
        return None
    rest = like["rest"]
    if not rest.strip():
        return "remove the spaces after --8<-- (alone on its line, it opens a list of files)"
    quoted = rest.lstrip(" \t")
    if quoted[0] in "\"'":
        if len(quoted) == len(rest):
            return "put a space between --8<-- and the quote"
        closing = _closing_quote(quoted)
        if closing is None:
            return "the path's quote is never closed; close it"
        if closing == 1:
            return "no file is named between the quotes; name one"
        after = quoted[closing + 1 :]
        if not after.strip():
            return "remove the spaces after the closing quote"
        return f"the line must end at the closing quote; remove {after.strip()!r} (a note goes on a line of its own)"
    unquoted = _UNQUOTED_PATH.fullmatch(rest)
    if unquoted:
        return f'the path must be in quotes: --8<-- "{unquoted["path"]}"'
    return None


def _closing_quote(quoted: str) -> int | None:
    """Where the quote that opens this text closes (a backslash escapes one), as the extension reads it."""
    index = 1
    while index < len(quoted):
        if quoted[index] == "\\" and quoted[index + 1 : index + 2] == quoted[0]:
            index += 2
        elif quoted[index] == quoted[0]:
            return index
        else:
            index += 1
    return None


def _lines(count: int) -> str:
    return "1 line" if count == 1 else f"{count} lines"
