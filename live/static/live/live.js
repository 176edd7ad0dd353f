// Live coverage: ask every 15 seconds (less often while the tab is hidden) whether entries went out
// since the newest one shown; offer them behind a button rather than moving the text being read.
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
    var url = box.dataset.updates + "?after=" + encodeURIComponent(box.dataset.after || "");
    fetch(url, { credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        failures = 0;
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
