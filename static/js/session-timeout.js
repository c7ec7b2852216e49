// A minute before the idle sign-out (clinic/middleware.py), offer to stay signed in.
// The page says how long it may sit idle, where to ping and its CSRF token in <meta> tags
// (templates/partials/session_timeout.html). No inline script: the CSP allows ours only.
(function () {
  "use strict";
  function meta(name) {
    var tag = document.querySelector('meta[name="' + name + '"]');
    return tag ? tag.getAttribute("content") : "";
  }
  var body = document.body;
  var idle = parseInt(meta("session-idle-seconds") || "0", 10);
  var pingUrl = meta("session-ping-url");
  if (!idle || !pingUrl) {
    return;
  }
  var WARN_BEFORE = 60;
  var warnTimer = null;
  var endTimer = null;
  var box = null;

  function csrfToken() {
    return meta("csrf-token");
  }

  function hide() {
    if (box) {
      box.remove();
      box = null;
    }
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    hide();
    warnTimer = setTimeout(warn, Math.max(idle - WARN_BEFORE, 0) * 1000);
    // Past the limit the server signs the user out; reloading shows the sign-in page.
    endTimer = setTimeout(function () {
      window.location.assign(window.location.href);
    }, (idle + 2) * 1000);
  }

  function stay() {
    fetch(pingUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      if (response.ok) {
        schedule();
      } else {
        window.location.assign(window.location.href);
      }
    });
  }

  function warn() {
    hide();
    box = document.createElement("div");
    box.className = "alert alert-warning shadow session-timeout";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-live", "assertive");
    // Styled through the CSSOM (allowed by the CSP), so it looks the same in the admin.
    var style = box.style;
    style.position = "fixed";
    style.right = "1rem";
    style.bottom = "1rem";
    style.zIndex = "2000";
    style.maxWidth = "22rem";
    style.padding = "1rem";
    style.background = "#fff3cd";
    style.border = "1px solid #ffe69c";
    style.borderRadius = ".5rem";
    style.color = "#664d03";
    var text = document.createElement("p");
    text.className = "mb-2";
    text.textContent = "You'll be signed out in a minute.";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-primary btn-sm";
    button.textContent = "Stay signed in";
    button.addEventListener("click", stay);
    box.appendChild(text);
    box.appendChild(button);
    body.appendChild(box);
    button.focus();
  }

  // Any request the page makes (htmx autosave, inline edits) resets the server's clock too.
  body.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();
