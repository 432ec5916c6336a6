/* "Run in your browser". A lesson opts in by wrapping a snippet's code block (the first in
   the wrapper) and, last, the block with its verified output in
   <div class="code-runner" markdown>; optional attributes: data-time-limit="SECONDS"
   (default 10) and data-file="NAME.py" (when the code block has no title).

   The control turns the code block into an editor. Run executes the code with CPython
   (Pyodide, copied into assets/pyodide/ by hooks/pyodide_assets.py; nothing is fetched
   before the reader asks) in a Web Worker, shows stdout and any traceback, and checks the
   output against the verified one. When the printed lines are records like the lesson's,
   it dispatches CustomEvent("lesson:records", {detail: {file, records}}) on document
   (records: null after Reset, meaning "the lesson's own"), so a chart can follow what was
   run. Edited code is kept per page and file in localStorage until Reset. */
(function () {
  "use strict";

  var DEFAULT_TIME_LIMIT = 10; // seconds; the build allows 30, a reader waits less
  var script = document.currentScript;
  var PYODIDE_URL = new URL("../pyodide/", script.src).href;
  var WORKER_URL = new URL("code-runner-worker.js", script.src).href;
  var counter = 0;

  /* hands-on.css, shared with evidence-card.js, is not in extra_css: only pages that opt in load it,
     so every other page keeps one render-blocking stylesheet fewer. */
  function loadStyles(scriptURL) {
    if (document.querySelector("link[data-hands-on]")) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL("../stylesheets/hands-on.css", scriptURL).href;
    link.setAttribute("data-hands-on", "");
    document.head.append(link);
  }

  function whyItCannotRun() {
    if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
      return "This browser has no WebAssembly, so the code cannot run here.";
    }
    if (typeof Worker !== "function") return "This browser has no Web Workers, so the code cannot run here.";
    return "";
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function codeText(block) {
    var code = block && block.querySelector("pre code");
    return code ? code.textContent : "";
  }

  function storage() {
    try { return window.localStorage; } catch (error) { return null; } // blocked by the reader's settings
  }

  function megabytes(bytes) {
    return (bytes / 1e6).toFixed(1) + " MB";
  }

  /* One Python worker for the page, started on the first run and replaced after a stop. */
  var python = { worker: null, ready: false, busy: false, manifest: null };

  function loadingMessage() {
    if (python.manifest) return Promise.resolve("Starting Python again…"); // after a stop
    return fetch(PYODIDE_URL + "manifest.json").then(function (r) { return r.json(); }).then(function (info) {
      python.manifest = info;
      return "Loading Python (Pyodide " + info.version + ", a " + megabytes(info.total_bytes) +
        " download from this site the first time; later runs start at once)…";
    }, function () { return "Loading Python…"; });
  }

  function stopPython() {
    if (python.worker) python.worker.terminate();
    python.worker = null;
    python.ready = false;
  }

  /* Run code in the worker; calls back with status updates and the result. */
  function runInWorker(job, limitSeconds, on) {
    if (!python.worker) python.worker = new Worker(WORKER_URL);
    var worker = python.worker;
    var timer = null;
    var finish = function (callback, value) {
      clearTimeout(timer);
      worker.onmessage = worker.onerror = null;
      callback(value);
    };
    worker.onmessage = function (event) {
      var message = event.data;
      if (message.type === "started") {
        python.ready = true;
        on.started();
        timer = setTimeout(function () {
          stopPython();
          finish(on.stopped, "Stopped: the code ran longer than " + limitSeconds +
            " seconds. Python starts again on the next run.");
        }, limitSeconds * 1000);
      } else if (message.type === "done") {
        finish(on.done, message.result);
      } else {
        stopPython();
        finish(on.stopped, "Python could not run the code: " + message.message);
      }
    };
    worker.onerror = function (event) {
      stopPython();
      finish(on.stopped, "Python could not start: " + (event.message || "the worker failed") + ".");
    };
    worker.postMessage(job);
    return function stop() {
      stopPython();
      finish(on.stopped, "Stopped. Python starts again on the next run.");
    };
  }

  /* What a wrapper holds: the snippet (its first code block, titled with the file name)
     and, last, the output the build verified. */
  function readRunner(wrapper) {
    var blocks = Array.prototype.slice.call(wrapper.querySelectorAll(".highlight"));
    var source = blocks[0];
    if (!source) return null;
    var title = source.querySelector(".filename");
    var file = wrapper.getAttribute("data-file") || (title ? title.textContent.trim() : "main.py");
    return {
      source: source,
      file: file,
      original: codeText(source),
      expected: blocks.length > 1 ? codeText(blocks[blocks.length - 1]) : "",
      limit: Number(wrapper.getAttribute("data-time-limit")) || DEFAULT_TIME_LIMIT,
      key: "code-runner:" + location.pathname + ":" + file,
      id: "code-runner-" + ++counter,
    };
  }

  function savedCode(runner) {
    var store = storage();
    var saved = store && store.getItem(runner.key);
    return typeof saved === "string" ? saved : null;
  }

  function saveCode(runner, code) {
    var store = storage();
    try {
      if (store && code === null) store.removeItem(runner.key);
      else if (store) store.setItem(runner.key, code);
    } catch (error) { /* full or blocked: the edit stays on the page */ }
  }

  function announceRecords(runner, records) {
    document.dispatchEvent(new CustomEvent("lesson:records", { detail: { file: runner.file, records: records } }));
  }

  /* The control under the code block: a button, and a note on what it does or why it cannot. */
  function buildControl(runner) {
    var bar = element("div", { class: "code-runner__bar" });
    var open = element("button", { type: "button", class: "md-button md-button--primary" }, "Run in your browser");
    var note = element("p", { class: "code-runner__note", id: runner.id + "-note" });
    bar.append(open, note);
    runner.source.after(bar);
    var reason = whyItCannotRun();
    var saved = savedCode(runner);
    if (reason) {
      open.disabled = true;
      note.textContent = reason + " Run it with Python on your computer instead.";
    } else {
      note.textContent = "Edit and run " + runner.file + " here, with Python compiled to WebAssembly; " +
        "it loads only when you press the button." +
        (saved !== null && saved !== runner.original ? " Your edited version from an earlier visit is kept in this browser." : "");
      open.setAttribute("aria-describedby", note.id);
    }
    return { bar: bar, open: open, usable: !reason };
  }

  /* The editor, its buttons, a status line and the result, put where the code block was. */
  function buildPanel(runner) {
    var id = runner.id;
    var parts = {
      panel: element("div", { class: "code-runner__panel", hidden: "" }),
      editor: element("textarea", {
        id: id + "-code", class: "code-runner__editor", spellcheck: "false", autocapitalize: "off",
        autocomplete: "off", wrap: "off", rows: String(Math.min(runner.original.split("\n").length, 40)),
      }),
      run: element("button", { type: "button", class: "md-button md-button--primary" }, "Run"),
      stop: element("button", { type: "button", class: "md-button", disabled: "" }, "Stop"),
      reset: element("button", { type: "button", class: "md-button" }, "Reset"),
      status: element("p", { class: "code-runner__status", role: "status" }),
      result: element("div", { class: "code-runner__result", hidden: "" }),
      output: element("pre", { class: "code-runner__output", tabindex: "0", "aria-labelledby": id + "-output-label" }),
      verdict: element("p", { class: "code-runner__verdict" }),
      diff: element("pre", { class: "code-runner__diff", tabindex: "0", "aria-label": "Difference from the lesson's output", hidden: "" }),
    };
    var buttons = element("div", { class: "code-runner__buttons" });
    buttons.append(parts.run, parts.stop, parts.reset);
    parts.result.append(
      // Named apart from the lesson's own box ("Output of python ..."), which sits just below.
      element("p", { class: "code-runner__heading", id: id + "-output-label" }, "Your run: output of python " + runner.file),
      parts.output, parts.verdict, parts.diff);
    parts.panel.append(
      element("label", { for: id + "-code", class: "code-runner__label" }, "Code of " + runner.file + " (editable)"),
      parts.editor, buttons, parts.status, parts.result);
    runner.source.before(parts.panel);
    var saved = savedCode(runner);
    parts.editor.value = saved !== null ? saved : runner.original;
    return parts;
  }

  /* Stdout and traceback, then the check against the verified output: a match or a diff. */
  function showResult(runner, parts, outcome) {
    parts.output.textContent = outcome.terminal || "(nothing printed)";
    parts.output.classList.toggle("code-runner__output--error", outcome.ended !== "ok");
    if (outcome.matches) {
      parts.verdict.textContent = "✓ The output matches the lesson's output.";
    } else {
      parts.verdict.textContent = (outcome.ended === "ok" ? "The output differs from the lesson's output" :
        "The code stopped with an error; its output differs from the lesson's") + " (- the lesson's, + your run):";
      parts.diff.textContent = outcome.diff;
    }
    parts.diff.hidden = outcome.matches;
    parts.result.hidden = false;
    if (outcome.records) announceRecords(runner, outcome.records);
  }

  /* A button that disables itself would drop keyboard focus to the page's start: a keyboard reader's
     place goes on to the control that can be pressed next. After a click or a tap focus is not shown
     (not :focus-visible) and is left alone. */
  function keepFocus(from, to) {
    if (document.activeElement === from && from.matches(":focus-visible")) to.focus({ preventScroll: true });
  }

  function wireRunning(runner, parts) {
    var stopRun = null;
    var cancelled = false; // Stop pressed while Python was still being prepared
    function idle(text) {
      parts.run.disabled = false;
      keepFocus(parts.stop, parts.run);
      parts.stop.disabled = true;
      parts.status.textContent = text;
      stopRun = null;
    }
    parts.run.addEventListener("click", function () {
      if (python.busy) {
        parts.status.textContent = "Another run on this page is still going: stop it first.";
        return;
      }
      python.busy = true;
      cancelled = false;
      parts.stop.disabled = false; // from the start: preparing can be stopped too
      keepFocus(parts.run, parts.stop);
      parts.run.disabled = true;
      parts.status.textContent = python.ready ? "Running…" : "Preparing…";
      (python.ready ? Promise.resolve("Running…") : loadingMessage()).then(function (text) {
        if (cancelled) {
          python.busy = false;
          idle("Stopped before it ran.");
          return;
        }
        parts.status.textContent = text;
        var job = { indexURL: PYODIDE_URL, file: runner.file, code: parts.editor.value, expected: runner.expected };
        stopRun = runInWorker(job, runner.limit, {
          started: function () { parts.status.textContent = "Running (stopped after " + runner.limit + " seconds)…"; },
          done: function (outcome) {
            python.busy = false;
            idle("Finished.");
            showResult(runner, parts, outcome);
          },
          stopped: function (text) {
            python.busy = false;
            idle(text);
          },
        });
      });
    });
    parts.stop.addEventListener("click", function () {
      if (stopRun) stopRun();
      else cancelled = true;
    });
  }

  function wireEditing(runner, parts) {
    parts.editor.addEventListener("input", function () { saveCode(runner, parts.editor.value); });
    parts.reset.addEventListener("click", function () {
      parts.editor.value = runner.original;
      saveCode(runner, null);
      parts.status.textContent = "The lesson's code is back.";
      announceRecords(runner, null);
    });
  }

  function setUp(wrapper) {
    var runner = readRunner(wrapper);
    if (!runner) return;
    var control = buildControl(runner);
    if (!control.usable) return;
    control.open.addEventListener("click", function () {
      var parts = buildPanel(runner);
      wireEditing(runner, parts);
      wireRunning(runner, parts);
      parts.panel.hidden = false;
      runner.source.hidden = true;
      // Focus goes to Run, where the button pressed was; not to the editor, which on a phone would
      // open the on-screen keyboard over the output when the reader only asked to run the code.
      parts.run.focus({ preventScroll: true });
      control.bar.hidden = true;
      parts.run.click();
    }, { once: true });
  }

  var runners = document.querySelectorAll(".code-runner");
  if (runners.length) loadStyles(script.src);
  runners.forEach(setUp);
})();
