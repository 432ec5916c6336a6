"""Pages paint before their scripts run: every script file is deferred, and keeps its order.

Lighthouse counts a script at the end of <body> as render blocking; deferred, it still
runs before DOMContentLoaded, after the page is parsed. The browser tests prove the
deferred scripts still do their work (search, palette, copy buttons, weights panel).
"""

from __future__ import annotations

import yaml

from conftest import ROOT
from html_text import script_files


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
