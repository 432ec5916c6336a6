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

def panel_rows(page) -> list[list[str]]:
    return page.locator(".weights-panel__row").evaluate_all(
        "rows => rows.map(r => [r.querySelector('.weights-panel__name').textContent,"
        " r.querySelector('.weights-panel__score').textContent])"
    )


def expected_rows(weights) -> list[list[str]]:
    return [[name, text] for name, _, text in python_rank(trend_ranking.trends, weights)]


def type_weight(page, field: str, value: str) -> None:
    box = page.locator(f"#score-chart-weights-{field}")
    box.fill(value)
    box.press("Tab")  # commits the value: the "change" event


@pytest.mark.parametrize(
    "weights",
    [
        {"product_value": 0.5, "stability": 0.3, "engineering_cost": 0.2},
        {"product_value": 0.1, "stability": 0.9, "engineering_cost": 0.35},
        {"product_value": 0.0, "stability": 0.0, "engineering_cost": 1.0},
        {"product_value": 0.125, "stability": 0.375, "engineering_cost": 0.625},
    ],
)
def test_typed_weights_rank_as_python_does(browser, served_site, weights):
    with visit(browser, served_site, LESSON) as visited:
        page = visited.page
        for field, value in weights.items():
            type_weight(page, field, str(value))
        assert panel_rows(page) == expected_rows(weights)
        formula = page.locator(".weights-panel__formula").text_content()
        assert [float(n) for n in re.findall(r"× ([\d.]+)", formula)] == list(weights.values())
        assert visited.errors == []


def test_keyboard_moves_a_weight_and_reset_restores_the_lesson(browser, served_site):
    with visit(browser, served_site, LESSON) as visited:
        page = visited.page
        defaults = dict(trend_ranking.WEIGHTS)
        assert panel_rows(page) == expected_rows(defaults)
        slider = page.locator(".weights-panel__slider").nth(1)  # stability
        slider.focus()
        for _ in range(4):
            page.keyboard.press("ArrowRight")
        moved = {**defaults, "stability": float(slider.input_value())}
        assert moved["stability"] == pytest.approx(defaults["stability"] + 0.2)
        assert panel_rows(page) == expected_rows(moved)
        assert page.locator("#score-chart-weights-stability").input_value() == slider.input_value()
        live = page.locator("[aria-live=polite]").text_content()
        assert live.startswith("New order: 1. ")
        page.get_by_role("button", name="Reset to the lesson's weights").click()
        assert panel_rows(page) == expected_rows(defaults)
        assert float(slider.input_value()) == defaults["stability"]


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
        assert "NaN" not in page.locator(".weights-panel").text_content()
        weights = {**trend_ranking.WEIGHTS, "product_value": float(shown)}
        assert panel_rows(page) == expected_rows(weights)


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
        assert panel_rows(page) == expected_rows({**trend_ranking.WEIGHTS, "stability": 0.6})
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
        output = page.locator(".highlight", has=page.locator(".filename", has_text="Output of python"))
        assert output.locator("code").text_content().splitlines() == snippet_output
