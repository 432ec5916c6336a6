"""The template's chart: how to draw a lesson's chart with the chart kit.

Copy it with the template, then change the data import and the drawing. The kit
(chart_kit.py) does the rest: palette colours, phone-sized text, the name, the
description and the data table.
"""

from __future__ import annotations

import chart_kit
from template_example import minutes, steps


def minutes_chart_html() -> str:
    """A horizontal bar per step, with the minutes it takes."""
    svg = chart_kit.matplotlib_svg("template-chart", _draw, 150)
    description = "; ".join(f"{step}: {count} minutes" for step, count in zip(steps, minutes))
    table = chart_kit.data_table(["Step", "Minutes"], list(zip(steps, minutes)))
    caption = "Illustrative numbers from the template's example, how long each step takes; replace them with your lesson's."
    return chart_kit.figure_html("template-chart", svg, "Minutes per step", description, caption, table)


def _draw(figure) -> None:
    axes = figure.add_subplot()
    axes.patch.set_alpha(0)
    rows = range(len(steps))
    bars = axes.barh([-row for row in rows], minutes, height=0.6, color=chart_kit.series_colour(0))
    chart_kit.mark("minutes", bars)  # data marks: the browser tests check their contrast
    axes.set_yticks([-row for row in rows], steps)
    axes.set_xlabel("minutes")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
