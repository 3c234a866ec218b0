// Countdowns follow the server's clock, not the phone's: the page carries the server's "now",
// and we measure only the time elapsed since the page loaded.
(function () {
  // When each box was first seen: boxes swapped in later by htmx carry a later server "now".
  const seen = new WeakMap();
  function format(ms) {
    if (ms <= 0) return "0:00:00";
    const s = Math.floor(ms / 1000);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return `${h}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
  }
  function tick() {
    document.querySelectorAll("[data-countdown]").forEach((box) => {
      const deadline = Date.parse(box.dataset.deadline);
      if (!seen.has(box)) seen.set(box, Date.now());
      const serverNow = Date.parse(box.dataset.serverNow) + (Date.now() - seen.get(box));
      const left = deadline - serverNow;
      if (left <= 0 && box.dataset.overText) {
        // Not "0:00:00" left on screen: what the moment means ("Questioning has begun…").
        box.textContent = box.dataset.overText;
        box.removeAttribute("data-countdown");
        box.classList.add("is-over");
        return;
      }
      box.querySelector("[data-countdown-value]").textContent = format(left);
      box.classList.toggle("is-low", left > 0 && left < 10 * 60 * 1000);
      box.classList.toggle("is-over", left <= 0);
    });
  }
  tick();
  setInterval(tick, 1000);
})();
