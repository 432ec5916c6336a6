"""A block whose printed HTML would change the rest of the page is a warning with its line.

hooks/printed_html.py judges the HTML; the first test holds its verdicts to what Chromium
makes of the real built pages: the heading after the block must still be in the article.
"""

from __future__ import annotations

import re

import markdown
import pytest

from conftest import build, build_cases, fixture_project
from printed_html import unbalanced
from browser_checks import KEEPS_THE_PAGE, disagreements

SAMPLES = [
    '<svg viewBox="0 0 1 1"><g><path d="M0 0"/></g></svg>',
    "<table><tr><td>1<td>2</table>",
    "<p>one<p>two",
    "<ul><li>a<li>b</ul>",
    'line<br>break <img alt="x" src="data:,">',
    "<!-- a note -->text",
    "<DIV>x</div>",
    "<details><summary>More</summary>x</details>",
    '<script>if (1 < 2) { window.shown = "</span>"; }</script>',
    "a < b and c > d",
    "<svg><g></svg>",
    "<div><span>x</div>",
    "<section><div>x</section>",
    "</span>stray inline end tag",
    "</p>",
    "<div>left open",
    "<details><summary>More</summary>left open",
    "</div>",
    "</article>",
    "<!-- never closed",
    "<span>left open",
    "<svg><g>left open",
    "<p>a paragraph</p><span>left open after it",
    "<!-- a note --><span>left open after it",
    "<div>closed</div><span>left open after a block",
    "<figure><svg><g></g></svg></figure>",
    "<svg><text>left open",
    "<b>bold left open",
    "<em>left open",
    '<a href="#top">link left open',
    '<div class="card"><b>Total: 3</div>',
    "<ul><li><b>first</li></ul>",
    "<table><tr><td><b>bold in a cell</table>",
    '<div class="bar" style="width: 3em" />',
    '<svg viewBox="0 0 1 1"><rect width="1" height="1"/></svg>',
    "Output:<pre>",
    "Edit: <textarea>",
    '<div id="c"></div><script>var t = "<!--";</script>',
    "<!-->after an empty comment",
    "</figure>",
    "text <div>x</div><span>left open after a block ends the paragraph",
    "<table><tr><td><div><b>bold</div></td></tr></table>",
    "<textarea><!-- edit the page here --\n<p>Hello</div></textarea>",
]


def case_page(sample: str) -> str:
    return (
        "---\ntitle: Case\ndescription: One printed HTML.\n---\n\n# Case\n\nBefore.\n\n"
        f'```python exec="on" html="on"\nprint({sample!r}, end="")\n```\n\n## After\n\nEnd.\n'
    )


@pytest.fixture(scope="module")
def samples_built(tmp_path_factory):
    project = fixture_project("chart_raises", tmp_path_factory.mktemp("printed"))
    return build_cases(project, [case_page(sample) for sample in SAMPLES])


def test_a_block_is_reported_exactly_when_its_html_changes_the_page_around_it(browser, samples_built):
    warned = {int(n) for n in re.findall(r"WARNING - +docs/case(\d+)\.md:\d+: the HTML this block printed", samples_built.output)}
    wrong = disagreements(browser, samples_built, SAMPLES, KEEPS_THE_PAGE, warned)
    assert not wrong, f"(page kept, warned) disagree: {wrong}"


def test_the_report_names_the_blocks_line_and_what_is_wrong(samples_built):
    line = case_page("").split("\n").index('```python exec="on" html="on"') + 1
    assert f"docs/case{SAMPLES.index('<div>left open')}.md:{line}: the HTML this block printed" in samples_built.output
    for sample, phrase in [("<div>left open", "leaves <div> open"), ("</div>", "has </div> with no start tag"),
                           ("<!-- never closed", "opens a comment (<!--) and never closes it")]:
        assert phrase in " ".join(unbalanced(sample, markdown.Markdown().is_block_level))


def test_the_html_reaches_the_page_unchanged(samples_built):
    for number, sample in enumerate(SAMPLES):
        if sample.startswith("<svg") or "<script>" in sample:
            continue  # their text is the page's as printed too, but compared as the DOM reads it elsewhere
        assert sample in samples_built.page(f"case{number}"), sample


def test_a_chart_printed_twice_is_named_at_the_second_blocks_line(tmp_path):
    project = fixture_project("chart_raises", tmp_path)
    block = '```python exec="on" html="on"\nprint(\'<svg id="c-1" role="img"><title id="c-1-title">T</title></svg>\')\n```\n\n'
    other = '```python exec="on" html="on"\nprint(\'<svg id="c-2"><title id="c-2-title">U</title></svg>\')\n```\n\n'
    page = project / "docs" / "index.md"
    page.write_text("---\ntitle: Twice\ndescription: One chart, twice.\n---\n\n# Twice\n\n" + block + other + "Again:\n\n" + block,
                    encoding="utf-8")
    result = build(project)
    assert result.returncode == 1
    starts = [n for n, line in enumerate(page.read_text(encoding="utf-8").split("\n"), 1) if line.startswith("```python")]
    reported = re.findall(r"docs/index\.md:(\d+): this chart's SVG \(or HTML\) gives elements ids that the chart block at (\S+) gave already \((.*?)\)", result.output)
    assert reported == [(str(starts[2]), f"docs/index.md:{starts[0]}", '"c-1", "c-1-title"')], result.output
