"""Find fenced code blocks in Markdown, and rewrite "expected output" blocks among them.

Not a hook itself: shared by ``verified_output.py`` (checks at build time),
``scripts/update_expected.py`` (refreshes the Markdown) and the other hooks that
read pages or fences (``code_blocks`` finds a block's line). ``fences`` lists a
text's top-level fenced blocks. An expected-output block is an ordinary fenced
block whose info string names the snippet whose output it declares::

    ```text expected-output="snippets/trend_ranking.py"
    {'name': 'stronger controllable editing', ...}
    ```

Options on the fence line: ``expected-output`` (required: the snippet, relative
to the project root) and ``timeout`` (seconds, optional), each written
``key="value"`` or ``key='value'``. The fence may be indented (inside an
admonition or a list); the indent is not part of the text.

A slip in those options would otherwise switch the check off without a word
(the block is shown as typed, or garbled: pymdownx.superfences does not read
such a line as a fence), so it is a ``BlockSyntaxError`` naming the line and
the fix: on any fence, an option whose name is ``expected-output`` or close to
it (``expected-ouput``, ``expected_output``, ``Expected-Output``, any name
starting with "expect") unless it is exactly ``expected-output="..."``: a
misspelt name, a value without quotes (``expected-output=snippets/x.py``) or
with an open quote, spaces around ``=``, no value, or an empty one; and on an
expected-output fence, any option other than those two (``timout="5"``,
``title="..."``), or a ``timeout`` without quotes. Other fences' options
(markdown-exec's ``exec="on"``, ``title="a.py"``, ...) are not looked at.

Fences are read as CommonMark and pymdownx.superfences read them: backticks or
tildes, three or more; a fence is closed by a line of the same character, at
least as long, with nothing after it but spaces, indented like the opening
line. Its body lines are indented at least as far as the opening. A page that
uses expected-output blocks is read strictly, because a slip there changes
what is checked and what ``make update-expected`` rewrites: a fence that is
never closed, a line inside a fence that opens another fence of the same kind
(its closing line was forgotten), a closing line indented differently, a body
line indented less than its fence, a tab-indented expected-output fence, or
one that Markdown reads as an indented code block (indented 4 spaces or more
past the list item or admonition it is in, or outside any, after a blank line
or a heading: the page would show its fence lines and the real output never) is
a ``BlockSyntaxError`` with its line and what to do. A page that only mentions
``expected-output`` in a slipped option (above) is read strictly too.

``read_expected_blocks`` tells the build which blocks it can still check on
such a page: when every problem is a slip in a fence's options, the fence
pairing is sound, so the other blocks are checked and rendered as usual and
each slipped fence can be replaced by a report; after any other problem
(a fence never closed, ...) no block is, as blocks may not be what they seem.

Lines end as MkDocs reads them (``\\r\\n``, ``\\r`` or ``\\n``), so line numbers
are the editor's.
"""

from __future__ import annotations

import difflib
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.utils.meta import get_data

