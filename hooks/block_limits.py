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
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

HARD_STOP = 5.0  # seconds past the limit before the build itself is ended
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
        raise TimeLimitExceeded(message)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)  # and every second after, should it be caught
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _async_raise(seconds: float, message: str) -> Iterator[None]:
    target = threading.get_ident()
    done = threading.Event()

    class Expired(TimeLimitExceeded):  # raised asynchronously, so it carries no arguments
        def __init__(self) -> None:
            super().__init__(message)

    def watch() -> None:
        if done.wait(seconds):
            return
        while not done.is_set():
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(Expired))
            done.wait(1.0)

    watcher = threading.Thread(target=watch, name="time-limit", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)  # one not yet delivered


@contextmanager
def _hard_stop(seconds: float, where: str) -> Iterator[None]:
    def stop() -> None:
        log.error(
            f"{where}: the code is still running {HARD_STOP:g} s after its time limit and does not stop "
            "(it catches the exception that stops it, or is in a call that never returns to Python); the build is stopped."
        )
        logging.shutdown()
        os._exit(1)

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


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
