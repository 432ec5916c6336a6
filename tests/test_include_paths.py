"""An include that would include nothing is a warning with the page's own line and what to do."""

from __future__ import annotations

import re

import markdown
import pytest

from conftest import FIXTURES, build, fixture_project
from html_text import code_blocks
from include_paths import has_section, ranges_include_lines
from snippet_syntax import read_includes

PAGE = FIXTURES / "include_mistakes" / "docs" / "index.md"
MESSAGES = {
    "a file that is not there": "included file snippets/gone.py does not exist",
    "lines past the end": "included lines 100:200 of snippets/parts.py are not in the file, which has 4 lines",
    "a reversed range": "included lines 4:2 of snippets/parts.py are not in the file",
    "a section that is not there": "included section farewell of snippets/parts.py is not in the file",
    "a file outside the project": "included file ../outside.py is outside the include folders",
    "a file that is not text": "included file snippets/logo.png is not UTF-8 text",
    "spaces after the closing quote": "this line looks like an include, but pymdownx.snippets shows it as typed: remove the spaces after the closing quote",
    "a note after the closing quote": "this line looks like an include, but pymdownx.snippets shows it as typed: the line must end at the closing quote",
    "no space before the quote": "this line looks like an include, but pymdownx.snippets shows it as typed: put a space between --8<-- and the quote",
    "a quote never closed": "this line looks like an include, but pymdownx.snippets shows it as typed: the path's quote is never closed",
    "a path without quotes": 'this line looks like an include, but pymdownx.snippets shows it as typed: the path must be in quotes: --8<-- "snippets/parts.py"',
    "no file between the quotes": "an include names no file",
    "a listed file that is not there": "included file snippets/missing-from-list.py does not exist",
    "a listed file that is not text": "included file snippets/logo.png is not UTF-8 text",
    "an include inside a list of files": "an include inside a list of files (between two bare --8<-- lines) is dropped",
    "a title naming another file": "this block is titled snippets/other.py but shows snippets/parts.py, its include",
    "a bare marker that nothing closes": "a bare --8<-- opens a list of files to include and no bare --8<-- line closes it, so the 4 lines after it",
}


def mistake_lines() -> dict[str, int]:
    """Each <!-- mistake: ... --> of the fixture, and the line of the include two lines under it (or +N lines,
    when the comment ends with (+N))."""
    lines = PAGE.read_text(encoding="utf-8").split("\n")
    mistake = re.compile(r"<!-- mistake: (?P<what>.*?)(?: \(\+(?P<down>\d)\))? -->")
    return {m["what"]: n + int(m["down"] or 2) for n, line in enumerate(lines, start=1) if (m := mistake.match(line))}


def test_each_include_that_includes_nothing_is_named_at_its_line(tmp_path):
    (tmp_path / "outside.py").write_text("print('outside')\n", encoding="utf-8")  # exists, but outside base_path
    result = build(fixture_project("include_mistakes", tmp_path / "project"))
    assert result.returncode == 1
    reported = dict((int(line), message) for line, message in re.findall(r"WARNING - +docs/index\.md:(\d+): (.*)", result.output))
    expected = mistake_lines()
    assert sorted(reported) == sorted(expected.values()), result.output
    for what, line in expected.items():
        assert reported[line].startswith(MESSAGES[what]), (what, reported[line])
    assert "Traceback" not in result.output


def test_a_file_that_is_not_text_is_shown_as_typed_and_the_page_still_renders(tmp_path):
    result = build(fixture_project("include_mistakes", tmp_path / "project"), strict=False)
    assert result.returncode == 0, result.output  # mkdocs serve keeps serving; the warning says what to fix
    assert any(code.strip() == '--8<-- "snippets/logo.png"' for _, code in code_blocks(result.page()))
    # ... and a bare --8<-- that nothing closes is shown as typed, not left to swallow the rest of the page
    assert "Its text must still be on the page." in result.page() and "The page goes on after it" in result.page()


