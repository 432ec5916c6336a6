"""The evidence card and the exercises as fields to fill, in real Chromium: kept, exported, printed.

Everything iterates over what the built page holds (every term of the card, every
exercise), so the tests hold for any lesson that opts in with class="fill-in".
"""

from __future__ import annotations

import datetime
import re

import pytest

from test_browser import LESSON, visit

CARD_TERMS = ".fill-in dl > dt"
EXERCISES = ".fill-in ol > li"
FIELDS = ".fill-in textarea"
CARD = ".fill-in:has(dl)"


def terms_and_questions(page) -> tuple[list[str], list[str]]:
    """The card's field names and the exercises' questions, as the page shows them."""
    terms = page.locator(CARD_TERMS).evaluate_all("ts => ts.map(t => t.textContent.trim())")
    questions = page.locator(EXERCISES).evaluate_all(
        "items => items.map(li => li.firstElementChild.textContent.replace(/\\s+/g, ' ').trim())"
    )
    return terms, questions


def typed_answers(page) -> dict[str, str]:
    """Type a distinct, multi-line answer into every field; return {field id: text}."""
    answers = {}
    for index, field_id in enumerate(page.locator(FIELDS).evaluate_all("fs => fs.map(f => f.id)")):
        text = f"answer {index} for {field_id}\nsecond line {index * 7}"
        page.locator(f"#{field_id}").fill(text)
        answers[field_id] = text
    return answers


def download_markdown(page, scope: str = CARD) -> tuple[str, str]:
    with page.expect_download() as download:
        page.locator(f"{scope} button:text-is('Download .md')").click()
    path = download.value.path()
    return download.value.suggested_filename, open(path, encoding="utf-8").read()


def test_every_term_and_exercise_becomes_a_labelled_field(browser, served_site):
    with visit(browser, served_site, LESSON) as page:
        terms, questions = terms_and_questions(page.page)
        assert terms and questions
        for term in terms:
            assert page.page.get_by_role("textbox", name=term, exact=True).count() == 1, term
        for number in range(1, len(questions) + 1):
            assert page.page.get_by_role("textbox", name=f"Your answer to question {number}").count() == 1
        assert page.page.locator(FIELDS).count() == len(terms) + len(questions)
        privacy = page.page.locator(f"{CARD} .fill-in__privacy").text_content()
        assert "never sent anywhere" in privacy


def test_the_markdown_export_holds_what_was_typed_and_survives_a_reload(browser, served_site):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    requests: list[str] = []
    try:
        page = context.new_page()
        page.goto(served_site + LESSON, wait_until="networkidle")
        answers = typed_answers(page)
        page.reload(wait_until="networkidle")
        page.on("request", lambda request: requests.append(request.url))
        for field_id, text in answers.items():
            assert page.locator(f"#{field_id}").input_value() == text
        name, document = download_markdown(page)
        title = page.locator(".md-content h1").evaluate("h => h.firstChild.textContent.trim()")
        today = datetime.date.today().isoformat()
        assert document.startswith(f"# {title}: my evidence card and answers\n\nDate: {today}\n")
        assert name.endswith(f"-{today}.md")
        terms, questions = terms_and_questions(page)
        for term in terms:
            assert f"\n### {term}\n" in document
        for number, question in enumerate(questions, start=1):
            assert f"\n### {number}. {question}\n" in document
        for text in answers.values():
            assert f"\n{text}\n" in document
        page.locator(f"{CARD} button:text-is('Copy as Markdown')").click()
        page.wait_for_function(f"document.querySelector('{CARD} [role=status]').textContent.startsWith('Copied')")
        assert page.evaluate("navigator.clipboard.readText()") == document
        # The exercises' own buttons export the same page-wide document.
        assert download_markdown(page, ".fill-in:has(ol)")[1] == document
        assert [url for url in requests if not url.startswith(("blob:", "data:"))] == []  # nothing sent
    finally:
        context.close()


