// 智报编辑台：保存状态、错误提示、文本框自适应高度、复制公众号版。
// No inline scripts anywhere (the pages' Content-Security-Policy forbids them).
(function () {
  "use strict";

  function flash(message) {
    var box = document.getElementById("flash");
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
    clearTimeout(flash.timer);
    flash.timer = setTimeout(function () { box.hidden = true; }, 6000);
  }

  function autosize(el) {
    el.style.height = "auto";
    el.style.height = el.scrollHeight + 2 + "px";
  }

  function autosizeAll(root) {
    (root || document).querySelectorAll("textarea.autosize").forEach(autosize);
  }

  document.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("textarea.autosize")) autosize(e.target);
  });

  document.addEventListener("DOMContentLoaded", function () { autosizeAll(document); });

  document.addEventListener("htmx:afterSwap", function (e) { autosizeAll(e.target); });

  document.addEventListener("htmx:beforeRequest", function (e) {
    var el = e.detail.elt;
    if (el.matches("textarea, input.heading, form.judgment")) {
      var state = el.matches("form") ? el.querySelector(".save-state") : el.nextElementSibling;
      if (state && state.classList.contains("save-state")) {
        state.setAttribute("data-busy", "保存中…");
      }
    }
  });

  document.addEventListener("htmx:afterRequest", function (e) {
    document.querySelectorAll(".save-state[data-busy]").forEach(function (s) {
      s.removeAttribute("data-busy");
    });
  });

  // A save on a version someone else has changed since: the server answers 409 with the
  // conflict view and HX-Retarget; show it instead of treating it as an error.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr;
    if (xhr && xhr.status === 409 && xhr.getResponseHeader("HX-Retarget")) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSwap", function (e) {
    var panel = e.target.querySelector && e.target.querySelector(".conflict-panel");
    if (panel) panel.scrollIntoView({ block: "start" });
  });

  // The phone menu: a button opens and closes the navigation.
  document.addEventListener("click", function (e) {
    var toggle = e.target.closest && e.target.closest(".menu-toggle");
    if (!toggle) return;
    var bar = toggle.closest(".topbar");
    var open = bar.classList.toggle("menu-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });

  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr;
    var text = (xhr && xhr.responseText) || "请求失败";
    flash(xhr && xhr.status === 401 ? "登录已过期，请重新登录；输入框中的文字仍在，请先复制保存。" : text);
  });

  document.addEventListener("htmx:sendError", function () {
    flash("网络中断，未能保存；输入框中的文字仍在，恢复连接后再改动一次即会保存。");
  });

  document.addEventListener("click", function (e) {
    var button = e.target.closest("#copy-wechat");
    if (!button) return;
    var html = document.getElementById(button.getAttribute("data-source")).value;
    var done = function () { flash("已复制，可粘贴到公众号编辑器"); };
    if (window.ClipboardItem && navigator.clipboard && navigator.clipboard.write) {
      var item = new ClipboardItem({
        "text/html": new Blob([html], { type: "text/html" }),
        "text/plain": new Blob([html], { type: "text/plain" })
      });
      navigator.clipboard.write([item]).then(done, function () {
        navigator.clipboard.writeText(html).then(done, function () { flash("复制失败：请下载文件后手动复制"); });
      });
    } else if (navigator.clipboard) {
      navigator.clipboard.writeText(html).then(done, function () { flash("复制失败：请下载文件后手动复制"); });
    }
  });
})();
