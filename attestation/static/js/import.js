// Upload progress for the registrar's import forms (attestation/templates/imports/home.html).
// Without JavaScript the form posts as usual; with it, the same POST goes through
// XMLHttpRequest so that `upload.onprogress` can move the bar, then the browser follows
// the server's answer: the job page on success, the form with its error otherwise.
(function () {
  "use strict";

  function showPage(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var main = doc.querySelector("main");
    if (main) {
      document.querySelector("main").replaceWith(main);
    } else {
      window.location.reload();
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-import-upload]")) return;
    if (!window.FormData || !window.XMLHttpRequest) return;
    var input = form.querySelector("input[type=file]");
    if (!input || !input.files || !input.files.length) return; // the server says what is missing
    event.preventDefault();

    var box = form.querySelector("[data-upload-box]");
    var bar = box.querySelector(".progress");
    var fill = box.querySelector(".progress__bar");
    var status = box.querySelector("[data-upload-status]");
    var button = form.querySelector("button[type=submit]");
    var action = new URL(form.action, window.location.href).href;

    box.hidden = false;
    var limit = Number(form.dataset.maxBytes);
    if (limit && input.files[0].size > limit) {
      status.textContent = form.dataset.tooLargeText; // no need to send it to hear the same
      bar.hidden = true;
      return;
    }
    bar.hidden = false;

    function progress(percent) {
      fill.style.width = percent + "%";
      bar.setAttribute("aria-valuenow", String(percent));
      status.textContent = form.dataset.uploadingText + " " + percent + "%";
    }

    var xhr = new XMLHttpRequest();
    xhr.open("POST", action);
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) progress(Math.round((e.loaded * 100) / e.total));
    };
    xhr.onload = function () {
      if (xhr.responseURL && xhr.responseURL !== action) {
        window.location.assign(xhr.responseURL); // redirected: the job page
      } else {
        showPage(xhr.responseText); // the form again, with the server's message
      }
    };
    xhr.onerror = function () {
      status.textContent = form.dataset.failedText;
      button.disabled = false;
    };
    button.disabled = true;
    progress(0);
    xhr.send(new FormData(form));
  });
})();
