"""The settings of code run at build time: ``extra.code_execution`` in mkdocs.yml.

Not a hook: ``code_execution`` reads them once per build with ``read_settings``
and passes them to the parts that need them. Validated with MkDocs' own
``config_options``; an unknown or mistyped key, or a value of the wrong kind, is
a configuration error that names it::

    extra:
      code_execution:
        timeout: 30            # seconds any snippet or code block may run (a block: timeout="90")
        output_limit: 1000000  # bytes a snippet may print
        snippets_dir: snippets # the only folder expected-output blocks may name snippets in
"""

from __future__ import annotations

from mkdocs.config import base, config_options
from mkdocs.exceptions import ConfigurationError

KEY = "code_execution"
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
    """``extra.code_execution`` validated, with defaults; ConfigurationError naming any bad key."""
    where = f"{config_file_path}: extra.{KEY}"
    if "verified_output" in extra:
        raise ConfigurationError(
            f"{config_file_path}: extra.verified_output is now extra.{KEY} "
            "(timeout, output_limit, snippets_dir); move its keys there"
        )
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
