"""The weights panel ranks exactly as the snippet does, for any weights, and works in the page."""

from __future__ import annotations

import html
import itertools
import json
import random
import re
import shutil
import subprocess

import pytest

import trend_charts
import trend_ranking
from conftest import ROOT, missing_tool
from test_browser import visit

PANEL_JS = ROOT / "docs" / "assets" / "javascripts" / "weights-panel.js"
LESSON = "lessons/latest-progress/"


def node() -> str:
    found = shutil.which("node")
    if not found:
        missing_tool("Node.js not found: install it (Debian: 'sudo apt-get install nodejs') to test the panel's ranking rule.")
    return found


def run_js(rounding: list[float], cases: list[dict]) -> dict:
    done = subprocess.run(
        [node(), str(ROOT / "tests" / "js" / "rank_cases.js"), str(PANEL_JS)],
        input=json.dumps({"rounding": rounding, "cases": cases}),
        capture_output=True, text=True, check=True,
    )
    return json.loads(done.stdout)


def python_rank(trends, weights) -> list[list]:
    return [[t["name"], t["score"], f"{t['score']:.2f}"] for t in trend_ranking.rank(trends, weights)]


def case(trends, weights) -> dict:
    data = trend_charts.ranking_data(trends, weights)  # exactly what the page is given
    return {"trends": data["trends"], "criteria": data["criteria"], "weights": dict(weights)}


# Trends built so that some weights land exactly half-way between two hundredths
# (multiples of 1/8) and some rank ties after rounding.
TIE_TRENDS = [
    {"name": "a", "product_value": 1, "engineering_cost": 0, "stability": 0},
    {"name": "b", "product_value": 0, "engineering_cost": 0, "stability": 1},
    {"name": "c", "product_value": 3, "engineering_cost": 1, "stability": 0},
    {"name": "d", "product_value": 1, "engineering_cost": 0, "stability": 0},
    {"name": "e", "product_value": 0, "engineering_cost": 1, "stability": 0},
]


def weight_triples() -> list[dict]:
    fields = list(trend_ranking.WEIGHTS)
    grid = [round(i * 0.05, 2) for i in range(21)]  # the sliders' steps
    eighths = [k / 8 for k in range(9)]  # exact binary halves of a hundredth
    rng = random.Random(1226)
    typed = [round(rng.uniform(0, 1), rng.choice([1, 2, 3, 4])) for _ in range(300)]
    triples = list(itertools.product(grid, repeat=3))
    triples += list(itertools.product(eighths, repeat=3))
    triples += [tuple(rng.choice(typed) for _ in fields) for _ in range(2000)]
    return [dict(zip(fields, triple)) for triple in triples]


def test_js_rounding_is_pythons_round_to_two_places():
    rng = random.Random(7)
    values = [k / 8 for k in range(-80, 81)]  # every exact tie in [-10, 10]
    values += [1.005, 2.675, 0.125, 0.375, -0.125, -2.675, 1e-17, -1e-17, 0.0, -0.0, 5.7, 6.0]
    values += [rng.uniform(-10, 10) for _ in range(3000)]
    js = run_js(values, [])
    assert js["rounding"] == [round(x, 2) for x in values]
    assert js["formatted"] == [f"{round(x, 2):.2f}" for x in values]


@pytest.mark.parametrize("trends", [trend_ranking.trends, TIE_TRENDS], ids=["lesson data", "ties and halves"])
def test_js_ranking_matches_python_for_many_weights(trends):
    triples = weight_triples()
    js = run_js([], [case(trends, w) for w in triples])
    mismatches = [
        (weights, expected, got)
        for weights, expected, got in zip(triples, (python_rank(trends, w) for w in triples), js["cases"])
        if expected != got
    ]
    assert mismatches[:3] == []
    assert len(js["cases"]) == len(triples) > 10000


def test_tie_cases_really_occur():
    # Guards the test above: the data must produce ties after rounding and exact halves.
    weights = {"product_value": 0.125, "stability": 0.125, "engineering_cost": 0.375}
    ranked = trend_ranking.rank(TIE_TRENDS, weights)
    scores = [t["score"] for t in ranked]
    assert len(set(scores)) < len(scores)
    assert any(trend_ranking.score(t, weights) * 8 % 2 == 1 for t in TIE_TRENDS)