def test_fields_are_kept_per_page(browser, served_site):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(served_site + LESSON, wait_until="networkidle")
        answers = typed_answers(page)
        stored = page.evaluate("JSON.stringify(Object.keys(localStorage))")
        assert f"fill-in:/{LESSON}" in stored
        page.goto(served_site, wait_until="networkidle")  # the module home has no card to fill
        page.goto(served_site + LESSON, wait_until="networkidle")
        assert [page.locator(f"#{f}").input_value() for f in answers] == list(answers.values())
    finally:
        context.close()


def test_the_print_layout_shows_the_answers_without_buttons(browser, served_site):
    with visit(browser, served_site, LESSON) as page:
        answers = typed_answers(page.page)
        page.page.emulate_media(media="print")
        for field_id, text in answers.items():
            assert page.page.locator(f"#{field_id}").is_hidden()
            printed = page.page.locator(f"#{field_id} + .fill-in__printed")
            assert printed.is_visible() and printed.inner_text() == text
        assert page.page.locator(".fill-in button").evaluate_all("bs => bs.filter(b => b.offsetParent).length") == 0


def test_without_javascript_the_card_stays_a_definition_list(browser, served_site):
    with visit(browser, served_site, LESSON, java_script_enabled=False) as page:
        assert page.page.locator(FIELDS).count() == 0
        assert page.page.locator(".fill-in button").count() == 0
        terms = page.page.locator(CARD_TERMS)
        assert terms.count() > 0 and all(re.search(r"\w", t) for t in terms.all_text_contents())
        assert page.page.locator(".evidence-card dd").first.is_visible()


def test_each_hint_reads_as_without_javascript(browser, served_site):
    """A field adds only its text area: the term and its hint read as on the plain page."""
    read = "els => els.map(el => el.innerText.replace(/\\s+/g, ' ').trim())"
    with visit(browser, served_site, LESSON, java_script_enabled=False) as page:
        plain = page.page.locator(".fill-in dl > *").evaluate_all(read)
    with visit(browser, served_site, LESSON) as page:
        filled = page.page.locator(".fill-in dl > *").evaluate_all(read)
    assert plain and filled == plain


def definition_margins(browser, base: str, viewport: dict) -> list[float]:
    """The left margin of every definition of the card, in px, once hands-on.css applies."""
    with visit(browser, base, LESSON, viewport=viewport) as page:
        page.page.wait_for_function("document.querySelector('link[data-hands-on]')?.sheet")
        assert page.page.locator(f"{CARD}.fill-in--active").count() == 1
        return page.page.locator(".evidence-card dd").evaluate_all(
            "ds => ds.map(d => parseFloat(getComputedStyle(d).marginLeft))"
        )


def test_on_a_phone_the_card_gives_its_fields_the_width(browser, served_site):
    phone = definition_margins(browser, served_site, {"width": 375, "height": 667})
    desktop = definition_margins(browser, served_site, {"width": 1280, "height": 800})
    assert phone and len(phone) == len(desktop)
    assert all(narrow < wide for narrow, wide in zip(phone, desktop)), (phone, desktop)


TERM_TO_DEFINITION = """dl => [...dl.querySelectorAll(":scope > dt")].map(dt => {
    const dd = dt.nextElementSibling;
    return {gap: dd.getBoundingClientRect().top - dt.getBoundingClientRect().bottom,
            rowGap: parseFloat(getComputedStyle(dl).rowGap)};
})"""


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 667}, {"width": 1280, "height": 800}])
def test_each_definition_sits_right_under_its_term(browser, served_site, viewport):
    # The card's spacing is the grid's gap alone: no margin of Material's pushes a definition off its term.
    with visit(browser, served_site, LESSON, viewport=viewport) as page:
        page.page.wait_for_function("document.querySelector('link[data-hands-on]')?.sheet")
        pairs = page.page.locator(".evidence-card dl").first.evaluate(TERM_TO_DEFINITION)
    assert pairs and all(pair["gap"] <= pair["rowGap"] + 1 for pair in pairs), pairs
