"""An admonition or ??? block whose text is not indented under it is a warning at its line.

hooks/admonition_bodies.py judges from the rendered page; the first test holds it to what
Chromium shows: a page is warned about exactly when text meant for a box (BODY) is outside it.
"""

from __future__ import annotations

import re

import pytest

from browser_checks import disagreements
from conftest import build, build_cases, fixture_project
from markdown_fences import indent_columns

CASES = [
    '??? success "Solution"\n\n    The BODY of the answer.',
    '??? success "Solution"\n\nThe BODY of the answer.',
    '!!! abstract "Key sentence"\n\n  Two spaces: BODY.',
    '???+ note "Open"\n\nBODY not indented.',
    "!!! note\n\nBODY right under a title-less note.",
    "!!! note\n\n## A heading after a title-only box",
    '- item\n\n    !!! note "In a list"\n\n        BODY indented for the list.',
    '- item\n\n    !!! note "In a list"\n\n    BODY indented like the list item only.',
    '```markdown\n!!! note "Example"\n\nText shown as code.\n```',
    '!!! note ""\n\n    BODY without a title.',
    '!!! tip "Title only"\n\n!!! note "Second"\n\n    BODY of the second.',
    '!!! note "Tabbed in"\n\n\tBODY indented with a tab.',
    '??? success "Solution"\n\n    BODY of the first.\n\n??? success "Solution"\n\nBODY of the second, not indented.',
    '!!! tip "Solution"\n\n    BODY of the first.\n\n!!! tip "Solution"\n\n  BODY of the second, two spaces.',
    '??? "Solution"\n\nBODY under a box with a title and no type.',
    '!!! note "Run `pip install`"\n\nBODY under a title with code.',
    '!!! tip "Press F to search"\n\n<!-- title only -->\nA paragraph after a title-only tip, meant.',
    # cut short: a line in the middle of the box's text indented too little
    '??? success "Solution"\n\n    Weigh each one:\n\n```python\nx = 1\n```\n\n    The BODY after the code.',
    '!!! note "Solution"\n\n    The BODY of the note.\n\nHere is an example of the page\'s own:\n\n    print("indented code")',
    '??? success "Solution"\n\n    Weigh each one:\n\n    ```python\n    x = 1\n    ```\n\n    The BODY after the code.',
    '??? success "Solution"\n\n    The BODY of the answer.\n\nThe lesson goes on after it.',
    '- item\n\n    ??? note "In a list"\n\n        First:\n\n    ```python\n    x = 1\n    ```\n\n        The BODY meant for the box.',
]
EXTENSIONS = {"markdown_extensions": ["admonition", "pymdownx.details", "pymdownx.superfences"]}
# Every element holding BODY sits inside an admonition or a collapsible block.
BODY_IN_ITS_BOX = """() => [...document.querySelectorAll('article p, article pre')]
    .filter((el) => el.textContent.includes('BODY'))
    .every((el) => el.closest('.admonition, details'))"""


def case_page(case: str) -> str:
    return f"---\ntitle: Case\ndescription: One box.\n---\n\n# Case\n\nBefore.\n\n{case}\n\nEnd.\n"


@pytest.fixture(scope="module")
def cases_built(tmp_path_factory):
    project = fixture_project("chart_raises", tmp_path_factory.mktemp("boxes"), EXTENSIONS)
    return build_cases(project, [case_page(case) for case in CASES])


def warned(output: str, problem: str = "this box shows only its title") -> dict[int, int]:
    return {int(n): int(line) for n, line in re.findall(rf"WARNING - +docs/case(\d+)\.md:(\d+): {problem}", output)}


def test_a_box_is_reported_exactly_when_its_text_is_outside_it(browser, cases_built):
    reports = warned(cases_built.output, "(?:this box shows only its title|this line ends the box)")
    wrong = disagreements(browser, cases_built, CASES, BODY_IN_ITS_BOX, set(reports))
    assert not wrong, f"(text in its box, warned) disagree: {wrong}"


def test_the_report_names_the_box_line_and_the_indent_it_needs(cases_built):
    reports = warned(cases_built.output)
    first = case_page("").split("\n").index("Before.") + 3
    for number, line in reports.items():
        lines = CASES[number].split("\n")
        markers = [i for i, text in enumerate(lines) if re.match(r"\s*(!!!|\?\?\?)", text)]
        # The box whose next line of text is BODY indented less than 4 columns past the box's own line.
        broken = [i for i in markers if "BODY" in (body := next(t for t in lines[i + 1 :] if t.strip()))
                  and indent_columns(body) < indent_columns(lines[i]) + 4]
        assert [line] == [first + i for i in broken], (CASES[number], line)
    assert "is indented 4 spaces, not 8" in cases_built.output and "is indented 0 spaces, not 4" in cases_built.output


def test_a_solution_in_plain_sight_fails_the_strict_build(tmp_path):
    project = fixture_project("chart_raises", tmp_path / "project", EXTENSIONS)
    build_cases(project, [case_page(CASES[1])])
    assert build(project).returncode == 1


def test_a_box_cut_short_is_reported_at_the_line_that_ends_it(cases_built):
    reports = warned(cases_built.output, "this line ends the box")
    first = case_page("").split("\n").index("Before.") + 3
    assert reports, cases_built.output
    for number, line in reports.items():
        lines = CASES[number].split("\n")
        marker = next(i for i, text in enumerate(lines) if re.match(r"\s*(!!!|\?\?\?)", text))
        needed = indent_columns(lines[marker]) + 4
        body = [i for i in range(marker + 1, len(lines)) if lines[i].strip()]
        assert line == first + next(i for i in body if indent_columns(lines[i]) < needed), CASES[number]
