// Live coverage: ask every 15 seconds (less often while the tab is hidden) whether entries went out
// since the newest one shown; offer them behind a button rather than moving the text being read.
// Entries already shown that changed since (an edit, a correction note, a pin) are replaced in place.
(function () {
  "use strict";
  var box = document.querySelector(".live-updates[data-updates]");
  var list = document.querySelector(".live-entries__list");
  if (!box || !list || !window.fetch) return;
  var button = box.querySelector(".live-updates__button");
  var VISIBLE_DELAY = 15000;
  var HIDDEN_DELAY = 60000;
  var MAX_DELAY = 300000;
  var failures = 0;
  var pending = null;
  var timer = null;
  var closed = false;

  function delay() {
    var base = document.hidden ? HIDDEN_DELAY : VISIBLE_DELAY;
    return Math.min(base * Math.pow(2, failures), MAX_DELAY);
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(poll, delay());
  }

  function poll() {
    var url =
      box.dataset.updates +
      "?after=" + encodeURIComponent(box.dataset.after || "") +
      "&since=" + encodeURIComponent(box.dataset.version || "");
    fetch(url, { credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        if (data.changed && data.changed.length) {
          data.changed.forEach(replaceEntry);
          replaceKeyEvents(data.key_events);
        }
        if (data.version) box.dataset.version = data.version;
        if (data.count > 0) {
          pending = data;
          button.textContent = data.label;
          button.hidden = false;
        }
        closed = !data.open;
        if (!closed) schedule();
      })
      .catch(function () {
        failures += 1;
        schedule();
      });
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  function replaceEntry(change) {
    var shown = document.getElementById("entry-" + change.id);
    if (shown) shown.replaceWith(fragment(change.html));
  }

  function replaceKeyEvents(html) {
    if (typeof html !== "string") return;
    var shown = document.querySelector(".live-key-events");
    var fresh = fragment(html);
    if (shown) shown.replaceWith(fresh);
    else if (fresh.firstElementChild) list.closest(".live-entries").before(fresh);
  }

  button.addEventListener("click", function () {
    if (!pending) return;
    var empty = list.querySelector(".live-entries__empty");
    if (empty) empty.remove();
    var template = document.createElement("template");
    template.innerHTML = pending.html;
    // Entries already shown (posted between the page's render and the first answer) are not repeated.
    template.content.querySelectorAll("[data-entry]").forEach(function (entry) {
      if (document.getElementById(entry.id)) entry.remove();
    });
    list.prepend(template.content);
    replaceKeyEvents(pending.key_events);
    box.dataset.after = pending.latest;
    pending = null;
    button.hidden = true;
    if (!closed) schedule();
  });

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && !closed) {
      clearTimeout(timer);
      poll();
    }
  });

  schedule();
})();
