"""``make serve`` rebuilds only what an edit affects, and the site is the one a whole build gives.

``hooks/serve_rebuilds.py`` runs under ``mkdocs serve --dirty``. Here one process
rebuilds the differential corpus (tests/fixtures/differential: every markdown-exec
feature, a CSV and snippet modules its blocks read) the way ``mkdocs serve``
does (tests/serve_builds.py), through a series of edits; after each, a fresh
process builds the same tree whole, and every file of the two sites (pages,
search index, sitemap) must be byte-identical, and the two logs must warn the same.
The corpus is served without its nav, so that the navigation shows each page's own
title (a rebuild must keep the titles of the pages it did not render), and with the
project's link checks (a page not rebuilt must still warn of a link whose anchor went).

One normalisation, documented in docs/contributing.md: markdown-exec numbers its
Python blocks per process and never starts again (``_code_block_nN_``,
``<code block: nN>``), so a page rebuilt in a long-lived process shows higher
numbers than a fresh build would (plain ``mkdocs serve`` does the same), in
module names and tracebacks, and in the search index that quotes them.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, Build, copy_project, mkdocs_env
from course_copy import add_to_nav, lesson_from_template
from test_differential import differences, log_lines, new_corpus_tree, project_setting, replace_in, report, reset

SERVE_BUILDS = ROOT / "tests" / "serve_builds.py"
# _code_block_n3_, _code_block_session_tally_n2_, <code block: n3>, <code block: session tally; n2>
BLOCK_NUMBER = re.compile(rb"(code[ _]block[^<>\n]{0,60}?n)\d+")
REBUILT = re.compile(r"Rebuilt (\d+) of (\d+) pages(?:: (.*))?$", re.MULTILINE)


class ServeProcess:
    """One long-lived process that rebuilds a tree as `mkdocs serve --dirty` does, on request."""

    def __init__(self, tree: Path, site: Path, dirty: bool = True) -> None:
        command = [sys.executable, str(SERVE_BUILDS), str(tree), str(site), *(["--dirty"] if dirty else [])]
        self.site = site
        self.log = site.with_suffix(".log")
        self.process = subprocess.Popen(
            command, cwd=tree, env=mkdocs_env(PYTHONPATH=str(tree / "snippets")), text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log.open("w"),
        )

    def rebuild(self, fails: bool = False) -> Build:
        """Rebuild now (one that must fail when ``fails``); the log of this build only."""
        start = self.log.stat().st_size
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        outcome = self.process.stdout.readline()
        output = self.log.read_text(encoding="utf-8")[start:]
        assert outcome.startswith("failed" if fails else "built"), f"{outcome}\n{output}"
        return Build(1 if fails else 0, output, self.site)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def served_config(tree: Path) -> None:
    """No nav, so every page's title in the navigation comes from the page itself; and the project's link
    checks (a link to a missing anchor is a warning)."""
    config = yaml.safe_load((tree / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("nav", None)
    config["validation"] = project_setting("validation")
    (tree / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def whole_build(tree: Path, site: Path) -> Build:
    """A fresh process's whole build of the tree, as plain `mkdocs serve` makes each one."""
    server = ServeProcess(tree, site, dirty=False)
    try:
        return server.rebuild()
    finally:
        server.close()


def normalised(site: Path) -> None:
    """Replace markdown-exec's per-process block numbers (see the module docstring)."""
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json"}:
            path.write_bytes(BLOCK_NUMBER.sub(rb"\1N", path.read_bytes()))


def warned(build: Build) -> list[str]:
    """The log's warnings and the corpus's own lines (test_differential.log_lines), block numbers normalised."""
    return sorted(BLOCK_NUMBER.sub(rb"\1N", line.encode()).decode() for line in log_lines(build.output))


def rebuilt_pages(build: Build) -> tuple[int, int, set[str]]:
    """From the hook's summary line: pages rendered, pages in all, and the names it lists (up to twelve)."""
    found = REBUILT.findall(build.output)
    assert found, f"no 'Rebuilt N of M pages' line in the log:\n{build.output}"
    rebuilt, pages, names = found[-1]
    return int(rebuilt), int(pages), set(filter(None, names.split(", ")))


def add_generated_heading(tree: Path) -> None:
    """A block printing a heading, on the first page: every later page's markdown-exec ids shift."""
    block = '```python exec="on"\nprint("## Early")\n```\n'
    replace_in(tree / "docs" / "index.md", "# Plain blocks\n", f"# Plain blocks\n\n{block}")


def add_page(tree: Path) -> None:
    (tree / "docs" / "extra.md").write_text("# Extra\n\nA page added while serving.\n", encoding="utf-8")


