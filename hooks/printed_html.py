"""Tell whether the HTML a block printed leaves the page around it as it found it.

Not a hook: ``code_blocks`` reads what each ``html="on"`` block printed. The
page takes that HTML as it is, so a slip in it changes the rest of the page
without a word. ``unbalanced`` names each slip a browser carries past the block:

- an element left open that takes in what follows: a container or any
  block-level element (``<div>``, ``<details>``, ``<pre>``), a raw-text one
  (``<textarea>``, ``<script>``), or ``<div ... />`` written the XML way (HTML
  has no self-closing ``<div>``);
- a formatting element (``<b>``, ``<a>``) left open, even inside a container
  the HTML closes: a browser opens it again around everything after;
- an end tag with no start of an element that holds a block on the page
  (``</div>``, ``</article>``, ``</details>``, a list's ``</ul>``): it closes the
  page's own (a browser ignores a stray end tag of any other element);
- a comment never closed (``<!--``), which hides everything after it.

Any other element left open (``<span>``) is closed by the container around it,
or by the paragraph Python-Markdown puts the HTML in unless it starts with a
block-level tag (``in_paragraph``; a block-level tag later in it ends that
paragraph, as a browser does); elements whose end tag HTML lets a writer
leave out (``<p>``, ``<li>``, ``<td>``) and void elements (``<br>``) are fine,
as they are for a browser, and so is what ``<script>`` and ``<style>`` hold.
Inside ``<svg>`` and ``<math>`` a ``/>`` closes the element, as in a browser.
Tag names are compared without regard to case.

``element_ids`` lists the ids the HTML gives elements, so that a second block
giving one again (the same chart printed twice) can be named.
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
# Left open, each takes in what follows wherever the HTML is printed.
CONTAINERS = frozenset(
    "div main article section aside nav header footer details ul ol dl blockquote figure table form pre".split()
)
RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes plaintext".split())
# Elements that hold a block on the page around a printed block (Material's layout, a list item's list,
# an admonition, a details block): a stray end tag of one closes the page's own.
HOLDERS = frozenset("div main article details ul ol dl blockquote".split())
# Formatting elements: a browser keeps them in its list of active formatting elements and opens them again
# after whatever closed them, unless a table cell (or the like) that they sat in closed them.
FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
SCOPE_MARKERS = frozenset("td th caption table applet marquee object template".split())
FOREIGN = frozenset(("svg", "math"))
_FIRST_TAG = re.compile(r"^<\/?([^ >]+)")  # as Python-Markdown's RawHtmlPostprocessor reads it
_RAW_BODIES = re.compile(r"<(script|style|textarea|title|xmp|iframe|noembed|noframes)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_COMMENTS = re.compile(r"<!--(?:>|->|.*?-->)", re.DOTALL)  # "<!-->" and "<!--->" are empty comments


class OpenElements(HTMLParser):
    """Follows which elements are open, as the page will read them, and collects their ids.

    ``wrapped``: the HTML starts inside a paragraph of Python-Markdown's; a block-level start tag ends that
    paragraph, and what opens after it is outside any.
    """

    def __init__(self, wrapped: bool, is_block_level: Callable[[str], bool]) -> None:
        super().__init__(convert_charrefs=True)
        self.wrapped = wrapped
        self.is_block_level = is_block_level
        self.open: list[tuple[str, bool]] = []  # (tag, whether a paragraph of Markdown's closes it)
        self.stray: list[str] = []
        self.reopened: list[tuple[str, int]] = []  # (formatting element a container closed, tables open then)
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        self.ids += [value for name, value in attrs if name == "id" and value]
        if self.wrapped and self.is_block_level(tag):
            self.wrapped = False  # a browser ends the paragraph before a block
        if tag not in OPTIONAL_END and tag not in VOID:
            self.open.append((tag, self.wrapped))
        self.read_as_text(tag)

    def read_as_text(self, tag: str) -> None:
        """After <textarea> (as after <script>), a browser reads all up to its end tag as text, tags too."""
        if tag in RAW_TEXT:
            self.set_cdata_mode(tag)

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in VOID or tag in OPTIONAL_END or tag in FOREIGN or FOREIGN & set(self.tags()):
            self.ids += [value for name, value in attrs if name == "id" and value]
        else:
            self.handle_starttag(tag, attrs)  # HTML reads <div/> as <div>: it stays open

    def handle_endtag(self, tag: str) -> None:
        if tag in OPTIONAL_END or tag in VOID:
            return
        if tag in self.tags():
            self.close_element(len(self.tags()) - 1 - self.tags()[::-1].index(tag))
        elif tag in HOLDERS:
            self.stray.append(tag)

    def close_element(self, position: int) -> None:
        """Close the open element at this place, and what is left open inside it, as a browser does."""
        tags = self.tags()
        if tags[position] == "table":  # its cells ended what was reopened inside them
            self.reopened = [entry for entry in self.reopened if entry[1] < tags.count("table")]
        elif tags[position] not in SCOPE_MARKERS:
            self.reopened += [(inner, tags.count("table")) for inner in tags[position + 1 :] if inner in FORMATTING]
        del self.open[position:]

    def tags(self) -> list[str]:
        return [tag for tag, _ in self.open]


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
    unclosed = _COMMENTS.sub("", _RAW_BODIES.sub("", html)).find("<!--")
    if unclosed != -1:
        problems.append("opens a comment (<!--) and never closes it, which hides everything after it on the page")
        html = html[: html.rfind("<!--")]
    reader = _read(html, wrapped, is_block_level)
    left_open = [
        tag for tag, in_paragraph_then in reader.open
        if not in_paragraph_then or tag in CONTAINERS | RAW_TEXT | FORMATTING or is_block_level(tag)
    ]
    if left_open:
        tags = ", ".join(f"<{tag}>" for tag in left_open)
        problems.append(f"leaves {tags} open, which takes in the headings and text after it")
    if reader.reopened:
        tags = ", ".join(f"<{tag}>" for tag in dict.fromkeys(tag for tag, _ in reader.reopened))
        problems.append(
            f"closes an element with {tags} still open inside it, which a browser then opens again around "
            "everything after it"
        )
    if reader.stray:
        tags = ", ".join(f"</{tag}>" for tag in reader.stray)
        problems.append(
            f"has {tags} with no start tag, which closes the page's own element around the block (its layout, "
            "or the list or admonition it is in); if an earlier block opened it, print the whole element in one "
            'block, or write the wrapper in the Markdown (<div markdown>) around the blocks'
        )
    return problems


def element_ids(html: str) -> list[str]:
    """The id of every element in the HTML, in order (an id twice on a page makes links reach the first)."""
    return _read(html, False, lambda tag: False).ids


def _read(html: str, wrapped: bool, is_block_level: Callable[[str], bool]) -> OpenElements:
    reader = OpenElements(wrapped, is_block_level)
    reader.feed(html)
    reader.close()
    return reader
