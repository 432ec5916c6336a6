"""The build cache reuses a result only while every input it read is unchanged, and never breaks a build.

Only snippet runs are cached (each in a process of its own). markdown-exec's blocks run on every
build (hooks/code_blocks.py says why); the chart tests below hold the page to what the code
prints now, so a cache of block results, if one came back, would have to pass them too.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import ROOT, build, build_imports_matplotlib, copy_project, fixture_project, mkdocs_env
from html_text import code_blocks
from markdown_fences import fences
from test_time_limits import processes_running, wait_until
import result_cache

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench import synthetic_course  # noqa: E402  (the benchmark's course: copies of the lesson, each with its own code)


def counts(result) -> dict[str, tuple[int, int]]:
    """{kind: (reused, computed)} from the build's "Build cache:" line."""
    line = re.search(r"Build cache[^:]*: (.* computed)$", result.output, flags=re.MULTILINE)
    assert line, result.output
    return {
        kind.strip(): (int(reused), int(computed))
        for kind, reused, computed in re.findall(r"([a-z ]+?) (\d+) reused (\d+) computed", line.group(1))
    }


def code_on_pages(project: Path) -> dict[str, int]:
    """How many snippets the published pages run (the cache's only kind)."""
    return code_in(*(page for page in (project / "docs").rglob("*.md") if not page.name.startswith("_")))


def code_in(*pages: Path) -> dict[str, int]:
    """The same for some pages (a snippet named by several blocks runs once)."""
    snippets = {
        fence.options["expected-output"]
        for page in pages
        for fence in fences(page.read_text(encoding="utf-8"))
        if "expected-output" in fence.options
    }
    return {"snippet run": len(snippets)} if snippets else {}


def all_computed(project: Path) -> dict[str, tuple[int, int]]:
    return {kind: (0, n) for kind, n in code_on_pages(project).items()}


def all_reused(project: Path) -> dict[str, tuple[int, int]]:
    return {kind: (n, 0) for kind, n in code_on_pages(project).items()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def chart(code: str) -> str:
    """A markdown-exec chart block running the code."""
    return f'```python exec="on" html="on"\n{code}```\n'


def add_to_page(project: Path, markdown: str) -> None:
    """Append Markdown to the fixture's first page."""
    page = project / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + markdown, encoding="utf-8")


def add_snippet(project: Path, name: str, code: str, output: str) -> None:
    """Write snippets/NAME.py and show its expected output on the fixture's first page."""
    (project / "snippets" / f"{name}.py").write_text(code, encoding="utf-8")
    add_to_page(project, f'```text expected-output="snippets/{name}.py"\n{output}```\n')