# --- In the browser ---------------------------------------------------------------

# The score chart as drawn: rows in document order (label, value text, bar x and width,
# zero line x) and the legend's lines.
CHART_STATE = """
() => {
  const svg = document.querySelector('#score-chart svg');
  const rows = [...svg.querySelectorAll('.lesson-bars__row')].map((row) => [
    row.getAttribute('data-label'), row.querySelector('.lesson-bars__value').textContent,
    Number(row.querySelector('rect').getAttribute('x')), Number(row.querySelector('rect').getAttribute('width')),
    Number(row.querySelector('.lesson-bars__zero').getAttribute('x1')), row.getAttribute('transform')]);
  const legend = [...svg.querySelectorAll('.lesson-bars__legend')].map((t) => t.textContent);
  return {rows, legend};
}
"""


def built_state(weights) -> dict:
    """The same state, read from what Python draws for these weights (trend_charts)."""
    svg = trend_charts.score_chart_html(trend_ranking.trends, weights)
    rows = []
    for row in re.findall(r'<g class="lesson-bars__row".*?</g>', svg, flags=re.DOTALL):
        rect = re.search(r'<rect [^>]*x="([^"]+)"[^>]*width="([^"]+)"', row)
        rows.append([
            html.unescape(re.search(r'data-label="([^"]*)"', row).group(1)),
            re.search(r'class="lesson-bars__value"[^>]*>([^<]*)<', row).group(1),
            float(rect.group(1)), float(rect.group(2)),
            float(re.search(r'class="lesson-bars__zero" x1="([^"]+)"', row).group(1)),
            re.search(r'transform="([^"]*)"', row).group(1),
        ])
    legend = [html.unescape(t) for t in re.findall(r'class="lesson-bars__legend"[^>]*>([^<]*)<', svg)]
    return {"rows": rows, "legend": legend}


# The score chart's data table as the page holds it: header cells, then each row's cells.
TABLE_STATE = """
() => [...document.querySelectorAll('#score-chart table tr')].map((tr) => [...tr.children].map((c) => c.textContent))
"""


def built_table(weights) -> list[list[str]]:
    """The same table, read from what Python writes for these weights (trend_charts)."""
    figure = trend_charts.score_chart_html(trend_ranking.trends, weights)
    table = re.search(r"<table.*?</table>", figure, flags=re.DOTALL).group(0)
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, flags=re.DOTALL)]
            for row in re.findall(r"<tr\b.*?</tr>", table, flags=re.DOTALL)]


def same_drawing(got: dict, expected: dict) -> bool:
    if got["legend"] != expected["legend"] or len(got["rows"]) != len(expected["rows"]):
        return False
    for g, e in zip(got["rows"], expected["rows"]):
        if g[:2] != e[:2] or g[5] != e[5] or any(abs(a - b) > 0.011 for a, b in zip(g[2:5], e[2:5])):
            return False
    return True


def type_weight(page, field: str, value: str) -> None:
    box = page.locator(f"#score-chart-weights-{field}")
    box.fill(value)
    box.press("Tab")  # commits the value: the "change" event


def tie_after_rounding() -> dict:
    """Slider weights under which two different lesson trends tie once rounded."""
    grid = [round(i * 0.05, 2) for i in range(1, 21)]
    for triple in itertools.product(grid, repeat=3):
        weights = dict(zip(trend_ranking.WEIGHTS, triple))
        scores = [t["score"] for t in trend_ranking.rank(trend_ranking.trends, weights)]
        raw = {trend_ranking.score(t, weights) for t in trend_ranking.trends}
        if len(set(scores)) < len(scores) and len(raw) == len(scores):
            return weights
    raise AssertionError("no tie after rounding in the sliders' grid")


WEIGHT_CASES = [
    {"product_value": 0.5, "stability": 0.3, "engineering_cost": 0.2},
    {"product_value": 0.1, "stability": 0.9, "engineering_cost": 0.35},
    {"product_value": 0.0, "stability": 0.0, "engineering_cost": 1.0},  # every score negative
    {"product_value": 0.1, "stability": 0.0, "engineering_cost": 0.15},  # some negative, some positive
    {"product_value": 0.0, "stability": 0.0, "engineering_cost": 0.0},  # all zero: a tie at the zero line
    {"product_value": 0.125, "stability": 0.375, "engineering_cost": 0.625},  # exact halves of a hundredth
    tie_after_rounding(),
]


