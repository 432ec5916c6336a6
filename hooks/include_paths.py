"""Hook: report a ``--8<--`` include that would include nothing, with the page, the line and what to do.

pymdownx.snippets would stop the build with a traceback and no line number
(``check_paths: true``), or silently include nothing (``false``): a code block
that stays empty, or an editor with no code in it. With ``check_paths: false``
in mkdocs.yml, this hook makes each such include a warning that names the
Markdown file, the line and the path, so ``--strict`` fails cleanly and
``mkdocs serve`` keeps serving:

- the file is in none of the extension's ``base_path`` folders, or resolves
  outside them (``../``, an absolute path: ``restrict_base_path``, on by default,
  makes the extension skip it);
- the file is not UTF-8 text (the extension would stop the build with a
  traceback naming neither the file nor the line): its include line is also
  escaped, so the page shows it as typed and ``mkdocs serve`` keeps serving;
- a line range (``file.py:3:9``) starts past the file's end or ends before it
  starts, or a section (``file.py:name``) has no ``--8<-- [start:name]`` line.

Includes are read as the extension reads them (``snippet_syntax.read_includes``):
one ``--8<-- "file"`` line, or the files listed between two bare ``--8<--``
lines. A line that looks like an include but that the extension would not read
as one is a warning too, with the fix: it would be shown as typed (a space or a
note after the closing quote, no quotes, no space before the quote), dropped
(an include inside a list of files), or, for a bare ``--8<--`` that nothing
closes, every line after it would be read as a file name and vanish from the
page; such a line is escaped, so the page keeps its text under ``mkdocs serve``.

A code block titled with a file's path (``title="snippets/a.py"``) whose only
content is an include of another file is a warning too: the reader sees one
file's name over another's code, and the expected output under it is the named
file's (a block copied and its include changed, not its title).

``;--8<--`` (an escaped include) and remote (``https://``) includes are skipped,
and so are the lines of expected-output blocks, which the build replaces with
what their snippets print (``verified_output`` escapes those). The page is read
from its file, so line numbers are the file's own, front matter counted, even
after an earlier hook rewrote the Markdown.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
from pathlib import Path
from typing import NamedTuple

from pymdownx.snippets import SnippetPreprocessor

from markdown_fences import fences, page_source, read_expected_blocks, read_front_matter, split_lines
from snippet_syntax import commented_out, escaped, read_includes, section_marker

log = logging.getLogger("mkdocs.hooks.include_paths")
_PATH_TITLE = re.compile(r"^[\w.-]+(?:/[\w.-]+)*\.\w+$")  # snippets/trend_ranking.py: a title that names a file
_RANGE = re.compile(r"(?P<start>-?\d*)(?::(?P<end>-?\d*))?")


class IncludeProblem(NamedTuple):
    """What is wrong with one include line and what to do.

    ``shown_as_typed``: the hook escapes the line (the extension would crash on its file, or read the rest
    of the page as file names), so the page still renders and ``mkdocs serve`` keeps serving.
    """

    message: str
    shown_as_typed: bool = False
    target: str = ""  # the include's file (and part) as written, when the problem is with the file


def include_problems(markdown: str, base_paths: list[Path], restricted: bool = True) -> list[tuple[int, IncludeProblem]]:
    """(1-based line, what is wrong and what to do) for every include that would include nothing and every
    include-like line the extension would not read as one, in line order."""
    lines = split_lines(markdown)
    for block in read_expected_blocks(markdown).blocks:  # replaced by what the snippet prints, escaped
        lines[block.start + 1 : block.end] = [""] * (block.end - block.start - 1)
    includes, slips = read_includes(lines)
    problems = [(slip.line, IncludeProblem(slip.message, slip.unclosed_list)) for slip in slips]
    for include in includes:
        if "://" not in include.target:  # remote includes are not ours to check
            problem = include_problem(include.target, base_paths, restricted)
            if problem:
                problems.append((include.line, problem._replace(target=include.target)))
    return sorted(problems + titles_naming_another_file(markdown), key=lambda item: item[0])


def included_path(written: str) -> str:
    """The file an include names, without its line range or section (``snippets/a.py:3:9`` -> ``snippets/a.py``)."""
    parts = SnippetPreprocessor.RE_SNIPPET_FILE.match(written)
    return parts.group(1) if parts else written


def names_the_file(title: str, path: str) -> bool:
    """Whether a block's title names this file: its path, or its last parts (``trend_ranking.py``)."""
    title = posixpath.normpath(title)
    return path == title or path.endswith("/" + title)


def titles_naming_another_file(markdown: str) -> list[tuple[int, IncludeProblem]]:
    """(1-based line of the fence, what to do) for each code block titled with a file's path that shows another file."""
    problems = []
    for fence in fences(markdown):
        title = fence.options.get("title", "")
        if not _PATH_TITLE.match(title):
            continue  # "Example", "Output": a title that names no file
        includes, _ = read_includes(fence.body)
        shown = {posixpath.normpath(included_path(include.target)) for include in includes}
        written = [line for line in fence.body if line.strip()]
        if len(shown) == 1 and len(includes) == len(written) and not names_the_file(title, next(iter(shown))):
            problems.append((fence.start + 1, IncludeProblem(
                f"this block is titled {title} but shows {shown.pop()}, its include: a reader takes the code for "
                f"{title}'s (and runs that file for the output); title it with the file it includes, or include {title}"
            )))
    return problems


