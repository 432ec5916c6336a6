"""HTML written in a page's Markdown that would change the rest of the page is a warning with its line.

hooks/written_html.py judges from the rendered page; the first test holds its verdicts to what
Chromium makes of real built pages: the heading and paragraph after the sample must still be the
article's own, holding nothing the sample opened.
"""

from __future__ import annotations

import re

import pytest

from browser_checks import KEEPS_THE_PAGE, disagreements
from conftest import build, build_cases, fixture_project
from written_html import unpaired, written_tags

EXTENSIONS = {"markdown_extensions": ["admonition", "pymdownx.details", "pymdownx.superfences", "md_in_html",
                                      "attr_list", "tables", "pymdownx.tabbed"]}
SAMPLES = [
    # written right
    '<div class="grid" markdown>\n\n- a\n- b\n\n</div>',
    "<details markdown>\n<summary>More</summary>\n\nHidden *text*.\n\n</details>",
    "Some <b>bold</b> and <em>emphasis</em> text.",
    '```html\n<div class="an-example-left-open">\n```',
    "Inline code `<div>` and `</div>` and ``<b>`` in prose.",
    "<!-- <div> commented out -->",
    "<!--\n<div>\ncommented out over lines\n-->",
    "!!! note\n\n    Text with <b>bold</b>.",
    "<p>A raw paragraph</p>",
    "<div>one</div><div>two</div>",
    "    <div> in an indented code block",
    "| a | b |\n|---|---|\n| <b>x</b> | y |",
    "<table>\n<tr><td>a raw table</td></tr>\n</table>",
    "A line<br>break and a rule:\n\n<hr>",
    '=== "Tab"\n\n    <div markdown>\n\n    In a tab.\n\n    </div>',
    "- item <span>left open in a list item",
    '!!! note\n\n    ```html\n    <div class="an-example">\n    ```',
    'An example, as indented code:\n\n    <div class="grid cards" markdown>',
    '<pre>\n&lt;div class="x" markdown&gt; shown, and <div class="y" markdown> written in a pre\n</pre>',
    "Text <p>a paragraph opened inline, left open.",
    "<p>A raw paragraph left open at the end of its block</p> and more text.",
    # slips
    '<p class="caption">Figure 1: a caption left open.',
    "<li>An item on its own, left open",
    '<div class="note" markdown>\n\nA note left open.',
    '!!! note\n\n    <div class="x">\n\n    Indented in a note.',
    "Some <b>bold text left open.",
    "</div>",
    "<details>\n<summary>More</summary>\n\nLeft open.",
    "Edit: <textarea>",
    "- item <div>\n- next",
    "<section markdown>\n\nx\n\n</div>",
    "<em>emphasis left open",
    '<div class="bar" />',
    "!!! note\n\n    Text </div> stray in a note",
    "<div markdown>\n\n<div markdown>\n\nInner.\n\n</div>",
]


# (Markdown, the words the reader must see): a tag naming no HTML element hides its word.
PLACEHOLDERS = [
    ("A prompt like <subject> in the style of <artist>.", ["subject", "artist"]),
    ("Press <Enter> to run it.", ["Enter"]),
    ("The model writes <image> first.", ["image"]),
    ("Code spans show it: `<subject>`, and so does &lt;artist&gt;.", ["subject", "artist"]),
    ("Keys are <kbd>Enter</kbd>, a widget is <lesson-widget>shown</lesson-widget>.", ["Enter", "shown"]),
    ('<svg viewBox="0 0 10 10" width="10"><g><circle r="1"/></g></svg> A drawn dot, and words.', ["dot", "words"]),
    ("A <b>bold</b> word.", ["bold"]),
]
SEES_EVERY_WORD = """(words) => words.every((word) => document.querySelector('article').innerText.includes(word))"""


def case_page(sample: str) -> str:
    return f"---\ntitle: Case\ndescription: One HTML sample.\n---\n\n# Case\n\nBefore.\n\n{sample}\n\n## After\n\nEnd.\n"


@pytest.fixture(scope="module")
def samples_built(tmp_path_factory):
    project = fixture_project("chart_raises", tmp_path_factory.mktemp("written"), EXTENSIONS)
    return build_cases(project, [case_page(sample) for sample in SAMPLES])


