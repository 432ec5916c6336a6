"""Hook: warn when the page reads a piece of Markdown otherwise than its author clearly meant.

Each of these slips builds without a word (``mkdocs build --strict`` exits 0),
shows no stray syntax that would catch an eye, and changes what the reader is
told:

1. a nested list indented 1 to 3 spaces (``- Speed`` then ``  - fewer steps``):
   Python-Markdown nests a list only 4 spaces in, so the sub-items become items
   of the list above (or, with ``sane_lists``, text of its item): the hierarchy
   is lost;
2. a table row with more cells than its header, most often because of a ``|``
   inside a cell (``| cfg | p(x | y) |``): the cells past the header's count
   are dropped, and the row shows ``p(x``;
3. a sentence right above ``---`` (or ``===``): the sentence becomes a heading
   (listed in the table of contents) where a horizontal rule was meant;
4. Python written in prose, read as emphasis: ``0.5*value + 0.3*stability``
   shows "value + 0.3" in italics and loses both ``*``; ``if __name__ ==`` shows
   a bold "name";
5. a wrapped line of prose that starts with ``#`` or ``>``: ``#1 on the list``
   becomes a second page title (``<h1>``), and ``score is`` / ``> 5 are worth it``
   cuts the sentence into a quote.

The verdict is the rendered page's (``html``: what the reader gets): a list item
not nested under the item above it, a table row that holds the first cells of
a longer Markdown row and nothing of the rest, a heading made of the line above
a ``---``, emphasis that opens or closes inside a word or hugs Python's
operators, a second ``<h1>``, a quote. The Markdown is read only to name the
line and say what to write instead; lines in fenced or indented code, HTML
comments and ``<pre>`` are examples and never reported. Each check is kept
conservative: an underline at least as long as its text, or under words that
do not read as a sentence (no closing ``.``, ``,``, ``;``, ``!``, ``?``, fewer than
eight words: ``Results`` over ``---``), is a heading meant as one; a ``>`` line
after a sentence that ended (``.``, ``:``, ``!``, ``?``), or whose text starts
anew (a capital letter: ``As Feynman put it`` then ``> What I cannot create``),
is a quote meant as one; a ``#`` line after a blank line with a space after the
``#`` is a heading meant as one (``# Appendix``), even as a page's second;
emphasis inside a word is reported only as code or a formula, with a digit
against its marks or an operator inside them (``0.5*value + 0.3*x``, ``2**10``),
so ``**Code Block**s``, ``Zeit**raum**`` and ``**1.5**x`` are emphasis meant;
only ASCII letters and digits count as a word's (CJK text has no spaces
between words). Warnings name
the Markdown file and line, so ``mkdocs build --strict`` fails and ``mkdocs
serve`` keeps serving.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser

from markdown_fences import (
    indent_columns, lines_in_comments, lines_in_fences, lines_in_raw_html, read_as_indented_code,
    report_page_problems, split_lines,
)

log = logging.getLogger("mkdocs.hooks.markdown_misreads")

# A list item's line as Python-Markdown reads one: a bullet, or a number and a dot, then a space and text.
_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d+\.)[ \t]+(?P<text>\S.*)$")
_RULE = re.compile(r"^[ ]{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # "- - -" and "* * *" are rules, not items
_UNDERLINE = re.compile(r"^[ \t]*(?P<line>-+|=+)[ \t]*$")
_QUOTE = re.compile(r"^[ \t]*>(?P<text>.*)$")
_HASH_HEADING = re.compile(r"^[ \t]*#(?!#)(?P<text>.*?)#*[ \t]*$")  # level 1: one '#', with or without a space
# A line that is not prose: a quote, heading, table row, HTML, fence, box, list item or rule.
_NOT_PROSE = re.compile(r"^[ \t]*(?:[>#|<]|```|~~~|!!!|\?\?\?|[-*+][ \t]|\d+\.[ \t]|[-=]+[ \t]*$)")
_CODE_SPAN = re.compile(r"(?<!\\)(`+)(?!`).+?(?<!`)\1(?!`)")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|\]\[[^\]]*\]")
_ATTR_LIST = re.compile(r"\{:?[ ]*[#.:][^}]*\}")
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")
_PYTHON_NAME = re.compile(r"[a-z_][a-z0-9_]*")  # what a dunder holds: __name__, __init__
_LETTER = r"[0-9A-Za-z]"  # a letter or digit of code or a formula (CJK text has no spaces between words)
# Around a bold Python name (__name__): an operator, a call, an attribute, a quote: code, not prose.
_CODE_BEFORE = re.compile(r"(?:[.\"'(\[]|[=!<>]=[ ]?|=[ ]?)$")
_CODE_AFTER = re.compile(r"(?:[ ]?[=!<>]=|[ ]?=|[(\[\"']|\.\w)")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
KEY_WORDS = 5  # words of an item or a quote that identify it on the rendered page


# --- The rendered page, as a tree of elements ---

class Element:
    """An element of the rendered page: its tag, its parent, its children (elements and text)."""

    def __init__(self, tag: str, parent: Element | None) -> None:
        self.tag = tag
        self.parent = parent
        self.children: list[Element | str] = []

    def iter(self, *tags: str) -> Iterator[Element]:
        """This element's descendants with one of these tags, in page order."""
        for child in self.children:
            if isinstance(child, Element):
                if child.tag in tags:
                    yield child
                yield from child.iter(*tags)

    def text(self, without: tuple[str, ...] = ()) -> str:
        """The text a reader sees in it, leaving out the elements with these tags (a nested list)."""
        return "".join(child if isinstance(child, str) else child.text(without)
                       for child in self.children if isinstance(child, str) or child.tag not in without)

    def ancestors(self) -> Iterator[Element]:
        parent = self.parent
        while parent is not None:
            yield parent
            parent = parent.parent

    def neighbours(self) -> tuple[str, str]:
        """The text right before and right after it in its parent ("" where an element or nothing is)."""
        siblings = self.parent.children if self.parent else []
        at = next(number for number, child in enumerate(siblings) if child is self)
        before = siblings[at - 1] if at > 0 else ""
        after = siblings[at + 1] if at + 1 < len(siblings) else ""
        return (before if isinstance(before, str) else ""), (after if isinstance(after, str) else "")


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("", None)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, self.current)
        self.current.children.append(element)
        if tag not in _VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, self.current))

    def handle_endtag(self, tag):
        # Close the nearest open element with this tag; a stray end tag closes nothing.
        open_one = next((element for element in [self.current, *self.current.ancestors()] if element.tag == tag), None)
        if open_one is not None and open_one.parent is not None:
            self.current = open_one.parent

    def handle_data(self, data):
        self.current.children.append(data)


