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

  function draw(target, island) {
    var args;
    try { args = JSON.parse(island.textContent); } catch (err) { showError(target, err); return; }
    loadVega()
      .then(function () { return window.vegaEmbed(target, args[0], args[1]); })
      .then(function (result) {
        target.style.minHeight = "0";
        target.alView = result.view;  // the drawn view: its scales for the tests, its images for downloads
        formatSliders(target);
      })
      .catch(function (err) { showError(target, err); });
  }

  var islands = [].slice.call(document.querySelectorAll("script.al-chart-spec"));
  var pending = new Map();
  islands.forEach(function (island) { pending.set(island.previousElementSibling, island); });
  if (!("IntersectionObserver" in window)) {
    pending.forEach(function (island, target) { draw(target, island); });
    return;
  }
  var watcher = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (!entry.isIntersecting) return;
      watcher.unobserve(entry.target);
      draw(entry.target, pending.get(entry.target));
    });
  }, { rootMargin: "600px 0px" });
  pending.forEach(function (island, target) { watcher.observe(target); });
})();
