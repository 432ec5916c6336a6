"""Hook: warn when HTML written in a page's Markdown leaves an element open or closes one it never opened.

Python-Markdown passes a page's raw HTML (``<div markdown>``, ``<details>``,
``<b>``) to the browser as written, and a slip in it changes the rest of the
page without a word: a ``<div>`` never closed (or indented inside an
admonition, where it is read as inline HTML) takes every heading and paragraph
after it into itself; a ``<b>`` left open makes the rest of the page bold; a
stray ``</div>`` closes the admonition or the layout around it. The build
exits 0 and the page looks broken.

The verdict is the page's rendered HTML, read as a browser reads it
(``page_slips``: a paragraph, list item or cell ends where a browser ends it,
and closes what was left open inside it; code blocks hold tags as text, so
examples in code never count): which elements that change what follows (a
block-level element, a formatting element such as ``<b>``, a raw-text one such
as ``<textarea>``) it leaves open, or closes with no start tag. For those, the
Markdown file's own tags of that element (outside fenced code, code spans,
HTML comments, indented code blocks and what ``<pre>``, ``<script>`` or
``<style>`` hold) are paired in order to name the line of the one left open or
the stray end tag. An element with md_in_html's ``markdown`` attribute left open
in the Markdown is reported even when the rendered page pairs up: the extension
closes it at the page's end, with everything after it inside. HTML that a
markdown-exec block printed is not the Markdown's: ``code_blocks`` reports it at
the block's line, so an element whose tags pair up in the Markdown is left to it.

Two slips the browser does not show as an open element are reported from the
Markdown, each when the rendered page bears it out:

- a start tag of an element whose end tag HTML lets one leave out (``<p>``,
  ``<li>``, ``<td>``) at the start of a line and never closed: Python-Markdown
  takes it for an HTML block that runs to its end tag, so every line after it
  reaches the page as typed Markdown (``## Heading``, ``**bold**``);
- a tag that names no HTML element (``a prompt like <subject> in the style of
  <artist>``, ``press <Enter>``): Python-Markdown passes it on as HTML, and the
  browser shows nothing for it, so the word is missing (``<image>`` even becomes
  an image). Custom elements (a name with a hyphen) and what ``<svg>`` or
  ``<math>`` hold are left alone.

An HTML comment never closed (``<!-- TODO: add a figure`` with no ``-->``) is
shown on the page as text, and reported at its line when it is.

And Markdown written inside an HTML block without md_in_html's ``markdown``
attribute (``<details><summary>Solution</summary>`` then ``**bold**`` and a
list, as on GitHub): Python-Markdown passes the block on as written, so the page
shows the asterisks, backticks, brackets and list marks; reported at the block's
start tag when its Markdown reaches the page as typed.

Warnings name the Markdown file and line, so ``mkdocs build --strict`` fails
and ``mkdocs serve`` keeps serving; the page is left as it is.
"""

from __future__ import annotations

import logging
import re
from html import escape
from typing import NamedTuple
from markdown.util import BLOCK_LEVEL_ELEMENTS

from markdown_fences import lines_in_fences, lines_in_raw_html, read_as_indented_code, report_page_problems, split_lines
from printed_html import FOREIGN, FORMATTING, HOLDERS, OPTIONAL_END, RAW_TEXT, SCOPE_MARKERS, VOID, OpenElements

log = logging.getLogger("mkdocs.hooks.written_html")

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^<>]*?)?(/?)>")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_RAW_OPENING = re.compile(r"^[ \t]*<(pre|textarea|script|style)\b", re.IGNORECASE)  # its own line is read
_MARKDOWN_ATTRIBUTE = re.compile(r"\smarkdown(?:\s*=|[\s/>])", re.IGNORECASE)


def changes_what_follows(tag: str) -> bool:
    """An element that, left open or closed once too often, changes the rest of the page."""
    if tag in OPTIONAL_END or tag in VOID:
        return False
    return tag in BLOCK_LEVEL_ELEMENTS or tag in FORMATTING or tag in RAW_TEXT