MARKER = "expected-output"
TAB_WIDTH = 4  # as Python-Markdown expands tabs
_OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_CLOSING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*$")
_OPTION = re.compile(r'''(?P<key>[\w-]+)=(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)')''')
# One word of a fence's info string, read loosely so that slips can be named: a name, then maybe "="
# (spaces around it allowed) and a value in double quotes, single quotes or none; or any other word.
_WORD = re.compile(
    r'''(?P<key>[^\s="'`]+)(?:(?P<equals>[ \t]*=[ \t]*)(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'|(?P<bare>\S*)))?|\S+'''
)
KNOWN_OPTIONS = (MARKER, "timeout")
PLACEHOLDERS = {MARKER: "snippets/NAME.py", "timeout": "SECONDS"}
NEAR_MISS = 0.8  # difflib ratio to expected-output: "expected_output" 0.93, "expected-input" 0.83, "exec" 0.42
# One physical line with its ending; the same line breaks as MkDocs' universal newlines.
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# An HTML comment, or one of these elements opened at the start of a line (a raw HTML block; in prose or
# inline code, "<pre>" is a word), each closed: one never closed is shown as text by Python-Markdown.
_RAW_HTML = re.compile(r"<!--.*?-->|^[ \t]*<(pre|textarea|script|style)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE | re.MULTILINE)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
CODE_INDENT = 4  # columns past its container's content that make a line an indented code block
# Lines whose content Python-Markdown reads 4 columns further in: list items, admonitions and details,
# content tabs, footnotes, definitions.
_CONTAINER = re.compile(r"^[ ]*(?:[-*+][ \t]|\d+[.)][ \t]|!!!|\?\?\?|===[+!]*[ \t]|\[\^[^\]]+\]:|:[ \t])")
_HEADING = re.compile(r"^[ ]{0,3}#")
_RULE = re.compile(r"^[ ]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # "* * *" is a horizontal rule, not a list item


class BlockSyntaxError(ValueError):
    """A malformed expected-output block at a 1-based line of the Markdown."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class ExpectedBlock:
    """One expected-output block. Line numbers are 0-based indexes into the text's lines."""

    snippet: str
    indent: str
    start: int  # the opening fence line
    end: int  # the closing fence line
    expected: list[str]
    options: dict[str, str] = field(default_factory=dict)
    marker: str = "```"  # the opening run of backticks or tildes

    @property
    def line(self) -> int:
        """1-based line number of the opening fence, as editors show it."""
        return self.start + 1

    def timeout(self, default: float) -> float:
        raw = self.options.get("timeout")
        if raw is None:
            return default
        seconds = positive_seconds(raw)
        if seconds is None:
            raise BlockSyntaxError(self.line, f'timeout="{raw}" must be a positive number of seconds')
        return seconds


def positive_seconds(raw: str) -> float | None:
    """A fence line's timeout="..." as seconds, or None unless it is a number above zero."""
    try:
        seconds = float(raw)
    except ValueError:
        return None
    return seconds if seconds > 0 else None


@dataclass(frozen=True)
class Fence:
    """A top-level fenced block. Line numbers are 0-based indexes into the text's lines."""

    indent: str
    marker: str  # the opening run of backticks or tildes
    info: str  # the rest of the opening line: language and options
    start: int
    end: int | None  # the closing line; None when the fence is never closed
    body: list[str]  # the lines between, without the fence's indent

    @property
    def options(self) -> dict[str, str]:
        return _options(self.info)


def split_lines(text: str) -> list[str]:
    """The text's lines without their endings, split where MkDocs splits them."""
    return [line.rstrip("\r\n") for line in lines_with_endings(text)]


def lines_with_endings(text: str) -> list[str]:
    """The text's lines, each with its own ending ("" for a last line without one)."""
    return _LINE.findall(text)


def fences(text: str) -> list[Fence]:
    """Every top-level fenced block, in order; what a fence holds is never searched."""
    return _scan(split_lines(text))[0]


def lines_in_fences(text: str) -> set[int]:
    """0-based indexes of the lines of top-level fenced blocks, fence lines included (to the end if unclosed)."""
    count = len(split_lines(text))
    return {i for fence in fences(text) for i in range(fence.start, count if fence.end is None else fence.end + 1)}


def lines_in_comments(text: str) -> set[int]:
    """0-based indexes of the lines an HTML comment covers (from its opening line to its closing one)."""
    return _lines_covered(text, _COMMENT)


def lines_in_raw_html(text: str) -> set[int]:
    """0-based indexes of the lines an HTML comment or a ``<pre>``, ``<textarea>``, ``<script>`` or ``<style>``
    element covers: what they hold is not read as Markdown (a fence line there is text)."""
    return _lines_covered(text, _RAW_HTML)


def _lines_covered(text: str, pattern: re.Pattern) -> set[int]:
    covered = set()
    for found in pattern.finditer(text):
        first = text.count("\n", 0, found.start())
        covered.update(range(first, first + found.group(0).count("\n") + 1))
    return covered


def uses_expected_output(text: str) -> bool:
    """True when any line, nested or not, opens a fence naming a snippet: such a page is read strictly."""
    return _names_a_snippet(split_lines(text))


def fence_problems(text: str) -> list[BlockSyntaxError]:
    """Every malformed fence of the text, in line order (see the module docstring)."""
    _, layout, slipped = _read(split_lines(text))
    return _by_line(layout + [problem for _, problem in slipped])


@dataclass(frozen=True)
class PageBlocks:
    """A page's expected-output blocks as the build reads them (see ``read_expected_blocks``)."""

    blocks: list[ExpectedBlock]  # safe to check and render
    slipped: list[tuple[Fence, BlockSyntaxError]]  # closed fences whose options slipped: show a report instead
    problems: list[BlockSyntaxError]  # what to report, in line order


def read_expected_blocks(text: str) -> PageBlocks:
    """The blocks of a strictly read page that can still be checked, and what to report.

    A slip in a fence's options concerns that fence only: the fences are still
    paired as written, so every other block is checked and each slipped fence
    is listed, to be replaced by its report. After any other problem no block
    is checked, and only the first problem is reported: the fences after it
    may not be what they seem, and the later problems may follow from it.
    """
    lines = split_lines(text)
    if not _names_a_snippet(lines):
        return PageBlocks([], [], [])
    found, layout, slipped = _read(lines)
    problems = _by_line(layout + [problem for _, problem in slipped])
    if layout:
        return PageBlocks([], [], problems[:1])
    skipped = {fence.start for fence, _ in slipped}
    blocks = [_expected_block(fence) for fence in found if MARKER in fence.options and fence.start not in skipped]
    return PageBlocks(blocks, slipped, problems)


def find_expected_blocks(text: str) -> list[ExpectedBlock]:
    """Every expected-output block in the text, in order.

    A page that uses them is read strictly: its first malformed fence raises
    ``BlockSyntaxError``, so no block is checked or rewritten on a page whose
    blocks may not be what they seem.
    """
    page = read_expected_blocks(text)
    if page.problems:
        raise page.problems[0]
    return page.blocks


def body_problem(block: ExpectedBlock, lines: list[str]) -> str | None:
    """Why these lines cannot be the block's body (one would end its fence or open another); None if they can."""
    for number, line in enumerate(lines, 1):
        written = block.indent + line
        ends = _closes(written, block.marker) and _columns(_leading(written)) < _columns(block.indent) + TAB_WIDTH
        if ends or reopens(written, block.marker):
            longer = block.marker[0] * (1 + max(len(block.marker), _longest_run(lines, block.marker[0])))
            return (
                f"line {number} of the new output ({line.strip()}) would end or break the block's "
                f"{block.marker} fence: open and close the block with {longer} instead, then run this again"
            )
    return None


def _scan(lines: list[str]) -> tuple[list[Fence], list[BlockSyntaxError]]:
    """The top-level fences, and what is wrong with them (a strict reader's complaints)."""
    found: list[Fence] = []
    problems: list[BlockSyntaxError] = []
    index = 0
    while index < len(lines):
        opening = _opening(lines[index])
        if opening is None:
            index += 1
            continue
        indent, marker, info = opening
        close, problem = _closing_line(lines, index, indent, marker)
        if problem is None and close is None:
            problem = _unclosed(index, marker, found)
        if problem is not None:
            problems.append(problem)
        body = [_dedent(line, indent) for line in lines[index + 1 : close]]
        found.append(Fence(indent, marker, info.strip(), index, close, body))
        index = (close if close is not None else len(lines)) + 1
    return found, problems


def _expected_block(fence: Fence) -> ExpectedBlock:
    assert fence.end is not None
    options = fence.options
    return ExpectedBlock(options[MARKER], fence.indent, fence.start, fence.end, fence.body, options, fence.marker)


def _names_a_snippet(lines: list[str]) -> bool:
    """True when a fence line, nested or not, names a snippet or almost does (a slipped option)."""
    return any(mentions_expected_output(opening[2]) for opening in map(_opening, lines) if opening)


def _read(lines: list[str]) -> tuple[list[Fence], list[BlockSyntaxError], list[tuple[Fence, BlockSyntaxError]]]:
    """The top-level fences; problems with their layout (pairing, indents); fences whose options slipped."""
    found, problems = _scan(lines)
    layout = problems + [p for fence in found if MARKER in fence.options for p in _expected_block_problems(fence, lines)]
    slipped = [(fence, problem) for fence in found if (problem := _option_problem(fence))]
    return found, layout, slipped


def _by_line(problems: list[BlockSyntaxError]) -> list[BlockSyntaxError]:
    return sorted(problems, key=lambda problem: problem.line)


def _opening(line: str) -> tuple[str, str, str] | None:
    """(indent, marker, info) when the line opens a fence; a backtick fence's info has no backtick."""
    match = _OPENING.match(line)
    if not match or (match["fence"][0] == "`" and "`" in match["info"]):
        return None
    return match["indent"], match["fence"], match["info"]


def _closing_line(lines: list[str], start: int, indent: str, marker: str) -> tuple[int | None, BlockSyntaxError | None]:
    """The line that closes the fence opened at ``start`` (None if none does), and the first slip inside it."""
    problem: BlockSyntaxError | None = None
    for index in range(start + 1, len(lines)):
        if _closes(lines[index], marker) and _columns(_leading(lines[index])) == _columns(indent):
            return index, problem
        problem = problem or _slip(lines, start, index, indent, marker)
    return None, problem


def _slip(lines: list[str], start: int, index: int, indent: str, marker: str) -> BlockSyntaxError | None:
    """What a strict reader finds wrong with a line inside the fence opened at ``start``; None if nothing."""
    line, below, width = lines[index], index - start, _columns(indent)
    line_width = _columns(_leading(line))
    if _closes(line, marker) and line_width < width + TAB_WIDTH:  # deeper by a tab stop or more: content
        return BlockSyntaxError(
            index + 1,
            f"this closing {marker} is indented {line_width} columns but the fence it closes, "
            f"{below} line(s) above, is indented {width}: indent both alike, with spaces",
        )
    if reopens(line, marker):
        return BlockSyntaxError(
            start + 1,
            f"this {marker} fence has no closing line before '{line.strip()}' {below} line(s) below, "
            f"which opens a new fence: add a closing {marker} line where this block's content ends "
            f"(to show a fence inside the block instead, open and close it with {marker[0] * (len(marker) + 1)})",
        )
    if line.strip() and line_width < width:
        return BlockSyntaxError(
            index + 1,
            f"this line is indented less than the {marker} fence {below} line(s) above, which ends the "
            f"list or admonition that fence is in before the fence is closed: indent the line like the "
            f"fence, or add the closing {marker} above it",
        )
    return None


def _unclosed(start: int, marker: str, earlier: list[Fence]) -> BlockSyntaxError:
    hint = ""
    if earlier:
        above = start - earlier[-1].start
        hint = (
            f" (if the fence that opens {above} line(s) above has no closing line of its own, "
            "it ended on this line instead: close that one)"
        )
    return BlockSyntaxError(
        start + 1,
        f"this {marker} fence is never closed: add a closing {marker} line, indented like it, "
        f"where its content ends{hint}",
    )


def _expected_block_problems(fence: Fence, lines: list[str]) -> list[BlockSyntaxError]:
    """What is wrong with an expected-output fence beyond what is wrong with any fence."""
    problems = []
    if "\t" in fence.indent:
        message = "this expected-output fence is indented with a tab: indent it with spaces (4 per level)"
        problems.append(BlockSyntaxError(fence.start + 1, message))
    elif read_as_indented_code(fence.start, lines):
        message = (
            f"this expected-output fence is indented {_columns(fence.indent)} spaces, 4 or more past the list item "
            "or admonition it is in (or past the margin, outside any), so Markdown reads it as an indented code "
            "block: the page would show its fence lines, not the real output. Indent it like the text around it "
            "(to show it as an example instead, put it in a ````markdown fence)"
        )
        problems.append(BlockSyntaxError(fence.start + 1, message))
    elif fence.end is not None and _CLOSING.match(lines[fence.end])["indent"] != fence.indent:
        problems.append(
            BlockSyntaxError(fence.end + 1, "indent this closing fence with the same spaces as its opening line")
        )
    return problems


@dataclass(frozen=True)
class _WrittenOption:
    """One option of a fence line as typed: name, "=" with what surrounds it, value and its quotes."""

    text: str
    key: str
    equals: str | None  # None for a word without "="
    value: str  # without its quotes
    quote: str  # '"', "'" or "" (none)

    def fixed(self, key: str) -> str:
        """The option as it should be written, under the given name."""
        value = self.value.strip("\"' ") or PLACEHOLDERS.get(key, "...")
        return f'{key}="{value}"'


def _written_options(info: str) -> list[_WrittenOption]:
    """The words after the language of a fence's info string, each read as an option."""
    options = []
    for number, match in enumerate(_WORD.finditer(info)):
        if number == 0 and match["key"] and match["equals"] is None:
            continue  # the language
        quote = '"' if match["double"] is not None else "'" if match["single"] is not None else ""
        value = next((v for v in (match["double"], match["single"], match["bare"]) if v is not None), "")
        options.append(_WrittenOption(match[0], match["key"] or match[0], match["equals"], value, quote))
    return options


def _near_marker(key: str) -> bool:
    """True for a name that is almost expected-output: a typo, "_" for "-", another case, "expect..."."""
    lowered = key.lower()
    return key != MARKER and (
        lowered.startswith("expect") or bool(difflib.get_close_matches(lowered, [MARKER], n=1, cutoff=NEAR_MISS))
    )


def mentions_expected_output(info: str) -> bool:
    """True when an info string has an option named expected-output, or a name close to it (a slip)."""
    return any(option.key == MARKER or _near_marker(option.key) for option in _written_options(info))


def _option_problem(fence: Fence) -> BlockSyntaxError | None:
    """The first slip in the fence's options that would switch an expected-output check off; None if none."""
    options = _written_options(fence.info)
    checked = any(option.key == MARKER for option in options)  # an expected-output fence: every option counts
    for option in options:
        if checked and option.key in KNOWN_OPTIONS:
            message = _value_slip(option)
        elif checked or _near_marker(option.key):
            message = _unknown_option(option)
        else:
            continue  # another fence's own option (exec="on", title="a.py", ...)
        if message:
            return BlockSyntaxError(fence.start + 1, message)
    return None


def _value_slip(option: _WrittenOption) -> str | None:
    """What is wrong with how a known option's value is written; None if nothing."""
    fixed = option.fixed(option.key)
    if option.equals is None:
        return f"{option.key} has no value, so this block would not be checked: write {fixed}"
    fixes = []
    if option.equals != "=":
        fixes.append('remove the spaces around "="')
    if not option.quote:
        fixes.append("close the quote" if option.value[:1] in ("'", '"') else "quote the value")
    if fixes:
        how = " and ".join(fixes)
        return f"{option.text} is not read as an option, so this block would not be checked: {how}: {fixed}"
    if option.key == MARKER and not option.value.strip():
        return f'{MARKER}="" must name a snippet file'
    return None


def _unknown_option(option: _WrittenOption) -> str:
    """An option an expected-output fence does not take, or a misspelt expected-output, and what to write."""
    known = ", ".join(KNOWN_OPTIONS)
    guess = [MARKER] if _near_marker(option.key) else difflib.get_close_matches(option.key.lower(), KNOWN_OPTIONS, 1)
    if guess:
        return (
            f'unknown option "{option.key}" on this fence: did you mean {guess[0]}? (options: {known}) '
            f"Write {option.fixed(guess[0])}"
        )
    return f'unknown option "{option.key}" on this expected-output fence, which takes only {known}: remove it'


def read_as_indented_code(index: int, lines: list[str]) -> bool:
    """True when Markdown takes the line for part of an indented code block, by its indent and what is above.

    The content of the nearest less indented line above starts 4 columns in
    from it for a list item, admonition, tab, footnote or definition, and at
    its own indent otherwise; 4 columns past that is code. Right under a line
    of text (not a heading) a line continues that paragraph instead: never code.
    """
    column = _columns(_leading(lines[index]))
    above = lines[index - 1] if index else ""
    if column < CODE_INDENT or (above.strip() and not _HEADING.match(above)):
        return False
    for outer_index in range(index - 1, -1, -1):
        outer = lines[outer_index]
        outer_column = _columns(_leading(outer))
        if outer.strip() and outer_column < column:
            opens_container = _CONTAINER.match(outer) and not _RULE.match(outer)
            content = outer_column + (CODE_INDENT if opens_container else 0)
            return column - content >= CODE_INDENT or read_as_indented_code(outer_index, lines)
    return True  # nothing above but blank lines and deeper ones: code at the top of the page


def _closes(line: str, marker: str) -> bool:
    match = _CLOSING.match(line)
    return bool(match) and match["fence"][0] == marker[0] and len(match["fence"]) >= len(marker)


def reopens(line: str, marker: str) -> bool:
    """True when the line would open a fence of the same kind, at least as long, with an info string."""
    opening = _opening(line)
    return bool(opening) and opening[1][0] == marker[0] and len(opening[1]) >= len(marker) and bool(opening[2].strip())


def _options(info: str) -> dict[str, str]:
    """The info string's options written key="value" or key='value' (both as superfences reads them)."""
    return {m["key"]: m["double"] if m["double"] is not None else m["single"] for m in _OPTION.finditer(info)}


def indent_columns(line: str) -> int:
    """How far a line is indented, tabs expanded as Python-Markdown expands them."""
    return _columns(_leading(line))


def _leading(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _columns(indent: str) -> int:
    return len(indent.expandtabs(TAB_WIDTH))


def _longest_run(lines: list[str], character: str) -> int:
    return max((len(run) for line in lines for run in re.findall(f"{re.escape(character)}+", line)), default=0)


def _dedent(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t")


def page_source(page, config) -> str:
    """A page's Markdown file as a contributor types it: relative to the folder of mkdocs.yml."""
    return os.path.relpath(page.file.abs_src_path, os.path.dirname(os.path.abspath(config.config_file_path)))


def report_page_problems(page, config, log: logging.Logger, problems: Callable[[str], list[tuple[int, str]]]) -> None:
    """Log each (1-based line of the Markdown, problem) that ``problems`` finds in the page's Markdown file, as
    read from the file (front matter left out; an earlier hook may have rewritten ``page.markdown``), as a
    warning naming the file and its own line. Pages a plugin made have no file and are skipped."""
    if page.file.abs_src_path is None:
        return
    markdown, _, offset = read_front_matter(page.file.content_string)
    found = problems(markdown)
    if found:
        source = page_source(page, config)
        for line, problem in sorted(found):
            log.warning(f"{source}:{line + offset}: {problem}")


def page_texts(paths: Iterable[str | Path]) -> Iterator[str]:
    """The text of each page that can be read; the build reports the others when it renders them."""
    for path in paths:
        try:
            yield Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue


def front_matter_lines(source_path: str) -> int:
    """How many lines MkDocs strips above a page's Markdown (its front matter), for true line numbers.

    Read from the file as MkDocs reads it, not from the Markdown a hook hands on:
    an earlier hook may have rewritten that (expected outputs rendered).
    """
    try:
        raw = Path(source_path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 0
    return front_matter_count(raw)


def front_matter_count(text: str) -> int:
    """How many lines of a page's whole text (as read from its file) MkDocs strips as front matter."""
    return read_front_matter(text)[2]


def read_front_matter(text: str) -> tuple[str, dict, int]:
    """A page's whole text as MkDocs reads it: its Markdown, its front matter fields, and how many lines
    those fields took."""
    markdown, meta = get_data(text)
    return markdown, meta, text[: len(text) - len(markdown)].count("\n") if text.endswith(markdown) else 0


def output_lines(stdout: str) -> list[str]:
    """What a program printed, as the lines an expected block would hold (split as the page's lines are)."""
    return split_lines(stdout)


def matches(block: ExpectedBlock, stdout: str) -> bool:
    """True when the block declares what was printed (trailing spaces are not compared)."""
    return [line.rstrip() for line in block.expected] == [line.rstrip() for line in output_lines(stdout)]


def rewrite_blocks(
    text: str, replacements: list[tuple[ExpectedBlock | Fence, list[str]]], keep_fences: bool
) -> str:
    """Swap blocks (or other closed fences) for new lines, leaving every other byte of the text as it was.

    With ``keep_fences`` only a block's body changes (the update command);
    without, its fences go too (the build puts rendered Markdown in its place).
    Each block's indent and line ending are applied to its new lines.
    """
    lines = lines_with_endings(text)
    # Bottom-up, so the line numbers of the blocks still to do stay valid.
    for block, new_lines in sorted(replacements, key=lambda pair: pair[0].start, reverse=True):
        newline = _line_ending(lines[block.start])
        first, last = (block.start + 1, block.end) if keep_fences else (block.start, block.end + 1)
        body = [(block.indent + line if line else line) + newline for line in new_lines]
        lines[first:last] = body
    return "".join(lines)


def _line_ending(line: str) -> str:
    stripped = line.rstrip("\r\n")
    return line[len(stripped) :] or "\n"
