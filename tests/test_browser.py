"""The site as readers get it: real Chromium, light and dark palettes, axe-core, no foreign requests."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest

import axe_playwright_python

AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
PAGES = ["", "lessons/latest-progress/", "contributing/", "no-such-page/"]
LESSON = "lessons/latest-progress/"

# The colour behind a chart: the computed background of its nearest ancestor that has one.
PAGE_BACKGROUND = """
const parse = (c) => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
const backgroundOf = (el) => { for (; el; el = el.parentElement) { const c = getComputedStyle(el).backgroundColor;
  if (parse(c)[3] > 0) return c; } return 'rgb(255, 255, 255)'; };
"""

# WCAG contrast of the charts' text against the page, computed in the page from the
# colours the browser actually uses (alpha blended onto the background).
CHART_TEXT_CONTRAST = """
() => {
  %s
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const results = [];
  for (const text of document.querySelectorAll('.lesson-chart svg text')) {
    const bg = parse(backgroundOf(text.closest('figure')));
    const [r, g, b, a] = parse(getComputedStyle(text).fill);
    const fg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    results.push({text: text.textContent.trim(), fill: getComputedStyle(text).fill, ratio: (hi + 0.05) / (lo + 0.05)});
  }
  return results;
}
""" % PAGE_BACKGROUND

# A chart element's box (getBBox) in the chart's own units (its viewBox): multi-line labels
# sit in a translated group. matplotlib lays text out in DejaVu Sans; the page draws it in
# the reader's font, so the text tests run in both.
CHART_BOX = """
const chartBox = (svg, element) => {
  const toChart = svg.getScreenCTM().inverse().multiply(element.getScreenCTM());
  const box = element.getBBox();
  const [p, q] = [new DOMPoint(box.x, box.y), new DOMPoint(box.x + box.width, box.y + box.height)]
    .map((point) => point.matrixTransform(toChart));
  return {x: Math.min(p.x, q.x), y: Math.min(p.y, q.y), width: Math.abs(q.x - p.x), height: Math.abs(q.y - p.y)};
};
"""

# Every chart text's box against the chart's viewBox.
TEXT_OUTSIDE_CHART = """
(font) => {
  %s
  const outside = [];
  for (const svg of document.querySelectorAll('.lesson-chart svg')) {
    const [x0, y0, width, height] = svg.getAttribute('viewBox').split(/\\s+/).map(Number);
    for (const text of svg.querySelectorAll('text')) {
      if (font) text.style.fontFamily = font;
      const b = chartBox(svg, text);
      if (b.x < x0 || b.y < y0 || b.x + b.width > x0 + width || b.y + b.height > y0 + height) {
        outside.push(`${svg.closest('figure').id}: "${text.textContent.trim()}" spans x ${Math.round(b.x)} to ` +
          `${Math.round(b.x + b.width)}, y ${Math.round(b.y)} to ${Math.round(b.y + b.height)} of ${width} x ${height}`);
      }
    }
  }
  return outside;
}
""" % CHART_BOX

# What the page draws around each chart text: paint order and stroke, beside the page's background.
CHART_TEXT_HALO = """
() => {
  %s
  return [...document.querySelectorAll('.lesson-chart svg text')].map((text) => {
    const style = getComputedStyle(text);
    return {text: text.textContent.trim(), order: style.paintOrder, stroke: style.stroke,
            width: parseFloat(style.strokeWidth), background: backgroundOf(text.closest('figure'))};
  });
}
""" % PAGE_BACKGROUND


class Visit:
    """One page load, recording console errors and every request's URL."""

    def __init__(self, page, base: str) -> None:
        self.page, self.base = page, base
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))

    def foreign_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith((self.base, "data:", "blob:"))]

    def axe_violations(self) -> list[str]:
        self.page.add_script_tag(path=str(AXE_JS))
        violations = self.page.evaluate("async () => (await axe.run(document)).violations")
        return [
            f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in violations
        ]


