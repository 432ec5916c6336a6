"""The lesson as a reader gets it: focus, targets, the tip's path, links, 404, print, palette, output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from html_text import references
from test_browser import PAGE_BACKGROUND, visit

LESSON = "lessons/latest-progress/"
CONTROLS = ".weights-panel input, .weights-panel button"

# The focus ring as computed: outline width and its contrast against the page behind it.
OUTLINE = """
(el) => {
  %s
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const style = getComputedStyle(el);
  const bg = parse(backgroundOf(el.parentElement));
  const [r, g, b, a] = parse(style.outlineColor);
  const fg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
  const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return {style: style.outlineStyle, width: parseFloat(style.outlineWidth), ratio: (hi + 0.05) / (lo + 0.05)};
}
""" % PAGE_BACKGROUND


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_control_shows_focus_plainly(browser, served_site, scheme):
    with visit(browser, served_site, LESSON, scheme) as visited:
        page = visited.page
        page.locator(".weights-panel").wait_for()
        controls = page.locator(CONTROLS)
        assert controls.count() >= 4
        for index in range(controls.count()):
            control = controls.nth(index)
            control.scroll_into_view_if_needed()
            page.locator(".weights-panel__intro").click()  # nothing focused
            area = control.bounding_box()
            clip = {"x": area["x"] - 8, "y": area["y"] - 8, "width": area["width"] + 16, "height": area["height"] + 16}
            before = page.screenshot(clip=clip)
            control.focus()
            page.evaluate("() => new Promise(requestAnimationFrame)")
            after = page.screenshot(clip=clip)
            ring = control.evaluate(OUTLINE)
            assert before != after, f"control {index}: focus changes nothing on screen"
            assert ring["style"] != "none" and ring["width"] >= 2, ring
            assert ring["ratio"] >= 3, ring


@pytest.mark.parametrize("width", [375, 1440])
def test_controls_are_at_least_24_px_square(browser, served_site, width):
    with visit(browser, served_site, LESSON, viewport={"width": width, "height": 800}) as visited:
        page = visited.page
        page.locator(".weights-panel").wait_for()
        boxes = page.locator(CONTROLS).evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect(); return [e.className, r.width, r.height]; })"
        )
        assert boxes and [b for b in boxes if b[1] < 24 or b[2] < 24] == []


# Where the chart and the first weight control are on screen, against the sticky header's bottom edge.
WHERE_AFTER_THE_TIP = """() => {
  const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
  const chart = document.querySelector('#score-chart svg').getBoundingClientRect();
  const control = document.querySelector('.weights-panel__slider').getBoundingClientRect();
  return {header, chartTop: chart.top, chartBottom: chart.bottom, controlTop: control.top, height: innerHeight};
}"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 360, "height": 640}], ids=["desktop", "phone"])
def test_the_tip_shows_the_chart_and_leads_the_keyboard_to_the_first_weight(browser, served_site, viewport):
    with visit(browser, served_site, LESSON, viewport=viewport) as visited:
        page = visited.page
        page.locator(".weights-panel").wait_for()
        link = page.locator(".weights-tip a").first
        assert link.is_visible()
        link.focus()
        page.keyboard.press("Enter")
        first = page.locator(CONTROLS).first
        assert first.evaluate("e => e === document.activeElement")
        page.wait_for_function("() => { const y = scrollY; return new Promise(r => requestAnimationFrame(() => r(scrollY === y))); }")
        where = page.evaluate(WHERE_AFTER_THE_TIP)
        assert where["header"] <= where["chartTop"] < where["height"] / 2, where  # the chart's top is in sight
        if viewport["width"] >= 1000:  # a desktop window holds the chart and the control under it
            assert where["chartBottom"] <= where["height"] and where["controlTop"] < where["height"], where


def test_without_the_panel_there_is_no_tip(browser, served_site):
    with visit(browser, served_site, LESSON, java_script_enabled=False) as visited:
        assert visited.page.locator(".weights-panel").count() == 0
        assert not visited.page.locator(".weights-tip").is_visible()


def test_next_from_the_last_lesson_stays_with_the_lessons(site):
    pages = sorted(p for p in site.site.rglob("index.html") if p.parent.name not in ("search",))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        following = re.search(r'<a [^>]*class="md-footer__link md-footer__link--next"[^>]*href="([^"]+)"', text)
        if following:
            assert "contributing" not in following.group(1), f"{page}: Next leads to {following.group(1)}"
    home = site.page("")
    assert re.search(r'href="contributing/"', home), "the contributors' guide is not linked from the home page"


def readers_pages(site) -> list[Path]:
    """The pages in the readers' sequence (the built nav), and the 404 page."""
    home = site.page("")
    paths = {""} | {
        href for href in re.findall(r'<a href="([^"#]*)" class="md-nav__link', home) if href not in (".", "")
    }
    return [site.site / path / "index.html" for path in sorted(paths)] + [site.site / "404.html"]


def test_no_reader_facing_link_to_a_local_address(site):
    pages = readers_pages(site)
    assert len(pages) >= 3
    for page in pages:
        for tag, attribute, address in references(page.read_text(encoding="utf-8")):
            if tag != "a":  # what a reader follows; <link rel=canonical> comes from site_url, set at deploy
                continue
            assert not re.match(r"https?://(127\.|localhost|0\.0\.0\.0|\[::1\])", address), (page, tag, address)


