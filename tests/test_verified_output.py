"""Expected outputs are checked at build time, for any lesson, with errors that point at the line."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request

import pytest

import page_in_warnings
from conftest import FIXTURES, build, fixture_project, free_port, mkdocs_env, update_expected
from html_text import code_blocks, text_of


def source_line(fixture: str, path: str, text: str) -> int:
    """1-based number of the first line holding ``text`` in a fixture's file."""
    lines = (FIXTURES / fixture / path).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def fence_line(fixture: str, page: str, snippet: str) -> int:
    """1-based line of the expected-output fence for ``snippet`` in a fixture page."""
    return source_line(fixture, f"docs/{page}", f'expected-output="{snippet}"')


def test_every_lesson_is_checked_without_touching_the_hooks(tmp_path):
    project = fixture_project("two_lessons", tmp_path)
    result = build(project)
    assert result.returncode == 0, result.output
    assert dict(code_blocks(result.page()))["Output of python snippets/greet.py"] == "Hello, Ada!\nHello, Grace!\n"
    second = dict(code_blocks(result.page("second")))
    assert second["Output of python snippets/count.py"] == "1\n2\n3\n"
    assert 'expected-output=' not in result.page("second")

    (project / "snippets" / "count.py").write_text("print(1)\n", encoding="utf-8")
    failed = build(project)
    assert failed.returncode == 1
    assert f"docs/second.md:{fence_line('two_lessons', 'second.md', 'snippets/count.py')}:" in failed.output
    assert "-2\n-3" in failed.output


def test_mismatch_fails_strict_build_with_file_line_snippet_and_diff(tmp_path):
    result = build(fixture_project("mismatch", tmp_path))
    assert result.returncode == 1
    line = fence_line("mismatch", "index.md", "snippets/hello.py")
    assert f"docs/index.md:{line}: the expected output of snippets/hello.py no longer matches" in result.output
    assert f"--- expected (docs/index.md:{line})\n+++ actual (python snippets/hello.py)" in result.output
    assert "\n-Hello, world\n+Hello, world!\n Second line stays" in result.output
    assert "make update-expected" in result.output
    assert "snippets/same.py" not in result.output  # the matching block is not reported


def test_mismatch_still_renders_with_a_visible_warning_when_not_strict(tmp_path):
    result = build(fixture_project("mismatch", tmp_path), strict=False)
    assert result.returncode == 0
    page = result.page()
    box = re.search(r'<div class="admonition failure">(.*?)</div>\s*</div>|<div class="admonition failure">(.*)', page, re.DOTALL)
    assert box, "no failure admonition on the page"
    shown = text_of(page)
    assert "Expected output is out of date" in shown
    assert "-Hello, world\n+Hello, world!" in shown
    assert "Output of python snippets/hello.py" not in shown  # the stale text is never shown as output


def test_mkdocs_serve_shows_the_diff_on_the_page(tmp_path):
    project = fixture_project("mismatch", tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--no-livereload"],
        cwd=project, env=mkdocs_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        page = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and page is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode("utf-8")
            except OSError:
                time.sleep(0.3)
        assert page is not None, "mkdocs serve did not answer"
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[0]
    assert "Expected output is out of date" in text_of(page)
    assert "+Hello, world!" in text_of(page)
    assert "docs/index.md:" in log and "no longer matches" in log


def test_exception_reports_page_snippet_line_traceback_and_earlier_output(tmp_path):
    result = build(fixture_project("raises", tmp_path))
    assert result.returncode == 1
    page_line = fence_line("raises", "index.md", "snippets/crash.py")
    raised_at = source_line("raises", "snippets/crash.py", "return total / count")
    assert f"docs/index.md:{page_line}: snippets/crash.py failed at snippets/crash.py:{raised_at}: ZeroDivisionError" in result.output
    assert "Output before it stopped:\nbefore the crash" in result.output
    traceback = result.output.split("Traceback (most recent call last):", 1)[1].split("Fix the snippet")[0]
    assert f'File "snippets/crash.py", line {raised_at}, in ratio' in traceback
    assert "mkdocs" not in traceback and "site-packages" not in traceback


def test_snippet_past_its_time_limit_is_stopped_and_reported(tmp_path):
    started = time.monotonic()
    result = build(fixture_project("timeout", tmp_path))
    assert result.returncode == 1
    assert time.monotonic() - started < 60, "the build waited for the endless snippet"
    line = fence_line("timeout", "index.md", "snippets/forever.py")
    assert f"docs/index.md:{line}: snippets/forever.py ran longer than its time limit of 2 s and was stopped" in result.output
    assert "Output before it stopped:\nstarted" in result.output


def test_time_limit_from_mkdocs_yml(tmp_path):
    project = fixture_project("timeout", tmp_path, {"extra": {"code_execution": {"timeout": 1}}})
    page = project / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8").replace(' timeout="2"', ""), encoding="utf-8")
    result = build(project)
    assert result.returncode == 1
    assert "ran longer than its time limit of 1 s" in result.output


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"timeout": "soon"}, "extra.code_execution.timeout: must be a positive number, got 'soon'"),
        ({"timeout": 0}, "extra.code_execution.timeout: must be a positive number, got 0"),
        ({"timout": 5}, "extra.code_execution.timout: Unrecognised configuration name: timout"),
        ({"output_limit": True}, "extra.code_execution.output_limit: must be a positive number, got True"),
    ],
)
def test_bad_settings_in_mkdocs_yml_name_the_setting(tmp_path, settings, message):
    project = fixture_project("two_lessons", tmp_path, {"extra": {"code_execution": settings}})
    result = build(project)
    assert result.returncode == 1
    assert message in result.output


