// The run sheet of a group session, on a phone with a poor connection.
// Every form marked data-queue is kept in localStorage before it is sent, and sent (with
// its CSRF token, asking for JSON) whenever the connection allows; the server takes a
// replay without harm. Phase starts carry the phone's time, so a late send keeps it.
// Without this script the same forms post and reload the page.
(function () {
  "use strict";
  var root = document.querySelector("[data-run-sheet]");
  if (!root || !window.fetch || !window.localStorage) { return; }
  var KEY = "stillpoint.run-sheet." + root.getAttribute("data-run-sheet");
  var status = root.querySelector("[data-sync-status]");
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || []; } catch (e) { return []; }
  }
  function save(queue) {
    if (queue.length) { localStorage.setItem(KEY, JSON.stringify(queue)); } else { localStorage.removeItem(KEY); }
  }
  function say(text, kind) {
    status.textContent = text;
    status.className = "rs-sync" + (kind ? " is-" + kind : "");
    status.hidden = !text;
  }
  function message(name, n) {
    return (root.getAttribute("data-msg-" + name) || "").replace("{n}", String(n));
  }

  function fields(form) {
    var pairs = [];
    new FormData(form).forEach(function (value, name) { pairs.push([name, String(value)]); });
    return pairs;
  }

  function enqueue(action, pairs) {
    var queue = load();
    queue.push({ action: action, fields: pairs });
    save(queue);
    flush();
  }

  function flush() {
    var queue = load();
    if (!queue.length) { return; }
    if (!navigator.onLine) { say(message("offline", queue.length), "offline"); return; }
    if (sending) { return; }
    sending = true;
    say(message("sending", queue.length));
    var item = queue[0];
    fetch(item.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(item.fields).toString()
    }).then(function (response) {
      sending = false;
      if (response.ok || (response.status >= 400 && response.status < 500 &&
                          response.status !== 408 && response.status !== 429)) {
        save(load().slice(1));  // done, or refused for good: a replay would be refused too
        if (!response.ok) {
          return response.json().catch(function () { return {}; }).then(function (body) {
            var text = body && body.error && body.error.message ? body.error.message : response.status;
            say(message("refused") + " " + text, "refused");
            flush();
          });
        }
        if (load().length) { flush(); } else { say(message("saved")); }
        return null;
      }
      throw new Error(String(response.status));
    }).catch(function () {
      sending = false;
      say(message("offline", load().length), "offline");
    });
  }

  // --- what the page shows at once, before the server has heard ---------------------------

  function startPhase(slug, at) {
    var articles = root.querySelectorAll("[data-phase]");
    var reached = false;
    articles.forEach(function (article) {
      var isThis = article.getAttribute("data-phase") === slug;
      if (isThis) { reached = true; }
      if (!reached || isThis) {
        if (!article.getAttribute("data-started") && isThis) { article.setAttribute("data-started", at); }
        if (!isThis && article.getAttribute("data-started") && !article.getAttribute("data-ended")) {
          article.setAttribute("data-ended", at);
        }
      }
      article.classList.toggle("is-current", isThis);
      article.classList.toggle("is-done", !isThis && !!article.getAttribute("data-ended"));
    });
    root.querySelectorAll("[data-start-form]").forEach(function (form) {
      var owner = form.closest("[data-phase]");
      form.hidden = !(owner.getAttribute("data-phase") === slug && !form.matches("[data-start-form='" + slug + "']"));
    });
    tick();
  }

  function minutes(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var m = Math.floor(s / 60);
    s = s % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function tick() {
    root.querySelectorAll("[data-phase]").forEach(function (article) {
      var started = article.getAttribute("data-started");
      var timer = article.querySelector("[data-timer]");
      if (!started) { return; }
      var ended = article.getAttribute("data-ended");
      var elapsed = (ended ? Date.parse(ended) : Date.now()) - Date.parse(started);
      var planned = Number(article.getAttribute("data-planned")) * 60000;
      timer.textContent = minutes(elapsed) + " / " + article.getAttribute("data-planned") + ":00";
      timer.classList.toggle("is-over", elapsed > planned);
    });
  }

  // --- forms --------------------------------------------------------------------------

  root.querySelectorAll("form[data-queue]").forEach(function (form) {
    var kind = form.getAttribute("data-queue");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var at = new Date().toISOString();
      var atField = form.querySelector("input[name='at']");
      if (atField) { atField.value = at; }
      enqueue(form.action, fields(form));
      if (kind === "phase") { startPhase(form.querySelector("input[name='phase']").value, at); }
      if (kind === "briefing") {
        var chosen = form.querySelector("input[name='version']:checked");
        var label = chosen ? chosen.parentNode.textContent.trim() : "";
        form.querySelector("[data-briefing-state]").textContent = "✓ " + label;
      }
    });
    if (kind === "attendance") {
      // One tap is one change: send the member just marked, not the whole list.
      form.addEventListener("change", function (event) {
        var input = event.target;
        if (!input.name || input.name.indexOf("m-") !== 0) { return; }
        var token = form.querySelector("input[name='csrf_token']").value;
        enqueue(form.action, [["csrf_token", token], [input.name, input.value]]);
      });
    }
  });

  // Choosing a version opens its text and folds the others.
  root.querySelectorAll("input[name='version']").forEach(function (radio) {
    radio.addEventListener("change", function () {
      root.querySelectorAll("[data-version-text]").forEach(function (details) {
        details.open = details.getAttribute("data-version-text") === radio.value;
      });
    });
  });

  var close = root.querySelector("[data-close-form]");
  if (close) {
    close.addEventListener("submit", function (event) {
      close.querySelector("input[name='at']").value = new Date().toISOString();
      var note = close.querySelector("[data-close-message]");
      // Offline, a plain post would leave for the browser's error page and take the typed
      // figures with it: stay, say so, keep them (even with nothing else waiting).
      if (!navigator.onLine) {
        event.preventDefault();
        note.textContent = message("close-offline");
        note.hidden = false;
        return;
      }
      note.hidden = true;
      if (!load().length) { return; }
      event.preventDefault();  // send what is waiting first, so the close sees it
      flush();
      var wait = setInterval(function () {
        if (!load().length) { clearInterval(wait); HTMLFormElement.prototype.submit.call(close); }
      }, 300);
    });
  }

  // Marks still waiting from before a reload show as the leader left them.
  load().forEach(function (item) {
    item.fields.forEach(function (pair) {
      if (pair[0].indexOf("m-") !== 0) { return; }
      var radio = root.querySelector("input[name='" + pair[0] + "'][value='" + pair[1] + "']");
      if (radio) { radio.checked = true; }
    });
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { if (load().length) { say(message("offline", load().length), "offline"); } });
  setInterval(function () { if (load().length) { flush(); } }, 10000);
  setInterval(tick, 1000);
  tick();
  flush();
  // Bound: a tap before this (the script is deferred) sends the form the plain way.
  root.setAttribute("data-run-sheet-ready", "");
}());
