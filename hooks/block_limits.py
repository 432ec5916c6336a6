"""The limits every piece of code run inside the build's process is held to.

Not a hook: ``code_blocks`` runs each markdown-exec block inside ``limits()``.

- **Time.** Past its limit the code gets a ``TimeLimitExceeded`` exception
  raised where it runs (and again every second, in case it catches it), so
  markdown-exec reports it as a failed block and ``mkdocs serve`` keeps serving.
  In the main thread (``mkdocs build`` and ``mkdocs serve`` build there) a
  ``SIGALRM`` delivers it, which also interrupts a sleep or a blocked read;
  elsewhere it is raised asynchronously in the thread. Code that does not
  return to Python at all (a long call into C) is not stoppable that way:
  ``HARD_STOP`` seconds after its limit the build is ended with an error that
  names the block, rather than hanging forever.
- **Standard input.** It reads end-of-file, never the terminal: ``input()``
  raises ``EOFError``, and so do programs the code starts.

What a block can see of this: while it runs, ``SIGALRM`` has this module's
handler and ``ITIMER_REAL`` is set (a block that installs its own handler
keeps it, and its own timer, after it ends); the watchers are bare threads
(``_thread``, ``bare_thread``, which ``snippet_runner`` uses too), so
``threading.active_count()``, ``threading.enumerate()`` and the numbering of a
block's own ``Thread-N`` are what they are without the hooks (the process's
thread count, seen from outside, is higher).
"""

from __future__ import annotations

import _thread
import ctypes
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from file_access import own_thread, own_thread_ended

HARD_STOP = 5.0  # seconds past the limit before the build itself is ended
REPEAT = 1.0  # seconds between the exceptions that stop code which catches them
log = logging.getLogger("mkdocs.hooks.block_limits")


class TimeLimitExceeded(Exception):
    """Raised inside code that ran past its time limit."""


@contextmanager
def limits(seconds: float, where: str) -> Iterator[None]:
    """Run the body with its time limit and with standard input at end-of-file."""
    message = (
        f"ran longer than its time limit of {seconds:g} s and was stopped; make it faster, or give the block "
        f'a longer limit with timeout="SECONDS" on its fence line (default: extra.code_execution.timeout)'
    )
    with _stdin_at_end_of_file(), _time_limit(seconds, message), _hard_stop(seconds + HARD_STOP, where):
        yield


@contextmanager
def _time_limit(seconds: float, message: str) -> Iterator[None]:
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds, message):
            yield
    else:
        with _async_raise(seconds, message):
            yield


@contextmanager
def _alarm(seconds: float, message: str) -> Iterator[None]:
    def expire(signum, frame):
        if time.monotonic() >= deadline:
            raise TimeLimitExceeded(message)
        if callable(previous):  # the block set the timer for itself, after an earlier one set the handler
            previous(signum, frame)

    previous = signal.signal(signal.SIGALRM, expire)
    # Another block's limit may be running (a markdown-exec block that runs blocks): the sooner of the two
    # fires first (expire hands an outer one on to its handler), and the outer one resumes after.
    outer_left, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_left) if outer_left else seconds, REPEAT)
    started = time.monotonic()
    deadline = started + seconds - 0.01  # the timer may fire a little early
    try:
        yield
    finally:
        if signal.getsignal(signal.SIGALRM) is expire:
            left = max(outer_left - (time.monotonic() - started), 0.001) if outer_left else 0
            signal.setitimer(signal.ITIMER_REAL, left, outer_interval)
            signal.signal(signal.SIGALRM, previous)
        elif signal.getitimer(signal.ITIMER_REAL)[1] == REPEAT:  # the block took SIGALRM for itself, not the timer
            signal.setitimer(signal.ITIMER_REAL, 0)


@contextmanager
def _async_raise(seconds: float, message: str) -> Iterator[None]:
    target = threading.get_ident()

    class Expired(TimeLimitExceeded):  # raised asynchronously, so it carries no arguments
        def __init__(self) -> None:
            super().__init__(message)

    def expire() -> None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(Expired))

    try:
        with _watch(seconds, expire, every=REPEAT):
            yield
    finally:  # however the body ended (it may have raised the exception itself): none is left pending
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)


@contextmanager
def _hard_stop(seconds: float, where: str) -> Iterator[None]:
    def stop() -> None:
        log.error(
            f"{where}: the code is still running {HARD_STOP:g} s after its time limit and does not stop "
            "(it catches the exception that stops it, or is in a call that never returns to Python); the build is stopped."
        )
        logging.shutdown()
        os._exit(1)

    with _watch(seconds, stop):
        yield


@contextmanager
def _watch(seconds: float, expire: Callable[[], None], every: float | None = None) -> Iterator[None]:
    """Call ``expire`` after ``seconds`` (and every ``every`` seconds after) unless the body has ended.

    A bare thread (``_thread``), not a ``threading.Thread``: a block sees no thread of ours in
    ``threading.enumerate()``, and its own threads are numbered as without the limits.
    """
    ended = _thread.allocate_lock()
    ended.acquire()

    def watch() -> None:
        wait = seconds
        while not ended.acquire(timeout=wait):
            expire()
            if every is None:
                return
            wait = every

    finished = bare_thread(watch)
    try:
        yield
    finally:
        ended.release()
        finished(None)  # the watcher has ended: it expires nothing after the body


def bare_thread(target: Callable[[], None]) -> Callable[[float | None], bool]:
    """Run ``target`` in a thread of ``_thread``'s, which ``threading`` does not know: markdown-exec blocks
    running meanwhile count, list and number their own threads as they would without the hooks
    (``threading.Thread`` would take the next ``Thread-N`` and show in ``threading.enumerate()``).

    ``file_access`` is told it is the build's own, so that its file accesses are not recorded as those of
    the code running meanwhile (it would otherwise take it for a thread that code started).

    Returns ``wait(timeout)``: True once ``target`` has returned (``None``: wait for it), False at the timeout.
    """
    done = _thread.allocate_lock()
    done.acquire()

    def run() -> None:
        own_thread()  # file_access: its reads and writes are not those of the code a block runs
        try:
            target()
        finally:
            own_thread_ended()
            done.release()

    def wait(timeout: float | None) -> bool:
        if not done.acquire(timeout=-1 if timeout is None else max(timeout, 0)):
            return False
        done.release()
        return True

    _thread.start_new_thread(run, ())
    return wait


@contextmanager
def _stdin_at_end_of_file() -> Iterator[None]:
    """File descriptor 0 reads /dev/null for the duration (this process and what it starts)."""
    try:
        saved = os.dup(0)
    except OSError:
        # No standard input at all: /dev/null takes descriptor 0 (the lowest free one) for good. Closing
        # it after the block could close a file the block opened there and still uses.
        null = os.open(os.devnull, os.O_RDONLY)
        if null != 0:
            os.dup2(null, 0)
            os.close(null)
        yield
        return
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    try:
        yield
    finally:
        os.dup2(saved, 0)
        os.close(saved)
