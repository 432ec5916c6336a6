"""A hands-on wrapper that lacks what its script needs is a warning with the page and the wrapper's line."""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import FIXTURES, ROOT, build, fixture_project
from hands_on_markup import NEEDS_MD_IN_HTML, Wrapper, opening_lines, wrapper_problems, wrappers_in

PAGE = FIXTURES / "hands_on_mistakes" / "docs" / "index.md"
OPT_IN_EXTENSIONS = ("attr_list", "def_list", "md_in_html")  # what a lesson needs to opt in (the guide says so)


def mistake_lines() -> dict[str, int]:
    """What each <!-- mistake: ... --> comment of the fixture names, and the line of the wrapper under it."""
    lines = PAGE.read_text(encoding="utf-8").split("\n")
    return {
        match["what"]: number + 1
        for number, line in enumerate(lines, start=1)
        if (match := re.match(r"<!-- mistake: (?P<what>.*) -->", line))
    }


def project_with_the_hook(name: str, tmp_path, extensions: tuple[str, ...] = OPT_IN_EXTENSIONS):
    project = fixture_project(name, tmp_path)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"].append(str(ROOT / "hooks" / "hands_on_markup.py"))
    config["markdown_extensions"] += extensions
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return project


def test_each_mistake_is_named_at_its_wrapper_line_and_fails_a_strict_build(tmp_path):
    result = build(project_with_the_hook("hands_on_mistakes", tmp_path))
    assert result.returncode == 1
    reported = re.findall(r"WARNING - +docs/index\.md:(\d+): (.*)", result.output)
    expected = mistake_lines()
    assert sorted(int(line) for line, _ in reported) == sorted(expected.values()), result.output
    assert len(reported) == len(expected)  # one report per mistake
    messages = {int(line): message for line, message in reported}
    assert "put its expected-output block last" in messages[expected["no verified output"]]
    assert 'data-time-limit="ten" is not a number of seconds' in messages[expected["a time limit that is not seconds"]]
    assert "holds no code block to run" in messages[expected["nothing to run"]]
    assert "no definition list or numbered list" in messages[expected["no list"]]
    assert "holds 2 lists, and only the first gets answer fields" in messages[expected["two lists in one wrapper"]]
    assert "runs snippets/packing.py but its verified output is that of snippets/other.py" in messages[
        expected["code and output of different snippets"]
    ]
    assert "shows code that is not the whole of snippets/packing.py" in messages[
        expected["an excerpt next to the whole file's output"]
    ]
    lines = PAGE.read_text(encoding="utf-8").split("\n")
    first_untitled = lines.index('<div class="code-runner" markdown>', lines.index("An untitled runner:")) + 1
    assert f"under the name main.py, as the one at docs/index.md:{first_untitled} does" in messages[
        expected["a second runner saving under the same name"]
    ]


def test_the_course_and_a_correct_fixture_build_without_a_word(tmp_path):
    result = build(project_with_the_hook("hands_on", tmp_path))
    assert result.returncode == 0, result.output
    assert "hands_on_markup" not in result.output and "wrapper" not in result.output


def test_the_hook_leaves_the_html_as_it_was(tmp_path):
    on = build(project_with_the_hook("hands_on", tmp_path / "on"))
    off_project = fixture_project("hands_on", tmp_path / "off")
    config = yaml.safe_load((off_project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["markdown_extensions"] += OPT_IN_EXTENSIONS
    (off_project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    assert on.page() == build(off_project).page()


def test_a_site_without_md_in_html_is_told_to_add_it_once_per_page(tmp_path):
    result = build(project_with_the_hook("hands_on", tmp_path, extensions=("attr_list", "def_list")))
    assert result.returncode == 1
    warnings = re.findall(r"WARNING - +(.*)", result.output)
    pages = sorted(
        f"docs/{page.name}" for page in (FIXTURES / "hands_on" / "docs").glob("*.md")
        if re.search(r'class="(code-runner|fill-in)"', page.read_text(encoding="utf-8"))
    )
    assert pages and sorted(warnings) == [f"{page}: {NEEDS_MD_IN_HTML}" for page in pages], result.output


def test_a_wrapper_in_fenced_code_is_not_counted():
    text = '```html\n<div class="code-runner" markdown>\n```\n\n<div class="code-runner" markdown>\n\n</div>\n'
    assert opening_lines(text, "code-runner") == [5]


def test_what_the_runner_script_reads_is_what_is_checked():
    html = (
        '<div class="code-runner" data-time-limit="0"><div class="language-python highlight">'
        '<span class="filename">snippets/a.py</span><pre><code>print(1)</code></pre></div>'
        '<div class="language-text highlight"><span class="filename">Output of python snippets/a.py</span>'
        "<pre><code>1</code></pre></div></div>"
    )
    (wrapper,) = wrappers_in(html)
    assert wrapper.block_titles == ["snippets/a.py", "Output of python snippets/a.py"]
    assert [problem.split(" is ")[0] for problem in wrapper_problems(wrapper)] == ['data-time-limit="0"']


@pytest.mark.parametrize("limit", ["10", "2.5", None])
def test_a_sound_runner_has_no_problem(limit):
    attributes = {} if limit is None else {"data-time-limit": limit}
    wrapper = Wrapper("code-runner", attributes, ["snippets/a.py", "Output of python snippets/a.py"])
    assert wrapper_problems(wrapper) == []


def test_a_runner_whose_output_check_failed_is_not_reported_twice():
    wrapper = Wrapper("code-runner", {}, ["snippets/a.py", ""], failed_check=True)
    assert wrapper_problems(wrapper) == []
