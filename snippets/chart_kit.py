"""Chart kit: what every lesson's chart needs, so a lesson only writes its own drawing.

A chart is a <figure> holding an inline SVG drawn at build time, a caption and the data
as a table behind a "Chart data" toggle. The kit gives each chart:

- colours from the page's palette, in both schemes: draw with ``INK`` (text, axes) and
  ``series_colour(i)``; the SVG then says ``currentColor`` and ``var(--lesson-chart-series-N)``,
  defined in docs/assets/stylesheets/lesson.css with at least 3:1 against either background;
- text sized for phones: 12-unit text in a ``VIEW_WIDTH``-unit drawing is at least 12 CSS px
  on a 320 px screen, and the SVG's max-width keeps it under ``MAX_TEXT_PX`` on a wide one;
- marks told apart by more than colour (``series_style(i)``: marker and line pattern);
- one short name (the title) and one description; the drawing's own text is hidden from
  screen readers, whose full alternative is the data table;
- reproducible output: ids derived from the chart's id, no date, no page-wide <style>.

Use it from a markdown-exec block (```python exec="on" html="on"```)::

    import chart_kit
    def draw(figure):
        axes = figure.add_subplot()
        axes.plot(xs, ys, **chart_kit.series_style(0))
    svg = chart_kit.matplotlib_svg("my-chart", draw, height=220)
    print(chart_kit.figure_html("my-chart", svg, title=..., description=..., caption=...,
                                table=chart_kit.data_table(headers, rows)))
"""

from __future__ import annotations

import html
import io
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence

# Text is TEXT_UNITS in a VIEW_WIDTH-unit drawing. Drawn 288 CSS px wide (a 320 px phone
# less Material's margins) that is 12.3 px; the SVG's max-width caps it at MAX_TEXT_PX.
TEXT_UNITS = 12
VIEW_WIDTH = 280
MAX_TEXT_PX = 20

