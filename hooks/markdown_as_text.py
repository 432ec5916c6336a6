"""Hook: warn when the page shows a Markdown structure as plain text, its syntax as typed.

Python-Markdown, as this site configures it, reads some habits from other
Markdown dialects (GitHub's, CommonMark's) as plain text, and the build exits 0:

- a list right after a line of text, with no blank line between (``Steps:`` then
  ``- value``): the items are run into that line, dashes and all;
- items numbered ``1)``: never a list here, only ``1.`` is;
- a table right after a line of text, without a separator row under its header
  row (``| --- | --- |``), or with a separator row of another number of columns:
  shown as lines of pipes;
- content tabs (``=== "Python"``, or a markdown-exec block with
  ``source="tabbed-left"``/``"tabbed-right"``): pymdownx.tabbed is not enabled, so
  ``=== "Python"`` is shown as text and the tab's content as code;
- footnotes (``[^1]``), task list items (``- [ ] thing``), ``~~strikethrough~~``,
  emoji shortcodes (``:rocket:``) and a link with a space between its text and
  its address (``[the code] (https://...)``), each shown with its brackets,
  tildes or colons.

The reader sees the raw syntax, the list or table never forms, a note reads as
``[^1]``. The verdict is the rendered page's: the text of its paragraphs, list
items and cells (never what ``<pre>``, ``<code>``, scripts or comments hold)
showing one of those shapes; a check is skipped when the extension that would
read the shape is enabled (a page can then show it only for another reason).
The Markdown file only names the line where the shape was typed, and so
where to change it (for markdown-exec's tabs, the block's opening fence);
lines in fenced or indented code, HTML comments and ``<pre>`` are never named,
and a shape the page shows with no line of its own (a program's output) is
not reported. Each warning names the Markdown file and line and says what to
write instead, so ``mkdocs build --strict`` fails and ``mkdocs serve`` keeps
serving.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import unescape

from markdown_fences import (
    fences, indent_columns, lines_in_comments, lines_in_fences, lines_in_raw_html, read_as_indented_code,
    report_page_problems, split_lines,
)

log = logging.getLogger("mkdocs.hooks.markdown_as_text")

CODE = "\x1a"  # stands for a code span or block: its text is an example, never read as a slip
# What the reader never reads as prose: code, scripts, drawings, comments.
_HIDDEN = re.compile(r"<(pre|code|script|style|textarea|svg|math)\b.*?</\1\s*>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
# Tags that start or end a block of text: the lines between two of them are one paragraph, item or cell.
_BLOCK_TAG = re.compile(
    r"</?(?:address|article|aside|blockquote|br|dd|details|div|dl|dt|fieldset|figcaption|figure|footer|form|"
    r"h[1-6]|header|hr|li|main|nav|ol|p|section|summary|table|tbody|td|tfoot|th|thead|tr|ul)\b[^>]*>",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")
_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)")  # an inline code span on one Markdown line
_QUOTE = re.compile(r"^[ ]{0,3}(?:>[ ]?)+")  # a blockquote's marks before a line's content
_LEAD = re.compile(r"^[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?")  # a list item's marker
# List markers as Python-Markdown reads them ("1." only), and "1)", which it never reads as one.
_ITEM = {
    "bullet": re.compile(r"^[ \t]*(?P<marker>[-*+])[ \t]+(?P<rest>\S.*)$"),
    "number": re.compile(r"^[ \t]*(?P<marker>\d{1,9}\.)[ \t]+(?P<rest>\S.*)$"),
    "paren": re.compile(r"^[ \t]*(?P<marker>\d{1,9}\))[ \t]+(?P<rest>\S.*)$"),
}
_ROW = re.compile(r"^[ \t]*\|.*\|")  # a table row written with a leading pipe: two pipes at least
_SEPARATOR = re.compile(r"^(?=[^|]*\|)[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_TAB = re.compile(r'^[ \t]*===[+!]*[ \t]+"(?P<title>[^"]*)"')
_TABBED_SOURCE = re.compile(r"""\bsource=["']?(?P<value>tabbed-\w+)""")
_TASK = re.compile(r"^[ \t]*\[(?P<mark>[ xX])\][ \t]+(?P<rest>\S.*)$")
# Inline habits, as the reader sees them once shown as text (and as written: the same characters).
# A footnote's label is a name ("1", "note-a"); "[^0-9]" is a character class in prose about regular expressions.
_FOOTNOTE = re.compile(r"(?<!\\)\[\^(?P<label>[\w-]+)\]")
_NOTE = re.compile(r"^[ ]{0,3}\[\^[\w-]+\]:")  # a footnote's definition
_RANGE = re.compile(r"(?:\w-\w)+")  # "[^0-9]", "[^a-zA-Z]": a character class, not a footnote's label
_NOTE_LABEL = re.compile(r"^[ ]{0,3}\[\^(?P<label>[\w-]+)\]:", re.MULTILINE)
_STRIKE = re.compile(r"(?<![~\\])~~(?![~\s])(?P<text>[^~\n]+?)(?<![~\s])~~(?!~)")
_SHORTCODE = re.compile(r"(?<![\w:/\\]):(?P<name>[a-z0-9_+-]+):(?![\w:])")
_ADDRESS = r"(?:https?://|mailto:|#)[^()\s]*|[\w./-]+\.(?:md|html?|png|jpe?g|gif|svg|webp|pdf)(?:#[\w-]*)?"
# Link text has a letter: "[0, 1] (#scaling)" is an interval and a reference, not a link.
_SPACED_LINK = re.compile(rf"(?<!\\)\[(?P<text>[^\[\]\n]*[^\W\d_][^\[\]\n]*)\][ \t]+\((?P<address>{_ADDRESS})\)")
SHOWN_MAX = 70  # characters of the shown text quoted in a message


