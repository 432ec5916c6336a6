"""Hook: name the Markdown file in every warning logged while a page renders.

Extensions such as markdown-exec report a failing code block as
"<code block: n3>" with no page. While a page's Markdown becomes HTML, this
hook prefixes such messages with the page's source path, so a strict build's
error says where to look.
"""

from __future__ import annotations

import logging

from markdown_fences import page_source

_current_page: str | None = None


class PageNamer(logging.Filter):
    """Prefix WARNING and worse with the page being rendered, unless it is named already."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _current_page and record.levelno >= logging.WARNING:
            message = record.getMessage()
            if _current_page not in message:
                record.msg, record.args = f"{_current_page}: {message}", None
        return True


_namer = PageNamer()


def on_config(config):
    # MkDocs' own handlers sit on the "mkdocs" logger; every plugin logger propagates there.
    for handler in logging.getLogger("mkdocs").handlers:
        if _namer not in handler.filters:
            handler.addFilter(_namer)


def on_page_markdown(markdown, page, config, files):
    global _current_page
    _current_page = page_source(page, config)
    return markdown


def on_page_content(html, page, config, files):
    global _current_page
    _current_page = None
    return html
