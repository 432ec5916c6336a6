"""A disk cache for what a build computes from code: snippet runs and chart blocks.

Not a hook itself: ``build_cache.py`` sets it up for each build and
``verified_output.py`` stores snippet runs in it. Shared through this module's
``current`` so every hook sees the same instance.

Correctness first. An entry is found by a key that hashes everything that can
change its result:

- what is being computed (the snippet path, or the code block and its options);
- every file under the input folders (the snippets folder by default, plus
  ``extra.build_cache.inputs``): the snippet, the modules it imports, its data,
  the chart code;
- the hooks' own code, the Python version and every installed package's version
  (matplotlib among them);
- the relevant configuration (``extra`` and the markdown-exec plugin's settings).

Entries are JSON files in ``.cache/build/`` (outside ``site/``, ignored by git),
written to a temporary name and renamed into place, so concurrent builds never
read half an entry. An unreadable entry is reported, removed and recomputed.
``NO_BUILD_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.build_cache")

FORMAT = 1  # bump when the layout of an entry changes
SWITCH = "NO_BUILD_CACHE"
BLOCK = "chart block"  # the kind of entry holding a markdown-exec block's HTML


class BuildCache:
    """Look up and store JSON-able results under keys derived from their inputs."""

    def __init__(self, folder: Path, base_key: str, enabled: bool = True) -> None:
        self.folder = folder
        self.base_key = base_key
        self.enabled = enabled
        self.reused: Counter[str] = Counter()  # by kind: "snippet run", "chart block"
        self.computed: Counter[str] = Counter()

    def key(self, kind: str, *parts: object) -> str:
        return digest_text(json.dumps([FORMAT, self.base_key, kind, *parts], sort_keys=True, default=str))

    def block_key(self, language: str, source: str, options: dict) -> str:
        """The key of a markdown-exec block: its language, code and parsed fence options."""
        return self.key(BLOCK, language, source, options)

    def has(self, key: str) -> bool:
        """Whether an entry is stored, without reading or counting it."""
        return self.enabled and (self.folder / f"{key}.json").is_file()

    def get(self, kind: str, key: str) -> dict | None:
        if not self.enabled:
            return None
        path = self.folder / f"{key}.json"
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if entry.get("format") != FORMAT or entry.get("key") != key or "value" not in entry:
                raise ValueError("entry does not match its key")
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            # A cache must never break a build: report, drop the entry, compute again.
            log.info(f"Build cache: ignoring unreadable entry {path} ({error}); computing it again")
            path.unlink(missing_ok=True)
            return None
        self.reused[kind] += 1
        return entry["value"]

    def put(self, kind: str, key: str, value: dict) -> None:
        self.computed[kind] += 1
        if not self.enabled:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"format": FORMAT, "key": key, "value": value}, sort_keys=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(text)
            os.replace(temporary, self.folder / f"{key}.json")
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def summary(self) -> str:
        """E.g. "Build cache: chart block 2 reused 0 computed; snippet run 1 reused 0 computed"."""
        kinds = sorted(set(self.reused) | set(self.computed))
        if not kinds:
            return ""
        state = "" if self.enabled else f" (off: {SWITCH}=1)"
        counts = "; ".join(f"{kind} {self.reused[kind]} reused {self.computed[kind]} computed" for kind in kinds)
        return f"Build cache{state}: {counts}"


def digest_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def folder_digest(folders: list[Path]) -> str:
    """One hash over every file's path and bytes below the folders (caches excluded)."""
    hasher = hashlib.sha256()
    for folder in folders:
        files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            hasher.update(str(path.relative_to(folder.parent)).encode("utf-8") + b"\0")
            hasher.update(hashlib.sha256(path.read_bytes()).digest())
    return hasher.hexdigest()


def environment_digest() -> str:
    """Python's version and the name and version of every installed distribution.

    Read from the ``*.dist-info`` folder names on ``sys.path`` (they carry the
    version), which is much faster than loading every package's metadata.
    """
    installed = []
    for entry in sys.path:
        if os.path.isdir(entry):
            installed += [name for name in os.listdir(entry) if name.endswith((".dist-info", ".egg-info"))]
    return digest_text(json.dumps([sys.version, sys.executable, sorted(installed)]))


def switched_off(switch: str, environ: dict[str, str] = os.environ) -> bool:
    """Whether an environment switch such as ``NO_BUILD_CACHE=1`` is set; unset, 0, false, no: not set."""
    return environ.get(switch, "").strip().lower() not in {"", "0", "false", "no"}


def cache_enabled(environ: dict[str, str] = os.environ) -> bool:
    return not switched_off(SWITCH, environ)


current: BuildCache | None = None
