"""Every internal link and anchor in the built site resolves; each page is findable and described."""

from __future__ import annotations

import shutil

import site_checks


def test_internal_links_and_anchors_resolve(site):
    assert site_checks.broken_links(site.site) == []


def test_every_page_has_its_own_description(site):
    assert site_checks.pages_without_description(site.site) == []


def test_sitemap_lists_every_page(site):
    assert site_checks.content_pages(site.site)
    assert site_checks.pages_missing_from_sitemap(site.site) == []


def test_404_page_works_at_any_depth(site):
    not_found = (site.site / "404.html").read_text(encoding="utf-8")
    assert "<h1>404 - Not found</h1>" in not_found
    assert 'href="/assets/stylesheets/' in not_found  # absolute: works at any depth


def test_a_missing_page_or_anchor_is_reported(site, tmp_path):
    broken = tmp_path / "site"
    shutil.copytree(site.site, broken)
    home = broken / "index.html"
    page = home.read_text(encoding="utf-8")
    home.write_text(page.replace("</article>", '<a href="#no-such-id">a</a><a href="gone/">b</a></article>', 1), "utf-8")
    assert site_checks.broken_links(broken) == [
        "index.html: #no-such-id (no id 'no-such-id')",
        "index.html: gone/ (no gone/index.html)",
    ]
