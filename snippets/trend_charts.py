"""Charts for the trend-priority example, drawn with matplotlib at build time.

Every number comes from ``trend_ranking.py``: the trends, the weights, the score
function and the ranking are imported, never typed again. Each public function
returns an HTML fragment: an inline, accessible SVG plus a collapsed table of
the data it shows. The SVG draws its text, axes and grid in ``currentColor`` so
it follows the site's light or dark palette.
"""

from __future__ import annotations

import html
import io
import json
import math
import re
from collections.abc import Mapping, Sequence
from numbers import Real

import trend_ranking

# Okabe-Ito palette: distinguishable with the common forms of colour blindness.
SERIES_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
# Drawn in this sentinel colour, then swapped for currentColor in the SVG text.
INK = "#0a0b0c"
SCALE_MIN, SCALE_MAX = 0, 10

Trend = Mapping[str, object]


class TrendDataError(ValueError):
    """Malformed trend data: the message names the trend and the field."""


def criteria(weights: Mapping[str, float] = trend_ranking.WEIGHTS) -> list[str]:
    """The scoring criteria, in the order the score function weighs them."""
    return list(weights)


def criterion_label(field: str) -> str:
    return field.replace("_", " ")


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


def radar_chart_html(
    trends: Sequence[Trend] = trend_ranking.trends,
    weights: Mapping[str, float] = trend_ranking.WEIGHTS,
) -> str:
    """Radar chart: one closed polygon per trend over the scoring criteria."""
    fields = criteria(weights)
    validate_trends(trends, fields)
    svg = _render_svg(_draw_radar, trends, fields)
    title = "Radar chart of frontier trends in image generation"
    desc = f"Each trend is a polygon over {len(fields)} criteria on a 0-10 scale: " + "; ".join(
        f"{t['name']}: " + ", ".join(f"{criterion_label(f)} {t[f]}" for f in fields) for t in trends
    )
    table = _data_table(
        ["Trend", *(criterion_label(f) for f in fields)],
        [[t["name"], *(t[f] for f in fields)] for t in trends],
    )
    return _figure("radar-chart", svg, title, desc, table)


def score_chart_html(
    trends: Sequence[Trend] = trend_ranking.trends,
    weights: Mapping[str, float] = trend_ranking.WEIGHTS,
) -> str:
    """Score chart: trends in rank order, with what each criterion adds or takes."""
    fields = criteria(weights)
    validate_trends(trends, fields)
    ranked = trend_ranking.rank(trends, weights)
    svg = _render_svg(_draw_scores, ranked, fields, weights, series_colours(trends))
    title = "Image generation trend priority scoring result"
    desc = "Trends in rank order, highest score first: " + "; ".join(
        f"{i}. {t['name']}, score {t['score']}" for i, t in enumerate(ranked, start=1)
    )
    table = _data_table(
        ["Rank", "Trend", *(_contribution_label(f, weights) for f in fields), "Score"],
        [
            [i, t["name"], *(_format_number(c) for c in contributions(t, weights).values()), t["score"]]
            for i, t in enumerate(ranked, start=1)
        ],
    )
    return _figure("score-chart", svg, title, desc, table, data=ranking_data(trends, weights))


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


def _render_svg(draw, *args) -> str:
    """Run a drawing function on a fresh figure and return themed SVG text."""
    import matplotlib  # imported here so pages without charts never load it
    from matplotlib.figure import Figure

    settings = {
        "svg.fonttype": "none",  # real <text>: sharp, selectable, searchable
        "svg.hashsalt": "trend-charts",  # stable ids: reproducible builds
        "font.family": "sans-serif",
        "font.size": 12,
        "text.color": INK,
        "axes.edgecolor": INK,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "grid.color": INK,
        "grid.alpha": 0.25,
        "legend.frameon": False,
    }
    with matplotlib.rc_context(settings):
        figure = Figure(figsize=(7.5, 5.2), layout="constrained")
        figure.patch.set_alpha(0)
        draw(figure, *args)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return _theme_svg(buffer.getvalue())


def _draw_radar(figure, trends: Sequence[Trend], fields: Sequence[str]) -> None:
    axes = figure.add_subplot(projection="polar")
    axes.patch.set_alpha(0)
    angles = [2 * math.pi * i / len(fields) for i in range(len(fields))]
    closed_angles = [*angles, angles[0]]
    colours = series_colours(trends)
    for i, trend in enumerate(trends):
        values = [trend[f] for f in fields]
        colour = colours[trend["name"]]
        (line,) = axes.plot(
            closed_angles,
            [*values, values[0]],
            color=colour,
            linewidth=2,
            marker=MARKERS[i % len(MARKERS)],
            label=trend["name"],
        )
        line.set_gid(f"radar-series-{i + 1}")
        axes.fill(closed_angles, [*values, values[0]], color=colour, alpha=0.08)
    axes.set_theta_offset(math.pi / 2)  # first criterion at the top
    axes.set_theta_direction(-1)
    axes.set_rlabel_position(180 / len(fields))  # radius labels between two spokes
    axes.set_xticks(angles, [criterion_label(f) for f in fields])
    for i, (label, angle) in enumerate(zip(axes.get_xticklabels(), angles)):
        label.set_horizontalalignment(_away_from_centre(angle))  # a long label must not reach into the plot
        label.set_gid(f"radar-criterion-{i + 1}")
    axes.spines["polar"].set_gid("radar-frame")
    axes.set_ylim(SCALE_MIN, SCALE_MAX)
    axes.set_yticks(range(2, SCALE_MAX + 1, 2))
    axes.tick_params(axis="x", pad=12)
    axes.grid(True)
    axes.set_axisbelow(False)  # radius labels over the series, so their halo (lesson.css) keeps them legible
    figure.legend(loc="outside lower center", ncols=2)


