"""Hook: let the MkDocs process end without Python's final garbage collections.

When Python exits, it clears every module and runs full garbage collections
over all that is left: for MkDocs with Material, markdown-exec and Pygments
loaded, about 50 ms of every ``mkdocs build``, after the site is written. None
of it is needed, since the operating system takes the memory back at once.
When MkDocs shuts down, this asks Python to freeze the objects still alive as
it exits (``gc.freeze``), so those collections skip them. Objects are still
released as usual; only cycles left at exit are not collected, and Python
never promised to finalize those anyway.

The freeze is registered with ``atexit``, so it happens only as the process
ends, once MkDocs is done (exit handlers registered before it, such as logging's
final flush, still run after it, unaffected): a process that runs MkDocs and
goes on (a test, a server) keeps its collector as it was.
"""

from __future__ import annotations

import atexit
import gc


def freeze_at_exit() -> None:
    """Freeze the objects alive at interpreter exit (cheap: freezing twice does no harm)."""
    atexit.register(gc.freeze)


def on_shutdown():
    freeze_at_exit()
