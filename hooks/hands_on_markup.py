"""Hook: check the wrappers a lesson writes to opt in to its hands-on parts, naming the page and line.

``assets/javascripts/code-runner.js`` and ``evidence-card.js`` act on HTML
wrappers written in the lesson's Markdown. A slip in one leaves the reader a
part that silently does nothing or misbehaves, while the build says nothing.
After each page renders, this hook reads the wrappers in its HTML and warns
(so ``mkdocs build --strict`` fails, and ``mkdocs serve`` keeps serving) with
the Markdown file and the wrapper's opening line, and what to do:

- ``<div class="code-runner" markdown>`` needs the code to run as its first
  code block and, as its last, the verified output (an expected-output block,
  shown as "Output of python ..."), which the reader's run is checked against;
  ``data-time-limit``, if set, must be a number of seconds above 0. The code
  block's title must name the snippet whose output it ends with, and the block
  must include that whole file (``--8<-- "snippets/NAME.py"``, read from the
  Markdown: not an excerpt, nor code typed in, as the output is the whole
  file's), and two
  runners of a page may not keep a reader's edits under the same name (their
  ``data-file``, else their title, else main.py).
- ``<div class="fill-in" markdown>`` needs a definition list or a numbered list
  to turn into answer fields, and only one: the script fills in the first.

The wrappers need the ``md_in_html`` extension (their ``markdown`` attribute);
a page with wrappers in a site without it gets one warning saying so.
A wrapper whose expected output failed its own check (a failure admonition in
its place) is not reported twice. The HTML is returned unchanged.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_fences import Fence, fences, lines_in_fences, page_source, page_texts, split_lines
from snippet_syntax import included_whole
from verified_output import OUTPUT_TITLE

log = logging.getLogger("mkdocs.hooks.hands_on_markup")

KINDS = ("code-runner", "fill-in")  # the class names the scripts look for
NEEDS_MD_IN_HTML = (
    'this page opts in to hands-on parts (<div class="code-runner"> or "fill-in" ... markdown>), which need the '
    "md_in_html extension to read their content as Markdown: add md_in_html to markdown_extensions in mkdocs.yml"
)
_OPENING = re.compile(r"<div\b[^>]*\bclass=(?:\"(?P<double>[^\"]*)\"|'(?P<single>[^']*)')", re.IGNORECASE)


@dataclass
class Wrapper:
    """One opt-in wrapper as the page's HTML holds it."""

    kind: str
    attributes: dict[str, str | None]
    block_titles: list[str] = field(default_factory=list)  # each code block's title, "" when it has none
    lists: int = 0  # definition and ordered lists inside, not counting lists within lists
    failed_check: bool = False  # holds a failure admonition: its expected output is reported already


