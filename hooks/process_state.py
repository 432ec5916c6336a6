"""What a markdown-exec block can see of the build's process, and what it can leave there for later blocks.

Not a hook: ``code_blocks`` takes a ``snapshot()`` before and after each chart block it runs.

markdown-exec runs every block in the build's own process, so besides its code, its
environment variables and the files it reads (the cache records all three), a block
sees what earlier blocks left in that process. The build cache tracks the parts that
code commonly changes:

- **settings** (``seen()``): the working directory, ``sys.path``, the warnings filters
  and matplotlib's settings (``rcParams``, as their differences from what matplotlib
  loaded when it was imported, so "not imported yet" and "imported, untouched" are the
  same state). They are part of a chart block's cache key, and its entry holds the
  settings its run left and the modules it imported: it is reused only if importing
  those modules again (``reproduce``) leaves the settings as its run left them
  (importing NumPy adds warnings filters, for example; a block that changes a setting
  is run again each time).
- **the random generator** of Python's ``random`` module: a block that draws from it,
  or seeds it, changes what later blocks draw, so it is not stored at all
  (``generators_untouched``). Its state is compared only within a run: each process
  seeds it afresh.

So a warm build that skips a block leaves the blocks after it what they would have
seen. State kept anywhere else is not tracked: an attribute set on an imported
module, or NumPy's global generator (NumPy seeds it when imported, so a block that
first imports NumPy could not be told from one that seeds it; seed a generator in
the block that draws from it, ``numpy.random.default_rng(seed)``). Blocks that build
on one another belong in a markdown-exec ``session``, which is never cached.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import os
import random
import sys
import warnings

SEEN = ("working directory", "sys.path", "warnings filters", "matplotlib rcParams")
GENERATORS = ("random",)


def snapshot() -> dict[str, str]:
    """The tracked state of this process now, as short digests by name."""
    return {
        "working directory": os.getcwd(),
        "sys.path": _digest(sys.path),
        "warnings filters": _digest(warnings.filters),
        "matplotlib rcParams": _digest(_changed_rc_params()),
        "random": _digest(random.getstate()),
    }


def seen(state: dict[str, str]) -> dict[str, str]:
    """The settings in a snapshot: the same in any process of the same build (a key and an entry hold them)."""
    return {name: state[name] for name in SEEN}


def generators_untouched(before: dict[str, str], after: dict[str, str]) -> bool:
    """True if a run between the two snapshots neither drew from nor seeded the global random generators."""
    return all(before[name] == after[name] for name in GENERATORS)


def reproduce(imports: list[str], left: dict[str, str]) -> bool:
    """Import, in order, the modules a block's run imported; True if the settings are then as that run left them."""
    # What a module prints as it is imported was part of the run's output, which the cache replays.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for name in imports:
            if name not in sys.modules:
                try:
                    importlib.import_module(name)
                except Exception:  # a module made at run time, not importable by name: run the block instead
                    return False
    return seen(snapshot()) == left


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode("utf-8", "backslashreplace")).hexdigest()[:32]


def _changed_rc_params() -> list[tuple[str, str]]:
    """matplotlib's settings that differ from those it loaded on import (none when it is not imported)."""
    matplotlib = sys.modules.get("matplotlib")
    current, loaded = getattr(matplotlib, "rcParams", None), getattr(matplotlib, "rcParamsOrig", None)
    if not isinstance(current, dict) or not isinstance(loaded, dict):
        return []
    # dict's own methods: RcParams' item access resolves the backend, which would change what it reads.
    return sorted(
        (name, repr(value))
        for name, value in dict.items(current)
        if name not in loaded or dict.__getitem__(loaded, name) != value
    )

