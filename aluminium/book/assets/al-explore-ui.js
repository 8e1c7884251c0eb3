/* The Aluminium Chain Book: the "Explore the chain" panel (aluminium/book/explore.py writes its HTML
 * and data island). Loaded, after al-chain.js in the same file, only when the reader opens the panel.
 * Every change re-evaluates the chain (AluminiumChain.evaluate) and rewrites the panel's figures,
 * the cost curve and the link; no page load, no network.
 */
(function (root) {
  "use strict";

  // -- the book's formatter (aluminium.numbers.fmt), ported; tests/test_explore.py holds them equal --
  var MINUS = "\u2212";
  var UNIT_DISPLAY = {"percent": "%", "pct": "%", "fraction": "%", "percentage points": "pp", "year": "",
                      "years": "years", "ratio": "", "": ""};

  function displayUnit(unit) {
    unit = (unit || "").trim();
    return Object.prototype.hasOwnProperty.call(UNIT_DISPLAY, unit) ? UNIT_DISPLAY[unit] : unit;
  }

  function decimalsFor(value) {
    var size = Math.abs(value);
    if (size === 0 || size >= 100) return 0;
    if (size >= 10) return 1;
    if (size >= 1) return 2;
    return Math.min(6, 2 - Math.floor(Math.log10(size)));
  }

  // |value| rounded half up at `decimals` places on its shortest decimal spelling (Python's repr),
  // as Decimal(repr(x)).quantize(..., ROUND_HALF_UP) does: digits only, no binary rounding.
  function roundedDigits(value, decimals) {
    var m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(Math.abs(value)));
    var digits = m[1] + (m[2] || ""), point = m[1].length + (m[3] ? parseInt(m[3], 10) : 0);
    while (point <= 0) { digits = "0" + digits; point++; }
    while (digits.length < point + decimals + 1) digits += "0";
    var keep = digits.slice(0, point + decimals).split("").map(Number);
    if (Number(digits[point + decimals]) >= 5) {
      var i = keep.length - 1;
      while (i >= 0 && keep[i] === 9) { keep[i] = 0; i--; }
      if (i < 0) { keep.unshift(1); point++; } else keep[i]++;
    }
    var whole = keep.slice(0, point).join("").replace(/^0+(?=\d)/, "") || "0";
    var frac = keep.slice(point).join("");
    whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return decimals > 0 ? whole + "." + frac : whole;
  }

  function fmt(value, unit, opts) {
    opts = opts || {};
    if (value === null || value === undefined || (typeof value === "number" && isNaN(value))) return opts.missing || "";
    if (typeof value === "boolean") return value ? "yes" : "no";
    if (typeof value !== "number") return String(value);
    unit = (unit || "").trim();
    if (!isFinite(value)) return opts.missing || "";
    var number = unit === "fraction" ? value * 100 : value;
    var text;
    if (unit === "year") {
      text = Number.isInteger(number) ? Math.abs(number).toFixed(0) : Math.abs(number).toFixed(1);
    } else {
      var dec = opts.decimals === undefined ? decimalsFor(number) : opts.decimals;
      text = roundedDigits(number, dec);
      if (opts.decimals === undefined && text.indexOf(".") >= 0) text = text.replace(/0+$/, "").replace(/\.$/, "");
    }
    var nonzero = text.replace(/[0.,]/g, "") !== "";
    if (number < 0 && nonzero) text = MINUS + text;
    else if (opts.sign && !(number < 0) && nonzero) text = "+" + text;
    var shown = displayUnit(unit);
    return opts.showUnit !== false && shown ? text + " " + shown : text;
  }

  root.AluminiumFormat = {fmt: fmt};
  if (typeof document === "undefined") return;

  // -- the panel --------------------------------------------------------------------------------
  var panel = document.getElementById("al-explore");
  if (!panel) return;
  var D = JSON.parse(document.getElementById("al-explore-data").textContent);
  var K = D.constants, P = {}, values = {}, defaults = {};
  D.parameters.forEach(function (p) { P[p.name] = p; defaults[p.name] = p.default; });
  var unitOf = {};
  D.outputs.forEach(function (o) { unitOf[o.id] = o.unit; });

  function copy(obj) { var o = {}; for (var k in obj) o[k] = obj[k]; return o; }
  function set(el, text) { if (el && el.textContent !== text) el.textContent = text; }

  function inputs() { return panel.querySelectorAll("[data-param]"); }

  // An input shows six significant figures (0.389513, not 0.3895131086142322); the panel's state
  // keeps the exact value until the reader types another.
  function shown(v) { return v === null || v === undefined ? "" : String(Number(v.toPrecision(6))); }

  function show(vals) {
    inputs().forEach(function (el) {
      var v = vals[el.dataset.param];
      if (el.type === "checkbox") el.checked = !!v;
      else el.value = shown(v);
    });
  }

  // A value the build accepts (parameter.check): a finite number inside the declared range, or, for
  // a pin, empty (the chain's own value). Returns {value} or {error: the sentence the panel shows}.
  function check(p, x) {
    if (typeof x !== "number" || !isFinite(x)) return {error: "nan"};
    if ((p.min !== null && x < p.min) || (p.max !== null && x > p.max)) return {error: "range"};
    if (p.type === "int" && !Number.isInteger(x)) return {error: "int"};
    return {value: x};
  }

  function read(el) {
    var p = P[el.dataset.param];
    if (el.type === "checkbox") return {value: el.checked};
    if (el.validity && el.validity.badInput) return {error: "nan"};
    if (el.value.trim() === "") return p.pin ? {value: null} : {error: "empty"};
    return check(p, Number(el.value));
  }

  function message(el, error) {
    var box = document.getElementById(el.id + "-e"), p = P[el.dataset.param];
    el.setAttribute("aria-invalid", error ? "true" : "false");
    if (!box) return;
    var range = el.dataset.range || "", typed = fmt(Number(el.value), p.unit);
    var why = {nan: "Not a number.", int: "Not a whole number.",
               empty: "Empty: write a value" + (range ? " within " + range : "") + ".",
               range: typed + " is outside " + range + ", the range the build accepts (it would refuse it)."}[error];
    var kept = values[p.name] === null ? "the chain's value" : fmt(values[p.name], p.unit);
    set(box, error ? why + " The panel keeps " + kept + "." : "");
  }

  function clearMessages() {
    inputs().forEach(function (el) { message(el, ""); });
  }

  function changed() {
    var out = {};
    Object.keys(values).forEach(function (k) { if (values[k] !== defaults[k]) out[k] = values[k]; });
    return out;
  }

  // Settings in the URL: #explore?name=value&... (only what differs from the defaults).
  function toHash() {
    var c = changed(), q = Object.keys(c).map(function (k) {
      return encodeURIComponent(k) + "=" + encodeURIComponent(c[k] === null ? "modelled" : String(c[k]));
    }).join("&");
    var hash = "#explore" + (q ? "?" + q : "");
    if (location.hash !== hash) history.replaceState(null, "", hash);
    var link = panel.querySelector("[data-explore=link]");
    if (link) link.href = hash;
  }

  var refused = [];  // what a link set that the build would refuse (named on the panel)

  function fromHash() {
    var h = location.hash, i = h.indexOf("?");
    if (h.indexOf("#explore") !== 0 || i < 0) return null;
    var vals = copy(defaults);
    h.slice(i + 1).split("&").forEach(function (kv) {
      var parts = kv.split("="), name = decodeURIComponent(parts[0]), text = decodeURIComponent(parts[1] || "");
      var p = P[name];
      if (!p) return;
      if (p.type === "bool") vals[name] = text === "true";
      else if (p.pin && text === "modelled") vals[name] = null;
      else {
        var c = text.trim() === "" ? {error: "empty"} : check(p, Number(text));
        if (c.error) refused.push(p.label + " = " + (c.error === "range" ? fmt(Number(text), p.unit) : text));
        else vals[name] = c.value;
      }
    });
    return vals;
  }

  // "Download these assumptions": the YAML `aluminium build --params FILE` reads.
  function yaml() {
    var c = changed(), by = {};
    Object.keys(c).forEach(function (k) {
      var i = k.indexOf("."), ch = k.slice(0, i);
      (by[ch] = by[ch] || []).push([k.slice(i + 1), c[k]]);
    });
    var lines = ["# Assumptions set in the Explore the chain panel of The Aluminium Chain Book.",
                 "# Rebuild the whole book with them: aluminium build --params assumptions.yml", "parameters:"];
    var chapters = Object.keys(by).sort();
    if (!chapters.length) lines[2] = "parameters: {}";
    chapters.forEach(function (ch) {
      lines.push("  " + ch + ":");
      by[ch].sort().forEach(function (kv) {
        var v = kv[1];
        lines.push("    " + kv[0] + ": " + (v === null ? "modelled" : typeof v === "boolean" ? String(v) : JSON.stringify(v)));
      });
    });
    return lines.join("\n") + "\n";
  }

  // Styled by attributes: the site's stylesheet keeps only the classes its pages name. The price
  // and the floor are named in the caption below (its key), so no label sits on the curve.
  function curve(o, svg) {
    // Drawn at the width it is shown (text at its real size on a phone too).
    var W = Math.round(Math.max(300, Math.min(720, svg.clientWidth || 600))), H = 240, L = 56, B = 36, T = 24;
    var c = o._curve, s = values["smelting.block_cost_spread_pct"] / 100;
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    var total = c.caps.reduce(function (a, b) { return a + b; }, 0) || 1;
    var top = Math.max(o["pricing.modelled_price_cny_t"], Math.max.apply(null, c.costs) * (1 + s)) * 1.08;
    function x(kt) { return L + (W - L - 10) * kt / total; }
    function y(v) { return H - B - (H - B - T) * Math.max(v, 0) / top; }
    var path = [], at = 0;
    c.caps.forEach(function (cap, i) {
      path.push("M" + x(at).toFixed(1) + "," + y(c.costs[i] * (1 - s)).toFixed(1)
                + "L" + x(at + cap).toFixed(1) + "," + y(c.costs[i] * (1 + s)).toFixed(1));
      at += cap;
    });
    var price = o["pricing.modelled_price_cny_t"], floor = o["pricing.cost_floor_cny_t"];
    var ticks = [0, top / 2, top].map(function (v) {
      return '<text x="' + (L - 6) + '" y="' + (y(v) + 4).toFixed(1) + '" text-anchor="end">' + fmt(Math.round(v / 1000) * 1000, "") + "</text>";
    }).join("");
    svg.innerHTML = '<path d="M' + L + "," + (H - B) + "H" + (W - 10) + "M" + L + "," + T + "V" + (H - B) + '" stroke="#777" fill="none"/>'
      + '<line x1="' + L + '" x2="' + (W - 10) + '" y1="' + y(floor).toFixed(1) + '" y2="' + y(floor).toFixed(1) + '" stroke="#555" stroke-width="1.5" stroke-dasharray="5 3"/>'
      + '<path d="' + path.join("") + '" stroke="#0072B2" stroke-width="3" fill="none"/>'
      + '<line x1="' + L + '" x2="' + (W - 10) + '" y1="' + y(price).toFixed(1) + '" y2="' + y(price).toFixed(1) + '" stroke="#D55E00" stroke-width="2.5"/>'
      + ticks + '<text x="' + (L - 6) + '" y="12" text-anchor="end">CNY/t</text>'
      + '<text x="' + L + '" y="' + (H - 8) + '">0</text><text x="' + (W - 10) + '" y="' + (H - 8)
      + '" text-anchor="end">' + fmt(total / 1000, "Mt") + " of capacity, cheapest first</text>";
    svg.setAttribute("aria-label", "China's smelting cost curve: " + fmt(total / 1000, "Mt") + " of capacity from "
      + fmt(Math.min.apply(null, c.costs) * (1 - s), "CNY/t") + " to " + fmt(Math.max.apply(null, c.costs) * (1 + s), "CNY/t")
      + "; the price, " + fmt(price, "CNY/t") + ", against a cost floor of " + fmt(floor, "CNY/t"));
  }

  // -- the chain diagram's figures (aluminium.book.flow.stages and wrap, ported) ---------------------
  function wrap(line, width) {
    var F = D.flow, words = [], out = [];
    line.split(" ").forEach(function (w) {
      if (words.length && F.units.indexOf(w) >= 0) words[words.length - 1] += " " + w; else words.push(w);
    });
    words.forEach(function (w) {
      if (out.length && (out[out.length - 1] + " " + w).length * F.font_size * F.char_em <= width) out[out.length - 1] += " " + w;
      else out.push(w);
    });
    return out;
  }

  function flowItems(o, v) {
    var mt = function (x, sign) { return fmt(x, "Mt", {sign: sign}); };
    var imports = o["bauxite.china_imports_mt"], domestic = o["bauxite.need_mt"] - imports;
    var indoRef = v["bauxite.china_imports_reference_mt"] * v["bauxite.indonesia_share_of_imports_pct"] / 100;
    var indonesia = v["bauxite.indonesia_supply_removed"] ? 0 : Math.min(imports, indoRef);
    var items = [["Imports, Guinea and others: " + mt(imports - indonesia), "CIF " + fmt(o["bauxite.modelled_cif_usd_t"], "USD/t"),
                  "Marginal supply: " + D.flow.marginal_sources[o["bauxite.marginal_source"]]]];
    if (indonesia > 0) items.push(["Imports, Indonesia: " + mt(indonesia)]);
    items.push(["China's own mines: " + mt(domestic)]);
    items.push(["China output " + mt(v["alumina.output_kt"] / 1000), "To smelters: " + mt(o["alumina.need_kt"] / 1000),
                "Price " + fmt(o["alumina.modelled_price_cny_t"], "CNY/t"), "Cash cost " + fmt(o["alumina.modelled_cash_cost_cny_t"], "CNY/t")]);
    items.push(["Market surplus: " + mt(o["alumina.market_surplus_kt"] / 1000, true)]);
    items.push(["China output " + mt(o["smelting.output_2026_kt"] / 1000), "Price " + fmt(o["pricing.modelled_price_cny_t"], "CNY/t"),
                "Cost floor " + fmt(o["pricing.cost_floor_cny_t"], "CNY/t"), "Balance " + mt(o["demand.balance_2026_kt"] / 1000, true)]);
    items.push(["Net imports: " + mt(o["demand.net_imports_2026_kt"] / 1000),
                "Import window " + fmt(o["macro.import_window_cny_t"], "CNY/t", {sign: true})]);
    D.flow.sectors.map(function (s) { return [s[0], s[1] * o["demand.demand_2026_kt"]]; })
      .sort(function (a, b) { return b[1] - a[1]; })
      .forEach(function (s) { items.push([s[0] + ": " + mt(s[1] / 1000)]); });
    return items;
  }

  // The diagram's boxes keep this build's sizes; their figures follow the panel. Where the boxes
  // no longer match (a box appears or goes), the diagram says it shows this build.
  function redrawFlow(o) {
    var items = flowItems(o, values);
    document.querySelectorAll("figure.al-flow-figure svg.al-flow").forEach(function (svg) {
      var boxes = svg.querySelectorAll("g.al-flow-box"), width = svg.classList.contains("al-flow-wide")
        ? D.flow.inner_wide : D.flow.inner_narrow;
      var fits = boxes.length === items.length;
      svg.closest("figure").dataset.explored = fits ? "live" : "built";
      if (!fits) return;
      boxes.forEach(function (g, i) {
        var text = g.querySelector("text"), lines = [];
        items[i].forEach(function (l) { lines = lines.concat(wrap(l, width)); });
        var x = text.getAttribute("x"), spans = lines.map(function (t, j) {
          var span = document.createElementNS("http://www.w3.org/2000/svg", "tspan");
          span.setAttribute("x", x);
          span.setAttribute("dy", j ? String(D.flow.line_height) : "0");
          span.textContent = t;
          return span;
        });
        text.replaceChildren.apply(text, spans);
        var title = g.querySelector("title");
        if (title) title.textContent = items[i].join(" · ");
      });
    });
    document.querySelectorAll("figure.al-flow-figure").forEach(function (fig) {
      var note = fig.querySelector(".al-flow-live");
      if (!note) {
        note = document.createElement("p");
        note.className = "al-flow-live";
        note.setAttribute("role", "status");
        fig.querySelector("figcaption").appendChild(note);
      }
      note.textContent = fig.dataset.explored === "live"
        ? " The figures in the boxes follow the Explore panel's assumptions; box sizes stay this build's."
        : " The Explore panel's assumptions add or remove a box: the diagram shows this build's figures.";
    });
  }

  function update() {
    var t0 = performance.now();
    var o = AluminiumChain.evaluate(values, K);
    panel.querySelectorAll("[data-output]").forEach(function (el) {
      var id = el.dataset.output, scale = Number(el.dataset.scale || 1);
      set(el, fmt(o[id] * scale, el.dataset.unit || unitOf[id], {sign: el.dataset.sign === "1"}));
    });
    panel.querySelectorAll("[data-change]").forEach(function (el) {
      var id = el.dataset.change, d = o[id] - D.built[id];
      set(el, Math.abs(d) < 1e-9 * Math.max(1, Math.abs(D.built[id])) ? "" : fmt(d, unitOf[id], {sign: true}));
    });
    var svg = panel.querySelector("[data-explore=curve]");
    if (svg) curve(o, svg);
    redrawFlow(o);
    toHash();
    var took = performance.now() - t0;
    panel.dataset.updateMs = String(took);
    return o;
  }

  function onInput(ev) {
    var el = ev.target;
    if (!el.dataset || !el.dataset.param) return;
    var r = read(el);
    message(el, r.error || "");
    if (r.error) return;
    var v = r.value;
    values[el.dataset.param] = v;
    // The same parameter may sit in the top ten and in the full list: both show it.
    panel.querySelectorAll('[data-param="' + el.dataset.param + '"]').forEach(function (other) {
      if (other === el) return;
      if (other.type === "checkbox") other.checked = !!v;
      else other.value = shown(v);
      message(other, "");
    });
    update();
  }

  function pick(ev) {
    var name = ev.target.value;
    values = copy(name === "built" ? D.values : defaults);
    D.scenarios.forEach(function (s) { if (s.name === name) for (var k in s.values) values[k] = s.values[k]; });
    show(values);
    clearMessages();
    set(status, "");
    update();
  }

  panel.addEventListener("input", onInput);
  panel.addEventListener("change", function (ev) { if (ev.target.type === "checkbox") onInput(ev); });
  var picker = panel.querySelector("[data-explore=scenario]");
  if (picker) picker.addEventListener("change", pick);
  var dl = panel.querySelector("[data-explore=download]");
  if (dl) dl.addEventListener("click", function () {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([yaml()], {type: "application/x-yaml"}));
    a.download = "assumptions.yml";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  });

  var status = panel.querySelector("[data-explore=status]");
  var start = performance.now();
  var linked = location.hash.indexOf("#explore?") === 0;
  values = fromHash() || copy(D.values);
  show(values);
  if (refused.length) set(status, "This link sets values outside the ranges the build accepts; the panel uses the defaults for them: "
    + refused.join("; ") + ".");
  panel.querySelectorAll("[data-live]").forEach(function (el) { el.hidden = false; });
  panel.querySelectorAll("[data-nojs]").forEach(function (el) { el.hidden = true; });
  update();
  panel.dataset.firstUpdateMs = String(performance.now() - start);
  // A link with settings has no element to scroll to; the loader scrolled, but the sections above
  // lay out late (content-visibility): scroll again now that the page has settled.
  if (linked) panel.scrollIntoView();
  root.AluminiumExplore = {values: function () { return values; }, yaml: yaml, update: update};
})(typeof window !== "undefined" ? window : globalThis);
