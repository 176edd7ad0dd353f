/* The breaking-news bar, on every public page.
 *
 * Pages are stored whole and served to every reader alike, so the bar is not in
 * their HTML: this script asks /breaking.json (no query on the server, kept 5 s
 * by a CDN) when the page loads and every minute while it is open, and draws
 * the bar at the top of the page. A reader who hides a bar does not see that bar
 * again in this tab (sessionStorage, per bar); a new bar shows. Without
 * JavaScript there is no bar.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var ENDPOINT = "/breaking.json";
  var EVERY_MS = 60000;
  var shownId = null;
  var expiryTimer = null;

  function dismissedKey(id) {
    return "nashir-breaking-hidden-" + id;
  }

  function isDismissed(id) {
    try {
      return window.sessionStorage.getItem(dismissedKey(id)) === "1";
    } catch (error) {
      return false; // storage refused: the bar shows until the reader hides it on this page
    }
  }

  function remember(id) {
    try {
      window.sessionStorage.setItem(dismissedKey(id), "1");
    } catch (error) {
      /* storage refused: hidden on this page only */
    }
  }

  function stylesheet() {
    var href = script && script.getAttribute("data-css");
    if (!href || document.querySelector("link[data-breaking-css]")) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.setAttribute("data-breaking-css", "");
    document.head.appendChild(link);
  }

  function remove() {
    var bar = document.getElementById("breaking-bar");
    if (bar) bar.parentNode.removeChild(bar);
    shownId = null;
    if (expiryTimer) window.clearTimeout(expiryTimer);
    expiryTimer = null;
  }

  function render(banner) {
    remove();
    stylesheet();
    var bar = document.createElement("div");
    bar.id = "breaking-bar";
    bar.className = "breaking-bar";
    bar.setAttribute("role", "region");
    bar.setAttribute("aria-label", banner.label);
    bar.setAttribute("data-banner-id", String(banner.id));

    var label = document.createElement("strong");
    label.className = "breaking-bar__label";
    label.textContent = banner.label;
    bar.appendChild(label);

    var text = document.createElement(banner.url ? "a" : "span");
    text.className = "breaking-bar__text";
    text.textContent = banner.text;
    if (banner.url) text.href = banner.url;
    bar.appendChild(text);

    var dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "breaking-bar__dismiss";
    dismiss.setAttribute("aria-label", banner.dismiss);
    dismiss.title = banner.dismiss;
    dismiss.textContent = "×";
    dismiss.addEventListener("click", function () {
      remember(banner.id);
      remove();
    });
    bar.appendChild(dismiss);

    var skip = document.querySelector(".skip-link");
    document.body.insertBefore(bar, skip ? skip.nextSibling : document.body.firstChild);
    shownId = banner.id;
    // Gone when it expires even if the page is not asked again before then.
    var left = banner.expires_at * 1000 - Date.now();
    expiryTimer = window.setTimeout(remove, Math.max(left, 0));
  }

  function show(banner) {
    // Past its expiry by this browser's clock too: a server whose clock is behind must not bring it back.
    if (!banner || isDismissed(banner.id) || banner.expires_at * 1000 <= Date.now()) {
      remove();
    } else if (banner.id !== shownId) {
      render(banner);
    }
  }

  function refresh() {
    window
      .fetch(ENDPOINT, { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) show(data.banner);
      })
      .catch(function () {
        /* offline or the server is busy: keep what is shown, try again in a minute */
      });
  }

  function start() {
    if (!window.fetch) return;
    refresh();
    window.setInterval(refresh, EVERY_MS);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