def remove_page(tree: Path) -> None:
    (tree / "docs" / "extra.md").unlink()


def link_to_an_anchor(tree: Path) -> None:
    link = "See [the headings written by hand](headings.md#written-by-hand).\n"
    replace_in(tree / "docs" / "sources.md", "# Showing the source\n", f"# Showing the source\n\n{link}")


def remove_the_anchor(tree: Path) -> None:
    """sources.md, not rebuilt, now links to an anchor that is gone: its link check must still warn."""
    replace_in(tree / "docs" / "headings.md", "## Written by hand\n", "## Written by a person\n")


def link_to_missing_anchor(tree: Path) -> None:
    link = "See [the data](data.md#no-such-section).\n"
    replace_in(tree / "docs" / "sources.md", "# Showing the source\n", f"# Showing the source\n\n{link}")


def add_greeting_and_program_pages(tree: Path) -> None:
    """greet-b.md imports the module greet-a.md imported just before it in the build, so it must depend
    on it too;
    program.md reads the CSV through another program, whose reads are not seen; saved.md reads a file
    that is saved again while the build runs. The last two are rendered at every rebuild."""
    greet = '```python exec="on"\nfrom greetings import greet\n\nprint(greet("{0}"))\n```\n'
    front = "---\ntitle: {0}\ndescription: A page added while serving.\n---\n\n# {0}\n\n"
    for name, person in (("greet-a", "Grace"), ("greet-b", "Alan")):  # one after the other in the build
        (tree / "docs" / f"{name}.md").write_text(front.format(person) + greet.format(person), encoding="utf-8")
    program = '```sh exec="on"\ncat data/harvest.csv\n```\n'
    (tree / "docs" / "program.md").write_text(front.format("A program") + program, encoding="utf-8")
    # As if the CSV were saved while the page was being built: what it showed may already be out of date.
    code = 'import os\n\nprint(open("data/harvest.csv").readline())\nos.utime("data/harvest.csv")\n'
    saved = f'```python exec="on"\n{code}```\n'
    (tree / "docs" / "saved.md").write_text(front.format("Saved while built") + saved, encoding="utf-8")


def edit_shared_module(tree: Path) -> None:
    replace_in(tree / "snippets" / "greetings.py", "Good morning", "Good evening")


def edit_data_again(tree: Path) -> None:
    replace_in(tree / "data" / "harvest.csv", "millet,6\n", "millet,8\n")


def ask_for_a_missing_template(tree: Path) -> None:
    title = "title: Generated headings\n"
    replace_in(tree / "docs" / "headings.md", title, f"{title}template: missing.html\n")


def drop_the_missing_template(tree: Path) -> None:
    replace_in(tree / "docs" / "headings.md", "template: missing.html\n", "")


