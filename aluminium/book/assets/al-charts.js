/* Draws the book's charts. Each chart's spec sits in the page as a JSON island right after
   its container; Vega (data-vega, one local bundle) is loaded when the first chart comes
   near the screen, and each chart is drawn as it does. Deferred: text paints first. */
(function () {
  "use strict";
  var bundle = document.currentScript.getAttribute("data-vega");
  var loading = null;

  function loadVega() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = bundle;
        script.onload = resolve;
        script.onerror = function () { reject(new Error("could not load " + bundle)); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function showError(target, err) {
    var box = document.createElement("div");
    box.className = "error";
    box.textContent = "The chart could not be drawn: " + (err && err.message ? err.message : err);
    target.replaceChildren(box);
    console.error(err);
  }

  // Vega writes a slider's value as a bare number ("21100"); the book writes "21,100".
  function formatSliders(target) {
    [].forEach.call(target.querySelectorAll(".vega-bind input[type=range]"), function (input) {
      var shown = input.nextElementSibling;  // Vega's <span> beside the slider
      if (!shown || shown.tagName !== "SPAN") return;
      function format() {
        shown.textContent = Number(input.value).toLocaleString("en-US", { maximumFractionDigits: 3 });
      }
      input.addEventListener("input", format);  // after Vega's own listener, so this text stays
      format();
    });
  }

  // Vega-Embed's actions menu is a <summary> holding only an icon: it gets a name (axe summary-name).
  function nameActions(target) {
    [].forEach.call(target.querySelectorAll("details > summary"), function (summary) {
      if (!summary.getAttribute("aria-label")) summary.setAttribute("aria-label", "Chart actions (save as SVG or PNG)");
    });
  }


  // The edition every page carries (sphinx_edition), written under each downloaded chart image.
  function stamp() {
    var meta = document.querySelector('meta[name="al-edition"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function fileName(target, ext) {
    var fig = target.closest("figure");
    var name = (fig && fig.getAttribute("data-chart")) || target.id;
    var edition = document.querySelector(".al-edition");
    var id = edition ? edition.getAttribute("data-edition") : "";
    return name + (id ? "-edition-" + id : "") + "." + ext;
  }

  function stampedSVG(view) {
    return view.toSVG().then(function (svg) {
      var doc = new DOMParser().parseFromString(svg, "image/svg+xml");
      var root = doc.documentElement;
      var w = parseFloat(root.getAttribute("width")), h = parseFloat(root.getAttribute("height"));
      var extra = 22;
      root.setAttribute("height", h + extra);
      var box = (root.getAttribute("viewBox") || ("0 0 " + w + " " + h)).split(/[ ,]+/).map(Number);
      root.setAttribute("viewBox", [box[0], box[1], box[2], box[3] + extra].join(" "));
      var text = doc.createElementNS("http://www.w3.org/2000/svg", "text");
      text.setAttribute("x", box[0] + 4);
      text.setAttribute("y", box[1] + box[3] + extra - 6);
      text.setAttribute("font-size", "10");
      text.setAttribute("font-family", "sans-serif");
      text.setAttribute("fill", "#555555");
      text.setAttribute("class", "al-edition-stamp");
      text.textContent = stamp();
      root.appendChild(text);
      return new XMLSerializer().serializeToString(doc);
    });
  }

  function stampedPNG(view) {
    return view.toCanvas(2).then(function (canvas) {
      var extra = 44, out = document.createElement("canvas");
      out.width = canvas.width;
      out.height = canvas.height + extra;
      var ctx = out.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, out.width, out.height);
      ctx.drawImage(canvas, 0, 0);
      ctx.fillStyle = "#555555";
      ctx.font = "20px sans-serif";
      ctx.fillText(stamp(), 8, canvas.height + extra - 14);
      return out.toDataURL("image/png");
    });
  }

  function save(href, name) {
    var a = document.createElement("a");
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  // "Download the chart: SVG · PNG" beside the data download, both stamped with the edition.
  function addDownloads(target, view) {
    var fig = target.closest("figure");
    var line = fig && fig.querySelector(".al-source");
    if (!line || line.querySelector(".al-chart-downloads")) return;
    var span = document.createElement("span");
    span.className = "al-chart-downloads";
    span.appendChild(document.createTextNode(" Download the chart: "));
    [["svg", "SVG"], ["png", "PNG"]].forEach(function (pair, i) {
      if (i) span.appendChild(document.createTextNode(" · "));
      var a = document.createElement("a");
      a.href = "#";
      a.className = "al-chart-download";
      a.setAttribute("data-format", pair[0]);
      a.textContent = pair[1];
      a.addEventListener("click", function (event) {
        event.preventDefault();
        var made = pair[0] === "svg"
          ? stampedSVG(view).then(function (svg) {
              return URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
            })
          : stampedPNG(view);
        made.then(function (href) { save(href, fileName(target, pair[0])); });
      });
      span.appendChild(a);
    });
    line.appendChild(span);
  }

  var drawn = new Map();  // target → the promise of its drawing

  function draw(target, island) {
    if (drawn.has(target)) return drawn.get(target);
    var args;
    try { args = JSON.parse(island.textContent); } catch (err) { showError(target, err); return Promise.resolve(); }
    var done = loadVega()
      .then(function () { return window.vegaEmbed(target, args[0], args[1]); })
      .then(function (result) {
        target.style.minHeight = "0";
        target.alView = result.view;  // the drawn view: its scales for the tests, its images for downloads
        formatSliders(target);
        nameActions(target);
        addDownloads(target, result.view);
        markPrinted(target);
      })
      .catch(function (err) { showError(target, err); });
    drawn.set(target, done);
    return done;
  }

  // A line under each drawn chart that only print shows: the chart is in the printed page, and a
  // PDF of the book can be checked to hold every chart.
  function markPrinted(target) {
    var fig = target.closest("figure");
    if (!fig || fig.querySelector(".al-print-stamp")) return;
    var p = document.createElement("p");
    p.className = "al-print-stamp";
    p.textContent = "Chart drawn for print. " + stamp();
    fig.appendChild(p);
  }

  var islands = [].slice.call(document.querySelectorAll("script.al-chart-spec"));
  var pending = new Map();
  islands.forEach(function (island) { pending.set(island.previousElementSibling, island); });
  var watcher = null;

  // Every chart of the page, drawn now (print, or a reader who asks): resolves when all are drawn.
  function drawAll() {
    var all = [];
    pending.forEach(function (island, target) {
      if (watcher) watcher.unobserve(target);
      all.push(draw(target, island));
    });
    return Promise.all(all).then(function () {
      document.documentElement.setAttribute("data-al-charts-drawn", String(all.length));
      return all.length;
    });
  }
  window.alCharts = { drawAll: drawAll };

  // The theme's print button calls window.print(): draw every chart first, then print. A print
  // started from the browser's menu draws them too (beforeprint), as fast as Vega allows.
  var nativePrint = window.print;
  window.print = function () {
    drawAll().then(function () {
      requestAnimationFrame(function () { nativePrint.call(window); });
    });
  };
  window.addEventListener("beforeprint", drawAll);
  // A page opened to be printed whole (make pdf: ?print) draws every chart at once.
  if (/[?&]print\b/.test(window.location.search)) {
    drawAll();
    return;
  }

  if (!("IntersectionObserver" in window)) {
    drawAll();
    return;
  }
  watcher = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      watcher.unobserve(entry.target);
      draw(entry.target, pending.get(entry.target));
    });
  }, { rootMargin: "600px 0px" });
  pending.forEach(function (island, target) { watcher.observe(target); });

  // Sections laid out only when near the screen (content-visibility) change height as a reader
  // jumps down the page, and a chart can move past the screen between two observations: after
  // the scrolling settles, every chart then near the screen is drawn.
  var settle = null;
  function drawNear() {
    settle = null;
    var h = window.innerHeight;
    pending.forEach(function (island, target) {
      if (drawn.has(target)) return;
      var r = target.getBoundingClientRect();
      if (r.bottom > -600 && r.top < h + 600) {
        watcher.unobserve(target);
        draw(target, island);
      }
    });
  }
  function onScroll() {
    if (settle) clearTimeout(settle);
    settle = setTimeout(drawNear, 150);
  }
  window.addEventListener("scroll", onScroll, { passive: true });
  window.addEventListener("resize", onScroll, { passive: true });
  window.addEventListener("hashchange", onScroll);
})();
