"""Parsing expected-output blocks: what counts as one, and malformed ones named by line."""

from __future__ import annotations

import re

import markdown
import pytest

from conftest import build, fixture_project
from markdown_fences import (
    BlockSyntaxError,
    fence_problems,
    fences,
    find_expected_blocks,
    read_expected_blocks,
    rewrite_blocks,
)

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
        ("fence_indented_code", "    " + BLOCK.replace("a.py", "hello.py")),  # Markdown reads it as code
    ],
)
def test_malformed_fence_fails_strict_build_with_file_and_line(tmp_path, fixture, opening):
    project = fixture_project(fixture, tmp_path)
    page = (project / "docs" / "index.md").read_text(encoding="utf-8")
    line = page.split("\n").index(opening) + 1
    result = build(project)
    assert result.returncode == 1
    assert re.search(rf"WARNING - +docs/index\.md:{line}: this .*(fence|closing)", result.output), result.output


# --- A slip in an expected-output fence's options never switches its check off silently. ---

SNIPPET = "snippets/x.py"
CHOICES = "(options: expected-output, timeout)"


@pytest.mark.parametrize(
    ("opening", "message"),
    [
        pytest.param(
            f'```text expected-ouput="{SNIPPET}"',
            f'unknown option "expected-ouput" on this fence: did you mean expected-output? {CHOICES} '
            f'Write expected-output="{SNIPPET}"',
            id="misspelt",
        ),
        pytest.param(f'```text expected_output="{SNIPPET}"', "did you mean expected-output?", id="underscore"),
        pytest.param(f'```text Expected-Output="{SNIPPET}"', "did you mean expected-output?", id="capitals"),
        pytest.param(f'```text expect="{SNIPPET}"', 'unknown option "expect"', id="starts with expect"),
        pytest.param(f'```python exec="on" expected-ouput="{SNIPPET}"', "did you mean expected-output?", id="on any fence"),
        pytest.param(f"```text expected-output={SNIPPET}", f'quote the value: expected-output="{SNIPPET}"', id="unquoted"),
        pytest.param(f"```text expected-ouput={SNIPPET}", f'Write expected-output="{SNIPPET}"', id="misspelt and unquoted"),
        pytest.param(f'```text expected-output="{SNIPPET}', f'close the quote: expected-output="{SNIPPET}"', id="open quote"),
        pytest.param(
            f'```text expected-output = "{SNIPPET}"',
            f'remove the spaces around "=": expected-output="{SNIPPET}"',
            id="spaces around =",
        ),
        pytest.param(f'```text expected-output ="{SNIPPET}"', 'remove the spaces around "="', id="space before ="),
        pytest.param("```text expected-output", 'has no value, so this block would not be checked: write expected-output="', id="no value"),
        pytest.param(
            f'```text expected-output="{SNIPPET}" timout="5"',
            f'unknown option "timout" on this fence: did you mean timeout? {CHOICES} Write timeout="5"',
            id="misspelt timeout",
        ),
        pytest.param(f'```text expected-output="{SNIPPET}" timeout=5', 'quote the value: timeout="5"', id="unquoted timeout"),
        pytest.param(
            f'```text expected-output="{SNIPPET}" title="Out"',
            'unknown option "title" on this expected-output fence, which takes only expected-output, timeout: remove it',
            id="option the block does not take",
        ),
    ],
)
def test_slipped_option_names_its_line_and_the_fix(opening, message):
    text = f"# Title\n\n!!! note\n\n    {opening}\n    out\n    ```\n"
    with pytest.raises(BlockSyntaxError) as error:
        find_expected_blocks(text)
    assert (error.value.line, message in str(error.value)) == (5, True), str(error.value)


def test_single_quoted_values_are_read_like_double_quoted():
    (block,) = find_expected_blocks(f"```text expected-output='{SNIPPET}' timeout='5'\nout\n```\n")
    assert (block.snippet, block.timeout(30), block.expected) == (SNIPPET, 5.0, ["out"])


