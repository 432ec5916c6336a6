"""A link or image that reaches nothing the site publishes is a warning, where MkDocs says nothing.

The verdicts are held to the built site itself (site_checks.broken_links, which follows every
link of every page to a file): a page is warned about, by MkDocs or by hooks/page_links.py,
exactly when it holds a link that reaches nothing, and page_links warns only of what MkDocs
does not.
"""

from __future__ import annotations

import re

import pytest

import site_checks
from conftest import build, build_cases, fixture_project

CASES = [
    '<a href="../case0/">an HTML link to a page</a>',
    '<a href="../case999/">an HTML link to no page</a>',
    '<img src="../img/ok.png" alt="an HTML image that is there">',
    '<img src="../img/missing.png" alt="an HTML image that is not">',
    "[a draft](drafts/_hidden.md), a page excluded from the site",
    "[no page](nowhere.md), which MkDocs reports",
    "![no image](img/none.png), which MkDocs reports",
    '<a href="https://example.org/">another site</a> and <a href="mailto:someone@example.org">mail</a>',
    '<a href="#case">an anchor</a> and <a href="../case0/#case">a page and an anchor</a>',
    '```html\n<a href="../case999/">a link shown as code</a>\n```',
    "[a Markdown link](case0.md) and ![a Markdown image](img/ok.png)",
    '<a href="case0.md">an HTML link to a Markdown file</a>, which MkDocs publishes as written',
    '<a href="../sitemap.xml">the sitemap</a>, which MkDocs writes after the pages',
]
WARNED_BY_THE_HOOK = {1, 3, 4, 11}


def case_page(sample: str) -> str:
    return f"---\ntitle: Case\ndescription: One link.\n---\n\n# Case\n\nBefore.\n\n{sample}\n\nEnd.\n"


@pytest.fixture(scope="module")
def cases_built(tmp_path_factory):
    project = fixture_project("chart_raises", tmp_path_factory.mktemp("links"), {"exclude_docs": "_*.md\n"})
    (project / "docs" / "img").mkdir()
    (project / "docs" / "img" / "ok.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (project / "docs" / "drafts").mkdir()
    (project / "docs" / "drafts" / "_hidden.md").write_text("# A draft\n", encoding="utf-8")
    return build_cases(project, [case_page(case) for case in CASES])


def hook_warnings(output: str) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for number, line in re.findall(r"WARNING - +docs/case(\d+)\.md(:\d+)?: the (?:link|image) ", output):
        found.setdefault(int(number), []).append(line)
    return found


def test_a_page_is_warned_about_exactly_when_a_link_on_it_reaches_nothing(cases_built):
    broken = {int(re.match(r"case(\d+)/", entry)[1]) for entry in site_checks.broken_links(cases_built.site)
              if entry.startswith("case") and not entry.endswith("(no index.html)")}  # the corpus has no home page
    by_mkdocs = {int(n) for n in re.findall(r"WARNING - +(?:docs/case\d+\.md: )?Doc file 'case(\d+)\.md' contains a link", cases_built.output)}
    by_hook = set(hook_warnings(cases_built.output))
    assert broken == by_mkdocs | by_hook, (broken, by_mkdocs, by_hook)  # every dead link reported...
    assert not by_mkdocs & by_hook  # ...once
    assert by_hook == WARNED_BY_THE_HOOK


def test_the_warning_names_the_line_that_writes_the_link(cases_built):
    line = case_page("").split("\n").index("Before.") + 3
    warnings = hook_warnings(cases_built.output)
    assert warnings[1] == [f":{line}"] and warnings[3] == [f":{line}"]
    assert warnings[4] == [f":{line}"]  # written as drafts/_hidden.md, reached as drafts/_hidden/: the line names it
    assert "is written in HTML, which MkDocs publishes as it is" in cases_built.output


def test_a_dead_html_link_fails_the_strict_build(tmp_path):
    project = fixture_project("chart_raises", tmp_path / "project")
    build_cases(project, [case_page(CASES[1])])
    assert build(project).returncode == 1


REFERENCES = [
    ("See [the lesson][latest] for more.", True),
    ("See [the lesson][] for more.", True),
    ("See [the lesson][latest].\n\n[latest]: https://example.org/", False),
    ("An index: a[1][2], and `[a][b]` in code.", False),
    ("```python\nprint(rows[0][1])\n```", False),
    ("Brackets asked for: \\[the lesson\\]\\[latest\\].", False),
]


def test_a_reference_link_with_no_reference_is_named_at_its_line(tmp_path):
    project = fixture_project("chart_raises", tmp_path / "project")
    result = build_cases(project, [case_page(text) for text, _ in REFERENCES])
    line = case_page("").split("\n").index("Before.") + 3
    warned = dict(re.findall(r"WARNING - +docs/case(\d+)\.md:(\d+): the reference link ", result.output))
    assert warned == {str(n): str(line) for n, (_, wrong) in enumerate(REFERENCES) if wrong}, result.output
    for number, (text, wrong) in enumerate(REFERENCES):
        shown = "[the lesson][" in result.page(f"case{number}")
        assert shown == wrong or "asked for" in text  # warned exactly when the page shows brackets not asked for
