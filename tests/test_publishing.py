"""What a published course needs: a lesson template that builds, edit links, canonical URLs."""

from __future__ import annotations

import re

from conftest import build, copy_project
from html_text import code_blocks, headings


def test_lesson_from_the_template_builds_with_only_its_title_changed(tmp_path):
    project = copy_project(tmp_path / "project")
    template = (project / "docs" / "_template.md").read_text(encoding="utf-8")
    title = "12.2.7 Fresh Lesson"
    lesson = template.replace("12.2.N Lesson title", title)
    assert lesson.count(title) == 2  # the front matter and the page heading: nothing else changed
    (project / "docs" / "lessons" / "fresh-lesson.md").write_text(lesson, encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "  - Contributing: contributing.md", f"  - {title}: lessons/fresh-lesson.md\n  - Contributing: contributing.md"
        ),
        encoding="utf-8",
    )
    result = build(project)
    assert result.returncode == 0, result.output
    page = result.page("lessons/fresh-lesson")
    assert headings(page)[0] == (1, title)
    assert "Output of python snippets/template_example.py" in dict(code_blocks(page))
    assert f">{title}</a>" in result.page("")  # listed on the module home page
    assert not (result.site / "_template").exists()


def test_published_build_has_edit_links_and_canonical_urls(tmp_path):
    result = build(
        copy_project(tmp_path / "project"),
        SITE_URL="https://course.example.org/image-generation/",
        REPO_URL="https://github.com/example/image-generation",
        EDIT_URI="edit/main/docs/",
    )
    assert result.returncode == 0, result.output
    page = result.page("lessons/latest-progress")
    assert 'href="https://github.com/example/image-generation/edit/main/docs/lessons/latest-progress.md"' in page
    assert '<link rel="canonical" href="https://course.example.org/image-generation/lessons/latest-progress/">' in page
    # The repository link is plain: Material's "source" component would call the forge's API.
    assert 'class="md-source"' in page and 'data-md-component="source"' not in page
    sitemap = (result.site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://course.example.org/image-generation/lessons/latest-progress/</loc>" in sitemap
    assert re.search(r'<meta name="description" content="[^"]+"', page)
