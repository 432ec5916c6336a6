"""Both charts: inline, accessible SVG drawn from the ranking code, themed, and validated."""

from __future__ import annotations

import copy
import html
import json
import re

import pytest

import trend_charts
import trend_ranking
from html_text import element, text_of

LESSON = "lessons/latest-progress"
FIELDS = list(trend_ranking.WEIGHTS)


def chart(site, chart_id: str) -> str:
    return element(site.page(LESSON), "figure", chart_id)


@pytest.mark.parametrize("chart_id", ["radar-chart", "score-chart"])
def test_chart_is_inline_svg_with_title_and_description(site, chart_id):
    figure = chart(site, chart_id)
    svg = re.search(r"<svg\b[^>]*>", figure).group(0)
    assert 'role="img"' in svg
    assert f'aria-labelledby="{chart_id}-title"' in svg and f'aria-describedby="{chart_id}-desc"' in svg
    assert len(re.findall(r"<title\b", figure)) == 1 and len(re.findall(r"<desc\b", figure)) == 1
    assert re.search(rf'<title id="{chart_id}-title">[^<]+</title>', figure)
    assert re.search(rf'<desc id="{chart_id}-desc">[^<]+</desc>', figure)
    assert re.search(r'</desc><g aria-hidden="true">', figure)  # the drawing's text is not read out
    assert "<img" not in figure


def test_radar_has_one_outline_per_trend_in_the_legend(site):
    figure = chart(site, "radar-chart")
    series = re.findall(r'<g id="radar-chart-mark-series-(\d+)-1" class="lesson-chart__mark">', figure)
    assert [int(n) for n in series] == list(range(1, len(trend_ranking.trends) + 1))
    texts = [text_of(t).strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", figure)]
    assert texts[-len(trend_ranking.trends):] == [t["name"] for t in trend_ranking.trends]


def test_score_bars_follow_the_ranking_with_the_printed_scores(site, snippet_output):
    ranked = trend_ranking.rank(trend_ranking.trends)
    figure = chart(site, "score-chart")
    labels = [html.unescape(n) for n in re.findall(r'<g class="lesson-bars__row" data-label="([^"]*)"', figure)]
    values = re.findall(r'class="lesson-bars__value"[^>]*>([^<]*)<', figure)
    assert labels == [t["name"] for t in ranked]
    # The same numbers the snippet prints, in the same order.
    printed = [re.search(r"'score': ([-\d.]+)", line).group(1) for line in snippet_output]
    assert values == printed
    widths = [float(w) for w in re.findall(r'<rect class="lesson-chart__mark" x="[^"]+" y="[^"]+" width="([^"]+)"', figure)]
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1] > 0


def test_chart_data_tables_hold_the_data(site):
    ranked = trend_ranking.rank(trend_ranking.trends)
    rows = re.findall(
        r"<tr><td>(.*?)</td>\s*<td>(.*?)</td>.*?<td>([^<]*)</td></tr>", chart(site, "score-chart"), flags=re.DOTALL
    )
    assert [(int(rank), text_of(name), float(score)) for rank, name, score in rows] == [
        (i, t["name"], t["score"]) for i, t in enumerate(ranked, start=1)
    ]
    radar_rows = re.findall(r"<tr><td>(.*?)</td>", chart(site, "radar-chart"))
    assert [text_of(name) for name in radar_rows] == [t["name"] for t in trend_ranking.trends]
    assert "<details" in chart(site, "radar-chart") and " open" not in chart(site, "radar-chart").split("<summary")[0]


@pytest.mark.parametrize("chart_id", ["radar-chart", "score-chart"])
def test_search_indexes_the_chart_caption_not_its_drawing(site, chart_id):
    figure = chart(site, chart_id)
    index = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    lesson = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith(f"{LESSON}/"))
    description = text_of(re.search(r"<desc[^>]*>(.*?)</desc>", figure, flags=re.DOTALL).group(1))
    caption = text_of(re.search(r"<figcaption>(.*?)</figcaption>", figure, flags=re.DOTALL).group(1))
    assert description not in lesson  # it is inside the drawing only, with the tick labels
    assert caption in lesson
    cells = [text_of(cell) for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", figure, flags=re.DOTALL)]
    assert " ".join(cells) in " ".join(lesson.split())  # the data table's cells, each a word of its own
    assert "data-search-" not in figure  # read by the search plugin, then dropped from the page


@pytest.mark.parametrize("chart_id", ["radar-chart", "score-chart"])
def test_chart_text_and_axes_follow_the_theme(site, chart_id):
    svg = chart(site, chart_id)
    texts = re.findall(r"<text [^>]*>", svg)
    themed = 'fill="currentColor"' in re.search(r"<svg\b[^>]*>", svg).group(0)
    assert texts and all("fill: currentColor" in t or themed and "fill" not in t for t in texts)
    assert not re.search(r"#000000|#000\b|:\s*black", svg, flags=re.IGNORECASE)
    assert "DejaVu" not in svg  # the page's font: inherited, or said so
    assert "font-family" not in svg.replace("font-family: inherit", "")


def test_charts_render_without_matplotlib_fonts_or_dates():
    svg = trend_charts.radar_chart_html()
    assert "<dc:date>" not in svg and "@font-face" not in svg
    assert svg == trend_charts.radar_chart_html()  # same input, same bytes


def broken(mutate) -> list[dict]:
    trends = copy.deepcopy(trend_ranking.trends)
    mutate(trends)
    return trends


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t[1].pop("stability"), "trend 'stronger controllable editing': field 'stability' is missing"),
        (lambda t: t[0].update(product_value="9"), "trend 'faster sampling': field 'product_value' must be a number"),
        (lambda t: t[2].update(engineering_cost=11), "trend 'unified multimodal input': field 'engineering_cost' is 11, outside 0-10"),
        (lambda t: t[3].update(stability=-1), "trend 'from single images to video and 3D': field 'stability' is -1, outside 0-10"),
        (lambda t: t[3].update(name="faster sampling"), "trend 'faster sampling': field 'name' is a duplicate"),
        (lambda t: t[0].update(stability=True), "trend 'faster sampling': field 'stability' must be a number"),
        (lambda t: t[0].pop("name"), "trend #1: field 'name' is missing"),
    ],
)
@pytest.mark.parametrize("draw", [trend_charts.radar_chart_html, trend_charts.score_chart_html])
def test_malformed_trend_data_is_rejected_naming_trend_and_field(draw, mutate, message):
    with pytest.raises(trend_charts.TrendDataError) as error:
        draw(broken(mutate))
    assert message in str(error.value)


@pytest.mark.parametrize("chart_id", ["radar-chart", "score-chart"])
def test_the_caption_comes_first_and_says_what_the_numbers_are(site, chart_id):
    figure = chart(site, chart_id)
    assert figure.index("<figcaption>") < figure.index("<svg")
    caption = text_of(re.search(r"<figcaption>(.*?)</figcaption>", figure, flags=re.DOTALL).group(1))
    assert "illustrative" in caption.lower()
    costs = [f for f in FIELDS if trend_charts._sign(f) < 0]  # the criteria where higher is worse
    assert costs and all(trend_charts.criterion_label(f) in caption for f in costs)
