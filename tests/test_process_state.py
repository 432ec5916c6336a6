"""process_state: what a chart block sees of the build's process, and whether a reused block leaves it as its run did.

The whole behaviour (hooks on and off give the same pages when an earlier block changes a
setting or seeds the generator) is in tests/test_differential.py ("edited" mode); these
call the functions directly, each in a fresh Python process, as a build's process starts.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from conftest import ROOT


def in_fresh_process(code: str) -> dict:
    """Run code after ``import process_state`` in a new interpreter; it prints one JSON value."""
    program = f"import json, sys\nsys.path.insert(0, {str(ROOT / 'hooks')!r})\nimport process_state\n" + textwrap.dedent(code)
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout)


def test_matplotlib_imported_and_untouched_has_the_settings_it_had_before_its_import():
    found = in_fresh_process("""
        settings = lambda: process_state.snapshot()["matplotlib rcParams"]
        before = settings()
        import matplotlib.pyplot
        untouched = settings()
        matplotlib.rcParams["lines.linewidth"] = 3.5
        changed = settings()
        print(json.dumps({"untouched": untouched == before, "changed": changed == before}))
    """)
    assert found == {"untouched": True, "changed": False}


def test_each_setting_is_seen():
    found = in_fresh_process("""
        import os, tempfile, warnings
        import numpy, matplotlib.pyplot as plt
        names = []
        for change in (
            lambda: os.chdir(tempfile.gettempdir()),
            lambda: sys.path.append("/elsewhere"),
            lambda: os.environ.update(SET_BY_A_BLOCK="yes"),
            lambda: warnings.simplefilter("ignore"),
            lambda: numpy.set_printoptions(precision=3),
            lambda: plt.rcParams.update({"lines.linewidth": 3}),
            lambda: plt.figure(),
        ):
            before = process_state.seen(process_state.snapshot())
            change()
            after = process_state.seen(process_state.snapshot())
            names.append(sorted(name for name in before if before[name] != after[name]))
        print(json.dumps(names))
    """)
    # sys.path[0] is "" here (python -c): the working directory, so moving changes what it names.
    assert found == [
        ["sys.path", "working directory"], ["sys.path"], ["environment"], ["warnings filters"], ["numpy print options"],
        ["matplotlib rcParams"], ["pyplot figures"],
    ]


def test_a_matplotlibrc_is_seen_and_an_empty_sys_path_entry_is_the_working_directory(tmp_path):
    # What matplotlib loaded on import is not a change of its settings, but a matplotlibrc changes it.
    seen_with = {}
    for width in (2, 4):
        (tmp_path / "matplotlibrc").write_text(f"lines.linewidth: {width}\n")
        seen_with[width] = in_fresh_process(f"""
            import os
            os.chdir({str(tmp_path)!r})
            import matplotlib
            print(json.dumps(process_state.seen(process_state.snapshot())))
        """)
    changed = sorted(name for name in seen_with[2] if seen_with[2][name] != seen_with[4][name])
    assert changed == ["matplotlib rc files"]
    found = in_fresh_process("""
        import os
        sys.path.insert(0, os.getcwd())
        with_directory = process_state.snapshot()["sys.path"]
        sys.path[0] = ""
        print(json.dumps(process_state.snapshot()["sys.path"] == with_directory))
    """)
    assert found is True


def test_a_run_that_draws_from_the_generator_or_uses_open_figures_is_not_storable():
    found = in_fresh_process("""
        import random
        import matplotlib.pyplot as plt
        results = []
        def leave_a_figure():
            plt.figure()
        def close_it():
            plt.close("all")
        for use in (lambda: None, random.random, lambda: random.seed(1), leave_a_figure, close_it, lambda: None):
            before = process_state.snapshot()
            use()
            results.append(process_state.storable(before, process_state.snapshot()))
        print(json.dumps(results))
    """)
    # Nothing; a draw; a seed; a figure left open; a figure found open (and closed); nothing again.
    assert found == [True, False, False, False, False, True]


def test_reproduce_imports_what_a_run_imported_and_compares_the_settings_it_left():
    # The first process imports NumPy (it adds warnings filters) and records what it left; a second
    # process, where nothing is imported yet, gets there again by importing the same modules.
    first = in_fresh_process("""
        loaded = set(sys.modules)
        import numpy
        imports = [name for name in sys.modules if name not in loaded]
        print(json.dumps({"imports": imports, "left": process_state.seen(process_state.snapshot())}))
    """)
    assert "numpy" in first["imports"]
    check = f"""
        imports, left = {first["imports"]!r}, {first["left"]!r}
        again = process_state.reproduce(imports, left, 30)
        import warnings
        warnings.simplefilter("ignore")
        print(json.dumps({{"again": again, "after a change": process_state.reproduce(imports, left, 30),
                          "unimportable": process_state.reproduce(["no_such_module_here"], left, 30)}}))
    """
    assert in_fresh_process(check) == {"again": True, "after a change": False, "unimportable": False}


def test_a_module_imported_again_prints_as_in_the_run_and_its_log_and_standard_error_are_left_to_the_replay(tmp_path):
    # In the run, its print went to the build's standard output (markdown-exec captures the block's own
    # print, not sys.stdout), and its log records and standard error into the cache entry, which is replayed.
    (tmp_path / "chatty_module.py").write_text(
        'import logging, sys\nprint("hello from an import")\nprint("and", file=sys.stderr)\n'
        'logging.getLogger("mkdocs.chatty").info("logged")\n'
    )
    program = (
        f"import logging, sys\nsys.path[:0] = [{str(ROOT / 'hooks')!r}, {str(tmp_path)!r}]\nimport process_state\n"
        "logging.basicConfig(level=logging.INFO)\n"
        "left = process_state.seen(process_state.snapshot())\n"
        "print(process_state.reproduce(['chatty_module'], left, 30))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert (done.stdout, done.stderr) == ("hello from an import\nTrue\n", "")


def test_a_reuse_that_is_refused_imports_nothing(tmp_path):
    # The block runs after all, and must import the module itself, in the state its own code makes:
    # here an environment variable that the module reads when imported.
    (tmp_path / "reads_the_environment.py").write_text('import os\nMODE = os.environ.get("LESSON_MODE")\n')
    found = in_fresh_process(f"""
        sys.path.insert(0, {str(tmp_path)!r})
        import os
        os.environ["LESSON_MODE"] = "set by the block"
        left = process_state.seen(process_state.snapshot())  # what the run left: the variable set
        del os.environ["LESSON_MODE"]
        refused = not process_state.reproduce(["reads_the_environment"], left, 30)
        print(json.dumps([refused, "reads_the_environment" in sys.modules]))
    """)
    assert found == [True, False]


def test_a_reuse_whose_imports_outlast_the_time_limit_is_refused_in_time(tmp_path):
    (tmp_path / "slow_to_import.py").write_text("import time\ntime.sleep(30)\n")
    found = in_fresh_process(f"""
        import time
        sys.path.insert(0, {str(tmp_path)!r})
        left = process_state.seen(process_state.snapshot())
        started = time.monotonic()
        accepted = process_state.reproduce(["slow_to_import"], left, 1)
        print(json.dumps([accepted, time.monotonic() - started, "slow_to_import" in sys.modules]))
    """)
    accepted, seconds, imported = found
    assert (accepted, imported) == (False, False)
    assert seconds < 10, f"refused after {seconds:.1f} s"
