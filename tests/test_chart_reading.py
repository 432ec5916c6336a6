"""Every chart the build draws reads well: text size, overlap, contrast, screen-reader structure.

The checks run over every chart on every page the build produced, for two sites: the
real one, and a copy with the lesson template added as a lesson, so the template's
chart (made with snippets/chart_kit.py, as any new lesson's) passes the same checks.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from pathlib import Path

import pytest

from conftest import ROOT, _SiteHandler, build, copy_project, free_port
from test_browser import PAGE_BACKGROUND, visit

WIDTHS = [320, 375, 768, 1440]
MIN_TEXT_PX, MAX_TEXT_PX = 12, 20


def pages_with_charts(site: Path) -> list[str]:
    """Every built page (as a path under the site) whose HTML holds a lesson chart."""
    found = []
    for page in sorted(site.rglob("index.html")):
        if 'class="lesson-chart"' in page.read_text(encoding="utf-8"):
            found.append(page.parent.relative_to(site).as_posix() + "/")
    return [path.removeprefix("./") for path in found]


def add_to_nav(config: Path, entry: str) -> None:
    """Append a page to the end of the nav (text edit: the config holds !ENV tags)."""
    text = config.read_text(encoding="utf-8")
    nav = re.search(r"^nav:\n(?:  - .*\n)+", text, flags=re.MULTILINE)
    assert nav, f"{config}: no nav list found"
    config.write_text(text[: nav.end()] + f"  - {entry}\n" + text[nav.end() :], encoding="utf-8")


@pytest.fixture(scope="module", params=["course", "course plus the template"])
def chart_site(request, tmp_path_factory):
    """(base address, chart pages): the course as built, or with the template as a new lesson."""
    project = ROOT
    if request.param != "course":
        project = copy_project(tmp_path_factory.mktemp("with-template"))
        shutil.copy(project / "docs" / "_template.md", project / "docs" / "lessons" / "template-copy.md")
        add_to_nav(project / "mkdocs.yml", "Template copy: lessons/template-copy.md")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    result = build(project, site=tmp_path_factory.mktemp("charts-site"), SITE_URL=base)
    assert result.returncode == 0, result.output
    pages = pages_with_charts(result.site)
    assert pages, "the build drew no chart"
    if request.param != "course":
        assert "lessons/template-copy/" in pages
    handler = functools.partial(_SiteHandler, directory=str(result.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield base, pages
    server.shutdown()
    server.server_close()


# For every chart: its drawn width, every text's size in CSS px and box on screen, and
# which boxes overlap or leave the chart. Sizes come from rendered bounding boxes: a
# text's font size in chart units times the chart's drawn scale.
TEXT_LAYOUT = """
() => [...document.querySelectorAll('figure.lesson-chart')].map((figure) => {
  const svg = figure.querySelector('svg');
  const frame = svg.getBoundingClientRect();
  const scale = frame.width / svg.viewBox.baseVal.width;
  const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim());
  const boxes = texts.map((t) => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent.trim(), px: parseFloat(getComputedStyle(t).fontSize) * scale,
            height: r.height, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  });
  const overlaps = [];
  const shrink = 1.5;  // glyph boxes include line spacing: touching is not overlapping
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, b] = [boxes[i], boxes[j]];
    if (a.left + shrink < b.right && b.left + shrink < a.right && a.top + shrink < b.bottom && b.top + shrink < a.bottom)
      overlaps.push(`"${a.text}" and "${b.text}"`);
  }
  const clipped = boxes.filter((b) => b.left < frame.left - 1 || b.right > frame.right + 1 ||
    b.top < frame.top - 1 || b.bottom > frame.bottom + 1).map((b) => b.text);
  return {id: figure.id, width: frame.width, boxes, overlaps, clipped};
})
"""

# WCAG contrast of every data mark's and every text's computed colour against the page.
CONTRAST = """
() => {
  %s
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const ratio = (colour, bg) => {
    const [r, g, b, a] = parse(colour);
    const fg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
    const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const painted = (c) => c && c !== 'none' && parse(c)[3] > 0;
  const marks = [], texts = [];
  for (const figure of document.querySelectorAll('figure.lesson-chart')) {
    const bg = parse(backgroundOf(figure));
    const elements = [...figure.querySelectorAll('.lesson-chart__mark')].flatMap((m) =>
      m.matches('path, rect, use, circle, polygon, line') ? [m] : [...m.querySelectorAll('path, rect, use, circle, polygon, line')])
      .filter((el) => !el.closest('defs'));  // marker shapes are drawn through <use>, not themselves
    if (!elements.length) marks.push({chart: figure.id, what: 'no data marks found', ratio: 0});
    for (const el of elements) {
      const style = getComputedStyle(el);
      const opacity = parseFloat(style.opacity);
      for (const colour of [style.fill, style.stroke].filter(painted))
        marks.push({chart: figure.id, what: el.tagName + ' ' + colour, ratio: opacity < 1 ? 0 : ratio(colour, bg)});
    }
    for (const text of figure.querySelectorAll('svg text'))
      texts.push({chart: figure.id, what: text.textContent.trim(), ratio: ratio(getComputedStyle(text).fill, bg)});
  }
  return {marks, texts};
}
""" % PAGE_BACKGROUND


def chart_layouts(browser, base: str, path: str, width: int, scheme: str) -> list[dict]:
    with visit(browser, base, path, scheme, viewport={"width": width, "height": 900}) as visited:
        return visited.page.evaluate(TEXT_LAYOUT)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_text_is_legible_and_apart_at_every_width(browser, chart_site, width, scheme):
    base, pages = chart_site
    for path in pages:
        for chart in chart_layouts(browser, base, path, width, scheme):
            where = f"{path} #{chart['id']} at {width} px ({scheme})"
            assert chart["boxes"], f"{where}: no text"
            sizes = [round(box["px"], 2) for box in chart["boxes"]]
            if width <= 375:
                assert min(sizes) >= MIN_TEXT_PX, f"{where}: text {min(sizes)} px"
            if width >= 1440:
                assert max(sizes) <= MAX_TEXT_PX, f"{where}: text {max(sizes)} px"
            # The rendered boxes agree: a line of text is at least as tall as its size.
            assert all(box["height"] >= box["px"] * 0.9 for box in chart["boxes"]), where
            assert chart["overlaps"] == [], f"{where}: text overlaps text"
            assert chart["clipped"] == [], f"{where}: text outside the chart"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("media", ["screen", "print"])  # a printed page is white in either palette
def test_marks_and_text_contrast_with_the_page(browser, chart_site, scheme, media):
    base, pages = chart_site
    for path in pages:
        with visit(browser, base, path, scheme) as visited:
            visited.page.emulate_media(media=media)
            found = visited.page.evaluate(CONTRAST)
        assert found["marks"] and found["texts"], path
        assert [m for m in found["marks"] if m["ratio"] < 3] == [], path
        assert [t for t in found["texts"] if t["ratio"] < 4.5] == [], path


def test_each_chart_is_one_named_described_image(browser, chart_site):
    base, pages = chart_site
    for path in pages:
        with visit(browser, base, path) as visited:
            page = visited.page
            for figure_id in page.locator("figure.lesson-chart").evaluate_all("fs => fs.map(f => f.id)"):
                title = page.locator(f"#{figure_id} svg > title").text_content().strip()
                desc = page.locator(f"#{figure_id} svg > desc").text_content().strip()
                caption = page.locator(f"#{figure_id} figcaption").text_content().strip()
                image = page.get_by_role("img", name=title, exact=True)
                assert image.count() == 1, f"{path} #{figure_id}: no image named {title!r}"
                assert image.evaluate("e => e.getAttribute('aria-describedby')") == f"{figure_id}-desc"
                assert 0 < len(title) <= 60 and desc and desc != title
                assert caption.casefold() != title.casefold() and title.casefold() not in caption.casefold()
                # The drawing's own text (ticks, labels, legend) is not read out: in
                # Chromium's accessibility tree the SVG is one image and nothing below it.
                tree = page.locator(f"#{figure_id} svg").aria_snapshot()
                assert tree.strip() == f'- img "{title}"', f"{path} #{figure_id}: {tree}"
                # The data table is behind a toggle with a table icon, in a labelled scroll region.
                summary = page.locator(f"#{figure_id} details > summary")
                icon = summary.evaluate("s => getComputedStyle(s, '::before').maskImage")
                assert "M5 4h14" in icon.replace("%20", " "), f"{path} #{figure_id}: not the table icon"
                summary.click()
                region = page.locator(f"#{figure_id} [role=region]")
                assert region.get_attribute("tabindex") == "0"
                assert page.get_by_role("region", name=re.compile(re.escape(title))).count() >= 1


# Marks of different colours must differ in something else too: line pattern, marker
# shape, or space between them (WCAG 1.4.1).
MARKS_APART = """
() => [...document.querySelectorAll('figure.lesson-chart')].flatMap((figure) => {
  const marks = [...figure.querySelectorAll('.lesson-chart__mark')].map((mark) => {
    const shapes = mark.matches('path, rect, line, use') ? [mark] : [...mark.querySelectorAll('path, rect, line, use')].filter((e) => !e.closest('defs'));
    const first = shapes[0], style = getComputedStyle(first);
    const colour = style.stroke !== 'none' ? style.stroke : style.fill;
    const use = mark.querySelector('use');
    const marker = use ? document.querySelector(use.getAttribute('xlink:href') || use.getAttribute('href')).getAttribute('d') : '';
    return {colour, dash: style.strokeDasharray, marker, box: mark.getBoundingClientRect()};
  });
  const problems = [];
  for (let i = 0; i < marks.length; i++) for (let j = i + 1; j < marks.length; j++) {
    const [a, b] = [marks[i], marks[j]];
    if (a.colour === b.colour) continue;
    const apart = a.box.bottom <= b.box.top || b.box.bottom <= a.box.top || a.box.right <= b.box.left || b.box.right <= a.box.left;
    if (a.dash === b.dash && a.marker === b.marker && !apart) problems.push(`${figure.id}: marks ${i + 1} and ${j + 1} differ only in colour`);
  }
  return problems;
})
"""


def test_marks_are_told_apart_by_more_than_colour(browser, chart_site):
    base, pages = chart_site
    for path in pages:
        with visit(browser, base, path) as visited:
            assert visited.page.evaluate(MARKS_APART) == [], path


# Each chart table's scroll region and where its last column's cells are, on the screen.
TABLE_EDGES = """() => [...document.querySelectorAll('figure.lesson-chart .lesson-chart__table')].map((region) => {
  const box = region.getBoundingClientRect();
  const last = [...region.querySelectorAll('tr > :last-child')].map((cell) => cell.getBoundingClientRect());
  return {id: region.closest('figure').id, left: box.left, right: box.right, scrolls: region.scrollWidth > region.clientWidth,
          cells: last.map((r) => [r.left, r.right])};
})"""


@pytest.mark.parametrize("width", [320, 375])
def test_a_charts_table_keeps_its_last_column_in_sight_on_a_phone(browser, chart_site, width):
    base, pages = chart_site
    for path in pages:
        with visit(browser, base, path, viewport={"width": width, "height": 800}) as visited:
            for table in visited.page.evaluate(TABLE_EDGES):
                assert table["cells"], (path, table["id"])
                for left, right in table["cells"]:
                    assert table["left"] - 1 <= left and right <= table["right"] + 1, (path, width, table)
