"""A Markdown structure the page shows as typed (a list run into a line, a table of pipes, tabs, GitHub habits)
is a warning at its line.

hooks/markdown_as_text.py judges from the rendered page; the first test holds it to what Chromium shows.
Each case marks what its author meant with a word: ITEM is a list item (SUBITEM one in a list item), CELL a table cell, TAB a tab's
content or title, NOTE a footnote, TASK a task list item (with its checkbox), STRUCK struck-out text,
EMOJI a line with the rocket emoji, LINK a link's text, PROSE words of a paragraph. A page is warned about
exactly when the reader sees one of those words somewhere else.
"""

from __future__ import annotations

import re

import markdown
import pytest

import markdown_as_text

from browser_checks import disagreements
from test_differential import project_setting
from conftest import build, build_cases, fixture_project


# (Markdown, the 0-based lines of it a report must name: where the fix goes).
CASES = [
    ("To rank a trend you need:\n- ITEM value\n- ITEM cost", [1]),
    ("To rank a trend you need:\n\n- ITEM value\n- ITEM cost", []),
    ("Steps:\n1. ITEM value\n2. ITEM cost", [1]),
    ("Steps:\n\n- ITEM value\n- ITEM cost\n\nSteps:\n- ITEM value\n- ITEM cost", [6]),
    ("Steps:\n* ITEM value\n* ITEM cost", [1]),
    ("Steps:\n+ ITEM value\n+ ITEM cost", [1]),
    ("You need one thing:\n- ITEM value", [1]),
    ("At 10:30:00 the PROSE temperature fell\n- 5 degrees in an hour.", []),
    ("1) ITEM score\n2) ITEM sort", [0]),
    ("Then:\n1) ITEM score\n2) ITEM sort", [1]),
    ("1) PROSE load the data; 2) train the model; 3) sample.", []),
    ("The PROSE answer is in part\n2) of the paper.", []),
    ("1. ITEM score\n2. ITEM sort", []),
    ('!!! note "Steps"\n    To rank:\n    - ITEM value\n    - ITEM cost', [2]),
    ("> To rank:\n> - ITEM value\n> - ITEM cost", [1]),
    ("- ITEM **value** first\n- ITEM [cost](https://example.com)", []),
    ("Steps:\n- **ITEM** value\n- `ITEM` cost", [1]),
    ("- ITEM one\n\n    To do:\n    - SUBITEM nested\n    - SUBITEM too", [3]),
    ("- ITEM one\n\n    To do:\n\n    - SUBITEM nested\n    - SUBITEM too", []),
    ("Scores:\n| CELL Trend | CELL Score |\n| --- | --- |\n| CELL a | CELL 1 |", [1]),
    ("Scores:\n\n| CELL Trend | CELL Score |\n| --- | --- |\n| CELL a | CELL 1 |", []),
    ("| CELL Trend | CELL Score |\n| CELL a | CELL 1 |", [0]),
    ("| CELL Trend | CELL Score |\n| --- |\n| CELL a | CELL 1 |", [0]),
    ("| CELL Trend | CELL Score |\n| --- | --- | --- |\n| CELL a | CELL 1 |", [0]),
    ("CELL Trend | CELL Score\n--- | ---\nCELL a | CELL 1", []),
    ("| CELL Trend | CELL Score |\n| --- | --- |\n| CELL a | CELL 1 |\n\n"
     "| CELL Trend | CELL Score |\n| --- |\n| CELL b | CELL 2 |", [4]),
    ("Scores:\nCELL Trend | CELL Score\n--- | ---\nCELL a | CELL 1", [1]),
    ("The PROSE pipe | joins two commands, as in `ls | wc`.", []),
    ('=== "TAB Python"\n\n    print("TAB one")\n\n=== "TAB R"\n\n    print("TAB two")', [0, 4]),
    ('```python exec="on" source="tabbed-left"\nprint("TAB result")\n```', [0]),
    ('```python exec="on" source="tabbed-right" tabs="Code|Output"\nprint("TAB result")\n```', [0]),
    ('```python exec="on" source="above"\nprint("Shown after its code")\n```', []),
    ("The FID score[^1] fell.\n\n[^1]: NOTE Heusel et al., 2017.", [0, 2]),
    ("The PROSE mark `[^1]` is a footnote in GitHub Markdown.", []),
    ("- [ ] TASK collect images\n- [x] TASK train", [0, 1]),
    ("- ITEM collect images (to do)\n- ITEM train (done)", []),
    ("The ~~STRUCK old~~ claim.", [0]),
    ("The <del>STRUCK old</del> claim.", []),
    ("EMOJI :rocket: launch", [0]),
    ("EMOJI 🚀 launch", []),
    ("At PROSE 10:30:00 and 12:00:01 the run ended: a:b:c.", []),
    ("See [LINK the code] (https://example.com/code).", [0]),
    ("See [LINK the code](https://example.com/code).", []),
    ("PROSE [sic] (as written) stays.", []),
    ("The PROSE class [^0-9] matches a non-digit.", []),
    ("The PROSE pattern [^aeiou] matches a consonant.", []),
    ("|x| is the PROSE absolute value and\n|y| too.", []),
    ("See [0, 1] (#scaling) for the PROSE range.", []),
]
# Examples of the slips, shown as code on purpose: nothing to report.
EXAMPLES = [
    '```markdown\nTo rank:\n- value\n- cost\n\n| a | b |\n| --- |\n\n=== "Python"\n\n'
    "[^1] ~~x~~ :rocket: [a] (https://x.com)\n\n- [ ] task\n```",
    "An example, indented as code:\n\n    To rank:\n    - value\n    - cost\n\n    | a | b |\n    | c | d |\n\n"
    '    === "Python"\n    1) one\n    2) two',
    "Inline: `- [ ] task`, `:rocket:`, `~~x~~`, `[^1]`, `[a] (https://x.com)`, `1) one`.",
    "<!--\nTo rank:\n- value\n- cost\n[^1] :rocket:\n-->",
    '<pre>\n=== "Python"\nTo rank:\n- a\n- b\n</pre>',
    '~~~markdown\n```python exec="on" source="tabbed-left"\nprint(1)\n```\n~~~',
]
EXTENSIONS = project_setting("markdown_extensions")  # the site's own
# The reader sees every marked word where its author meant it.
AS_MEANT = """() => {
    const meant = {
        ITEM: (el) => el.closest('li'),
        SUBITEM: (el) => el.closest('li li'),
        CELL: (el) => el.closest('td, th'),
        TAB: (el) => el.closest('.tabbed-set'),
        NOTE: (el) => el.closest('.footnote'),
        TASK: (el) => el.closest('li') && el.closest('li').querySelector('input[type=checkbox]'),
        STRUCK: (el) => el.closest('del, s'),
        EMOJI: (el) => el.textContent.includes('🚀'),
        LINK: (el) => el.closest('a'),
        PROSE: (el) => el.closest('p'),
    };
    const walker = document.createTreeWalker(document.querySelector('article'), NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const [word, right] of Object.entries(meant)) {
            if (node.textContent.includes(word) && !right(node.parentElement)) return false;
        }
    }
    return true;
}"""
WARNING = re.compile(r"WARNING - +docs/case(\d+)\.md:(\d+): (.*)")


