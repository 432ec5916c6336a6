"""Check every expected-output block against what its snippet really prints.

Not a hook: ``code_execution`` hands it each page's Markdown. For each block
found by ``markdown_fences``, the snippet runs once (``snippet_runner``; every
page's snippets start together when the build begins, so they run while pages
and charts render) and then:

- output matches: the block becomes one output block, titled with the command
  that prints it, holding the real output;
- output differs, the snippet raises, runs past its time limit, or is missing:
  a warning names the Markdown file and line, the snippet and what went wrong
  (a unified diff, the snippet's own traceback, ...), so ``mkdocs build --strict``
  fails; the page still renders, with a failure admonition holding the same
  report, so ``mkdocs serve`` shows the problem where it is.

A malformed fence is a warning with its line too. A slip in a fence's options
(``expected-ouput=...``, an unquoted value, ...) is shown in place as such an
admonition and the page's other blocks are checked; after any other slip (a
fence never closed, ...) no block of the page is, as it may not be what it seems.

Output reaches the page as Markdown, before pymdownx.snippets reads it, so when
that extension is on, an output line that it would take for an include or a
section marker (``--8<-- "file"``, a bare ``--8<--``, ``# --8<-- [start:name]``)
is escaped with its ``;`` (``escape_includes``): the page shows the line as printed
instead of a file's text, or nothing.

Settings (``mkdocs.yml``, ``execution_settings``): ``extra.code_execution.timeout``,
seconds per snippet (default 30); a block may set its own with ``timeout="SECONDS"``.
A diff in a report is cut to ``DIFF_LINES`` lines.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from markdown_fences import (
    ExpectedBlock,
    matches,
    output_lines,
    read_expected_blocks,
    rewrite_blocks,
)
from execution_settings import DEFAULT_TIMEOUT
from snippet_runner import SnippetRunner, cut, run_block
from snippet_syntax import escaped

UPDATE_COMMAND = "make update-expected"
OUTPUT_TITLE = "Output of python"  # how a verified output block is titled: "Output of python snippets/NAME.py"
DIFF_LINES = 60


@dataclass
class Checker:
    """Verifies the expected-output blocks of pages under one project root."""

    runner: SnippetRunner
    default_timeout: float = DEFAULT_TIMEOUT
    escape_includes: bool = False  # pymdownx.snippets is on: see escape_includes()

    def check(self, markdown: str, page_label: str, line_offset: int = 0) -> tuple[str, list[str]]:
        """Return the Markdown with every block rendered, and one problem report per failed block.

        A fence whose options slipped (``markdown_fences.read_expected_blocks``)
        is replaced by its report and the page's other blocks are checked as
        usual; after a worse slip (a fence never closed, ...) the page is left
        as it is, with the first problem reported.
        """
        page = read_expected_blocks(markdown)
        problems = [f"{page_label}:{error.line + line_offset}: {error}" for error in page.problems]
        replacements = []
        for fence, error in page.slipped:
            report = f"{page_label}:{error.line + line_offset}: {error}"
            replacements.append((fence, failure_admonition("Expected output block is malformed", report, "text")))
        for block in page.blocks:
            where = f"{page_label}:{block.line + line_offset}"
            rendered, problem = self._render(block, where)
            replacements.append((block, rendered))
            if problem:
                problems.append(problem)
        if self.escape_includes:
            replacements = [(block, escape_includes(lines)) for block, lines in replacements]
        return rewrite_blocks(markdown, replacements, keep_fences=False), problems

    def _render(self, block: ExpectedBlock, where: str) -> tuple[list[str], str | None]:
        run = run_block(self.runner, block, self.default_timeout)
        if run.problem:
            problem = f"{where}: {run.problem}"
            return failure_admonition(run.headline, problem, run.report_language), problem
        result = run.result
        if not matches(block, result.stdout):
            diff = output_diff(block, result.stdout, where)
            problem = (
                f"{where}: the expected output of {block.snippet} no longer matches what it prints.\n"
                f"{diff}\nIf the new output is intended, run: {UPDATE_COMMAND}"
            )
            return failure_admonition("Expected output is out of date", problem, "diff", body=diff), problem
        return output_block(block.snippet, output_lines(result.stdout)), None


def output_diff(block: ExpectedBlock, stdout: str, where: str) -> str:
    """Unified diff from what the Markdown declares to what the snippet printed (cut to a readable length)."""
    return cut("\n".join(
        difflib.unified_diff(
            block.expected,
            output_lines(stdout),
            fromfile=f"expected ({where})",
            tofile=f"actual (python {block.snippet})",
            lineterm="",
        )
    ), DIFF_LINES)


def output_block(snippet: str, lines: list[str]) -> list[str]:
    """The verified output, labelled as what the command prints, its tabs as a terminal shows them (every 8
    columns: Markdown would expand them every 4)."""
    lines = [line.expandtabs(8) for line in lines]
    fence = "`" * max(3, 1 + _longest_backtick_run(lines))
    return [f'{fence}text title="{OUTPUT_TITLE} {snippet}"', *lines, fence]


def failure_admonition(title: str, report: str, language: str, body: str | None = None) -> list[str]:
    """A visible failure box for the page, holding the report (or just the diff) as code."""
    content = (body if body is not None else report).splitlines()
    fence = "`" * max(3, 1 + _longest_backtick_run(content))
    intro = "This block is checked at build time and failed; `mkdocs build --strict` stops on it."
    lines = [f'!!! failure "{title}"', "", f"    {intro}", "", f"    {fence}{language}"]
    lines += [f"    {line}" if line else "" for line in content]
    lines += [f"    {fence}", ""]
    if body is not None:
        lines += [f"    If the new output is intended, run `{UPDATE_COMMAND}`.", ""]
    return lines


def escape_includes(lines: list[str]) -> list[str]:
    """The lines, each that pymdownx.snippets would act on given the ``;`` that makes it show the line as is."""
    return [escaped(line) for line in lines]


def _longest_backtick_run(lines: list[str]) -> int:
    """So a fence can be made longer than any run of backticks inside it."""
    return max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
