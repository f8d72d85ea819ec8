/* 搜索结果的“缺少”提示：只列出结果中确实没有的词。
 *
 * Material for MkDocs（9.x）把中文查询按索引中的词切开后，给除最后一个以外的每个词多加了一个“*”
 * （如“示例**”），再拿“示例*”去比对命中的词，于是每个多词的中文查询都在结果下显示“缺少: 示例* …”，
 * 即使该结果的标题和正文里明明有这个词。这里在结果显示出来之后复查每个被标为“缺少”的词：
 * 去掉末尾的“*”后，如果结果的标题或正文里有它，就不再列为缺少；一个也不缺时去掉整行提示。
 * 只读写搜索结果里 Material 生成的元素，不改变搜索本身和排序。
 */
(function () {
  "use strict";

  function plain(text) {
    return text.replace(/[\u200b\u200c\u200d\u2060\ufeff]/g, "").toLowerCase();
  }

  function recheck(terms) {
    var article = terms.closest("article");
    if (!article) return;
    var shown = "";
    for (var i = 0; i < article.childNodes.length; i++) {
      var node = article.childNodes[i];
      if (node !== terms) shown += " " + node.textContent;
    }
    shown = plain(shown);
    var missing = terms.querySelectorAll("del");
    var left = 0;
    for (var j = 0; j < missing.length; j++) {
      var term = plain(missing[j].textContent).replace(/\*+$/, "");
      if (term && shown.indexOf(term) !== -1) {
        var gap = missing[j].nextSibling;
        if (gap && gap.nodeType === 3 && !gap.textContent.trim()) gap.remove();
        missing[j].remove();
      } else {
        missing[j].textContent = term || missing[j].textContent;
        left++;
      }
    }
    if (!left) terms.remove();
  }

  function scan(root) {
    if (root.nodeType !== 1) return;
    if (root.matches(".md-search-result__terms")) recheck(root);
    else root.querySelectorAll(".md-search-result__terms").forEach(recheck);
  }

  function start() {
    var list = document.querySelector(".md-search-result__list");
    if (!list) return;
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(scan);
      });
    }).observe(list, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
