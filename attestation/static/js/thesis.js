// The thesis upload with a progress bar (a PDF of up to 50 MB): the form is sent by XHR and
// the page the server answers with (the same page, with its message) replaces this one's
// content. A file over the limit is refused here, before it is sent.
(function () {
  if (!window.XMLHttpRequest || !window.FormData) return;

  function setup() {
    const form = document.querySelector("[data-thesis-form]");
    if (!form) return;
    const input = form.querySelector("input[type=file]");
    const box = form.querySelector("[data-thesis-progress]");
    const bar = box.querySelector("progress");
    const percent = box.querySelector("[data-thesis-percent]");
    const error = form.querySelector("[data-thesis-error]");
    const button = form.querySelector("button[type=submit]");
    const uploading = percent.textContent;

    function fail(text) {
      error.textContent = text;
      error.hidden = false;
      box.hidden = true;
      button.disabled = false;
    }

    form.addEventListener("submit", (event) => {
      const file = input.files && input.files[0];
      if (!file) return; // the browser's own "required" says so
      event.preventDefault();
      if (file.size > Number(form.dataset.maxBytes)) return fail(form.dataset.textTooLarge);
      error.hidden = true;
      button.disabled = true;
      box.hidden = false;
      bar.value = 0;
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || window.location.href);
      xhr.upload.addEventListener("progress", (e) => {
        if (!e.lengthComputable) return;
        const done = Math.round((e.loaded / e.total) * 100);
        bar.value = done;
        percent.textContent = `${uploading} ${done}%`;
      });
      xhr.addEventListener("load", () => {
        const page = xhr.status < 500 && new DOMParser().parseFromString(xhr.responseText, "text/html");
        const main = page && page.getElementById("main");
        if (!main) return fail(form.dataset.textFailed);
        document.getElementById("main").replaceWith(document.importNode(main, true));
        if (xhr.responseURL) window.history.replaceState(null, "", xhr.responseURL);
        setup(); // the new content brings a new form
      });
      xhr.addEventListener("error", () => fail(form.dataset.textFailed));
      xhr.send(new FormData(form));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
