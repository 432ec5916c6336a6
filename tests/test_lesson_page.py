"""The lesson page carries every part of the seed lesson, in order, as Material Markdown."""

from __future__ import annotations

import re

import site_checks
from conftest import FIXTURES, ROOT
from html_text import code_blocks, headings, text_of

LESSON = "lessons/latest-progress"
MARKDOWN = ROOT / "docs" / "lessons" / "latest-progress.md"


def lines_of(name: str) -> list[str]:
    return (FIXTURES / name).read_text(encoding="utf-8").splitlines()


def markdown_section(heading: str) -> str:
    """The lesson's Markdown from a "## heading" line up to the next "## " heading."""
    text = MARKDOWN.read_text(encoding="utf-8")
    return re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S).group(1)


def test_every_seed_heading_is_on_the_page_in_order(site):
    on_page = [text for _, text in headings(site.page(LESSON))]
    wanted = lines_of("seed_headings.txt")
    positions = [on_page.index(heading) for heading in wanted if heading in on_page]
    assert [h for h in wanted if h not in on_page] == []
    assert positions == sorted(positions), "the seed's sections are out of order"


def test_lost_headings_are_restored(site):
    on_page = [text for _, text in headings(site.page(LESSON))]
    assert [h for h in lines_of("added_headings.txt") if h not in on_page] == []
    assert headings(site.page(LESSON))[0] == (1, "12.2.6 Latest Progress")


def test_page_shows_each_snippet_it_declares_from_the_file(site):
    declared = {block.snippet for block in site_checks.expected_outputs(MARKDOWN)}
    shown = dict(code_blocks(site.page(LESSON)))
    assert declared and all(snippet in shown for snippet in declared)
    assert site_checks.included_sources_differ(ROOT, site.site) == []  # on every page, as the file says


def test_evidence_card_is_a_definition_list_of_its_fields(site):
    source = re.search(r'<div class="evidence-card" markdown>(.*?)</div>', MARKDOWN.read_text(encoding="utf-8"), re.S)
    fields = re.findall(r"^(\S[^\n]*)\n:   ", source.group(1), flags=re.M)
    card = re.search(r'<div class="evidence-card">(.*?)</div>', site.page(LESSON), flags=re.DOTALL).group(1)
    terms = [text_of(t).strip() for t in re.findall(r"<dt>(.*?)</dt>", card, flags=re.DOTALL)]
    assert fields and terms == fields
    assert len(re.findall(r"<dd>", card)) == len(fields)


def test_solutions_are_collapsed_until_opened(site):
    page = site.page(LESSON)
    summary = re.search(r'^\?\?\? success "([^"]+)"', markdown_section("Exercises"), flags=re.M).group(1)
    solution = re.search(rf"<details([^>]*)>\s*<summary>{re.escape(summary)}</summary>", page)
    assert solution, "no collapsible solution block"
    assert " open" not in solution.group(1)
    questions = re.findall(r"^\d+\. ", markdown_section("Exercises").split("???")[0], flags=re.M)
    exercises = page.split('id="exercises"')[1]
    assert questions and len(re.findall(r"<li>", exercises.split("<details")[0])) == len(questions)


def test_key_sentence_is_set_off(site):
    written = re.search(r'^!!! abstract "[^"]*"\n\n((?:    .*\n|\n)+)', markdown_section("Summary"), flags=re.M)
    sentence = " ".join(written.group(1).split())
    summary = site.page(LESSON).split('id="summary"')[1].split('id="exercises"')[0]
    box = re.search(r'<div class="admonition abstract">(.*?)</div>', summary, flags=re.DOTALL)
    assert box and sentence and sentence in " ".join(text_of(box.group(1)).split())


def test_chrome_of_the_earlier_site_is_not_content(site):
    # Material has a "Skip to content" link of its own; the lesson's article must not.
    article = re.search(r"<article.*?</article>", site.page(LESSON), flags=re.DOTALL).group(0)
    text = text_of(article)
    for chrome in ("Section titled", "Terminal window", "Skip to content"):
        assert chrome not in text


def test_home_page_links_every_lesson_with_its_own_description(site):
    assert site_checks.lesson_markdown(ROOT, site.site)
    assert site_checks.lessons_missing_from_home(ROOT, site.site) == []


def test_home_page_commands_run_snippets_that_exist(site):
    commands = re.findall(r"python (snippets/\S+\.py)", text_of(site.page("")))
    assert commands and [c for c in commands if not (ROOT / c).is_file()] == []


FOOTER_LINK = re.compile(r'<a href="([^"]*)" class="md-footer__link md-footer__link--(prev|next)"')


def test_course_navigation_features(site):
    page = site.page(LESSON)
    links = dict((kind, href) for href, kind in FOOTER_LINK.findall(page))
    assert "prev" in links  # the module home, or the lesson before
    # Next leads to the next lesson, or nowhere from the last one: never out of the lessons' sequence.
    assert "contributing" not in links.get("next", "")
    assert 'data-md-component="search"' in page
    assert '<form class="md-header__option" data-palette>' in page
    assert '"content.code.copy"' in page
    assert (site.site / "search" / "search_index.json").exists()
