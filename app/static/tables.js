// A table wider than the screen scrolls sideways inside its .table-wrap. When it does,
// the wrapper becomes a labelled, focusable region (so keyboard users can scroll it too)
// and a hint above it says there is more to the right. Without this script the table
// still scrolls; only the hint and the keyboard stop are missing.
(function () {
  "use strict";
  var hintText = document.body.getAttribute("data-table-hint") || "Scroll sideways to see every column.";

  function labelFor(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    var heading = wrap.closest("section, article, main");
    heading = heading && heading.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : document.title;
  }

  function update(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    var hint = wrap.previousElementSibling;
    var hasHint = hint && hint.classList.contains("table-hint");
    wrap.classList.toggle("is-scrollable", scrolls);
    if (scrolls) {
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      if (!wrap.hasAttribute("aria-label")) { wrap.setAttribute("aria-label", labelFor(wrap)); }
      if (!hasHint) {
        hint = document.createElement("p");
        hint.className = "table-hint";
        hint.textContent = hintText;
        wrap.parentNode.insertBefore(hint, wrap);
      }
    } else {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      if (hasHint) { hint.remove(); }
    }
  }

  var wraps = Array.prototype.slice.call(document.querySelectorAll(".table-wrap"));
  function updateAll() { wraps.forEach(update); }
  updateAll();
  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) { window.cancelAnimationFrame(pending); }
    pending = window.requestAnimationFrame(updateAll);
  });
})();
