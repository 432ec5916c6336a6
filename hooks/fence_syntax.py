"""Hook: report a code fence that pymdownx.superfences will not read as code, naming the page and line.

When superfences rejects a fence's opening line, the page shows that line as
text, and the fence's closing line then opens a code block of its own that
swallows the headings and prose after it, up to the next fence line; the build
says nothing and exits 0. Common slips: spaces around ``=`` or a value without
quotes (``exec = "on"``, ``exec=on``), an option no kind of block takes
(``exe="on"``, ``exec="off"``, ``linenums="x"``), a line inside the block
indented less than its opening line, a fence that is never closed. Each is a
warning with the Markdown file, the line and what to do (``--strict`` fails;
``mkdocs serve`` keeps serving). The Markdown is returned unchanged.

Rather than guess, the hook asks superfences: it runs the page's own lines
through a superfences preprocessor built from the site's extensions and their
settings (so markdown-exec's fences and any other custom fence are judged by
their own validators), with every custom fence's formatter replaced by one
that returns nothing, so no block runs. Superfences reports nothing back, so
the adapter reads which lines it took as code from the preprocessor's stack of
found blocks (``FenceReader``: the one place that touches its internals,
pinned by the exact version in requirements.txt and by
``tests/test_fence_syntax.py``, which compares every verdict with a real
rendering). Every fence-looking line outside them is reported.

Expected-output fences are ``code_execution``'s (``markdown_fences`` reads
them, and reports their slips, before superfences sees the page): they are
read here as plain ``text`` fences. On a page that ``markdown_fences`` read
strictly and found a fence never closed or misplaced, only rejected options
are reported here, so one slip is not reported twice. A line that opens with
backticks and holds more of them is inline code, not a fence. Line numbers are
the Markdown file's own, front matter counted.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass

import markdown
from mkdocs.config.defaults import MkDocsConfig
from pymdownx.superfences import RE_NESTED_FENCE_START, RE_OPTIONS

from markdown_fences import front_matter_lines, page_source, page_texts, read_expected_blocks, split_lines

log = logging.getLogger("mkdocs.hooks.fence_syntax")

SUPERFENCES = "pymdownx.superfences"
_FENCE_LINE = re.compile(r"^(?P<prefix>[ \t>]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
# Options markdown-exec and superfences' highlighting take, for "did you mean" hints only: the verdict is superfences'.
OPTION_NAMES = (
    "exec", "html", "source", "result", "returncode", "session", "updatetoc", "tabs", "workdir", "width", "id",
    "idprefix", "title", "linenums", "hl_lines", "title_mode",
)


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
        self.runs = [fence["name"] for fence in settings["custom_fences"]]  # languages a custom fence (markdown-exec) takes
        self._normalize = md.preprocessors["normalize_whitespace"]
        self._fences = md.preprocessors["fenced_code_block"]

    def code_blocks(self, lines: list[str]) -> list[tuple[int, int]]:
        """(first, after last) 0-based line indexes of each code block superfences reads, fence lines included."""
        found: list[tuple[str, int, int]] = []
        reader = self._fences
        reader.reassemble = lambda lines: found.extend(reader.stack) or lines  # keep (block, start, end) ranges
        reader.run(self._normalize.run(lines))
        return sorted((start, end) for _, start, end in found)

    def accepts_opening(self, line: str) -> bool:
        """True when superfences would open a code block at this line (its options are accepted)."""
        reader = self._fences
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
    problems, explained = [], set()
    for index, line in enumerate(lines):
        match = _FENCE_LINE.match(line)
        if index in taken or index in explained or not match or is_inline_code(match) or "expect" in match["info"].lower():
            continue
        if not reader.accepts_opening(line):
            problems.append(FenceProblem(index + 1, rejected_options(match["fence"], match["info"], reader.runs)))
            explained.add(closing_line(match["fence"], lines, index))  # its own closing line: the same slip
        elif not skip_layout:
            problems.append(FenceProblem(index + 1, ends_unread(match["fence"], lines[index + 1 :])))
            explained.add(closing_line(match["fence"], lines, index))
    if not skip_layout:
        problems += [
            FenceProblem(start + 1, runs_on(start, inner))
            for start, inner in unclosed_blocks(lines, blocks)
            if start not in explained  # the closing line of a rejected fence: reported with it
        ]
    return sorted(problems, key=lambda problem: problem.line)


def closing_line(fence: str, lines: list[str], opening: int) -> int | None:
    """The index of the first line after ``opening`` that would close a fence like this one."""
    closing = re.compile(rf"^[ \t>]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    return next((index for index in range(opening + 1, len(lines)) if closing.match(lines[index])), None)


def unclosed_blocks(lines: list[str], blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(opening, inner) for each code block holding a line that opens a block like it: its own closing was forgotten.

    Inside a block, a line of the same fence character, at least as long, with a language after it can
    only be shown by a longer outer fence; here it means the block ran on into the next one.
    """
    found = []
    for start, end in blocks:
        outer = _FENCE_LINE.match(lines[start])
        for index in range(start + 1, end - 1):
            inner = _FENCE_LINE.match(lines[index])
            if outer and inner and inner["fence"][0] == outer["fence"][0] and len(inner["fence"]) >= len(outer["fence"]) and inner["info"].strip():
                found.append((start, index))
                break
    return found


