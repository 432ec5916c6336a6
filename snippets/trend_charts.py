"""This lesson's two charts, drawn at build time with the chart kit (chart_kit.py).

Every number comes from ``trend_ranking.py``: the trends, the weights, the score
function and the ranking are imported, never typed again. Each public function
returns the HTML of one chart; the kit gives it its palette, text size, name,
description and data table, so this file holds only what is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from numbers import Real

import chart_kit
import trend_ranking

SCALE_MIN, SCALE_MAX = 0, 10

Trend = Mapping[str, object]


class TrendDataError(ValueError):
    """Malformed trend data: the message names the trend and the field."""


def criteria(weights: Mapping[str, float] = trend_ranking.WEIGHTS) -> list[str]:
    """The scoring criteria, in the order the score function weighs them."""
    return list(weights)


def criterion_label(field: str) -> str:
    return field.replace("_", " ")


def criterion_reading(field: str) -> str:
    """A criterion's name with which way is better, so a chart reads on its own."""
    better = "higher is better" if _sign(field) > 0 else "higher is worse"
    return f"{criterion_label(field)} ({better})"


def validate_trends(trends: Sequence[Trend], fields: Sequence[str]) -> None:
    """Raise TrendDataError unless every trend has a unique name and 0-10 numbers."""
    if not trends:
        raise TrendDataError("no trends to chart: the list is empty")
    seen: set[str] = set()
    for position, trend in enumerate(trends, start=1):
        name = trend.get("name")
        if not isinstance(name, str) or not name.strip():
            raise TrendDataError(f"trend #{position}: field 'name' is missing or not a non-empty string")
        if name in seen:
            raise TrendDataError(f"trend {name!r}: field 'name' is a duplicate; each trend needs its own name")
        seen.add(name)
        for field in fields:
            if field not in trend:
                raise TrendDataError(f"trend {name!r}: field {field!r} is missing")
            value = trend[field]
            # bool is an int subclass, but True is not a score.
            if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
                raise TrendDataError(f"trend {name!r}: field {field!r} must be a number, got {value!r}")
            if not SCALE_MIN <= value <= SCALE_MAX:
                raise TrendDataError(
                    f"trend {name!r}: field {field!r} is {value}, outside {SCALE_MIN}-{SCALE_MAX}"
                )


RADAR_CAPTION = (
    "Illustrative 0-10 ratings from this lesson's trend-priority example, one outline per trend: "
    "product value and stability, higher is better; engineering cost, higher is worse."
)
SCORE_CAPTION = (
    "The same illustrative ratings weighted into one score (engineering cost is subtracted), "
    "highest first; the weights are the snippet's, and the panel below lets you change them."
)


def radar_chart_html(
    trends: Sequence[Trend] = trend_ranking.trends,
    weights: Mapping[str, float] = trend_ranking.WEIGHTS,
) -> str:
    """Radar chart: one closed outline per trend over the scoring criteria."""
    fields = criteria(weights)
    validate_trends(trends, fields)
    svg = chart_kit.matplotlib_svg("radar-chart", _draw_radar, 330, trends, fields)
    description = f"Ratings on a 0-10 scale over {len(fields)} criteria. " + "; ".join(
        f"{t['name']}: " + ", ".join(f"{criterion_label(f)} {t[f]}" for f in fields) for t in trends
    )
    table = chart_kit.data_table(
        ["Trend", *(criterion_reading(f) for f in fields)],
        [[t["name"], *(t[f] for f in fields)] for t in trends],
    )
    return chart_kit.figure_html(
        "radar-chart", svg, "Trend ratings by criterion", description, RADAR_CAPTION, table
    )


def score_chart_html(
    trends: Sequence[Trend] = trend_ranking.trends,
    weights: Mapping[str, float] = trend_ranking.WEIGHTS,
) -> str:
    """Score chart: trends in rank order, one bar per score, negative scores to the left."""
    fields = criteria(weights)
    validate_trends(trends, fields)
    ranked = trend_ranking.rank(trends, weights)
    series = {t["name"]: i for i, t in enumerate(trends)}  # a trend's colour is the same in both charts
    svg = chart_kit.bar_chart_svg(
        [(t["name"], t["score"], series[t["name"]]) for t in ranked], score_legend(weights)
    )
    description = score_description(ranked)
    table = chart_kit.data_table(
        ["Rank", "Trend", *(_contribution_label(f, weights) for f in fields), "Score"],
        [
            [i, t["name"], *(_format_number(c) for c in contributions(t, weights).values()), t["score"]]
            for i, t in enumerate(ranked, start=1)
        ],
    )
    return chart_kit.figure_html(
        "score-chart", svg, "Trend priority scores", description, SCORE_CAPTION, table,
        data=ranking_data(trends, weights),
    )


