"""The chart kit (snippets/chart_kit.py): what it guarantees any lesson's chart, checked on its output."""

from __future__ import annotations

import re

import pytest

import chart_kit
import template_chart
import trend_charts
from conftest import ROOT

CSS = (ROOT / "docs" / "assets" / "stylesheets" / "lesson.css").read_text(encoding="utf-8")


def line_chart(chart_id: str = "kit-test") -> str:
    def draw(figure):
        axes = figure.add_subplot()
        for i in range(3):
            (line,) = axes.plot([0, 1, 2], [i, i + 1, i * 2], label=f"series {i}", **chart_kit.series_style(i))
            chart_kit.mark(f"s{i}", line)
        axes.legend()

    svg = chart_kit.matplotlib_svg(chart_id, draw, 200)
    table = chart_kit.data_table(["x", "y"], [[0, 1]])
    return chart_kit.figure_html(chart_id, svg, "A line chart", "Three lines rising.", "Made-up numbers.", table)


ALL_CHARTS = {
    "kit line chart": line_chart,
    "template chart": template_chart.minutes_chart_html,
    "radar chart": trend_charts.radar_chart_html,
    "score chart": trend_charts.score_chart_html,
}


@pytest.mark.parametrize("make", ALL_CHARTS.values(), ids=ALL_CHARTS.keys())
def test_no_page_wide_style_no_date_no_fixed_colour(make):
    html = make()
    assert "<style" not in html and "<metadata" not in html and "dc:date" not in html
    assert not re.search(r"#0a0b[0-9a-f]{2}", html, flags=re.IGNORECASE)  # every sentinel themed
    assert not re.search(r"#000000|#000\b|:\s*black", html, flags=re.IGNORECASE)
    assert html == make()  # reproducible: same input, same bytes


@pytest.mark.parametrize("make", ALL_CHARTS.values(), ids=ALL_CHARTS.keys())
def test_every_series_colour_is_defined_for_both_palettes(make):
    used = set(re.findall(r"var\((--lesson-chart-series-\d+)\)", make()))
    assert used
    for scheme in ('[data-md-color-scheme="default"]', '[data-md-color-scheme="slate"]'):
        block = CSS.split(scheme + " {", 1)[1].split("}", 1)[0]
        assert all(f"{name}:" in block for name in used), scheme


def test_ids_are_prefixed_so_two_charts_share_a_page():
    page = line_chart("first") + line_chart("second")
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for reference in re.findall(r'(?:href="#|url\(#)([^")]+)', page):
        assert reference in ids  # every internal reference still resolves


def test_text_size_and_width_cap_follow_the_kits_numbers():
    html = line_chart()
    sizes = {float(s) for s in re.findall(r"font-size: ([\d.]+)px", html)}
    assert sizes == {chart_kit.TEXT_UNITS}
    view_width = float(re.search(r'viewBox="0 0 ([\d.]+) ', html).group(1))
    cap = float(re.search(r'max-width: ([\d.]+)px', html).group(1))
    assert chart_kit.TEXT_UNITS * cap / view_width <= chart_kit.MAX_TEXT_PX
    assert chart_kit.TEXT_UNITS * 288 / view_width >= 12  # 288 px: a 320 px phone's content width


def test_a_caption_that_repeats_the_title_is_refused():
    with pytest.raises(chart_kit.ChartError, match="repeats the title"):
        chart_kit.figure_html("c", '<svg viewBox="0 0 10 10"></svg>', "Scores", "d", "Scores.", "<table></table>")


@pytest.mark.parametrize(
    ("values", "value", "anchor"),
    [([6.0, 5.7], 5.7, "start"), ([-6.0, -9.0], -9.0, "end"), ([3.0, -2.0], -2.0, "end"), ([0.0], -0.0, "end")],
)
def test_negative_bars_grow_left_from_zero(values, value, anchor):
    layout = chart_kit.bar_layout(values)
    bar = chart_kit.bar_geometry(value, layout)
    assert bar["anchor"] == anchor
    if value < 0:
        assert bar["x"] + bar["width"] == pytest.approx(layout["zero"])
    else:
        assert bar["x"] == pytest.approx(layout["zero"])
    assert chart_kit.VALUE_ROOM - 0.01 <= min(bar["x"], layout["zero"])
    assert max(bar["x"] + bar["width"], layout["zero"]) <= chart_kit.VIEW_WIDTH - chart_kit.VALUE_ROOM + 0.01
