// The progress page of a job: polls its JSON status and moves the bar, then shows the
// download link. Without this script the page reloads itself (a <noscript> refresh).
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status]");
  if (!box) { return; }
  var url = box.getAttribute("data-job-status");
  var bar = box.querySelector("progress");
  var percent = box.querySelector(".job-percent");
  var stage = box.querySelector(".job-stage");
  var error = box.querySelector(".job-error");
  var download = box.querySelector(".job-download");
  var wait = box.querySelector(".job-wait");
  var delay = 700;

  function show(status) {
    bar.value = status.progress;
    bar.textContent = status.progress + " %";
    percent.textContent = status.progress + " %";
    stage.textContent = status.stage;
    if (status.error) {
      error.textContent = status.error;
      error.hidden = false;
    }
    if (status.download_url) {
      var link = download.querySelector("a");
      link.href = status.download_url;
      link.textContent = status.download_label;
      download.hidden = false;
    }
    if (status.is_finished && wait) { wait.hidden = true; }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (!status.is_finished) { window.setTimeout(poll, delay); }
      })
      .catch(function () {
        delay = Math.min(delay * 2, 10000);  // the server is busy or away: ask less often
        window.setTimeout(poll, delay);
      });
  }

  if (!box.querySelector(".job-download:not([hidden])")) { window.setTimeout(poll, delay); }
})();
