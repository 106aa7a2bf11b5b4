// Actions that cannot be undone (submitting, accepting, signing, revoking, issuing) carry a
// "this is final" tick (macros/forms.html final_confirm), which the server requires. With this
// script the tick is hidden and a modal dialog asks instead, naming the button pressed; Enter
// or the confirm button ticks the box and sends the form, Esc or Cancel leaves it untouched.
(function () {
  "use strict";
  var dialog = null;

  function buildDialog() {
    var box = document.createElement("dialog");
    box.className = "confirm-dialog";
    box.setAttribute("aria-labelledby", "confirm-dialog-title");
    box.setAttribute("aria-describedby", "confirm-dialog-text");
    var title = document.createElement("h2");
    title.id = "confirm-dialog-title";
    var text = document.createElement("p");
    text.id = "confirm-dialog-text";
    var actions = document.createElement("div");
    actions.className = "actions";
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "button secondary";
    cancel.dataset.role = "cancel";
    var ok = document.createElement("button");
    ok.type = "button";
    ok.className = "button";
    ok.dataset.role = "confirm";
    actions.appendChild(cancel);
    actions.appendChild(ok);
    box.appendChild(title);
    box.appendChild(text);
    box.appendChild(actions);
    document.body.appendChild(box);
    cancel.addEventListener("click", function () { box.close("cancel"); });
    ok.addEventListener("click", function () { box.close("confirm"); });
    return box;
  }

  function needsConfirmation(block, submitter) {
    var names = (block.dataset.finalButtons || "").trim();
    if (!names) { return true; }
    return !!submitter && names.split(/\s+/).indexOf(submitter.name) !== -1;
  }

  function ask(form, block, submitter) {
    dialog = dialog || buildDialog();
    var box = block.querySelector("input[type=checkbox]");
    var label = block.querySelector("label");
    dialog.querySelector("h2").textContent = block.dataset.title;
    dialog.querySelector("p").textContent = label ? label.textContent.trim() : "";
    dialog.querySelector("[data-role=cancel]").textContent = block.dataset.cancel;
    dialog.querySelector("[data-role=confirm]").textContent =
      submitter ? (submitter.value && submitter.tagName === "INPUT" ? submitter.value : submitter.textContent.trim()) : "OK";
    dialog.returnValue = "";
    dialog.onclose = function () {
      if (dialog.returnValue === "confirm") {
        box.checked = true;
        if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
      } else if (submitter) {
        submitter.focus();
      }
    };
    dialog.showModal();
    dialog.querySelector("[data-role=cancel]").focus();
  }

  document.querySelectorAll(".final-confirm").forEach(function (block) {
    var form = block.closest("form");
    var box = block.querySelector("input[type=checkbox]");
    if (!form || !box || typeof HTMLDialogElement !== "function") { return; }
    // A refused submission shows the box with its error: leave it in sight then.
    // Hidden, it starts unticked, so that every final press is asked about (a page sent
    // back with another field's error keeps the earlier tick otherwise).
    if (!block.querySelector(".errors")) { block.hidden = true; box.checked = false; }
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter || null;
      if (box.checked || !needsConfirmation(block, submitter)) { return; }
      event.preventDefault();
      ask(form, block, submitter);
    });
  });
  // Bound: browser journeys wait for this before pressing a final button.
  document.documentElement.setAttribute("data-final-confirm-ready", "");
})();
