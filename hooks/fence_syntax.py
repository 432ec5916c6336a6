"""Hook: report a code fence that will not become the code block it was written as, naming the page and line.

When pymdownx.superfences rejects a fence's opening line, the page shows that
line as text, and the fence's closing line then opens a code block of its own
that swallows the headings and prose after it, up to the next fence line; the
build says nothing and exits 0. Each of these is a warning with the Markdown
file, the line and what to do (``--strict`` fails; ``mkdocs serve`` keeps
serving); the Markdown is returned unchanged:

- options superfences cannot read (``exec = "on"``, ``exec=on``) or that no kind
  of block takes (``exe="on"``, ``linenums="x"``, ``exec`` on a language
  markdown-exec does not run);
- a block never closed, closed by a longer fence (superfences wants the same
  one), with a line indented less than its opening, or running on into the
  next block because its closing line is missing;
- a fence indented 4 spaces past its list item or admonition (or past the
  margin): Markdown shows it as an indented code block, fence lines and all;
- a block markdown-exec is asked to run (``exec="on"``) whose options its own
  validator cannot read (``width="wide"``): shown as code, never run.

Rather than guess, the hook asks superfences: it runs the page's own lines
through a superfences preprocessor built from the site's extensions and their
settings (so markdown-exec's fences and any other custom fence are judged by
their own validators), with every custom fence's formatter replaced by one
that returns nothing, so no block runs. Superfences reports nothing back, so
the adapter reads which lines it took as code from the preprocessor's stack of
found blocks (``FenceReader``: the one place that touches the preprocessor's
internals; its module's patterns ``RE_NESTED_FENCE_START`` and ``RE_OPTIONS``
are read for the messages too), pinned by the exact version in
requirements.txt and by ``tests/test_fence_syntax.py``, which compares every
verdict with a real rendering. markdown-exec's options are read by its public
``validator``. After a block that is never closed no later fence is reported:
superfences reads the rest of the page as that block.

Expected-output fences are ``code_execution``'s (``markdown_fences`` reads
them, and reports their slips, before superfences sees the page): they are
read here as plain ``text`` fences. On a page that ``markdown_fences`` read
strictly and found a fence never closed or misplaced, only rejected options
are reported here, so one slip is not reported twice. Fence lines shown inside
an indented code block (an example), and a line that opens with backticks and
holds more of them (inline code), are not fences; a fence line superfences does
not read inside an HTML comment or a ``<pre>`` block is text, as its writer
meant, and so is a line such as ``~~~ part one ~~~`` that gives no options and
has no closing line to act on. Line numbers are the
Markdown file's own, front matter counted. Not seen: fences that reach the
page through an include (``--8<--``).
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass

import markdown
import markdown_exec
from mkdocs.config.defaults import MkDocsConfig
from pymdownx.superfences import RE_NESTED_FENCE_START, RE_OPTIONS

from markdown_fences import (
    front_matter_count,
    indent_columns,
    lines_in_raw_html,
    mentions_expected_output,
    page_source,
    page_texts,
    read_as_indented_code,
    read_expected_blocks,
    reopens,
    split_lines,
)

log = logging.getLogger("mkdocs.hooks.fence_syntax")

SUPERFENCES = "pymdownx.superfences"
_FENCE_LINE = re.compile(r"^(?P<prefix>[ \t>]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_OPTION_SYNTAX = re.compile(r"[={}]")  # an opening line meant to give options
# Options markdown-exec and superfences' highlighting take, for hints only: the verdict is superfences'.
MARKDOWN_EXEC_OPTIONS = (
    "exec", "html", "source", "result", "returncode", "session", "updatetoc", "tabs", "workdir", "width", "id",
    "idprefix",
)
OPTION_NAMES = (*MARKDOWN_EXEC_OPTIONS, "title", "linenums", "hl_lines", "title_mode")


@dataclass(frozen=True)
class FenceProblem:
    """A fence line superfences does not read as code: its 1-based line, and why."""

    line: int
    message: str


def _no_output(*args, **kwargs) -> str:
    """A custom fence's formatter while checking: the block is recognised, nothing runs."""
    return ""


