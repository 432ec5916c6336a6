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

``;--8<--`` (an escaped include) and remote (``https://``) includes are skipped.
Line numbers are the Markdown file's own, front matter counted.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import NamedTuple

from pymdownx.snippets import SnippetPreprocessor

from markdown_fences import front_matter_lines, page_source
from snippet_syntax import escaped, section_marker

log = logging.getLogger("mkdocs.hooks.include_paths")
_INCLUDE = re.compile(r'^[ \t]*-{1,}8<-{1,}[ \t]+(["\'])(?P<path>[^"\']+)\1[ \t]*$')
_RANGE = re.compile(r"(?P<start>-?\d*)(?::(?P<end>-?\d*))?")


class IncludeProblem(NamedTuple):
    """What is wrong with one include and what to do; ``unreadable`` when the extension would crash on it."""

    message: str
    unreadable: bool = False


def include_problems(markdown: str, base_paths: list[Path], restricted: bool = True) -> list[tuple[int, IncludeProblem]]:
    """(1-based line, what is wrong and what to do) for every include that would include nothing."""
    problems = []
    for number, line in enumerate(markdown.splitlines(), start=1):
        match = _INCLUDE.match(line)
        if match and "://" not in match["path"]:  # remote includes are not ours to check
            problem = include_problem(match["path"].strip(), base_paths, restricted)
            if problem:
                problems.append((number, problem))
    return problems


def include_problem(written: str, base_paths: list[Path], restricted: bool) -> IncludeProblem | None:
    """What is wrong with one include, as written after --8<--; None when it includes something."""
    parts = SnippetPreprocessor.RE_SNIPPET_FILE.match(written)
    path, ranges, section = parts.groups() if parts else (written, None, None)
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
                              "include a text file, saved as UTF-8", unreadable=True)
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


def escaped_lines(markdown: str, line_numbers: set[int]) -> str:
    """The Markdown with the include on each of these lines escaped (``;--8<--``): shown as typed, not read."""
    lines = markdown.split("\n")
    for number in line_numbers:
        lines[number - 1] = escaped(lines[number - 1])
    return "\n".join(lines)


def on_page_markdown(markdown, page, config, files):
    source = page_source(page, config)
    offset = front_matter_lines(page.file.abs_src_path)
    unreadable = set()
    for line, problem in include_problems(markdown, base_paths(config), restricted(config)):
        log.warning(f"{source}:{line + offset}: {problem.message}")
        if problem.unreadable:
            unreadable.add(line)
    # pymdownx.snippets would stop the build on such a file with a traceback; shown as typed, the page
    # still renders (mkdocs serve keeps serving) and the warning above says what to fix.
    return escaped_lines(markdown, unreadable) if unreadable else markdown
