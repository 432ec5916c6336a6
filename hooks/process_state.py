"""What a markdown-exec block can see of the build's process, and what it can leave there for later blocks.

Not a hook: ``code_blocks`` takes a ``snapshot()`` before and after each chart block it runs.

markdown-exec runs every block in the build's own process, so besides its code, its
environment variables and the files it reads (the cache records all three), a block
sees what earlier blocks left in that process. The build cache tracks the parts that
code commonly changes:

- **settings** (``seen()``): the working directory, ``sys.path`` (entries made
  absolute, so ``''`` and the working directory are one), the environment
  variables, the warnings filters, NumPy's print options, matplotlib's settings
  (``rcParams`` as their differences from what matplotlib loaded when imported, and
  what it loaded: a ``matplotlibrc``) and pyplot's open figures. They are part of a
  chart block's cache key, and its entry holds the settings its run left and the
  modules it imported (other than the project's own): it is reused only if importing
  those modules again (``reproduce``) leaves the settings as its run left them
  (importing NumPy adds warnings filters, for example), which is first tried in a
  forked copy of the process, so a block that must run after all finds nothing
  imported for it. So a block that changes a setting, or a project module that does
  when imported, runs on every build.
- **the random generator** of Python's ``random`` module, and pyplot's figures: a
  block that draws from the generator or seeds it changes what later blocks draw,
  and a block that leaves a figure open, or finds one open, draws into what another
  block began; neither is stored (``storable``). The generator's state is compared
  only within a run: each process seeds it afresh.

So a warm build that skips a block leaves the blocks after it the settings a clean
build leaves them. State kept anywhere else is not tracked: an attribute set on an
imported module, another library's options, or NumPy's global generator (seeded from
the system when ``numpy.random`` is first imported, so a block that first imports it
cannot be told from one that seeds it; seed a generator in the block that draws from
it, ``numpy.random.default_rng(seed)``). Blocks that build on one another belong in a
markdown-exec ``session``, which is never cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import logging
import os
import random
import signal
import sys
import time
import warnings
from collections.abc import Callable, Iterator

from block_limits import die_with_parent

SEEN = (
    "working directory", "sys.path", "environment", "warnings filters", "numpy print options",
    "matplotlib rcParams", "matplotlib rc files", "pyplot figures",
)
NO_FIGURES = "[]"


def snapshot() -> dict[str, str]:
    """The tracked state of this process now, as short digests by name."""
    return {
        "working directory": os.getcwd(),
        "sys.path": _digest([os.path.abspath(entry) for entry in sys.path]),
        "environment": _digest(sorted(os.environ.items())),
        "warnings filters": _digest(warnings.filters),
        "numpy print options": _digest(_numpy_print_options()),
        "matplotlib rcParams": _digest(_changed_rc_params()),
        "matplotlib rc files": _digest(_loaded_rc_params()),
        "pyplot figures": _open_figures(),
        "random": _digest(random.getstate()),
    }


def seen(state: dict[str, str]) -> dict[str, str]:
    """The settings in a snapshot: the same in any process of the same build (a key and an entry hold them)."""
    return {name: state[name] for name in SEEN}


def storable(before: dict[str, str], after: dict[str, str]) -> bool:
    """False if a run between the two snapshots drew from or seeded ``random``, or had a pyplot figure open
    as it began or ended: reusing it would change what later blocks see."""
    return before["random"] == after["random"] and before["pyplot figures"] == after["pyplot figures"] == NO_FIGURES


def reproduce(imports: list[str], left: dict[str, str], seconds: float) -> bool:
    """Import, in order, the modules a block's run imported; True if the settings are then as that run left it.

    Whether they would be is first tried in a copy of this process (a fork), within the block's time limit:
    a module imported here cannot be unloaded, and the block, if it must run after all, has to import it
    itself, in the state its own code makes (an environment variable that the module reads on import).
    """
    missing = [name for name in imports if name not in sys.modules]
    if missing and not _in_a_copy(lambda: _import_all(missing) and seen(snapshot()) == left, seconds):
        return False
    with _log_and_stderr_dropped():  # the run logged and wrote them, and the cache replays them
        if not _import_all(missing):
            return False
    return seen(snapshot()) == left


def _import_all(names: list[str]) -> bool:
    for name in names:
        if name not in sys.modules:
            try:
                importlib.import_module(name)
            except Exception:  # a module made at run time, not importable by name: run the block instead
                return False
    return True


@contextlib.contextmanager
def _log_and_stderr_dropped() -> Iterator[None]:
    # Standard output is not dropped: markdown-exec captures the block's own print, not sys.stdout, so what
    # a module prints as it is imported went to the build's output in the run too.
    previous = logging.root.manager.disable
    logging.disable(logging.CRITICAL)
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            yield
    finally:
        logging.disable(previous)


def _in_a_copy(check: Callable[[], bool], seconds: float) -> bool:
    """``check()`` run in a forked copy of this process, which then ends; False if it fails or runs too long."""
    with warnings.catch_warnings():
        # Python 3.12+ warns that a fork of a process with threads may deadlock: the copy only imports
        # modules and reads settings, and is killed at the time limit if it ever hangs.
        warnings.simplefilter("ignore", DeprecationWarning)
        build, pid = os.getpid(), os.fork()
    if pid == 0:  # the copy: nothing it does reaches the build's output or outlives it
        try:
            die_with_parent(build)
            null = os.open(os.devnull, os.O_RDWR)
            for descriptor in (0, 1, 2):
                os.dup2(null, descriptor)
            logging.disable(logging.CRITICAL)
            os._exit(0 if check() else 1)
        finally:
            os._exit(2)
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:  # short waits: the build's thread acts on Ctrl-C meanwhile
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                pid = 0
                return os.waitstatus_to_exitcode(status) == 0
            time.sleep(0.005)
        return False
    finally:
        if pid:  # past the time limit, or the build is being stopped
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8", "backslashreplace")).hexdigest()[:32]


def _numpy_print_options() -> object:
    get_printoptions = getattr(sys.modules.get("numpy"), "get_printoptions", None)
    return sorted(get_printoptions().items()) if get_printoptions is not None else None


def _matplotlib_params() -> tuple[dict | None, dict | None]:
    matplotlib = sys.modules.get("matplotlib")
    current, loaded = getattr(matplotlib, "rcParams", None), getattr(matplotlib, "rcParamsOrig", None)
    if not isinstance(current, dict) or not isinstance(loaded, dict):
        return None, None
    return current, loaded


def _changed_rc_params() -> list[tuple[str, str]]:
    """matplotlib's settings that differ from those it loaded on import (none when it is not imported)."""
    current, loaded = _matplotlib_params()
    if current is None:
        return []
    # dict's own methods: RcParams' item access resolves the backend, which would change what it reads.
    return sorted(
        (name, repr(value))
        for name, value in dict.items(current)
        if name not in loaded or dict.__getitem__(loaded, name) != value
    )


def _loaded_rc_params() -> list[tuple[str, str]] | None:
    """What matplotlib loaded on import (its defaults and any matplotlibrc), but the backend, which pyplot
    settles only when it draws its first figure."""
    _, loaded = _matplotlib_params()
    if loaded is None:
        return None
    return sorted((name, repr(value)) for name, value in dict.items(loaded) if not name.startswith("backend"))


def _open_figures() -> str:
    get_fignums = getattr(sys.modules.get("matplotlib.pyplot"), "get_fignums", None)
    return repr(get_fignums()) if get_fignums is not None else NO_FIGURES