def pages(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*.html"))}


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the real site whose cache has been filled by one build."""
    copy = copy_project(tmp_path / "project")
    first = build(copy)
    assert first.returncode == 0, first.output
    assert counts(first) == all_computed(copy)
    return copy


def test_unchanged_rebuild_reuses_everything_and_renders_the_same(project):
    before = pages(project / "site")
    again = build(project)
    assert again.returncode == 0, again.output
    assert counts(again) == all_reused(project)
    assert pages(project / "site") == before


def test_a_changed_input_of_every_result_runs_everything_again(project):
    edit(project / "hooks" / "snippet_runner.py", 'CACHE_KIND = "snippet run"', 'CACHE_KIND = "snippet" " run"')  # hooks' code
    again = build(project)
    assert again.returncode == 0, again.output
    assert counts(again) == all_computed(project)


def test_a_changed_snippet_recomputes_what_read_it_and_nothing_else(project):
    # This lesson's snippet is read by its own snippet runs; any other lesson's snippets are reused.
    edit(project / "snippets" / "trend_ranking.py", "# Value and stability", "# Still: value and stability")
    again = build(project)
    assert again.returncode == 0, again.output
    lesson = code_in(project / "docs" / "lessons" / "latest-progress.md")
    total = {kind: n for kind, (_, n) in all_computed(project).items()}
    assert counts(again) == {kind: (total[kind] - lesson.get(kind, 0), lesson.get(kind, 0)) for kind in total}


def test_an_environment_variable_is_an_input(project):
    again = build(project, SOME_SETTING_A_SNIPPET_MIGHT_READ="1")
    assert again.returncode == 0, again.output
    assert counts(again) == all_computed(project)


def test_prose_edit_reuses_code_results(project):
    lesson = next((project / "docs" / "lessons").glob("*.md"))
    edit(lesson, "## Summary\n", "## Summary\n\nA new sentence.\n")
    again = build(project)
    assert again.returncode == 0, again.output
    assert counts(again) == all_reused(project)
    assert "A new sentence." in (project / "site" / "lessons" / lesson.stem / "index.html").read_text(encoding="utf-8")


def test_expected_output_is_still_checked_on_a_cached_run(project):
    lesson = project / "docs" / "lessons" / "latest-progress.md"
    edit(lesson, "'score': 6.0}", "'score': 6.5}")
    again = build(project)
    assert again.returncode == 1
    assert counts(again)["snippet run"] == all_reused(project)["snippet run"]
    assert "+{'name': 'stronger controllable editing'" in again.output and "'score': 6.5}" in again.output


def chart_reading(data_file: str) -> str:
    return chart(
        "from pathlib import Path\n"
        f"rows = Path({data_file!r}).read_text().split()\n"
        "print('<ul>' + ''.join(f'<li>{row}</li>' for row in rows) + '</ul>')\n"
    )


@pytest.mark.parametrize("data_file", ["docs/data/rows.csv", "data/rows.csv"])
def test_a_changed_data_file_read_by_a_chart_changes_the_page_on_the_next_build(tmp_path, data_file):
    project = fixture_project("two_lessons", tmp_path)
    (project / data_file).parent.mkdir(parents=True, exist_ok=True)
    (project / data_file).write_text("alpha\nbeta\n", encoding="utf-8")
    add_to_page(project, chart_reading(data_file))
    assert build(project).returncode == 0
    (project / data_file).write_text("alpha\ngamma\n", encoding="utf-8")
    again = build(project)
    assert again.returncode == 0, again.output
    assert "<li>gamma</li>" in again.page() and "<li>beta</li>" not in again.page()


def test_a_file_a_chart_only_looks_for_changes_the_page_on_the_next_build(tmp_path):
    # Path.exists() opens nothing, so no record of what a run read would see the flag appear.
    project = fixture_project("two_lessons", tmp_path)
    (project / "data").mkdir()
    add_to_page(project, chart("from pathlib import Path\nprint('<p>flag set</p>' if Path('data/flag').exists() else '<p>no flag</p>')\n"))
    assert "<p>no flag</p>" in build(project).page()
    (project / "data" / "flag").write_text("", encoding="utf-8")
    again = build(project)
    assert again.returncode == 0, again.output
    assert "<p>flag set</p>" in again.page()


def test_a_module_two_charts_import_runs_its_top_level_code_once_per_build(tmp_path):
    # As in any Python program: the second import finds the module loaded. A module that registers a
    # colormap when imported would fail the second time (and markdown-exec alone runs it once).
    project = fixture_project("two_lessons", tmp_path)
    (project / "snippets" / "registry.py").write_text(
        "import tempfile\nfrom pathlib import Path\n\n"
        f"log = Path(tempfile.gettempdir()) / 'registry-imports-{tmp_path.name}.log'\n"
        "log.write_text(log.read_text() + 'imported\\n' if log.exists() else 'imported\\n')\n",
        encoding="utf-8",
    )
    add_to_page(project, "\n".join(chart(f'import registry\nprint("<p>{name}</p>")\n') for name in ("first", "second")))
    log = Path(tempfile.gettempdir()) / f"registry-imports-{tmp_path.name}.log"
    try:
        for builds in (1, 2):
            result = build(project)
            assert result.returncode == 0, result.output
            assert log.read_text() == "imported\n" * builds
    finally:
        log.unlink(missing_ok=True)


READERS = {
    # A pool's thread opens the file: threads the snippet starts record into its run.
    "a thread": (
        "from concurrent.futures import ThreadPoolExecutor\n"
        "with ThreadPoolExecutor(2) as pool:\n"
        "    value = pool.submit(lambda: open('data/value.txt').read().strip()).result()\n"
    ),
    # SQLite opens the file in C: no "open" event, only "sqlite3.connect".
    "sqlite": (
        "import sqlite3\n"
        "with sqlite3.connect('data/value.sqlite') as db:\n"
        "    value = db.execute('select v from t').fetchone()[0]\n"
        "db.close()\n"
    ),
    # ATTACH DATABASE opens a file without any event at all.
    "an attached database": (
        "import sqlite3\n"
        "db = sqlite3.connect(':memory:')\n"
        "db.execute(\"attach database 'data/value.sqlite' as d\")\n"
        "value = db.execute('select v from d.t').fetchone()[0]\n"
        "db.close()\n"
    ),
    # multiprocessing's spawn starts Python without an event; the read happens in that process.
    "a spawned process": (
        "import multiprocessing\nimport pathlib\n\n"
        "def read(path):\n"
        "    return pathlib.Path(path).read_text().strip()\n\n"
        "if __name__ == '__main__':\n"
        "    with multiprocessing.get_context('spawn').Pool(1) as pool:\n"
        "        value = pool.apply(read, ('data/value.txt',))\n"
    ),
}
# What these read is not all known (a SQLite connection may attach any file; a spawned process is not
# recorded): they run on every build.
RUN_ON_EVERY_BUILD = {"sqlite", "an attached database", "a spawned process"}


def write_value(project: Path, value: str) -> None:
    (project / "data").mkdir(exist_ok=True)
    (project / "data" / "value.txt").write_text(value + "\n", encoding="utf-8")
    database = project / "data" / "value.sqlite"
    database.unlink(missing_ok=True)
    with sqlite3.connect(database) as db:
        db.execute("create table t (v text)")
        db.execute("insert into t values (?)", (value,))
    db.close()


@pytest.mark.parametrize("reader", READERS)
def test_a_data_file_a_snippet_reads_another_way_is_never_served_stale(tmp_path, reader):
    project = fixture_project("two_lessons", tmp_path)
    write_value(project, "old")
    printed = "if __name__ == '__main__':\n    print(f'value {value}')\n"
    add_snippet(project, "value", READERS[reader] + printed, "value old\n")
    first = build(project)
    assert first.returncode == 0, first.output
    assert counts(first) == all_computed(project)
    second = build(project)
    assert second.returncode == 0, second.output
    if reader in RUN_ON_EVERY_BUILD:
        reused = all_reused(project)["snippet run"][0]
        assert counts(second) == {"snippet run": (reused - 1, 1)}
    else:
        assert counts(second) == all_reused(project)
    write_value(project, "new")
    again = build(project)
    assert again.returncode == 1
    assert "-value old\n+value new" in again.output


def test_a_snippet_that_writes_a_file_runs_on_every_build(tmp_path):
    # A count it keeps in data/: reusing its output would skip the write, and the count would stop.
    project = fixture_project("two_lessons", tmp_path)
    (project / "data").mkdir()
    add_snippet(
        project,
        "visit",
        "from pathlib import Path\n"
        "count = Path('data/visits.txt')\n"
        "count.write_text(str(int(count.read_text()) + 1 if count.exists() else 1))\n"
        "print('visited')\n",
        "visited\n",
    )
    for visit in (1, 2, 3):
        result = build(project)
        assert result.returncode == 0, result.output
        computed = counts(result)["snippet run"][1]
        assert computed == (all_computed(project)["snippet run"][1] if visit == 1 else 1)
        assert (project / "data" / "visits.txt").read_text() == str(visit)


def test_a_snippet_that_leaves_every_file_as_it_found_it_is_cached(tmp_path):
    # matplotlib makes its config and cache folders with exist_ok on every start; a scratch folder made
    # and removed; a folder made that was there already: none of it is a change a later build would miss.
    project = fixture_project("two_lessons", tmp_path)
    (project / "data").mkdir()
    add_snippet(
        project,
        "tidy",
        "import io, tempfile\n"
        "from pathlib import Path\n"
        "from matplotlib.figure import Figure\n"
        "Path('data').mkdir(exist_ok=True)\n"
        "with tempfile.TemporaryDirectory() as scratch:\n"
        "    (Path(scratch) / 'notes.txt').write_text('scratch')\n"
        "Figure().savefig(io.StringIO(), format='svg')\n"
        "print('tidy')\n",
        "tidy\n",
    )
    first = build(project)
    assert first.returncode == 0, first.output
    again = build(project)
    assert again.returncode == 0, again.output
    assert counts(again) == all_reused(project)


def test_a_chart_block_that_writes_a_file_of_the_project_runs_on_every_build(tmp_path):
    # Without the cache it writes on every build, and what it shows follows: a count it keeps in data/.
    project = fixture_project("two_lessons", tmp_path)
    (project / "data").mkdir()
    add_to_page(
        project,
        chart(
            "from pathlib import Path\n"
            "count = Path('data/visits.txt')\n"
            "visits = int(count.read_text()) + 1 if count.exists() else 1\n"
            "count.write_text(str(visits))\n"
            'print(f"<p>visit {visits}</p>")\n'
        ),
    )
    for visit in (1, 2, 3):
        result = build(project)
        assert result.returncode == 0, result.output
        assert f"<p>visit {visit}</p>" in result.page()


def test_a_chart_block_that_goes_around_the_log_and_output_says_the_same_on_every_build(tmp_path):
    # Its own log record factory, and bytes written under sys.stdout: a cache would have to replay them.
    project = fixture_project("two_lessons", tmp_path)
    add_to_page(
        project,
        chart(
            "import logging\n"
            "logging.setLogRecordFactory(logging.LogRecord)\n"
            "logging.getLogger('mkdocs.chart').warning('said by a block with its own factory')\n"
            "print('<p>factory</p>')\n"
        )
        + "\n"
        + chart(
            "import sys\n"
            "sys.stdout.buffer.write(b'bytes on standard output\\n')\n"
            "sys.stdout.buffer.flush()\n"
            "print('<p>bytes</p>')\n"
        ),
    )
    clean = build(project, strict=False)
    warm = build(project, strict=False)

    def said(output: str) -> list[str]:
        return [line for line in output.splitlines() if "own factory" in line or "bytes on standard" in line]

    assert len(said(clean.output)) == 2 and said(warm.output) == said(clean.output), clean.output + warm.output


def test_a_changed_data_file_read_by_a_snippet_is_never_served_stale(tmp_path):
    project = fixture_project("two_lessons", tmp_path)
    (project / "docs" / "names.txt").write_text("Ada\nGrace\n", encoding="utf-8")
    (project / "snippets" / "greet.py").write_text(
        "from pathlib import Path\n\n"
        "for name in Path('docs/names.txt').read_text().split():\n"
        "    print(f'Hello, {name}!')\n",
        encoding="utf-8",
    )
    assert build(project).returncode == 0
    (project / "docs" / "names.txt").write_text("Ada\nLinus\n", encoding="utf-8")
    stale = build(project)
    assert stale.returncode == 1
    assert "-Hello, Grace!\n+Hello, Linus!" in stale.output


def test_a_data_file_saved_while_its_snippet_runs_is_never_served_stale(tmp_path):
    # The run read the old value; the file's digest, taken when the run ended, is the new one's. Stored
    # together, the next build would reuse the old output as if it matched the new file.
    project = fixture_project("two_lessons", tmp_path)
    (project / "docs" / "value.txt").write_text("old", encoding="utf-8")
    add_snippet(
        project, "slow_reader",
        "import time\nfrom pathlib import Path\n\nprint('value', Path('docs/value.txt').read_text())\ntime.sleep(3)\n",
        "value old\n",
    )
    first = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=mkdocs_env(),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        assert wait_until(lambda: processes_running("snippets/slow_reader.py"), 60), "the snippet never started"
        time.sleep(1)  # it has read the file and sleeps
        (project / "docs" / "value.txt").write_text("new", encoding="utf-8")
        output, _ = first.communicate(timeout=120)
    finally:
        first.kill()
    assert first.returncode == 0, output  # it printed what the file held when it read it
    again = build(project)
    assert again.returncode == 1, again.output
    assert "-value old\n+value new" in again.output


def test_an_edited_module_outside_the_project_reaches_every_chart_that_imports_it(tmp_path):
    # A course library on PYTHONPATH, next to the project: the second block finds it loaded already.
    project = fixture_project("two_lessons", tmp_path / "course")
    library = tmp_path / "library"
    library.mkdir()
    (library / "course_style.py").write_text('ACCENT = "indigo"\n', encoding="utf-8")
    block = 'import course_style\nprint(f"<p>NAME in {course_style.ACCENT}</p>")\n'
    add_to_page(project, "\n".join(chart(block.replace("NAME", name)) for name in ("first", "second")))
    assert build(project, PYTHONPATH=str(library)).returncode == 0
    (library / "course_style.py").write_text('ACCENT = "crimson"\n', encoding="utf-8")
    again = build(project, PYTHONPATH=str(library))
    assert again.returncode == 0, again.output
    assert "<p>first in crimson</p>" in again.page() and "<p>second in crimson</p>" in again.page()


def test_a_project_inside_pythons_prefix_still_has_its_files_recorded(tmp_path):
    # Debian's Python lives under /usr and a project may be in /usr/src/app; `python -m venv .` puts a
    # prefix around the project. Here: a virtual environment (seeing this one's packages) holding it.
    prefix = tmp_path / "env"
    base_python = Path(sys.base_prefix) / "bin" / "python3"
    subprocess.run([str(base_python), "-m", "venv", "--without-pip", str(prefix)], check=True)
    packages = sysconfig.get_paths(vars={"base": str(prefix), "platbase": str(prefix)})["purelib"]
    Path(packages, "outer_packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    project = fixture_project("two_lessons", prefix / "course")
    (project / "data").mkdir()
    (project / "data" / "value.txt").write_text("old\n", encoding="utf-8")
    (project / "snippets" / "value.py").write_text("print('value', open('data/value.txt').read().strip())\n")
    add_to_page(project, '```text expected-output="snippets/value.py"\nvalue old\n```\n')
    command = [str(prefix / "bin" / "python"), "-m", "mkdocs", "build", "--strict", "--site-dir", "site"]
    first = subprocess.run(command, cwd=project, env=mkdocs_env(), capture_output=True, text=True)
    assert first.returncode == 0, first.stdout + first.stderr
    (project / "data" / "value.txt").write_text("new\n", encoding="utf-8")
    again = subprocess.run(command, cwd=project, env=mkdocs_env(), capture_output=True, text=True)
    assert again.returncode == 1, again.stdout + again.stderr
    assert "-value old\n+value new" in again.stdout + again.stderr


def test_a_warm_build_logs_what_the_clean_build_logged(tmp_path):
    project = fixture_project("two_lessons", tmp_path)
    add_to_page(
        project,
        chart(
            "import logging, sys, warnings\n"
            "warnings.warn('the palette is changing')\n"
            "logging.getLogger('mkdocs.chart').info('drew 3 bars')\n"
            "sys.stderr.write('stderr says hello\\n')\n"
            "sys.stdout.write('stdout says hello\\n')\n"
            "print('<p>chart</p>')\n"
        ),
    )
    clean = build(project)
    warm = build(project)
    assert clean.returncode == 0 and warm.returncode == 0, clean.output + warm.output

    def said(output: str) -> list[str]:
        return [line for line in output.splitlines() if any(w in line for w in ("palette", "3 bars", "hello"))]

    assert said(clean.output) and said(warm.output) == said(clean.output)


def test_editing_one_lessons_snippet_recomputes_that_lesson_only(tmp_path):
    project = tmp_path / "course"
    lessons = synthetic_course(project, 20)
    first = build(project)
    assert first.returncode == 0, first.output
    snippet = project / "snippets" / "trend_ranking_7.py"
    edit(snippet, "# Value and stability", "# Still: value and stability")
    again = build(project)
    assert again.returncode == 0, again.output
    lesson = code_in(project / lessons[6])["snippet run"]
    total = all_computed(project)["snippet run"][1]
    assert counts(again) == {"snippet run": (total - lesson, lesson)}
    # markdown-exec's blocks are not cached: the summary says all of them ran again.
    blocks = sum(
        fence.options.get("exec") == "on"
        for page in (project / "docs").rglob("*.md") if not page.name.startswith("_")
        for fence in fences(page.read_text(encoding="utf-8"))
    )
    assert blocks and f"Code blocks: {blocks} run by markdown-exec (never cached: each runs whenever its page is built)" in again.output


@pytest.mark.parametrize(
    "damage",
    ["not json at all", '{"format": 2, "key": "x", "val', "null", "[]", '{"format": 2}', "{}"],
    ids=["corrupt", "partial", "null", "list", "no-key", "empty"],
)
def test_a_damaged_entry_is_ignored_and_computed_again(project, damage):
    entries = sorted((project / ".cache" / "build").glob("*.json"))
    assert entries
    entries[0].write_text(damage, encoding="utf-8")
    again = build(project)
    assert again.returncode == 0, again.output
    assert f"Build cache: ignoring unreadable entry {entries[0]}" in again.output
    reused = sum(r for r, _ in counts(again).values())
    computed = sum(c for _, c in counts(again).values())
    assert (reused, computed) == (len(entries) - 1, 1)
    assert json.loads(entries[0].read_text(encoding="utf-8"))["format"] == result_cache.FORMAT  # stored again


def test_the_cache_folder_deleted_during_a_build_does_not_fail_it(tmp_path):
    project = fixture_project("two_lessons", tmp_path)
    (project / "snippets" / "sweep.py").write_text("import shutil\nshutil.rmtree('.cache', ignore_errors=True)\nprint('swept')\n")
    add_to_page(project, '```text expected-output="snippets/sweep.py"\nswept\n```\n')
    assert build(project, SWEEP="1").returncode == 0
    again = build(project, SWEEP="2")  # another environment: the snippet runs again, deleting the cache
    assert again.returncode == 0, again.output
    assert counts(again) == all_computed(project)
    # Which results were stored before the snippet deleted the folder depends on the order snippets ran in;
    # that the cache keeps working does not: without the snippet, the next build stores its results again.
    page = project / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8").replace('```text expected-output="snippets/sweep.py"\nswept\n```\n', ""), encoding="utf-8")
    assert build(project, SWEEP="2").returncode == 0
    assert list((project / ".cache" / "build").glob("*.json"))


def test_switch_turns_the_cache_off(tmp_path):
    project = copy_project(tmp_path / "project")
    for _ in range(2):
        result = build(project, NO_BUILD_CACHE="1")
        assert result.returncode == 0, result.output
        assert counts(result) == all_computed(project)
    assert "(off: NO_BUILD_CACHE=1)" in result.output
    assert not (project / ".cache").exists()


def test_concurrent_builds_share_the_cache_safely(project):
    edit(project / "hooks" / "snippet_runner.py", 'CACHE_KIND = "snippet run"', 'CACHE_KIND = "snippet" " run"')  # all again
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda n: build(project, site=project / f"site-{n}"), range(3)))
    assert all(r.returncode == 0 for r in results), [r.output for r in results]
    assert len({json.dumps({k: v.hex() for k, v in pages(r.site).items()}) for r in results}) == 1
    assert not list((project / ".cache" / "build").glob("*.tmp"))


def test_a_build_imports_matplotlib_only_when_a_page_draws(tmp_path):
    # As markdown-exec alone does.
    project = copy_project(tmp_path / "project")
    no_charts = fixture_project("two_lessons", tmp_path / "no-charts")
    assert build_imports_matplotlib(no_charts)[0] is False
    assert build_imports_matplotlib(project)[0] is True


def test_shown_and_verified_snippet_runs_once_per_build(tmp_path):
    project = fixture_project("two_lessons", tmp_path)
    (project / "snippets" / "greet.py").write_text(
        "import tempfile\nfrom pathlib import Path\n\n"
        "log = Path(tempfile.gettempdir()) / 'greet-runs-" + tmp_path.name + ".log'\n"
        "log.write_text(log.read_text() + 'run\\n' if log.exists() else 'run\\n')\n"
        "for name in ['Ada', 'Grace']:\n"
        "    print(f'Hello, {name}!')\n",
        encoding="utf-8",
    )
    add_to_page(project, 'Again:\n\n```text expected-output="snippets/greet.py"\nHello, Ada!\nHello, Grace!\n```\n')
    result = build(project, NO_BUILD_CACHE="1")
    assert result.returncode == 0, result.output
    log = Path(__import__("tempfile").gettempdir()) / f"greet-runs-{tmp_path.name}.log"
    try:
        assert log.read_text() == "run\n"
    finally:
        log.unlink(missing_ok=True)
    assert len([t for t, _ in code_blocks(result.page()) if t == "Output of python snippets/greet.py"]) == 2
