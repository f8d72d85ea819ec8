/*
 * 忻州市技术创新中心名录 · 可排序、可筛选的表格（无依赖、离线）。
 *
 * 一、普通表格（截止日期、考核评估等）：
 *   <table class="tic-table" id="deadline-list">
 *     <thead><tr><th>名称</th><th data-sort-type="number">年份</th><th data-sort-type="none">备注</th></tr></thead>
 *     <tbody><tr><td data-sort="…" data-filter="…">…</td>…</tr></tbody>
 *   </table>
 *   可选的筛选控件：<select class="tic-filter" data-table="ID" data-filter-column="2">、
 *   <input class="tic-search" data-table="ID">、<p class="tic-count" data-table="ID">。
 *   - 列号 data-filter-column 从 0 开始；单元格的 data-filter（或 data-value）优先于其文字，可用 "|" 分隔多个值。
 *   - 单元格的 data-sort 优先于其文字；两边都是数字时按数值排序，YYYY-MM-DD 按文本排序，
 *     其余按中文（拼音）排序；空值无论升序降序都排在最后。
 *   - 加载时不碰表格的行（大表格在手机上也不卡）：排序、筛选时才读取。
 *
 * 二、中心名录（<table id="center-list" data-rows="rows.json">）：页面只含第一页的行，
 *   全部行在 rows.json（generator/render/site/center_list.py）。读者筛选、排序、翻页时，
 *   或打开的网址带有这些参数时，脚本才下载它，按筛选与排序显示一页（data-page-size 行）。
 *   网址参数：status、location、category、field（值为筛选框中显示的中文）、flag（overdue|revocation）、
 *   q（关键词）、sort（列名，前加 - 为降序：name status category host location rating due field）、page。
 *   每次改变都用 history.replaceState 写回网址，筛选后的网址可以收藏、转发。
 *   行的单元格与 center_rows.html.j2 输出的相同（浏览器测试比较两者）。
 *
 * 兼容 Material 的即时导航：订阅 document$，否则在 DOMContentLoaded 时初始化。
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

  function textCompare(a, b) {
    return collator ? collator.compare(a, b) : (a < b ? -1 : a > b ? 1 : 0);
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
    return textCompare(a, b);
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
    return Array.prototype.slice.call(head.rows[head.rows.length - 1].cells); // 多行表头时以最后一行为准
  }

  /* 把表头单元格的内容放进一个按钮（键盘可用；图标沿用 Material 的 aria-sort 样式）。 */
  function sortButton(th, onClick) {
    th.setAttribute("aria-sort", "none");
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "tic-sort";
    while (th.firstChild) btn.appendChild(th.firstChild);
    th.appendChild(btn);
    btn.setAttribute("title", "按此列排序");
    btn.addEventListener("click", onClick);
    return btn;
  }

  function setCount(counts, shown, total, extra) {
    counts.forEach(function (c) {
      var noun = c.getAttribute("data-noun") || "个中心";
      c.textContent = "显示 " + shown + " / 共 " + total + " " + noun + (extra || "");
    });
  }

  function liveRegion(counts) {
    counts.forEach(function (c) {
      c.setAttribute("role", "status");
      c.setAttribute("aria-live", "polite");
    });
  }

  /* ---------- 一、普通表格 ---------- */

  function setupTable(table, root) {
    var body = table.tBodies[0];
    if (!body) return;
    var id = table.id || "";
    var selects = id ? controlsFor(root, id, "select.tic-filter") : [];
    var searches = id ? controlsFor(root, id, "input.tic-search") : [];
    var counts = id ? controlsFor(root, id, ".tic-count") : [];
    var rows = null; // 第一次排序或筛选时才读取
    var emptyRow = null;

    function allRows() {
      if (rows) return rows;
      rows = Array.prototype.slice.call(body.rows);
      rows.forEach(function (r, i) { r.__ticIndex = i; });
      emptyRow = document.createElement("tr");
      emptyRow.className = "tic-empty-row";
      emptyRow.hidden = true;
      var cell = document.createElement("td");
      cell.className = "tic-empty";
      cell.colSpan = Math.max(headerCells(table).length, 1);
      cell.textContent = "没有符合条件的记录。";
      emptyRow.appendChild(cell);
      body.appendChild(emptyRow);
      return rows;
    }

    function filterValues(cell) {
      if (!cell) return [""];
      var v = cell.getAttribute("data-filter");
      if (v === null) v = cell.getAttribute("data-value");
      if (v === null) return [norm(cell.textContent)];
      return v.split("|").map(norm);
    }

    // 只有“全部”一项的筛选框：按该列的不同取值填充选项
    selects.forEach(function (sel) {
      var col = parseInt(sel.getAttribute("data-filter-column"), 10);
      if (isNaN(col) || sel.options.length > 1) return;
      var seen = {};
      var values = [];
      allRows().forEach(function (r) {
        filterValues(r.cells[col]).forEach(function (v) {
          if (v !== "" && !seen[v]) { seen[v] = true; values.push(v); }
        });
      });
      values.sort(function (a, b) { return compare(a, b, null); });
      if (!sel.options.length) sel.add(new Option("全部", ""));
      values.forEach(function (v) { sel.add(new Option(v, v)); });
    });

    function apply() {
      var list = allRows();
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
      list.forEach(function (r) {
        var ok = filters.every(function (f) { return filterValues(r.cells[f[0]]).indexOf(f[1]) !== -1; });
        if (ok && terms.length) {
          if (r.__ticText === undefined) {
            r.__ticText = (norm(r.textContent) + " " + (r.getAttribute("data-search") || "")).toLowerCase();
          }
          for (var i = 0; i < terms.length; i++) {
            if (r.__ticText.indexOf(terms[i]) === -1) { ok = false; break; }
          }
        }
        if (r.hidden === ok) r.hidden = !ok;
        if (ok) shown++;
      });
      emptyRow.hidden = shown !== 0 || list.length === 0;
      setCount(counts, shown, list.length);
    }

    var headers = headerCells(table);
    headers.forEach(function (th, col) {
      var type = th.getAttribute("data-sort-type");
      if (type === "none" || th.classList.contains("no-sort") || th.colSpan > 1) return;
      sortButton(th, function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        headers.forEach(function (h) { if (h.hasAttribute("aria-sort")) h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", dir);
        var sign = dir === "ascending" ? 1 : -1;
        var keyed = allRows().map(function (r) {
          var cell = r.cells[col];
          var v = cell ? cell.getAttribute("data-sort") : null;
          return [v !== null ? norm(v) : (cell ? norm(cell.textContent) : ""), r];
        });
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

    selects.forEach(function (sel) { sel.addEventListener("change", apply); });
    searches.forEach(function (inp) {
      inp.addEventListener("input", apply);
      if (!inp.hasAttribute("aria-label") && !(inp.labels && inp.labels.length)) inp.setAttribute("aria-label", "搜索表格");
    });
    liveRegion(counts);
    var q = new URLSearchParams(window.location.search).get("q");
    if (q && searches.length && !searches[0].value) searches[0].value = q;
    if (searches.some(function (s) { return s.value; }) || selects.some(function (s) { return s.value; })) apply();
  }

  /* ---------- 二、中心名录 ---------- */

  var PARAMS = ["status", "flag", "category", "location", "field", "q", "sort"];
  var F = { id: 0, name: 1, status: 2, statusText: 3, statusFilter: 4, category: 5, host: 6, location: 7,
    ratingLabel: 8, grade: 9, due: 10, dueTitle: 11, overdue: 12, unknownTitle: 13, field: 14,
    revocation: 15, extra: 16, statusRank: 17, ratingRank: 18 };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var i = 0; attrs && i < attrs.length; i += 2) node.setAttribute(attrs[i], attrs[i + 1]);
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function setupCenterList(table, root) {
    var body = table.tBodies[0];
    var id = table.id;
    var form = controlsFor(root, id, "form.tic-filters")[0];
    var controls = form ? Array.prototype.slice.call(form.querySelectorAll("[data-param]")) : [];
    var counts = controlsFor(root, id, ".tic-count");
    var pagers = controlsFor(root, id, ".tic-pager");
    var pageSize = parseInt(table.getAttribute("data-page-size"), 10) || 100;
    var headers = headerCells(table).filter(function (th) { return th.hasAttribute("data-sort-key"); });
    var data = null;
    var loading = null;
    var ranks = {};
    var page = 1;
    var timer = 0;

    function control(name) {
      return controls.filter(function (c) { return c.getAttribute("data-param") === name; })[0];
    }

    function state() {
      var s = {};
      controls.forEach(function (c) { s[c.getAttribute("data-param")] = norm(c.value); });
      return s;
    }

    function active(s) {
      return PARAMS.some(function (p) { return s[p]; }) || page > 1;
    }

    function load() {
      if (!loading) {
        var url = new URL(table.getAttribute("data-rows"), window.location.href);
        table.setAttribute("aria-busy", "true");
        loading = fetch(url.href).then(function (r) {
          if (!r.ok) throw new Error("rows.json: HTTP " + r.status);
          return r.json();
        }).then(function (d) {
          data = d;
          table.removeAttribute("aria-busy");
          return d;
        });
      }
      return loading;
    }

    function searchText(r) {
      if (r.__q === undefined) {
        var t = data.texts;
        r.__q = [r[F.name], r[F.statusText], t[r[F.category]], r[F.host], data.locations[r[F.location]],
          r[F.ratingLabel], r[F.grade], r[F.dueTitle] >= 0 ? t[r[F.dueTitle]] : "", r[F.due] || "",
          t[r[F.field]], r[F.extra], r[F.revocation] ? "应予撤销" : "", r[F.overdue] ? "已逾期 逾期" : ""]
          .join(" ").toLowerCase();
      }
      return r.__q;
    }

    function matches(s) {
      var t = data.texts;
      var terms = (s.q || "").toLowerCase().split(" ").filter(Boolean);
      return function (r) {
        if (s.status && data.statuses[r[F.status]][1] !== s.status && t[r[F.statusFilter]] !== s.status) return false;
        if (s.flag === "overdue" && !r[F.overdue]) return false;
        if (s.flag === "revocation" && !r[F.revocation]) return false;
        if (s.category && t[r[F.category]] !== s.category) return false;
        if (s.location && data.locations[r[F.location]] !== s.location) return false;
        if (s.field && t[r[F.field]] !== s.field) return false;
        if (terms.length) {
          var text = searchText(r);
          for (var i = 0; i < terms.length; i++) if (text.indexOf(terms[i]) === -1) return false;
        }
        return true;
      };
    }

    /* 每行在某一列上的名次（整数，-1 或 null 为空值）：文字按中文排序，一列只算一次。 */
    function textRank(column, value) {
      if (!ranks[column]) {
        var seen = {};
        var values = [];
        data.rows.forEach(function (r) {
          var v = value(r);
          if (!seen.hasOwnProperty(v)) { seen[v] = 0; values.push(v); }
        });
        values.sort(textCompare);
        values.forEach(function (v, i) { seen[v] = i; });
        ranks[column] = seen;
      }
      return ranks[column];
    }

    function sortKey(column) {
      var t = data.texts;
      var text = function (f) { return function (r) { return t[r[f]]; }; };
      var byText = function (value) {
        var rank = textRank(column, value);
        return function (r) { return rank[value(r)]; };
      };
      switch (column) {
        case "name": return byText(function (r) { return r[F.name]; });
        case "host": return byText(function (r) { return r[F.host]; });
        case "category": return byText(text(F.category));
        case "field": return byText(text(F.field));
        case "status": return function (r) { return r[F.statusRank]; };
        case "location": return function (r) { return r[F.location]; };
        case "rating": return function (r) { return r[F.ratingRank] < 0 ? null : r[F.ratingRank]; };
        case "due": return function (r) { return r[F.due]; };
      }
      return null;
    }

    function ordered(rows, sort) {
      var desc = sort.charAt(0) === "-";
      var key = sortKey(desc ? sort.slice(1) : sort);
      if (!key) return rows;
      var keyed = rows.map(function (r, i) { return [key(r), i, r]; });
      var sign = desc ? -1 : 1;
      keyed.sort(function (x, y) {
        var a = x[0], b = y[0];
        if (a !== b) {
          if (a === null || a === undefined) return 1; // 空值总在最后，升序降序都一样
          if (b === null || b === undefined) return -1;
          return sign * (a < b ? -1 : 1);
        }
        return x[1] - y[1];
      });
      return keyed.map(function (k) { return k[2]; });
    }

    function row(r) {
      var t = data.texts;
      var status = [el("span", ["class", "tic-status status-" + data.statuses[r[F.status]][0], "title", data.statusTitle],
        [r[F.statusText]])];
      if (r[F.revocation]) {
        status.push(" ", el("span", ["class", "tic-flag tic-flag-revocation", "title", r[F.revocation]],
          ["应予撤销", el("small", null, ["（本站推算）"])]));
      }
      var rating = r[F.grade]
        ? [r[F.ratingLabel] + " ", el("span", ["class", "tic-grade grade-" + data.grades[r[F.grade]]], [r[F.grade]])]
        : [];
      var due = [];
      if (r[F.dueTitle] >= 0) {
        due = [t[r[F.dueTitle]] + " ", el("time", ["datetime", r[F.due]], [r[F.due]])];
        if (r[F.overdue]) due.push(" ", el("span", ["class", "tic-flag tic-flag-overdue"], ["已逾期"]));
      } else if (r[F.unknownTitle] >= 0) {
        due = [t[r[F.unknownTitle]] + "：", el("span", ["class", "tic-unknown"], ["记录不足，无法推算"])];
      }
      return el("tr", null, [
        el("td", null, [el("a", ["href", r[F.id] + "/"], [r[F.name]])]),
        el("td", ["data-label", "状态"], status),
        el("td", ["data-label", "类别"], [t[r[F.category]]]),
        el("td", ["data-label", "第一依托单位"], [r[F.host]]),
        el("td", ["data-label", "所在地"], [data.locations[r[F.location]]]),
        el("td", ["data-label", "最近考核"], rating),
        el("td", ["data-label", "下一个期限"], due),
        el("td", ["data-label", "技术领域"], [t[r[F.field]]])
      ]);
    }

    function pagerButton(label, target, pages, disabled) {
      var b = el("button", ["type", "button", "class", "tic-page"], [label]);
      b.disabled = disabled;
      b.addEventListener("click", function () {
        page = Math.min(Math.max(target, 1), pages);
        update(false);
        table.scrollIntoView({ block: "start" });
      });
      return b;
    }

    function render(s) {
      var shown = ordered(data.rows.filter(matches(s)), s.sort || "");
      var pages = Math.max(1, Math.ceil(shown.length / pageSize));
      page = Math.min(page, pages);
      var frag = document.createDocumentFragment();
      shown.slice((page - 1) * pageSize, page * pageSize).forEach(function (r) { frag.appendChild(row(r)); });
      if (!shown.length) {
        frag.appendChild(el("tr", ["class", "tic-empty-row"],
          [el("td", ["class", "tic-empty", "colspan", String(headers.length || 8)], ["没有符合条件的中心。"])]));
      }
      body.replaceChildren(frag);
      table.setAttribute("data-view", window.location.search); // 显示的是这个网址的结果（测试据此等待）
      setCount(counts, shown.length, data.rows.length, pages > 1 ? "，第 " + page + " / " + pages + " 页" : "");
      pagers.forEach(function (nav) {
        nav.replaceChildren();
        if (pages < 2) return;
        nav.append(pagerButton("上一页", page - 1, pages, page === 1), " ",
          el("span", ["class", "tic-pager-pos"], ["第 " + page + " / " + pages + " 页"]), " ",
          pagerButton("下一页", page + 1, pages, page === pages));
      });
    }

    function showSort(sort) {
      var desc = sort.charAt(0) === "-";
      var key = desc ? sort.slice(1) : sort;
      headers.forEach(function (th) {
        th.setAttribute("aria-sort", th.getAttribute("data-sort-key") === key ? (desc ? "descending" : "ascending") : "none");
      });
    }

    function writeUrl(s) {
      var params = new URLSearchParams(window.location.search);
      PARAMS.forEach(function (p) { if (s[p]) params.set(p, s[p]); else params.delete(p); });
      if (page > 1) params.set("page", String(page)); else params.delete("page");
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        history.replaceState(history.state, "", url);
      }
    }

    function update(resetPage) {
      if (resetPage) page = 1;
      var s = state();
      showSort(s.sort || "");
      writeUrl(s);
      if (!data && !active(s)) return; // 第一页的默认顺序：页面里已经有了
      load().then(function () { render(state()); }).catch(function (e) {
        counts.forEach(function (c) { c.textContent = "未能载入全部中心（" + e.message + "），请刷新页面或下载上面的数据文件。"; });
      });
    }

    headers.forEach(function (th) {
      var key = th.getAttribute("data-sort-key");
      sortButton(th, function () {
        var sel = control("sort");
        if (!sel) return;
        sel.value = sel.value === key ? "-" + key : key;
        update(true);
      });
    });
    controls.forEach(function (c) {
      if (c.tagName === "INPUT") {
        c.addEventListener("input", function () {
          clearTimeout(timer);
          timer = setTimeout(function () { update(true); }, 150);
        });
      } else {
        c.addEventListener("change", function () { update(true); });
      }
      // 读者开始操作时就在后台下载全部行，选定时多半已经到了
      c.addEventListener("focus", function () { if (!data) load().catch(function () {}); });
    });
    liveRegion(counts);

    // 从网址恢复筛选与排序
    var params = new URLSearchParams(window.location.search);
    controls.forEach(function (c) {
      var v = params.get(c.getAttribute("data-param"));
      if (v === null) return;
      if (c.tagName === "SELECT" && !Array.prototype.some.call(c.options, function (o) { return o.value === v; })) return;
      c.value = v;
    });
    page = Math.max(1, parseInt(params.get("page"), 10) || 1);
    update(false);
  }

  function init(root) {
    root = root && root.querySelectorAll ? root : document;
    var tables = root.querySelectorAll("table.tic-table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      if (table.getAttribute("data-tic-ready") === "1") continue;
      table.setAttribute("data-tic-ready", "1");
      if (table.hasAttribute("data-rows")) setupCenterList(table, root);
      else setupTable(table, root);
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