# The palette toggle (overrides/partials/palette.html) and the scheme it sets on <body>.
PALETTE_TOGGLE = "form[data-palette] label:visible"
SCHEME = "document.body.getAttribute('data-md-color-scheme')"


def scheme_is(page, scheme: str) -> None:
    page.wait_for_function(f"{SCHEME} === '{scheme}'")


@contextmanager
def visit(browser, base: str, path: str, scheme: str = "light", init_script: str | None = None, **options):
    """One page load in a fresh context; ``init_script`` runs in the page before its own scripts."""
    context = browser.new_context(color_scheme=scheme, **options)
    page = context.new_page()
    recorder = Visit(page, base)
    if init_script:
        page.add_init_script(init_script)
    page.goto(base + path, wait_until="networkidle")
    try:
        yield recorder
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_page_is_clean_in_both_palettes(browser, served_site, path, scheme):
    with visit(browser, served_site, path, scheme) as page:
        expected = "slate" if scheme == "dark" else "default"
        assert page.page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        if path == LESSON:  # axe checks the weights panel too
            page.page.locator(".weights-panel").wait_for()  # built once the browser is idle
            assert page.page.locator(".weights-panel").count() == 1
        # Every <details> open: the data tables and solutions are checked too.
        opened = page.page.evaluate("() => [...document.querySelectorAll('details')].map(d => (d.open = true))")
        assert path != LESSON or len(opened) >= 3
        violations = page.axe_violations()
        assert page.errors == [] or path == "no-such-page/" and all("404" in e for e in page.errors)
        assert page.foreign_requests() == []
        assert violations == [], "\n".join(violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_charts_are_visible_with_readable_text(browser, served_site, scheme):
    with visit(browser, served_site, LESSON, scheme) as page:
        for chart in ("#radar-chart svg", "#score-chart svg"):
            box = page.page.locator(chart).bounding_box()
            assert box and box["width"] > 200 and box["height"] > 150
            assert page.page.locator(chart).is_visible()
        contrasts = page.page.evaluate(CHART_TEXT_CONTRAST)
        assert contrasts, "no chart text found"
        assert [c for c in contrasts if c["ratio"] < 4.5] == []


def test_palette_toggle_recolours_chart_text_without_reload(browser, served_site):
    with visit(browser, served_site, LESSON, "light") as page:
        first_text = page.page.locator("#score-chart svg text").first
        before = first_text.evaluate("t => getComputedStyle(t).fill")
        page.page.evaluate("window.__sameDocument = true")
        page.page.locator(PALETTE_TOGGLE).first.click()
        scheme_is(page.page, "slate")
        after = first_text.evaluate("t => getComputedStyle(t).fill")
        assert page.page.evaluate("window.__sameDocument") is True  # no reload happened
        assert before != after


def test_search_finds_the_lesson(browser, served_site):
    with visit(browser, served_site, "") as page:
        page.page.locator("input.md-search__input").click()
        page.page.keyboard.type("controllable")  # Material searches on key events
        result = page.page.locator(".md-search-result__item a").first
        result.wait_for(timeout=10000)
        links = page.page.locator(".md-search-result__item a").evaluate_all("as => as.map(a => a.href)")
        assert any(link.startswith(served_site + LESSON) for link in links)


def test_solutions_are_closed_until_clicked(browser, served_site):
    with visit(browser, served_site, LESSON) as page:
        solution = page.page.locator("details", has=page.page.locator("summary", has_text="Solution approach"))
        assert solution.evaluate("d => d.open") is False
        assert not page.page.get_by_text("A strong ranking should depend on the product goal").is_visible()
        solution.locator("summary").click()
        assert solution.evaluate("d => d.open") is True
        assert page.page.get_by_text("A strong ranking should depend on the product goal").is_visible()


def test_copy_button_copies_the_snippet_source(browser, served_site):
    source = (Path(__file__).parent.parent / "snippets" / "trend_ranking.py").read_text(encoding="utf-8")
    with visit(browser, served_site, LESSON, permissions=["clipboard-read", "clipboard-write"]) as page:
        title = page.page.locator(".filename").get_by_text("snippets/trend_ranking.py", exact=True)
        block = page.page.locator(".highlight", has=title)
        block.hover()
        block.locator("button[data-md-type=copy]").click()
        copied = page.page.evaluate("navigator.clipboard.readText()")
        assert copied.strip() == source.strip()


@pytest.mark.parametrize("path", PAGES)
def test_on_a_phone_only_printed_output_wraps_its_lines(browser, served_site, path):
    """A wrapped line of source would read as a new line; printed output wraps so its end is on screen."""
    with visit(browser, served_site, path, viewport={"width": 375, "height": 812}) as page:
        blocks = page.page.locator(".md-typeset .highlight").evaluate_all(
            """blocks => blocks.map(block => ({
                title: (block.querySelector(".filename") || {textContent: ""}).textContent.trim(),
                language: (block.className.match(/language-(\\S+)/) || ["", ""])[1],
                whiteSpace: getComputedStyle(block.querySelector("pre > code") || block).whiteSpace,
            }))"""
        )
        for block in blocks:
            if block["title"].startswith("Output of python"):
                assert block["whiteSpace"] == "pre-wrap", block
            elif block["language"] != "text":
                assert block["whiteSpace"] != "pre-wrap", block


def test_on_a_phone_a_keyboard_scrolls_each_data_table_to_its_last_column(browser, served_site):
    """The focusable region around a chart's table is its only scroller: scrolled to its end, the table ends."""
    with visit(browser, served_site, LESSON, viewport={"width": 375, "height": 812}) as page:
        page.page.evaluate("() => document.querySelectorAll('details').forEach(d => (d.open = true))")
        regions = page.page.locator(".lesson-chart__table")
        assert regions.count() > 0
        for index in range(regions.count()):
            region = regions.nth(index)
            region.focus()
            for _ in range(60):
                region.press("ArrowRight")
            gap = region.evaluate(
                """region => {
                    const table = region.querySelector("table").getBoundingClientRect();
                    return table.right - region.getBoundingClientRect().right;
                }"""
            )
            assert gap <= 1, f"table {index}: its last {gap:.0f} px stay out of reach"


@pytest.mark.parametrize("path", PAGES)
def test_code_in_admonitions_is_at_least_12_px(browser, served_site, path):
    """Material sets inline code in an admonition at .85em of the admonition's smaller text: under 11 px."""
    with visit(browser, served_site, path, viewport={"width": 360, "height": 640}) as page:
        page.page.evaluate("() => document.querySelectorAll('details').forEach(d => (d.open = true))")
        sizes = page.page.locator("article :is(.admonition, details) :not(pre) > code").evaluate_all(
            "codes => codes.map(c => [c.textContent, parseFloat(getComputedStyle(c).fontSize)])")
        assert [size for size in sizes if size[1] < 12] == []


@pytest.mark.parametrize("path", ["", LESSON])
def test_narrow_screen_has_no_horizontal_page_scroll(browser, served_site, path):
    with visit(browser, served_site, path, viewport={"width": 375, "height": 800}) as page:
        widths = page.page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"page is {widths[0]} px wide in a {widths[1]} px viewport"


@pytest.mark.parametrize("font", [None, "DejaVu Sans"])  # the page's own font; matplotlib's, a wide one
def test_chart_text_stays_inside_its_chart(browser, served_site, font):
    with visit(browser, served_site, LESSON) as page:
        assert page.page.evaluate(TEXT_OUTSIDE_CHART, font) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_text_has_a_halo_of_the_page_background(browser, served_site, scheme):
    # A line or grid circle under a label is masked around its letters, in either palette.
    with visit(browser, served_site, LESSON, scheme) as page:
        halos = page.page.evaluate(CHART_TEXT_HALO)
        assert halos, "no chart text found"
        assert [h for h in halos if not h["order"].startswith("stroke") or h["width"] <= 0] == []
        assert [h for h in halos if h["stroke"] != h["background"]] == []
