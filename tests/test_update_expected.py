"""`make update-expected` rewrites only stale blocks, atomically, and is idempotent."""

from __future__ import annotations

import os

import pytest

import update_expected
from conftest import fixture_project


def run(project, capsys) -> tuple[int, str, str]:
    status = update_expected.main(["--root", str(project)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def split_around(text: str, start_marker: str, end_marker: str) -> tuple[str, str]:
    """The bytes before the body that follows ``start_marker`` and from ``end_marker`` on."""
    head_end = text.index(start_marker) + len(start_marker)
    return text[:head_end], text[text.index(end_marker, head_end) :]


def test_only_the_stale_block_changes_and_every_other_byte_stays(tmp_path, capsys):
    project = fixture_project("mismatch", tmp_path)
    page = project / "docs" / "index.md"
    before = page.read_text(encoding="utf-8")
    status, out, _ = run(project, capsys)
    after = page.read_text(encoding="utf-8")
    assert status == 0
    opening = '```text expected-output="snippets/hello.py"\n'
    line = before.splitlines().index(opening.strip()) + 1
    assert f"docs/index.md:{line}: updated the expected output of snippets/hello.py" in out
    assert "snippets/same.py" not in out
    assert split_around(before, opening, "```\n\nProse") == split_around(after, opening, "```\n\nProse")
    assert after.split(opening)[1].split("```")[0] == "Hello, world!\nSecond line stays\n"


def test_second_run_changes_nothing(tmp_path, capsys):
    project = fixture_project("mismatch", tmp_path)
    run(project, capsys)
    page = project / "docs" / "index.md"
    settled, stamp = page.read_bytes(), page.stat().st_mtime_ns
    status, out, _ = run(project, capsys)
    assert status == 0
    assert "nothing changed" in out
    assert page.read_bytes() == settled and page.stat().st_mtime_ns == stamp


def test_line_endings_and_indentation_are_kept(tmp_path, capsys):
    project = fixture_project("two_lessons", tmp_path)
    page = project / "docs" / "second.md"
    page.write_bytes(page.read_bytes().replace(b"\n", b"\r\n"))
    (project / "snippets" / "count.py").write_text("print('one')\nprint('two')\n", encoding="utf-8")
    status, _, _ = run(project, capsys)
    assert status == 0
    text = page.read_bytes().decode("utf-8")
    assert "    ```text expected-output=\"snippets/count.py\" timeout=\"10\"\r\n    one\r\n    two\r\n    ```\r\n" in text
    assert "\n" not in text.replace("\r\n", "")


def test_failing_snippet_is_reported_and_its_block_left_alone(tmp_path, capsys):
    project = fixture_project("raises", tmp_path)
    page = project / "docs" / "index.md"
    before = page.read_bytes()
    status, _, err = run(project, capsys)
    assert status == 1
    assert "snippets/crash.py failed at snippets/crash.py:2: ZeroDivisionError" in err
    assert "block left as it is" in err
    assert page.read_bytes() == before


def test_interrupted_write_leaves_the_original_whole(tmp_path, capsys, monkeypatch):
    project = fixture_project("mismatch", tmp_path)
    page = project / "docs" / "index.md"
    before = page.read_bytes()

    def power_cut(fd):
        raise KeyboardInterrupt("interrupted while writing")

    monkeypatch.setattr(update_expected.os, "fsync", power_cut)
    with pytest.raises(KeyboardInterrupt):
        update_expected.main(["--root", str(project)])
    assert page.read_bytes() == before
    assert sorted(os.listdir(page.parent)) == ["index.md"]  # no temporary file left behind


# --- Pages it cannot parse, and outputs it cannot write, are refused with file and line (issue 17). ---


@pytest.mark.parametrize(
    ("fixture", "opening"),
    [
        ("fence_runs_on", '```text expected-output="snippets/hello.py"'),
        ("fence_unclosed_before", '```python title="snippets/hello.py"'),
        ("fence_tab_indented", '\t```text expected-output="snippets/hello.py"'),
    ],
)
def test_page_it_cannot_parse_is_refused_and_left_whole(tmp_path, capsys, fixture, opening):
    project = fixture_project(fixture, tmp_path)
    page = project / "docs" / "index.md"
    before = page.read_bytes()
    line = before.decode("utf-8").split("\n").index(opening) + 1
    status, out, err = run(project, capsys)
    assert status == 1
    assert f"docs/index.md:{line}: this " in err and "(nothing in this file was changed)" in err
    assert "updated" not in out
    assert page.read_bytes() == before


def test_output_that_would_end_its_fence_is_refused(tmp_path, capsys):
    project = fixture_project("mismatch", tmp_path)
    (project / "snippets" / "hello.py").write_text("print('Hello')\nprint('```')\nprint('after')\n", encoding="utf-8")
    page = project / "docs" / "index.md"
    before = page.read_bytes()
    line = before.decode("utf-8").split("\n").index('```text expected-output="snippets/hello.py"') + 1
    status, _, err = run(project, capsys)
    assert status == 1
    assert f"docs/index.md:{line}: cannot write the new output of snippets/hello.py: line 2 of the new output (```)" in err
    assert "open and close the block with ````" in err
    assert page.read_bytes() == before


def test_page_that_is_not_utf8_is_refused_with_its_line(tmp_path, capsys):
    project = fixture_project("mismatch", tmp_path)
    page = project / "docs" / "index.md"
    page.write_bytes(page.read_bytes().replace(b"Prose between", b"Prose \xe9 between"))
    before = page.read_bytes()
    offset = before.index(b"\xe9")
    line = before[:offset].count(b"\n") + 1
    status, _, err = run(project, capsys)
    assert status == 1
    assert f"docs/index.md:{line}: byte {offset} is not UTF-8" in err
    assert page.read_bytes() == before


def test_byte_order_mark_is_kept(tmp_path, capsys):
    project = fixture_project("mismatch", tmp_path)
    page = project / "docs" / "index.md"
    page.write_bytes(b"\xef\xbb\xbf" + page.read_bytes())
    status, out, _ = run(project, capsys)
    assert status == 0 and "updated the expected output of snippets/hello.py" in out
    assert page.read_bytes().startswith(b"\xef\xbb\xbf---\n") and b"Hello, world!\nSecond line" in page.read_bytes()


def test_page_saved_while_its_snippets_run_is_not_overwritten(tmp_path, capsys):
    project = fixture_project("mismatch", tmp_path)
    page = project / "docs" / "index.md"
    edited = page.read_bytes().replace(b"Prose between", b"Prose an editor saved between")
    # Another program saves the page meanwhile, as an editor would (started by the snippet only to time it:
    # a snippet writing the page itself is refused before this check, tests/test_snippet_safety.py).
    save = f"from pathlib import Path; Path({str(page)!r}).write_bytes({edited!r})"
    hello = project / "snippets" / "hello.py"
    hello.write_text(
        f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {save!r}], check=True)\n"
        + hello.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    status, out, err = run(project, capsys)
    assert status == 1
    assert "docs/index.md: it changed while its snippets ran; run this again" in err and "updated" not in out
    assert page.read_bytes() == edited


# --- Slips in an expected-output fence's options: single quotes are read, the rest refused. ---


def test_single_quoted_block_is_rewritten(tmp_path, capsys):
    project = fixture_project("mismatch", tmp_path)
    page = project / "docs" / "index.md"
    opening = "```text expected-output='snippets/hello.py'"
    page.write_text(page.read_text(encoding="utf-8").replace('```text expected-output="snippets/hello.py"', opening), encoding="utf-8")
    line = page.read_text(encoding="utf-8").split("\n").index(opening) + 1
    status, out, _ = run(project, capsys)
    assert status == 0
    assert f"docs/index.md:{line}: updated the expected output of snippets/hello.py" in out
    assert f"{opening}\nHello, world!\nSecond line stays\n```\n" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("opening", "message"),
    [
        ('```text expected-ouput="snippets/hello.py"', 'did you mean expected-output?'),
        ("```text expected-output=snippets/hello.py", 'quote the value: expected-output="snippets/hello.py"'),
        ('```text expected-output="snippets/same.py" timout="5"', 'unknown option "timout" on this fence'),
    ],
    ids=["misspelt", "unquoted", "unknown option"],
)
def test_page_with_a_slipped_fence_option_is_refused(tmp_path, capsys, opening, message):
    project = fixture_project("mismatch", tmp_path)
    page = project / "docs" / "index.md"
    text = page.read_text(encoding="utf-8").replace('```text expected-output="snippets/same.py"', opening)
    page.write_text(text, encoding="utf-8")
    line = text.split("\n").index(opening) + 1
    status, out, err = run(project, capsys)
    assert status == 1
    assert f"docs/index.md:{line}: " in err and message in err and "(nothing in this file was changed)" in err
    assert "updated" not in out  # not even the stale hello.py block: the page may not be what it seems
    assert page.read_text(encoding="utf-8") == text
