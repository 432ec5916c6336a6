"""Build a project the way ``mkdocs serve`` does, one rebuild per line read from standard input.

    python tests/serve_builds.py PROJECT SITE_DIR [--dirty]

The same calls as MkDocs' ``serve`` command (``mkdocs/commands/serve.py``):
the configuration is loaded afresh for every build, ``on_startup`` runs once
with the command "serve", the site address is the dev server's, and each build
is ``build(config, serve_url=..., dirty=...)``; only the HTTP server and the
file watcher are left out, so a test decides when a rebuild happens and can
compare its site with another build's. Prints ``built`` or ``failed: ...``
after each build (with its duration) on standard output, and MkDocs' log, with
anything else the build writes to standard output, on standard error.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import traceback

from mkdocs.commands.build import build
from mkdocs.config import load_config

SERVE_URL = "http://127.0.0.1:8000/"


def main() -> None:
    project, site_dir, dirty = sys.argv[1], sys.argv[2], "--dirty" in sys.argv[3:]
    # The replies get standard output to themselves; what the build writes there (a block's
    # sys.stdout.write) goes to the log, as under `mkdocs serve` both reach the terminal.
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    sys.stdout.flush()
    os.dup2(2, 1)

    def get_config():
        config = load_config(config_file=f"{project}/mkdocs.yml", site_dir=site_dir)
        config.site_url = SERVE_URL
        return config

    handler = logging.StreamHandler()  # as MkDocs' command line sets its logger up
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    config = get_config()
    config.plugins.on_startup(command="serve", dirty=dirty)
    for number, _ in enumerate(sys.stdin):
        if number:  # as serve's builder: the configuration as it is when the rebuild starts
            config = get_config()
        started = time.perf_counter()
        try:
            build(config, serve_url=SERVE_URL, dirty=dirty)
        except BaseException as error:  # noqa: BLE001 - the server logs it and keeps serving too
            traceback.print_exc()  # to the log; one line on standard output
            print(f"failed: {error!r}".replace("\n", " "), file=replies, flush=True)
        else:
            print(f"built in {time.perf_counter() - started:.3f} s", file=replies, flush=True)


if __name__ == "__main__":
    main()
