// An embed's provider HTML waits in an inert <template> until the reader asks
// for it (news/embeds.py): only then does the browser contact the provider.
// Without JavaScript the button stays hidden and the link opens the provider.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-embed-load]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var figure = button.closest(".embed");
      var content = figure.querySelector("template.embed__content").content.cloneNode(true);
      var frame = content.querySelector("iframe");
      figure.querySelector(".embed__placeholder").replaceWith(content);
      if (frame) {
        frame.focus();
      }
    });
  });
});