class FenceReader:
    """Which lines of a page superfences reads as code blocks, and whether it accepts an opening line.

    The adapter to superfences' preprocessor, built once per page from the site's own settings.
    """

    def __init__(self, config: MkDocsConfig) -> None:
        settings = dict(config.mdx_configs.get(SUPERFENCES, {}))
        settings["custom_fences"] = [{**fence, "format": _no_output} for fence in settings.get("custom_fences", [])]
        md = markdown.Markdown(
            extensions=config.markdown_extensions, extension_configs={**config.mdx_configs, SUPERFENCES: settings}
        )
        # The languages markdown-exec runs: its fences are the custom fences with its (public) validator.
        self.runs = [fence["name"] for fence in settings["custom_fences"] if fence.get("validator") is markdown_exec.validator]
        self._normalize = md.preprocessors["normalize_whitespace"]
        self._fences = md.preprocessors["fenced_code_block"]

    def code_blocks(self, lines: list[str]) -> list[tuple[int, int]]:
        """(first, after last) 0-based line indexes of each code block superfences reads, fence lines included."""
        found: list[tuple[str, int, int]] = []
        reader = self._fences
        reader.reassemble = lambda lines: found.extend(reader.stack) or lines  # keep (block, start, end) ranges
        reader.run(self._normalize.run(lines))
        return sorted((start, end) for _, start, end in found)

    def exec_problem(self, line: str) -> str | None:
        """Why markdown-exec would not run a block it is asked to run (``exec="on"``), read by its own validator.

        superfences then shows the block as plain code: the page looks fine and the code never runs.
        """
        opening = RE_NESTED_FENCE_START.match(line.lstrip(" \t>"))
        if not opening or opening["lang"] not in self.runs or not opening["options"]:
            return None
        values = option_values(opening["options"])
        error = markdown_exec_error(opening["lang"], values) if "exec" in values else None
        if error is None:
            return None  # runs, or exec="off": shown, on purpose, not run
        return (
            f"markdown-exec cannot read the options of '{line.strip()}' ({error}), so the page shows this block as "
            "code and never runs it: fix the value (width and returncode are numbers)"
        )

    def accepts_opening(self, line: str) -> bool:
        """True when superfences would open a code block at this line (its options are accepted)."""
        reader = self._fences
        reader.get_hl_settings()  # as run() does first: the settings the validators read
        reader.clear()
        reader.parse_whitespace(line)
        opening = RE_NESTED_FENCE_START.match(line, reader.ws_len)
        if opening is None:
            return False
        if opening.group("unrecognized"):
            return reader.handle_unrecognized(opening)
        if opening.group("attrs"):
            return reader.handle_attrs(opening)
        return reader.parse_options(opening)


def fence_problems(lines: list[str], reader: FenceReader, skip_layout: bool = False) -> list[FenceProblem]:
    """Each fence line of a page that superfences does not read as the code block it was meant to open.

    ``lines`` are the page file's lines with its front matter blanked, so that
    indexes are the editor's line numbers and front matter is not read as Markdown.
    """
    blocks = reader.code_blocks([as_plain_fence(line) for line in lines])
    taken = {index for start, end in blocks for index in range(start, end)}
    openings = {start for start, _ in blocks}
    in_raw_html = lines_in_raw_html("\n".join(lines))
    problems, explained = [], set()
    for index, line in enumerate(lines):
        match = _FENCE_LINE.match(line)
        if not match or is_inline_code(match) or mentions_expected_output(match["info"]):
            continue
        if index in taken:
            problem = opening_problem(index, lines, reader) if index in openings else None
            if problem:
                problems.append(FenceProblem(index + 1, problem))
        elif index in explained or shown_as_indented_code(index, lines):
            continue  # the closing line of a fence reported already, or a line shown in an indented code block
        elif not reader.accepts_opening(line):
            closing = closing_line(match["fence"], lines, index)
            if index in in_raw_html or closing is None and not _OPTION_SYNTAX.search(match["info"]):
                continue  # text in an HTML comment or <pre>, or a line such as "~~~ part one ~~~": nothing to close
            problems.append(FenceProblem(index + 1, rejected_options(match["fence"], match["info"], reader.runs)))
            explained.add(closing)  # its own closing line: the same slip
        elif not skip_layout:
            if index not in in_raw_html:  # in an HTML comment or <pre>, a fence line is text, as its writer meant
                problems.append(FenceProblem(index + 1, ends_unread(index, lines, blocks)))
            end = block_end(match["fence"], lines, index)
            if end is None:
                break  # superfences reads the rest of the page as this block: no later fence is read
            explained.add(end)
    if not skip_layout:
        problems += [
            FenceProblem(start + 1, runs_on(start, inner, lines))
            for start, inner in unclosed_blocks(lines, blocks)
            if start not in explained  # the closing line of a rejected fence: reported with it
        ]
    return sorted(problems, key=lambda problem: problem.line)


