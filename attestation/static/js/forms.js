// Forms in the page's language. The browser's own validation bubbles ("Please check this
// box", "Value must be less than or equal to 100") and its file picker ("Choose File", "No
// file chosen") speak the browser's language, not the page's: replace both with ours. The
// strings come from the "form-strings" data block (core/templatetags/form_tags.py). The server
// checks everything again: this only says it first, and in the right language.
(function () {
  const node = document.getElementById("form-strings");
  if (!node) return;
  const t = JSON.parse(node.textContent);
  const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (_, key) => values[key] ?? "");

  function message(el) {
    const v = el.validity;
    if (v.valueMissing) {
      if (el.type === "checkbox") return t.checkbox;
      if (el.type === "file") return t.file;
      if (el.tagName === "SELECT" || el.type === "radio") return t.select;
      return t.required;
    }
    if (v.badInput) return t.number;
    if (v.rangeUnderflow) return fill(t.min, { min: el.min });
    if (v.rangeOverflow) return fill(t.max, { max: el.max });
    if (v.stepMismatch) return t.step;
    if (v.tooLong) return fill(t.maxlength, { max: el.maxLength });
    if (v.tooShort) return fill(t.minlength, { min: el.minLength });
    if (v.typeMismatch) return el.type === "email" ? t.email : el.type === "url" ? t.url : t.invalid;
    if (v.patternMismatch) return el.dataset.formatHint || t.invalid;
    return "";
  }

  // `invalid` does not bubble: listen in the capture phase for every form, now and later (htmx).
  document.addEventListener("invalid", (event) => {
    const el = event.target;
    if (!el.setCustomValidity) return;
    el.setCustomValidity("");  // read the browser's own flags, not our previous message
    el.setCustomValidity(message(el));
  }, true);
  const clear = (event) => {
    if (event.target.setCustomValidity) event.target.setCustomValidity("");
  };
  document.addEventListener("input", clear, true);
  document.addEventListener("change", clear, true);

  function enhance(input) {
    if (input.dataset.filepick !== undefined || input.hidden || input.closest("[data-answers]")) return;
    input.dataset.filepick = "";
    const wrap = document.createElement("span");
    wrap.className = "filepick";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    input.classList.add("filepick__input");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn--ghost btn--small filepick__button";
    button.textContent = input.multiple ? t.chooseFiles : t.chooseFile;
    button.tabIndex = -1;  // the input itself keeps the keyboard focus and the label
    const name = document.createElement("span");
    name.className = "filepick__name small";
    name.setAttribute("aria-live", "polite");
    name.textContent = t.noFile;
    wrap.append(button, name);
    button.addEventListener("click", () => input.click());
    input.addEventListener("change", () => {
      const files = input.files || [];
      name.textContent = files.length === 0 ? t.noFile
        : files.length === 1 ? files[0].name : fill(t.nFiles, { n: files.length });
    });
  }
  const scan = (root) => root.querySelectorAll('input[type="file"]').forEach(enhance);
  scan(document);
  document.addEventListener("htmx:afterSwap", (event) => scan(event.target));
})();
