"""Record which files a piece of code reads and which it changes, while it runs.

Not a hook: ``code_blocks`` records a markdown-exec block run in the build's
own process (to report one that changes the project's files), ``serve_rebuilds``
records each page's build (what it read decides when it is rebuilt), and
``snippet_site/sitecustomize.py`` records a snippet run in its own process (what
it read keys its cached result), all with this module (standard library only, so
the snippet's start-up stays short).

Python raises an audit event (``sys.addaudithook``) for every file it opens,
imports included (``io.open_code``), every folder it lists, every file it
removes or renames, and every SQLite database it connects to. A path counts as
changed only if, when the recording ends, it holds something else than when the
code first touched it (a folder made that was there already, or a scratch file
made and removed, is no change; SQLite writes without any event, so a database
is compared by its header's change counter and its write-ahead log, in every
recording of the process once something connected to it). ``recording()`` collects those of the
current thread, and of threads started while it records, into an ``Accesses``:
what was read is what the build cache checks before it reuses a result
(``inputs_digest``); what was changed lets the build refuse code that changes
the project's pages or snippets, and keeps a snippet run that changed anything
out of the cache. Programs that the code itself
starts are not seen, but that it started one is (``Accesses.unseen``; also for
multiprocessing's spawn and forkserver starts, seen by the import of the modules
that make them, and for any SQLite connection, since ``ATTACH DATABASE`` opens
files without an event): its results are then neither cached nor trusted to stay
the same. Nor are reads by
threads that ran before the recording began, or checks that only look at a file
(``os.stat``, ``Path.exists``).
"""

from __future__ import annotations

# Few imports, and those few cheap ones (hashlib and importlib.util are imported where used):
# every snippet's process loads this module before the snippet starts.
import _thread
import os
import sys
TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing
if TYPE_CHECKING:
    from collections.abc import Iterable

# Audit events whose first argument is a path the code may change.
_WRITES = {"os.remove", "os.rmdir", "os.mkdir", "os.truncate", "shutil.rmtree"}
_LINKS = {"os.symlink", "os.link"}  # (source, new path): the new path changes
_MOVES = {"os.rename"}  # (source, destination): both change
_LISTS = {"os.listdir", "os.scandir"}
# Audit events of starting another program: what it reads is not seen here.
_PROGRAMS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty"}
# multiprocessing's spawn and forkserver start Python through _posixsubprocess, which raises no event: the
# modules that do it are imported (an "import" event) just before the first such start.
_PROGRAM_STARTERS = {"multiprocessing.popen_spawn_posix", "multiprocessing.popen_forkserver", "multiprocessing.forkserver"}


class Accesses:
    """Absolute paths read, listed and changed by the code recorded (``changed``: once it has ended)."""

    def __init__(self) -> None:
        self.read: set[str] = set()
        self.listed: set[str] = set()
        self.changed: set[str] = set()
        self.unseen = False  # it started a program, whose file accesses are not recorded
        # What each path the code may change held when first touched; compared by settle().
        self.before: dict[str, str | None] = {}  # _state
        self.databases: dict[str, str | None] = {}  # SQLite files: _database_state

    def touch(self, path: str) -> None:
        if path not in self.before:
            self.before[path] = _state(path)

    def touch_database(self, path: str) -> None:
        if path not in self.databases:
            self.databases[path] = _database_state(path)

    def settle(self) -> None:
        """Count as changed each path that now holds something else than when the code first touched it.

        What the code left as it found it is no change: a folder made with exist_ok, a scratch file made
        and removed, a database only read (SQLite writes without any audit event)."""
        # list(): a thread the code started may still be adding.
        self.changed.update(path for path, state in list(self.before.items()) if _state(path) != state)
        self.changed.update(path for path, state in list(self.databases.items()) if _database_state(path) != state)

    def note(self, event: str, args: tuple) -> None:
        if event in _PROGRAMS or (event == "import" and args[0] in _PROGRAM_STARTERS):
            self.unseen = True
        elif event == "open":
            path, mode, flags = args
            if not isinstance(path, (str, bytes)):
                return  # a file descriptor: it was opened by path first
            path = _absolute(path)
            if path == os.devnull:
                return
            if _writes(mode, flags):
                self.touch(path)
            if _reads(mode, flags):
                self.read.add(_source_of(path))
        elif event == "sqlite3.connect":  # SQLite opens the file itself, without an "open" event
            # ...and any other file an ATTACH DATABASE statement names, without any event: what a
            # connection reads is not all known.
            self.unseen = True
            path = _sqlite_file(args[0] if args else None)
            if path is not None:
                self.read.add(path)
                self.touch_database(path)
                _databases.add(path)
        elif event in _WRITES:
            if isinstance(args[0], (str, bytes)):
                self.touch(_absolute(args[0]))
        elif event in _LINKS:
            if isinstance(args[1], (str, bytes)):
                self.touch(_absolute(args[1]))
        elif event in _MOVES:
            for path in args[:2]:
                if isinstance(path, (str, bytes)):
                    self.touch(_absolute(path))
        elif event in _LISTS and not _by_the_import_system():
            path = args[0] if args and args[0] is not None else "."
            if isinstance(path, (str, bytes)):
                self.listed.add(_absolute(path))