def opening_problem(index: int, lines: list[str], reader: FenceReader) -> str | None:
    """What is wrong with a block superfences did read: Markdown shows it as indented code, or markdown-exec
    cannot read the options of a block it should run."""
    if read_as_indented_code(index, lines):
        return (
            "this fence is indented 4 or more spaces past the list item or admonition it is in (or past the margin, "
            "outside any), so Markdown shows it as an indented code block, fence lines and all: indent it like the "
            "text it belongs to"
        )
    return reader.exec_problem(lines[index])


def shown_as_indented_code(index: int, lines: list[str]) -> bool:
    """True when Markdown shows the line inside an indented code block: as its first line, or under one."""
    first = index
    while first > 0 and lines[first - 1].strip() and indent_columns(lines[first]) >= 4 and not read_as_indented_code(first, lines):
        first -= 1  # a line right under another, both indented: the same block if the one above is code
    return read_as_indented_code(first, lines)


def closing_line(fence: str, lines: list[str], opening: int) -> int | None:
    """The index of the first line after ``opening`` that closes a fence like this one (superfences: the same run)."""
    closing = re.compile(rf"^[ \t>]*{re.escape(fence)}[ \t]*$")
    return next((index for index in range(opening + 1, len(lines)) if closing.match(lines[index])), None)


