// Live timers: the server renders each timer's elapsed time and whether it
// runs; we add only the time since this element arrived, so the phone's clock never matters
// and every htmx swap starts again from fresh server numbers. Classes: timer--amber at
// data-amber-s, timer--red at data-red-s, timer--paused while an interruption is open.
(function () {
  const seen = new WeakMap();
  function format(ms) {
    const s = Math.max(0, Math.floor(ms / 1000));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  }
  function tick() {
    const now = performance.now();
    document.querySelectorAll("[data-timer]").forEach((box) => {
      if (!seen.has(box)) seen.set(box, now);
      const running = box.dataset.running === "1";
      const ms = Number(box.dataset.elapsedMs) + (running ? now - seen.get(box) : 0);
      const s = ms / 1000, amber = Number(box.dataset.amberS), red = Number(box.dataset.redS);
      box.querySelector("[data-timer-value]").textContent = format(ms);
      box.classList.toggle("timer--red", red > 0 && s >= red);
      box.classList.toggle("timer--amber", amber > 0 && s >= amber && !(red > 0 && s >= red));
      box.classList.toggle("timer--paused", !running);
    });
  }
  tick();
  setInterval(tick, 500);
  document.addEventListener("htmx:afterSwap", tick);
})();
