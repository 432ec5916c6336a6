"""The built site loads nothing from another host: no fonts, scripts, styles or images."""

from __future__ import annotations

import shutil

import site_checks


def test_no_page_loads_anything_from_another_host(site):
    assert site_checks.external_references(site.site) == []


def test_no_stylesheet_or_script_fetches_another_host(site):
    assert site_checks.external_style_urls(site.site) == []
    assert "fonts.googleapis.com" not in "".join(p.read_text(encoding="utf-8") for p in site.site.rglob("*.html"))


def test_a_script_from_another_host_is_reported(site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site.site, copy)
    home = copy / "index.html"
    home.write_text(home.read_text(encoding="utf-8").replace("</head>", '<script src="https://cdn.example/x.js"></script></head>', 1), "utf-8")
    assert site_checks.external_references(copy) == ["index.html: <script src=https://cdn.example/x.js>"]
