"""Lists read as written: a numbered list shows the numbers its Markdown gives, and lists of two kinds stay two.

Python-Markdown on its own numbers every list from 1 (steps with code between them read 1., 1., 1.) and
merges a numbered list written right after a bulleted one into the bulleted one; the site's `sane_lists`
extension keeps what the author wrote. Built with the site's own markdown_extensions, read in Chromium.
"""

from __future__ import annotations

import pytest

from conftest import build_cases, fixture_project
from test_differential import project_setting

FENCE = "\n\n```python\nx = 1\n```\n\n"
# (Markdown, the list items the reader sees: marker and text, in order)
CASES = [
    ("1. First" + FENCE + "2. Second" + FENCE + "3. Third", ["1. First", "2. Second", "3. Third"]),
    ("4. Fourth\n5. Fifth", ["4. Fourth", "5. Fifth"]),
    ("- Apples\n- Pears\n\n1. Peel\n2. Slice", ["• Apples", "• Pears", "1. Peel", "2. Slice"]),
    ("1. One\n2. Two\n\n- Loose\n- Ends", ["1. One", "2. Two", "• Loose", "• Ends"]),
]
SHOWN = """() => [...document.querySelectorAll('article li')].map((li) => {
    const list = li.parentElement;
    const marker = list.tagName === 'OL' ? `${list.start + [...list.children].indexOf(li)}.` : '•';
    return `${marker} ${li.textContent.trim()}`;
})"""


@pytest.fixture(scope="module")
def lists_built(tmp_path_factory):
    project = fixture_project("chart_raises", tmp_path_factory.mktemp("lists"),
                              {"markdown_extensions": project_setting("markdown_extensions")})
    pages = [f"---\ntitle: Case\ndescription: Lists.\n---\n\n# Case\n\n{markdown}\n" for markdown, _ in CASES]
    return build_cases(project, pages)


def test_every_list_shows_the_numbers_and_kinds_written(browser, lists_built):
    page = browser.new_page()
    page.route("**/*", lambda route: route.abort())
    shown = []
    for number in range(len(CASES)):
        page.set_content(lists_built.page(f"case{number}"))
        shown.append(page.evaluate(SHOWN))
    page.close()
    assert shown == [expected for _, expected in CASES]
