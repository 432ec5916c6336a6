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
        names = []
        for change in (
            lambda: os.chdir(tempfile.gettempdir()),
            lambda: sys.path.append("/elsewhere"),
            lambda: warnings.simplefilter("ignore"),
        ):
            before = process_state.seen(process_state.snapshot())
            change()
            after = process_state.seen(process_state.snapshot())
            names.append(sorted(name for name in before if before[name] != after[name]))
        print(json.dumps(names))
    """)
    assert found == [["working directory"], ["sys.path"], ["warnings filters"]]


def test_drawing_from_or_seeding_the_generator_is_seen_within_a_run():
    found = in_fresh_process("""
        import random
        results = []
        for use in (lambda: None, random.random, lambda: random.seed(1)):
            before = process_state.snapshot()
            use()
            results.append(process_state.generators_untouched(before, process_state.snapshot()))
        print(json.dumps(results))
    """)
    assert found == [True, False, False]


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
        again = process_state.reproduce(imports, left)
        import warnings
        warnings.simplefilter("ignore")
        print(json.dumps({{"again": again, "after a change": process_state.reproduce(imports, left),
                          "unimportable": process_state.reproduce(["no_such_module_here"], left)}}))
    """
    assert in_fresh_process(check) == {"again": True, "after a change": False, "unimportable": False}


def test_what_a_module_prints_as_it_is_imported_again_is_not_printed(tmp_path):
    # In the run, it went into the block's output, which the cache replays; printed again, it would
    # add a line to the build's log and, in JSON here, break the value.
    (tmp_path / "chatty_module.py").write_text('print("hello from an import")\nimport sys\nprint("and", file=sys.stderr)\n')
    found = in_fresh_process(f"""
        sys.path.insert(0, {str(tmp_path)!r})
        left = process_state.seen(process_state.snapshot())
        print(json.dumps(process_state.reproduce(["chatty_module"], left)))
    """)
    assert found is True