def _away_from_centre(angle: float) -> str:
    """Horizontal alignment of a label at this angle (clockwise from the top) that grows outwards."""
    side = math.sin(angle)
    if abs(side) < 0.1:  # at the top or the bottom
        return "center"
    return "left" if side > 0 else "right"


def _draw_scores(
    figure, ranked: Sequence[Trend], fields: Sequence[str], weights: Mapping[str, float], colours: Mapping[str, str]
) -> None:
    axes = figure.add_subplot()
    axes.patch.set_alpha(0)
    rows = range(len(ranked))
    for row, trend in zip(rows, ranked):
        y = -row  # rank 1 at the top
        bar = axes.barh(y + 0.12, trend["score"], height=0.45, color=colours[trend["name"]])[0]
        bar.set_gid(f"score-bar-{row + 1}")
        label = axes.text(trend["score"], y + 0.12, f"  {trend['score']}", va="center", fontweight="bold")
        label.set_gid(f"score-label-{row + 1}")
        _draw_contribution_strip(axes, y - 0.3, contributions(trend, weights), row)
    axes.axvline(0, color=INK, linewidth=1)
    axes.set_yticks([-row for row in rows], [t["name"] for t in ranked])
    # Two lines: centred under the axes, one line would run past the figure's right edge.
    axes.set_xlabel("score (bar) and what each criterion\nadds or takes (strip below)")
    axes.grid(True, axis="x")
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    handles = [_strip_patch(field, weights) for field in fields]
    figure.legend(handles=handles, loc="outside lower center", ncols=len(handles))


# Styles for the thin strip that breaks a score into its parts.
STRIP_STYLES = [
    {"color": INK, "alpha": 0.75},
    {"color": INK, "alpha": 0.4},
    {"facecolor": "none", "edgecolor": INK, "hatch": "////"},
]


def _draw_contribution_strip(axes, y: float, parts: Mapping[str, float], row: int) -> None:
    positive_end, negative_end = 0.0, 0.0
    for i, (field, amount) in enumerate(parts.items()):
        start = positive_end if amount >= 0 else negative_end + amount
        segment = axes.barh(y, abs(amount), left=start, height=0.2, **STRIP_STYLES[i % len(STRIP_STYLES)])[0]
        segment.set_gid(f"contribution-{row + 1}-{field}")
        if amount >= 0:
            positive_end += amount
        else:
            negative_end += amount


def _strip_patch(field: str, weights: Mapping[str, float]):
    from matplotlib.patches import Patch

    style = STRIP_STYLES[list(weights).index(field) % len(STRIP_STYLES)]
    return Patch(label=_contribution_label(field, weights), **style)


def series_colours(trends: Sequence[Trend]) -> dict[str, str]:
    """Each trend's colour by its place in the data, so it is the same in both charts."""
    return {t["name"]: SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, t in enumerate(trends)}


def _theme_svg(svg: str) -> str:
    """Make matplotlib's SVG inline-friendly: themed colours, fluid size, no XML prolog."""
    svg = svg[svg.index("<svg") :]
    svg = svg.replace(INK, "currentColor")
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    svg = re.sub(r'font-family:[^;"]*', 'font-family: inherit', svg)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    # Coordinates to 1/100 of a unit (viewBox units are points): fewer bytes, same picture.
    svg = re.sub(r"(\d\.\d\d)\d+", r"\1", svg)
    return svg


def _figure(
    chart_id: str, svg: str, title: str, desc: str, table: str, data: Mapping[str, object] | None = None
) -> str:
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    # data-search-exclude: the site's search indexes the caption and the data table, not
    # the drawing's tick labels and legend (Material drops the attribute once it has read it).
    accessible = (
        f'<svg role="img" aria-labelledby="{title_id} {desc_id}" class="lesson-chart__svg" data-search-exclude="drawing"'
        + svg[len("<svg") :].split(">", 1)[0]
        + ">"
        + f'<title id="{title_id}">{html.escape(title)}</title>'
        + f'<desc id="{desc_id}">{html.escape(desc)}</desc>'
        + svg.split(">", 1)[1]
    )
    # The ranking's inputs ride on the figure for the weights panel (weights-panel.js).
    # An attribute, so the data stays on the figure it belongs to.
    payload = "" if data is None else f' data-weights-panel="{html.escape(json.dumps(data, sort_keys=True))}"'
    parts = [
        f'<figure class="lesson-chart" id="{chart_id}"{payload}>',
        accessible,
        f"<figcaption>{html.escape(title)}</figcaption>",
        f'<details class="lesson-chart__data"><summary>Chart data</summary>{table}</details>',
    ]
    parts.append("</figure>")
    return "\n".join(parts)


def _data_table(headers: Sequence[object], rows: Sequence[Sequence[object]]) -> str:
    # Cells on lines of their own: the site's search reads the table's text, and cells
    # written edge to edge would come out as one word ("Trendproduct value...").
    head = "\n".join(f'<th scope="col">{html.escape(str(h))}</th>' for h in headers)
    body = "\n".join("<tr>" + "\n".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead>\n<tbody>{body}</tbody></table>"
