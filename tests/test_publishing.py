"""What a published course needs: a lesson template that builds, edit links, canonical URLs."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import build, copy_project
from html_text import code_blocks, headings
from course_copy import add_to_nav, lesson_from_template
import site_checks
from conftest import ROOT
from site_checks import built_markdown, expected_outputs, page_path


def test_lesson_from_the_template_builds_with_only_its_title_changed(tmp_path):
    project = copy_project(tmp_path / "project")
    title = "12.2.7 Fresh Lesson"
    lesson = lesson_from_template(project, "fresh-lesson", title)
    assert lesson.read_text(encoding="utf-8").count(title) == 2  # the front matter and the heading: nothing else
    add_to_nav(project, title, lesson)
    result = build(project)
    assert result.returncode == 0, result.output
    page = result.page("lessons/fresh-lesson")
    assert headings(page)[0] == (1, title)
    declared = [block.snippet for block in expected_outputs(project / "docs" / "_template.md")]
    assert declared, "the template shows no expected output"
    assert all(f"Output of python {snippet}" in dict(code_blocks(page)) for snippet in declared)
    assert f">{title}</a>" in result.page("")  # listed on the module home page
    assert not (result.site / "_template").exists()


def test_published_build_has_edit_links_and_canonical_urls(tmp_path):
    project = copy_project(tmp_path / "project")
    result = build(
        project,
        SITE_URL="https://course.example.org/image-generation/",
        REPO_URL="https://github.com/example/image-generation",
        EDIT_URI="edit/main/docs/",
    )
    assert result.returncode == 0, result.output
    sitemap = (result.site / "sitemap.xml").read_text(encoding="utf-8")
    pages = built_markdown(project, result.site)
    assert pages
    for markdown in pages:
        address = page_path(project, markdown)
        page = result.page(address)
        source = markdown.relative_to(project / "docs").as_posix()
        assert f'href="https://github.com/example/image-generation/edit/main/docs/{source}"' in page
        assert f'<link rel="canonical" href="https://course.example.org/image-generation/{address}">' in page
        # The repository link is plain: Material's "source" component would call the forge's API.
        assert 'class="md-source"' in page and 'data-md-component="source"' not in page
        assert f"<loc>https://course.example.org/image-generation/{address}</loc>" in sitemap
        assert re.search(r'<meta name="description" content="[^"]+"', page)


@pytest.mark.parametrize("check", list(site_checks.SITE_WIDE_CHECKS))
def test_site_wide_check_passes_on_the_course(site, check):
    assert site_checks.SITE_WIDE_CHECKS[check](ROOT, site.site) == []


def test_site_wide_checks_catch_a_tampered_build(site, tmp_path):
    tampered = tmp_path / "site"
    shutil.copytree(site.site, tampered)
    lesson = site_checks.lesson_markdown(ROOT, site.site)[0]
    page = tampered / site_checks.page_path(ROOT, lesson) / "index.html"
    block = site_checks.expected_outputs(lesson)[0]
    printed = site_checks.printed_by(ROOT, block.snippet)
    html = page.read_text(encoding="utf-8")
    assert "<desc" in html and printed and printed[-1] in html
    html = re.sub(r"<desc\b.*?</desc>", "", html, count=1, flags=re.DOTALL)  # a chart loses its description
    html = re.sub(r"</text>", "", html, count=1)  # and a text element its end tag
    chart = re.search(r"<svg role=\"img\".*?</svg>", html, flags=re.DOTALL).group(0)
    html = html.replace(chart, chart + chart, 1)  # and a chart is shown twice
    page.write_text(html.replace(printed[-1], "a line nobody printed", 1), encoding="utf-8")
    home = tampered / "index.html"
    name = re.search(r"<title>(.*?)</title>", home.read_text(encoding="utf-8"))[1]
    home.write_text(home.read_text(encoding="utf-8").replace(f"<title>{name}</title>", f"<title>{name} - {name}</title>", 1),
                    encoding="utf-8")  # the home page named twice, as Material names a home whose title is the site's
    summary = " ".join(str(site_checks.front_matter(lesson)["description"]).split()[:3])
    assert summary in home.read_text(encoding="utf-8")
    home.write_text(home.read_text(encoding="utf-8").replace(summary, "Another summary", 1), encoding="utf-8")
    found = {name: check(ROOT, tampered) for name, check in site_checks.SITE_WIDE_CHECKS.items()}
    assert found["expected outputs not shown as printed"]
    charts = found["charts without role, title and description"]
    assert any("has no <title> and <desc>" in problem for problem in charts), charts
    assert any("is not well-formed SVG" in problem for problem in charts), charts
    assert found["lessons missing from the home page"]
    assert found["ids used twice on a page"]
    assert found["pages whose title says a name twice"] == [f"index.html: <title>{name} - {name}</title>"]