def test_the_good_includes_include_what_they_name(tmp_path):
    project = fixture_project("include_mistakes", tmp_path / "project")
    text = PAGE.read_text(encoding="utf-8")
    (project / "docs" / "index.md").write_text(text[: text.index("<!-- mistake")], encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.output
    shown = [code for _, code in code_blocks(result.page())]
    assert shown[2].strip() == 'print("Hello")\nprint("Bye")' and shown[3].strip() == 'print("Hello")'
    assert shown[4].strip() == shown[1].strip()  # a list of files: the one not commented out
    assert shown[5].strip() == '--8<-- "snippets/parts.py"'  # escaped: shown as typed


def test_ranges_as_pymdownx_reads_them():
    assert ranges_include_lines(":1:4", 4) and ranges_include_lines(":2", 4) and ranges_include_lines(":1:2,4:", 4)
    assert not ranges_include_lines(":5", 4) and not ranges_include_lines(":3:1", 4)
    assert not ranges_include_lines(":1:2,9:10", 4)


def test_sections_are_found_by_their_start_marker():
    lines = ["# --8<-- [start:Part]", "x", "# --8<-- [end:part]", "# ;--8<-- [start:escaped]"]
    assert has_section(lines, "part") and not has_section(lines, "escaped") and not has_section(lines, "x")


SINGLE_LINES = [
    '--8<-- "a.py"', "--8<-- 'a.py'", '    --8<-- "a.py"', '-8<- "a.py"', '---8<--- "b.py:1:1"', '--8<-- "a.py" ',
    '--8<-- "a.py"\t', '--8<-- "a.py" # note', '--8<--"a.py"', '--8<-- "a.py', "--8<-- 'a.py' ", '--8<-- ""',
    '--8<-- " "', "--8<-- a.py", "--8<-- snippets/a.py", ';--8<-- "a.py"', ';--8<-- "a.py" ', '--8<-- ";a.py"',
    "-----8<----- cut here -----8<-----", "--8<--  ", "--8<-- [start:name]", 'text --8<-- "a.py"',
]
DOCUMENTS = [[line, "after"] for line in SINGLE_LINES] + [
    ["--8<--", "a.py", "", ";b.py", "b.py", "--8<--", "after"],
    ["--8<--", "a.py", '--8<-- "b.py"', "--8<--", "after"],
    ["before", "--8<--", "a.py", "", "## A heading", "Prose."],
    [";--8<--", "a.py", ";--8<--", "after"],
    ["--8<--", "--8<--", '--8<-- "b.py"', "after"],
]


@pytest.mark.parametrize("lines", DOCUMENTS, ids=lambda lines: repr(lines[:3]))
def test_includes_and_slips_are_what_pymdownx_makes_of_the_lines(lines, tmp_path):
    """The reader's verdicts against the extension's own preprocessor: each file it says a line includes is
    included, each line it says is shown as typed is, a line it says is dropped is not on the page, the lines
    after an unclosed list vanish, and every line with an include's quote that is shown as typed is reported."""
    (tmp_path / "a.py").write_text("A-INCLUDED\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("B-INCLUDED\n", encoding="utf-8")
    md = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": {"base_path": [str(tmp_path)]}})
    shown = md.preprocessors["snippet"].run(list(lines))
    includes, slips = read_includes(lines)
    if not any(slip.unclosed_list for slip in slips):  # an unclosed list's files are not listed, only the slip
        files = {include.target.split(":")[0] for include in includes}
        assert {f"{name[0].upper()}-INCLUDED" for name in files & {"a.py", "b.py"}} == {
            line.strip() for line in shown if line.endswith("-INCLUDED")}
    for slip in slips:
        written = lines[slip.line - 1]
        if slip.unclosed_list:
            assert not set(lines[slip.line :]) - {""} & set(shown), shown
        elif "dropped" in slip.message:
            assert written not in shown
        else:
            assert written in shown and "shows it as typed" in slip.message
    reported = {slip.line for slip in slips}
    for number, line in enumerate(lines, start=1):
        if re.match(r"\s*;*-+8<-+\s*[\"']", line) and line in shown:
            assert number in reported, (line, shown)
