"""Code run at build time is held to what it may name, print and touch; each refusal names the page and line."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, build, fixture_project, mkdocs_env, update_expected
from test_serve import serving, wait_for
from test_verified_output import fence_line

from snippet_runner import SnippetRunner



@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ("../../etc/passwd", "../../etc/passwd is not inside the snippets folder snippets/"),
        ("/etc/passwd", "/etc/passwd is not inside the snippets folder snippets/"),
        ("snippets/a_folder", "snippets/a_folder is a folder, not a snippet file"),
        ("snippets/notes.txt", "snippets/notes.txt is not a Python file"),
        ("snippets/outside_link.py", "snippets/outside_link.py is not inside the snippets folder snippets/"),
    ],
)
def test_only_python_files_inside_the_snippets_folder_are_run(tmp_path, snippet, message):
    project = fixture_project("snippet_paths", tmp_path)
    (project / "snippets" / "outside_link.py").symlink_to("/etc/hostname")  # a link leading out
    result = build(project)
    assert result.returncode == 1
    line = fence_line("snippet_paths", "index.md", snippet)
    assert f"docs/index.md:{line}: {message}" in result.output
    assert "Nothing was run." in result.output
    assert "root:x:" not in result.output and "not python" not in result.output  # nothing was read or run
    assert "Traceback" not in result.output


def test_update_expected_refuses_the_same_paths_and_changes_nothing(tmp_path):
    project = fixture_project("snippet_paths", tmp_path)
    page = project / "docs" / "index.md"
    before = page.read_bytes()
    done = update_expected(project)
    assert done.returncode == 1
    assert f"docs/index.md:{fence_line('snippet_paths', 'index.md', '/etc/passwd')}: /etc/passwd is not inside" in done.stderr
    assert page.read_bytes() == before


def test_output_that_is_not_utf8_names_snippet_line_and_offset(tmp_path):
    result = build(fixture_project("bad_output", tmp_path))
    assert result.returncode == 1
    line = fence_line("bad_output", "index.md", "snippets/latin1.py")
    assert (
        f"docs/index.md:{line}: snippets/latin1.py printed bytes that are not UTF-8 text (first at byte offset 3)"
        in result.output
    )
    assert "codec can't decode" not in result.output


def test_output_over_the_limit_is_reported_with_its_size_and_cut(tmp_path):
    result = build(fixture_project("bad_output", tmp_path))
    line = fence_line("bad_output", "index.md", "snippets/flood.py")
    assert f"docs/index.md:{line}: snippets/flood.py printed 50,000,000 bytes, more than the limit of 1,000,000" in result.output
    assert "It began:\n" + "x" * 99 + "\n" in result.output
    assert len(result.output) < 50_000  # the report is cut, not the whole output


def test_update_expected_refuses_bad_output_and_writes_nothing(tmp_path):
    project = fixture_project("bad_output", tmp_path)
    page = project / "docs" / "index.md"
    before = page.read_bytes()
    done = update_expected(project)
    assert done.returncode == 1
    assert "printed 50,000,000 bytes" in done.stderr and "not UTF-8" in done.stderr
    assert page.read_bytes() == before


def test_output_limit_comes_from_mkdocs_yml(tmp_path):
    project = fixture_project("bad_output", tmp_path, {"extra": {"code_execution": {"output_limit": 100_000_000}}})
    result = build(project, strict=False)
    assert "printed 50,000,000 bytes" not in result.output
    assert "no longer matches" in result.output  # checked as any output is


def test_mkdocs_serve_shows_bad_output_in_the_page(tmp_path):
    project = fixture_project("bad_output", tmp_path)
    with serving(project) as url:
        page = wait_for(url, lambda html: "printed bytes that are not text" in html, 60)
        assert "printed too much" in page


def test_code_that_writes_into_the_project_fails_the_build_naming_the_block(tmp_path):
    project = fixture_project("writes_project", tmp_path)
    result = build(project)
    assert result.returncode == 1
    snippet_line = fence_line("writes_project", "index.md", "snippets/vandal.py")
    assert (
        f"docs/index.md:{snippet_line}: snippets/vandal.py changed files of the project while the site was built: "
        "docs/index.md" in result.output
    )
    chart = "```python exec=\"on\" html=\"on\"\nfrom pathlib import Path"
    chart_line = (tmp_path / "docs" / "index.md").read_text(encoding="utf-8").split(chart)[0].count("\n") + 1
    assert f"docs/index.md:{chart_line}: this code block changed files of the project" in result.output
    assert "docs/extra.md" in result.output
    assert "fine.txt" not in result.output  # a temporary folder is where code may write
    assert result.output.count("delete a file it made there (it would be published with the site)") >= 2
    # Failures are never cached: the next build reports them again.
    again = build(project)
    assert again.returncode == 1
    assert "snippets/vandal.py changed files of the project" in again.output


def make_database(path: Path, value: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("create table t (v text)")
        db.execute("insert into t values (?)", (value,))
    db.close()


DATABASE_READERS = {
    "plain path": "sqlite3.connect('docs/data/v.sqlite')",
    "read-only URI": "sqlite3.connect('file:docs/data/v.sqlite?mode=ro', uri=True)",
}


@pytest.mark.parametrize("connect", DATABASE_READERS.values(), ids=DATABASE_READERS)
def test_a_block_that_only_reads_a_database_under_docs_changes_nothing(tmp_path, connect):
    # SQLite writes without an audit event: connecting alone must not count as a write.
    project = fixture_project("two_lessons", tmp_path)
    make_database(project / "docs" / "data" / "v.sqlite", "kept")
    page = project / "docs" / "index.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n"
        '```python exec="on" html="on"\n'
        f"import sqlite3\ndb = {connect}\n"
        'print(f"<p>value {db.execute(\'select v from t\').fetchone()[0]}</p>")\ndb.close()\n'
        "```\n",
        encoding="utf-8",
    )
    result = build(project)
    assert result.returncode == 0, result.output
    assert "<p>value kept</p>" in result.page()


def test_code_that_writes_a_database_under_docs_fails_the_build_naming_it(tmp_path):
    project = fixture_project("two_lessons", tmp_path)
    make_database(project / "docs" / "data" / "v.sqlite", "kept")
    write = "import sqlite3\nwith sqlite3.connect('docs/data/v.sqlite') as db:\n    db.execute(\"insert into t values ('more')\")\n"
    (project / "snippets" / "grow.py").write_text(write + "print('grown')\n", encoding="utf-8")
    page = project / "docs" / "index.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(
        text + "\n"
        '```text expected-output="snippets/grow.py"\ngrown\n```\n\n'
        f'```python exec="on" html="on"\n{write}print("<p>grown</p>")\n```\n',
        encoding="utf-8",
    )
    snippet_line = (text + "\n").count("\n") + 1
    chart_line = snippet_line + 4
    result = build(project)
    assert result.returncode == 1
    assert (
        f"docs/index.md:{snippet_line}: snippets/grow.py changed files of the project while the site was built: "
        "docs/data/v.sqlite" in result.output
    ), result.output
    assert f"docs/index.md:{chart_line}: this code block changed files of the project while the site was built: docs/data/v.sqlite" in result.output


def test_a_write_to_a_wal_database_through_a_connection_left_open_fails_the_build(tmp_path):
    # A WAL database's commit goes to its -wal file; the main file changes only when the log is checkpointed.
    project = fixture_project("two_lessons", tmp_path)
    database = project / "docs" / "data" / "v.sqlite"
    make_database(database, "kept")
    with sqlite3.connect(database) as db:
        db.execute("pragma journal_mode=wal")
    db.close()
    (project / "snippets" / "grow.py").write_text(
        "import sqlite3\n"
        "db = sqlite3.connect('docs/data/v.sqlite')\n"
        "db.execute(\"insert into t values ('more')\")\n"
        "db.commit()\n"
        "print('grown')\n",  # the connection stays open until the process ends
        encoding="utf-8",
    )
    page = project / "docs" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n```text expected-output="snippets/grow.py"\ngrown\n```\n', encoding="utf-8")
    result = build(project)
    assert result.returncode == 1
    assert "snippets/grow.py changed files of the project while the site was built: docs/data/v.sqlite" in result.output


def test_a_session_block_writing_through_an_earlier_blocks_connection_is_the_one_reported(tmp_path):
    # Only the first block connects; the second writes through its connection, with no audit event at all.
    project = fixture_project("two_lessons", tmp_path)
    make_database(project / "docs" / "data" / "v.sqlite", "kept")
    page = project / "docs" / "index.md"
    text = page.read_text(encoding="utf-8")
    reading = "import sqlite3\ndb = sqlite3.connect('docs/data/v.sqlite')\nprint(db.execute('select count(*) from t').fetchone()[0])\n"
    writing = "db.execute(\"insert into t values ('more')\")\ndb.commit()\nprint('grown')\n"
    page.write_text(
        text + "\n"
        f'```python exec="on" session="db"\n{reading}```\n\n'
        f'```python exec="on" session="db"\n{writing}```\n',
        encoding="utf-8",
    )
    first_line = (text + "\n").count("\n") + 1
    second_line = first_line + reading.count("\n") + 3
    result = build(project, strict=False)
    assert f"docs/index.md:{second_line}: this code block changed files of the project while the site was built: docs/data/v.sqlite" in result.output, result.output
    assert f"docs/index.md:{first_line}: this code block changed" not in result.output


@pytest.mark.parametrize("make", ["os.symlink", "os.link"])
def test_a_link_made_under_docs_fails_the_build_naming_the_link(tmp_path, make):
    # The new path is the change, not the file it points to (here outside the project).
    project = fixture_project("two_lessons", tmp_path / "course")
    target = tmp_path / "outside.txt"
    target.write_text("outside\n", encoding="utf-8")
    page = project / "docs" / "index.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + f'\n```python exec="on"\nimport os\n{make}({str(target)!r}, "docs/linked.txt")\nprint("linked")\n```\n', encoding="utf-8")
    result = build(project)
    assert result.returncode == 1
    line = (text + "\n").count("\n") + 1
    assert f"docs/index.md:{line}: this code block changed files of the project while the site was built: docs/linked.txt" in result.output, result.output


def test_a_chart_block_that_prints_nothing_is_a_warning_with_its_line(tmp_path):
    result = build(fixture_project("writes_project", tmp_path))
    text = (tmp_path / "docs" / "index.md").read_text(encoding="utf-8")
    line = text.split("```python exec=\"on\" html=\"on\"\nx = 1")[0].count("\n") + 1
    assert f'docs/index.md:{line}: this chart block (html="on") printed nothing' in result.output


def test_a_chart_block_in_a_session_is_checked_too(tmp_path):
    project = fixture_project("two_lessons", tmp_path)
    page = project / "docs" / "index.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + '\n```python exec="on" html="on" session="drawing"\nx = 1\n```\n', encoding="utf-8")
    result = build(project, strict=False)
    line = (text + "\n").count("\n") + 1
    assert f'docs/index.md:{line}: this chart block (html="on") printed nothing' in result.output, result.output


def test_a_chart_with_a_page_wide_style_or_a_date_is_a_warning_with_its_line(tmp_path):
    project = fixture_project("two_lessons", tmp_path)
    page = project / "docs" / "index.md"
    text = page.read_text(encoding="utf-8")
    chart = (
        '```python exec="on" html="on"\n'
        "import io\n"
        "from matplotlib.figure import Figure\n"
        "figure = Figure()\n"
        "figure.add_subplot().plot([1, 2], [3, 4])\n"
        "buffer = io.StringIO()\n"
        'figure.savefig(buffer, format="svg")  # matplotlib\'s defaults: a <style> and a date\n'
        "print(buffer.getvalue())\n"
        "```\n"
    )
    page.write_text(text + "\n" + chart, encoding="utf-8")
    line = (text + "\n").count("\n") + 1
    for build_number in (1, 2):  # every build warns again
        result = build(project, strict=False)
        assert f"docs/index.md:{line}: this chart's SVG has a <style> element" in result.output, build_number
        assert f"docs/index.md:{line}: this chart's SVG carries a date" in result.output, build_number


def test_a_snippet_runs_in_the_environment_the_build_started_with(tmp_path, monkeypatch):
    # markdown-exec blocks run in the build's process, and may set a variable there while snippets wait for
    # a free core; a reader's shell has the build's environment, not theirs.
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "environment.py").write_text('import os\nprint(os.environ.get("SET_BY_A_BLOCK"))\n')
    runner = SnippetRunner(tmp_path)
    monkeypatch.setenv("SET_BY_A_BLOCK", "yes")
    assert runner.run("snippets/environment.py").stdout == "None\n"


def test_a_snippet_sees_what_python_snippets_name_py_gives_a_reader(tmp_path):
    # The build starts a snippet with its file-access recorder on PYTHONPATH and two variables for it (a
    # file to record into, the build's process); all of it is taken back out before the snippet's first line.
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "probe.py").write_text(
        "import json, os, sys\nprint(json.dumps([__name__, sys.argv, sys.path, dict(os.environ)]))\n"
    )
    hooks = str(ROOT / "hooks")
    reader_env = {
        **mkdocs_env(), "PYTHONPATH": hooks,
        # what the build adds to every snippet's environment (snippet_runner: utf-8, unbuffered, no __pycache__)
        "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1", "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1",
    }
    reader = subprocess.run(
        [sys.executable, "snippets/probe.py"], cwd=tmp_path, env=reader_env, capture_output=True, text=True, check=True
    )
    built = subprocess.run(
        [sys.executable, "-c", "import sys; from pathlib import Path; from snippet_runner import SnippetRunner; "
         "print(SnippetRunner(Path(sys.argv[1])).run('snippets/probe.py').stdout, end='')", str(tmp_path)],
        env={**mkdocs_env(), "PYTHONPATH": hooks}, capture_output=True, text=True, check=True,
    )
    assert json.loads(built.stdout) == json.loads(reader.stdout)


def test_a_snippet_whose_build_has_already_ended_does_not_run(tmp_path):
    # A snippet asks to be killed when the build's thread that started it ends (PR_SET_PDEATHSIG) as it
    # starts. If the build ended before that, the snippet has another parent already: it must not run.
    (tmp_path / "snippets").mkdir()
    marker = tmp_path / "ran"
    (tmp_path / "snippets" / "orphan.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    env = {**mkdocs_env(), "PYTHONPATH": str(ROOT / "hooks" / "snippet_site"), "CODE_EXECUTION_PARENT": "1"}
    orphan = subprocess.run([sys.executable, "snippets/orphan.py"], cwd=tmp_path, env=env, capture_output=True)
    assert (orphan.returncode, marker.exists()) == (1, False), orphan.stderr
    env["CODE_EXECUTION_PARENT"] = str(os.getpid())
    started = subprocess.run([sys.executable, "snippets/orphan.py"], cwd=tmp_path, env=env, capture_output=True)
    assert (started.returncode, marker.exists()) == (0, True), started.stderr


def test_a_block_that_leaves_another_working_directory_is_named_and_the_next_block_still_runs_there(tmp_path):
    project = fixture_project("two_lessons", tmp_path)
    page = project / "docs" / "index.md"
    text = page.read_text(encoding="utf-8")
    (project / "elsewhere").mkdir()
    blocks = (
        '```python exec="on"\nimport os\nos.chdir("elsewhere")\nprint("moved")\n```\n\n'
        '```python exec="on"\nimport os\nprint(os.path.basename(os.getcwd()))\n```\n\n'
        '```python exec="on" workdir="elsewhere"\nprint("restored by markdown-exec")\n```\n'
    )
    page.write_text(text + "\n" + blocks, encoding="utf-8")
    result = build(project, strict=False)
    line = (text + "\n").count("\n") + 1
    reported = [entry for entry in result.output.splitlines() if "changed the working directory" in entry]
    assert len(reported) == 1 and f"docs/index.md:{line}: this code block changed the working directory" in reported[0], result.output
    assert "<p>elsewhere</p>" in result.page()  # left as markdown-exec alone leaves it


@pytest.mark.parametrize("call", ["exit()", "import sys; sys.exit(3)", "import argparse; argparse.ArgumentParser().parse_args()"])
def test_a_block_that_exits_is_named_at_its_line_and_the_build_goes_on(tmp_path, call):
    """markdown-exec lets SystemExit through: without the hooks the build ends there, silently, with no site."""
    project = fixture_project("two_lessons", tmp_path)
    page = project / "docs" / "index.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + f'\n```python exec="on"\n{call}\n```\n\n```python exec="on"\nprint("the next block ran")\n```\n', encoding="utf-8")
    line = (text + "\n").count("\n") + 1
    result = build(project)
    assert result.returncode == 1, result.output
    assert f"docs/index.md:{line}: this code block called sys.exit(" in result.output
    result = build(project, strict=False)  # mkdocs serve keeps serving: the page says what happened
    assert result.returncode == 0 and "<p>the next block ran</p>" in result.page() and "called sys.exit(" in result.page()
