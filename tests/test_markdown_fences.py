"""Parsing expected-output blocks: what counts as one, and malformed ones named by line."""

from __future__ import annotations

import pytest

from markdown_fences import BlockSyntaxError, find_expected_blocks, rewrite_blocks

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
        ('x\n\n```text expected-output="a.py"\nnever closed\n', 3, "has no closing ```"),
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