def edit_the_config(tree: Path) -> None:
    config = yaml.safe_load((tree / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_description"] = "Served while edited."
    (tree / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def edit_prose(tree: Path) -> None:
    replace_in(tree / "docs" / "data.md", "the page's prose", "the page's edited prose")


def edit_data_file(tree: Path) -> None:
    replace_in(tree / "data" / "harvest.csv", "oats,9\n", "oats,15\nmillet,6\n")


def edit_snippet_module(tree: Path) -> None:
    replace_in(tree / "snippets" / "harvest.py", 'UNIT = "tonnes"', 'UNIT = "quintals"')


def rename_page(tree: Path) -> None:
    replace_in(tree / "docs" / "data.md", "title: Data\n", "title: Data, renamed\n")
    replace_in(tree / "docs" / "data.md", "\n# Data\n", "\n# Data, renamed\n")  # renamed in both places


# The real course grown by a lesson from the template whose expected output comes from a
# snippet that reads a data file (nothing else reads it).
GROWN = "lessons/grown.md"
STEPS_SNIPPET = """\"\"\"The steps a reader follows, read from data/grown_steps.txt.\"\"\"

from pathlib import Path

for number, step in enumerate(Path("data/grown_steps.txt").read_text(encoding="utf-8").split("\\n"), 1):
    if step:
        print(f"{number}. {step}")
"""


def grown_course(tree: Path) -> None:
    copy_project(tree)
    lesson = lesson_from_template(tree, "grown", "12.2.9 Grown lesson")
    add_to_nav(tree, "12.2.9 Grown lesson", lesson)
    (tree / "snippets" / "grown_steps.py").write_text(STEPS_SNIPPET, encoding="utf-8")
    (tree / "data").mkdir(exist_ok=True)
    (tree / "data" / "grown_steps.txt").write_text("read the idea\nrun the code\ncompare with the page\n")
    text = lesson.read_text(encoding="utf-8").replace("snippets/template_example.py", "snippets/grown_steps.py")
    lesson.write_text(text, encoding="utf-8")


def edit_steps_data(tree: Path) -> None:
    replace_in(tree / "data" / "grown_steps.txt", "run the code\n", "run the code twice\n")


def restore_steps_data(tree: Path) -> None:
    replace_in(tree / "data" / "grown_steps.txt", "run the code twice\n", "run the code\n")


def edit_lesson_snippet(tree: Path) -> None:
    snippet = tree / "snippets" / "trend_ranking.py"
    replace_in(snippet, '"faster sampling", "product_value": 9,', '"faster sampling", "product_value": 3,')


def restore_lesson_snippet(tree: Path) -> None:
    snippet = tree / "snippets" / "trend_ranking.py"
    replace_in(snippet, '"faster sampling", "product_value": 3,', '"faster sampling", "product_value": 9,')


def edit_grown_prose(tree: Path) -> None:
    replace_in(tree / "docs" / GROWN, "## First idea\n", "## First idea\n\nEdited while serving.\n")


def read_steps_through_a_program(tree: Path) -> None:
    """The same output, read by `cat`: what the snippet's run reads is no longer known."""
    reading = 'Path("data/grown_steps.txt").read_text(encoding="utf-8")'
    program = 'subprocess.run(["cat", "data/grown_steps.txt"], capture_output=True, text=True, check=True).stdout'
    snippet = tree / "snippets" / "grown_steps.py"
    replace_in(snippet, reading, program)
    replace_in(snippet, "from pathlib import Path\n", "import subprocess\n")


def edit_theme_override(tree: Path) -> None:
    template = tree / "overrides" / "main.html"
    template.write_text(template.read_text(encoding="utf-8") + "{# edited while serving #}\n", encoding="utf-8")


def edit_grown_description(tree: Path) -> None:
    replace_in(tree / "docs" / GROWN, "One sentence that says", "One edited sentence that says")


EVERY_PAGE = None
FAILS = "the build fails"  # a step whose rebuild must fail (the server keeps serving); not compared


@dataclass
class Scenario:
    """A tree to serve, the edits made to it one after another, and what each rebuild must render:
    the pages named (besides ``always_rendered``: pages whose last build warned, so their warnings are
    logged again, or whose reads are not all known), or EVERY_PAGE."""

    make: Callable[[Path], None]
    edits: list[tuple[str, Callable[[Path], None], set[str] | str | None]]
    always_rendered: set[str] = field(default_factory=set)

    def steps(self) -> list[str]:
        return ["first build", *self.edit_steps()]

    def edit_steps(self) -> list[str]:
        return [name for name, _, expected in self.edits if expected is not FAILS]


def corpus(tree: Path) -> None:
    new_corpus_tree(tree)
    reset(tree, hooks_on=True)
    served_config(tree)
    # Pages whose blocks leave state in the process, which a long-lived process keeps for the next rebuild,
    # under plain `mkdocs serve` as well (limits in docs/contributing.md): matplotlib's settings and the
    # random generator's seed; a colormap that a module registers when imported, again on each rebuild.
    # And a page that numbers the threads it starts: a serving process has started threads of its own.
    for page in LEAVE_STATE:
        (tree / "docs" / page).unlink()


LEAVE_STATE = ("state.md", "imports.md", "process.md")


SCENARIOS = {
    "corpus": Scenario(
        corpus,
        [
            ("unchanged", lambda tree: None, set()),
            ("prose", edit_prose, {"data.md"}),
            ("data file", edit_data_file, {"data.md"}),  # data.md reads it; charts.md too, through harvest.py
            ("snippet module", edit_snippet_module, {"data.md"}),
            ("title", rename_page, EVERY_PAGE),  # in every page's navigation
            ("ids shift", add_generated_heading, EVERY_PAGE),  # every page after it: a whole build's ids
            ("page added", add_page, EVERY_PAGE),
            ("page removed", remove_page, EVERY_PAGE),
            ("anchor link", link_to_an_anchor, {"sources.md"}),
            ("anchor removed", remove_the_anchor, {"headings.md"}),
            ("broken anchor link", link_to_missing_anchor, {"sources.md"}),
            ("pages added for modules and programs", add_greeting_and_program_pages, EVERY_PAGE),
            # data.md reads the CSV that saved.md saves during each build: rendered every time, too.
            ("module two pages use", edit_shared_module,
             {"index.md", "greet-a.md", "greet-b.md", "program.md", "saved.md", "data.md"}),
            ("data a program reads", edit_data_again, {"data.md", "program.md", "saved.md"}),
            ("configuration", edit_the_config, EVERY_PAGE),
            ("a build fails", ask_for_a_missing_template, FAILS),
            ("after a failed build", drop_the_missing_template, EVERY_PAGE),  # markdown-exec's ids from 1 again
        ],
        # failures.md: blocks that raise and warn; charts.md: plain matplotlib SVGs, which the hooks warn
        # about; languages.md: sh and console blocks, which start programs whose reads are not seen.
        always_rendered={"failures.md", "charts.md", "languages.md"},
    ),
    "course": Scenario(
        grown_course,
        [
            ("unchanged", lambda tree: None, set()),
            ("data a snippet reads", edit_steps_data, {GROWN}),  # expected output out of date
            ("data restored", restore_steps_data, {GROWN}),
            ("lesson snippet", edit_lesson_snippet, {"lessons/latest-progress.md"}),
            ("lesson snippet restored", restore_lesson_snippet, {"lessons/latest-progress.md"}),
            ("prose", edit_grown_prose, {GROWN, "index.md"}),  # the module home lists the lessons
            ("snippet starts a program", read_steps_through_a_program, {GROWN}),
            ("unchanged, a snippet's reads unknown", lambda tree: None, {GROWN}),  # rendered every time
            ("description", edit_grown_description, EVERY_PAGE),  # its front matter
            ("theme override", edit_theme_override, EVERY_PAGE),  # every page's template
        ],
    ),
}


def serve_steps(scenario: Scenario, tree: Path, sites: Path) -> dict[str, tuple[Build, Build]]:
    """The tree served and edited step by step; per step, the served site's build and a whole build."""
    server = ServeProcess(tree, sites / "served")
    steps = {}
    try:
        for number, (name, edit, expected) in enumerate([("first build", lambda tree: None, None), *scenario.edits]):
            edit(tree)
            if expected is FAILS:
                server.rebuild(fails=True)
                continue
            served = server.rebuild()
            # The served site changes at the next rebuild: compare a copy of this step's.
            copy = sites / f"served-{number}"
            subprocess.run(["cp", "-a", str(served.site), str(copy)], check=True)
            whole = whole_build(tree, sites / f"whole-{number}")
            normalised(copy)
            normalised(whole.site)
            steps[name] = (Build(0, served.output, copy), whole)
    finally:
        server.close()
    return steps


@pytest.fixture(scope="module")
def serve_runs(tmp_path_factory):
    runs = {}

    def run(name: str) -> dict[str, tuple[Build, Build]]:
        if name not in runs:
            runs[name] = None  # served once: a scenario that fails fails every test of it at once
            tree = tmp_path_factory.mktemp(f"serve-{name}") / "tree"
            SCENARIOS[name].make(tree)
            runs[name] = serve_steps(SCENARIOS[name], tree, tmp_path_factory.mktemp(f"serve-{name}-sites"))
        assert runs[name] is not None, f"serving the {name} scenario failed: see the first of its tests"
        return runs[name]

    return run


ALL_STEPS = [(name, step) for name, scenario in SCENARIOS.items() for step in scenario.steps()]
EDIT_STEPS = [(name, step) for name, scenario in SCENARIOS.items() for step in scenario.edit_steps()]


@pytest.mark.parametrize(("scenario", "step"), ALL_STEPS)
def test_the_served_site_is_the_whole_build(serve_runs, scenario, step):
    served, whole = serve_runs(scenario)[step]
    found = differences(whole, served, "*", ("whole build", "served"))
    assert not found, report(f"{scenario}, after the step {step!r}: served versus a whole build", found)


@pytest.mark.parametrize(("scenario", "step"), ALL_STEPS)
def test_the_served_log_warns_as_a_whole_build(serve_runs, scenario, step):
    served, whole = serve_runs(scenario)[step]
    if step == "ids shift":
        # Pages rendered again to number their ids as a whole build does log their warnings twice.
        assert set(warned(served)) == set(warned(whole))
        return
    diff = "\n".join(difflib.unified_diff(warned(whole), warned(served), "whole build", "served", n=0, lineterm=""))
    assert not diff, f"{scenario}, after the step {step!r}, the logs warn differently:\n{diff}"


@pytest.mark.parametrize(("scenario", "step"), EDIT_STEPS)
def test_a_rebuild_renders_only_the_pages_an_edit_affects(serve_runs, scenario, step):
    served, _ = serve_runs(scenario)[step]
    expected = next(pages for name, _, pages in SCENARIOS[scenario].edits if name == step)
    rebuilt, pages, names = rebuilt_pages(served)
    if expected is EVERY_PAGE:
        assert rebuilt == pages, served.output
    else:
        assert names == expected | SCENARIOS[scenario].always_rendered, served.output

