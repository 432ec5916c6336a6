"""Hook: build into a scratch folder and swap it in for ``site_dir`` only when the build succeeded.

MkDocs empties ``site_dir`` when a build starts and writes into it as it goes,
so a build that fails, is interrupted, or runs beside another build of the same
checkout (an editor's build-on-save and a manual ``make build``) leaves a
partial site, or none. With this hook each build writes into a folder of its
own next to ``site_dir`` (``.site.building-<pid>-<random>``); at the very end,
if the build succeeded, that folder and ``site_dir`` trade places in one step
(Linux ``renameat2`` with ``RENAME_EXCHANGE``; elsewhere two renames), under a
lock on the parent folder so two builds never swap at once, and the previous
site is deleted. Whoever looks at ``site_dir`` sees the old site or the new one,
whole. When builds overlap, the last to finish wins; both sites are complete.

"Succeeded" includes strict mode: MkDocs fails a strict build on the warnings
it counted only after every ``on_post_build`` has run, so this hook's
``on_post_build`` runs last (priority -100) and reads the same count.

A build that fails (``on_build_error``), is interrupted (Ctrl-C, SIGTERM: the
folder goes as the process exits) leaves ``site_dir`` as it was and deletes its
scratch folder; folders of builds that were killed outright are deleted by the
next build. ``mkdocs serve`` (its own temporary folder) and ``--dirty`` builds
(which add to the existing site) are left as MkDocs makes them.
"""

from __future__ import annotations

import atexit
import ctypes
import errno
import fcntl
import logging
import os
import secrets
import shutil
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.utils import CountHandler

log = logging.getLogger("mkdocs.hooks.atomic_site")

SCRATCH_INFIX = ".building-"
RENAME_EXCHANGE = 2  # from <linux/fs.h>
AT_FDCWD = -100

class AtomicSite:
    """The hook's events; the build under way (its config, site_dir and scratch folder) is what they share."""

    def __init__(self) -> None:
        self.command: str | None = None  # what on_startup said MkDocs was asked to do
        self.dirty = False
        self.build: tuple[object, Path, Path] | None = None  # (config, site_dir, scratch folder)
        self.owner = os.getpid()  # the process whose build that is
        self.exit_handlers_installed = False

    def on_startup(self, command, dirty):
        self.command, self.dirty = command, dirty

    @event_priority(100)  # before any other hook or plugin reads site_dir
    def on_config(self, config):
        if self.command == "serve" or self.dirty:
            return config
        target = Path(os.path.abspath(config.site_dir))
        remove_stale_scratch(target)
        scratch = target.parent / f".{target.name}{SCRATCH_INFIX}{os.getpid()}-{secrets.token_hex(4)}"
        scratch.mkdir(parents=True)  # now, so that an interrupted build always has its folder to delete
        self.build, self.owner = (config, target, scratch), os.getpid()
        config.site_dir = str(scratch)
        self.discard_on_exit()
        return config

    @event_priority(-100)  # after every other on_post_build: MkDocs checks strict mode right after them
    def on_post_build(self, config):
        if self.build is None:
            return
        _, target, scratch = self.build
        config.site_dir = str(target)  # as the user set it, for anything that reads it afterwards (gh-deploy)
        if config.strict and strict_warnings():
            log.info(f"The build logged warnings in strict mode: {target.name}/ is left as it was")
            remove(scratch)
        else:
            swap_in(scratch, target)
        self.build = None

    def on_build_error(self, error):
        self.discard()

    def discard(self) -> None:
        """Delete the scratch folder of the build under way, if any, and give the config its site_dir back."""
        if self.build is not None and self.owner == os.getpid():  # not in a process forked from the build
            config, target, scratch = self.build
            self.build = None
            config.site_dir = str(target)
            remove(scratch)

    def discard_on_exit(self) -> None:
        """Delete the scratch folder if the process ends mid-build: Ctrl-C, or SIGTERM (CI cancelling a job)."""
        if self.exit_handlers_installed:
            return
        self.exit_handlers_installed = True
        atexit.register(self.discard)
        main_thread = threading.current_thread() is threading.main_thread()
        if main_thread and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _exit_on_sigterm)


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)  # unwinds, so exit handlers run (the default action skips them)


def strict_warnings() -> int:
    """The warnings MkDocs has counted for its strict-mode check (it counts them only in strict mode)."""
    handlers = logging.getLogger("mkdocs").handlers
    return sum(count for handler in handlers if isinstance(handler, CountHandler) for _, count in handler.get_counts())


def swap_in(scratch: Path, target: Path) -> None:
    """Put the new site at ``target`` in one step, then delete the previous one."""
    scratch.mkdir(exist_ok=True)  # a build that wrote no file still replaces the site
    with directory_lock(target.parent):
        if os.path.lexists(target):
            exchange(scratch, target)  # the scratch path now holds the previous site
        else:
            os.rename(scratch, target)
    remove(scratch)
    log.info(f"Site swapped in: {target}")


def exchange(first: Path, second: Path) -> None:
    """Swap two paths: atomically where the system can; otherwise by two renames (callers hold the lock)."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise OSError(code, os.strerror(code), str(second))
    aside = first.with_name(first.name + "-previous")
    os.rename(second, aside)
    os.rename(first, second)
    os.rename(aside, first)


@contextmanager
def directory_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on a folder (flock on the folder itself: no lock file to leave behind)."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def remove_stale_scratch(target: Path) -> None:
    """Delete scratch folders whose build process is gone (killed before it could clean up)."""
    prefix = f".{target.name}{SCRATCH_INFIX}"
    for folder in target.parent.glob(f"{prefix}*"):
        pid = folder.name[len(prefix) :].split("-", 1)[0]
        if pid.isdigit() and (int(pid) == os.getpid() or not process_alive(int(pid))):
            remove(folder)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        path.unlink()


_site = AtomicSite()
on_startup = _site.on_startup
on_config = _site.on_config
on_post_build = _site.on_post_build
on_build_error = _site.on_build_error