def include_problem(written: str, base_paths: list[Path], restricted: bool) -> IncludeProblem | None:
    """What is wrong with one include, as written after --8<--; None when it includes something."""
    parts = SnippetPreprocessor.RE_SNIPPET_FILE.match(written)
    path, ranges, section = parts.groups() if parts else (written, None, None)
    if not path.strip():
        return IncludeProblem("an include names no file, so nothing would be included; write the path between "
                              "the quotes")
    found = find_file(path, base_paths, restricted)
    if found is None:
        if restricted and find_file(path, base_paths, restricted=False):
            return IncludeProblem(f"included file {path} is outside the include folders, so nothing would be "
                                  "included; move it into the project or fix the path after --8<--")
        return IncludeProblem(f"included file {path} does not exist; fix the path after --8<-- or add the file")
    try:
        text = found.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        return IncludeProblem(f"included file {path} is not UTF-8 text (byte {error.start}); "
                              "include a text file, saved as UTF-8", shown_as_typed=True)
    lines = text.splitlines()
    if ranges and not ranges_include_lines(ranges, len(lines)):
        return IncludeProblem(f"included lines {ranges.lstrip(':')} of {path} are not in the file, which has "
                              f"{len(lines)} lines; fix the range after --8<--")
    if section and not has_section(lines, section[1:]):
        return IncludeProblem(f"included section {section[1:]} of {path} is not in the file (no line holding "
                              f"'--8<-- [start:{section[1:]}]'); fix the name after --8<-- or add the section's markers")
    return None


def find_file(path: str, base_paths: list[Path], restricted: bool) -> Path | None:
    """The file the extension would include, looked up as it does; None if none."""
    for base in base_paths:
        base_dir = os.path.abspath(base)
        candidate = os.path.abspath(os.path.join(base_dir, path))
        if restricted and not candidate.startswith(base_dir.rstrip(os.sep) + os.sep):
            continue
        if os.path.isfile(candidate):
            return Path(candidate)
    return None


def ranges_include_lines(ranges: str, count: int) -> bool:
    """False when a range starts past the file's last line or ends before it starts (1-based, as written)."""
    for item in ranges.lstrip(":").split(","):
        match = _RANGE.fullmatch(item.lstrip(":"))
        if not match:
            continue
        start = int(match["start"]) if match["start"] not in ("", "-") else None
        end = int(match["end"]) if match["end"] not in (None, "", "-") else None
        if start is not None and start > count:
            return False
        if start is not None and end is not None and start > 0 and end > 0 and end < start:
            return False
    return True


def has_section(lines: list[str], name: str) -> bool:
    """True when a line of the file opens the section (``--8<-- [start:name]``, names case-insensitive)."""
    for line in lines:
        match = section_marker(line)
        if match and not match["escape"] and match["type"].lower() == "start" and match["name"].lower() == name.lower():
            return True
    return False


def base_paths(config) -> list[Path]:
    settings = config.mdx_configs.get("pymdownx.snippets", {})
    bases = settings.get("base_path", ["."])
    return [Path(b) for b in ([bases] if isinstance(bases, str) else bases)]


def restricted(config) -> bool:
    return bool(config.mdx_configs.get("pymdownx.snippets", {}).get("restrict_base_path", True))


def readable(markdown: str, unreadable_files: set[str]) -> str:
    """The Markdown without the includes that would stop the build or empty the page: an include of one of
    these files is escaped (``;--8<--``: shown as typed) or, in a list of files, commented out (``;file``);
    a bare ``--8<--`` that nothing closes is escaped."""
    lines = markdown.split("\n")
    includes, slips = read_includes(lines)
    for include in includes:
        if include.target in unreadable_files:
            line = lines[include.line - 1]
            lines[include.line - 1] = commented_out(line) if include.listed else escaped(line)
    for slip in slips:
        if slip.unclosed_list:
            lines[slip.line - 1] = escaped(lines[slip.line - 1])
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, files):
    source = page_source(page, config)
    # The file as written: an earlier hook may have rewritten the Markdown (expected outputs rendered).
    written, _, offset = read_front_matter(page.file.content_string)
    problems = include_problems(written, base_paths(config), restricted(config))
    for line, problem in problems:
        log.warning(f"{source}:{line + offset}: {problem.message}")
    escape = {problem.target for _, problem in problems if problem.shown_as_typed}
    if not escape:
        return markdown
    # pymdownx.snippets would stop the build with a traceback, or read the rest of the page as file names;
    # escaped, the page still renders (mkdocs serve keeps serving) and the warning above says what to fix.
    return readable(markdown, escape - {""})
