/* The Web Worker behind code-runner.js: CPython (Pyodide, served from this site) runs a
   lesson's snippet here, off the page's thread, so an endless loop stalls only this worker,
   which the page then terminates. Messages in: {indexURL, file, code, expected}. Out:
   {type: "started"} once Python is ready and the code starts, then {type: "done", result}
   or {type: "failed", message}. */
"use strict";

/* Runs the code as the file the reader would run (`python snippets/NAME.py`): compiled
   under that name and run as __main__, so a traceback names the same file and lines.
   Then checks stdout the way the build does: equal lines, or a unified diff. */
const RUNNER = `
import ast, difflib, io, json, os, sys, traceback


class _Tee(io.StringIO):
    """Keeps one stream's text and copies it to the terminal the reader sees."""

    def __init__(self, terminal):
        super().__init__()
        self.terminal = terminal

    def write(self, text):
        self.terminal.write(text)
        return super().write(text)


def _records(lines):
    """The lines as dicts when every line is a dict literal, else None."""
    try:
        values = [ast.literal_eval(line) for line in lines]
        json.dumps(values)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    return values if values and all(isinstance(v, dict) for v in values) else None


def _same_fields(records, lesson_records):
    return bool(records and lesson_records) and {tuple(sorted(r)) for r in records} == {
        tuple(sorted(r)) for r in lesson_records
    }


def _execute(path, source, stderr):
    """Run source as the file path, as __main__; report how it ended."""
    namespace = {"__name__": "__main__", "__file__": path, "__builtins__": __builtins__}
    try:
        exec(compile(source, path, "exec"), namespace)
    except SystemExit as stop:
        if stop.code in (None, 0):
            return "ok"
        if not isinstance(stop.code, int):
            print(stop.code, file=stderr)  # as Python does for sys.exit("message")
        return "exit"
    except BaseException as error:  # the reader's code may raise anything
        # Leave out this function's frame: the traceback starts in the reader's file.
        traceback.print_exception(type(error), error, error.__traceback__.tb_next, file=stderr)
        return "raised"
    return "ok"


def run_snippet(path, source, expected):
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    with open(path, "w", encoding="utf-8") as file:
        file.write(source)
    terminal = io.StringIO()
    stdout, stderr = _Tee(terminal), _Tee(terminal)
    saved = sys.stdout, sys.stderr, list(sys.path)
    sys.stdout, sys.stderr = stdout, stderr
    sys.path.insert(0, os.path.abspath(folder or "."))
    try:
        ended = _execute(path, source, stderr)
    finally:
        sys.stdout, sys.stderr, sys.path[:] = saved
    # Compared as the build compares them: tabs as a terminal shows them (and the page), trailing spaces left out.
    actual = [line.expandtabs(8).rstrip() for line in stdout.getvalue().splitlines()]
    wanted = [line.rstrip() for line in expected.splitlines()]
    matches = ended == "ok" and actual == wanted
    diff = [] if matches else list(difflib.unified_diff(
        wanted, actual, "the lesson's output", f"your run (python {path})", lineterm=""))
    records = _records(actual) if ended == "ok" else None
    if not _same_fields(records, _records(wanted)):
        records = None
    return json.dumps({"terminal": terminal.getvalue(), "ended": ended, "matches": matches,
                       "diff": "\\n".join(diff), "records": records})
`;

let python = null;

function loadPython(indexURL) {
  if (!python) {
    python = (async () => {
      importScripts(indexURL + "pyodide.js");
      const pyodide = await self.loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
      pyodide.runPython(RUNNER);
      return pyodide;
    })();
  }
  return python;
}

self.onmessage = async ({ data }) => {
  let pyodide;
  try {
    pyodide = await loadPython(data.indexURL);
  } catch (error) {
    self.postMessage({ type: "failed", message: String((error && error.message) || error) });
    return;
  }
  self.postMessage({ type: "started" });
  const runSnippet = pyodide.globals.get("run_snippet");
  try {
    self.postMessage({ type: "done", result: JSON.parse(runSnippet(data.file, data.code, data.expected)) });
  } catch (error) {
    self.postMessage({ type: "failed", message: String((error && error.message) || error) });
  } finally {
    runSnippet.destroy();
  }
};
