"""Pages paint before their scripts run, and their scripts do not restyle the whole page.

Lighthouse counts a script at the end of <body> as render blocking; deferred, it still
runs before DOMContentLoaded, after the page is parsed. The browser tests prove the
deferred scripts still do their work (search, palette, copy buttons, weights panel).

Changing a stylesheet <link>'s address once the page is there makes Chromium apply the
sheet again and restyle every element. Material's instant navigation rewrote every link
as each page loaded: the largest part of the lesson's blocking time (benchmarks/README.md, "Quality (Lighthouse)").
"""

from __future__ import annotations

import pytest
import yaml

from conftest import ROOT
from html_text import script_files
from test_browser import LESSON, visit

# Every change to a link's or a resource's address, from the first script on.
ADDRESS_CHANGES = """
window.__addressChanges = [];
new MutationObserver((records) => {
  for (const r of records) {
    const now = r.target.getAttribute(r.attributeName);
    window.__addressChanges.push(`<${r.target.localName}> ${r.attributeName}: ${r.oldValue} -> ${now}`);
  }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ["href", "src"]});
"""


def extra_javascript() -> list[str]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    return [entry if isinstance(entry, str) else entry["path"] for entry in config["extra_javascript"]]


def test_no_page_waits_for_a_script_file(site):
    pages = sorted(site.site.rglob("*.html"))
    assert pages
    for page in pages:
        scripts = script_files(page.read_text(encoding="utf-8"))
        assert scripts, f"{page}: no scripts found"
        assert [src for src, deferred in scripts if not deferred] == [], f"{page} has render-blocking scripts"
        assert len({src for src, _ in scripts}) == len(scripts), f"{page} loads a script twice"


def test_materials_bundle_runs_first_then_ours_in_config_order(site):
    sources = [src for src, _ in script_files(site.page("lessons/latest-progress"))]
    assert "/javascripts/bundle." in sources[0]
    ours = [src.removeprefix("../../") for src in sources[1:]]
    assert ours == extra_javascript()


@pytest.mark.parametrize("path", ["", LESSON])
def test_loading_a_page_leaves_its_addresses_alone(browser, served_site, path):
    with visit(browser, served_site, path, init_script=ADDRESS_CHANGES) as visited:
        if path == LESSON:
            visited.page.locator(".weights-panel").wait_for()  # the last script to run, when idle
        assert visited.page.evaluate("window.__addressChanges") == []
