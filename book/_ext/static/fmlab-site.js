// fmlab: small fixes to the theme's behaviour; added to every page (deferred) by
// book/_ext/fmlab_reading.py. tests/browser/test_reading.py checks each of them.
(function () {
  "use strict";

  // 1. The sidebar toggles. pydata-sphinx-theme 0.17 binds its "open the navigation"
  // handler to the FIRST .primary-toggle (and .secondary-toggle) in the page, and under
  // sphinx-book-theme that first one sits in the hidden site header, so the visible
  // buttons in the article header do nothing below 992 px (pydata/pydata-sphinx-theme#2451,
  // executablebooks/sphinx-book-theme#988). This script is deferred in <head>, so it runs
  // before the theme's own (deferred, end of <body>) scripts look the buttons up: dropping
  // the hidden duplicates makes the visible ones the first, and the theme binds to them.
  document
    .querySelectorAll("#pst-header .primary-toggle, #pst-header .secondary-toggle")
    .forEach(function (hidden) {
      hidden.remove();
    });
  // The remaining toggles get a name a screen reader can say (they are icon-only).
  var toggleNames = {
    "primary-toggle": "Site navigation",
    "secondary-toggle": "On this page",
  };
  Object.keys(toggleNames).forEach(function (cls) {
    document.querySelectorAll("." + cls).forEach(function (button) {
      if (!button.getAttribute("aria-label")) {
        button.setAttribute("aria-label", toggleNames[cls]);
      }
    });
  });

  // 2. Scroll boxes a keyboard can reach and a screen reader can name. The theme gives a
  // scrolling <pre> or table box tabindex=0 but no name; a named group is announced as
  // "Code, group" instead of nothing.
  var SCROLLERS = [
    ["pre", "Code"],
    [".cell_output > .output", "Output"],
    [".pst-scrollable-table-container", "Table"],
    [".fmlab-scroll", "Table"],
    [".fmlab-drawing", "Drawing"],
    [".widget-html-content", "Drawing"],
    // A notebook's own scroll box (style="overflow:auto" in its HTML output or widget).
    ["[style*='overflow']", "Drawing"],
    ["mjx-container[display='true']", "Formula"],
  ];

  function kindOf(element, fallback) {
    if (element.tagName === "PRE" && element.closest(".cell_output, .output")) {
      return "Output";
    }
    if (fallback === "Drawing" && !element.querySelector("svg, img")) {
      return element.querySelector("table") ? "Table" : "Output";
    }
    return fallback;
  }

  function labelScrollers() {
    var article = document.querySelector("article.bd-article");
    if (!article) {
      return;
    }
    SCROLLERS.forEach(function (pair) {
      article.querySelectorAll(pair[0]).forEach(function (element) {
        var scrolls =
          element.scrollWidth > element.clientWidth + 1 ||
          element.scrollHeight > element.clientHeight + 1;
        if (!scrolls) {
          return;
        }
        element.tabIndex = 0;
        if (!element.getAttribute("role")) {
          element.setAttribute("role", "group");
        }
        if (!element.getAttribute("aria-label") && !element.getAttribute("aria-labelledby")) {
          var caption = element.querySelector("caption");
          var name = kindOf(element, pair[1]);
          if (caption && caption.textContent.trim()) {
            name += ": " + caption.textContent.trim();
          }
          element.setAttribute("aria-label", name + " (scrolls)");
        }
      });
    });
  }

  // 3. Gallery tabs on paper: each panel carries its tab's title so print CSS can show it.
  function titleTabPanels() {
    document.querySelectorAll(".widget-tab").forEach(function (tabs) {
      var titles = tabs.querySelectorAll(".lm-TabBar-tab .lm-TabBar-tabLabel");
      var panels = tabs.querySelectorAll(".widget-tab-contents > .lm-Widget");
      panels.forEach(function (panel, index) {
        if (titles[index]) {
          panel.setAttribute("data-fmlab-title", titles[index].textContent.trim());
        }
      });
    });
  }

  var timer = null;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      labelScrollers();
      titleTabPanels();
    }, 200);
  }
  window.addEventListener("load", function () {
    labelScrollers();
    titleTabPanels();
    // Widgets and MathJax render after load, and a tab shows its panel by changing a
    // class: label what appears. (Only childList and class changes: the attributes this
    // script sets do not wake it again.)
    var main = document.getElementById("main-content");
    if (main) {
      new MutationObserver(later).observe(main, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ["class"],
      });
    }
  });
  window.addEventListener("resize", later);
  window.addEventListener("beforeprint", titleTabPanels);
})();
