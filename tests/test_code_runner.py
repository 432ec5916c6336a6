"""Run in your browser: the lesson's snippet runs in real CPython (Pyodide from our own site) in Chromium.

Each browser test opens the served lesson, records every request (the worker's too) and
console error, and compares what the page prints with what `python` prints for the same file.
"""

from __future__ import annotations

import ast
import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import PluginError

from conftest import ROOT, _SiteHandler, build, fixture_project, free_port
from test_browser import LESSON, PAGE_BACKGROUND, visit
from test_weights_panel import CHART_STATE, built_state, built_table, same_drawing

import trend_ranking

import pyodide_assets

SNIPPET = "snippets/trend_ranking.py"
RUNNER = ".code-runner"
EDITOR = f"{RUNNER} textarea"
STATUS = f"{RUNNER} [role=status]"
OUTPUT = f"{RUNNER} .code-runner__output"
VERDICT = f"{RUNNER} .code-runner__verdict"
DIFF = f"{RUNNER} .code-runner__diff"
OPEN = "button:has-text('Run in your browser')"
RUN = f"{RUNNER} button:text-is('Run')"
RESET = f"{RUNNER} button:text-is('Reset')"
STOP = f"{RUNNER} button:text-is('Stop')"
PHONE = {"width": 375, "height": 667}  # a phone held upright
LOAD_TIMEOUT_MS = 90_000  # a first Pyodide start on a busy 2-core machine
# Collects every lesson:records event the runner dispatches.
RECORD_EVENTS = "window.__records = []; document.addEventListener('lesson:records', (e) => window.__records.push(e.detail));"


def installed_package() -> Path:
    return ROOT / pyodide_assets.PACKAGE


def python_prints(tmp_path: Path, code: str) -> subprocess.CompletedProcess:
    """What `python snippets/trend_ranking.py` gives for this code, run from a project folder."""
    (tmp_path / "snippets").mkdir(exist_ok=True)
    (tmp_path / SNIPPET).write_text(code, encoding="utf-8")
    return subprocess.run([sys.executable, SNIPPET], cwd=tmp_path, capture_output=True, text=True)


def finished(page) -> None:
    """Wait for the current run to end (finished or stopped)."""
    page.wait_for_function(
        f"() => /^(Finished|Stopped|Python could not)/.test(document.querySelector('{STATUS}').textContent)",
        timeout=LOAD_TIMEOUT_MS,
    )


def open_and_run(page) -> None:
    page.locator(OPEN).click()
    finished(page)


def run_code(page, code: str) -> None:
    page.locator(EDITOR).fill(code)
    page.locator(RUN).click()
    finished(page)


def output_lines(page) -> list[str]:
    return page.locator(OUTPUT).text_content().splitlines()


# --- The hook: Pyodide comes from the npm package pinned in package-lock.json. ---


def test_the_pinned_pyodide_is_installed():
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["pyodide"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), "pin an exact version"
    assert lock["packages"]["node_modules/pyodide"]["version"] == pinned
    assert pyodide_assets.manifest(installed_package())["version"] == pinned


def test_the_built_site_serves_pyodide_and_its_sizes(site):
    served = site.site / pyodide_assets.DESTINATION
    for name in pyodide_assets.RUNTIME_FILES:
        assert (served / name).read_bytes() == (installed_package() / name).read_bytes(), name
    manifest = json.loads((served / "manifest.json").read_text(encoding="utf-8"))
    sizes = {name: (served / name).stat().st_size for name in pyodide_assets.RUNTIME_FILES}
    assert manifest["files"] == sizes
    assert manifest["total_bytes"] == sum(sizes.values())


def test_missing_pyodide_says_what_to_run(tmp_path):
    with pytest.raises(PluginError, match=r"node_modules/pyodide does not exist.*run 'npm ci' in "):
        pyodide_assets.package_dir(tmp_path)
    partial = tmp_path / pyodide_assets.PACKAGE
    partial.mkdir(parents=True)
    shutil.copyfile(installed_package() / "package.json", partial / "package.json")
    with pytest.raises(PluginError, match=r"lacks pyodide\.js, .*python_stdlib\.zip.*run 'npm ci'"):
        pyodide_assets.package_dir(tmp_path)


