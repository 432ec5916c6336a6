"""Run markdown-exec Python blocks in a process of their own: the worker of ``blocks_ahead``.

    python hooks/block_worker.py < request.json

Not a hook. Reads one JSON request from stdin, ``{"sys_path": [...], "blocks":
["code", ...]}``, and prints one JSON line per block as soon as it is done:
``{"index": 0, "output": "..."}``, or ``{"index": 0, "failed": true}``. An empty
request (a worker started ahead of time, then not needed) ends it at once.

A block runs the way markdown-exec runs a block without a session: in globals
of its own, registered as a module of its own, with ``print`` writing to a
buffer whose text is the output. Anything unusual makes a block "failed": it
raised, it warned (``warnings`` or a logging record at WARNING or above), or it
wrote to ``sys.stdout`` or ``sys.stderr`` directly. The build then runs that
block itself through markdown-exec, which reports it exactly as it always does.
This file imports only the standard library: the worker's start-up is short.
``build_cache`` and ``blocks_ahead`` share its ``counting_warnings``.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import sys
import warnings
from collections.abc import Iterator
from types import ModuleType


class WarningCounter(logging.Handler):
    """Counts the log records at WARNING or above that reach the logger it is added to."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextlib.contextmanager
def counting_warnings(logger: logging.Logger) -> Iterator[WarningCounter]:
    """A ``WarningCounter`` on ``logger`` for the duration of the block."""
    counter = WarningCounter()
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)


def run_block(code: str, number: int) -> str | None:
    """The block's printed output, or None when it did anything the build must see for itself."""
    block_id = f"<code block: n{number}>"  # the name markdown-exec gives the n-th block without a session
    module_name = re.sub(r"[^a-zA-Z\d]+", "_", block_id)
    sys.modules[module_name] = ModuleType(module_name)
    printed = io.StringIO()

    def buffer_print(*texts: object, end: str = "\n", **_: object) -> None:  # markdown-exec's print
        printed.write(" ".join(str(text) for text in texts) + end)

    stray = io.StringIO()
    try:
        with (
            counting_warnings(logging.getLogger()) as records,
            warnings.catch_warnings(record=True) as warned,
            contextlib.redirect_stdout(stray),
            contextlib.redirect_stderr(stray),
        ):
            exec(compile(code, block_id, "exec"), {"__name__": module_name, "print": buffer_print})
    except BaseException:  # SystemExit too: the build re-runs it and reports what happened
        return None
    if warned or records.count or stray.getvalue():
        return None
    return printed.getvalue()


def main() -> None:
    text = sys.stdin.read()
    if not text:  # started ahead of time, then not needed
        return
    request = json.loads(text)
    sys.path[:] = request["sys_path"]
    protocol = sys.stdout
    for index, code in enumerate(request["blocks"]):
        output = run_block(code, index + 1)
        reply = {"index": index, "failed": True} if output is None else {"index": index, "output": output}
        protocol.write(json.dumps(reply) + "\n")
        protocol.flush()


if __name__ == "__main__":
    main()
