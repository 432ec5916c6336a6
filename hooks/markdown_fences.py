"""Find fenced code blocks in Markdown, and rewrite "expected output" blocks among them.

Not a hook itself: shared by ``verified_output.py`` (checks at build time),
``scripts/update_expected.py`` (refreshes the Markdown) and the other hooks that
read pages or fences (``wrap_python_fences`` wraps markdown-exec's Python fences
for ``blocks_ahead`` and ``build_cache``). ``fences`` lists a
text's top-level fenced blocks. An expected-output block is an ordinary fenced
block whose info string names the snippet whose output it declares::

    ```text expected-output="snippets/trend_ranking.py"
    {'name': 'stronger controllable editing', ...}
    ```

Options on the fence line: ``expected-output`` (required: the snippet, relative
to the project root) and ``timeout`` (seconds, optional). The fence may be
indented (inside an admonition or a list); the indent is not part of the text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

MARKER = "expected-output"
# The fence names markdown-exec runs as Python, each when listed in its `languages` option.
PYTHON_LANGUAGES = frozenset({"python", "py"})
_OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`\r\n]*)$")
_OPTION = re.compile(r'(?P<key>[\w-]+)="(?P<value>[^"]*)"')


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

    @property
    def line(self) -> int:
        """1-based line number of the opening fence, as editors show it."""
        return self.start + 1

    def timeout(self, default: float) -> float:
        raw = self.options.get("timeout")
        if raw is None:
            return default
        try:
            seconds = float(raw)
        except ValueError:
            seconds = -1.0
        if seconds <= 0:
            raise BlockSyntaxError(self.line, f'timeout="{raw}" must be a positive number of seconds')
        return seconds


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
        return {m["key"]: m["value"] for m in _OPTION.finditer(self.info)}


def fences(text: str) -> list[Fence]:
    """Every top-level fenced block, in order; what a fence holds is never searched."""
    lines = text.splitlines()
    found: list[Fence] = []
    index = 0
    while index < len(lines):
        opening = _OPENING.match(lines[index])
        if not opening:
            index += 1
            continue
        close = _closing_line(lines, index, opening["indent"], opening["fence"])
        body = [_dedent(line, opening["indent"]) for line in lines[index + 1 : close]]
        found.append(Fence(opening["indent"], opening["fence"], opening["info"].strip(), index, close, body))
        index = (close if close is not None else len(lines)) + 1
    return found


def find_expected_blocks(text: str) -> list[ExpectedBlock]:
    """Every expected-output block in the text, in order."""
    blocks: list[ExpectedBlock] = []
    for fence in fences(text):
        options = fence.options
        if MARKER not in options:
            continue
        if fence.end is None:
            raise BlockSyntaxError(fence.start + 1, f"expected-output block has no closing {fence.marker}")
        if not options[MARKER].strip():
            raise BlockSyntaxError(fence.start + 1, f'{MARKER}="" must name a snippet file')
        blocks.append(ExpectedBlock(options[MARKER], fence.indent, fence.start, fence.end, fence.body, options))
    return blocks


def _closing_line(lines: list[str], start: int, indent: str, fence: str) -> int | None:
    closing = re.compile(rf"^{re.escape(indent)}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    for index in range(start + 1, len(lines)):
        if closing.match(lines[index]):
            return index
    return None


def _dedent(line: str, indent: str) -> str:
    return line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t")


def wrap_python_fences(config, wrapper: Callable, marker: str) -> set[str]:
    """Wrap the formatter of each of markdown-exec's Python fences once; the names of those fences.

    ``marker`` is the attribute the wrapper sets on what it returns, so that a
    second build in the same process (``mkdocs serve``) does not wrap it again.
    """
    names = set()
    for fence in config.mdx_configs.get("pymdownx.superfences", {}).get("custom_fences", []):
        if fence.get("name") not in PYTHON_LANGUAGES:
            continue
        if not hasattr(fence["format"], marker):
            fence["format"] = wrapper(fence["format"])
        names.add(fence["name"])
    return names


def page_source(page, config) -> str:
    """A page's Markdown file as a contributor types it: relative to the folder of mkdocs.yml."""
    return os.path.relpath(page.file.abs_src_path, os.path.dirname(os.path.abspath(config.config_file_path)))


def page_texts(paths: Iterable[str | Path]) -> Iterator[str]:
    """The text of each page that can be read; the build reports the others when it renders them."""
    for path in paths:
        try:
            yield Path(path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue


def front_matter_lines(source_path: str, markdown: str) -> int:
    """How many lines MkDocs stripped above a page's Markdown (its front matter), for true line numbers."""
    try:
        raw = Path(source_path).read_text(encoding="utf-8-sig")
    except OSError:
        return 0
    return raw[: len(raw) - len(markdown)].count("\n") if raw.endswith(markdown) else 0


def output_lines(stdout: str) -> list[str]:
    """What a program printed, as the lines an expected block would hold."""
    return stdout.splitlines()


def matches(block: ExpectedBlock, stdout: str) -> bool:
    """True when the block declares what was printed (trailing spaces are not compared)."""
    return [line.rstrip() for line in block.expected] == [line.rstrip() for line in output_lines(stdout)]


def rewrite_blocks(text: str, replacements: list[tuple[ExpectedBlock, list[str]]], keep_fences: bool) -> str:
    """Swap blocks for new lines, leaving every other byte of the text as it was.

    With ``keep_fences`` only a block's body changes (the update command);
    without, its fences go too (the build puts rendered Markdown in its place).
    Each block's indent and line ending are applied to its new lines.
    """
    lines = text.splitlines(keepends=True)
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