_NOT_READ = re.compile(r"<(svg|pre)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)


def page_tree(html: str) -> Element:
    """The rendered page as a tree, without its charts' SVG and its code blocks' highlighted lines (no check
    reads them, and they hold most of a lesson's tags)."""
    builder = _TreeBuilder()
    builder.feed(_NOT_READ.sub(lambda found: f"<{found[1]}></{found[1]}>", html))
    builder.close()
    return builder.root


# --- Comparing what is written with what is shown ---

def words(text: str) -> list[str]:
    """The words of a text as shown, case left out ("__name__" and "name" alike)."""
    return [word.strip("_") for word in _WORD.findall(text.casefold()) if word.strip("_")]


def written_words(markdown: str) -> list[str]:
    """The words the reader is meant to see in a piece of Markdown: link targets, tags, attribute lists left out."""
    return words(unescape(_TAG.sub(" ", _ATTR_LIST.sub(" ", _LINK_TARGET.sub("] ", markdown)))))


def starts_with(shown: list[str], key: list[str]) -> bool:
    return bool(key) and shown[: len(key)] == key


def without_code_spans(line: str) -> str:
    """The line with its code spans blanked (same length): what they hold is shown as written."""
    return _CODE_SPAN.sub(lambda found: " " * len(found[0]), line)


def shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def example_lines(lines: list[str], markdown: str) -> set[int]:
    """0-based indexes of the lines shown as written: fenced and indented code, HTML comments, <pre>."""
    skipped = lines_in_fences(markdown) | lines_in_comments(markdown) | lines_in_raw_html(markdown)
    code_column = None  # the indent of the indented code block being read, while one goes on
    for index, line in enumerate(lines):
        if code_column is not None and (not line.strip() or indent_columns(line) >= code_column):
            skipped.add(index)
            continue
        code_column = None
        if line.strip() and index not in skipped and read_as_indented_code(index, lines):
            code_column = indent_columns(line)
            skipped.add(index)
    return skipped


# --- 1. Nested lists indented too little ---

def parent_item(lines: list[str], index: int) -> int | None:
    """The nearest line above that is indented less than this one, when it is a list item; else None."""
    column = indent_columns(lines[index])
    if column == 0:
        return None  # nothing is indented less: without this, every item at the margin read the page above it
    for above in range(index - 1, -1, -1):
        if lines[above].strip() and indent_columns(lines[above]) < column:
            return above if _ITEM.match(lines[above]) and not _RULE.match(lines[above]) else None
    return None


def nested_under(items: list[Element], parent_key: list[str], child_key: list[str]) -> tuple[bool, bool]:
    """(whether the parent's item is on the page, whether the child's item is shown nested in it)."""
    own = {id(item): words(item.text(without=("ul", "ol"))) for item in items}
    parents = [item for item in items if starts_with(own[id(item)], parent_key)]
    nested = any(starts_with(own[id(item)], child_key) and any(up in parents for up in item.ancestors())
                 for item in items)
    return bool(parents), nested


def shallow_sublists(lines: list[str], skipped: set[int], tree: Element) -> list[tuple[int, str]]:
    """(1-based line, what to do) for each list item indented 1-3 spaces past the item above, not nested under it."""
    items = list(tree.iter("li"))
    named: set[tuple[int, int]] = set()  # (parent line, indent) of the sub-lists named: once each, at its first item
    problems = []
    for index, line in enumerate(lines):
        item = _ITEM.match(line)
        if not item or index in skipped or _RULE.match(line):
            continue
        above = parent_item(lines, index)
        if above is None or above in skipped or (above, indent_columns(line)) in named:
            continue
        depth = indent_columns(line) - indent_columns(lines[above])
        if depth >= 4:
            continue
        parent_text = _ITEM.match(lines[above])["text"]
        child_key = written_words(item["text"])[:KEY_WORDS]
        found, nested = nested_under(items, written_words(parent_text)[:KEY_WORDS], child_key)
        if not found or nested:
            continue
        shown_as_item = any(starts_with(words(li.text(without=("ul", "ol"))), child_key) for li in items)
        parent = shorten(parent_text)
        shown = (f"one more item of the list, beside '{parent}' above it, not nested under it" if shown_as_item
                 else f"text run into the item '{parent}' above it (its '{item['marker']}' as typed), not an item "
                      "nested under it")
        named.add((above, indent_columns(line)))
        spaces = f"{depth} space" + ("s" if depth > 1 else "")
        problems.append((index + 1, (
            f"this list item is shown as {shown}: the hierarchy is lost. It is indented {spaces} past that item, "
            f"and Python-Markdown nests a list only 4 spaces in: indent it, and the items beside it, "
            f"{indent_columns(lines[above]) + 4} spaces"
        )))
    return problems


# --- 2. Table rows with more cells than their header ---

def split_cells(row: str, border: bool) -> list[str]:
    """A table row's cells as the tables extension splits them: at each '|' that is neither escaped (\\|)
    nor inside a code span (backticks paired by length); with a border, the outer pipes are not cells."""
    row = row.strip(" ")
    if border:
        row = row[1:] if row.startswith("|") else row
        row = re.sub(r"(?<!\\)(?:\\\\)*\|$", lambda found: found[0][:-1], row)
    pipes, ticks = [], []  # positions of bare pipes; (start, end, length, escaped) of backtick runs
    for found in re.finditer(r"(\\\\)|(\\`+)|(`+)|(\\\|)|(\|)", row):
        if found[2]:
            ticks.append((found.start(2), found.end(2) - 1, len(found[2]) - 1, 1))
        elif found[3]:
            ticks.append((found.start(3), found.end(3) - 1, len(found[3]), 0))
        elif found[5]:
            pipes.append(found.start(5))
    code = []  # (start, end) of each code span: an opening run paired with the next run of its length
    at = 0
    while at < len(ticks):
        size = ticks[at][2] - ticks[at][3]
        closing = next((later for later in range(at + 1, len(ticks)) if size and ticks[later][2] == size), None)
        if closing is None:
            at += 1
            continue
        code.append((ticks[at][0], ticks[closing][1]))
        at = closing + 1
    cells, start = [], 0
    for pipe in pipes:
        if not any(first <= pipe <= last for first, last in code):
            cells.append(row[start:pipe])
            start = pipe + 1
    return cells + [row[start:]]


def markdown_tables(lines: list[str], skipped: set[int]) -> Iterator[tuple[int, list[tuple[int, list[str]]]]]:
    """(header's cell count, [(0-based line, cells)] of its body rows) for each table written in the Markdown."""
    index = 0
    while index + 1 < len(lines):
        header, separator = lines[index].strip(" "), lines[index + 1].strip(" ")
        border = header.startswith("|") or bool(re.search(r"(?<!\\)(?:\\\\)*\|$", header))
        heads, marks = split_cells(header, border), split_cells(separator, border)
        is_table = ("|" in header and len(heads) > 1 and len(marks) == len(heads)
                    and set("".join(marks)) <= set("|:- ") and "-" in separator)
        if not is_table or index in skipped:
            index += 1
            continue
        end = index + 2
        while end < len(lines) and lines[end].strip():
            end += 1
        yield len(heads), [(row, split_cells(lines[row], border)) for row in range(index + 2, end)]
        index = end


def overfull_rows(lines: list[str], skipped: set[int], tree: Element) -> list[tuple[int, str]]:
    """(1-based line, what to do) for each table row whose cells past the header's count the page dropped."""
    shown_rows = [words(" ".join(cell.text() for cell in row.iter("td", "th"))) for row in tree.iter("tr")]
    problems = []
    for columns, rows in markdown_tables(lines, skipped):
        for index, cells in rows:
            dropped = "|".join(cells[columns:])
            kept = written_words(" ".join(cells[:columns]))
            if len(cells) <= columns or not written_words(dropped) or kept not in shown_rows:
                continue  # fewer cells are shown empty; a row shown whole (or not found) is left alone
            shown_rows.remove(kept)
            problems.append((index + 1, (
                f"this table row has {len(cells)} cells but its header has {columns}: the page shows "
                f"'{shorten(cells[columns - 1].strip())}' as its last cell and silently drops the rest "
                f"('{shorten(dropped.strip())}'). A '|' inside a cell ends the cell: write it as \\| "
                "(or &#124;; inside `backticks` a | is kept as is); if the row really has more columns, "
                "add them to the header and the separator line"
            )))
    return problems


# --- 3. Text above a '---' or '===' line read as a heading ---

def underlined_text(lines: list[str], skipped: set[int], tree: Element) -> list[tuple[int, str]]:
    """(1-based line, what to do) for each '---'/'===' line that made the line of text above it a heading."""
    headings = {level: [words(heading.text()) for heading in tree.iter(f"h{level}")] for level in (1, 2)}
    title = headings[1][0] if headings[1] else None  # the page's first <h1> is its title: underlined on purpose
    problems = []
    for index, line in enumerate(lines):
        underline = _UNDERLINE.match(line)
        if not underline or index == 0 or {index, index - 1} & skipped:
            continue
        text = lines[index - 1].strip()
        after_blank = index == 1 or not lines[index - 2].strip()  # Python-Markdown: only a block's first line
        if not text or not after_blank or len(underline["line"]) >= len(text):
            continue  # an underline as long as its text: a heading written so on purpose
        if not (text.endswith((".", ",", ";", "!", "?")) or len(text.split()) >= 8):
            continue  # "Results" over "---" is a heading written so: only a sentence reads as text meant
        level = 1 if underline["line"][0] == "=" else 2
        shown = written_words(text)
        if shown not in headings[level] or (level == 1 and shown == title):
            continue
        headings[level].remove(shown)
        mark = underline["line"]
        problems.append((index + 1, (
            f"the '{mark}' here underlines the line above ('{shorten(text)}'), which is shown as a heading "
            f"(<h{level}>, listed in the table of contents), not as text: "
            + ("for a horizontal rule, leave a blank line above '---'" if level == 2
               else "leave a blank line above it, or remove it")
            + f"; for a heading, write '## {shorten(text)}'"
        )))
    return problems


# --- 4. Python in prose read as emphasis ---

def emphasis_slips(tree: Element) -> Iterator[tuple[str, str, str, str]]:
    """(kind, before, inner, after) for each emphasis the page shows that opens or closes inside a word
    (kind "intraword"), or is a bold Python name among operators, calls or quotes (kind "dunder")."""
    for element in tree.iter("em", "strong"):
        if any(up.tag in ("code", "pre") for up in element.ancestors()):
            continue
        before, after = element.neighbours()
        inner = element.text()
        opens_inside = re.search(f"{_LETTER}$", before)
        closes_inside = re.match(_LETTER, after)
        # Code or a formula, not words: a digit against the marks, or an operator inside them. "0.5*value + 0.3*x",
        # "2**10", "(a+b)*c + d*e" are; "**Code Block**s", "Zeit**raum**", "**1.5**x faster" are emphasis meant.
        formula = (re.search(r"\d$", before) or re.match(r"\d", after) or re.search(r"[-+=/<>()\[\]^%]", inner)) \
            and not re.fullmatch(r"[\d.,]+", inner)
        if (opens_inside or closes_inside) and formula:
            yield "intraword", before, inner, after
        elif (element.tag == "strong" and _PYTHON_NAME.fullmatch(inner)
              and (_CODE_BEFORE.search(before) or _CODE_AFTER.match(after))):
            yield "dunder", before, inner, after


def written_as(kind: str, before: str, inner: str, after: str) -> list[re.Pattern]:
    """Patterns that find the Markdown an emphasis slip was written as, on one line."""
    if kind == "dunder":
        return [re.compile(rf"__{re.escape(inner)}__")]
    first = re.match(r"\w+|\S", inner.lstrip())
    last = re.search(r"(?:\w+|\S)$", inner.rstrip())
    patterns = []
    if (opening := re.search(r"\w+$", before)) and first:
        patterns.append(re.compile(rf"{re.escape(opening[0])}[*_]{{1,3}}{re.escape(first[0])}"))
    if (closing := re.match(r"\w+", after)) and last:
        patterns.append(re.compile(rf"{re.escape(last[0])}[*_]{{1,3}}{re.escape(closing[0])}"))
    return patterns


def code_read_as_emphasis(lines: list[str], skipped: set[int], tree: Element) -> list[tuple[int, str]]:
    """(1-based line, what to do) for each line whose code or formula the page shows as emphasis."""
    prose = [(index, without_code_spans(line)) for index, line in enumerate(lines) if index not in skipped]
    used: set[tuple[int, int]] = set()  # (line, column) of each slip already named: the same slip twice is two
    problems = []
    for kind, before, inner, after in emphasis_slips(tree):
        patterns = written_as(kind, before, inner, after)
        found = next(((index, spans) for index, line in prose
                      if (spans := [(match.start(), match.end()) for pattern in patterns
                                    for match in pattern.finditer(line) if (index, match.start()) not in used])),
                     None)
        if found is None:
            continue
        index, spans = found
        used.update((index, start) for start, _ in spans)
        line = lines[index]
        start = line.rfind(" ", 0, min(spans)[0]) + 1
        end = line.find(" ", max(end for _, end in spans))
        written = (line[start:] if end < 0 else line[start:end]).rstrip(".,;:!?")  # the formula, whole words
        if kind == "dunder":
            problem = (f"'__{inner}__' is read as bold: the reader sees '{inner}' in bold, without its "
                       f"underscores; put Python names and code in backticks: `__{inner}__`")
        else:
            marks = re.search(r"[*_]+", line[min(spans)[0]:min(spans)[1]])[0]
            problem = (f"the '{marks}' in '{shorten(written)}' is read as emphasis, not as a character: the reader "
                       f"sees '{shorten(inner)}' in {'bold' if len(marks) > 1 else 'italics'} and both "
                       f"'{marks}' vanish; put code and formulas in backticks (`{written}`), "
                       f"or escape each '*' as '\\*'")
        problems.append((index + 1, problem))
    return problems


# --- 5. A wrapped line of prose that starts with '#' or '>' ---

def second_titles(lines: list[str], skipped: set[int], tree: Element) -> list[tuple[int, str]]:
    """(1-based line, what to do) for each '#' line shown as an <h1> after the page's first (its title) that was
    not written as a heading: right under a line of text (a wrapped sentence), or with no space after the '#'."""
    shown = [words(heading.text()) for heading in tree.iter("h1")]
    problems = []
    after = 0  # the rendered <h1>s are met in the order of their lines
    for index, line in enumerate(lines):
        heading = _HASH_HEADING.match(line)
        if not heading or index in skipped:
            continue
        key = written_words(heading["text"])
        at = next((number for number in range(after, len(shown)) if shown[number] == key), None)
        if at is None:
            continue
        after = at + 1
        wrapped = index > 0 and lines[index - 1].strip() and not _NOT_PROSE.match(lines[index - 1])
        if at == 0 or not (wrapped or re.match(r"[ \t]*#\S", line)):
            continue  # the title, or "# Appendix" after a blank line: a heading written as one
        text = heading["text"].strip()
        problems.append((index + 1, (
            f"this line is shown as a second page title (an <h1>, also listed in the table of contents): a line "
            f"that starts with '#' is a heading, even in the middle of a paragraph and with no space after the '#'. "
            f"If it is text, reword it so that it does not start with '#', or escape it: '\\{line.strip()}'; "
            f"for a section heading, write '## {shorten(text)}'"
        )))
    return problems


def quotes_cut_from_sentences(lines: list[str], skipped: set[int], tree: Element) -> list[tuple[int, str]]:
    """(1-based line, what to do) for each '>' line that continues an unfinished sentence, shown as a quote."""
    quotes = [words(quote.text()) for quote in tree.iter("blockquote")]
    if not quotes:
        return []
    problems = []
    for index, line in enumerate(lines):
        quote = _QUOTE.match(line)
        if not quote or index == 0 or {index, index - 1} & skipped:
            continue
        above = lines[index - 1]
        # A sentence cut off: text above (after a list marker, if any), not ended, not a quote or heading.
        sentence = _ITEM.match(above)["text"] if _ITEM.match(above) else above
        if not above.strip() or (_NOT_PROSE.match(above) and not _ITEM.match(above)) or sentence.rstrip()[-1:] in ".:!?":
            continue
        if not re.match(r"[a-z0-9=<>+\-*/%(]", quote["text"].lstrip()):
            continue  # "As Feynman put it" then "> What I cannot create": a quote meant, it starts anew
        key = written_words(quote["text"])[:KEY_WORDS]
        shown = next((words_ for words_ in quotes if starts_with(words_, key)), None)
        if shown is None:
            continue
        quotes.remove(shown)
        problems.append((index + 1, (
            f"this line is shown as a quote (an indented block) cut out of the sentence on the line above "
            f"('{shorten(sentence.strip())}'): a line that starts with '>' begins a quote even in the middle "
            f"of a paragraph. Reword it so that the line does not start with '>' (move the '>' to the end of the "
            f"line above), or escape it: '\\{line.strip()}'"
        )))
    return problems


# --- The hook ---

CHECKS = (shallow_sublists, overfull_rows, underlined_text, code_read_as_emphasis, second_titles,
          quotes_cut_from_sentences)


def misreads(markdown: str, html: str) -> list[tuple[int, str]]:
    """(1-based line of the Markdown, what to do) for each piece the rendered page reads otherwise than meant."""
    lines = split_lines(markdown)
    skipped = example_lines(lines, markdown)
    tree = page_tree(html)
    return sorted({problem for check in CHECKS for problem in check(lines, skipped, tree)})


def on_page_content(html, page, config, files):
    report_page_problems(page, config, log, lambda markdown: misreads(markdown, html))
    return html
