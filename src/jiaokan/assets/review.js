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
    // document order: down the page, then left to right within a row; in separate panes, row by row, column by column
    var where = targets.map(function (el) {
      var r = el.getBoundingClientRect(), cell = el.closest(".c");
      return panes ? [cell.jkRow, cell.jkCol, r.top - cell.getBoundingClientRect().top, el] : [r.top + window.scrollY, r.left, 0, el];
    });
    where.sort(function (a, b) { return (a[0] - b[0]) || (a[1] - b[1]) || (a[2] - b[2]); });
    targets = where.map(function (w) { return w[3]; });
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
      var at = panes ? (el.closest(".c").jkRow + 0.5) / rows.length : top(el) / height;
      tick.style.top = (100 * at).toFixed(3) + "%";
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
      if (panes) panes.children[+w + 1].classList.toggle("hidden", !box.checked);
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

  // Scroll sync.  On (the default): rows side by side under one scroll bar, so every column shows the same aligned
  // row.  Off: each column in a pane of its own that scrolls alone; turning it on again brings every column to the
  // row at the top of the pane last scrolled.  The cells are moved, not copied: marks, ids and links stay the same.
  var main = document.querySelector("main");
  var syncBox = document.getElementById("sync");
  var rows = Array.prototype.slice.call(main.querySelectorAll(".row:not(.head)"));
  var rowCells = rows.map(function (row, k) {
    var cells = Array.prototype.slice.call(row.children, 1);
    cells.forEach(function (c, col) { c.jkRow = k; c.jkCol = col; });
    return cells;
  });
  var headCells = Array.prototype.slice.call(head.children, 1);
  var panes = null;
  var lastPane = 0;

  function stored() { try { return window.localStorage.getItem("jiaokan.sync"); } catch (e) { return null; } }
  function store(on) { try { window.localStorage.setItem("jiaokan.sync", on ? "on" : "off"); } catch (e) { /* storage refused (file://, private mode): not remembered */ } }

  function firstBelow(cells, edge) {  // the index of the first row whose cell reaches below edge
    for (var k = 0; k < cells.length; k++) {
      var r = cells[k].getBoundingClientRect();
      if (r.height && r.bottom > edge + 1) return k;
    }
    return 0;
  }

  function rowAtTop() {
    if (!panes) return firstBelow(rows, head.getBoundingClientRect().bottom);
    var pane = panes.children[lastPane];
    var cells = rowCells.map(function (c) { return c[lastPane]; });
    return firstBelow(cells, pane.firstChild.getBoundingClientRect().bottom);
  }

  function split() {
    var anchor = rowAtTop();
    panes = document.createElement("div");
    panes.className = "panes";
    headCells.forEach(function (h, col) {
      var pane = document.createElement("div");
      pane.className = "pane";
      pane.tabIndex = 0;  // the arrow keys scroll a focused pane
      pane.setAttribute("role", "region");
      pane.setAttribute("aria-label", h.textContent);
      pane.appendChild(h);
      if (h.classList.contains("hidden")) pane.classList.add("hidden");
      pane.addEventListener("scroll", function () { lastPane = col; }, {passive: true});
      panes.appendChild(pane);
    });
    rowCells.forEach(function (cells, k) {
      var framing = !!rows[k].closest("details.framing");
      cells.forEach(function (c, col) { c.classList.toggle("in-frm", framing); panes.children[col].appendChild(c); });
    });
    Array.prototype.forEach.call(document.querySelectorAll("input.show-w"), function (box) {
      panes.children[+box.dataset.w + 1].classList.toggle("hidden", !box.checked);
    });
    main.classList.add("split");
    main.appendChild(panes);
    fit();
    window.scrollTo(0, top(panes) - toolbar.offsetHeight);
    Array.prototype.forEach.call(panes.children, function (pane, col) {
      var cell = rowCells[anchor][col];
      pane.scrollTop = cell.offsetTop - pane.firstChild.offsetHeight;
    });
    lastPane = 0;
  }

  function join() {
    var anchor = rowAtTop();
    headCells.forEach(function (h) { head.appendChild(h); });
    rowCells.forEach(function (cells, k) { cells.forEach(function (c) { rows[k].appendChild(c); }); });
    main.removeChild(panes);
    main.classList.remove("split");
    panes = null;
    var block = rows[anchor].closest("details");
    if (block) block.open = true;
    window.scrollTo(0, top(rows[anchor]) - toolbar.offsetHeight - head.offsetHeight);
  }

  function fit() { if (panes) panes.style.height = (window.innerHeight - toolbar.offsetHeight) + "px"; }

  function setSync(on) {
    if (on === !panes) return;
    if (on) join(); else split();
    collect();
  }

  syncBox.addEventListener("change", function () { store(syncBox.checked); setSync(syncBox.checked); });
  window.addEventListener("resize", fit);
  window.addEventListener("beforeprint", function () { if (panes) { join(); syncBox.checked = true; collect(); } });

  // The findings as CSV: one line each, quoted as RFC 4180 says, a BOM first so that Excel and WPS read UTF-8.
  function csvField(value) {
    var s = String(value);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;  // a cell a spreadsheet would take for a formula is kept as text
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function findingsCsv() {
    var lines = [["witness", "code", "severity", "base line:column", "witness line:column", "message"]];
    data.findings.forEach(function (f) {
      var c = data.codes[f[0]];
      lines.push([data.witnesses[f[1]], c[0], c[1], f[2] + ":" + f[3], f[4] + ":" + f[5], f[6]]);
    });
    return "\ufeff" + lines.map(function (l) { return l.map(csvField).join(","); }).join("\r\n") + "\r\n";
  }
  window.jiaokanFindingsCsv = findingsCsv;

  document.getElementById("csv").addEventListener("click", function () {
    var url = URL.createObjectURL(new Blob([findingsCsv()], {type: "text/csv;charset=utf-8"}));
    var a = document.createElement("a");
    a.href = url;
    a.download = data.base.split(/[\\/]/).pop() + ".findings.csv";
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  });

  stick();
  collect();
  if (stored() === "off") { syncBox.checked = false; setSync(false); }
  body.dataset.ready = String(Math.round(performance.now()));
})();