def test_the_cases_cover_negatives_and_ties():
    ranked = [trend_ranking.rank(trend_ranking.trends, w) for w in WEIGHT_CASES]
    assert any(all(t["score"] < 0 for t in r) for r in ranked)
    assert any(len({t["score"] for t in r}) < len(r) for r in ranked)


@pytest.mark.parametrize("weights", WEIGHT_CASES)
def test_weights_redraw_the_score_chart_as_python_draws_it(browser, served_site, weights):
    with visit(browser, served_site, LESSON) as visited:
        page = visited.page
        page.locator(".weights-panel").wait_for()
        assert same_drawing(page.evaluate(CHART_STATE), built_state(trend_ranking.WEIGHTS))
        for field, value in weights.items():
            type_weight(page, field, str(value))
        got = page.evaluate(CHART_STATE)
        assert same_drawing(got, built_state(weights)), (got, built_state(weights))
        assert page.evaluate(TABLE_STATE) == built_table(weights)  # its text alternative says the same
        assert [r[1] for r in got["rows"]] == [repr(t["score"]) for t in trend_ranking.rank(trend_ranking.trends, weights)]
        negative = [r for r in got["rows"] if float(r[1]) < 0]
        assert all(r[2] + r[3] <= r[4] + 0.011 for r in negative)  # negative bars end at the zero line
        assert page.locator(".weights-panel__ranking").count() == 0  # no second chart
        assert page.locator("figure svg").count() == 2
        assert visited.errors == []


def test_reset_restores_the_builds_exact_drawing(browser, served_site):
    with visit(browser, served_site, LESSON) as visited:
        page = visited.page
        page.locator(".weights-panel").wait_for()
        built = page.locator("#score-chart svg").evaluate("s => s.outerHTML")
        type_weight(page, "engineering_cost", "1")
        slider = page.locator(".weights-panel__slider").nth(1)
        slider.focus()
        page.keyboard.press("ArrowRight")
        assert page.locator("#score-chart svg").evaluate("s => s.outerHTML") != built
        assert page.evaluate(TABLE_STATE) != built_table(trend_ranking.WEIGHTS)
        page.get_by_role("button", name="Reset to the lesson's weights").click()
        assert page.locator("#score-chart svg").evaluate("s => s.outerHTML") == built
        assert page.evaluate(TABLE_STATE) == built_table(trend_ranking.WEIGHTS)
        assert float(slider.input_value()) == trend_ranking.WEIGHTS["stability"]


def order_text(weights) -> str:
    return "Order now: " + "; ".join(f"{i}. {t['name']}, {t['score']!r}" for i, t in enumerate(
        trend_ranking.rank(trend_ranking.trends, weights), 1))


def test_on_a_phone_the_order_is_in_sight_of_every_slider(browser, served_site):
    """The chart is a screen above the lower sliders on a phone: the order they change is shown near enough that
    it is in sight while any slider is moved with the slider at the foot of the screen, under the reader's thumb."""
    with visit(browser, served_site, LESSON, viewport={"width": 360, "height": 740}, is_mobile=True,
               has_touch=True) as visited:
        page = visited.page
        page.locator(".weights-panel").wait_for()
        order = page.locator(".weights-panel__order")
        assert order.text_content() == order_text(trend_ranking.WEIGHTS)
        weights = dict(trend_ranking.WEIGHTS)
        for index, field in enumerate(weights):
            slider = page.locator(".weights-panel__slider").nth(index)
            slider.evaluate("(e) => e.scrollIntoView({block: 'end'})")  # at the foot of the screen, as a thumb reaches it
            slider.focus()
            page.keyboard.press("End")  # the weight to its highest
            weights[field] = 1.0
            assert order.text_content() == order_text(weights)
            seen = order.evaluate("""(e) => { const r = e.getBoundingClientRect();
                const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
                return r.top >= header - 0.5 && r.bottom <= innerHeight; }""")  # not under the header either
            assert seen, f"the order is out of sight while the {field} slider is moved"
        page.get_by_role("button", name="Reset to the lesson's weights").click()
        assert order.text_content() == order_text(trend_ranking.WEIGHTS)