def unclosed_blocks(lines: list[str], blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(opening, inner) for each code block holding a line that opens a block like it: its own closing was forgotten.

    Inside a block, a line of the same fence character, at least as long, with a language after it can
    only be shown by a longer outer fence; here it means the block ran on into the next one.
    """
    found = []
    for start, end in blocks:
        outer = _FENCE_LINE.match(lines[start])
        # A fence indented 4 columns or more past the block's own is its content (an example of a fence in a
        # box): superfences closes a block only at its own indent.
        inner = next((index for index in range(start + 1, end - 1) if outer and reopens(lines[index], outer["fence"])
                      and indent_columns(lines[index]) - indent_columns(lines[start]) < 4), None)
        if inner is not None:
            found.append((start, inner))
    return found


def runs_on(start: int, inner: int, lines: list[str]) -> str:
    fence = _FENCE_LINE.match(lines[start])["fence"]
    if any(longer_closing_line(fence).match(line) for line in lines[start + 1 : inner]):
        return longer_closing_message(fence)
    return (
        f"this code block has no closing line before line {inner + 1} opens another, so it runs on and swallows "
        f"the text between them: add its closing fence line before line {inner + 1} (or, if the block shows a "
        "fence as an example, open and close it with a longer fence, such as ````)"
    )


def block_end(fence: str, lines: list[str], opening: int) -> int | None:
    """The line meant to close the block opened at ``opening``: its closing line, or a longer one; None if none."""
    closing = closing_line(fence, lines, opening)
    if closing is not None:
        return closing
    pattern = longer_closing_line(fence)
    return next((index for index in range(opening + 1, len(lines)) if pattern.match(lines[index])), None)


def longer_closing_line(fence: str) -> re.Pattern:
    """A line that would close the fence in CommonMark but not in superfences: the same character, more of it."""
    return re.compile(rf"^[ \t>]*{re.escape(fence)}{re.escape(fence[0])}+[ \t]*$")


def longer_closing_message(fence: str) -> str:
    return (
        f"this code block's closing line is longer than its opening {fence}, and pymdownx.superfences closes a block "
        "only with a line of exactly the same fence: make the two the same"
    )


def as_plain_fence(line: str) -> str:
    """An expected-output fence read as a ``text`` fence: markdown_fences checks its options."""
    match = _FENCE_LINE.match(line)
    if match and mentions_expected_output(match["info"]):
        return f"{match['prefix']}{match['fence']}text"
    return line


def is_inline_code(match: re.Match) -> bool:
    """A line such as ````` ```python``` is ... `````: backticks after a backtick fence make it inline code."""
    return match["fence"].startswith("`") and "`" in match["info"]


def rejected_options(fence: str, info: str, runs: list[str]) -> str:
    """Why superfences rejects an opening line, and what to do; ``runs`` names the languages markdown-exec runs."""
    written = f"{fence}{info.rstrip()}"
    opening = RE_NESTED_FENCE_START.match(written)
    consequence = (
        "so the page shows this line as text and the fence's closing line opens a code block that swallows "
        "what follows"
    )
    if opening is None or opening.group("unrecognized"):
        return (
            f"pymdownx.superfences cannot read the options of '{written}', {consequence}; write each option as "
            'name="value": no spaces around "=", the value in quotes, and options either all in {...} or none'
        )
    values = option_values(opening["options"] or "")
    return f"no kind of code block takes the options of '{written}', {consequence}; {option_hint(opening['lang'], values, runs)}"


def option_hint(language: str | None, values: dict[str, str], runs: list[str]) -> str:
    """What to change in the options, as far as their names and markdown-exec's validator tell."""
    if "exec" in values and not language:
        return 'write the language after the fence (```python exec="on")'
    if "exec" in values and language not in runs:
        return (
            f"markdown-exec runs only the languages listed in mkdocs.yml (plugins: markdown-exec: languages; here: "
            f"{', '.join(runs) or 'none'}): write one of those after the fence, or add '{language}' to that list"
        )
    if language in runs and "exec" in values:
        error = markdown_exec_error(language, values)
        if error:
            return f"markdown-exec cannot read them ({error}): fix the value (width and returncode are numbers)"
        if set(values) & set(MARKDOWN_EXEC_OPTIONS) - {"exec"}:
            return (
                f'exec="{values["exec"]}" does not run the block, so its other markdown-exec options are not '
                'options of any block: write exec="on" to run it, or leave them all out to show the code'
            )
    for key in values:
        if key not in OPTION_NAMES:
            guess = difflib.get_close_matches(key, OPTION_NAMES, n=1)
            if guess:
                return f'"{key}" is not an option: did you mean {guess[0]}="..."?'
            return f'"{key}" is not an option of this kind of block: remove it'
    return 'check each value: linenums="1" (a number), hl_lines="2 3" (line numbers), each option written once'


def option_values(options: str) -> dict[str, str]:
    """The options as superfences hands them to a validator: a bare name stands for itself."""
    return {m["key"]: m["key"] if m["value"] is None else m["value"] for m in RE_OPTIONS.finditer(options)}


def markdown_exec_error(language: str, values: dict[str, str]) -> str | None:
    """What markdown-exec's own (public) validator raises on these options; None when it reads them."""
    try:
        markdown_exec.validator(language, dict(values), {}, {}, None)
    except Exception as error:  # noqa: BLE001 (whatever it raises on a value it cannot read)
        return f"{type(error).__name__}: {error}"
    return None


def ends_unread(index: int, lines: list[str], blocks: list[tuple[int, int]]) -> str:
    """Why an accepted opening still does not make a code block: never closed, closed by a longer fence, or broken."""
    match = _FENCE_LINE.match(lines[index])
    fence = match["fence"]
    if closing_line(fence, lines, index) is None:
        if block_end(fence, lines, index) is not None:
            return longer_closing_message(fence)
        before = [(start, end) for start, end in blocks if end - 1 < index]
        hint = ""
        if before and not match["info"].strip():
            start, end = before[-1]
            hint = (
                f" (if this line was meant to close a block, the block opened at line {start + 1} ended at line {end} "
                "instead: give that one its own closing line)"
            )
        return f"this code block is never closed, so pymdownx.superfences shows it as text: add a closing {fence} line{hint}"
    return (
        "pymdownx.superfences does not read this code block as code: a line inside it (or its closing line) is "
        "indented less than this opening line, or its closing line is indented more; indent every line of the block "
        "at least as far as its opening line and the closing line exactly like it"
    )


def on_page_markdown(markdown_text, page, config, files):
    if SUPERFENCES not in config.markdown_extensions:
        return markdown_text
    text = next(page_texts([page.file.abs_src_path]), "")  # as written: the editor's line numbers
    if "```" not in text and "~~~" not in text:
        return markdown_text
    lines = split_lines(text)
    front_matter = front_matter_count(text)
    lines[:front_matter] = [""] * front_matter
    # Where markdown_fences read the page strictly and found a block misplaced, it has reported it already
    # (a slip in an expected-output fence's options is not that: the page's other blocks are still read).
    strict = read_expected_blocks("\n".join(lines))
    slips = {id(problem) for _, problem in strict.slipped}
    skip_layout = any(id(problem) not in slips for problem in strict.problems)
    source = page_source(page, config)
    for problem in fence_problems(lines, FenceReader(config), skip_layout):
        log.warning(f"{source}:{problem.line}: {problem.message}")
    return markdown_text
