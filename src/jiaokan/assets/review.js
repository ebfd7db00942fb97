"use strict";
(function () {
  var data = JSON.parse(document.getElementById("jiaokan-data").textContent);
  var body = document.body;
  var targets = [];
  var current = -1;
  var pos = document.getElementById("pos");
  var overview = document.getElementById("overview");
  var toolbar = document.querySelector(".toolbar");
  var head = document.querySelector(".row.head");

  function finding(el) {
    var f = data.findings[+el.dataset.f];
    var c = data.codes[f[0]];
    return {code: c[0], severity: c[1], kind: c[2], witness: data.witnesses[f[1]],
            base: data.base + ":" + f[2] + ":" + f[3], at: data.witnesses[f[1]] + ":" + f[4] + ":" + f[5], message: f[6]};
  }

  function visible(el) {
    if (el.classList.contains("off")) return false;
    var cell = el.closest(".c");
    if (cell && cell.classList.contains("hidden")) return false;
    if (body.classList.contains("hide-substantive")) return false;
    var block = el.closest("details.framing");
    return !(block && body.classList.contains("hide-framing"));
  }

  function top(el) { return el.getBoundingClientRect().top + window.scrollY; }

  function collect() {
    var old = targets[current];
    targets = Array.prototype.filter.call(document.querySelectorAll(".m.sub[data-t]"), visible);
    // document order: down the page, then left to right within a row
    var where = targets.map(function (el) { var r = el.getBoundingClientRect(); return [r.top + window.scrollY, r.left, el]; });
    where.sort(function (a, b) { return (a[0] - b[0]) || (a[1] - b[1]); });
    targets = where.map(function (w) { return w[2]; });
    current = old ? targets.indexOf(old) : -1;
    if (current < 0) {
      var mark = document.querySelector(".m.current");
      if (mark) mark.classList.remove("current");
    }
    drawOverview();
    show();
  }

  function show() { pos.textContent = (current + 1) + " / " + targets.length; }

  function goTo(i) {
    if (!targets.length) return;
    var old = document.querySelector(".m.current");
    if (old) old.classList.remove("current");
    current = (i + targets.length) % targets.length;
    var el = targets[current];
    var block = el.closest("details");
    if (block) block.open = true;
    el.classList.add("current");
    el.scrollIntoView({block: "center"});
    var ticks = overview.children;
    for (var k = 0; k < ticks.length; k++) ticks[k].classList.toggle("now", k === current);
    show();
  }

  function next() { goTo(current + 1); }
  function previous() { goTo(current < 0 ? targets.length - 1 : current - 1); }

  function drawOverview() {
    overview.textContent = "";
    var height = document.documentElement.scrollHeight || 1;
    targets.forEach(function (el, i) {
      var tick = document.createElement("button");
      var f = finding(el);
      tick.className = "k-" + f.kind + (i === current ? " now" : "");
      tick.title = f.code + " " + f.at;
      tick.setAttribute("aria-label", "drift " + (i + 1) + ": " + f.code);
      tick.style.top = (100 * top(el) / height).toFixed(3) + "%";
      tick.addEventListener("click", function () { goTo(i); });
      overview.appendChild(tick);
    });
  }

  function stick() { head.style.top = toolbar.offsetHeight + "px"; }

  document.getElementById("next").addEventListener("click", next);
  document.getElementById("prev").addEventListener("click", previous);
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var t = e.target;
    if (t && (t.tagName === "TEXTAREA" || t.tagName === "SELECT" || (t.tagName === "INPUT" && t.type !== "checkbox"))) return;
    var key = (e.key || "").toLowerCase();
    if (key === "n") { next(); e.preventDefault(); }
    else if (key === "p") { previous(); e.preventDefault(); }
  });

  ["substantive", "structural", "cosmetic", "framing"].forEach(function (name) {
    document.getElementById("show-" + name).addEventListener("change", function (e) {
      body.classList.toggle("hide-" + name, !e.target.checked);
      collect();
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("input.show-w"), function (box) {
    box.addEventListener("change", function () {
      var w = box.dataset.w;
      Array.prototype.forEach.call(document.querySelectorAll(".c.w" + w), function (c) { c.classList.toggle("hidden", !box.checked); });
      Array.prototype.forEach.call(document.querySelectorAll(".c0 .m.w" + w), function (m) { m.classList.toggle("off", !box.checked); });
      collect();
    });
  });

  document.addEventListener("mouseover", function (e) {
    var el = e.target.closest && e.target.closest(".m");
    if (!el || el.title) return;
    var f = finding(el);
    var text = f.code + " (" + f.severity + ")\nbase " + f.base + "\nwitness " + f.at;
    if (f.message) text += "\n" + f.message;
    el.title = text;
  });

  // a link of the findings list: open the collapsed block its target is in, and show it as the current mark
  document.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("details.findings a[href^='#f']");
    if (!a) return;
    var el = document.getElementById(a.getAttribute("href").slice(1));
    if (!el) return;
    var block = el.closest("details");
    if (block) block.open = true;
    var old = document.querySelector(".m.current");
    if (old) old.classList.remove("current");
    el.classList.add("current");
    var k = targets.indexOf(el);
    if (k >= 0) { current = k; show(); }
  });

  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
  window.addEventListener("resize", function () { stick(); drawOverview(); });
  Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.addEventListener("toggle", collect); });

  stick();
  collect();
  body.dataset.ready = String(Math.round(performance.now()));
})();
