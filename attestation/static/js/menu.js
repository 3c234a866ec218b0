// The phone menu: a button that shows and hides the navigation (on desktop it is always shown).
(function () {
  const toggle = document.querySelector(".menu__toggle");
  const nav = document.getElementById("main-nav");
  if (!toggle || !nav) return;
  function set(open) {
    nav.classList.toggle("is-open", open);
    toggle.setAttribute("aria-expanded", String(open));
  }
  toggle.addEventListener("click", () => set(!nav.classList.contains("is-open")));
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") set(false); });
  document.addEventListener("click", (e) => { if (!e.target.closest(".menu")) set(false); });
})();