def case_page(case: str) -> str:
    return f"---\ntitle: Case\ndescription: One slip.\n---\n\n# Case\n\nBefore.\n\n{case}\n\nEnd.\n"


FIRST = case_page("").split("\n").index("Before.") + 3  # the 1-based line of a case's first line


def project(folder):
    return fixture_project("chart_raises", folder, {"markdown_extensions": EXTENSIONS})


@pytest.fixture(scope="module")
def cases_built(tmp_path_factory):
    pages = [case_page(case) for case, _ in CASES] + [case_page(example) for example in EXAMPLES]
    return build_cases(project(tmp_path_factory.mktemp("as-text")), pages)


def warned(output: str) -> dict[int, list[tuple[int, str]]]:
    reports: dict[int, list[tuple[int, str]]] = {}
    for number, line, message in WARNING.findall(output):
        reports.setdefault(int(number), []).append((int(line), message))
    return reports


def test_a_structure_is_reported_exactly_when_the_reader_sees_it_as_text(browser, cases_built):
    samples = [case for case, _ in CASES]
    wrong = disagreements(browser, cases_built, samples, AS_MEANT, set(warned(cases_built.output)))
    assert not wrong, f"(shown as meant, warned) disagree: {wrong}"


def test_the_report_names_the_line_to_change_and_what_to_write(cases_built):
    reports = warned(cases_built.output)
    for number, (case, lines) in enumerate(CASES):
        named = sorted(line for line, _ in reports.get(number, []))
        assert named == [FIRST + line for line in lines], (case, reports.get(number))
    messages = "\n".join(message for found in reports.values() for _, message in found)
    for advice in ["leave a blank line above", "number the items '1.', '2.'", "leave one between its header row",
                   "no separator row under its header row", "add '| --- | --- |'", "its separator row has 1 column,",
                   "its separator row has 3 columns", "pymdownx.tabbed", 'write source="above"', "'=== \"Code\"",
                   "footnotes are not enabled", "mark first", "write a normal list item",
                   "write <del>STRUCK old</del>", "write the emoji itself, \U0001F680",
                   "write [LINK the code](https://example.com/code)"]:
        assert advice in messages, advice


def test_examples_in_code_and_comments_are_left_alone(cases_built):
    assert not set(warned(cases_built.output)) & set(range(len(CASES), len(CASES) + len(EXAMPLES)))


def test_a_structure_shown_as_text_fails_the_strict_build(tmp_path):
    folder = project(tmp_path / "project")
    build_cases(folder, [case_page(CASES[0][0])])
    assert build(folder).returncode == 1


def test_a_sub_list_indented_too_little_is_left_to_markdown_misreads():
    """One slip, one warning: a sub-list indented 3 spaces is markdown_misreads' (indent it 4), not a list run into
    a line of text (a blank line above it would not nest it)."""
    written = "1. Speed:\n   - fewer steps\n   - less memory\n"
    shown = markdown.markdown(written, extensions=[e for e in EXTENSIONS if isinstance(e, str)])
    assert "<p>" in shown or "- fewer steps" in shown  # the sub-list is not formed: there is something to report
    assert markdown_as_text.shown_as_text(written, shown, lambda name: False) == []
