// The rule-set editor, enhanced: choosing a kind (or the records a rule reads) shows its
// fields at once. Without this script the "Show its fields" button does the same.
(function () {
  "use strict";
  function resubmit(select) {
    var form = select.form;
    var choose = form.querySelector("button.re-choose");
    if (choose) { choose.click(); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select.re-kind-select, select#f-records").forEach(function (select) {
      select.addEventListener("change", function () { resubmit(select); });
    });
    document.querySelectorAll("button.re-choose").forEach(function (button) {
      button.classList.add("visually-hidden");
    });
  });
})();