class _PageReader(OpenElements):
    """Follows which elements a rendered page leaves open, as a browser reads it: unlike a block's printed
    HTML, a page holds whole paragraphs, list items and table cells, so their start tags end the ones
    before (``<li>`` ends an open ``<li>``, a ``<div>`` ends an open ``<p>``) and their end tags close what
    is left open inside them."""

    def __init__(self) -> None:
        super().__init__(False, lambda tag: False)

    def handle_starttag(self, tag: str, attrs) -> None:
        for ended, bounds in _ENDED_BY.get(tag, ()):
            self._close_within(ended, bounds)
        if tag not in VOID:
            self.open.append((tag, False))
        self.read_as_text(tag)

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in BLOCK_LEVEL_ELEMENTS and tag not in VOID:
            self.handle_starttag(tag, attrs)  # HTML reads <div/> as <div>: it stays open

    def handle_endtag(self, tag: str) -> None:
        if tag in self.tags():
            self.close_element(len(self.tags()) - 1 - self.tags()[::-1].index(tag))
        elif tag in FORMATTING and tag in dict(self.reopened):  # it closes the copy a browser opened again
            self.reopened = [entry for entry in self.reopened if entry[0] != tag]
        elif tag in HOLDERS:
            self.stray.append(tag)

    def _close_within(self, ended: frozenset[str], bounds: frozenset[str]) -> None:
        for position in range(len(self.open) - 1, -1, -1):
            if self.open[position][0] in ended:
                self.close_element(position)
                return
            if self.open[position][0] in bounds:
                return


# Every element of HTML (the living standard's, and ones browsers still read), SVG's and MathML's roots.
KNOWN_ELEMENTS = frozenset(
    "a abbr acronym address area article aside audio b base bdi bdo big blockquote body br button canvas caption "
    "center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em embed fieldset "
    "figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img "
    "input ins kbd label legend li link main map mark marquee math menu meta meter nav nobr noembed noframes "
    "noscript object ol optgroup option output p param picture plaintext pre progress q rb rp rt rtc ruby s samp "
    "script search section select slot small source span strike strong style sub summary sup svg table tbody td "
    "template textarea tfoot th thead time title tr track tt u ul var video wbr xmp".split()
)
_SCOPE = SCOPE_MARKERS | {"button", "svg", "math"}
_ENDS_A_PARAGRAPH = frozenset(
    "address article aside blockquote center details dialog dir div dl fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section summary table ul li dd dt".split()
)
# A start tag ends the open element of these names, unless one of the bounds is opened after it.
_ENDED_BY: dict[str, list[tuple[frozenset[str], frozenset[str]]]] = {}
for _tag in _ENDS_A_PARAGRAPH:
    _ENDED_BY.setdefault(_tag, []).append((frozenset({"p"}), _SCOPE))
_ENDED_BY["li"].append((frozenset({"li"}), _SCOPE | {"ul", "ol"}))
for _tag in ("dd", "dt"):
    _ENDED_BY[_tag].append((frozenset({"dd", "dt"}), _SCOPE | {"dl"}))
for _tag in ("td", "th"):
    _ENDED_BY[_tag] = [(frozenset({"td", "th"}), frozenset({"table", "tr"}))]
_ENDED_BY["tr"] = [(frozenset({"tr"}), frozenset({"table"}))]
for _tag in ("thead", "tbody", "tfoot"):
    _ENDED_BY[_tag] = [(frozenset({"thead", "tbody", "tfoot"}), frozenset({"table"}))]


_NOT_READ = re.compile(r"<svg\b.*?</svg>|<pre\b[^>]*><span></span><code\b.*?</code></pre>", re.DOTALL | re.IGNORECASE)


def page_slips(html: str) -> tuple[set[str], set[str]]:
    """The elements the rendered page leaves open (or a browser opens again: a formatting element still open
    when its container closed), and those it closes with no start tag."""
    reader = _PageReader()
    # Charts follow XML's rules; a highlighted code block (Pygments' <pre><span></span><code>) holds only
    # balanced spans, and most of a lesson's tags: neither can leave anything open.
    reader.feed(_NOT_READ.sub("", html))
    reader.close()
    left_open = {tag for tag in reader.tags() if changes_what_follows(tag)} | {tag for tag, _ in reader.reopened}
    return left_open, set(reader.stray)


class WrittenTag(NamedTuple):
    line: int  # 1-based, in the Markdown
    tag: str
    is_end: bool
    markdown: bool = False  # a start tag with md_in_html's markdown attribute
    starts_line: bool = False  # nothing but up to 3 spaces before it: where an HTML block can start
    written: str = ""  # the tag as typed


def written_tags(markdown: str) -> list[WrittenTag]:
    """Each HTML tag written in the Markdown, outside what the page shows as text (fenced and indented code,
    code spans, HTML comments, what <pre>, <script> or <style> holds)."""
    text = _COMMENT.sub(lambda comment: "\n" * comment[0].count("\n"), markdown)
    lines = split_lines(text)
    # What a page shows as text: fenced code, what <pre>, <script> or <style> holds, an indented code block.
    shown_as_text = lines_in_fences(markdown) | {
        index for index in lines_in_raw_html(markdown) if not _RAW_OPENING.match(lines[index])
    }
    found = []
    for index, line in enumerate(lines):
        if "<" not in line or index in shown_as_text or read_as_indented_code(index, lines):
            continue
        # Code spans blanked to their length: what they hold is text, and a tag's place in the line stays its own.
        readable = _CODE_SPAN.sub(lambda span: " " * len(span[0]) if span[0].strip() else span[0], line)
        for tag in _TAG.finditer(readable):
            name = tag[2].lower()
            if not tag[3] or name in BLOCK_LEVEL_ELEMENTS:  # <div/> opens a div, <br/> is a void element
                found.append(WrittenTag(index + 1, name, bool(tag[1]), bool(_MARKDOWN_ATTRIBUTE.search(tag[0])),
                                        starts_line=line[: tag.start()] == " " * tag.start() and tag.start() < 4,
                                        written=tag[0]))
    return found


