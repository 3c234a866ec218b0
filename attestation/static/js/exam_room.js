// The exam room: a failed poll keeps the last status on screen and says so; htmx retries on
// the next tick.
document.body.addEventListener("htmx:sendError", () =>
  document.querySelectorAll(".offline-note").forEach((n) => (n.hidden = false)),
);
document.body.addEventListener("htmx:afterSwap", () =>
  document.querySelectorAll(".offline-note").forEach((n) => (n.hidden = true)),
);
