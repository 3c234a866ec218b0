// Irreversible steps ask first. A form with data-confirm="…" (the text names the student and
// says what follows) opens a dialog with our buttons (data-confirm-yes, and the page's "Cancel")
// before it is sent, by htmx or plainly. No inline script: this module is loaded by the page.
(function () {
  const strings = document.getElementById("form-strings");
  const cancelText = strings ? JSON.parse(strings.textContent).cancel : "Cancel";
  let dialog = null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "confirm";
    dialog.setAttribute("aria-labelledby", "confirm-text");
    dialog.innerHTML = '<form method="dialog" class="confirm__form"><p id="confirm-text" class="confirm__text"></p>' +
      '<div class="confirm__actions"><button value="yes" class="btn confirm__yes"></button>' +
      '<button value="no" class="btn btn--ghost confirm__no"></button></div></form>';
    document.body.appendChild(dialog);
  }

  function ask(form, proceed) {
    if (!dialog) build();
    dialog.querySelector(".confirm__text").textContent = form.dataset.confirm;
    dialog.querySelector(".confirm__yes").textContent = form.dataset.confirmYes || "OK";
    dialog.querySelector(".confirm__no").textContent = cancelText;
    dialog.returnValue = "";
    dialog.addEventListener("close", function done() {
      dialog.removeEventListener("close", done);
      if (dialog.returnValue === "yes") proceed();
    });
    dialog.showModal();
    dialog.querySelector(".confirm__no").focus();  // the safe answer first
  }

  // htmx forms: hold the request until the answer (htmx:confirm carries issueRequest).
  document.addEventListener("htmx:confirm", (event) => {
    const form = event.target.closest("form[data-confirm]");
    if (!form || event.target !== form) return;
    event.preventDefault();
    ask(form, () => event.detail.issueRequest(true));
  });

  // Plain forms (no htmx attribute): stop the submit, ask, then send it for real.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("form[data-confirm]") || form.hasAttribute("hx-post") || form.dataset.confirmed) return;
    event.preventDefault();
    ask(form, () => {
      form.dataset.confirmed = "1";
      if (event.submitter) form.requestSubmit(event.submitter); else form.requestSubmit();
    });
  }, true);
})();
