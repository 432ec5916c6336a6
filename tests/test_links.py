"""Every internal link and anchor in the built site resolves; each page is findable and described."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from html_text import references

SITE_URL = "http://127.0.0.1:8000/"


def page_url(site: Path, page: Path) -> str:
    relative = page.relative_to(site).as_posix()
    return SITE_URL + (relative[: -len("index.html")] if relative.endswith("index.html") else relative)


def target_file(site: Path, url: str) -> Path | None:
    if not url.startswith(SITE_URL):
        return None
    path = site / unquote(urlsplit(url).path[len(urlsplit(SITE_URL).path) :])
    return path / "index.html" if url.split("#")[0].endswith("/") or path.is_dir() else path


def ids(page: Path) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))


def test_internal_links_and_anchors_resolve(site):
    broken = []
    for page in sorted(site.site.rglob("*.html")):
        base = page_url(site.site, page)
        if page.name == "404.html":
            base = SITE_URL  # served at any path; MkDocs writes its links from the site root
        for _, _, url in references(page.read_text(encoding="utf-8")):
            if url.startswith(("mailto:", "javascript:", "data:")):
                continue
            absolute = urljoin(base, url)
            target = target_file(site.site, absolute)
            if target is None:
                continue
            fragment = urlsplit(absolute).fragment
            if not target.exists():
                broken.append(f"{page.relative_to(site.site)}: {url} (no {target.relative_to(site.site)})")
            elif fragment and target.suffix == ".html" and unquote(fragment) not in ids(target):
                broken.append(f"{page.relative_to(site.site)}: {url} (no id {fragment!r})")
    assert broken == []


def test_every_page_has_its_own_description(site):
    for page in site.site.rglob("index.html"):
        if page.parent.name == "search":
            continue
        match = re.search(r'<meta name="description" content="([^"]+)"', page.read_text(encoding="utf-8"))
        assert match, f"{page} has no description"


def test_404_page_and_sitemap(site):
    not_found = (site.site / "404.html").read_text(encoding="utf-8")
    assert "<h1>404 - Not found</h1>" in not_found
    assert 'href="/assets/stylesheets/' in not_found  # absolute: works at any depth
    sitemap = (site.site / "sitemap.xml").read_text(encoding="utf-8")
    for path in ("", "lessons/latest-progress/", "contributing/"):
        assert f"<loc>{SITE_URL}{path}</loc>" in sitemap
