/* Material wraps each code block's buttons in a <nav> without a name; with several
   blocks on a page, screen readers list identical "navigation" landmarks. Name each
   one after its block. Watches the page, so it also covers instant navigation. */
(function () {
  "use strict";

  function labelCodeNavs() {
    var navs = document.querySelectorAll(".md-code__nav:not([aria-label])");
    navs.forEach(function (nav) {
      var block = nav.closest(".highlight");
      var title = block && block.querySelector(".filename");
      var all = Array.prototype.indexOf.call(document.querySelectorAll(".md-code__nav"), nav) + 1;
      nav.setAttribute("aria-label", "Code block " + all + (title ? ": " + title.textContent.trim() : "") + " actions");
    });
  }

  new MutationObserver(labelCodeNavs).observe(document.documentElement, { childList: true, subtree: true });
  labelCodeNavs();
})();
