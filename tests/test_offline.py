"""The built site loads nothing from another host: no fonts, scripts, styles or images."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from html_text import references

SITE_HOST = "127.0.0.1:8000"  # site_url of a local build


def external(url: str) -> bool:
    parts = urlsplit(url.strip())
    if url.strip().startswith("//"):
        return True
    return parts.scheme in {"http", "https"} and parts.netloc != SITE_HOST


def test_no_page_loads_anything_from_another_host(site):
    offenders = []
    for page in site.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        # Links in the lesson's prose may lead elsewhere; nothing else may point away.
        outside_prose = re.sub(r"<article\b.*?</article>", "", html, flags=re.DOTALL)
        for tag, attribute, url in references(html):
            if external(url) and (tag != "a" or url in outside_prose):
                offenders.append(f"{page.relative_to(site.site)}: <{tag} {attribute}={url}>")
    assert offenders == []


def test_no_stylesheet_or_script_fetches_another_host(site):
    offenders = []
    for asset in [*site.site.rglob("*.css"), *site.site.rglob("*.html")]:
        text = asset.read_text(encoding="utf-8")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(r"@import\s+['\"]([^'\"]+)", text):
            if external(url):
                offenders.append(f"{asset.relative_to(site.site)}: {url}")
    assert offenders == []
    assert "fonts.googleapis.com" not in "".join(p.read_text(encoding="utf-8") for p in site.site.rglob("*.html"))
