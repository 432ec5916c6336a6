"""Small readers for the HTML MkDocs writes (stdlib only)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser


def text_of(fragment: str) -> str:
    """The text a reader sees in an HTML fragment: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def headings(page: str) -> list[tuple[int, str]]:
    """(level, text) of every h1-h6, permalink anchors left out."""
    found = []
    for level, inner in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", page, flags=re.DOTALL):
        inner = re.sub(r'<a class="headerlink".*?</a>', "", inner, flags=re.DOTALL)
        found.append((int(level), text_of(inner).strip()))
    return found


def code_blocks(page: str) -> list[tuple[str, str]]:
    """(title, text) of every highlighted code block; title is "" when it has none."""
    blocks = []
    pattern = r'<div class="[^"]*highlight[^"]*">(?:<span class="filename">(.*?)</span>)?<pre.*?><code.*?>(.*?)</code></pre>'
    for title, code in re.findall(pattern, page, flags=re.DOTALL):
        blocks.append((text_of(title), text_of(code)))
    return blocks


def element(page: str, tag: str, element_id: str) -> str:
    """The outer HTML of the element with this id (elements of that tag must not nest)."""
    match = re.search(rf'<{tag}\b[^>]*\bid="{re.escape(element_id)}".*?</{tag}>', page, flags=re.DOTALL)
    assert match, f'no <{tag} id="{element_id}"> in the page'
    return match.group(0)


class _StartTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []  # (tag, attributes)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def start_tags(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """(tag, attributes) of every opening tag, in document order."""
    parser = _StartTags()
    parser.feed(page)
    return parser.found


URL_ATTRIBUTES = {"src", "href", "srcset", "poster", "data", "action", "xlink:href"}


def references(page: str) -> list[tuple[str, str, str]]:
    """Every (tag, attribute, URL) that points somewhere."""
    return [
        (tag, name, value)
        for tag, attrs in start_tags(page)
        for name, value in attrs
        if value is not None and name in URL_ATTRIBUTES
    ]


def script_files(page: str) -> list[tuple[str, bool]]:
    """(src, deferred) of every <script src=...>, in document order; async counts as deferred."""
    found = []
    for tag, attrs in start_tags(page):
        names = dict(attrs)
        if tag == "script" and names.get("src"):
            found.append((names["src"], "defer" in names or "async" in names))
    return found
