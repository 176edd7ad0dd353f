// Wagtail autosaves an editing form half a second after each change. On a new
// page the first autosave creates the page and points the form at its edit
// view; a save or publish clicked before that answer arrives would post to the
// create view again and leave a second page beside the first (and on an
// existing page, race the autosave's revision). So the editor's own submit
// waits until the autosave in flight has answered, and no autosave starts
// once the form is on its way.
(() => {
  "use strict";

  const guard = (form) => {
    let saving = false;
    let held = false;
    let timeout = null;

    form.addEventListener("w-autosave:save", (event) => {
      if (!event.defaultPrevented) saving = true;
    });
    const settled = () => {
      saving = false;
      if (held) {
        held = false;
        clearTimeout(timeout);
        form.requestSubmit();
      }
    };
    form.addEventListener("w-autosave:success", settled);
    form.addEventListener("w-autosave:error", settled);

    // Capturing, so that it runs before Wagtail's own submit handlers.
    form.addEventListener(
      "submit",
      (event) => {
        const submitter = event.submitter;
        if (submitter && submitter.hasAttribute("formaction")) return;
        if (saving) {
          event.preventDefault();
          event.stopImmediatePropagation();
          // The button is disabled while it shows its progress, and a disabled
          // submitter sends no value: carry which action it was.
          if (submitter && submitter.name) {
            const action = document.createElement("input");
            action.type = "hidden";
            action.name = submitter.name;
            action.value = submitter.value;
            form.append(action);
          }
          held = true;
          // An autosave that never answers must not keep the editor's own save waiting.
          timeout = setTimeout(settled, 10000);
        }
      },
      true,
    );
    // Last, once no other handler has stopped the submit (a dialog that asks first, say).
    document.addEventListener("submit", (event) => {
      if (event.target === form && !event.defaultPrevented) {
        form.setAttribute("data-w-autosave-active-value", "false");
      }
    });
  };

  // The admin puts its scripts before the form; this one is deferred.
  document.querySelectorAll('form[data-controller~="w-autosave"]').forEach(guard);
})();
