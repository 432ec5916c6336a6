"""Hook: under ``mkdocs serve``, show each page's build warnings at the top of that page.

A contributor watches the page in the browser, not the terminal, and ``mkdocs
serve`` builds without ``--strict``: a warning there (a box shown as text, an
HTML link to nothing, a heading that is not the title) scrolls by while the page
looks almost right. Under ``serve`` this hook puts a failure box at the top of
the page's content, listing every warning of the page's last build exactly as
the terminal printed it (file and line first), and says that a strict build
fails on them. The page is rebuilt and the box goes as soon as the page builds
without them (``serve_rebuilds`` always renders a page whose last build warned).

A warning belongs to a page when it was logged while the page was read,
converted and checked (``on_pre_page`` to ``on_page_content``, then
``on_page_context`` to ``on_post_page``), or when it was logged at another time
of the build and begins with the page's file (``page_names``: two pages with
one title). Not shown: warnings about the whole site, and those MkDocs logs
after every page is written (anchors a link points to); the terminal has them.

MkDocs tells hooks it is serving (``on_startup``'s command "serve") for
``mkdocs serve`` and ``make serve`` (``--dirty``), not for ``mkdocs serve
--clean``, which it announces as a build: there the box is not shown.

Outside ``mkdocs serve`` the hook does nothing: a published build is strict and
fails on any warning, and a page's HTML stays what markdown-exec and MkDocs make
of it (the differential tests). The box is added to the finished page, after
the search index has read it, so search never finds its text.
"""

from __future__ import annotations

import logging
import re
from html import escape

from mkdocs.plugins import event_priority

from markdown_fences import page_source

BOX_CLASS = "serve-warnings"  # tests/test_serve_rebuilds.py removes the box before comparing with a whole build
_BODY = re.compile(r"<body\b[^>]*>")


class PageWarnings(logging.Handler):
    """Collects the build's warnings: those of the page being built under its file, the others apart."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.current: str | None = None  # the Markdown file of the page being built, as page_source gives it
        self.by_page: dict[str, list[str]] = {}
        self.elsewhere: list[str] = []
        self._last: logging.LogRecord | None = None  # a record reaches us from each logger we listen on, in turn

    def emit(self, record: logging.LogRecord) -> None:
        if record is self._last:
            return
        self._last = record
        message = record.getMessage()
        if self.current is None:
            self.elsewhere.append(message)
        else:
            self.by_page.setdefault(self.current, []).append(message)

    def start_build(self) -> None:
        self.current, self.by_page, self.elsewhere, self._last = None, {}, [], None

    def of_page(self, label: str) -> list[str]:
        """The warnings of the page whose Markdown file is ``label``, in the order they were logged."""
        named = [message for message in self.elsewhere if message.startswith(f"{label}:")]
        return named + self.by_page.get(label, [])


def warnings_box(messages: list[str]) -> str:
    """The failure box listing a page's warnings, each as the terminal printed it."""
    count = f"{len(messages)} warning" + ("s" if len(messages) > 1 else "")
    # Wrapped, not scrolled: a warning is one long line, and its end says what to do.
    listed = "".join(f'<pre><code style="white-space: pre-wrap">{escape(message)}</code></pre>\n' for message in messages)
    return (
        f'<div class="admonition failure {BOX_CLASS}">\n'
        f'<p class="admonition-title">This page\'s build logged {count}</p>\n'
        "<p>Shown here by <code>mkdocs serve</code> only: <code>mkdocs build --strict</code> (CI) fails until "
        "they are fixed. Fix them in the Markdown file (or the code it runs) and save.</p>\n"
        f"{listed}</div>\n"
    )


def with_warnings(output: str, content: str | None, messages: list[str]) -> str:
    """The finished page with the box just before its content (at the top of the body if the theme changed it)."""
    if not messages:
        return output
    box = warnings_box(messages)
    if content and content in output:
        return output.replace(content, box + content, 1)
    body = _BODY.search(output)
    return output[: body.end()] + box + output[body.end() :] if body else box + output


class WarningsInPage:
    """The hook's events; it acts only under ``mkdocs serve``."""

    def __init__(self) -> None:
        self.serving = False
        self.warnings = PageWarnings()

    def on_startup(self, command, dirty):
        self.serving = command == "serve"
        if self.serving:
            for name in ("mkdocs", ""):  # MkDocs' logger does not propagate to the root
                logging.getLogger(name).addHandler(self.warnings)

    def on_pre_build(self, config):
        self.warnings.start_build()

    @event_priority(100)
    def on_pre_page(self, page, config, files):
        if self.serving and page.file.abs_src_path is not None:
            label = self.warnings.current = page_source(page, config)
            self.warnings.by_page[label] = []  # a page rendered twice in one build shows its last rendering's
        return page

    @event_priority(-100)
    def on_page_content(self, html, page, config, files):
        self.warnings.current = None
        return html

    @event_priority(100)
    def on_page_context(self, context, page, config, nav):
        if self.serving and page.file.abs_src_path is not None:
            self.warnings.current = page_source(page, config)
        return context

    @event_priority(-100)  # after every other hook and plugin has finished the page
    def on_post_page(self, output, page, config):
        self.warnings.current = None
        if not self.serving or page.file.abs_src_path is None:
            return output
        return with_warnings(output, page.content, self.warnings.of_page(page_source(page, config)))


_hook = WarningsInPage()
on_startup = _hook.on_startup
on_pre_build = _hook.on_pre_build
on_pre_page = _hook.on_pre_page
on_page_content = _hook.on_page_content
on_page_context = _hook.on_page_context
on_post_page = _hook.on_post_page
