"""Tell whether the HTML a block printed leaves the page around it as it found it.

Not a hook: ``code_blocks`` reads what each ``html="on"`` block printed. The
page takes that HTML as it is, so a slip in it changes the rest of the page
without a word: a container left open (``<div>``, ``<details>``) takes
in every heading and paragraph after the block, a ``<b>`` left open bolds them; an end tag with no start
of a container (``</div>``, ``</details>``) closes a part of the page's own
layout (a browser ignores a stray end tag of any other element); a comment never closed
(``<!--``) hides everything after it. ``unbalanced`` names each such slip;
``element_ids`` lists the ids it gives elements, so that a second block giving
one again (the same chart printed twice) can be named.

Only what a browser carries past the block counts: a container left open
(``<div>``, ``<details>``: it takes in what follows) or a formatting element
(``<b>``, ``<a>``: opened again in every paragraph after). Any other element
left open (``<span>``) is closed by the container around it, or by the
paragraph Python-Markdown puts the HTML in unless it starts with a block-level
tag (``in_paragraph``);
elements whose end tag HTML lets a writer leave out (``<p>``, ``<li>``,
``<td>``) and void elements (``<br>``) are fine, as they are for a browser.
Tag names are compared as HTML compares them, without regard to case.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

# End tag optional (HTML's "optional tags"), or no end tag at all (void elements).
OPTIONAL_END = frozenset(
    "p li dt dd td th tr thead tbody tfoot option optgroup rb rt rtc rp colgroup caption html head body".split()
)
VOID = frozenset("area base br col embed hr img input link meta source track wbr param".split())
# Containers: left open, one takes in what follows; an end tag of one with no start in the block closes one
# the page around it has open (Material's layout, admonitions, lists, tabs, details). A browser ignores a
# stray end tag of any other element.
CONTAINERS = frozenset(
    "div main article section aside nav header footer details ul ol dl blockquote figure table form".split()
)
# Formatting elements: left open, a browser opens them again in every paragraph and heading after.
# Any other element left open (a <span>) is closed by the paragraph or container it is printed in.
FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
_FIRST_TAG = re.compile(r"^<\/?([^ >]+)")  # as Python-Markdown's RawHtmlPostprocessor reads it


class _Reader(HTMLParser):
    """Follows which elements are open, as the page will read them, and collects their ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.stray: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        self.ids += [value for name, value in attrs if name == "id" and value]
        if tag not in OPTIONAL_END and tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.ids += [value for name, value in attrs if name == "id" and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in OPTIONAL_END or tag in VOID:
            return
        if tag in self.open:  # what is left open inside it is closed with it, as a browser does
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]
        elif tag in CONTAINERS:
            self.stray.append(tag)


def in_paragraph(html: str, is_block_level: Callable[[str], bool]) -> bool:
    """True when Python-Markdown puts the HTML in a paragraph of its own: it does unless it starts with a
    block-level tag or a comment (``Markdown.is_block_level``, the page's own list)."""
    first = _FIRST_TAG.match(html)
    return not (first and (first[1][0] in "!?@%" or is_block_level(first[1])))


def unbalanced(html: str, is_block_level: Callable[[str], bool]) -> list[str]:
    """Each way the HTML leaves the page around it changed, as a phrase ("leaves <details> open").

    ``html`` is what a block's formatter returns, as the page will hold it.
    """
    problems = []
    wrapped = in_paragraph(html, is_block_level)  # the paragraph's end closes any other element left open
    comment = html.rfind("<!--")
    if comment != -1 and html.find("-->", comment + 4) == -1:
        problems.append("opens a comment (<!--) and never closes it, which hides everything after it on the page")
        html = html[:comment]
    reader = _read(html)
    left_open = [tag for tag in reader.open if tag in CONTAINERS or tag in FORMATTING or not wrapped]
    if left_open:
        tags = ", ".join(f"<{tag}>" for tag in left_open)
        problems.append(f"leaves {tags} open, which takes in the headings and text after it")
    if reader.stray:
        tags = ", ".join(f"</{tag}>" for tag in reader.stray)
        problems.append(f"has {tags} with no start tag, which closes a part of the page's own layout")
    return problems


def element_ids(html: str) -> list[str]:
    """The id of every element in the HTML, in order (an id twice on a page makes links reach the first)."""
    return _read(html).ids


def _read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader
