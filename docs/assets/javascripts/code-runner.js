/* "Run in your browser": a lesson opts in by wrapping a snippet's code block (the first in
   the wrapper) and, last, the block with its verified output in
   <div class="code-runner" markdown> (optional: data-time-limit="SECONDS", default 10;
   data-file="NAME.py" when the code block has no title). The control turns the code block into an editor;
   Run executes it with CPython (Pyodide, copied into assets/pyodide/ by
   hooks/pyodide_assets.py; nothing is fetched before the reader asks) in a Web Worker,
   shows stdout and any traceback, and checks the output against the verified one.
   When the printed lines are records like the lesson's, it dispatches
   CustomEvent("lesson:records", {detail: {file, records}}) on document (records: null after
   Reset, meaning "the lesson's own") so a chart can follow what was run. Edited code is kept
   per page and file in localStorage until Reset. */
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
  var python = { worker: null, ready: false, manifest: null };

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

  function setUp(wrapper) {
    var blocks = Array.prototype.slice.call(wrapper.querySelectorAll(".highlight"));
    var source = blocks[0]; // the snippet, titled with its file name
    var verified = blocks.length > 1 ? blocks[blocks.length - 1] : null; // what the build verified
    if (!source) return;
    var title = source.querySelector(".filename");
    var file = wrapper.getAttribute("data-file") || (title ? title.textContent.trim() : "main.py");
    var original = codeText(source);
    var expected = codeText(verified);
    var limit = Number(wrapper.getAttribute("data-time-limit")) || DEFAULT_TIME_LIMIT;
    var key = "code-runner:" + location.pathname + ":" + file;
    var store = storage();
    var id = "code-runner-" + ++counter;

    var bar = element("div", { class: "code-runner__bar" });
    var open = element("button", { type: "button", class: "md-button md-button--primary code-runner__open" },
      "Run in your browser");
    var note = element("p", { class: "code-runner__note", id: id + "-note" });
    bar.append(open, note);
    source.after(bar);

    var reason = whyItCannotRun();
    if (reason) {
      open.disabled = true;
      note.textContent = reason + " Run it with Python on your computer instead.";
      return;
    }
    var saved = store && store.getItem(key);
    note.textContent = "Edit and run " + file + " here, with Python compiled to WebAssembly; it loads only when you press the button" +
      (saved !== null && saved !== undefined && saved !== original ? ". Your edited version from an earlier visit is kept in this browser." : ".");
    open.setAttribute("aria-describedby", note.id);

    var panel = element("div", { class: "code-runner__panel", hidden: "" });
    var label = element("label", { for: id + "-code", class: "code-runner__label" }, "Code of " + file + " (editable)");
    var editor = element("textarea", {
      id: id + "-code", class: "code-runner__editor", spellcheck: "false", autocapitalize: "off",
      autocomplete: "off", wrap: "off", rows: String(Math.min(original.split("\n").length, 40)),
    });
    var buttons = element("div", { class: "code-runner__buttons" });
    var run = element("button", { type: "button", class: "md-button md-button--primary" }, "Run");
    var stop = element("button", { type: "button", class: "md-button", disabled: "" }, "Stop");
    var reset = element("button", { type: "button", class: "md-button" }, "Reset");
    buttons.append(run, stop, reset);
    var status = element("p", { class: "code-runner__status", role: "status" });
    var result = element("div", { class: "code-runner__result", hidden: "" });
    var outputLabel = element("p", { class: "code-runner__heading", id: id + "-output-label" }, "Output of python " + file);
    var output = element("pre", { class: "code-runner__output", tabindex: "0", "aria-labelledby": id + "-output-label" });
    var verdict = element("p", { class: "code-runner__verdict" });
    var diff = element("pre", { class: "code-runner__diff", tabindex: "0", "aria-label": "Difference from the lesson's output", hidden: "" });
    result.append(outputLabel, output, verdict, diff);
    panel.append(label, editor, buttons, status, result);
    source.before(panel);
    editor.value = saved !== null && saved !== undefined ? saved : original;

    editor.addEventListener("input", function () {
      if (!store) return;
      try { store.setItem(key, editor.value); } catch (error) { /* full or blocked: the edit stays on the page */ }
    });

    reset.addEventListener("click", function () {
      editor.value = original;
      if (store) store.removeItem(key);
      status.textContent = "The lesson's code is back.";
      document.dispatchEvent(new CustomEvent("lesson:records", { detail: { file: file, records: null } }));
    });

    var stopRun = null;
    function showResult(outcome) {
      output.textContent = outcome.terminal || "(nothing printed)";
      output.classList.toggle("code-runner__output--error", outcome.ended !== "ok");
      if (outcome.matches) {
        verdict.textContent = "✓ The output matches the lesson's output.";
        diff.hidden = true;
      } else {
        verdict.textContent = (outcome.ended === "ok" ? "The output differs from the lesson's output" :
          "The code stopped with an error; its output differs from the lesson's") + " (- the lesson's, + your run):";
        diff.textContent = outcome.diff;
        diff.hidden = false;
      }
      result.hidden = false;
      if (outcome.records) {
        document.dispatchEvent(new CustomEvent("lesson:records", { detail: { file: file, records: outcome.records } }));
      }
    }
    function idle() {
      run.disabled = false;
      stop.disabled = true;
      stopRun = null;
    }

    run.addEventListener("click", function () {
      run.disabled = true;
      status.textContent = python.ready ? "Running…" : "Preparing…";
      var message = python.ready ? Promise.resolve("Running…") : loadingMessage();
      message.then(function (text) {
        if (!python.ready) status.textContent = text;
        stop.disabled = false;
        stopRun = runInWorker({ indexURL: PYODIDE_URL, file: file, code: editor.value, expected: expected }, limit, {
          started: function () { status.textContent = "Running (stopped after " + limit + " seconds)…"; },
          done: function (outcome) {
            idle();
            status.textContent = "Finished.";
            showResult(outcome);
          },
          stopped: function (text) {
            idle();
            status.textContent = text;
          },
        });
      });
    });
    stop.addEventListener("click", function () { if (stopRun) stopRun(); });

    open.addEventListener("click", function () {
      panel.hidden = false;
      source.hidden = true;
      bar.hidden = true;
      editor.focus();
      run.click();
    });
  }

  var runners = document.querySelectorAll(".code-runner");
  if (runners.length) loadStyles(script.src);
  runners.forEach(setUp);
})();
