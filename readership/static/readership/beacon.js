// Count a read once the page is shown: the page itself may come from a cache,
// so the count is a separate request. Readers without JavaScript load the
// <noscript> pixel instead.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-view-beacon]").forEach(function (element) {
    var url = element.getAttribute("data-view-beacon");
    if (navigator.sendBeacon) {
      navigator.sendBeacon(url);
    } else {
      fetch(url, { method: "POST", keepalive: true, credentials: "omit" });
    }
  });
});
