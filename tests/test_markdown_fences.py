"""Parsing expected-output blocks: what counts as one, and malformed ones named by line."""

from __future__ import annotations

import re

import pytest

from conftest import build, fixture_project
from markdown_fences import BlockSyntaxError, fences, find_expected_blocks, rewrite_blocks

PAGE = """# Title

```text expected-output="snippets/a.py"
one
```

````markdown
```text expected-output="snippets/inside_an_example.py"
not a block of this page
```
````

!!! note

    ~~~text expected-output="snippets/b.py" timeout="5"
    two
    ~~~
"""


def test_blocks_are_found_with_their_lines_options_and_indent():
    blocks = find_expected_blocks(PAGE)
    assert [(b.snippet, b.line, b.indent, b.expected) for b in blocks] == [
        ("snippets/a.py", 3, "", ["one"]),
        ("snippets/b.py", 15, "    ", ["two"]),
    ]
    assert blocks[1].timeout(30) == 5.0 and blocks[0].timeout(30) == 30


def test_rewrite_keeps_fences_indent_and_other_bytes():
    blocks = find_expected_blocks(PAGE)
    rewritten = rewrite_blocks(PAGE, [(blocks[1], ["2", "", "3"])], keep_fences=True)
    assert rewritten == PAGE.replace("    two\n", "    2\n\n    3\n")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('x\n\n```text expected-output="a.py"\nnever closed\n', 3, "this ``` fence is never closed"),
        ('```text expected-output=""\n```\n', 1, 'expected-output="" must name a snippet file'),
    ],
)
def test_malformed_blocks_name_their_line(text, line, message):
    with pytest.raises(BlockSyntaxError) as error:
        find_expected_blocks(text)
    assert error.value.line == line and message in str(error.value)


def test_bad_timeout_names_its_line():
    block = find_expected_blocks('\n```text expected-output="a.py" timeout="soon"\n```\n')[0]
    with pytest.raises(BlockSyntaxError) as error:
        block.timeout(30)
    assert error.value.line == 2 and 'timeout="soon" must be a positive number of seconds' in str(error.value)


# --- Strict reading of pages that use expected-output blocks (issue 17). ---

BLOCK = '```text expected-output="snippets/a.py"'


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param(
            f'# T\n\n{BLOCK}\nout\n\n## Heading\n\n```python exec="on"\nchart()\n```\n\nprose\n',
            3,
            "has no closing line before '```python exec=\"on\"' 5 line(s) below",
            id="closing fence missing, runs on into a chart block",
        ),
        pytest.param(
            f"```python\ncode\n\n{BLOCK}\nwrong\n```\n",
            1,
            f"has no closing line before '{BLOCK}' 3 line(s) below",
            id="unclosed fence before the block hides it",
        ),
        pytest.param(
            f"{BLOCK}\nout\n```\n\nProse.\n\n~~~~bash\nls\n",
            7,
            "this ~~~~ fence is never closed",
            id="unclosed fence after the block",
        ),
        pytest.param(
            f"{BLOCK}\nout\n\nProse.\n\n```\nplain\n```\n",
            8,
            "never closed: add a closing ``` line, indented like it, where its content ends (if the fence that opens 7",
            id="runs on to the next bare fence, which then closes it",
        ),
        pytest.param(
            f'!!! note\n\n\t{BLOCK}\n\tout\n\t```\n',
            3,
            "indented with a tab: indent it with spaces",
            id="tab-indented block in an admonition",
        ),
        pytest.param(f"\t{BLOCK}\n\tout\n\t```\n", 1, "indented with a tab", id="tab-indented block at the top"),
        pytest.param(
            f"!!! note\n\n    {BLOCK}\n    out\n\t```\n",
            5,
            "indent this closing fence with the same spaces as its opening line",
            id="tab-indented closing fence",
        ),
        pytest.param(
            f"- item\n\n    {BLOCK}\n    out\n```\n",
            5,
            "this closing ``` is indented 0 columns but the fence it closes, 2 line(s) above, is indented 4",
            id="closing fence less indented than the opening",
        ),
        pytest.param(
            f"!!! note\n\n    {BLOCK}\n    out\nend of the note\n    ```\n",
            5,
            "this line is indented less than the ``` fence 2 line(s) above",
            id="body line leaves the admonition",
        ),
        pytest.param(f"{BLOCK}\r\nout\r\n\r\n```python x\r\n```\r\n", 1, "has no closing line", id="CRLF"),
    ],
)
def test_strictly_read_page_names_the_malformed_fence(text, line, message):
    with pytest.raises(BlockSyntaxError) as error:
        find_expected_blocks(text)
    assert (error.value.line, message in str(error.value)) == (line, True), str(error.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(f"{BLOCK}\nout\n`````\n", [["out"]], id="a longer closing fence closes it"),
        pytest.param('~~~text expected-output="a.py"\n```python x\n```\n~~~\n', [["```python x", "```"]], id="tildes hold backticks"),
        pytest.param(f"````markdown\n{BLOCK}\nnot a block\n```\n````\n", [], id="an example inside a longer fence"),
        pytest.param(f"{BLOCK}\rone\r\rtwo\r```\r", [["one", "", "two"]], id="CR line endings, as MkDocs reads them"),
        pytest.param(f"{BLOCK}\none\x0ctwo\u2028three\n```\n", [["one\x0ctwo\u2028three"]], id="only CR and LF end lines"),
        pytest.param("```python\nunclosed, but no block uses this page\n", [], id="not read strictly without blocks"),
    ],
)
def test_well_formed_blocks_are_read(text, expected):
    assert [block.expected for block in find_expected_blocks(text)] == expected


def test_lenient_fences_still_list_an_unclosed_fence():
    (fence,) = fences("x\n```python\nnever closed\n")
    assert (fence.start, fence.end, fence.body) == (1, None, ["never closed"])


@pytest.mark.parametrize(
    ("fixture", "opening"),
    [
        ("fence_runs_on", BLOCK.replace("a.py", "hello.py")),  # the block whose closing fence is missing
        ("fence_unclosed_before", '```python title="snippets/hello.py"'),  # the fence that hides the block
        ("fence_tab_indented", "\t" + BLOCK.replace("a.py", "hello.py")),
    ],
)
def test_malformed_fence_fails_strict_build_with_file_and_line(tmp_path, fixture, opening):
    project = fixture_project(fixture, tmp_path)
    page = (project / "docs" / "index.md").read_text(encoding="utf-8")
    line = page.split("\n").index(opening) + 1
    result = build(project)
    assert result.returncode == 1
    assert re.search(rf"WARNING - +docs/index\.md:{line}: this .*(fence|closing)", result.output), result.output