def _sqlite_file(database: object) -> str | None:
    """The file of a SQLite database as ``sqlite3.connect`` names it (a path, or a ``file:`` URI)."""
    if not isinstance(database, (str, bytes, os.PathLike)):
        return None
    name = os.fsdecode(database)
    if name.startswith("file:"):  # file:data/x.db?mode=ro, file:///abs/x.db (a URI is taken as one here)
        from urllib.parse import unquote, urlsplit

        parts = urlsplit(name)
        name = unquote(parts.path)
    if name in ("", ":memory:"):
        return None
    return _absolute(name)


def _state(path: str) -> str | None:
    """What a path holds, to tell whether code changed it: a regular file's digest, "folder" (its files are
    touched one by one), "other" (a device or pipe: not read), None if nothing is there."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    if stat.S_ISDIR(mode):
        return "folder"
    return file_digest(path) if stat.S_ISREG(mode) else "other"


def _database_state(path: str) -> str | None:
    """What a SQLite database holds, without reading a large one whole: SQLite bumps the change counter in
    the file's 100-byte header on every commit, and a WAL database's commits go to its -wal file first
    (an empty one is as good as none)."""
    try:
        with open(path, "rb") as stream:
            header = stream.read(100)
        size = os.stat(path).st_size
    except OSError:
        return None
    log = path + "-wal"
    wal = _state(log) if os.path.isfile(log) and os.path.getsize(log) else None
    return f"{header.hex()}:{size}:{wal}"


def _writes(mode: str | None, flags: int | None) -> bool:
    if isinstance(flags, int):
        return bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND))
    return bool(mode) and bool(set(mode) & set("wax+"))


def _reads(mode: str | None, flags: int | None) -> bool:
    if isinstance(flags, int):
        return flags & os.O_ACCMODE in (os.O_RDONLY, os.O_RDWR)
    return not mode or "r" in mode or "+" in mode


def _by_the_import_system() -> bool:
    """Whether the folder is listed by Python's import system, which lists every folder on sys.path
    it searches (the files a module import reads are recorded themselves)."""
    frame = sys._getframe(3)  # _by_the_import_system <- note <- _audit <- the listing's caller
    return frame.f_code.co_filename.startswith("<frozen importlib")


def _source_of(path: str) -> str:
    """An import reads a module's cached bytecode; the input is the source it was compiled from."""
    if path.endswith(".pyc") and f"{os.sep}__pycache__{os.sep}" in path:
        import importlib.util

        try:
            return importlib.util.source_from_cache(path)
        except ValueError:
            pass
    return path


def _absolute(path: str | bytes) -> str:
    return os.path.abspath(os.fsdecode(path))


_local = _thread._local()  # threading.local, without importing threading
_installed = False
# Every SQLite database connected to in this process: a connection kept open writes without any event, so
# each recording compares them all (a markdown-exec session's block may write through an earlier one's).
_databases: set[str] = set()
# The recording under way on the thread that started the outermost one, and the threads that ran then
# (system thread ids: Python's own idents are reused as soon as a thread ends): a thread started after
# it (a pool the code uses to read files) records into it too.
_watched: tuple[Accesses, frozenset[int]] | None = None
# Threads of the build's own that threading does not list (block_limits.bare_thread: its watchers, snippet
# runs and their output readers): what they read or write is never the recorded code's.
_own_threads: set[int] = set()


def own_thread() -> None:
    """Mark the calling thread as the build's own: its file accesses are never recorded as code's."""
    _own_threads.add(_thread.get_native_id())


def own_thread_ended() -> None:
    _own_threads.discard(_thread.get_native_id())


def _running_threads() -> frozenset[int]:
    threading = sys.modules.get("threading")  # not imported for it: a snippet's process starts with one thread
    found = {_thread.get_native_id()}
    if threading is not None:
        found |= {thread.native_id for thread in threading.enumerate() if thread.native_id is not None}
    return frozenset(found)


def _audit(event: str, args: tuple) -> None:
    accesses = getattr(_local, "accesses", None)
    if accesses is None and _watched is not None and not getattr(_local, "noting", False):
        watched, known = _watched
        if _thread.get_native_id() not in known and _thread.get_native_id() not in _own_threads:
            _local.noting = True  # our own work below must not be recorded (or recurse)
            try:
                watched.note(event, args)
            finally:
                _local.noting = False
        return
    if accesses is not None:
        _local.accesses = None  # our own work below must not be recorded (or recurse)
        try:
            accesses.note(event, args)
        finally:
            _local.accesses = accesses