COUNT_ANNOUNCEMENTS = """
() => { window.__said = [];
  new MutationObserver(() => window.__said.push(document.querySelector('[aria-live=polite]').textContent))
    .observe(document.querySelector('[aria-live=polite]'), {childList: true, characterData: true, subtree: true}); }
"""


def test_a_drag_is_announced_once_politely(browser, served_site):
    with visit(browser, served_site, LESSON) as visited:
        page = visited.page
        page.locator(".weights-panel").wait_for()
        page.evaluate(COUNT_ANNOUNCEMENTS)
        slider = page.locator(".weights-panel__slider").first
        slider.scroll_into_view_if_needed()
        box = slider.bounding_box()
        y = box["y"] + box["height"] / 2
        page.mouse.move(box["x"] + box["width"] * 0.5, y)
        page.mouse.down()
        for step in range(1, 9):  # many intermediate steps
            page.mouse.move(box["x"] + box["width"] * (0.5 - step * 0.05), y)
        page.mouse.up()
        weights = {**trend_ranking.WEIGHTS, "product_value": float(slider.input_value())}
        assert weights["product_value"] < trend_ranking.WEIGHTS["product_value"]
        said = page.evaluate("window.__said")
        ranked = trend_ranking.rank(trend_ranking.trends, weights)
        assert said == ["New order: " + "; ".join(f"{i}. {t['name']}, {t['score']!r}" for i, t in enumerate(ranked, 1))]
        assert same_drawing(page.evaluate(CHART_STATE), built_state(weights))


@pytest.mark.parametrize(("typed", "shown", "message"), [
    ("5", "1", "Weights run from 0 to 1: 5 was set to 1."),
    ("-2", "0", "Weights run from 0 to 1: -2 was set to 0."),
    ("", "0.5", "Type a number from 0 to 1."),
])
def test_out_of_range_weights_are_clamped_or_refused_visibly(browser, served_site, typed, shown, message):
    with visit(browser, served_site, LESSON) as visited:
        page = visited.page
        type_weight(page, "product_value", typed)
        assert page.locator(".weights-panel__message").text_content() == message
        assert page.locator("#score-chart-weights-product_value").input_value() == shown
        assert "NaN" not in page.locator("#score-chart").text_content()
        weights = {**trend_ranking.WEIGHTS, "product_value": float(shown)}
        assert same_drawing(page.evaluate(CHART_STATE), built_state(weights))


def test_panel_works_under_a_strict_content_security_policy(browser, served_site):
    policy = "script-src 'self'; object-src 'none'; base-uri 'none'"
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
        "[e.violatedDirective, e.blockedURI, e.sourceFile]));"
    )

    def with_policy(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": policy})

    page.route(served_site + LESSON, with_policy)
    try:
        page.goto(served_site + LESSON, wait_until="networkidle")
        page.locator(".weights-panel").wait_for()
        type_weight(page, "stability", "0.6")
        assert same_drawing(page.evaluate(CHART_STATE), built_state({**trend_ranking.WEIGHTS, "stability": 0.6}))
        violations = page.evaluate("window.__violations")
        assert [v for v in violations if "weights-panel" in (v[2] or "") or v[1] == "eval"] == []
    finally:
        context.close()


def test_panel_data_comes_from_the_build(served_site, site):
    page = site.page("lessons/latest-progress")
    payload = re.search(r'<figure [^>]*data-weights-panel="([^"]*)"', page).group(1)
    assert json.loads(html.unescape(payload)) == trend_charts.ranking_data(trend_ranking.trends, trend_ranking.WEIGHTS)
    assert "0.5" not in PANEL_JS.read_text(encoding="utf-8")  # no weight typed into the script


def test_without_javascript_the_static_chart_and_output_remain(browser, served_site, snippet_output):
    with visit(browser, served_site, LESSON, java_script_enabled=False) as visited:
        page = visited.page
        assert page.locator("#score-chart svg").is_visible()
        assert page.locator(".weights-panel").count() == 0
        assert page.locator(".weights-tip").count() == 1 and not page.locator(".weights-tip").is_visible()
        output = page.locator(".highlight", has=page.locator(".filename", has_text="Output of python"))
        assert output.locator("code").text_content().splitlines() == snippet_output
