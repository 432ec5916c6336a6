"""Loaded first by a snippet's Python when the build runs it: record what the snippet reads and changes.

Not a hook. ``snippet_runner`` puts this folder on the snippet's ``PYTHONPATH``,
names a file in ``CODE_EXECUTION_RECORD`` and its own process in
``CODE_EXECUTION_PARENT``. First, this module makes the snippet die with the
build. Before the snippet starts, it takes all of that back out (``sys.path``,
``PYTHONPATH`` and the variables), so
the snippet sees what ``python snippets/NAME.py`` gives a reader; it loads any
other ``sitecustomize`` the installation has, then records the snippet's file
accesses (``file_access``) and writes them to that file when the snippet
exits. The build cache checks those files before it reuses the run,
and the build refuses a snippet that changed the project's pages or snippets.
"""

import atexit
import importlib.machinery
import os
import sys
import types


def _die_with_the_build() -> None:
    """Be killed when the build's thread that started this process ends, however it ends (Linux).

    Done here, not in a ``preexec_fn`` (unsafe with threads, and it makes ``subprocess`` copy the
    whole build process with fork instead of vfork). The build may have ended before this ran:
    then this process has another parent already, and it ends at once.
    """
    parent = os.environ.pop("CODE_EXECUTION_PARENT", None)
    if parent is None or not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != int(parent):
        os._exit(1)


_die_with_the_build()
_HERE = os.path.dirname(os.path.abspath(__file__))
_record = os.environ.pop("CODE_EXECUTION_RECORD", None)
_pythonpath = os.environ.pop("CODE_EXECUTION_PYTHONPATH", None)
if _pythonpath is None:
    os.environ.pop("PYTHONPATH", None)
else:
    os.environ["PYTHONPATH"] = _pythonpath
sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry) != _HERE]


def _load(name: str, path: str):
    """Run a module from its file (importlib.util's way, without importing importlib.util)."""
    loader = importlib.machinery.SourceFileLoader(name, path)
    module = types.ModuleType(name)
    module.__spec__ = importlib.machinery.ModuleSpec(name, loader, origin=path)
    module.__file__, module.__loader__ = path, loader
    sys.modules[name] = module  # dataclasses look their module up there
    loader.exec_module(module)
    return module


_other = importlib.machinery.PathFinder.find_spec("sitecustomize", sys.path)
if _other is not None and _other.origin:
    _load("_installation_sitecustomize", _other.origin)

if _record:
    _file_access = _load("_code_execution_file_access", os.path.join(os.path.dirname(_HERE), "file_access.py"))
    _recording = _file_access.recording()
    _accesses = _recording.__enter__()

    def _write_record() -> None:
        _recording.__exit__(None, None, None)
        with open(_record, "w", encoding="utf-8", errors="surrogateescape") as stream:
            stream.write(_file_access.written_record(_accesses))

    atexit.register(_write_record)