def test_a_build_without_node_modules_fails_naming_the_command(tmp_path):
    project = fixture_project(
        "hands_on", tmp_path / "project", {"hooks": [str(ROOT / "hooks" / "pyodide_assets.py")]}
    )
    result = build(project)
    assert result.returncode != 0
    assert "hooks/pyodide_assets.py" in result.output and "run 'npm ci'" in result.output


def test_a_site_without_runners_needs_no_pyodide(tmp_path):
    project = fixture_project(  # no page opts in, and no node_modules
        "two_lessons", tmp_path / "project", {"hooks": [str(ROOT / "hooks" / "pyodide_assets.py")]}
    )
    result = build(project)
    assert result.returncode == 0, result.output
    assert not (result.site / "assets" / "pyodide").exists()


# --- In the browser. ---


def test_nothing_loads_until_the_reader_asks(browser, served_site):
    with visit(browser, served_site, LESSON) as page:
        page.page.locator(OPEN).wait_for()
        assert [url for url in page.requests if "pyodide" in url or "code-runner-worker" in url] == []
        assert page.page.locator(EDITOR).is_hidden()


def test_only_pages_that_opt_in_load_the_hands_on_styles(browser, served_site):
    sitemap = urllib.request.urlopen(served_site + "sitemap.xml").read().decode()
    pages = [url.removeprefix(served_site) for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    assert LESSON in pages
    for path in pages:
        with visit(browser, served_site, path) as page:
            opted_in = page.page.locator(".code-runner, .fill-in").count() > 0
            styles = [url for url in page.requests if url.endswith("/hands-on.css")]
            assert len(styles) == (1 if opted_in else 0), path
            assert [url for url in page.requests if "/pyodide/" in url] == [], path


def test_unchanged_snippet_prints_the_verified_output(browser, served_site, snippet_output):
    with visit(browser, served_site, LESSON, init_script=RECORD_EVENTS) as page:
        original = (ROOT / SNIPPET).read_text(encoding="utf-8")
        page.page.locator(OPEN).click()
        assert page.page.locator(EDITOR).input_value() == original  # the file exactly as included
        manifest = pyodide_assets.manifest(installed_package())
        size = f"{manifest['total_bytes'] / 1e6:.1f} MB"
        page.page.wait_for_function(f"document.querySelector('{STATUS}').textContent.includes('{size}')")
        finished(page.page)
        assert page.page.locator(STATUS).text_content() == "Finished."
        assert output_lines(page.page) == snippet_output
        assert "matches the lesson's output" in page.page.locator(VERDICT).text_content()
        assert page.page.locator(DIFF).is_hidden()
        events = page.page.evaluate("window.__records")
        assert events == [{"file": SNIPPET, "records": [ast.literal_eval(line) for line in snippet_output]}]
        assert page.errors == []
        assert page.foreign_requests() == []


def test_a_changed_weight_prints_what_python_prints(browser, served_site, snippet_output, tmp_path):
    original = (ROOT / SNIPPET).read_text(encoding="utf-8")
    edited = original.replace('"product_value": 0.5', '"product_value": 0.1', 1)
    assert edited != original, "the snippet no longer has the weight this test changes"
    local = python_prints(tmp_path, edited)
    assert local.returncode == 0 and local.stdout.splitlines() != snippet_output
    with visit(browser, served_site, LESSON, init_script=RECORD_EVENTS) as page:
        open_and_run(page.page)
        run_code(page.page, edited)
        assert output_lines(page.page) == local.stdout.splitlines()
        verdict = page.page.locator(VERDICT).text_content()
        assert "differs from the lesson's output" in verdict
        diff = page.page.locator(DIFF).text_content().splitlines()
        assert [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")] != []
        assert {line[1:] for line in diff if line.startswith("-") and not line.startswith("---")} <= set(snippet_output)
        assert {line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")} <= set(
            local.stdout.splitlines()
        )
        last = page.page.evaluate("window.__records")[-1]
        assert last["records"] == [ast.literal_eval(line) for line in local.stdout.splitlines()]
        # The score chart follows the run: bars, order and labels as Python draws them with those weights.
        edited_weights = {**trend_ranking.WEIGHTS, "product_value": 0.1}
        drawn = page.page.evaluate(CHART_STATE)
        expected = built_state(edited_weights)
        assert same_drawing({**drawn, "legend": expected["legend"]}, expected), (drawn, expected)
        # Its text alternative says the same: rank, trend and score of the run; the weights the run used are
        # not known, so neither the formula nor each criterion's share is shown.
        shown = page.page.evaluate(VISIBLE_TABLE)
        assert shown[1:] == [[row[0], row[1], row[-1]] for row in built_table(edited_weights)[1:]], shown
        assert page.page.locator("#score-chart .lesson-bars__legend").evaluate_all(
            "ls => ls.every((l) => getComputedStyle(l).display === 'none')")
        page.page.locator(RESET).click()  # back to the lesson's own records, and the build's chart
        assert page.page.evaluate("window.__records")[-1] == {"file": SNIPPET, "records": None}
        assert same_drawing(page.page.evaluate(CHART_STATE), built_state(trend_ranking.WEIGHTS))
        assert page.page.evaluate(VISIBLE_TABLE) == built_table(trend_ranking.WEIGHTS)
        assert page.errors == []
        assert page.foreign_requests() == []


# The score chart's data table as a reader sees it: the text of each row's cells that are shown.
VISIBLE_TABLE = """
() => [...document.querySelectorAll('#score-chart table tr')].map((tr) =>
    [...tr.children].filter((c) => getComputedStyle(c).display !== 'none').map((c) => c.textContent))
"""


# The snippet's last line replaced: an error while it runs, and one Python cannot compile.
BREAKAGES = {"raises": "        print(item['no such field'])", "syntax": "        print(item"}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_a_traceback_has_the_lines_python_gives(browser, served_site, tmp_path, breakage):
    lines = (ROOT / SNIPPET).read_text(encoding="utf-8").splitlines()
    broken = "\n".join(lines[:-1] + [BREAKAGES[breakage]]) + "\n"
    local = python_prints(tmp_path, broken)
    assert local.returncode == 1 and local.stdout == ""
    with visit(browser, served_site, LESSON) as page:
        open_and_run(page.page)
        run_code(page.page, broken)
        shown = page.page.locator(OUTPUT).text_content()
        # Locally Python names the file by its absolute path; the page by the path the lesson gives.
        assert shown == local.stderr.replace(str(tmp_path / SNIPPET), SNIPPET)
        assert "stopped with an error" in page.page.locator(VERDICT).text_content()
        assert page.foreign_requests() == []


def test_an_endless_loop_is_stopped_and_the_page_stays_responsive(browser, served_site):
    original = (ROOT / SNIPPET).read_text(encoding="utf-8")
    with visit(browser, served_site, LESSON) as page:
        open_and_run(page.page)  # Python loaded: the limit then times the loop alone
        page.page.locator(EDITOR).fill("while True:\n    pass\n")
        started = time.monotonic()
        page.page.locator(RUN).click()
        # "Running…" first, then, once the worker has started the code, the limit it runs under.
        page.page.wait_for_function(f"document.querySelector('{STATUS}').textContent.startsWith('Running (stopped after')")
        limit = float(re.search(r"stopped after (\d+) seconds", page.page.locator(STATUS).text_content())[1])
        # While the loop runs, the page paints frames and answers clicks.
        frame_ms = page.page.evaluate(
            "() => new Promise((done) => { const t = performance.now(); requestAnimationFrame(() => done(performance.now() - t)); })"
        )
        assert frame_ms < 1000
        page.page.locator(RESET).click()
        assert page.page.locator(EDITOR).input_value() == original
        page.page.wait_for_function(
            f"document.querySelector('{STATUS}').textContent.startsWith('Stopped')", timeout=(limit + 10) * 1000
        )
        assert time.monotonic() - started < limit + 5
        assert f"longer than {limit:g} seconds" in page.page.locator(STATUS).text_content()
        page.page.locator(RUN).click()  # Python starts again and runs the lesson's code
        finished(page.page)
        assert "matches the lesson's output" in page.page.locator(VERDICT).text_content()
        assert page.foreign_requests() == []


def test_edited_code_is_kept_per_page_until_reset(browser, served_site):
    original = (ROOT / SNIPPET).read_text(encoding="utf-8")
    edited = original + "# my note\n"
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(served_site + LESSON)
        page.locator(OPEN).click()
        page.locator(EDITOR).fill(edited)
        page.reload()
        assert "edited version" in page.locator(f"{RUNNER} .code-runner__note").text_content()
        page.locator(OPEN).click()
        assert page.locator(EDITOR).input_value() == edited
        page.locator(RESET).click()
        assert page.locator(EDITOR).input_value() == original
        page.reload()
        page.locator(OPEN).click()
        assert page.locator(EDITOR).input_value() == original
    finally:
        context.close()


FOCUSED = "document.activeElement === document.body ? 'the page' : document.activeElement.textContent.trim() || document.activeElement.className"


def test_the_keyboard_keeps_its_place_through_a_run_and_a_stop(browser, served_site):
    """Each button disables itself when pressed; focus goes on to what can be pressed next, never to the page."""
    with visit(browser, served_site, LESSON, viewport=PHONE) as visited:
        page = visited.page
        page.focus(OPEN)
        page.keyboard.press("Enter")
        assert page.evaluate(FOCUSED) == "Stop", "while Python is prepared and runs, focus is on Stop"
        finished(page)
        assert page.evaluate(FOCUSED) == "Run", "after a run, focus is back on Run"
        assert page.evaluate("document.activeElement.tagName") != "TEXTAREA"  # no on-screen keyboard on a phone
        page.locator(EDITOR).fill("while True:\n    pass\n")
        page.focus(RUN)
        page.keyboard.press("Enter")
        page.wait_for_function(f"document.querySelector('{STATUS}').textContent.startsWith('Running (stopped after')")
        assert page.evaluate(FOCUSED) == "Stop", "during a run, focus is on Stop"
        page.keyboard.press("Enter")
        page.wait_for_function(f"document.querySelector('{STATUS}').textContent.startsWith('Stopped')")
        assert page.evaluate(FOCUSED) == "Run", "once stopped, focus is back on Run"


def test_without_webassembly_the_control_says_why(browser, served_site):
    with visit(browser, served_site, LESSON, init_script="delete window.WebAssembly;") as page:
        button = page.page.locator(OPEN)
        assert button.is_disabled()
        assert "no WebAssembly" in page.page.locator(f"{RUNNER} .code-runner__note").text_content()
        assert page.page.locator(f"{RUNNER} .highlight >> nth=0").is_visible()  # the code is still there


def test_without_javascript_the_page_is_unchanged_and_says_why(browser, served_site):
    with visit(browser, served_site, LESSON, java_script_enabled=False) as page:
        assert page.page.locator(OPEN).count() == 0
        assert page.page.locator(f"{RUNNER} .highlight >> nth=0").is_visible()
        note = page.page.locator(f"{RUNNER} noscript .code-runner__note")
        assert note.is_visible() and "needs JavaScript" in note.text_content()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_with_the_editor_and_the_card_open(browser, served_site, scheme):
    original = (ROOT / SNIPPET).read_text(encoding="utf-8")
    with visit(browser, served_site, LESSON, scheme) as page:
        open_and_run(page.page)
        run_code(page.page, original.replace('"stability": 0.3', '"stability": 0.9', 1))  # output, verdict, diff
        assert page.page.locator(DIFF).is_visible()
        page.page.locator(".fill-in textarea").first.fill("typed")
        violations = page.axe_violations()
        assert violations == [], "\n".join(violations)
        assert page.errors == []
        assert page.foreign_requests() == []


# --- On a phone: buttons that say whether they can be pressed, output and editor within the screen. ---

# A button's look once its colour transitions (Material's .md-button) have ended, and the WCAG
# contrast of its text against what is behind it (alpha and opacity blended onto that colour).
BUTTON_LOOK = "async (el) => {" + PAGE_BACKGROUND + """
  await Promise.all(el.getAnimations().map((a) => a.finished));
  const s = getComputedStyle(el);
  const bg = parse(backgroundOf(el));
  const [r, g, b, alpha] = parse(s.color);
  const a = alpha * Number(s.opacity);
  const fg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  return {color: s.color, background: s.backgroundColor, opacity: s.opacity, cursor: s.cursor,
          contrast: (hi + 0.05) / (lo + 0.05)};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_button_that_cannot_be_pressed_looks_it(browser, served_site, scheme):
    with visit(browser, served_site, LESSON, scheme, viewport=PHONE) as visited:
        page = visited.page

        def look(selector: str) -> dict:
            return page.locator(selector).evaluate(BUTTON_LOOK)

        open_and_run(page)
        page.mouse.move(0, 0)  # no button under the pointer
        assert page.locator(STOP).is_disabled() and page.locator(RESET).is_enabled()
        idle_stop, reset, idle_run = look(STOP), look(RESET), look(RUN)
        # Stop and Reset are the same kind of button: only being disabled may tell them apart.
        assert (idle_stop["color"], idle_stop["opacity"]) != (reset["color"], reset["opacity"]), idle_stop
        assert idle_stop["cursor"] == "not-allowed" and reset["cursor"] != "not-allowed"
        assert idle_stop["contrast"] >= 4.5, idle_stop  # muted, still readable
        page.locator(STOP).hover()  # and it does not light up as if it could be pressed
        assert look(STOP) == idle_stop
        # During a run Stop looks like Reset, and Run (now disabled) like Stop did.
        page.locator(EDITOR).fill("while True:\n    pass\n")
        page.locator(RUN).click()
        page.wait_for_function(f"document.querySelector('{STATUS}').textContent.startsWith('Running (stopped after')")
        page.mouse.move(0, 0)
        assert page.locator(STOP).is_enabled() and page.locator(RUN).is_disabled()
        assert look(STOP) == reset
        running_run = look(RUN)
        assert (running_run["color"], running_run["opacity"]) != (idle_run["color"], idle_run["opacity"])
        assert running_run["cursor"] == "not-allowed" and running_run["contrast"] >= 4.5, running_run
        page.locator(STOP).click()
        page.wait_for_function(f"document.querySelector('{STATUS}').textContent.startsWith('Stopped')")
        page.mouse.move(0, 0)
        assert look(STOP) == idle_stop and look(RUN) == idle_run
        assert visited.errors == []


def test_a_long_printed_line_wraps_instead_of_scrolling_sideways(browser, served_site, tmp_path):
    code = 'print("x" * 400)\n'
    local = python_prints(tmp_path, code)
    assert local.returncode == 0
    with visit(browser, served_site, LESSON, viewport=PHONE) as page:
        open_and_run(page.page)
        run_code(page.page, code)
        assert output_lines(page.page) == local.stdout.splitlines()  # the whole line is there...
        width = page.page.locator(OUTPUT).evaluate("el => ({scroll: el.scrollWidth, client: el.clientWidth})")
        assert width["scroll"] <= width["client"] + 1, width  # ...on screen, as the verified output


def test_the_editor_leaves_room_on_a_phone_screen(browser, served_site):
    with visit(browser, served_site, LESSON, viewport=PHONE) as page:
        open_and_run(page.page)
        editor = page.page.locator(EDITOR)
        limit = 0.7 * PHONE["height"]
        sizes = editor.evaluate("el => ({content: el.scrollHeight, shown: el.clientHeight})")
        assert sizes["content"] > limit, "the lesson's code no longer fills a phone screen: nothing to check"
        assert editor.bounding_box()["height"] <= limit
        assert sizes["shown"] < sizes["content"]  # the rest scrolls inside the editor
        assert editor.evaluate("el => getComputedStyle(el).overflowY") in ("auto", "scroll")


# --- Any lesson can opt in from its Markdown: a fixture lesson with its own snippet and card. ---

HANDS_ON_ASSETS = [
    "assets/javascripts/code-runner.js",
    "assets/javascripts/code-runner-worker.js",
    "assets/javascripts/evidence-card.js",
    "assets/stylesheets/hands-on.css",
]


@pytest.fixture(scope="module")
def served_fixture(tmp_path_factory):
    """tests/fixtures/hands_on built with the runner's hook, scripts and styles, served on 127.0.0.1."""
    project = tmp_path_factory.mktemp("hands_on") / "project"
    fixture_project("hands_on", project, opt_in_config())
    for asset in HANDS_ON_ASSETS:
        (project / "docs" / asset).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / "docs" / asset, project / "docs" / asset)
    (project / "node_modules").symlink_to(ROOT / "node_modules")  # what `npm ci` installs
    result = build(project)
    assert result.returncode == 0, result.output
    port = free_port()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(_SiteHandler, directory=str(result.site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}/", project
    finally:
        server.shutdown()
        server.server_close()


def opt_in_config() -> dict:
    """The fixture configuration plus what a lesson needs to opt in (hook, assets, extensions)."""
    base = yaml.safe_load((ROOT / "tests" / "fixtures" / "mkdocs.fixture.yml").read_text(encoding="utf-8"))
    hooks = [str(ROOT / "hooks" / hook) for hook in base["hooks"]] + [str(ROOT / "hooks" / "pyodide_assets.py")]
    return {
        "hooks": hooks,
        "markdown_extensions": [*base["markdown_extensions"], "attr_list", "def_list", "md_in_html"],
        "extra_javascript": [a for a in HANDS_ON_ASSETS if a.endswith(".js") and "worker" not in a],
    }


def test_any_lesson_that_opts_in_gets_the_runner_and_the_card(browser, served_fixture):
    base, project = served_fixture
    snippet = next((project / "snippets").glob("*.py"))
    local = subprocess.run([sys.executable, str(snippet.relative_to(project))], cwd=project,
                           capture_output=True, text=True, check=True)
    with visit(browser, base, "", init_script=RECORD_EVENTS) as page:
        page.page.locator(OPEN).click()
        assert page.page.locator(EDITOR).input_value() == snippet.read_text(encoding="utf-8")
        finished(page.page)
        heading = page.page.locator(f"{RUNNER} .code-runner__heading").text_content()
        assert heading.endswith(f"python snippets/{snippet.name}")
        assert heading not in page.page.locator(".highlight .filename").all_text_contents()  # told apart from the lesson's
        assert output_lines(page.page) == local.stdout.splitlines()
        assert "matches the lesson's output" in page.page.locator(VERDICT).text_content()
        assert page.page.evaluate("window.__records") == []  # its lines are not records
        terms = page.page.locator(".fill-in dl > dt").all_text_contents()
        items = page.page.locator(".fill-in ol > li").count()
        assert terms and items
        assert page.page.locator(".fill-in textarea").count() == len(terms) + items
        for term in terms:
            page.page.get_by_role("textbox", name=term.strip(), exact=True).fill(f"typed for {term.strip()}")
        with page.page.expect_download() as download:
            page.page.locator(".fill-in button:text-is('Download .md')").first.click()
        document = Path(download.value.path()).read_text(encoding="utf-8")
        title = page.page.locator("h1").evaluate("h => h.firstChild.textContent.trim()")
        assert document.startswith(f"# {title}: ")
        for term in terms:
            assert f"### {term.strip()}\n\ntyped for {term.strip()}\n" in document
        assert page.errors == []
        assert page.foreign_requests() == []


def test_fields_named_in_any_script_or_twice_keep_their_own_answers(browser, served_fixture):
    """Names in Chinese, and the same term in two cards, still give every field its own saved answer."""
    base, _ = served_fixture
    with visit(browser, base, "cards/") as visited:
        page = visited.page
        fields = page.locator(".fill-in textarea")
        ids = fields.evaluate_all("fs => fs.map(f => f.id)")
        assert len(ids) == 5 and len(set(ids)) == len(ids), ids
        labelled = page.locator("[id]").evaluate_all("es => es.map(e => e.id)")
        assert len(set(labelled)) == len(labelled), "duplicate ids on the page"
        for index in range(len(ids)):
            fields.nth(index).fill(f"answer {index}")
        page.reload(wait_until="networkidle")
        kept = page.locator(".fill-in textarea").evaluate_all("fs => fs.map(f => f.value)")
        assert kept == [f"answer {index}" for index in range(len(ids))]
        assert visited.errors == []


def test_stop_while_python_is_prepared_runs_nothing(browser, served_site):
    with visit(browser, served_site, LESSON) as visited:
        page = visited.page
        held = []  # Pyodide's manifest is held back: Python stays "being prepared" until the test lets it go
        page.route("**/manifest.json", lambda route: held.append(route))
        page.locator(OPEN).click()
        page.wait_for_function(f"document.querySelector('{STATUS}').textContent === 'Preparing…'")
        page.locator(STOP).click()
        page.wait_for_timeout(100)  # the held request has reached the route by now
        for route in held:
            route.continue_()
        finished(page)
        assert page.locator(STATUS).text_content() == "Stopped before it ran."
        assert page.locator(RUN).is_enabled() and page.locator(STOP).is_disabled()
        assert page.locator(OUTPUT).text_content() == ""  # no run, no output
        run_code(page, (ROOT / SNIPPET).read_text(encoding="utf-8"))  # and a run afterwards works
        assert "matches the lesson's output" in page.locator(VERDICT).text_content()