def score_description(ranked: Sequence[Trend]) -> str:
    return "Highest score first: " + "; ".join(
        f"{i}. {t['name']}, {t['score']!r}" for i, t in enumerate(ranked, start=1)
    )


def score_legend(weights: Mapping[str, float]) -> list[tuple[str, str]]:
    """The score's formula with its weights, one criterion a line."""
    return [("formula", "score ="), *((f, _contribution_label(f, weights)) for f in weights)]


def contributions(trend: Trend, weights: Mapping[str, float]) -> dict[str, float]:
    """What each criterion adds to (or, for cost, takes from) the score."""
    return {field: _signed_weight(field, weights) * trend[field] for field in weights}


def ranking_data(trends: Sequence[Trend], weights: Mapping[str, float]) -> dict[str, object]:
    """The inputs of the ranking, for scripts on the page (the weights panel)."""
    return {
        "criteria": [
            {"field": f, "label": criterion_label(f), "weight": weights[f], "sign": _sign(f)} for f in weights
        ],
        "trends": [dict(t) for t in trends],
    }


def _sign(field: str) -> int:
    """+1 for a criterion that adds to the score, -1 for one that takes from it."""
    probe = {f: 1.0 if f == field else 0.0 for f in trend_ranking.WEIGHTS}
    unit_weights = {f: 1.0 for f in trend_ranking.WEIGHTS}
    return 1 if trend_ranking.score(probe, unit_weights) > 0 else -1


def _signed_weight(field: str, weights: Mapping[str, float]) -> float:
    return _sign(field) * weights[field]


def _contribution_label(field: str, weights: Mapping[str, float]) -> str:
    sign = "+" if _sign(field) > 0 else "\u2212"
    return f"{sign} {criterion_label(field)} \u00d7 {weights[field]}"


def _format_number(value: float) -> str:
    return f"{value:+.2f}".replace("-", "\u2212")


def _draw_radar(figure, trends: Sequence[Trend], fields: Sequence[str]) -> None:
    axes = figure.add_subplot(projection="polar")
    axes.patch.set_alpha(0)
    angles = [2 * math.pi * i / len(fields) for i in range(len(fields))]
    closed_angles = [*angles, angles[0]]
    for i, trend in enumerate(trends):
        values = [trend[f] for f in fields]
        (line,) = axes.plot(closed_angles, [*values, values[0]], label=trend["name"], **chart_kit.series_style(i))
        chart_kit.mark(f"series-{i + 1}", line)
    axes.set_theta_offset(math.pi / 2)  # first criterion at the top
    axes.set_theta_direction(-1)
    axes.set_rlabel_position(180 / len(fields))  # radius labels between two spokes
    # Names wrapped to a word a line: on a phone a long label would squeeze the plot.
    axes.set_xticks(angles, [criterion_label(f).replace(" ", "\n") for f in fields])
    for label, angle in zip(axes.get_xticklabels(), angles):
        label.set_horizontalalignment(_away_from_centre(angle))
    axes.set_ylim(SCALE_MIN, SCALE_MAX)
    axes.set_yticks([SCALE_MAX / 2, SCALE_MAX])  # two labels: more would touch on a phone
    axes.tick_params(axis="x", pad=6)
    axes.grid(True)
    axes.set_axisbelow(False)  # radius labels over the series, so their halo (lesson.css) keeps them legible
    # The legend's title says which way is better: the chart reads without the page.
    better = [criterion_label(f) for f in fields if _sign(f) < 0]
    title = "Outward is better" + (f",\nexcept {' and '.join(better)}" if better else "")
    figure.legend(loc="outside lower center", ncols=1, handlelength=3, title=title, alignment="left")


def _away_from_centre(angle: float) -> str:
    """Horizontal alignment of a label at this angle (clockwise from the top) that grows outwards."""
    side = math.sin(angle)
    if abs(side) < 0.1:  # at the top or the bottom
        return "center"
    return "left" if side > 0 else "right"