@pytest.mark.parametrize(
    "opening",
    [
        '```python exec="on" html="on" session="x"',
        '```python title="a.py"',
        '```python exec="on" source="tabbed-left" result="text" timeout="9" id="a" idprefix=""',
        "```text some-option=unquoted",  # not about expected-output: not this check's business
    ],
)
def test_other_fences_options_are_left_alone(opening):
    text = f"{BLOCK}\nout\n```\n\n{opening}\nprint(1)\n```\n"
    assert [block.snippet for block in find_expected_blocks(text)] == ["snippets/a.py"]


def test_a_page_that_almost_names_a_snippet_is_read_strictly():
    text = '```text expected-ouput="snippets/a.py"\nout\n```\n\n```python\nnever closed\n'
    assert [problem.line for problem in read_expected_blocks(text).problems] == [1]
    assert len(fences(text)) == 2


def test_a_slipped_fence_leaves_the_other_blocks_checkable():
    text = f'{BLOCK}\none\n```\n\n```text expected-output=snippets/b.py\ntwo\n```\n\n~~~text expected-output="c.py"\nthree\n~~~\n'
    page = read_expected_blocks(text)
    assert [(block.line, block.expected) for block in page.blocks] == [(1, ["one"]), (9, ["three"])]
    assert [(fence.start, fence.end, problem.line) for fence, problem in page.slipped] == [(4, 6, 5)]
    assert [problem.line for problem in page.problems] == [5]


def test_after_a_worse_problem_no_block_is_checkable():
    text = f'{BLOCK}\none\n```\n\n```text expected-ouput="b.py"\ntwo\n```\n\n```python\nnever closed\n'
    page = read_expected_blocks(text)
    assert (page.blocks, page.slipped, [problem.line for problem in page.problems]) == ([], [], [5])


SHOWN_BLOCK = ['```text expected-output="snippets/greet.py"', "Hello, Ada!", "```"]
# Where an expected-output block may sit: each case is the text above it and the block's indent.
PLACES = {
    "after a paragraph and a blank line": ("Some text.\n\n", 4),
    "right under a paragraph line": ("Some text.\n", 4),
    "right under a heading": ("## Output\n", 4),
    "at the top of the page": ("", 4),
    "in a list item": ("- item\n\n", 4),
    "right under a list item": ("- item\n", 4),
    "after a list item's second paragraph": ("- item\n\n    more text\n\n", 4),
    "in an ordered list": ("1. step\n\n", 4),
    "in a list, 2 spaces": ("- item\n\n", 2),
    "in an admonition": ('!!! note "N"\n\n', 4),
    "in a collapsible block": ('???+ note "N"\n\n', 4),
    "8 spaces in an admonition": ('!!! note "N"\n\n    text\n\n', 8),
    "in a list in an admonition": ('!!! note "N"\n\n    - item\n\n', 8),
    "12 spaces in a list in an admonition": ('!!! note "N"\n\n    - item\n\n', 12),
    "in a content tab": ('=== "A"\n\n', 4),
    "in a footnote": ("Text.[^1]\n\n[^1]: A note.\n\n", 4),
    "in a definition": ("Term\n\n:   Definition.\n\n", 4),
    "after a horizontal rule": ("* * *\n\n", 4),
}


def rendered_as_fence(text: str) -> bool:
    """Whether Markdown, with the site's block extensions, reads the block as a fence (its title shows)."""
    extensions = [
        "admonition", "footnotes", "def_list", "md_in_html", "pymdownx.details", "pymdownx.superfences",
        "pymdownx.highlight", "pymdownx.tabbed",
    ]
    html = markdown.markdown(text.replace('expected-output="snippets/greet.py"', 'title="THE-TITLE"'), extensions=extensions)
    return '<span class="filename">THE-TITLE</span>' in html


@pytest.mark.parametrize("above, indent", PLACES.values(), ids=PLACES.keys())
def test_an_indented_block_is_an_error_exactly_when_markdown_reads_it_as_code(above, indent):
    text = "# Lesson\n\n" + above + "".join(" " * indent + line + "\n" for line in SHOWN_BLOCK)
    problems = fence_problems(text)
    assert bool(problems) == (not rendered_as_fence(text)), problems
    if problems:
        assert problems[0].line == text.count("\n", 0, text.index("```")) + 1
        assert "indented code block" in str(problems[0])
