"""The build cache: results of code run at build time, reused only while every input is unchanged.

Not a hook: ``code_execution`` opens one per build and hands it to
``snippet_runner``, which runs each snippet in a process of its own. markdown-exec's
blocks are not cached: they run in the build's own process, where what earlier
blocks left cannot be recorded (``code_blocks``).

A result is reused only when both hold:

1. its key is the same: ``cache_key`` below is the one place that says what
   the key covers;
2. every file the run read, and every folder it listed, still holds what it
   held then. These inputs are recorded while the code runs (``file_access``:
   Python's audit events for opening files, imports included, and listing
   folders), wherever they live: snippets, data under ``docs/``, anything else.
   Files of the Python installation and its packages are left out: the key
   covers them by version.

Only runs that succeeded cleanly are stored (``snippet_runner`` says which).
Entries are JSON files in
``.cache/build/`` (ignored by git), written to a temporary name and renamed into
place, so a concurrent build never reads half an entry; an entry that cannot be
read or has the wrong shape is reported with an INFO line, removed and
computed again; the folder is created again if it disappears during a build.
``NO_BUILD_CACHE=1`` turns the cache off. A build that ran snippets logs one
summary line, e.g. ``Build cache: snippet run 1 reused 0 computed``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import sysconfig
import tempfile
import threading
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

from file_access import inputs_unchanged

log = logging.getLogger("mkdocs.hooks.result_cache")

FORMAT = 5  # bump when the layout of an entry or of a key changes
SWITCH = "NO_BUILD_CACHE"


def cache_key(kind: str, code: object, installation: str, variables: Mapping[str, str]) -> str:
    """The key of a result: everything it depends on except the files its run read.

    - ``kind``: what was run ("snippet run");
    - ``code``: the snippet's path, the digest of its bytes and its limits (time,
      output size);
    - ``installation``: ``installation_digest()``: Python's version and executable,
      the name and version of every installed distribution, and the code of these hooks;
    - ``variables``: every environment variable the code sees when it runs.

    A snippet runs in a process of its own, so nothing else of the build reaches it.
    """
    parts = [FORMAT, kind, code, installation, sorted(variables.items())]
    return hashlib.sha256(json.dumps(parts, default=str).encode("utf-8")).hexdigest()


def installation_digest(hooks_folder: Path) -> str:
    """Python, its installed distributions (names and versions) and the hooks' own code.

    The distributions are read from the ``*.dist-info`` folder names on ``sys.path``
    (they carry the version), much faster than loading every package's metadata.
    """
    hasher = hashlib.sha256(f"{sys.version}\0{sys.executable}\0".encode())
    for entry in sys.path:
        if os.path.isdir(entry):
            names = sorted(n for n in os.listdir(entry) if n.endswith((".dist-info", ".egg-info")))
            hasher.update("\0".join(names).encode("utf-8"))
    for path in sorted(hooks_folder.rglob("*.py")):
        hasher.update(path.relative_to(hooks_folder).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    return hasher.hexdigest()


HOOKS = Path(__file__).resolve().parent
# What this process runs, as it started, computed once: MkDocs imports hooks once per process. Results
# are keyed by it, and serve_rebuilds restarts `mkdocs serve` when installation_digest(HOOKS) moves on.
STARTED_WITH = installation_digest(HOOKS)


def installation_folders() -> tuple[str, ...]:
    """Where Python's library and its packages live: reads from there are covered by the key, not recorded.

    The library folders themselves, not the prefixes they are under: a project may live under a
    prefix (Debian's Python is under /usr, a project in /usr/src/app) or hold one (a virtual
    environment made in the project's own folder), and its files are inputs all the same.
    """
    folders = set()
    for prefix, base in ((sys.prefix, sys.exec_prefix), (sys.base_prefix, sys.base_exec_prefix)):
        paths = sysconfig.get_paths(vars={"base": prefix, "platbase": base, "installed_base": prefix, "installed_platbase": base})
        folders |= {paths[name] for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    folders |= {entry for entry in sys.path if entry.endswith(("site-packages", "dist-packages"))}
    return tuple(sorted(os.path.abspath(folder) for folder in folders))


def cache_enabled(environ: Mapping[str, str] = os.environ) -> bool:
    """False when ``NO_BUILD_CACHE`` is set to anything but empty, 0, false or no."""
    return environ.get(SWITCH, "").strip().lower() in {"", "0", "false", "no"}


class ResultCache:
    """Look up and store JSON-able results with the inputs their runs read."""

    def __init__(self, folder: Path, enabled: bool = True) -> None:
        self.folder = folder
        self.enabled = enabled
        self.reused: Counter[str] = Counter()  # by kind
        self.computed: Counter[str] = Counter()
        self._lock = threading.Lock()  # snippets run in threads of their own

    def get_with_inputs(self, kind: str, key: str) -> tuple[dict, list[str]] | None:
        """The stored value and the names of the inputs it was made from (as ``inputs_digest`` names them), if
        those inputs are unchanged; None means the caller computes it (counted)."""
        entry = self._read(key) if self.enabled else None
        with self._lock:
            (self.reused if entry is not None else self.computed)[kind] += 1
        return (entry["value"], sorted(entry["inputs"])) if entry is not None else None

    def _read(self, key: str) -> dict | None:
        path = self.folder / f"{key}.json"
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if not _well_formed(entry, key):
                raise ValueError("it is not an entry of this cache's format")
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            # A cache must never break a build: report, drop the entry, compute again.
            log.info(f"Build cache: ignoring unreadable entry {path} ({error}); computing it again")
            path.unlink(missing_ok=True)
            return None
        return entry if inputs_unchanged(entry["inputs"]) else None

    def put(self, key: str, value: dict, inputs: dict[str, str | None]) -> None:
        """Store a value with the digests of the inputs its run read (``file_access.inputs_digest``)."""
        if not self.enabled:
            return
        text = json.dumps({"format": FORMAT, "key": key, "value": value, "inputs": inputs}, sort_keys=True)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)  # again: it may have been deleted meanwhile
            fd, temporary = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=self.folder)
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, self.folder / f"{key}.json")
        except OSError as error:
            log.info(f"Build cache: could not store an entry in {self.folder} ({error}); it is computed next time")

    def summary(self) -> str:
        """E.g. "Build cache: snippet run 1 reused 0 computed"."""
        kinds = sorted(set(self.reused) | set(self.computed))
        if not kinds:
            return ""
        state = "" if self.enabled else f" (off: {SWITCH}=1)"
        counts = "; ".join(f"{kind} {self.reused[kind]} reused {self.computed[kind]} computed" for kind in kinds)
        return f"Build cache{state}: {counts}"


def _well_formed(entry: object, key: str) -> bool:
    return (
        isinstance(entry, dict)
        and entry.get("format") == FORMAT
        and entry.get("key") == key
        and isinstance(entry.get("value"), dict)
        and isinstance(entry.get("inputs"), dict)
        and all(isinstance(name, str) and ":" in name for name in entry["inputs"])
        and all(digest is None or isinstance(digest, str) for digest in entry["inputs"].values())
    )