def unpaired(tags: list[WrittenTag], name: str) -> tuple[list[WrittenTag], list[WrittenTag]]:
    """The start tags of this element that nothing closes, and its end tags that close nothing, pairing each
    end tag with the latest start tag before it."""
    opened: list[WrittenTag] = []
    stray: list[WrittenTag] = []
    for tag in tags:
        if tag.tag != name:
            continue
        if not tag.is_end:
            opened.append(tag)
        elif opened:
            opened.pop()
        else:
            stray.append(tag)
    return opened, stray


def written_html_problems(markdown: str, html: str) -> list[tuple[int, str]]:
    """(1-based line of the Markdown, what is wrong and what to do) for each element its HTML leaves open
    or closes once too often.

    Reported when the rendered page shows it (``page_slips``), and for an element with md_in_html's
    ``markdown`` attribute left open even when it does not: the extension closes that one at the page's
    end, so everything after it is inside it.
    """
    left_open, stray = page_slips(html)
    tags = written_tags(markdown)
    problems = set()
    for name in {tag.tag for tag in tags}:
        opened, closes_nothing = unpaired(tags, name)
        problems |= {(tag.line, _left_open(name)) for tag in opened if name in left_open or tag.markdown}
        if name in stray:
            problems |= {(tag.line, _closes_nothing(name)) for tag in closes_nothing}
    problems |= set(blocks_left_open(markdown, tags, html)) | set(unknown_elements(tags, html))
    problems |= set(markdown_in_html_blocks(markdown, tags, html)) | set(comments_left_open(markdown, html))
    return sorted(problems)


def comments_left_open(markdown: str, html: str) -> list[tuple[int, str]]:
    """The line of an HTML comment that nothing closes, when the page shows it as text (a note to self, published)."""
    lines = split_lines(markdown)
    fenced = lines_in_fences(markdown)
    for index, line in enumerate(lines):
        start = _CODE_SPAN.sub(lambda span: " " * len(span[0]), line).find("<!--")
        if start < 0 or index in fenced or read_as_indented_code(index, lines):
            continue  # an example: code shows it as typed
        after = [line[start:], *(later for number, later in enumerate(lines[index + 1 :], index + 1) if number not in fenced)]
        if "-->" in "\n".join(after):
            continue
        shown = line[start:].strip()
        if escape(shown, quote=False) in html:
            return [(index + 1, (
                f"this HTML comment is never closed (no --> after it), so the page shows it as text "
                f"('{shown[:40]}'); end it with -->"
            ))]
        return []
    return []


