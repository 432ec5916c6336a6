"""An include that would include nothing is a warning with the page's own line and what to do."""

from __future__ import annotations

import re

from conftest import FIXTURES, build, fixture_project
from html_text import code_blocks
from include_paths import has_section, ranges_include_lines

PAGE = FIXTURES / "include_mistakes" / "docs" / "index.md"
MESSAGES = {
    "a file that is not there": "included file snippets/gone.py does not exist",
    "lines past the end": "included lines 100:200 of snippets/parts.py are not in the file, which has 4 lines",
    "a reversed range": "included lines 4:2 of snippets/parts.py are not in the file",
    "a section that is not there": "included section farewell of snippets/parts.py is not in the file",
    "a file outside the project": "included file ../outside.py is outside the include folders",
    "a file that is not text": "included file snippets/logo.png is not UTF-8 text",
}


def mistake_lines() -> dict[str, int]:
    """Each <!-- mistake: ... --> of the fixture, and the line of the include two lines under it."""
    lines = PAGE.read_text(encoding="utf-8").split("\n")
    return {m["what"]: n + 2 for n, line in enumerate(lines, start=1) if (m := re.match(r"<!-- mistake: (?P<what>.*) -->", line))}


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


def test_the_good_includes_include_what_they_name(tmp_path):
    project = fixture_project("include_mistakes", tmp_path / "project")
    text = PAGE.read_text(encoding="utf-8")
    (project / "docs" / "index.md").write_text(text[: text.index("<!-- mistake")], encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.output
    shown = [code for _, code in code_blocks(result.page())]
    assert shown[2].strip() == 'print("Hello")\nprint("Bye")' and shown[3].strip() == 'print("Hello")'


def test_ranges_as_pymdownx_reads_them():
    assert ranges_include_lines(":1:4", 4) and ranges_include_lines(":2", 4) and ranges_include_lines(":1:2,4:", 4)
    assert not ranges_include_lines(":5", 4) and not ranges_include_lines(":3:1", 4)
    assert not ranges_include_lines(":1:2,9:10", 4)


def test_sections_are_found_by_their_start_marker():
    lines = ["# --8<-- [start:Part]", "x", "# --8<-- [end:part]", "# ;--8<-- [start:escaped]"]
    assert has_section(lines, "part") and not has_section(lines, "escaped") and not has_section(lines, "x")
