"""This project's own settings under ``extra:`` in mkdocs.yml, above all ``extra.code_execution``.

Not a hook: ``code_execution`` reads them once per build (its ``on_config``)
with ``read_settings``, and ``scripts/update_expected.py`` with
``settings_from_file``; both go through ``settings_from``, so the build and the
script refuse the same mistakes. Validated with MkDocs' own ``config_options``;
an unknown or mistyped key, or a value of the wrong kind, is a configuration
error that names it::

    extra:
      code_execution:
        timeout: 30            # seconds any snippet or code block may run (a block: timeout="90")
        output_limit: 1000000  # bytes a snippet may print
        snippets_dir: snippets # the only folder expected-output blocks may name snippets in
      lessons_dir: lessons     # hooks/lesson_list.py: the folder under docs/ that holds the lessons

``extra:`` itself is free-form (Material reads some of its keys, and a theme
override may read others), so an unknown key there is allowed, except one that
is a close misspelling of this project's own keys (``PROJECT_KEYS``), such as
``code_executon:`` or ``lessons_dirs:``: MkDocs would ignore it silently and the
defaults would apply, so ``misspelled_keys`` makes it a configuration error.
"""

from __future__ import annotations

import difflib

from mkdocs.config import base, config_options
from mkdocs.exceptions import ConfigurationError

KEY = "code_execution"
LESSONS_KEY = "lessons_dir"  # read by hooks/lesson_list.py
PROJECT_KEYS = (KEY, LESSONS_KEY)
# Keys of ``extra`` that Material for MkDocs reads: never taken for a misspelling of ours.
MATERIAL_KEYS = frozenset(
    {"social", "generator", "analytics", "consent", "version", "alternate", "homepage", "status", "tags", "annotate"}
)
DEFAULT_TIMEOUT = 30.0
DEFAULT_OUTPUT_LIMIT = 1_000_000


class PositiveNumber(config_options.BaseConfigOption[float]):
    """A number greater than zero (``true`` is not a number here)."""

    def __init__(self, default: float) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise config_options.ValidationError(f"must be a positive number, got {value!r}")
        return float(value)


class ExecutionSettings(base.Config):
    timeout = PositiveNumber(DEFAULT_TIMEOUT)
    output_limit = PositiveNumber(DEFAULT_OUTPUT_LIMIT)
    snippets_dir = config_options.Type(str, default="snippets")


def read_settings(config) -> ExecutionSettings:
    """``extra.code_execution`` of a loaded MkDocs configuration (see ``settings_from``)."""
    return settings_from(config.extra or {}, config.config_file_path)


def settings_from_file(config_file: str) -> ExecutionSettings:
    """The same settings read straight from a mkdocs.yml (for scripts that do not build); defaults if absent."""
    from mkdocs.utils import yaml_load

    try:
        with open(config_file, encoding="utf-8") as stream:
            config = yaml_load(stream) or {}
    except FileNotFoundError:
        config = {}
    return settings_from(config.get("extra") or {}, config_file)


def settings_from(extra: dict, config_file_path: str) -> ExecutionSettings:
    """``extra.code_execution`` validated, with defaults; ConfigurationError naming any bad key.

    Also where the build and the script refuse a misspelled key of ``extra`` itself (``check_extra_keys``).
    """
    where = f"{config_file_path}: extra.{KEY}"
    if "verified_output" in extra:
        raise ConfigurationError(
            f"{config_file_path}: extra.verified_output is now extra.{KEY} "
            "(timeout, output_limit, snippets_dir); move its keys there"
        )
    check_extra_keys(extra, config_file_path)
    raw = extra.get(KEY) or {}
    if not isinstance(raw, dict):
        raise ConfigurationError(f"{where} must be a mapping of settings, got {raw!r}")
    settings = ExecutionSettings(config_file_path=config_file_path)
    settings.load_dict(raw)
    failed, warnings = settings.validate()
    problems = [f"{where}.{key}: {error}" for key, error in failed + warnings]
    if problems:
        defaults = ExecutionSettings(config_file_path=config_file_path)
        defaults.validate()  # every setting, at its default
        known = ", ".join(sorted(defaults))
        raise ConfigurationError("\n".join(problems) + f"\n(known settings: {known})")
    return settings


def misspelled_keys(extra: dict) -> list[tuple[str, str]]:
    """(key, the project key it is probably meant to be) for each key of ``extra`` that looks like a typo of ours.

    A key that this project or Material knows is never one; nor is a key unlike
    all of ``PROJECT_KEYS`` (a theme override may read keys of its own).
    """
    found = []
    for key in extra:
        if not isinstance(key, str) or key in PROJECT_KEYS or key in MATERIAL_KEYS:
            continue
        close = difflib.get_close_matches(key, PROJECT_KEYS, n=1)
        if close:
            found.append((key, close[0]))
    return found


def check_extra_keys(extra: dict, config_file_path: str) -> None:
    """Raise a ConfigurationError naming every misspelled project key of ``extra`` (see ``misspelled_keys``)."""
    problems = [
        f"{config_file_path}: extra.{key} is not a setting of this project; did you mean extra.{meant}? "
        "Rename it: under that name it would be ignored, and the defaults used."
        for key, meant in misspelled_keys(extra)
    ]
    if problems:
        raise ConfigurationError("\n".join(problems))