def warned_pages(output: str) -> set[int]:
    return {int(n) for n in re.findall(r"WARNING - +docs/case(\d+)\.md:\d+: </?\w+> (?:is never closed|closes no)", output)}


def test_a_page_is_warned_about_exactly_when_its_html_changes_the_rest_of_it(browser, samples_built):
    warned = warned_pages(samples_built.output)
    wrong = disagreements(browser, samples_built, SAMPLES, KEEPS_THE_PAGE, warned)
    assert not wrong, f"(page kept, warned) disagree: {wrong}"


def test_the_warning_names_the_line_of_the_tag_left_open_or_stray(samples_built):
    first = case_page("").split("\n").index("Before.") + 3  # the sample's first line in the file
    for sample, written in [('!!! note\n\n    <div class="x">\n\n    Indented in a note.', '<div class="x">'),
                            ("<div markdown>\n\n<div markdown>\n\nInner.\n\n</div>", None),
                            ("!!! note\n\n    Text </div> stray in a note", "</div>")]:
        number = SAMPLES.index(sample)
        lines = sample.split("\n")
        line = first + (lines.index("<div markdown>") if written is None else next(i for i, text in enumerate(lines) if written in text))
        assert re.search(rf"docs/case{number}\.md:{line}: </?div> ", samples_built.output), samples_built.output


def test_tags_are_paired_in_order_and_code_is_not_read():
    markdown = "<div>\n\n`<div>`\n\n```html\n<div>\n```\n\n<!-- <div> -->\n\n<div>\n\n</div>\n\n</div>\n</div>\n"
    tags = written_tags(markdown)
    assert [(tag.line, tag.tag, tag.is_end) for tag in tags] == [(1, "div", False), (11, "div", False), (13, "div", True),
                                                                 (15, "div", True), (16, "div", True)]
    opened, stray = unpaired(tags, "div")
    assert opened == [] and [tag.line for tag in stray] == [16]


def test_html_a_block_printed_is_left_to_the_blocks_own_check(tmp_path):
    """A block printing an unclosed <div> on a page whose own divs pair up: one warning, at the block."""
    project = fixture_project("chart_raises", tmp_path / "project", EXTENSIONS)
    page = case_page('<div markdown>\n\nWritten.\n\n</div>\n\n```python exec="on" html="on"\nprint("<div>")\n```')
    result = build_cases(project, [page])
    assert len(re.findall(r"WARNING .*docs/case0\.md", result.output)) == 1, result.output
    assert "the HTML this block printed" in result.output


def test_a_slip_fails_the_strict_build(tmp_path):
    project = fixture_project("chart_raises", tmp_path / "project", EXTENSIONS)
    build_cases(project, [case_page("<details>\n<summary>More</summary>\n\nLeft open.")])
    assert build(project).returncode == 1


@pytest.fixture(scope="module")
def placeholders_built(tmp_path_factory):
    project = fixture_project("chart_raises", tmp_path_factory.mktemp("placeholders"), EXTENSIONS)
    return build_cases(project, [case_page(markdown) for markdown, _ in PLACEHOLDERS])


def test_a_tag_naming_no_element_is_reported_exactly_when_its_word_is_missing(browser, placeholders_built):
    warned = {int(n) for n in re.findall(r"WARNING - +docs/case(\d+)\.md:\d+: <\w+> is not an HTML element",
                                         placeholders_built.output)}
    page = browser.new_page()
    page.route("**/*", lambda route: route.abort())
    verdicts = []
    for number, (_, words) in enumerate(PLACEHOLDERS):
        page.set_content(placeholders_built.page(f"case{number}"))
        verdicts.append((page.evaluate(SEES_EVERY_WORD, words), number in warned))
    page.close()
    assert any(seen for seen, _ in verdicts) and not all(seen for seen, _ in verdicts)
    wrong = {PLACEHOLDERS[n][0]: verdict for n, verdict in enumerate(verdicts) if verdict[0] == verdict[1]}
    assert not wrong, f"(every word seen, warned) disagree: {wrong}"


