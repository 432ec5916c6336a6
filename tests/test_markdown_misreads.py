"""Markdown the page reads otherwise than its author meant is a warning at its line.

hooks/markdown_misreads.py judges from the rendered page; the oracle tests hold it to what Chromium
shows. Each group of cases means one clear thing, said by its words ("fewer steps" is a sub-item of
"Speed"; a cell reads "p(x | y) and p(x)"; "Some text ends here." is text and "A heading" a heading; only "bold"
and "italic" are emphasised; "A quote" is the only quote and the page has one title), written right
and wrong; a page is warned about exactly when the reader sees something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from browser_checks import disagreements
from conftest import build, build_cases, fixture_project
from test_differential import project_setting

# The site's own Markdown extensions (mkdocs.yml), and the same without sane_lists.
MARKDOWN = project_setting("markdown_extensions")
EXTENSIONS = {"markdown_extensions": [*MARKDOWN, *["sane_lists"] * ("sane_lists" not in MARKDOWN)]}
WITHOUT_SANE_LISTS = {"markdown_extensions": [extension for extension in MARKDOWN if extension != "sane_lists"]}


@dataclass(frozen=True)
class Group:
    cases: list[str]
    as_meant: str  # JS: whether the reader sees what the case means
    slip: str  # a regex that finds, in a wrong case, the line to report


LISTS = Group([
    "- Speed\n    - fewer steps\n    - less noise\n- Quality",
    "1. Speed\n    1. fewer steps\n2. Quality",
    "- Speed\n\n    - fewer steps\n\n- Quality",
    "1. Speed\n    - fewer steps",
    '!!! note "Trends"\n\n    - Speed\n        - fewer steps',
    "- Speed, faster sampling\n  with distillation\n    - fewer steps",
    "- Speed\n  - fewer steps\n  - less noise\n- Quality",
    "- Speed\n - fewer steps",
    "- Speed\n   - fewer steps",
    "1. Speed\n   1. fewer steps\n2. Quality",
    "1. Speed\n  - fewer steps",
    "- Speed\n  1. fewer steps",
    "- Speed\n\n  - fewer steps\n\n- Quality",
    '!!! note "Trends"\n\n    - Speed\n      - fewer steps',
    "* Speed\n  + fewer steps",
], """() => {
    const sub = [...document.querySelectorAll('article li')].filter((li) => li.textContent.trim().startsWith('fewer steps'));
    return sub.length > 0 && sub.every((li) => li.parentElement.closest('li')?.textContent.trim().startsWith('Speed'));
}""", r"^(?: {4})* {1,3}(?:[-*+]|\d+\.) ")  # an item indented 1-3 spaces past a level

HEADER = "| Setting | Formula |\n| --- | --- |\n"
TABLES = Group([
    HEADER + "| cfg | p(x \\| y) and p(x) |",
    HEADER + "| cfg | p(x &#124; y) and p(x) |",
    HEADER + "| cfg | `p(x | y)` and `p(x)` |",
    HEADER + "| cfg | ``p(x | y)`` and p(x) |",
    HEADER + "| p(x \\| y) and p(x) |",
    "Setting | Formula\n--- | ---\ncfg | p(x \\| y) and p(x)",
    HEADER + "| cfg | p(x | y) and p(x) |",
    HEADER + "| cfg | p(x | y) and p(x)",
    "Setting | Formula\n--- | ---\ncfg | p(x | y) and p(x)",
    HEADER + "| cfg | p(x | y) and `p(x)` |",
    "- In a list:\n\n    " + HEADER.replace("\n", "\n    ") + "| cfg | p(x | y) and p(x) |",
], """() => [...document.querySelectorAll('article td')]
    .some((td) => td.textContent.replace(/\\s+/g, ' ').trim() === 'p(x | y) and p(x)')""", r"p\(x \| y\)")

HEADINGS = Group([
    "Some text ends here.\n\n---\n\nMore.",
    "Some text ends here.\n\n***",
    "Line one\nSome text ends here.\n---",
    "A heading\n---------",
    "A heading\n---",
    "## A heading\n\nSome text ends here.",
    "Some text ends here.\n---\n\nMore.",
    "Some text ends here.\n-----",
    "Some text ends here.\n===",
    "Some text that runs on for eight words or more\n---",
    "- Some text ends here.\n---",
    "Some text ends here.\n--",
    '!!! note "Box"\n\n    Some text ends here.\n    ---',
], """() => {
    const headings = [...document.querySelectorAll('article h1, article h2, article h3')]
        .map((h) => h.textContent.replace('¶', '').trim());
    const shown = document.querySelector('article').textContent;
    return !headings.some((h) => h.includes('Some text'))
        && (!shown.includes('A heading') || headings.includes('A heading'));
}""", r"^\s*(?:-+|=+)\s*$")

EMPHASIS = Group([
    "Weights: `0.5*value + 0.3*stability`.",
    "Weights: 0.5\\*value + 0.3\\*stability.",
    "A **bold** word, an *italic* one, an _italic_ one, a __bold__ one.",
    "A product: 2 * 3 * 4.",
    'Run it when `__name__ == "__main__"`.',
    "Call f(*args, **kwargs) here.",
    "snake_case_name and CONSTANT_NAME stay as written.",
    "A **bold**ly written word.",
    "Weights: 0.5*value + 0.3*stability.",
    'Run it when if __name__ == "__main__": is true.',
    "Powers: 2**10 and 3**4.",
    "Its obj.__dict__ holds them.",
    "Call __init__(self) first.",
    "Weights: 0.5*value +\n0.3*stability.",
    "- In a list: 0.5*value + 0.3*stability.",
    "Weights: (a+b)*c + d*e.",
    "It is **1.5**x faster.",
    "Content goes in **Code Block**s, and German has Zeit**raum**.",
], """() => [...document.querySelectorAll('article em, article strong')]
    .every((el) => ['bold', 'italic', '1.5', 'Code Block', 'raum'].includes(el.textContent.trim()))""", r"\w\*|__\w")

QUOTES = Group([
    "Trends whose score is\n\\> 5 are worth it.",
    "Trends whose score is >\n5 are worth it.",
    "As the paper puts it:\n> A quote from it.",
    "Trends, in order.\n\n> A quote on its own.",
    "We ranked it\n\\#1 on the list.",
    "We ranked it #1\non the list.",
    "Trends whose score is\n> 5 are worth it.",
    "We ranked it\n#1 on the list.",
    "#1 on the list is speed.",
    "- Trends whose score is\n  > 5 are worth it.",
    "As Feynman put it\n> A quote: what I cannot create, I do not understand.",
    "Trends, in order.\n\n# Appendix",
], """() => [...document.querySelectorAll('article blockquote')].every((q) => q.textContent.includes('A quote'))
    && [...document.querySelectorAll('article h1')].filter((h) => !h.textContent.includes('Appendix')).length === 1
    && ![...document.querySelectorAll('article h1, article h2, article h3')]
        .some((h) => h.textContent.includes('on the list'))""", r"^\s*[>#]")

GROUPS = {"lists": LISTS, "tables": TABLES, "headings": HEADINGS, "emphasis": EMPHASIS, "quotes": QUOTES}
# Each kind of slip once, each at its own line.
ALL_SLIPS = "\n\n".join([
    "- Speed\n  - fewer steps", HEADER + "| cfg | p(x | y) |", "Some text ends here.\n---", "Weights: 0.5*value + 0.3*stability.",
    'Run it when if __name__ == "__main__": is true.', "Trends whose score is\n> 5 are worth it.",
    "We ranked it\n#1 on the list.",
])
# The same slips shown as examples, in code: nothing is misread there, nothing to report.
IN_CODE = [
    f"````markdown\n{ALL_SLIPS}\n````",
    "An example, indented as code:\n\n    " + ALL_SLIPS.replace("\n", "\n    "),
    f"<!--\n{ALL_SLIPS}\n-->",
    f"<pre>\n{ALL_SLIPS}\n</pre>",
]
EXAMPLES = IN_CODE + [
    'Inline: `0.5*value + 0.3*stability`, `if __name__ == "__main__":`, `#1`, `| cfg | p(x | y) |`.',
]
# Each example, then the same slips for real: only the real ones are named, at their lines.
EXAMPLE_THEN_SLIPS = [f"{example}\n\n{ALL_SLIPS}" for example in IN_CODE]
WARNING = re.compile(
    r"WARNING - +docs/case(\d+)\.md:(\d+): (?:this list item is shown as|this table row has \d+ cells|"
    r"the '[-=]+' here underlines|the '[*_]+' in|'__\w+__' is read as bold|this line is shown as a (?:second page title|quote))"
)
ALL_CASES = [case for group in GROUPS.values() for case in group.cases]


def case_page(case: str) -> str:
    return f"---\ntitle: Case\ndescription: One slip.\n---\n\n# Case\n\nBefore.\n\n{case}\n\nEnd.\n"


FIRST_LINE = case_page("").split("\n").index("Before.") + 3  # the page line of a case's first line


@pytest.fixture(scope="module")
def cases_built(tmp_path_factory):
    project = fixture_project("chart_raises", tmp_path_factory.mktemp("misreads"), EXTENSIONS)
    pages = ALL_CASES + EXAMPLES + [ALL_SLIPS] + EXAMPLE_THEN_SLIPS
    return build_cases(project, [case_page(case) for case in pages])


def warned(output: str) -> dict[int, set[int]]:
    reports: dict[int, set[int]] = {}
    for number, line in WARNING.findall(output):
        reports.setdefault(int(number), set()).add(int(line))
    return reports


def group_view(built, name: str) -> tuple[SimpleNamespace, set[int]]:
    """The build as seen by one group's cases (case0 is the group's first), and which of them were warned."""
    first = ALL_CASES.index(GROUPS[name].cases[0])
    view = SimpleNamespace(page=lambda path: built.page(f"case{first + int(path.removeprefix('case'))}"))
    reports = warned(built.output)
    return view, {number - first for number in reports if first <= number < first + len(GROUPS[name].cases)}


@pytest.mark.parametrize("name", GROUPS)
def test_a_misread_is_reported_exactly_when_the_reader_sees_something_else(browser, cases_built, name):
    view, warned_cases = group_view(cases_built, name)
    wrong = disagreements(browser, view, GROUPS[name].cases, GROUPS[name].as_meant, warned_cases)
    assert not wrong, f"(shown as meant, warned) disagree: {wrong}"


def test_nested_lists_are_judged_alike_without_sane_lists(browser, tmp_path):
    project = fixture_project("chart_raises", tmp_path / "project", WITHOUT_SANE_LISTS)
    built = build_cases(project, [case_page(case) for case in LISTS.cases])
    wrong = disagreements(browser, built, LISTS.cases, LISTS.as_meant, set(warned(built.output)))
    assert not wrong, f"(shown as meant, warned) disagree: {wrong}"


def test_the_report_names_the_misread_line_and_what_to_write(cases_built):
    reports = warned(cases_built.output)
    for group in GROUPS.values():
        for case in group.cases:
            number = ALL_CASES.index(case)
            if number in reports:
                slip = next(i for i, text in enumerate(case.split("\n")) if re.search(group.slip, text))
                assert reports[number] == {FIRST_LINE + slip}, (case, reports[number])
    for advice in ["indent it, and the items beside it, 4 spaces", "indent it, and the items beside it, 8 spaces",
                   "write it as \\| (or &#124;", "for a horizontal rule, leave a blank line above '---'",
                   "write '## Some text ends here.'", "put code and formulas in backticks (`0.5*value + 0.3*stability`)",
                   "in backticks: `__name__`", "escape it: '\\> 5 are worth it.'", "escape it: '\\#1 on the list.'"]:
        assert advice in cases_built.output, advice


def test_examples_in_code_are_left_alone(cases_built):
    reports = warned(cases_built.output)
    examples = range(len(ALL_CASES), len(ALL_CASES) + len(EXAMPLES))
    assert not set(reports) & set(examples), {number: reports[number] for number in set(reports) & set(examples)}
    alone = len(ALL_CASES) + len(EXAMPLES)
    assert len(reports[alone]) == 7, reports[alone]  # each kind of slip at its own line
    for number, example in enumerate(IN_CODE, alone + 1):
        below = example.count("\n") + 2  # the real slips start this many lines further down
        assert reports.get(number) == {line + below for line in reports[alone]}, (example, reports.get(number))


def test_a_misread_fails_the_strict_build(tmp_path):
    project = fixture_project("chart_raises", tmp_path / "project", EXTENSIONS)
    wrong = ALL_SLIPS.split("\n\n")  # each kind of slip on a page of its own
    build_cases(project, [case_page(case) for case in wrong])
    result = build(project)
    assert result.returncode == 1
    assert set(warned(result.output)) == set(range(len(wrong))), result.output
