"""A code fence that pymdownx.superfences would not read as code is a warning with its page and line.

The verdict is superfences' own (hooks/fence_syntax.py asks it); the first test holds
the hook to what a real build renders, over fence lines written right and wrong.
"""

from __future__ import annotations

import re
from collections import Counter
from html import unescape
from pathlib import Path

import pytest

from conftest import build, build_cases, fixture_project

WARNING = re.compile(r"WARNING - +docs/(?P<page>[\w-]+)\.md:(?P<line>\d+): (?P<message>.*)")
EXTENSIONS = {"markdown_extensions": [
    "admonition", "attr_list", "md_in_html", "pymdownx.details", "pymdownx.superfences",
    {"pymdownx.snippets": {"base_path": ["."], "check_paths": False}},
    "pymdownx.tabbed",  # markdown-exec's source="tabbed-left" needs it (without it, markdown_as_text warns)
]}
# Each case sits between a paragraph and a heading, on a page that ends with another code block.
CASES = [
    '```python\nprint("MARK")\n```',
    '```markdown\n!!! note\n    An EXAMPLE of a fence in a box.\n\n    ```bash\n    echo "MARK"\n    ```\n```',
    '```python title="a.py"\nprint("MARK")\n```',
    "```python title='a.py'\nprint(\"MARK\")\n```",
    '```python exec="on"\nprint("MARK")\n```',
    '~~~python exec="on"\nprint("MARK")\n~~~',
    '```python exec="on" source="tabbed-left"\nprint("MARK")\n```',
    '```python exec="on" foo="bar"\nprint("MARK")\n```',
    '```python exec="off"\nprint("MARK")\n```',
    '```python exec="true" html="1" session="s"\nprint("MARK")\n```',
    '```python linenums="1" hl_lines="1"\nprint("MARK")\n```',
    '```{.python .extra}\nprint("MARK")\n```',
    '```\nprint("MARK")\n```',
    '```python   \nprint("MARK")\n```',
    '```python exec = "on"\nprint("MARK")\n```',
    '```python exec=on\nprint("MARK")\n```',
    '```python exe="on"\nprint("MARK")\n```',
    '```py exec="on"\nprint("MARK")\n```',
    '```pycon exec="on"\n>>> print("MARK")\n```',
    '```python linenums="x"\nprint("MARK")\n```',
    '```python hl_lines="one"\nprint("MARK")\n```',
    '```python\nprint("MARK")',
    '```python\nprint("MARK")\n  ```',
    '````python\nprint("MARK")\n```',
    '- item\n\n    ```python\n    print("MARK")\n    ```',
    '- item\n\n    ```python\n  print("MARK")\n    ```',
    '!!! note\n\n    ```python exe="on"\n    print("MARK")\n    ```',
    '!!! note\n\n    ```python\n    print("MARK")\n    ```',
    '> ```python\n> print("MARK")\n> ```',
    '```python``` written inline\n\nand `print("MARK")` in prose.',
    '```python exec="on" width="wide"\nprint("MARK")\n```',
    '```python exec="on" returncode="one"\nprint("MARK")\n```',
    '```python\nprint("MARK")\n````',
    '```text title="Expected output"\nprint("MARK")',
    '    ```python\n    print("MARK")\n    ```',
    '- item\n\n        ```python\n        print("MARK")\n        ```',
    '!!! note\n\n        ```python\n        print("MARK")\n        ```',
    'An EXAMPLE of a slip, shown as indented code:\n\n    ```python exec = "on"\n    print("MARK")\n    ```',
    'An EXAMPLE shown in a longer fence:\n\n````markdown\n```python\nprint("MARK")\n```\n````',
    '```python\nx = 1\n\nprint("MARK")\n\n```\noutput\n```',
    '~~~python\nprint("MARK")',
    '```python exec="off" html="on"\nprint("MARK")\n```',
    "An EXAMPLE of prose that looks like a fence.\n\n~~~ end of part one ~~~",
    '<!-- EXAMPLE of a note to self, as\n~~~python\n-->',
    '<pre><code>EXAMPLE\n~~~python\nprint("MARK")\n</code></pre>',
    '~~~python title\nprint("MARK")\n~~~',
]


def case_page(case: str) -> str:
    return (
        "---\ntitle: Case\ndescription: One fence.\n---\n\n# Case\n\nBefore.\n\n"
        f"{case}\n\n## After\n\nText after.\n\n```text\nlater\n```\n\nEnd.\n"
    )