@dataclass(frozen=True)
class Sighting:
    """A shape the rendered page shows as text: what it is, how to find its Markdown line, what the reader sees."""

    kind: str
    key: tuple
    seen: str
    detail: tuple = ()  # what is wrong with it, when the kind alone does not say


def first_word(text: str) -> str:
    found = _WORD.search(text)
    return found[0].casefold() if found else ""


def quoted(text: str) -> str:
    """Shown text as a message quotes it: spaces collapsed (as the browser shows them), cut short."""
    text = " ".join(text.replace(CODE, "…").split())
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"


# --- The rendered page: its blocks of text, line by line, as the reader gets them. ---


def shown_blocks(html: str) -> list[list[str]]:
    """Each paragraph, list item, cell, ... of the page as its lines of text (tags left out, code as CODE)."""
    visible = _HIDDEN.sub(CODE, html)
    blocks = []
    for chunk in _BLOCK_TAG.split(visible):
        lines = [unescape(_TAG.sub("", line)).strip() for line in chunk.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            blocks.append(lines)
    return blocks


def item_family(line: str) -> str | None:
    return next((family for family, pattern in _ITEM.items() if pattern.match(line)), None)


def list_sightings(blocks: list[list[str]]) -> list[Sighting]:
    """Lists run into a paragraph: after a line of text (bullets, "1."), or numbered "1)" anywhere."""
    found = []
    for lines in blocks:
        index = 0
        while index < len(lines):
            family = item_family(lines[index])
            end = index + 1
            while family and end < len(lines) and item_family(lines[end]) == family:
                end += 1
            if family and is_meant_as_list(lines, index, end, family):
                above = lines[index - 1] if index else None
                rest = _ITEM[family].match(lines[index])["rest"]
                key = (family, first_word(above) if above else None, first_word(rest))
                found.append(Sighting("list", key, quoted(" ".join(lines[max(index - 1, 0) : end]))))
            index = end
    return found


def is_meant_as_list(lines: list[str], start: int, end: int, family: str) -> bool:
    """Whether items shown as text were meant as a list, not prose: two or more, or one after a colon.
    Bullets and "1." items are shown as text only after a line of text: at the start of a block they form
    a list. A lone "1)" starting a paragraph is prose ("1) load the data; 2) train the model")."""
    after_colon = start > 0 and lines[start - 1].endswith(":")
    if family == "paren":
        return end - start >= 2 or after_colon
    return start > 0 and (end - start >= 2 or after_colon)


def columns(row: str) -> int:
    """How many cells a table row has (its outer pipes are borders, not separators)."""
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") else row
    return row.count("|") + 1


def table_sightings(blocks: list[list[str]]) -> list[Sighting]:
    """Tables shown as lines of pipes: after a line of text, without a separator row, or with a wrong one."""
    found = []
    for lines in blocks:
        header = next((i for i, line in enumerate(lines) if _ROW.match(line) or (
            "|" in line and i + 1 < len(lines) and _SEPARATOR.match(lines[i + 1]))), None)
        if header is None:
            continue
        below = lines[header + 1] if header + 1 < len(lines) else ""
        reasons = table_slips(lines[header], below, bool(header))
        if not reasons:
            continue  # well formed, at the start of its paragraph: shown as text for another reason
        above = first_word(lines[header - 1]) if header else None
        seen = quoted(" ".join(lines[max(header - 1, 0) : header + 3]))
        sizes = (columns(lines[header]), columns(below) if _SEPARATOR.match(below) else 0)
        found.append(Sighting("table", (above, first_word(lines[header])), seen, (reasons, *sizes)))
    return found


def table_slips(header: str, below: str, after_text: bool) -> set[str]:
    """What keeps a table, whose header row and the line below it these are, from being read as one."""
    if _SEPARATOR.match(below):
        return ({"after text"} if after_text else set()) | ({"columns"} if columns(below) != columns(header) else set())
    if (_ROW.match(header) and _ROW.match(below) and columns(header) >= 2 and columns(below) == columns(header)
            and header.rstrip().endswith("|") and below.rstrip().endswith("|")):
        # rows of one width, closed by a pipe: "|x| is the absolute value and" over "|y| too." is prose
        return {"no separator"} | ({"after text"} if after_text else set())
    return set()


def tab_sightings(blocks: list[list[str]]) -> list[Sighting]:
    return [Sighting("tab", (first_word(tab["title"]),), quoted(line))
            for lines in blocks for line in lines if (tab := _TAB.match(line))]


def task_sightings(blocks: list[list[str]]) -> list[Sighting]:
    """List items shown with their "[ ]" or "[x]" (the first line of an item, or of its first paragraph)."""
    return [Sighting("task", (task["mark"].lower(), first_word(task["rest"])), quoted(lines[0]))
            for lines in blocks if (task := _TASK.match(lines[0]))]


def inline_sightings(blocks: list[list[str]]) -> list[Sighting]:
    """Footnote marks, struck text, emoji shortcodes and spaced links the page shows as typed."""
    text = "\n".join(line for lines in blocks for line in lines)
    names = emoji_names()
    found = [Sighting("footnote", (m["label"],), m[0]) for m in _FOOTNOTE.finditer(text) if not _RANGE.fullmatch(m["label"])]
    found += [Sighting("strike", (first_word(m["text"]),), m[0]) for m in _STRIKE.finditer(text)]
    found += [Sighting("emoji", (m["name"],), m[0]) for m in _SHORTCODE.finditer(text) if f":{m['name']}:" in names]
    found += [Sighting("link", (first_word(m["text"]), m["address"]), m[0]) for m in _SPACED_LINK.finditer(text)]
    return found


_EMOJI: dict[str, str] = {}


def emoji_names() -> dict[str, str]:
    """GitHub's emoji shortcodes (":rocket:") and the character each stands for, from pymdownx's index."""
    if not _EMOJI:
        from pymdownx.emoji import gemoji

        index = gemoji({}, None)
        for name, emoji in index["emoji"].items():
            _EMOJI[name] = "".join(chr(int(code, 16)) for code in emoji["unicode"].split("-"))
        for alias, name in index["aliases"].items():
            _EMOJI[alias] = _EMOJI.get(name, "")
    return _EMOJI


# --- The Markdown file: where each sighting was typed, and what to write instead. ---


class MarkdownLines:
    """A page's Markdown lines as the checks read them: code spans hidden, examples never offered."""

    def __init__(self, markdown: str) -> None:
        self.markdown = markdown
        self.lines = split_lines(markdown)
        # Examples outside fences: a fence there is an example too, never run.
        self.examples = lines_in_comments(markdown) | lines_in_raw_html(markdown) | lines_in_indented_code(self.lines)
        self.skipped = lines_in_fences(markdown) | self.examples

    def content(self, index: int) -> str:
        """A line without its blockquote marks, its code spans as CODE ("" past either end)."""
        if not 0 <= index < len(self.lines):
            return ""
        return _SPAN.sub(CODE, _QUOTE.sub("", self.lines[index]))

    def readable(self) -> Iterable[tuple[int, str]]:
        """(index, content) of each line that is neither code nor a comment."""
        return ((i, self.content(i)) for i in range(len(self.lines)) if i not in self.skipped)

    def word_above(self, index: int) -> str | None:
        """The first word of the line above, as the page shows it (after its list marker); None if blank."""
        above = self.content(index - 1)
        return first_word(_LEAD.sub("", above)) if above.strip() else None


def lines_in_indented_code(lines: list[str]) -> set[int]:
    """0-based indexes of the lines Markdown reads as indented code blocks (examples)."""
    code: set[int] = set()
    masked = list(lines)  # a code line above a line does not make that line a paragraph's continuation
    for index, line in enumerate(lines):
        if line.strip() and read_as_indented_code(index, masked):
            code.add(index)
            masked[index] = ""
    return code


def take(sightings: list[Sighting], kind: str, key: tuple,
         fits: Callable[[Sighting], bool] = lambda sighting: True) -> Sighting | None:
    """The first sighting of that kind and key that fits, removed from the list. A sighting's key part
    None (a line above that the page does not show: the block starts there) matches any."""
    for sighting in sightings:
        if sighting.kind == kind and all(a is None or a == b for a, b in zip(sighting.key, key)) and fits(sighting):
            sightings.remove(sighting)
            return sighting
    return None


def nested_under_an_item(lines: list[str], index: int) -> bool:
    """Whether the line right above is a list item that this one is indented under by 1 to 3 columns (a sub-list
    indented too little, not a list after a line of text)."""
    column = indent_columns(lines[index])
    above = next((line for line in reversed(lines[:index]) if line.strip()), None)
    return above is not None and item_family(above) is not None and 0 < column - indent_columns(above) < 4


def list_problems(page: MarkdownLines, sightings: list[Sighting]) -> list[tuple[int, str]]:
    problems = []
    for index, line in page.readable():
        family = item_family(line)
        if family is None or item_family(page.content(index - 1)) == family:
            continue  # not an item, or not the first of its run
        if nested_under_an_item(page.lines, index):
            continue  # a sub-list indented too little: markdown_misreads says how to indent it
        item = _ITEM[family].match(line)
        above = page.word_above(index)
        sighting = take(sightings, "list", (family, above, first_word(item["rest"])))
        if sighting is None:
            continue
        blank = " and leave a blank line above the list" if above is not None else ""
        if family == "paren":
            problems.append((index + 1, (
                f"'{item['marker']}' does not number a list here (Python-Markdown reads only '1.'): the reader sees "
                f"'{sighting.seen}' as plain text, not a list; number the items '1.', '2.', ...{blank}"
            )))
        else:
            problems.append((index + 1, (
                f"this list is run into the line above it: the reader sees '{sighting.seen}' as one line of "
                f"text, '{item['marker']}' markers included; a list needs a blank line above it: leave one "
                "between this line and the line above"
            )))
    return problems


def table_problems(page: MarkdownLines, sightings: list[Sighting]) -> list[tuple[int, str]]:
    problems = []
    for index, line in page.readable():
        if "|" not in line:
            continue
        above = page.word_above(index)
        slips = table_slips(line, page.content(index + 1), above is not None)
        # The same words may begin another table, well formed: this line must have the slip the page shows.
        sighting = take(sightings, "table", (above, first_word(line)), lambda found: found.detail[0] == slips)
        if sighting is None:
            continue
        reasons, header, separator = sighting.detail
        fix = "| " + " | ".join(["---"] * header) + " |"
        says = []
        if "after text" in reasons:
            says.append("a table needs a blank line above it: leave one between its header row (this line) "
                        "and the line above")
        if "no separator" in reasons:
            says.append(f"it has no separator row under its header row (this line): add '{fix}' as the next line")
        if "columns" in reasons:
            says.append(f"its separator row has {separator} column{'s' * (separator != 1)}, its header row "
                        f"(this line) {header}: "
                        f"write the separator row as '{fix}'")
        problems.append((index + 1, f"this table is shown as text: the reader sees '{sighting.seen}'; "
                         + "; and ".join(says)))
    return problems


def tab_problems(page: MarkdownLines, sightings: list[Sighting]) -> list[tuple[int, str]]:
    problems = []
    for index, line in page.readable():
        tab = _TAB.match(line)
        if tab and (sighting := take(sightings, "tab", (first_word(tab["title"]),))):
            problems.append((index + 1, (
                f"content tabs are not enabled on this site (pymdownx.tabbed): the reader sees '{sighting.seen}' as "
                "text and the tab's content as a code block; show the parts one after another instead (each "
                "after a line of text or a heading that names it), not indented"
            )))
    for fence in fences(page.markdown):
        tabbed = _TABBED_SOURCE.search(fence.info)
        if not tabbed or fence.start in page.examples:
            continue
        titles = fence.options.get("tabs", "Source|Result").split("|", 1)
        shown = [sighting for title in titles if (sighting := take(sightings, "tab", (first_word(title),)))]
        if shown:
            seen = " and ".join(f"'{sighting.seen}'" for sighting in shown)
            problems.append((fence.start + 1, (
                f"source=\"{tabbed['value']}\" asks for content tabs, which are not enabled on this site "
                f"(pymdownx.tabbed): the reader sees {seen} as text; write source=\"above\" (or source=\"below\") "
                "to show the code and its result one after the other"
            )))
    return problems


def task_problems(page: MarkdownLines, sightings: list[Sighting]) -> list[tuple[int, str]]:
    problems = []
    for index, line in page.readable():
        item = item_family(line) and _LEAD.sub("", line, count=1)
        task = _TASK.match(item) if item else None
        if task and (sighting := take(sightings, "task", (task["mark"].lower(), first_word(task["rest"])))):
            problems.append((index + 1, (
                f"task lists are not enabled on this site: the reader sees '{sighting.seen}', brackets included; "
                f"write a normal list item without '[{task['mark']}]', and say in words what is done or to do"
            )))
    return problems


def inline_problems(page: MarkdownLines, sightings: list[Sighting]) -> list[tuple[int, str]]:
    problems = []
    # A footnote is a mark and its note ("[^1]" and a "[^1]: ..." line): a mark with no note on the page is
    # something else ("[^aeiou]", a character class), which GitHub would not read as a footnote either.
    noted = {m["label"] for m in _NOTE_LABEL.finditer(page.markdown)}
    for index, line in page.readable():
        found = [m for m in _FOOTNOTE.finditer(line)
                 if m["label"] in noted and take(sightings, "footnote", (m["label"],))]
        if found:
            marks = ", ".join(f"'{m[0]}'" for m in found)
            if _NOTE.match(line):
                what = ("this note is shown as a paragraph of its own, mark first: move its text into the sentence "
                        "that refers to it, as plain words")
            else:
                what = "put the note in the text itself (a sentence, or words in parentheses) and leave the mark out"
            problems.append((index + 1, f"footnotes are not enabled on this site: the reader sees {marks} as typed; {what}"))
        for m in _STRIKE.finditer(line):
            if take(sightings, "strike", (first_word(m["text"]),)):
                problems.append((index + 1, (
                    f"strikethrough is not enabled on this site: the reader sees '{m[0]}', tildes included; "
                    f"write <del>{m['text']}</del>, or say in plain words what no longer holds"
                )))
        for m in _SHORTCODE.finditer(line):
            if take(sightings, "emoji", (m["name"],)):
                problems.append((index + 1, (
                    f"emoji shortcodes are not enabled on this site: the reader sees '{m[0]}' as typed; "
                    f"write the emoji itself, {emoji_names()[m[0]]}, or a word"
                )))
        for m in _SPACED_LINK.finditer(line):
            if take(sightings, "link", (first_word(m["text"]), m["address"])):
                problems.append((index + 1, (
                    f"this link is shown as text: the reader sees '{m[0]}', brackets and all, because of the space "
                    f"between ']' and '('; write [{m['text']}]({m['address']})"
                )))
    return problems


def enabled(config, name: str) -> bool:
    """Whether a Markdown extension is on (by its short or full name; "extra" brings footnotes and tables)."""
    names = {str(extension).split(".")[-1] for extension in config["markdown_extensions"] or []}
    return name.split(".")[-1] in names or (name in ("footnotes", "tables") and "extra" in names)


def shown_as_text(markdown: str, html: str, is_enabled: Callable[[str], bool]) -> list[tuple[int, str]]:
    """(1-based line, what to do) for each Markdown structure the rendered page shows as typed."""
    blocks = shown_blocks(html)
    sightings = list_sightings(blocks) + tab_sightings(blocks) + inline_sightings(blocks) + task_sightings(blocks)
    sightings += table_sightings(blocks) if is_enabled("tables") else []
    skip = {kind for kind, extension in [("tab", "pymdownx.tabbed"), ("task", "pymdownx.tasklist"),
                                         ("footnote", "footnotes"), ("strike", "pymdownx.tilde"),
                                         ("emoji", "pymdownx.emoji")] if is_enabled(extension)}
    sightings = [sighting for sighting in sightings if sighting.kind not in skip]
    if not sightings:
        return []
    page = MarkdownLines(markdown)
    problems = []
    for check in (list_problems, table_problems, tab_problems, task_problems, inline_problems):
        problems += check(page, sightings)
    return sorted(problems)


def on_page_content(html, page, config, files):
    report_page_problems(page, config, log, lambda markdown: shown_as_text(markdown, html, lambda name: enabled(config, name)))
    return html
