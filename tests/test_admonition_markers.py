"""A box whose first line is not read as a box, or whose unquoted title is read as a class, is a warning.

hooks/admonition_markers.py judges from the rendered page; the first test holds it to what Chromium
shows: each case means a box titled "Solution" holding BODY, and a page is warned about exactly when
the reader sees something else (BODY outside a box, or a box with another title).
"""

from __future__ import annotations

import re

import pytest

from browser_checks import disagreements
from conftest import build, build_cases, fixture_project

BODY = "\n\n    The BODY of the answer."
CASES = [
    '??? success "Solution"' + BODY,
    '?? success "Solution"' + BODY,
    '!! note "Solution"' + BODY,
    '???? success "Solution"' + BODY,
    ' ??? success "Solution"' + BODY,
    '   !!! note "Solution"' + BODY,
    "??? success 'Solution'" + BODY,
    "??? success “Solution”" + BODY,
    '??? success "Solution' + BODY,
    '??? success "Solution":' + BODY,
    '??? success: "Solution"' + BODY,
    "??? success Solution" + BODY,
    "!!! tip Solution" + BODY,
    "??? Solution" + BODY,
    '???success "Solution"' + BODY,
    '???+ success inline end "Solution"' + BODY,
    '??? success "Solution" ' + BODY,
    '- item\n\n    ??? success "Solution"\n\n        The BODY of the answer.',
    '- item\n\n    ?? success "Solution"\n\n        The BODY of the answer.',
    '??? success "Solution with `code`"' + BODY,
    '?? success "Solution with `code`"' + BODY,
    'Right after a line of text:\n?? success "Solution"' + BODY,
    'Right after a line of text:\n??? success "Solution"' + BODY,
    'A tab this site does not read:\n    ???+ success "Solution"\n\n        The BODY of the answer.',
]
# An example of a slip, shown as code on purpose: no box is meant, nothing to report.
EXAMPLES = [
    '```markdown\n?? success "Solution"\n\n    Shown as code.\n```',
    "?? is C#'s null-coalescing operator, shown here as prose.",
    'An example, indented as code:\n\n    ?? success "Solution"\n\n        Shown as code.',
]
EXTENSIONS = {"markdown_extensions": ["admonition", "pymdownx.details", "pymdownx.superfences"]}
# The reader sees BODY inside a box, and every box is titled as meant.
AS_MEANT = """() => {
    const body = [...document.querySelectorAll('article p, article pre')]
        .filter((el) => el.textContent.includes('BODY'));
    const titles = [...document.querySelectorAll('article .admonition-title, article summary')]
        .map((el) => el.textContent.trim().replace(/ with code$/, ''));
    return body.length > 0 && body.every((el) => el.closest('.admonition, details'))
        && titles.length > 0 && titles.every((title) => title === 'Solution');
}"""
WARNING = re.compile(r"WARNING - +docs/case(\d+)\.md:(\d+): (?:this line is shown as text|this box is titled)")


def case_page(case: str) -> str:
    return f"---\ntitle: Case\ndescription: One box.\n---\n\n# Case\n\nBefore.\n\n{case}\n\nEnd.\n"


@pytest.fixture(scope="module")
def cases_built(tmp_path_factory):
    project = fixture_project("chart_raises", tmp_path_factory.mktemp("markers"), EXTENSIONS)
    return build_cases(project, [case_page(case) for case in CASES + EXAMPLES])


def warned(output: str) -> dict[int, int]:
    return {int(number): int(line) for number, line in WARNING.findall(output)}


def test_a_box_line_is_reported_exactly_when_the_reader_sees_something_else(browser, cases_built):
    wrong = disagreements(browser, cases_built, CASES, AS_MEANT, set(warned(cases_built.output)))
    assert not wrong, f"(shown as meant, warned) disagree: {wrong}"


def test_the_report_names_the_box_line_and_what_to_change(cases_built):
    reports = warned(cases_built.output)
    box_line = case_page("").split("\n").index("Before.") + 3
    for number, line in reports.items():
        lines = CASES[number].split("\n")
        assert line == box_line + next(i for i, text in enumerate(lines) if re.match(r"\s*[!?]{2}", text))
    for reason in ["'??' is not a box's mark", "'????' is not a box's mark", "it starts 1 space in",
                   "it starts 3 spaces in", "single or typographic quotes", "quote is never closed",
                   "something follows the title's closing quote",
                   "this box is titled 'Success': 'Solution' is read as a class", '??? success "Solution"',
                   "the line itself is right, but it is read as part of the text above it"]:
        assert reason in cases_built.output, reason


def test_examples_and_prose_are_left_alone(cases_built):
    assert not set(warned(cases_built.output)) & set(range(len(CASES), len(CASES) + len(EXAMPLES)))


def test_a_box_shown_as_text_fails_the_strict_build(tmp_path):
    project = fixture_project("chart_raises", tmp_path / "project", EXTENSIONS)
    build_cases(project, [case_page(CASES[1])])
    assert build(project).returncode == 1
