"""A misspelled key of `extra:` fails the build and `make update-expected`, which report config errors cleanly."""

from __future__ import annotations


import pytest
from mkdocs.exceptions import ConfigurationError

from conftest import build, fixture_project, update_expected
from execution_settings import misspelled_keys, settings_from



@pytest.mark.parametrize(
    ("key", "meant"),
    [
        ("code_executon", "code_execution"),
        ("Code_Execution", "code_execution"),
        ("lessons_dirs", "lessons_dir"),
        ("lesson_dir", "lessons_dir"),
    ],
)
def test_close_misspelling_of_a_project_key_is_found(key, meant):
    assert misspelled_keys({key: {}, "generator": False}) == [(key, meant)]


def test_known_and_unrelated_keys_of_extra_are_allowed():
    extra = {key: None for key in ["code_execution", "lessons_dir", "social", "generator", "analytics", "consent",
                                   "version", "alternate", "homepage", "status", "tags", "annotate", "disqus"]}
    assert misspelled_keys(extra) == []


def test_settings_from_names_the_file_the_key_and_the_likely_one():
    with pytest.raises(ConfigurationError) as error:
        settings_from({"code_executon": {"timeout": 5}}, "mkdocs.yml")
    assert str(error.value).startswith(
        "mkdocs.yml: extra.code_executon is not a setting of this project; did you mean extra.code_execution?"
    )


@pytest.mark.parametrize(("key", "meant"), [("code_executon", "code_execution"), ("lessons_dirs", "lessons_dir")])
def test_misspelled_key_fails_the_build(tmp_path, key, meant):
    result = build(fixture_project("two_lessons", tmp_path, {"extra": {key: {"timeout": 1}}}))
    assert result.returncode == 1
    assert f"mkdocs.yml: extra.{key} is not a setting of this project; did you mean extra.{meant}?" in result.output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"code_execution": {"timout": 5}}, "extra.code_execution.timout: Unrecognised configuration name: timout"),
        ({"code_executon": {"timeout": 5}}, "extra.code_executon is not a setting of this project; did you mean"),
    ],
)
def test_update_expected_reports_a_config_error_without_traceback(tmp_path, extra, message):
    project = fixture_project("mismatch", tmp_path, {"extra": extra})
    page = project / "docs" / "index.md"
    before = page.read_bytes()
    done = update_expected(project)
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"mkdocs.yml: {message}" in done.stderr
    assert "Traceback" not in done.stderr
    assert "Aborted with a configuration error" in done.stderr
    assert page.read_bytes() == before  # the stale block is left as it is
