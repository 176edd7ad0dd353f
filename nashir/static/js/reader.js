/* The reader's aids: light or dark, and copying the article's links.
 *
 * Loaded in <head> without defer, so the chosen theme is on <html> before the page is
 * drawn. The choice stays in this browser (localStorage), never in a cookie: the HTML
 * is the same for every reader and the page cache can keep serving one copy. Without
 * JavaScript, the system's light or dark setting applies (nashir.css) and the buttons
 * stay hidden; the links and the short link's field work as they are.
 */
(function () {
  "use strict";
  var KEY = "nashir-theme";
  var root = document.documentElement;
  var darkSystem = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return value === "light" || value === "dark" ? value : null;
    } catch (error) {
      return null; // storage refused (privacy settings): the system's choice applies
    }
  }

  function current() {
    return root.getAttribute("data-theme") || (darkSystem && darkSystem.matches ? "dark" : "light");
  }

  var chosen = stored();
  if (chosen) {
    root.setAttribute("data-theme", chosen);
  }

  function setUpThemeToggle(button) {
    function show() {
      button.setAttribute("aria-pressed", current() === "dark" ? "true" : "false");
    }
    button.addEventListener("click", function () {
      var next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try {
        window.localStorage.setItem(KEY, next);
      } catch (error) {
        // Not remembered, but this page still changes.
      }
      show();
    });
    if (darkSystem && darkSystem.addEventListener) {
      darkSystem.addEventListener("change", show);
    }
    show();
    button.hidden = false;
  }

  function setUpCopy(button) {
    if (!navigator.clipboard || !window.isSecureContext) {
      return; // no clipboard here: the link stays there to select and copy by hand
    }
    var status = document.getElementById(button.getAttribute("data-status"));
    button.addEventListener("click", function () {
      var source = button.getAttribute("data-copy-from");
      var text = source ? document.getElementById(source).value : button.getAttribute("data-copy-text");
      navigator.clipboard.writeText(text).then(
        function () {
          if (status) {
            status.textContent = button.getAttribute("data-copied");
          }
        },
        function () {
          if (source) {
            document.getElementById(source).select();
          }
        }
      );
    });
    button.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var toggles = document.querySelectorAll("[data-theme-toggle]");
    for (var i = 0; i < toggles.length; i++) {
      setUpThemeToggle(toggles[i]);
    }
    var copies = document.querySelectorAll("[data-copy-text], [data-copy-from]");
    for (var j = 0; j < copies.length; j++) {
      setUpCopy(copies[j]);
    }
  });
})();
