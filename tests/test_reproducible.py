"""Two clean builds of the same sources are byte-identical, SVG charts and sitemap included."""

from __future__ import annotations

import gzip
import re

from conftest import ROOT, build


def files(site) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path):
    first = build(ROOT, site=tmp_path / "first")
    second = build(ROOT, site=tmp_path / "second")
    assert first.returncode == 0 and second.returncode == 0, first.output + second.output
    one, two = files(first.site), files(second.site)
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []


def test_sitemap_dates_come_from_source_date_epoch(tmp_path):
    result = build(ROOT, site=tmp_path / "site", SOURCE_DATE_EPOCH="1700000000")
    assert result.returncode == 0, result.output
    sitemap = (result.site / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {"2023-11-14"}
    assert gzip.decompress((result.site / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap
