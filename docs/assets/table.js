/*
 * 忻州市技术创新中心名录 · 可排序、可筛选的表格（无依赖、离线）。
 *
 * 标记约定（由生成器的模板输出）：
 *   <div class="tic-filterbar">
 *     <label>县（市、区）<select class="tic-filter" data-table="center-list" data-filter-column="2">
 *        <option value="">全部</option><option>五台县</option>…</select></label>
 *     <label>搜索 <input class="tic-search" type="search" data-table="center-list"></label>
 *     <span class="tic-count" data-table="center-list" data-noun="个中心"></span>
 *   </div>
 *   <div class="tic-table-wrap">
 *     <table class="tic-table" id="center-list">
 *       <thead><tr><th>名称</th><th data-sort-type="number">年份</th><th data-sort-type="none">备注</th></tr></thead>
 *       <tbody><tr data-search="额外检索词"><td data-sort="…" data-filter="…">…</td>…</tr></tbody>
 *     </table>
 *   </div>
 *
 * 也可以用 Markdown 表格（链接由 mkdocs --strict 校验）：
 *   <div class="tic-table-host" data-tic-table="center-list" markdown>
 *   | 名称 | … |  （空行包围的普通 Markdown 表格；无 data-sort/data-filter，按单元格文字排序筛选）
 *   </div>
 *
 * - 列号 data-filter-column 从 0 开始；单元格的 data-filter（或 data-value）优先于其文字，可用 "|" 分隔多个值。
 * - 单元格的 data-sort 优先于其文字；两边都是数字时按数值排序，YYYY-MM-DD 按文本排序，
 *   其余按中文（拼音）排序；空值总排在最后。
 * - 只有“全部”一项的 select.tic-filter 由脚本按该列的不同取值自动填充选项。
 * - 计数文字：“显示 X / 共 Y 个中心”（名词取自 .tic-count 的 data-noun，默认“个中心”）。
 * - 搜索框的初始值可由网址参数 ?q= 给出。
 * - 兼容 Material 的即时导航：订阅 document$，否则在 DOMContentLoaded 时初始化。
 */
(function () {
  "use strict";

  var collator = (typeof Intl !== "undefined" && Intl.Collator)
    ? new Intl.Collator(["zh-Hans-CN", "zh"], { numeric: true, sensitivity: "base" })
    : null;
  var NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)%?$/;
  var ISO_DATE = /^\d{4}-\d{2}-\d{2}/;

  function norm(s) {
    return (s || "").replace(/\s+/g, " ").trim();
  }

  function cellText(cell) {
    return cell ? norm(cell.textContent) : "";
  }

  function sortKey(cell) {
    if (!cell) return "";
    var v = cell.getAttribute("data-sort");
    return v !== null ? norm(v) : cellText(cell);
  }

  function filterValues(cell) {
    if (!cell) return [""];
    var v = cell.getAttribute("data-filter");
    if (v === null) v = cell.getAttribute("data-value");
    if (v === null) return [cellText(cell)];
    return v.split("|").map(norm);
  }

  function asNumber(s, type) {
    if (type === "text") return null;
    var t = s.replace(/[,\s，]/g, "");
    if (NUMBER.test(t)) return parseFloat(t);
    return null;
  }

  function compare(a, b, type) {
    if (a === b) return 0;
    if (a === "") return 1; // 空值在后（调用方保证方向无关）
    if (b === "") return -1;
    var na = asNumber(a, type), nb = asNumber(b, type);
    if (na !== null && nb !== null) return na - nb;
    if (type === "number") {
      if (na !== null) return -1;
      if (nb !== null) return 1;
    }
    if (ISO_DATE.test(a) && ISO_DATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
    return collator ? collator.compare(a, b) : (a < b ? -1 : a > b ? 1 : 0);
  }

  function controlsFor(root, id, selector) {
    var out = [];
    var nodes = root.querySelectorAll(selector);
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].getAttribute("data-table") === id) out.push(nodes[i]);
    }
    return out;
  }

  function headerCells(table) {
    var head = table.tHead;
    if (!head || !head.rows.length) return [];
    // 多行表头时以最后一行为准
    return Array.prototype.slice.call(head.rows[head.rows.length - 1].cells);
  }

  function setup(table, root, wrapIt) {
    if (table.getAttribute("data-tic-ready") === "1") return;
    table.setAttribute("data-tic-ready", "1");
    var body = table.tBodies[0];
    if (!body) return;
    var id = table.id || table.getAttribute("data-table-id") || "";

    // 横向滚动容器
    if (wrapIt && (!table.parentNode.classList || !table.parentNode.classList.contains("tic-table-wrap"))) {
      var wrap = document.createElement("div");
      wrap.className = "tic-table-wrap";
      table.parentNode.insertBefore(wrap, table);
      wrap.appendChild(table);
    }

    var rows = Array.prototype.slice.call(body.rows).filter(function (r) {
      return !r.classList.contains("tic-empty-row");
    });
    rows.forEach(function (r, i) { r.__ticIndex = i; });
    var total = rows.length;

    var selects = id ? controlsFor(root, id, "select.tic-filter") : [];
    var searches = id ? controlsFor(root, id, "input.tic-search") : [];
    var counts = id ? controlsFor(root, id, ".tic-count") : [];
    var ncols = headerCells(table).length || (rows[0] ? rows[0].cells.length : 0);

    // 空结果提示行
    var emptyRow = document.createElement("tr");
    emptyRow.className = "tic-empty-row";
    emptyRow.hidden = true;
    var emptyCell = document.createElement("td");
    emptyCell.className = "tic-empty";
    emptyCell.colSpan = Math.max(ncols, 1);
    emptyCell.textContent = "没有符合条件的记录。";
    emptyRow.appendChild(emptyCell);
    body.appendChild(emptyRow);

    // 自动填充只有“全部”一项的筛选框
    selects.forEach(function (sel) {
      var col = parseInt(sel.getAttribute("data-filter-column"), 10);
      if (isNaN(col) || sel.options.length > 1) return;
      var seen = {};
      var values = [];
      rows.forEach(function (r) {
        filterValues(r.cells[col]).forEach(function (v) {
          if (v !== "" && !seen[v]) { seen[v] = true; values.push(v); }
        });
      });
      values.sort(function (a, b) { return compare(a, b, null); });
      if (!sel.options.length) sel.add(new Option("全部", ""));
      values.forEach(function (v) { sel.add(new Option(v, v)); });
    });

    function apply() {
      var terms = [];
      searches.forEach(function (inp) {
        norm(inp.value).toLowerCase().split(" ").forEach(function (t) { if (t) terms.push(t); });
      });
      var filters = [];
      selects.forEach(function (sel) {
        var col = parseInt(sel.getAttribute("data-filter-column"), 10);
        if (!isNaN(col) && sel.value !== "") filters.push([col, norm(sel.value)]);
      });
      var shown = 0;
      rows.forEach(function (r) {
        var ok = filters.every(function (f) {
          return filterValues(r.cells[f[0]]).indexOf(f[1]) !== -1;
        });
        if (ok && terms.length) {
          if (r.__ticText === undefined) {
            r.__ticText = (norm(r.textContent) + " " + (r.getAttribute("data-search") || "")).toLowerCase();
          }
          for (var i = 0; i < terms.length; i++) {
            if (r.__ticText.indexOf(terms[i]) === -1) { ok = false; break; }
          }
        }
        r.hidden = !ok;
        if (ok) shown++;
      });
      emptyRow.hidden = shown !== 0 || total === 0;
      counts.forEach(function (c) {
        var noun = c.getAttribute("data-noun") || "个中心";
        c.textContent = "显示 " + shown + " / 共 " + total + " " + noun;
      });
    }

    // 排序
    var headers = headerCells(table);
    headers.forEach(function (th, col) {
      var type = th.getAttribute("data-sort-type");
      if (type === "none" || th.classList.contains("no-sort") || th.colSpan > 1) return;
      th.setAttribute("role", "columnheader");
      if (!th.hasAttribute("aria-sort")) th.setAttribute("aria-sort", "none");
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "tic-sort";
      while (th.firstChild) btn.appendChild(th.firstChild);
      th.appendChild(btn);
      btn.setAttribute("title", "按此列排序");
      btn.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        headers.forEach(function (h) { if (h.hasAttribute("aria-sort")) h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", dir);
        var sign = dir === "ascending" ? 1 : -1;
        var keyed = rows.map(function (r) { return [sortKey(r.cells[col]), r]; });
        keyed.sort(function (x, y) {
          var a = x[0], b = y[0];
          if (a === "" || b === "") {
            if (a !== b) return a === "" ? 1 : -1;
          } else {
            var c = compare(a, b, type);
            if (c !== 0) return sign * c;
          }
          return x[1].__ticIndex - y[1].__ticIndex;
        });
        var frag = document.createDocumentFragment();
        keyed.forEach(function (k) { frag.appendChild(k[1]); });
        frag.appendChild(emptyRow);
        body.appendChild(frag);
        rows = keyed.map(function (k) { return k[1]; });
      });
    });

    // 筛选与搜索
    selects.forEach(function (sel) { sel.addEventListener("change", apply); });
    searches.forEach(function (inp) {
      inp.addEventListener("input", apply);
      if (!inp.hasAttribute("aria-label") && !(inp.labels && inp.labels.length)) inp.setAttribute("aria-label", "搜索表格");
    });
    counts.forEach(function (c) {
      c.setAttribute("role", "status");
      c.setAttribute("aria-live", "polite");
    });
    try {
      var q = new URLSearchParams(window.location.search).get("q");
      if (q && searches.length && !searches[0].value) searches[0].value = q;
    } catch (e) { /* 旧浏览器：忽略 */ }
    apply();
  }

  function init(root) {
    root = root && root.querySelectorAll ? root : document;
    var tables = root.querySelectorAll("table.tic-table");
    for (var i = 0; i < tables.length; i++) setup(tables[i], root, true);
    // Markdown 表格：<div class="tic-table-host" data-tic-table="ID" markdown> 内的第一个表格
    var hosts = root.querySelectorAll("[data-tic-table]");
    for (var j = 0; j < hosts.length; j++) {
      var t = hosts[j].querySelector("table");
      if (!t) continue;
      if (!t.id) t.id = hosts[j].getAttribute("data-tic-table");
      setup(t, root, false);
    }
  }

  window.ticTables = { init: init, compare: compare };

  if (typeof window.document$ !== "undefined" && window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { init(document); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();
