"use strict";
(function () {
  var data = JSON.parse(document.getElementById("jiaokan-data").textContent);
  var body = document.body;
  var targets = [];
  var current = -1;
  var pos = document.getElementById("pos");
  var overview = document.getElementById("overview");

  function visible(el) {
    if (el.classList.contains("off")) return false;
    var cell = el.closest(".c");
    if (cell && cell.classList.contains("hidden")) return false;
    if (body.classList.contains("hide-substantive")) return false;
    var block = el.closest("details.framing");
    return !(block && body.classList.contains("hide-framing"));
  }

  function collect() {
    targets = Array.prototype.filter.call(document.querySelectorAll(".m.sub[data-t]"), visible);
    if (current >= targets.length) current = targets.length - 1;
    drawOverview();
    show();
  }

  function show() {
    pos.textContent = (current + 1) + " / " + targets.length;
  }

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

  function drawOverview() {
    overview.textContent = "";
    var height = document.documentElement.scrollHeight || 1;
    targets.forEach(function (el, i) {
      var tick = document.createElement("button");
      var f = data.findings[+el.dataset.f];
      tick.className = "k-" + f[2];
      tick.title = f[0] + " " + f[5];
      tick.setAttribute("aria-label", "drift " + (i + 1) + ": " + f[0]);
      var top = el.getBoundingClientRect().top + window.scrollY;
      tick.style.top = (100 * top / height).toFixed(3) + "%";
      tick.addEventListener("click", function () { goTo(i); });
      overview.appendChild(tick);
    });
  }

  document.getElementById("next").addEventListener("click", function () { goTo(current + 1); });
  document.getElementById("prev").addEventListener("click", function () { goTo(current - 1); });
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var tag = (e.target && e.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") return;
    if (e.key === "n") { goTo(current + 1); e.preventDefault(); }
    else if (e.key === "p") { goTo(current - 1); e.preventDefault(); }
  });

  ["substantive", "cosmetic", "framing"].forEach(function (name) {
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
    var f = data.findings[+el.dataset.f];
    var text = f[0] + " (" + f[1] + ")\nbase " + f[4] + "\nwitness " + f[5];
    if (f[6]) text += "\n" + f[6];
    el.title = text;
  });

  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
  window.addEventListener("resize", drawOverview);
  Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.addEventListener("toggle", drawOverview); });

  collect();
  body.dataset.ready = String(Math.round(performance.now()));
})();
