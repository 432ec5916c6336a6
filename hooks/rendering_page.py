"""Which page is being rendered, so that warnings logged meanwhile can name it.

Not a hook: shared by ``page_in_warnings`` (sets it while a page's Markdown
becomes HTML, and names warnings after it) and ``blocks_ahead`` (sets it while
it runs, when a page is rendered, a block whose HTML it had put off).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from markdown_fences import page_source

label: str | None = None  # the page's Markdown file, as a contributor types its path
path: str | None = None  # the same file's absolute path, to find a block's line in it


def start(page, config) -> None:
    global label, path
    label, path = page_source(page, config), page.file.abs_src_path


def end() -> None:
    global label, path
    label = path = None


@contextmanager
def rendering(page, config) -> Iterator[None]:
    """The page is the one being rendered for the duration, then none is."""
    start(page, config)
    try:
        yield
    finally:
        end()