def runs_on(start: int, inner: int) -> str:
    return (
        f"this code block has no closing line before line {inner + 1} opens another, so it runs on and swallows "
        f"the text between them: add its closing fence line before line {inner + 1}"
    )


def as_plain_fence(line: str) -> str:
    """An expected-output fence read as a ``text`` fence: markdown_fences checks its options."""
    match = _FENCE_LINE.match(line)
    if match and "expect" in match["info"].lower():
        return f"{match['prefix']}{match['fence']}text"
    return line


def is_inline_code(match: re.Match) -> bool:
    """A line such as ````` ```python``` is ... `````: backticks after a backtick fence make it inline code."""
    return match["fence"].startswith("`") and "`" in match["info"]


def rejected_options(fence: str, info: str, custom: list[str]) -> str:
    """Why superfences rejects an opening line, and what to do; ``custom`` names the custom fences' languages."""
    written = f"{fence}{info.rstrip()}"
    opening = RE_NESTED_FENCE_START.match(written)
    consequence = (
        "so the page shows this line as text and the fence's closing line opens a code block that swallows "
        "what follows"
    )
    if opening is None or opening.group("unrecognized"):
        return (
            f"pymdownx.superfences cannot read the options of '{written}', {consequence}; write each option as "
            'name="value": no spaces around "=", the value in quotes'
        )
    values = {m["key"]: m["value"] for m in RE_OPTIONS.finditer(opening["options"] or "")}
    return f"no kind of code block takes the options of '{written}', {consequence}; {option_hint(opening['lang'], values, custom)}"


def option_hint(language: str | None, values: dict[str, str | None], custom: list[str]) -> str:
    """What to change in the options, as far as their names tell."""
    if "exec" in values and language not in custom:
        runs = ", ".join(custom) or "none"
        return (
            f"markdown-exec runs only the languages listed in mkdocs.yml (plugins: markdown-exec: languages; here: "
            f"{runs}): write one of those after the fence, or add '{language}' to that list"
        )
    for key in values:
        if key not in OPTION_NAMES:
            guess = difflib.get_close_matches(key, OPTION_NAMES, n=1)
            if guess:
                return f'"{key}" is not an option: did you mean {guess[0]}="..."?'
            return f'"{key}" is not an option of this kind of block: remove it'
    return 'check each value: linenums="1" (a number), hl_lines="2 3" (line numbers), each option written once'


def ends_unread(fence: str, after: list[str]) -> str:
    """Why an accepted opening still does not make a code block: it is never closed, or a line breaks it."""
    if closing_line(fence, [""] + after, 0) is None:
        return (
            f"this code block is never closed, so pymdownx.superfences shows it as text: add a closing {fence} line, "
            "indented like this one"
        )
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
    front_matter = front_matter_lines(page.file.abs_src_path)
    lines[:front_matter] = [""] * front_matter
    # Where markdown_fences read the page strictly and found a block misplaced, it has reported it already.
    skip_layout = bool(read_expected_blocks("\n".join(lines)).problems)
    source = page_source(page, config)
    for problem in fence_problems(lines, FenceReader(config), skip_layout):
        log.warning(f"{source}:{problem.line}: {problem.message}")
    return markdown_text
