"""Hook: name the Markdown file, and the failing code block's line, in every warning logged while a page renders.

Extensions such as markdown-exec report a failing code block as
"<code block: n3>" with no page. While a page's Markdown becomes HTML, this
hook prefixes such messages with the page's source path, so a strict build's
error says where to look. For markdown-exec's "code
block exited with errors" report it also gives the line of the block's opening
fence, drops the traceback's frames inside markdown-exec (they are the same for
every failure), and says what to do.
"""

from __future__ import annotations

import logging
import re

from code_blocks import RUNNING_BLOCK
from markdown_fences import fences, page_source, page_texts

# markdown-exec's report (markdown_exec/_internal/formatters/base.py): the code and the
# traceback, each indented by two spaces.
_EXEC_REPORT = re.compile(
    r"Execution of \S+ code block .*?exited with .*?\n\nCode block is:\n\n(?P<code>.*?)\n\nOutput is:\n\n",
    re.DOTALL,
)
_INTERNAL_FRAME = re.compile(
    r'^(?P<indent> *)File "[^"]*(?:[/\\]markdown_exec[/\\][^"]*|[/\\]hooks[/\\]block_limits\.py)", line \d+'
)
HINT = "Fix the code block (or the code it calls, named in the traceback) and build again."


class PageNamer(logging.Filter):
    """Prefix WARNING and worse with the page being rendered, unless it is named already."""

    def __init__(self) -> None:
        super().__init__()
        self.label: str | None = None  # the page's Markdown file, as a contributor types its path
        self.path: str | None = None  # the same file's absolute path, to find a block's line in it

    def filter(self, record: logging.LogRecord) -> bool:
        if self.label and record.levelno >= logging.WARNING:
            message = record.getMessage()
            if self.label not in message:
                record.msg, record.args = self.named(message), None
        return True

    def named(self, message: str) -> str:
        """The message after the page; for a block's report, after the page and the fence's line, trimmed, with a hint."""
        report = _EXEC_REPORT.search(message)
        if not report:
            return f"{self.label}: {message}"
        where = RUNNING_BLOCK.get()  # code_execution runs the block, and knows its line
        if where is None:
            line = block_line(self.path, _undent(report["code"]))
            where = f"{self.label}:{line}" if line else self.label
        trimmed = without_internal_frames(message).rstrip("\n")
        return f"{where}: {trimmed}\n\n{HINT}\n"


def block_line(path: str | None, code: str) -> int | None:
    """1-based line of the first fence in the file whose body is this code; None if none is."""
    text = next(page_texts([path]), None) if path else None
    for fence in fences(text or ""):
        if "\n".join(fence.body).strip("\n") == code.strip("\n"):
            return fence.start + 1
    return None


def without_internal_frames(report: str) -> str:
    """The report with each traceback frame inside markdown-exec removed (its File line and the lines under it)."""
    kept: list[str] = []
    skipping_under: int | None = None
    for line in report.split("\n"):
        depth = len(line) - len(line.lstrip(" "))
        if skipping_under is not None and line.strip() and depth > skipping_under:
            continue  # the frame's source line and its ^^^ markers
        skipping_under = None
        internal = _INTERNAL_FRAME.match(line)
        if internal:
            skipping_under = len(internal["indent"])
            continue
        kept.append(line)
    return "\n".join(kept)


def _undent(code: str) -> str:
    return "\n".join(line[2:] if line.startswith("  ") else line.lstrip(" ") for line in code.split("\n"))


_namer = PageNamer()


def on_config(config):
    # MkDocs' own handlers sit on the "mkdocs" logger; every plugin logger propagates there.
    for handler in logging.getLogger("mkdocs").handlers:
        if _namer not in handler.filters:
            handler.addFilter(_namer)


def on_page_markdown(markdown, page, config, files):
    _namer.label, _namer.path = page_source(page, config), page.file.abs_src_path
    return markdown


def on_page_content(html, page, config, files):
    _namer.label = _namer.path = None
    return html