def test_a_paragraph_left_open_names_its_line_and_where_the_typed_markdown_starts(samples_built):
    number = SAMPLES.index('<p class="caption">Figure 1: a caption left open.')
    line = case_page("").split("\n").index("Before.") + 3
    assert re.search(rf"docs/case{number}\.md:{line}: <p> is never closed and starts a line.*from '## After' on",
                     samples_built.output), samples_built.output


# Markdown inside HTML blocks: the reader, every <details> opened, must see no Markdown syntax (asterisks,
# backticks, link brackets, list marks at a line's start) outside code, which shows it on purpose.
IN_HTML_BLOCKS = [
    "<details><summary>Solution</summary>\n\n**Controllable editing** ranks first.\n\n- keep the product\n\n</details>",
    "<details markdown>\n<summary>Solution</summary>\n\n**Controllable editing** ranks first.\n\n</details>",
    '<div class="note">\n\nUse `code` here.\n\n</div>',
    '<div class="note" markdown>\n\nUse `code` here and [a link](#case).\n\n</div>',
    "<table>\n<tr><td>**not bold**</td></tr>\n</table>",
    "<p>A * star and 2 * 3 = 6, all plain.</p>",
    "<div><strong>HTML</strong> inside, <code>code</code> too.</div>",
    "<details><summary>Hint</summary>\n<p>Pass <code>**kwargs</code> on, as in <code>f(**kwargs)</code>.</p>\n</details>",
    "<details><summary>Solution</summary>\n<pre><code>x = load()\n# the mean, **all** of it\n</code></pre>\n</details>",
    '<div class="editor">\n\n```yaml\n# The name is optional\nname: demo\n```\n\n</div>',
    "<div><script>const s = `Hello ${name}`;</script></div>",
]
NO_MARKDOWN_SHOWN = """() => {
    document.querySelectorAll('details').forEach((d) => { d.open = true; });
    document.querySelectorAll('article :is(code, pre, kbd)').forEach((c) => c.remove());  // code shows it on purpose
    return !/\\*\\*|`|\\]\\(|^\\s*[-*] /m.test(document.querySelector('article').innerText);
}"""


@pytest.fixture(scope="module")
def html_blocks_built(tmp_path_factory):
    project = fixture_project("chart_raises", tmp_path_factory.mktemp("html-blocks"), EXTENSIONS)
    return build_cases(project, [case_page(sample) for sample in IN_HTML_BLOCKS])


def test_markdown_in_an_html_block_is_reported_exactly_when_it_is_shown_as_typed(browser, html_blocks_built):
    warned = {int(n) for n in re.findall(r"WARNING - +docs/case(\d+)\.md:\d+: the Markdown inside this <\w+> is shown",
                                         html_blocks_built.output)}
    wrong = disagreements(browser, html_blocks_built, IN_HTML_BLOCKS, NO_MARKDOWN_SHOWN, warned)
    assert not wrong, f"(no Markdown shown, warned) disagree: {wrong}"


# Comments meant as notes to self: the reader must not see their text (a SECRET), and code spans are examples.
COMMENTS = [
    "<!-- SECRET: add a figure -->",
    "<!-- SECRET: add a figure",
    "<!--\nSECRET over lines\n-->",
    "Text first. <!-- SECRET inline, never closed",
    "<!-- SECRET: closed further down\n\nstill a note\n\n-->",
]
SECRET_HIDDEN = """() => !document.querySelector('article').innerText.includes('SECRET')"""


def test_a_comment_left_open_is_reported_exactly_when_its_text_is_shown(browser, tmp_path):
    project = fixture_project("chart_raises", tmp_path / "project", EXTENSIONS)
    examples = ["An example: `<!-- not closed` in code.", "An example:\n\n    <!-- not closed, in indented code"]
    built = build_cases(project, [case_page(sample) for sample in COMMENTS + examples])
    warned = {int(n) for n in re.findall(r"WARNING - +docs/case(\d+)\.md:\d+: this HTML comment is never closed", built.output)}
    wrong = disagreements(browser, built, COMMENTS, SECRET_HIDDEN, warned)
    assert not wrong, f"(comment hidden, warned) disagree: {wrong}"
    assert not warned & set(range(len(COMMENTS), len(COMMENTS) + len(examples)))  # code shows it as an example