def test_the_old_settings_name_says_where_they_went(tmp_path):
    project = fixture_project("two_lessons", tmp_path, {"extra": {"verified_output": {"timeout": 5}}})
    result = build(project)
    assert result.returncode == 1
    assert "extra.verified_output is now extra.code_execution" in result.output


def test_missing_snippet_file_names_page_line_and_path(tmp_path):
    result = build(fixture_project("missing_snippet", tmp_path))
    assert result.returncode == 1
    line = fence_line("missing_snippet", "index.md", "snippets/not_there.py")
    assert f"docs/index.md:{line}: snippet file snippets/not_there.py does not exist" in result.output


def test_chart_block_that_raises_fails_the_build_naming_page_and_line(tmp_path):
    result = build(fixture_project("chart_raises", tmp_path))
    assert result.returncode == 1
    line = source_line("chart_raises", "docs/index.md", "```python exec=")
    assert f"docs/index.md:{line}: markdown_exec: Execution of python code block exited with errors" in result.output
    # The traceback keeps the block's frame and the snippet's, not markdown-exec's own.
    assert 'File "<code block: n1>", line 2' in result.output
    assert 'snippets/broken_chart.py", line 2, in chart_html' in result.output
    assert "field 'stability' is missing" in result.output


def test_a_failing_block_with_the_same_code_as_an_earlier_one_is_named_at_its_own_line(tmp_path):
    # The same code in two sessions: it works in the first and fails in the second, whose line is reported.
    project = fixture_project("chart_raises", tmp_path)
    page = project / "docs" / "index.md"
    page.write_text(
        "---\ntitle: Twins\ndescription: The same code in two sessions.\n---\n\n# Twins\n\n"
        '```python exec="on" session="a"\nx = 1\nsvg = "<svg></svg>"\n```\n\n'
        '```python exec="on" session="a"\nprint(x)\n```\n\n'
        '```python exec="on" html="on" session="a"\nprint(globals().get("svg", ""), end="")\n```\n\n'
        '```python exec="on" session="b"\nprint(x)\n```\n\n'
        '```python exec="on" html="on" session="b"\nprint(globals().get("svg", ""), end="")\n```\n',
        encoding="utf-8",
    )
    result = build(project)
    assert result.returncode == 1
    lines = page.read_text(encoding="utf-8").splitlines()
    failing = [n for n, text in enumerate(lines, 1) if text == '```python exec="on" session="b"']
    empty = [n for n, text in enumerate(lines, 1) if text == '```python exec="on" html="on" session="b"']
    assert f"docs/index.md:{failing[0]}: markdown_exec: Execution of python code block exited with errors" in result.output
    assert f'docs/index.md:{empty[0]}: this chart block (html="on") printed nothing' in result.output
    assert result.output.count("exited with errors") == 1
    assert "markdown_exec/_internal" not in result.output
    assert page_in_warnings.HINT in result.output


def test_quiet_strict_build_is_not_used_because_it_would_pass(tmp_path):
    # MkDocs' trap: with -q, --strict no longer fails on warnings. Our commands never pass -q.
    makefile = (FIXTURES.parent.parent / "Makefile").read_text(encoding="utf-8")
    assert "mkdocs build --strict" in makefile and " -q" not in makefile.split("build:")[1].split("\n\n")[0]


def test_missing_included_file_names_page_line_and_path(tmp_path):
    result = build(fixture_project("missing_include", tmp_path))
    assert result.returncode == 1
    line = source_line("missing_include", "docs/index.md", '--8<-- "snippets/gone.py"')
    assert f"docs/index.md:{line}: included file snippets/gone.py does not exist" in result.output
    assert "Traceback" not in result.output and "also_gone" not in result.output


# --- A slip in an expected-output fence's options fails the build; the page's other blocks still render. ---

SLIPPED_PAGE = """---
title: Slips
description: One block whose fence line slipped, between two good ones.
---

# Slips

```text expected-output="snippets/same.py"
unchanged
```

{opening}
Hello, world!
Second line stays
```

## Later heading

```text expected-output="snippets/same.py"
unchanged
```
"""


