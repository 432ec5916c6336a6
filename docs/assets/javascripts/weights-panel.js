/* Re-rank it yourself: a weights panel under a score chart.
 *
 * The build writes the ranking's inputs (criteria, default weights, trends) as
 * JSON into the data-weights-panel attribute of the chart's <figure>; this
 * script adds, after that figure, one slider and one number box per weight
 * and a reset button, and redraws the figure's own score chart (bars, order,
 * value labels, zero line, the legend's weights) as the weights move. Reset puts
 * back the build's drawing. Without JavaScript the static chart stays.
 *
 * The ranking rule is the snippet's, to the bit: the same float operations in the
 * same order, Python's round(x, 2) and a stable descending sort. In Node the rule
 * is exported for tests (module.exports); in the browser nothing is global.
 */
(function () {
  "use strict";

  var MIN_WEIGHT = 0;
  var MAX_WEIGHT = 1;
  var STEP = 0.05;

  /* Python's round(x, 2). toFixed rounds the exact binary value correctly, but
     breaks exact ties upwards; Python breaks them to even. A double lies exactly
     halfway between two hundredths only when 8x is an odd integer (x = k/8). */
  function pythonRound2(x) {
    if (x === 0) return x; // keeps the sign of -0.0, as Python does
    var eighths = x * 8;
    if (Number.isInteger(eighths) && eighths % 2 !== 0) {
      var cents = Math.floor(x * 100); // x * 100 = k * 12.5, exact
      return (cents % 2 === 0 ? cents : cents + 1) / 100;
    }
    return Number(x.toFixed(2));
  }

  /* Python's format(x, ".2f") for a value already rounded to hundredths. */
  function formatPython2(x) {
    var negative = x < 0 || Object.is(x, -0);
    return (negative ? "-" : "") + Math.abs(x).toFixed(2);
  }

  /* The snippet's score: the weighted criteria in order, cost subtracted. */
  function score(trend, criteria, weights) {
    var total = 0;
    criteria.forEach(function (criterion, index) {
      var term = trend[criterion.field] * weights[criterion.field];
      if (index === 0) total = term;
      else if (criterion.sign < 0) total = total - term;
      else total = total + term;
    });
    return total;
  }

  /* The snippet's rank(): rounded scores, highest first, ties in data order. */
  function rank(trends, criteria, weights) {
    return trends
      .map(function (trend) {
        return { name: trend.name, score: pythonRound2(score(trend, criteria, weights)) };
      })
      .sort(function (a, b) {
        return b.score - a.score; // Array.prototype.sort is stable
      });
  }

  var rule = { pythonRound2: pythonRound2, formatPython2: formatPython2, score: score, rank: rank };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = rule;
    return;
  }

  /* Parse a typed weight: a number in range, or a reason to refuse or clamp it. */
  function readWeight(text) {
    var value = Number(String(text).trim());
    if (String(text).trim() === "" || !Number.isFinite(value)) {
      return { value: null, message: "Type a number from " + MIN_WEIGHT + " to " + MAX_WEIGHT + "." };
    }
    if (value < MIN_WEIGHT || value > MAX_WEIGHT) {
      var clamped = Math.min(MAX_WEIGHT, Math.max(MIN_WEIGHT, value));
      return {
        value: clamped,
        message: "Weights run from " + MIN_WEIGHT + " to " + MAX_WEIGHT + ": " + text + " was set to " + clamped + ".",
      };
    }
    return { value: value, message: "" };
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function capitalised(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  /* Python's repr() of a float rounded to hundredths, as the chart's labels print it. */
  function pythonRepr(x) {
    if (Object.is(x, -0)) return "-0.0";
    return Number.isInteger(x) ? x.toFixed(1) : String(x);
  }

  /* chart_kit.bar_layout and bar_geometry, on the numbers the SVG carries. */
  function barLayout(values, svg) {
    var room = Number(svg.getAttribute("data-value-room"));
    var width = Number(svg.getAttribute("data-view-width"));
    var low = Math.min.apply(null, [0].concat(values));
    var high = Math.max.apply(null, [0].concat(values));
    var scale = (width - 2 * room) / (high - low || 1);
    return { zero: room - low * scale, scale: scale };
  }

  function barGeometry(value, layout) {
    var start = layout.zero + Math.min(0, value) * layout.scale;
    var width = Math.abs(value) * layout.scale;
    if (value < 0 || Object.is(value, -0)) return { x: start, width: width, labelX: start - 4, anchor: "end" };
    return { x: start, width: width, labelX: start + width + 4, anchor: "start" };
  }

  function weightLabel(criterion, weight) {
    return (criterion.sign < 0 ? "\u2212 " : "+ ") + criterion.label + " \u00d7 " + pythonRepr(weight);
  }

  /* Redraw the build's score chart for these weights: order, bars, labels, zero, legend. */
  function redraw(svg, data, weights) {
    var ranked = rank(data.trends, data.criteria, weights);
    drawRanked(svg, data, ranked);
    drawTable(svg.closest("figure"), data, ranked, weights);
    data.criteria.forEach(function (criterion) {
      var line = svg.querySelector('.lesson-bars__legend[data-key="' + criterion.field + '"]');
      if (line) line.textContent = weightLabel(criterion, weights[criterion.field]);
    });
    return ranked;
  }

  /* Bars, order, value labels and zero line for scores already ranked (by the panel, or by a run). */
  function drawRanked(svg, data, ranked) {
    var layout = barLayout(ranked.map(function (r) { return r.score; }), svg);
    var rowHeight = Number(svg.getAttribute("data-bar-row"));
    var rows = {};
    svg.querySelectorAll(".lesson-bars__row").forEach(function (row) {
      rows[row.getAttribute("data-label")] = row;
    });
    ranked.forEach(function (item, position) {
      var row = rows[item.name];
      var bar = barGeometry(item.score, layout);
      row.setAttribute("transform", "translate(0 " + position * rowHeight + ")");
      row.parentNode.appendChild(row); // document order = reading order
      var rect = row.querySelector("rect");
      rect.setAttribute("x", bar.x.toFixed(2));
      rect.setAttribute("width", bar.width.toFixed(2));
      var value = row.querySelector(".lesson-bars__value");
      value.setAttribute("x", bar.labelX.toFixed(2));
      value.setAttribute("text-anchor", bar.anchor);
      value.textContent = pythonRepr(item.score);
      var zero = row.querySelector(".lesson-bars__zero");
      zero.setAttribute("x1", layout.zero.toFixed(2));
      zero.setAttribute("x2", layout.zero.toFixed(2));
    });
    var desc = svg.querySelector("desc");
    desc.textContent = orderText("Highest score first: ", ranked);
  }

  /* The chart's data table (its text alternative) says what the bars show: the same order and scores,
     and each criterion's share for these weights (trend_charts.score_chart's table, in the browser).
     For a run's printed scores (weights null) the shares are not known: the figure is marked, and
     lesson.css hides the share columns and the chart's formula. */
  function drawTable(figure, data, ranked, weights) {
    var table = figure.querySelector("table");
    if (!table) return;
    figure.classList.toggle("lesson-chart--printed", weights === null);
    var trends = {};
    data.trends.forEach(function (trend) { trends[trend.name] = trend; });
    if (weights) {
      var headings = table.querySelectorAll("thead th");
      data.criteria.forEach(function (criterion, index) {
        headings[2 + index].textContent = weightLabel(criterion, weights[criterion.field]);
      });
    }
    var rows = table.querySelectorAll("tbody tr");
    ranked.forEach(function (item, position) {
      var cells = rows[position].querySelectorAll("td");
      cells[0].textContent = String(position + 1);
      cells[1].textContent = item.name;
      data.criteria.forEach(function (criterion, index) {
        cells[2 + index].textContent = weights ? share(trends[item.name], criterion, weights) : "";
      });
      cells[cells.length - 1].textContent = pythonRepr(item.score);
    });
  }

  /* trend_charts._format_number of a criterion's share: f"{value:+.2f}" with a true minus sign. */
  function share(trend, criterion, weights) {
    var text = formatPython2(pythonRound2(criterion.sign * weights[criterion.field] * trend[criterion.field]));
    return (text.charAt(0) === "-" ? "\u2212" + text.slice(1) : "+" + text);
  }

  /* A run's printed records, if they are this chart's trends (same names, a number for each score). */
  function runRecords(records, data) {
    if (!Array.isArray(records) || records.length !== data.trends.length) return null;
    var names = data.trends.map(function (t) { return t.name; }).sort();
    var printed = records.map(function (r) { return r && r.name; }).sort();
    var same = names.every(function (name, i) { return name === printed[i]; });
    var scored = records.every(function (r) { return typeof r.score === "number" && isFinite(r.score); });
    return same && scored ? records.map(function (r) { return { name: r.name, score: r.score }; }) : null;
  }

  function orderText(intro, ranked) {
    return intro + ranked.map(function (r, i) { return i + 1 + ". " + r.name + ", " + pythonRepr(r.score); }).join("; ");
  }

  /* The exercise tip's link (to the chart) shows the chart from its top, under the header (lesson.css:
     scroll-margin-top), and puts the keyboard on the panel's first control, below it. Centring the
     control instead hid the bars the tip asks the reader to watch. The link's address stays as built:
     a page's links are never rewritten as it loads. */
  function linkTipToPanel(figure, firstControl) {
    document.querySelectorAll(".weights-tip a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        firstControl.focus({ preventScroll: true });
        figure.scrollIntoView({ block: "start" });
      });
    });
  }

  function buildPanel(figure, data) {
    var svg = figure.querySelector("svg");
    var built = svg.cloneNode(true); // Reset puts back exactly what the build drew...
    var table = figure.querySelector("table");
    var builtTable = table && table.cloneNode(true); // ...and wrote
    var prefix = figure.id + "-weights";
    var defaults = {};
    data.criteria.forEach(function (c) {
      defaults[c.field] = c.weight;
    });
    var weights = Object.assign({}, defaults);

    var panel = element("section", "weights-panel");
    panel.id = prefix;
    panel.setAttribute("aria-labelledby", prefix + "-title");
    var title = element("h3", "weights-panel__title", "Re-rank it yourself");
    title.id = prefix + "-title";
    panel.appendChild(title);
    panel.appendChild(
      element("p", "weights-panel__intro", "The weights are a choice. Move them and the score chart above is redrawn; nothing is sent anywhere.")
    );

    // The order, just above the sliders: on a phone the chart is a screen above the lower ones, so
    // the reader moving them would otherwise not see what they change.
    var order = element("p", "weights-panel__order");
    panel.appendChild(order);
    function showOrder(ranked) {
      order.textContent = orderText("Order now: ", ranked);
      return ranked;
    }
    showOrder(rank(data.trends, data.criteria, weights));

    var controls = element("div", "weights-panel__controls");
    var inputs = {};
    data.criteria.forEach(function (criterion) {
      var id = prefix + "-" + criterion.field;
      var row = element("div", "weights-panel__control");
      var label = element("label", "weights-panel__label", capitalised(criterion.label) + " weight");
      label.id = id + "-label";
      label.htmlFor = id;
      var slider = element("input", "weights-panel__slider");
      slider.type = "range";
      slider.setAttribute("aria-labelledby", label.id);
      var box = element("input", "weights-panel__number");
      box.type = "number";
      box.id = id;
      [slider, box].forEach(function (input) {
        input.min = String(MIN_WEIGHT);
        input.max = String(MAX_WEIGHT);
        input.step = String(STEP);
        input.value = String(weights[criterion.field]);
        input.setAttribute("data-field", criterion.field);
      });
      row.appendChild(label);
      row.appendChild(slider);
      row.appendChild(box);
      controls.appendChild(row);
      inputs[criterion.field] = { slider: slider, box: box };
    });
    var reset = element("button", "weights-panel__reset", "Reset to the lesson's weights");
    reset.type = "button";
    controls.appendChild(reset);
    panel.appendChild(controls);

    var message = element("p", "weights-panel__message");
    message.setAttribute("role", "status");
    panel.appendChild(message);
    var announcer = element("p", "weights-panel__announcer");
    announcer.setAttribute("aria-live", "polite");
    panel.appendChild(announcer);

    function setWeight(field, value, source) {
      weights[field] = value;
      if (source !== inputs[field].slider) inputs[field].slider.value = String(value);
      if (source !== inputs[field].box) inputs[field].box.value = String(value);
      return showOrder(redraw(svg, data, weights));
    }

    /* Said once per committed change ("change" event), not at every step of a drag. */
    function announce(ranked) {
      announcer.textContent = orderText("New order: ", ranked);
    }

    Object.keys(inputs).forEach(function (field) {
      inputs[field].slider.addEventListener("input", function (event) {
        message.textContent = "";
        setWeight(field, Number(event.target.value), event.target);
      });
      inputs[field].slider.addEventListener("change", function (event) {
        announce(setWeight(field, Number(event.target.value), event.target));
      });
      inputs[field].box.addEventListener("change", function (event) {
        var typed = readWeight(event.target.value);
        message.textContent = typed.message;
        if (typed.value === null) {
          event.target.value = String(weights[field]); // refused: keep the last good value
          return;
        }
        announce(setWeight(field, typed.value, typed.value === Number(event.target.value) ? event.target : null));
      });
    });
    reset.addEventListener("click", function () {
      message.textContent = "";
      Object.keys(defaults).forEach(function (field) {
        weights[field] = defaults[field];
        inputs[field].slider.value = String(defaults[field]);
        inputs[field].box.value = String(defaults[field]);
      });
      var fresh = built.cloneNode(true);
      svg.replaceWith(fresh);
      svg = fresh;
      if (builtTable) {
        var freshTable = builtTable.cloneNode(true);
        figure.querySelector("table").replaceWith(freshTable);
      }
      figure.classList.remove("lesson-chart--printed");
      announce(showOrder(rank(data.trends, data.criteria, weights)));
    });

    /* The code runner (code-runner.js) sends what a reader's run printed: the chart shows it, in
       the printed order, until a weight moves; null (the runner was reset) goes back to the build's. */
    document.addEventListener("lesson:records", function (event) {
      var records = event.detail && event.detail.records;
      if (records === null) {
        reset.click();
        return;
      }
      var ranked = runRecords(records, data);
      if (!ranked) return; // not this chart's trends: the chart keeps what the panel shows
      drawRanked(svg, data, ranked);
      drawTable(figure, data, ranked, null);
      message.textContent = "The chart shows the scores your run printed. Move a weight or press Reset to go back.";
      announce(showOrder(ranked));
    });

    figure.insertAdjacentElement("afterend", panel);
    linkTipToPanel(figure, inputs[data.criteria[0].field].slider);
    document.documentElement.classList.add("has-weights-panel"); // shows the exercise tip
  }

  function init() {
    document.querySelectorAll("figure[data-weights-panel]").forEach(function (figure) {
      if (document.getElementById(figure.id + "-weights")) return;
      try {
        buildPanel(figure, JSON.parse(figure.getAttribute("data-weights-panel")));
      } catch (error) {
        console.warn("weights panel: chart data unreadable", error);
      }
    });
  }

  /* Built when the browser is next idle, not while the page loads: the panel sits
     below the chart, far from the first screen, and building it at once held up
     the page's first full paint (A/B runs of benchmarks/lighthouse.sh: lower median
     blocking time in every batch; benchmarks/README.md, "Quality (Lighthouse)"). The timeout bounds the wait. */
  function initWhenIdle() {
    if (window.requestIdleCallback) window.requestIdleCallback(init, { timeout: 1000 });
    else window.setTimeout(init, 0);
  }

  // Material's document$ emits once its bundle has set the page up (and again after each
  // instant navigation, a feature this site has switched off).
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(initWhenIdle);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initWhenIdle);
  } else {
    initWhenIdle();
  }
})();
