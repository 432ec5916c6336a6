"""Hook: in GitHub Actions, turn each located build warning or error into an error annotation.

A build problem is logged as "docs/lessons/x.md:42: what is wrong" (or
"docs/x.md: what is wrong" when no line applies). When the environment has
``GITHUB_ACTIONS=true``, this hook also prints that record on stdout as a
workflow command, ``::error file=docs/lessons/x.md,line=42,title=...::what is
wrong``, so a pull request shows it on the Markdown file's line in the diff.
Records whose message does not start with an existing file are left alone.
Outside GitHub Actions it adds nothing, and it never changes a page.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path

# "path:line: message" or "path: message"; a path has no spaces and ends in an extension.
_LOCATED = re.compile(r"^(?P<file>[^\s:]+\.[A-Za-z0-9]+)(?::(?P<line>\d+))?: (?P<message>.*)$", re.DOTALL)


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does (% CR LF)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: like the message, and also : and , ."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(message: str, level_name: str, project: Path) -> str | None:
    """The ``::error`` command for a message that starts with a file of the project; None for any other."""
    located = _LOCATED.match(message)
    if not located or not (project / located["file"]).is_file():
        return None
    properties = [f"file={escape_property(located['file'])}"]
    if located["line"]:
        properties.append(f"line={located['line']}")
    properties.append(f"title={escape_property(f'MkDocs build {level_name.lower()}')}")
    return f"::error {','.join(properties)}::{escape_data(located['message'].rstrip())}"


class AnnotationHandler(logging.Handler):
    """Print an annotation for every WARNING or worse whose message is located in a file."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.project = Path.cwd()  # messages name files relative to the folder of mkdocs.yml

    def emit(self, record: logging.LogRecord) -> None:
        command = annotation(record.getMessage(), record.levelname, self.project)
        if command:
            sys.stdout.write(command + "\n")
            sys.stdout.flush()


_handler = AnnotationHandler()


def on_config(config):
    # Handlers run in order: ours is added after MkDocs' own, so it sees each message
    # after the filters on those (which name the page) have rewritten it.
    logger = logging.getLogger("mkdocs")
    if os.environ.get("GITHUB_ACTIONS") == "true":
        _handler.project = Path(config.config_file_path).resolve().parent
        if _handler not in logger.handlers:
            logger.addHandler(_handler)
    else:
        logger.removeHandler(_handler)
    return config
