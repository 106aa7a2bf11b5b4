// On a phone the main navigation folds behind a "Menu" button, so the page's own
// content starts near the top of the screen. Without this script (or on wide screens)
// every link simply stays visible.
(function () {
  "use strict";
  var toggle = document.querySelector(".nav-toggle");
  var nav = document.getElementById("main-nav");
  if (!toggle || !nav) { return; }
  toggle.hidden = false;
  nav.classList.add("collapsible");
  // Unread notifications stay in sight on the button while the menu is folded.
  var count = nav.querySelector(".nav-count");
  if (count) {
    toggle.appendChild(document.createTextNode(" "));
    toggle.appendChild(count.cloneNode(true));
  }
  function setOpen(isOpen) {
    toggle.setAttribute("aria-expanded", String(isOpen));
    nav.classList.toggle("open", isOpen);
  }
  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  // Esc closes the open menu and gives the focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true") { return; }
    setOpen(false);
    toggle.focus();
  });
})();
