"""Under ``mkdocs serve`` a page shows its own build warnings at its top, as the terminal printed them.

The pages are built as ``make serve`` builds them (tests/serve_builds.py: MkDocs' serve calls, dirty);
the box is compared with the log of the same build, so what it must hold is what the hooks really logged.
"""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
import yaml

from conftest import ROOT, build, fixture_project
from test_serve_rebuilds import ServeProcess

EXTENSIONS = {"markdown_extensions": ["admonition", "pymdownx.details", "pymdownx.superfences", "md_in_html"]}
FRONT = "---\ntitle: {title}\ndescription: One page.\n---\n\n# {title}\n\n"
CLEAN = FRONT.format(title="Clean") + "Nothing wrong here.\n"
SLIPS = FRONT.format(title="Slips") + (
    'Before.\n\n?? success "Solution"\n\n    The answer, in plain sight.\n\n'
    '<a href="nowhere.html">a link to nothing</a>\n\n[text][undefined]\n'
)
FIXED = FRONT.format(title="Slips") + '??? success "Solution"\n\n    The answer, folded away.\n'
FIXTURES_CONFIG = ROOT / "tests" / "fixtures" / "mkdocs.fixture.yml"
BOX = re.compile(r'<div class="admonition failure serve-warnings">.*?</div>', re.DOTALL)
LOGGED = re.compile(r"^WARNING +- +(?P<message>.*)$", re.MULTILINE)


@pytest.fixture
def served(tmp_path):
    hooks = yaml.safe_load((FIXTURES_CONFIG).read_text(encoding="utf-8"))["hooks"] + ["serve_rebuilds.py"]
    project = fixture_project("chart_raises", tmp_path / "project", {**EXTENSIONS, "hooks": [str(ROOT / "hooks" / hook) for hook in hooks]})
    (project / "docs" / "index.md").unlink()
    (project / "docs" / "clean.md").write_text(CLEAN, encoding="utf-8")
    (project / "docs" / "slips.md").write_text(SLIPS, encoding="utf-8")
    server = ServeProcess(project, tmp_path / "site", dirty=True)  # as make serve: with serve_rebuilds
    yield project, server
    server.close()


def box_messages(html: str) -> list[str]:
    """The first line of each warning the page's box lists; [] when it has no box."""
    box = BOX.search(html)
    return [unescape(code).split("\n")[0] for code in re.findall(r"<pre><code[^>]*>(.*?)</code></pre>", box[0], re.DOTALL)] if box else []


def page(site, name: str) -> str:
    return (site / name / "index.html").read_text(encoding="utf-8")


def test_a_page_shows_the_warnings_its_build_logged_and_only_its_own(served):
    project, server = served
    built = server.rebuild()
    logged = [message for message in LOGGED.findall(built.output) if message.startswith("docs/slips.md")]
    assert len(logged) >= 3, built.output  # the box shown as text, the HTML link, the undefined reference
    shown = box_messages(page(built.site, "slips"))
    assert shown == logged
    assert box_messages(page(built.site, "clean")) == []
    html = page(built.site, "slips")
    assert html.index("serve-warnings") < html.index('<h1 id="slips">'), "the box is at the top of the content"


def test_search_does_not_find_the_box(served):
    _, server = served
    built = server.rebuild()
    index = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert box_messages(page(built.site, "slips"))
    assert not [doc for doc in index["docs"] if "logged" in doc["text"] or "nowhere.html" in doc["text"]]


def test_the_box_goes_when_the_page_is_fixed(served):
    project, server = served
    assert box_messages(page(server.rebuild().site, "slips"))
    (project / "docs" / "slips.md").write_text(FIXED, encoding="utf-8")
    rebuilt = server.rebuild()
    assert "WARNING" not in rebuilt.output
    assert "serve-warnings" not in page(rebuilt.site, "slips")


def test_a_build_shows_no_box(tmp_path):
    project = fixture_project("chart_raises", tmp_path / "project", EXTENSIONS)
    (project / "docs" / "index.md").write_text(SLIPS, encoding="utf-8")
    built = build(project, strict=False)
    assert "WARNING" in built.output and "serve-warnings" not in (built.site / "index.html").read_text(encoding="utf-8")