def article_text(html: str) -> str:
    article = re.search(r"<article\b.*?</article>", html, re.DOTALL).group(0)
    return unescape(re.sub(r"<[^>]+>", "", article))


def rendered_as_written(case: str, html: str) -> bool:
    """The fence became the code block it was written as: the heading and text after it are still prose,
    no code leaked into prose, no fence line shows (unless the case shows one as an EXAMPLE), and a block
    markdown-exec should run ran (its source is not shown, its output is)."""
    leaked = re.search(r"<p>(?:(?!</p>).)*print\(\"MARK", html, re.DOTALL) and "written inline" not in html
    text = article_text(html)
    fence_shown = any(line.strip().startswith(("```", "~~~")) for line in text.split("\n")) and "EXAMPLE" not in case
    runs = re.match(r'```python exec="(on|true|1)"', case) is not None and "source=" not in case
    did_not_run = runs and ('print("MARK")' in text or "MARK" not in text)
    return '<h2 id="after"' in html and "<p>End.</p>" in html and not leaked and not fence_shown and not did_not_run


@pytest.fixture(scope="module")
def cases_built(tmp_path_factory):
    project = fixture_project("fence_mistakes", tmp_path_factory.mktemp("cases"), EXTENSIONS)
    return build_cases(project, [case_page(case) for case in CASES])


def test_a_fence_is_reported_exactly_when_the_build_does_not_render_it_as_code(cases_built):
    reports = Counter(int(m["page"][4:]) for m in WARNING.finditer(cases_built.output) if m["page"].startswith("case"))
    assert all(count == 1 for count in reports.values()), reports  # one slip, one report: no later block blamed
    warned = set(reports)
    verdicts = {}
    for number, case in enumerate(CASES):
        verdicts[case] = (rendered_as_written(case, cases_built.page(f"case{number}")), number in warned)
    assert any(ok for ok, _ in verdicts.values()) and not all(ok for ok, _ in verdicts.values())  # both kinds tried
    wrong = {case: verdict for case, verdict in verdicts.items() if verdict[0] == verdict[1]}
    assert not wrong, f"(rendered as code, warned) disagree: {wrong}\n{cases_built.output}"


def test_each_report_names_a_fence_line_of_its_page(cases_built):
    for m in WARNING.finditer(cases_built.output):
        line = (Path(cases_built.site).parent / "docs" / f"{m['page']}.md").read_text(encoding="utf-8").split("\n")[int(m["line"]) - 1]
        assert re.match(r"^[ \t>]*(```|~~~)", line), (m.group(0), line)


MESSAGES = {
    "spaces": 'cannot read the options of \'```python exec = "on"\'',
    "unquoted": "cannot read the options of '```python exec=on'",
    "misspelt": '"exe" is not an option: did you mean exec="..."?',
    "language": "markdown-exec runs only the languages listed in mkdocs.yml",
    "value": 'check each value: linenums="1"',
    "unclosed": "has no closing line before line",
    "dedented": "a line inside it (or its closing line) is indented less than this opening line",
    "too-far": "so Markdown shows it as an indented code block, fence lines and all",
    "exec-value": "markdown-exec cannot read the options of '```python exec=\"on\" width=\"wide\"'",
    "longer": "closing line is longer than its opening ```",
}


def mistake_line(path: Path) -> int:
    """The first fence line under the page's <!-- mistake: ... --> comment."""
    lines = path.read_text(encoding="utf-8").split("\n")
    comment = next(n for n, line in enumerate(lines) if line.startswith("<!-- mistake"))
    return next(n + 1 for n in range(comment, len(lines)) if re.match(r"^[ \t]*```", lines[n]))


def test_each_slip_is_named_at_its_line_with_what_to_do(tmp_path):
    project = fixture_project("fence_mistakes", tmp_path / "project", EXTENSIONS)
    result = build(project)
    assert result.returncode == 1
    reported = [(m["page"], int(m["line"]), m["message"]) for m in WARNING.finditer(result.output)]
    expected = {path.stem: mistake_line(path) for path in (project / "docs").glob("*.md") if path.stem in MESSAGES}
    assert sorted((page, line) for page, line, _ in reported) == sorted(expected.items()), result.output
    for page, _, message in reported:
        assert MESSAGES[page] in message, (page, message)


def test_checking_the_fences_runs_no_block(tmp_path):
    project = fixture_project("fence_mistakes", tmp_path / "project", EXTENSIONS)
    build(project, strict=False)
    assert (project / "runs.txt").read_text(encoding="utf-8") == "ran\n"  # markdown-exec's own run, once