class _WrapperReader(HTMLParser):
    """Collects the wrappers of a page, with what the scripts will look for inside each."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Wrapper] = []
        self._open: list[tuple[Wrapper, int]] = []  # wrappers not yet closed, with their <div> depth
        self._depth = 0
        self._in_title = False
        self._list_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if tag == "div":
            self._depth += 1
            kind = next((kind for kind in KINDS if kind in classes), None)
            if kind:
                wrapper = Wrapper(kind, attributes)
                self.found.append(wrapper)
                self._open.append((wrapper, self._depth))
            for wrapper, _ in self._open:
                if "highlight" in classes:
                    wrapper.block_titles.append("")
                if "admonition" in classes and "failure" in classes:
                    wrapper.failed_check = True
        elif tag == "span" and "filename" in classes:
            self._in_title = True
        elif tag in ("dl", "ol", "ul"):
            if tag != "ul" and self._list_depth == 0:
                for wrapper, _ in self._open:
                    wrapper.lists += 1
            self._list_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            while self._open and self._open[-1][1] == self._depth:
                self._open.pop()
            self._depth -= 1
        elif tag == "span":
            self._in_title = False
        elif tag in ("dl", "ol", "ul"):
            self._list_depth = max(0, self._list_depth - 1)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            for wrapper, _ in self._open:
                if wrapper.block_titles:
                    wrapper.block_titles[-1] += data


def wrappers_in(html: str) -> list[Wrapper]:
    """Every opt-in wrapper of the HTML, in document order (an outer one before those inside it)."""
    reader = _WrapperReader()
    reader.feed(html)
    reader.close()
    return reader.found


def wrapper_problems(wrapper: Wrapper, shown: str | None = None) -> list[str]:
    """What the wrapper's script needs and does not find, each with what to do.

    ``shown`` is what the Markdown's first code block inside the wrapper holds: the path of the file it
    includes whole, or "" for anything else (an excerpt, code typed in); None when that is not known.
    """
    if wrapper.kind == "fill-in":
        if wrapper.lists > 1:
            return [f"this fill-in wrapper holds {wrapper.lists} lists, and only the first gets answer fields: "
                    "give each list a fill-in wrapper of its own"]
        if wrapper.lists:
            return []
        return ["this fill-in wrapper holds no definition list or numbered list to turn into answer fields: "
                "put the list (or the exercises) inside it"]
    problems = []
    if not wrapper.block_titles:
        problems.append("this code-runner wrapper holds no code block to run: put the snippet's code block "
                        "(its --8<-- include) first inside it")
    elif not wrapper.failed_check and (
        len(wrapper.block_titles) < 2 or not wrapper.block_titles[-1].strip().startswith(OUTPUT_TITLE)
    ):
        problems.append("this code-runner wrapper does not end with the snippet's verified output, which a "
                        "reader's run is checked against: put its expected-output block last inside it")
    elif not wrapper.failed_check and wrapper.block_titles[0].strip() not in ("", verified_snippet(wrapper)):
        problems.append(f"this code-runner wrapper runs {wrapper.block_titles[0].strip()} but its verified output "
                        f"is that of {verified_snippet(wrapper)}, so a reader's unchanged run would never match: "
                        "show the code and the output of the same snippet")
    elif not wrapper.failed_check and shown is not None and verified_snippet(wrapper) not in ("", shown):
        snippet = verified_snippet(wrapper)
        problems.append(f"this code-runner wrapper shows code that is not the whole of {snippet} (an excerpt, or "
                        "code typed in), but ends with the output of the whole file, so a reader's unchanged run "
                        f'would not print it: include the whole file (--8<-- "{snippet}")')
    limit = wrapper.attributes.get("data-time-limit")
    if limit is not None and not _positive_seconds(limit):
        problems.append(f'data-time-limit="{limit}" is not a number of seconds above 0: write, for example, '
                        'data-time-limit="10" (or leave it out for the default)')
    return problems


def first_block_shows(page_fences: list[Fence], opening: int) -> str:
    """What the first of the page's fenced blocks after a wrapper's opening line (1-based) holds: the path of
    the one file it includes whole, or "" for anything else."""
    block = next((fence for fence in page_fences if fence.start >= opening), None)
    lines = [line for line in (block.body if block else []) if line.strip()]
    return (included_whole(lines[0]) or "") if len(lines) == 1 else ""


def verified_snippet(wrapper: Wrapper) -> str:
    """The snippet whose verified output ends the wrapper ("" if it does not end with one)."""
    last = wrapper.block_titles[-1].strip() if wrapper.block_titles else ""
    return last[len(OUTPUT_TITLE) :].strip() if last.startswith(OUTPUT_TITLE + " ") else ""


def saved_as(wrapper: Wrapper) -> str:
    """The name code-runner.js keeps a reader's edits under: data-file, else the code block's title, else main.py."""
    title = wrapper.block_titles[0].strip() if wrapper.block_titles else ""
    return wrapper.attributes.get("data-file") or title or "main.py"


def _positive_seconds(text: str) -> bool:
    try:
        seconds = float(text)
    except ValueError:
        return False
    return math.isfinite(seconds) and seconds > 0


def opening_lines(markdown: str, kind: str) -> list[int]:
    """1-based lines of the Markdown that open a wrapper of this kind, outside fenced code, in order."""
    in_code = lines_in_fences(markdown)
    found = []
    for index, line in enumerate(split_lines(markdown)):
        for match in _OPENING.finditer(line):
            classes = (match["double"] if match["double"] is not None else match["single"]).split()
            if kind in classes and index not in in_code:
                found.append(index + 1)
    return found


def page_reports(wrappers: list[Wrapper], source: str, label: str) -> list[str]:
    """One report per problem: the page's file, the wrapper's line there, and the problem.

    The n-th wrapper of a kind in the HTML opens on the n-th such line of the
    file; when the counts differ (a wrapper from an included file, or written
    by a hook) no line is named rather than a wrong one.
    """
    lines = {kind: opening_lines(source, kind) for kind in KINDS}
    page_fences = fences(source)
    reports = []
    for kind in KINDS:
        of_kind = [wrapper for wrapper in wrappers if wrapper.kind == kind]
        openings = lines[kind] if len(lines[kind]) == len(of_kind) else [None] * len(of_kind)
        first_with_name: dict[str, str] = {}
        for wrapper, line in zip(of_kind, openings):
            where = label if line is None else f"{label}:{line}"
            shown = first_block_shows(page_fences, line) if kind == "code-runner" and line is not None else None
            reports += [f"{where}: {problem}" for problem in wrapper_problems(wrapper, shown)]
            if kind == "code-runner" and wrapper.block_titles:
                name = saved_as(wrapper)
                if name in first_with_name:
                    reports.append(
                        f"{where}: this code-runner keeps a reader's edits under the name {name}, as the one at "
                        f"{first_with_name[name]} does, so an edit in one would appear in the other: give each "
                        'a title (```python title="snippets/NAME.py") or a data-file="NAME.py" of its own'
                    )
                first_with_name.setdefault(name, where)
    return reports


def on_page_content(html, page, config, files):
    wrappers = wrappers_in(html) if "fill-in" in html or "code-runner" in html else []
    if not wrappers:
        return html
    label = page_source(page, config)
    if "md_in_html" not in config.markdown_extensions:  # a wrapper's content is not read as Markdown then
        log.warning(f"{label}: {NEEDS_MD_IN_HTML}")
        return html
    source = next(page_texts([page.file.abs_src_path]), "")  # as written: the editor's line numbers
    for report in page_reports(wrappers, source, label):
        log.warning(report)
    return html
