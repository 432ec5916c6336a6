"""The lesson page carries every part of the seed lesson, in order, as Material Markdown."""

from __future__ import annotations

import re

from conftest import FIXTURES, ROOT
from html_text import code_blocks, headings, text_of

LESSON = "lessons/latest-progress"


def lines_of(name: str) -> list[str]:
    return (FIXTURES / name).read_text(encoding="utf-8").splitlines()


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


def test_page_shows_the_snippet_source_from_the_file(site):
    source = (ROOT / "snippets" / "trend_ranking.py").read_text(encoding="utf-8")
    shown = {title: code for title, code in code_blocks(site.page(LESSON))}
    assert shown["snippets/trend_ranking.py"].strip() == source.strip()


def test_evidence_card_is_a_definition_list_of_five_fields(site):
    page = site.page(LESSON)
    card = re.search(r'<div class="evidence-card">(.*?)</div>', page, flags=re.DOTALL).group(1)
    terms = [text_of(t).strip() for t in re.findall(r"<dt>(.*?)</dt>", card, flags=re.DOTALL)]
    assert terms == ["Prompt Record", "Candidate Outputs", "Technical Note", "Failure Check", "Expected Output"]
    assert len(re.findall(r"<dd>", card)) == 5


def test_solutions_are_collapsed_until_opened(site):
    page = site.page(LESSON)
    solution = re.search(r"<details([^>]*)>\s*<summary>Solution approach and explanation</summary>", page)
    assert solution, "no collapsible solution block"
    assert " open" not in solution.group(1)
    exercises = page.split('id="exercises"')[1]
    assert len(re.findall(r"<li>", exercises.split("<details")[0])) == 4


def test_key_sentence_is_set_off(site):
    summary = site.page(LESSON).split('id="summary"')[1].split('id="exercises"')[0]
    box = re.search(r'<div class="admonition abstract">(.*?)</div>', summary, flags=re.DOTALL)
    assert box and "The stable evolution directions of image generation" in text_of(box.group(1))


def test_chrome_of_the_earlier_site_is_not_content(site):
    # Material has a "Skip to content" link of its own; the lesson's article must not.
    article = re.search(r"<article.*?</article>", site.page(LESSON), flags=re.DOTALL).group(0)
    text = text_of(article)
    for chrome in ("Section titled", "Terminal window", "Skip to content"):
        assert chrome not in text


def test_home_page_links_the_lesson_with_its_own_description(site):
    home = site.page("")
    lesson_meta = re.search(r'<meta name="description" content="([^"]*)"', site.page(LESSON)).group(1)
    link = re.search(r'<a href="(lessons/latest-progress/)">(.*?)</a>\s*</strong>:?\s*(.*?)</li>', home, re.DOTALL)
    assert link, "the home page does not link the lesson"
    assert text_of(link.group(2)) == "12.2.6 Latest Progress"
    assert " ".join(text_of(link.group(3)).split()) == " ".join(text_of(lesson_meta).split())
    assert "python snippets/trend_ranking.py" in text_of(home)


def test_course_navigation_features(site):
    page = site.page(LESSON)
    assert 'class="md-footer__link md-footer__link--prev"' in page
    assert 'class="md-footer__link md-footer__link--next"' in page
    assert 'data-md-component="search"' in page
    assert '<form class="md-header__option" data-palette>' in page
    assert '"content.code.copy"' in page
    assert (site.site / "search" / "search_index.json").exists()