class recording:  # noqa: N801 - used as a function: `with recording() as accesses:`
    """Collect this thread's file accesses for the duration (nested recordings add to the outer one)."""

    def __enter__(self) -> Accesses:
        global _installed, _watched
        if not _installed:  # an audit hook cannot be removed: one for the whole process
            sys.addaudithook(_audit)
            _installed = True
        self.outer = getattr(_local, "accesses", None)
        self.accesses = Accesses()
        _local.accesses = None  # reading the databases' files here is not the code's doing
        for path in list(_databases):
            self.accesses.touch_database(path)
        _local.accesses = self.accesses
        self.watched_before = _watched
        if self.outer is None:
            _watched = (self.accesses, _running_threads())
        elif _watched is not None and _watched[0] is self.outer:
            _watched = (self.accesses, _watched[1])
        return self.accesses

    def __exit__(self, *exc_info) -> None:
        global _watched
        _watched = self.watched_before
        _local.accesses = None  # settling reads the files: not recorded
        self.accesses.settle()
        _local.accesses = self.outer
        if self.outer is not None:  # nested: what the inner code did, the outer did too
            self.outer.read |= self.accesses.read
            self.outer.listed |= self.accesses.listed
            self.outer.changed |= self.accesses.changed
            self.outer.unseen |= self.accesses.unseen
            for path, state in self.accesses.before.items():
                self.outer.before.setdefault(path, state)
            for path, state in self.accesses.databases.items():
                self.outer.databases.setdefault(path, state)


RECORD_MARK = "file accesses\0"


def written_record(accesses: Accesses) -> str:
    """The accesses as text for another process (``read_record``): kind and path, NUL-separated
    (a path cannot hold NUL; json would cost a snippet's process several milliseconds to import)."""
    parts = [f"{kind}\0{path}\0" for kind in ("read", "listed", "changed") for path in sorted(getattr(accesses, kind))]
    return RECORD_MARK + "".join(parts) + ("unseen\0\0" if accesses.unseen else "")


def read_record(text: str) -> dict[str, list[str]]:
    """What ``written_record`` wrote: {"read": [...], "listed": [...], "changed": [...], "unseen": [...]}
    ("unseen" is not empty when the code started a program)."""
    found: dict[str, list[str]] = {"read": [], "listed": [], "changed": [], "unseen": []}
    if not text.startswith(RECORD_MARK):
        raise ValueError("not a record of file accesses")
    fields = text[len(RECORD_MARK) :].split("\0")
    if len(fields) % 2 != 1 or fields[-1] != "":
        raise ValueError("not a record of file accesses")
    for kind, path in zip(fields[0:-1:2], fields[1:-1:2]):
        if kind not in found:
            raise ValueError(f"not a record of file accesses: {kind!r}")
        found[kind].append(path)
    return found


def note_inputs(names: Iterable[str] | None) -> None:
    """Add inputs read elsewhere on this thread's behalf (a snippet's process, another thread) to its
    recording, if one is under way: ``names`` as ``inputs_digest`` writes them ("file:PATH", "dir:PATH"),
    or None when they are not known."""
    accesses = getattr(_local, "accesses", None)
    if accesses is None:
        return
    if names is None:  # not known: as if the code had started a program
        accesses.unseen = True
        return
    for name in names:
        kind, path = name.split(":", 1)
        (accesses.read if kind == "file" else accesses.listed).add(path)


def file_digest(path: str) -> str | None:
    """The file's SHA-256, or None if it is not a readable file now."""
    import hashlib

    try:
        with open(path, "rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return None


def listing_digest(path: str) -> str | None:
    """A digest of the names in a folder, or None if it cannot be listed now."""
    import hashlib

    try:
        names = sorted(name for name in os.listdir(path) if name != "__pycache__")
    except OSError:
        return None
    return hashlib.sha256("\0".join(names).encode("utf-8", "surrogateescape")).hexdigest()


def inputs_digest(read: Iterable[str], listed: Iterable[str]) -> dict[str, str | None]:
    """What the recorded inputs hold now: {"file:PATH": digest, "dir:PATH": digest}."""
    found = {f"file:{path}": file_digest(path) for path in sorted(read) if not os.path.isdir(path)}
    found.update({f"dir:{path}": listing_digest(path) for path in sorted(listed)})
    return found


def inputs_unchanged(recorded: dict[str, str | None]) -> bool:
    """Whether every recorded input still holds what it held when it was recorded."""
    for name, digest in recorded.items():
        kind, path = name.split(":", 1)
        now = file_digest(path) if kind == "file" else listing_digest(path)
        if now != digest:
            return False
    return True


def changed_since(path: str, started_ns: int) -> bool:
    """Whether the file or folder was changed at or after that moment (time.time_ns), by its modification
    time or its status-change time (which no tool sets back); False if it is gone."""
    try:
        status = os.stat(path)
    except OSError:
        return False  # gone: its recorded digest (None) tells the next build
    return max(status.st_mtime_ns, status.st_ctime_ns) >= started_ns


def outside(paths: Iterable[str], folders: Iterable[str]) -> set[str]:
    """The paths that lie in none of the folders (absolute paths)."""
    prefixes = tuple(os.path.join(folder, "") for folder in folders)
    return {path for path in paths if not path.startswith(prefixes)}


def inside(paths: Iterable[str], folders: Iterable[str]) -> set[str]:
    """The paths that lie in one of the folders, or are one of them."""
    roots = set(folders)
    prefixes = tuple(os.path.join(folder, "") for folder in roots)
    return {path for path in paths if path in roots or path.startswith(prefixes)}