@pytest.mark.parametrize(
    ("opening", "message"),
    [
        ('```text expected-ouput="snippets/hello.py"', 'unknown option "expected-ouput" on this fence: did you mean expected-output?'),
        ("```text expected-output=snippets/hello.py", 'quote the value: expected-output="snippets/hello.py"'),
        ('```text expected-output = "snippets/hello.py"', 'remove the spaces around "=": expected-output="snippets/hello.py"'),
        ('```text expected-output="snippets/hello.py" timout="5"', 'unknown option "timout" on this fence: did you mean timeout?'),
    ],
    ids=["misspelt", "unquoted", "spaces around =", "unknown option"],
)
def test_slipped_fence_option_fails_strict_build_and_the_other_blocks_render(tmp_path, opening, message):
    project = fixture_project("mismatch", tmp_path)
    page = project / "docs" / "index.md"
    page.write_text(SLIPPED_PAGE.replace("{opening}", opening), encoding="utf-8")
    line = page.read_text(encoding="utf-8").split("\n").index(opening) + 1
    result = build(project)
    assert result.returncode == 1
    assert re.search(rf"WARNING - +docs/index\.md:{line}: .*{re.escape(message)}", result.output), result.output
    assert result.output.count("WARNING") == 1  # the good blocks passed
    html = build(project, strict=False).page()  # a strict build that fails keeps no site
    assert [title for title, _ in code_blocks(html)].count("Output of python snippets/same.py") == 2
    assert "Expected output block is malformed" in text_of(html) and message in text_of(html)
    assert 'id="later-heading"' in html  # not swallowed by a fence left unread


def test_single_quoted_block_is_checked_like_a_double_quoted_one(tmp_path):
    project = fixture_project("mismatch", tmp_path)
    page = project / "docs" / "index.md"
    opening = "```text expected-output='snippets/hello.py'"
    page.write_text(page.read_text(encoding="utf-8").replace('```text expected-output="snippets/hello.py"', opening), encoding="utf-8")
    line = page.read_text(encoding="utf-8").split("\n").index(opening) + 1
    stale = build(project)
    assert stale.returncode == 1
    assert f"docs/index.md:{line}: the expected output of snippets/hello.py no longer matches" in stale.output

    page.write_text(page.read_text(encoding="utf-8").replace("Hello, world\n", "Hello, world!\n"), encoding="utf-8")
    fresh = build(project)
    assert fresh.returncode == 0, fresh.output
    assert dict(code_blocks(fresh.page()))["Output of python snippets/hello.py"] == "Hello, world!\nSecond line stays\n"


def test_output_lines_that_look_like_includes_are_shown_as_printed(tmp_path):
    """pymdownx.snippets reads the page after the hook: its markers in an output must not include or drop lines."""
    project = fixture_project("include_lines_in_output", tmp_path)
    printed = subprocess.run(
        [sys.executable, "snippets/scissors.py"], cwd=project, capture_output=True, text=True, check=True
    ).stdout
    result = build(project, strict=False)
    assert result.returncode == 0, result.output
    assert dict(code_blocks(result.page()))["Output of python snippets/scissors.py"] == printed
    assert "would act on" not in text_of(result.page())  # the snippet's own source was not pulled in
    diff = text_of(result.page("stale"))
    context = "".join(f" {line}\n" for line in printed.splitlines()[1:4])  # a unified diff's 3 lines of context
    assert context in diff, diff
    assert "no such file" not in result.output.lower() and "not found" not in result.output.lower(), result.output


def test_output_that_changes_from_run_to_run_is_reported_and_not_written(tmp_path):
    """A set of strings prints in hash order: a reader running the snippet sees another order than the page."""
    project = fixture_project("raises", tmp_path)
    (project / "snippets" / "crash.py").write_text('print({"diffusion", "gan", "vae", "flow", "autoregressive"})\n', encoding="utf-8")
    page = project / "docs" / "index.md"
    before = page.read_bytes()
    update = update_expected(project)
    assert update.returncode != 0 and "printed something else when it ran again" in update.stdout + update.stderr
    assert page.read_bytes() == before
    result = build(project)
    assert result.returncode == 1
    assert f"docs/index.md:{fence_line('raises', 'index.md', 'snippets/crash.py')}: snippets/crash.py printed something else when it ran again" in result.output
    assert "--- first run" in result.output and "+++ second run" in result.output


def test_output_that_is_the_same_on_every_run_passes_both_runs(tmp_path):
    project = fixture_project("raises", tmp_path)
    (project / "snippets" / "crash.py").write_text('print(sorted({"diffusion", "gan", "vae", "flow", "autoregressive"}))\n', encoding="utf-8")
    assert update_expected(project).returncode == 0
    assert build(project).returncode == 0


def test_tabs_in_output_are_shown_as_a_terminal_shows_them(tmp_path):
    project = fixture_project("raises", tmp_path)
    (project / "snippets" / "crash.py").write_text('print("steps\\tscore")\nprint("50\\t10.0")\n', encoding="utf-8")
    assert update_expected(project).returncode == 0
    result = build(project)
    assert result.returncode == 0, result.output
    shown = [code for _, code in code_blocks(result.page())]
    assert "steps   score\n50      10.0" in [code.strip() for code in shown], shown