# Markdown that an HTML block shows as typed: bold, a code span, a link, a list item or a heading.
_MARKDOWN_SYNTAX = re.compile(
    r"\*\*[^*\s][^*\n]*\*\*|`[^`\n]+`|\[[^\]\n]+\]\([^)\s]+\)|^[ \t]*(?:[-*+]|\d+\.)[ \t]+\S.*$|^#{1,6}[ \t]+\S.*$",
    re.MULTILINE,
)
_HOLDS_TEXT = frozenset(("pre", "script", "style", "textarea"))  # raw text on purpose
_CODE_ELEMENTS = re.compile(r"<(pre|code|kbd|samp|script|style|textarea)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)


def markdown_in_html_blocks(markdown: str, tags: list[WrittenTag], html: str) -> list[tuple[int, str]]:
    """Each HTML block (a block-level start tag at the start of a line, without the markdown attribute) whose
    Markdown the page shows as typed, at its start tag; blocks inside another one are its."""
    lines = split_lines(markdown)
    fenced = lines_in_fences(markdown)
    text = _CODE_ELEMENTS.sub(" ", html)  # the page without its code
    problems, inside_until = [], 0
    for position, tag in enumerate(tags):
        if tag.is_end or tag.line <= inside_until or not tag.starts_line or tag.markdown:
            continue
        if tag.tag not in BLOCK_LEVEL_ELEMENTS or tag.tag in _HOLDS_TEXT:
            continue
        end = _end_tag_line(tags, position)
        if end is None:
            continue  # left open: reported as such
        inside_until = end
        # What the block holds as code is shown as typed on purpose (**kwargs, # a comment): left out, in both;
        # a fence inside it is still read as one (superfences), so its lines are code too.
        held = [line for number, line in enumerate(lines[tag.line - 1 : end], tag.line - 1) if number not in fenced]
        written = _CODE_ELEMENTS.sub(" ", "\n".join(held))
        shown = [found[0].strip() for found in _MARKDOWN_SYNTAX.finditer(written)]
        typed = next((syntax for syntax in shown if syntax in text), None)
        if typed is not None:
            problems.append((tag.line, (
                f"the Markdown inside this <{tag.tag}> is shown as typed ('{typed[:40]}'): an HTML block at the start "
                f"of a line is passed on as written; add the markdown attribute (<{tag.tag} markdown>, md_in_html) "
                "and leave a blank line after its start tag and before its end tag, or write HTML inside it"
            )))
    return problems


def _end_tag_line(tags: list[WrittenTag], position: int) -> int | None:
    """The line of the end tag that closes the start tag at ``position`` (same-named tags nest)."""
    depth = 0
    for tag in tags[position:]:
        if tag.tag == tags[position].tag:
            depth += -1 if tag.is_end else 1
            if depth == 0:
                return tag.line
    return None


def blocks_left_open(markdown: str, tags: list[WrittenTag], html: str) -> list[tuple[int, str]]:
    """The first start tag of an element with an optional end tag (``<p>``, ``<li>``) that begins a line and is
    never closed, when the page shows the Markdown after it as typed (its next block reaches the page as is)."""
    lines = split_lines(markdown)
    starts = sorted(
        (tag for name in {tag.tag for tag in tags} & OPTIONAL_END & set(BLOCK_LEVEL_ELEMENTS)
         for tag in unpaired(tags, name)[0] if tag.starts_line),
        key=lambda tag: tag.line,
    )
    for tag in starts:
        following = _next_block(lines, tag.line)
        if following is not None and f"\n{following}" in html:
            return [(tag.line, _block_left_open(tag.tag, following))]
    return []


def _next_block(lines: list[str], line: int) -> str | None:
    """The first line of text after the next blank line below the 1-based ``line``, if it is not HTML."""
    blank = next((index for index in range(line, len(lines)) if not lines[index].strip()), None)
    if blank is None:
        return None
    text = next((lines[index] for index in range(blank, len(lines)) if lines[index].strip()), None)
    return text if text is not None and not text.lstrip().startswith("<") else None


def unknown_elements(tags: list[WrittenTag], html: str) -> list[tuple[int, str]]:
    """Each start tag naming no HTML element (a placeholder such as ``<subject>``) that the page passes on as HTML."""
    problems, foreign = [], 0  # inside <svg> or <math>: their own elements
    for tag in tags:
        if tag.tag in FOREIGN:
            foreign = max(foreign + (-1 if tag.is_end else 1), 0)
        elif not (foreign or tag.is_end or tag.tag in KNOWN_ELEMENTS or "-" in tag.tag) and tag.written in html:
            problems.append((tag.line, _unknown_element(tag.written)))
    return problems


def _left_open(tag: str) -> str:
    if tag in FORMATTING:
        return (f"<{tag}> is never closed, so a browser applies it to the rest of the page; close it with "
                f"</{tag}> in the same paragraph")
    return (f"<{tag}> is never closed, so everything after it on the page (headings, text, the layout's own "
            f"parts) ends up inside it; close it with </{tag}>, on a line of its own after a blank line. "
            "Inside an admonition or a list, HTML indented under it is not read as an HTML block: "
            "put the element at the start of a line, outside it, or use Markdown instead")


def _block_left_open(tag: str, following: str) -> str:
    return (f"<{tag}> is never closed and starts a line, so Python-Markdown reads everything after it as one HTML "
            f"block, up to a </{tag}> that never comes: the rest of the page is shown as typed Markdown (from "
            f"'{following.strip()[:40]}' on, headings, lists and emphasis all as plain text); close it with </{tag}>")


def _unknown_element(written: str) -> str:
    name = written.strip("<>/ ").split()[0]
    becomes = " (a browser even reads <image> as an image)" if name.lower() == "image" else ""
    return (f"{written} is not an HTML element, so the page passes it on as a tag and the browser shows nothing "
            f"for it: the word '{name}' is missing from the page{becomes}; write it in backticks (`{written}`) "
            f"or as &lt;{name}&gt;")


def _closes_nothing(tag: str) -> str:
    return (f"</{tag}> closes no <{tag}> written before it, so it closes the page's own element around it "
            "(an admonition, a list, the layout); remove it, or open the element before it")


def on_page_content(html, page, config, files):
    report_page_problems(page, config, log, lambda markdown: written_html_problems(markdown, html))
    return html
