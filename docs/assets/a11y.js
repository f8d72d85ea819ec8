/*
 * 忻州市技术创新中心名录 · 可访问性的小修补（无依赖、离线）。
 *
 * 横向滚动的表格框（Material 包在表格外的 .md-typeset__scrollwrap、生成器的 .tic-table-wrap）
 * 在窄屏上可以滚动，但框内若没有可聚焦的元素，只用键盘的读者就无法滚动它（WCAG 2.1.1，
 * axe 规则 scrollable-region-focusable）。这里让确实溢出的框可以用 Tab 聚焦（之后用方向键滚动），
 * 并给它一个可读的名称；不溢出的框不加入 Tab 顺序。
 * 兼容 Material 的即时导航（订阅 document$），窗口大小改变时重新判断。
 *
 * Material 的搜索框是没有名称的 role="dialog"：这里给它名称“搜索”。
 *
 * 窄屏上打开导航抽屉和搜索框的是页眉里的 <label for="__drawer|__search">：标签不在 Tab 顺序里，
 * 键盘无法操作。这里把它们变成可聚焦的按钮（Material 对获得焦点的标签响应 Enter，这里补上空格键）；抽屉与搜索框关闭时由 site.css
 * 移出 Tab 顺序，免得焦点落在屏幕外看不见的链接上。
 */
(function () {
  "use strict";

  var SELECTOR = ".md-typeset__scrollwrap, .tic-table-wrap";

  function label(box) {
    var table = box.querySelector("table");
    var caption = table && table.caption ? table.caption.textContent.trim() : "";
    return caption ? "表格：" + caption + "（可横向滚动）" : "表格（可横向滚动）";
  }

  function update() {
    // A box inside a closed <details> is not laid out: measuring it would make the browser lay
    // out each one alone (on the ratings page, eighteen layouts); it is measured when opened.
    var boxes = Array.prototype.filter.call(document.querySelectorAll(SELECTOR), function (box) {
      return !box.closest("details:not([open])");
    });
    // All reads first, then all writes: a read after a write lays the page out again.
    var scrolls = boxes.map(function (box) {
      // 外层 .tic-table-wrap 里若还有 Material 的滚动框，只处理真正滚动的那一层。
      return box.scrollWidth > box.clientWidth + 1;
    });
    for (var j = 0; j < boxes.length; j++) {
      var box = boxes[j];
      if (scrolls[j] && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", label(box));
        box.setAttribute("data-tic-scroll-focus", "");
      } else if (!scrolls[j] && box.hasAttribute("data-tic-scroll-focus")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        box.removeAttribute("data-tic-scroll-focus");
      }
    }
  }

  var TOGGLES = { __drawer: "打开导航菜单", __search: "搜索" };

  function toggleButtons() {
    var labels = document.querySelectorAll("label.md-header__button[for]");
    for (var i = 0; i < labels.length; i++) {
      var lab = labels[i];
      var name = TOGGLES[lab.getAttribute("for")];
      if (!name || lab.hasAttribute("tabindex")) continue;
      lab.setAttribute("tabindex", "0");
      lab.setAttribute("role", "button");
      lab.setAttribute("aria-label", name);
      // Material already clicks a focused <label> on Enter; a button also answers the space bar.
      lab.addEventListener("keydown", function (ev) {
        if (ev.key !== " ") return;
        ev.preventDefault();
        this.click();
      });
    }
  }

  // Material's search box is a role="dialog" without a name (axe: aria-dialog-name).
  function nameSearchDialog() {
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "搜索");
  }

  var timer = null;
  function later() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(update, 100);
  }

  toggleButtons();  // the header survives instant navigation
  nameSearchDialog();
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(update);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  window.addEventListener("resize", later);
  // "toggle" does not bubble: listen in the capture phase for every <details> on the page.
  document.addEventListener("toggle", function (ev) {
    if (ev.target.open) update();
  }, true);
})();