def test_the_404_page_leads_home_and_to_search(browser, served_site):
    with visit(browser, served_site, "no/such/page/") as visited:
        page = visited.page
        content = page.locator(".md-content")
        home = content.get_by_role("link", name=re.compile("module home", re.I))
        search = content.get_by_role("link", name=re.compile("search", re.I))
        assert home.count() == 1 and search.count() == 1
        search.click()
        page.wait_for_load_state("networkidle")
        assert page.locator("input.md-search__input").evaluate("e => e === document.activeElement")
        page.goto(served_site + "no/such/page/")
        page.locator(".md-content").get_by_role("link", name=re.compile("module home", re.I)).click()
        page.wait_for_load_state("networkidle")
        assert page.url == served_site


def test_print_has_no_panel_one_text_layer_and_everything_open(browser, served_site):
    with visit(browser, served_site, LESSON) as visited:
        page = visited.page
        page.locator(".weights-panel").wait_for()
        screen_only = [".weights-panel", ".weights-tip", ".md-code__button"]  # a code block's copy button
        shown = {selector: page.locator(selector).evaluate_all("es => es.some(e => e.checkVisibility())")
                 for selector in screen_only}
        assert all(shown.values()), shown  # on screen, each is there to hide
        page.emulate_media(media="print")
        printed = {selector: page.locator(selector).evaluate_all("es => es.some(e => e.checkVisibility())")
                   for selector in screen_only}
        assert not any(printed.values()), printed
        strokes = page.locator(".lesson-chart svg text").evaluate_all("ts => ts.map(t => getComputedStyle(t).stroke)")
        assert strokes and set(strokes) == {"none"}
        assert page.get_by_text("A strong ranking should depend on the product goal").is_visible()
        for table in page.locator(".lesson-chart__data table").all():
            assert table.is_visible()


def test_dark_system_gets_the_dark_palette_without_javascript(browser, served_site):
    with visit(browser, served_site, LESSON, "dark", java_script_enabled=False) as visited:
        page = visited.page
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        text = page.locator(".md-typeset p").first.evaluate("e => getComputedStyle(e).color")
        assert background == "rgb(30, 33, 41)", background  # Material's slate background
        assert text != "rgba(0, 0, 0, 0.87)"
    with visit(browser, served_site, LESSON, "light", java_script_enabled=False) as visited:
        assert visited.page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"


@pytest.mark.parametrize("width", [375, 1440])
def test_output_lines_wrap_and_show_their_score(browser, served_site, snippet_output, width):
    options = {"viewport": {"width": width, "height": 900}, "permissions": ["clipboard-read", "clipboard-write"]}
    with visit(browser, served_site, LESSON, **options) as visited:
        page = visited.page
        block = page.locator(".highlight", has=page.locator(".filename", has_text="Output of python"))
        code = block.locator("code")
        assert code.evaluate("c => c.scrollWidth <= c.clientWidth + 1")
        frame = code.bounding_box()
        for line in snippet_output:
            score = re.search(r"'score': [-\d.]+", line).group(0)
            found = code.get_by_text(score, exact=False).first
            spot = page.evaluate(
                """([code, needle]) => { const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
                  let text = '', nodes = []; while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
                  const at = text.indexOf(needle); const [node, start] = nodes.filter(([n, s]) => s <= at).pop();
                  const range = document.createRange(); range.setStart(node, at - start);
                  range.setEnd(node, Math.min(node.data.length, at - start + needle.length));
                  const r = range.getBoundingClientRect(); return [r.left, r.right]; }""",
                [code.element_handle(), score],
            )
            assert found and frame["x"] - 1 <= spot[0] and spot[1] <= frame["x"] + frame["width"] + 1, (line, spot, frame)
        block.hover()
        block.locator("button[data-md-type=copy]").click()
        assert page.evaluate("navigator.clipboard.readText()").splitlines() == snippet_output


# The contrast of each code block's copy button (its icon is painted in the button's colour) against
# the code block behind it, alpha blended as the browser paints it.
COPY_BUTTON_CONTRAST = "() => {" + PAGE_BACKGROUND + """
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  return [...document.querySelectorAll('.md-code__button')].map((button) => {
    const bg = parse(backgroundOf(button.closest('pre').querySelector('code')));
    const [r, g, b, a] = parse(getComputedStyle(button).color);
    const fg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  });
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_touch_screen_the_copy_button_can_be_seen(browser, served_site, scheme):
    """Material shows a code block's copy button faintly until the pointer is over the block; a touch screen
    has no pointer over anything, so there it is shown as a control (WCAG 1.4.11: 3:1)."""
    phone = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}
    with visit(browser, served_site, LESSON, scheme, **phone) as visited:
        page = visited.page
        assert page.evaluate("matchMedia('(hover: none)').matches")
        page.locator(".md-code__button").first.wait_for()
        page.wait_for_timeout(300)  # Material's colour transition (.25 s)
        ratios = page.evaluate(COPY_BUTTON_CONTRAST)
        assert ratios and min(ratios) >= 3, ratios
