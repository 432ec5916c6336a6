/* Cards to fill in: a lesson opts in with a wrapper <div class="fill-in" markdown> around
   a definition list (or a block holding one, such as <div class="evidence-card">), where each term
   becomes a labelled text area (its definition stays as the hint), or around an ordered
   list of exercises, where each item gets a text area for the answer. What the reader
   types is kept in this browser's localStorage, per page, and never sent anywhere.
   "Copy as Markdown" and "Download .md" export every fill-in on the page as one small
   Markdown document titled with the lesson and the date; "Print" prints the page with
   the answers. Without JavaScript the page keeps its plain lists. */
(function () {
  "use strict";

  var SCRIPT_URL = document.currentScript.src;
  var KEY = "fill-in:" + location.pathname;

  /* hands-on.css, shared with code-runner.js, is not in extra_css: only pages that opt in load it,
     so every other page keeps one render-blocking stylesheet fewer. */
  function loadStyles(scriptURL) {
    if (document.querySelector("link[data-hands-on]")) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL("../stylesheets/hands-on.css", scriptURL).href;
    link.setAttribute("data-hands-on", "");
    document.head.append(link);
  }
  var fields = []; // {section, title, textarea} in page order

  function storage() {
    try { return window.localStorage; } catch (error) { return null; } // blocked by the reader's settings
  }

  function loadAnswers() {
    var store = storage();
    try { return JSON.parse((store && store.getItem(KEY)) || "{}"); } catch (error) { return {}; }
  }

  function saveAnswers() {
    var store = storage();
    if (!store) return;
    var answers = {};
    fields.forEach(function (field) { if (field.textarea.value) answers[field.id] = field.textarea.value; });
    try { store.setItem(KEY, JSON.stringify(answers)); } catch (error) { /* full or blocked: answers stay on the page */ }
  }

  /* Visible text of a heading or item, without permalink anchors. */
  function plainText(node) {
    var copy = node.cloneNode(true);
    copy.querySelectorAll(".headerlink, textarea, .fill-in__field").forEach(function (n) { n.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  /* Letters and digits of any script: a lesson in Chinese or French keeps distinct names. */
  function slug(text) {
    return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "");
  }

  /* Ids (and so the keys answers are saved under) must differ even when two fields have the same
     name: the second "x" is "x-2", in page order, so a reload finds each answer where it was. */
  var usedIds = {};
  function uniqueId(base) {
    usedIds[base] = (usedIds[base] || 0) + 1;
    return usedIds[base] === 1 ? base : base + "-" + usedIds[base];
  }

  /* The heading of the section a wrapper sits in: the nearest h2 before it. */
  function sectionTitle(wrapper) {
    var headings = document.querySelectorAll(".md-content h2");
    var title = "";
    headings.forEach(function (h) {
      if (h.compareDocumentPosition(wrapper) & Node.DOCUMENT_POSITION_FOLLOWING) title = plainText(h);
    });
    return title || "Notes";
  }

  function lessonTitle() {
    var h1 = document.querySelector(".md-content h1");
    return h1 ? plainText(h1) : document.title;
  }

  var answers = loadAnswers();

  /* A text area in container, named by labelText (a visible <label>) or by the element
     labelledBy (a term already on the page), and described by the element hintId. */
  function addField(container, section, title, hintId, labelText, labelledBy) {
    var id = uniqueId(slug(section) + "--" + slug(title));
    var fieldId = "fill-in-" + id;
    var box = document.createElement("div");
    box.className = "fill-in__field";
    var textarea = document.createElement("textarea");
    textarea.id = fieldId;
    textarea.rows = 3;
    textarea.className = "fill-in__text";
    if (labelledBy) {
      textarea.setAttribute("aria-labelledby", labelledBy);
    } else {
      var label = document.createElement("label");
      label.setAttribute("for", fieldId);
      label.className = "fill-in__label";
      label.textContent = labelText;
      box.append(label);
    }
    if (hintId) textarea.setAttribute("aria-describedby", hintId);
    textarea.value = answers[id] || "";
    var printed = document.createElement("div"); // what a printout shows: a text area would clip
    printed.className = "fill-in__printed";
    printed.setAttribute("aria-hidden", "true");
    printed.textContent = textarea.value;
    textarea.addEventListener("input", function () {
      printed.textContent = textarea.value;
      saveAnswers();
    });
    box.append(textarea, printed);
    container.append(box);
    fields.push({ id: id, section: section, title: title, textarea: textarea });
  }

  function fillDefinitionList(list, section) {
    list.querySelectorAll(":scope > dt").forEach(function (term, index) {
      var hint = term.nextElementSibling && term.nextElementSibling.tagName === "DD" ? term.nextElementSibling : null;
      var title = plainText(term);
      term.id = term.id || uniqueId("fill-in-term-" + slug(section) + "-" + index);
      var hintId = null;
      if (hint) {
        hintId = uniqueId("fill-in-hint-" + slug(section) + "-" + index);
        var hintText = document.createElement("div"); // the hint alone, not the text area after it
        hintText.id = hintId;
        hintText.className = "fill-in__hint";
        while (hint.firstChild) hintText.append(hint.firstChild);
        hint.append(hintText);
      }
      addField(hint || term, section, title, hintId, null, term.id);
    });
  }

  function fillExercises(list, section) {
    list.querySelectorAll(":scope > li").forEach(function (item, index) {
      var title = (index + 1) + ". " + plainText(item);
      var questionId = uniqueId("fill-in-question-" + slug(section) + "-" + (index + 1));
      var question = document.createElement("div");
      question.id = questionId;
      while (item.firstChild) question.append(item.firstChild);
      item.append(question);
      addField(item, section, title, questionId, "Your answer to question " + (index + 1));
    });
  }

  function today() {
    var now = new Date();
    var pad = function (n) { return String(n).padStart(2, "0"); };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function markdown() {
    var lines = ["# " + lessonTitle() + ": my evidence card and answers", "", "Date: " + today()];
    var section = null;
    fields.forEach(function (field) {
      if (field.section !== section) {
        section = field.section;
        lines.push("", "## " + section);
      }
      lines.push("", "### " + field.title, "", field.textarea.value.trim() || "_(empty)_");
    });
    return lines.join("\n") + "\n";
  }

  function fileName() {
    return slug(lessonTitle()) + "-evidence-card-" + today() + ".md";
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var scratch = document.createElement("textarea"); // older browsers and plain http
    scratch.value = text;
    scratch.setAttribute("readonly", "");
    scratch.style.position = "fixed";
    scratch.style.opacity = "0";
    document.body.append(scratch);
    scratch.select();
    var copied = document.execCommand("copy");
    scratch.remove();
    return copied ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function download(text) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/markdown;charset=utf-8" }));
    link.download = fileName();
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  function toolbar(wrapper) {
    var bar = document.createElement("div");
    bar.className = "fill-in__toolbar";
    var privacy = document.createElement("p");
    privacy.className = "fill-in__privacy";
    privacy.textContent = "What you type here is kept only in this browser, for this page; it is never sent anywhere.";
    var status = document.createElement("p");
    status.className = "fill-in__status";
    status.setAttribute("role", "status");
    var buttons = [
      ["Copy as Markdown", function () {
        copyText(markdown()).then(function () { status.textContent = "Copied as Markdown."; },
          function () { status.textContent = "This browser refused to copy; use Download .md instead."; });
      }],
      ["Download .md", function () {
        download(markdown());
        status.textContent = "Downloaded " + fileName() + ".";
      }],
      ["Print", function () { window.print(); }],
    ].map(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button";
      button.textContent = spec[0];
      button.addEventListener("click", spec[1]);
      return button;
    });
    var row = document.createElement("div");
    row.className = "fill-in__buttons";
    row.append.apply(row, buttons);
    bar.append(privacy, row, status);
    wrapper.append(bar);
  }

  var wrappers = document.querySelectorAll(".fill-in");
  if (wrappers.length) loadStyles(SCRIPT_URL);
  wrappers.forEach(function (wrapper) {
    var section = sectionTitle(wrapper);
    var list = wrapper.querySelector("dl, ol");
    if (!list) return;
    if (list.tagName === "DL") fillDefinitionList(list, section);
    else fillExercises(list, section);
    wrapper.classList.add("fill-in--active");
    toolbar(wrapper);
  });
})();