# Sentinel colours drawn by matplotlib, swapped for the page's palette afterwards.
INK = "#0a0b0c"
_SERIES_SENTINELS = [f"#0a0b{n:02x}" for n in range(1, 8)]
SERIES_COUNT = len(_SERIES_SENTINELS)
MARKERS = ["o", "s", "^", "D", "v", "P", "X"]
LINE_PATTERNS = ["-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 2)), (0, (8, 2))]


class ChartError(ValueError):
    """A chart the kit cannot draw well: the message says what to change."""


def series_colour(index: int) -> str:
    """The colour of series number ``index`` (0-based), themed by the page."""
    return _SERIES_SENTINELS[index % SERIES_COUNT]


def series_css(index: int) -> str:
    """The same colour as a CSS value, for SVG written by hand."""
    return f"var(--lesson-chart-series-{index % SERIES_COUNT + 1})"


def series_style(index: int) -> dict[str, object]:
    """Colour, marker and line pattern of a series: told apart without colour too."""
    return {
        "color": series_colour(index),
        "marker": MARKERS[index % len(MARKERS)],
        "linestyle": LINE_PATTERNS[index % len(LINE_PATTERNS)],
        "linewidth": 2,
        "markersize": 6,
    }


def mark(name: str, *artists: object) -> None:
    """Mark matplotlib artists (lines, bars, containers) as data marks named ``name``.

    Marked elements get the class ``lesson-chart__mark``: the browser tests check each
    against the page background (at least 3:1).
    """
    flat = [part for artist in artists for part in (artist if hasattr(artist, "__iter__") else [artist])]
    for number, artist in enumerate(flat, start=1):
        artist.set_gid(f"mark-{name}-{number}")


def matplotlib_svg(chart_id: str, draw: Callable[..., None], height: float, *args: object) -> str:
    """Run ``draw(figure, *args)`` on a kit-sized matplotlib figure; return its themed SVG."""
    import matplotlib  # imported here so pages without charts never load it
    from matplotlib.figure import Figure

    settings = {
        "svg.fonttype": "none",  # real <text>: sharp, selectable, sized by the kit
        "svg.hashsalt": chart_id,  # stable ids: reproducible builds
        "font.family": "sans-serif",
        "font.size": TEXT_UNITS,
        "text.color": INK,
        "axes.edgecolor": INK,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "grid.color": INK,
        "grid.alpha": 0.35,
        "legend.frameon": False,
    }
    with matplotlib.rc_context(settings):
        figure = Figure(figsize=(VIEW_WIDTH / 72, height / 72), layout="constrained")
        figure.patch.set_alpha(0)
        draw(figure, *args)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return themed_svg(chart_id, buffer.getvalue())


def themed_svg(chart_id: str, svg: str) -> str:
    """Make matplotlib's SVG page-friendly: palette colours, unique stable ids, no <style>, no date."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.DOTALL)
    svg = re.sub(r"<style[^>]*>.*?</style>\s*", "", svg, flags=re.DOTALL)  # page-wide: it would style the page
    svg = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", svg, count=1)
    svg = svg.replace(INK, "currentColor")
    for index, sentinel in enumerate(_SERIES_SENTINELS):
        svg = svg.replace(sentinel, series_css(index))
    svg = re.sub(r"font: ([\d.]+)px '[^']*'", r"font-size: \1px", svg)
    svg = re.sub(r'font-family:[^;"]*', "font-family: inherit", svg)
    svg = re.sub(r'<g id="(mark-[^"]+)"', r'<g id="\1" class="lesson-chart__mark"', svg)
    svg = _prefixed_ids(chart_id, svg)
    svg = re.sub(r"(\d\.\d\d)\d+", r"\1", svg)  # 1/100 of a unit: fewer bytes, same picture
    return svg


def _prefixed_ids(chart_id: str, svg: str) -> str:
    """Prefix every id (and each reference to it) with the chart's id: unique on any page."""
    ids = set(re.findall(r' id="([^"]+)"', svg))
    for old in sorted(ids, key=len, reverse=True):
        new = f"{chart_id}-{old}"
        svg = svg.replace(f' id="{old}"', f' id="{new}"')
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"').replace(f"url(#{old})", f"url(#{new})")
    return svg


def figure_html(
    chart_id: str,
    svg: str,
    title: str,
    description: str,
    caption: str,
    table: str,
    data: Mapping[str, object] | None = None,
) -> str:
    """The chart's <figure>: context caption, named SVG, data table behind a toggle."""
    if title.strip().rstrip(".").casefold() in caption.casefold():
        raise ChartError(f"chart {chart_id!r}: the caption repeats the title; say what the numbers are instead")
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    opening, body = svg.split(">", 1)
    width = re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) [\d.]+"', opening)
    if not width:
        raise ChartError(f"chart {chart_id!r}: the SVG needs a viewBox")
    max_width = math.floor(float(width.group(1)) * MAX_TEXT_PX / TEXT_UNITS)  # down: never over MAX_TEXT_PX
    # role="img": one picture to assistive technology, named by its title and described once;
    # data-search-exclude: search indexes the caption and table, not the tick labels.
    svg = (
        f'<svg role="img" aria-labelledby="{title_id}" aria-describedby="{desc_id}" class="lesson-chart__svg"'
        f' style="max-width: {max_width:.0f}px" data-search-exclude="drawing"'
        + opening[len("<svg") :]
        + ">"
        + f'<title id="{title_id}">{html.escape(title)}</title>'
        + f'<desc id="{desc_id}">{html.escape(description)}</desc>'
        + f'<g aria-hidden="true">{body.rsplit("</svg>", 1)[0]}</g></svg>'
    )
    payload = "" if data is None else f' data-weights-panel="{html.escape(json.dumps(data, sort_keys=True))}"'
    caption_id = f"{chart_id}-table-caption"
    return "\n".join(
        [
            f'<figure class="lesson-chart" id="{chart_id}"{payload}>',
            # The caption first: a reader learns what the numbers are before the drawing.
            f"<figcaption>{html.escape(caption)}</figcaption>",
            svg,
            f'<details class="lesson-chart__data"><summary>Chart data: {html.escape(title)}</summary>',
            # A focusable, labelled scroll region: keyboard users can scroll a wide table.
            f'<div class="lesson-chart__table" role="region" tabindex="0" aria-labelledby="{caption_id}">',
            table.replace("<table>", f'<table><caption id="{caption_id}">{html.escape(title)}: data</caption>', 1),
            "</div></details>",
            "</figure>",
        ]
    )


def data_table(headers: Sequence[object], rows: Sequence[Sequence[object]]) -> str:
    """The chart's data as an HTML table: the full alternative to the drawing."""
    # Cells on lines of their own: search reads the table's text, and cells written edge
    # to edge would come out as one word ("Trendproduct value...").
    head = "\n".join(f'<th scope="col">{html.escape(str(h))}</th>' for h in headers)
    body = "\n".join("<tr>" + "\n".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead>\n<tbody>{body}</tbody></table>"


# --- A horizontal bar chart written by hand, so a script can redraw it in place. ---
# weights-panel.js reads these numbers from the SVG's data-* attributes and lays out
# bars exactly as bar_layout() does.
BAR_ROW = 40  # units from one row to the next: a name line, then the bar
BAR_HEIGHT = 14
BAR_TOP = 19  # from the row's top to its bar
VALUE_ROOM = 44  # room each side of the plot for a value label
LEGEND_LINE = 17


def bar_layout(values: Sequence[float]) -> dict[str, float]:
    """Where zero is and how many units one value takes, for these values."""
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0
    plot_width = VIEW_WIDTH - 2 * VALUE_ROOM
    scale = plot_width / span
    return {"zero": VALUE_ROOM - low * scale, "scale": scale}


def bar_geometry(value: float, layout: Mapping[str, float]) -> dict[str, object]:
    """One bar's x and width, and where its value label goes: negative values grow left."""
    start = layout["zero"] + min(0.0, value) * layout["scale"]
    width = abs(value) * layout["scale"]
    if value < 0 or (value == 0 and str(value).startswith("-")):
        return {"x": start, "width": width, "label_x": start - 4, "anchor": "end"}
    return {"x": start, "width": width, "label_x": start + width + 4, "anchor": "start"}


def bar_chart_svg(
    rows: Sequence[tuple[str, float, int]], legend: Sequence[tuple[str, str]] = ()
) -> str:
    """Bars in the given order: (label, value, series index); legend lines as (key, text).

    Each row is a name above its bar and the value at the bar's end, so a long name never
    squeezes the bars on a phone; a zero line marks where negative values begin.
    """
    if not rows:
        raise ChartError("a bar chart needs at least one row")
    layout = bar_layout([value for _, value, _ in rows])
    height = len(rows) * BAR_ROW + 8 + len(legend) * LEGEND_LINE + (8 if legend else 0)
    parts = [
        f'<svg viewBox="0 0 {VIEW_WIDTH} {height}" xmlns="http://www.w3.org/2000/svg" fill="currentColor"'
        f' data-bar-row="{BAR_ROW}" data-bar-top="{BAR_TOP}" data-bar-height="{BAR_HEIGHT}"'
        f' data-value-room="{VALUE_ROOM}" data-view-width="{VIEW_WIDTH}">'
    ]
    for position, (label, value, series) in enumerate(rows):
        bar = bar_geometry(value, layout)
        parts.append(
            f'<g class="lesson-bars__row" data-label="{html.escape(label)}" transform="translate(0 {position * BAR_ROW})">'
            f'<text class="lesson-bars__name" x="4" y="13" font-size="{TEXT_UNITS}">{html.escape(label)}</text>'
            f'<rect class="lesson-chart__mark" x="{bar["x"]:.2f}" y="{BAR_TOP}" width="{bar["width"]:.2f}"'
            f' height="{BAR_HEIGHT}" style="fill: {series_css(series)}"/>'
            f'<text class="lesson-bars__value" x="{bar["label_x"]:.2f}" y="{BAR_TOP + 11}"'
            f' text-anchor="{bar["anchor"]}" font-size="{TEXT_UNITS}" font-weight="700">{value!r}</text>'
            # Zero marked on each bar's line only: one line down the chart would cross the names.
            f'<line class="lesson-bars__zero" x1="{layout["zero"]:.2f}" x2="{layout["zero"]:.2f}"'
            f' y1="{BAR_TOP - 3}" y2="{BAR_TOP + BAR_HEIGHT + 3}" stroke="currentColor" stroke-width="1.5"/>'
            "</g>"
        )
    bottom = len(rows) * BAR_ROW
    for line, (key, text) in enumerate(legend):
        y = bottom + 8 + (line + 1) * LEGEND_LINE - 4
        parts.append(
            f'<text class="lesson-bars__legend" data-key="{html.escape(key)}" x="4" y="{y}"'
            f' font-size="{TEXT_UNITS}">{html.escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
