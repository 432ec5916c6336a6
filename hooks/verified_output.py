"""Hook: check every expected-output block against what its snippet really prints.

For each block found by ``markdown_fences`` on any page, the snippet runs once
(``snippet_runner``; every page's snippets start together when the build
begins, so they run while pages and charts render) and then:

- output matches: the block becomes one output block, titled with the command
  that prints it, holding the real output;
- output differs, the snippet raises, runs past its time limit, or is missing:
  a warning names the Markdown file and line, the snippet and what went wrong
  (a unified diff, the snippet's own traceback, ...), so ``mkdocs build --strict``
  fails; the page still renders, with a failure admonition holding the same
  report, so ``mkdocs serve`` shows the problem where it is.

Settings (``mkdocs.yml``): ``extra.verified_output.timeout``, seconds per
snippet (default 30); a block may set its own with ``timeout="SECONDS"``.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from markdown_fences import (
    BlockSyntaxError,
    ExpectedBlock,
    find_expected_blocks,
    front_matter_lines,
    matches,
    output_lines,
    page_source,
    page_texts,
    rewrite_blocks,
)
from snippet_runner import DEFAULT_TIMEOUT, SnippetRunner, run_block

log = logging.getLogger("mkdocs.hooks.verified_output")
UPDATE_COMMAND = "make update-expected"


@dataclass
class Checker:
    """Verifies the expected-output blocks of pages under one project root."""

    runner: SnippetRunner
    default_timeout: float = DEFAULT_TIMEOUT

    def check(self, markdown: str, page_label: str, line_offset: int = 0) -> tuple[str, list[str]]:
        """Return the Markdown with every block rendered, and one problem report per failed block."""
        try:
            blocks = find_expected_blocks(markdown)
        except BlockSyntaxError as error:
            return markdown, [f"{page_label}:{error.line + line_offset}: {error}"]
        replacements, problems = [], []
        for block in blocks:
            where = f"{page_label}:{block.line + line_offset}"
            rendered, problem = self._render(block, where)
            replacements.append((block, rendered))
            if problem:
                problems.append(problem)
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
    """Unified diff from what the Markdown declares to what the snippet printed."""
    return "\n".join(
        difflib.unified_diff(
            block.expected,
            output_lines(stdout),
            fromfile=f"expected ({where})",
            tofile=f"actual (python {block.snippet})",
            lineterm="",
        )
    )


def output_block(snippet: str, lines: list[str]) -> list[str]:
    """The verified output, labelled as what the command prints."""
    fence = "`" * max(3, 1 + _longest_backtick_run(lines))
    return [f'{fence}text title="Output of python {snippet}"', *lines, fence]


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


def _longest_backtick_run(lines: list[str]) -> int:
    """So a fence can be made longer than any run of backticks inside it."""
    return max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)


_checker: Checker | None = None


def on_config(config):
    global _checker
    root = Path(config.config_file_path).resolve().parent
    settings = (config.extra or {}).get("verified_output", {}) or {}
    timeout = settings.get("timeout", DEFAULT_TIMEOUT)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        from mkdocs.exceptions import ConfigurationError

        raise ConfigurationError(
            f"{config.config_file_path}: extra.verified_output.timeout must be a positive number of seconds, "
            f"got {timeout!r}"
        )
    _checker = Checker(SnippetRunner(root), float(timeout))


def on_files(files, config):
    # Start every page's snippets now: they run in parallel while pages render.
    assert _checker is not None
    for text in page_texts(file.abs_src_path for file in files.documentation_pages()):
        try:
            for block in find_expected_blocks(text):
                _checker.runner.start(block.snippet, block.timeout(_checker.default_timeout))
        except (OSError, BlockSyntaxError):  # a malformed block; a snippet file that is missing
            continue  # reported with the file and line when the page itself is checked
    return files


def on_post_build(config):
    if _checker is not None:
        _checker.runner.close()


def on_build_error(error):
    on_post_build(None)


def on_page_markdown(markdown, page, config, files):
    assert _checker is not None
    label = page_source(page, config)
    offset = front_matter_lines(page.file.abs_src_path, markdown)
    rendered, problems = _checker.check(markdown, label, offset)
    for problem in problems:
        log.warning(problem)
    return rendered
