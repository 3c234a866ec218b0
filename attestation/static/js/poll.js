// Live panels poll every few seconds; a poll while someone types in the panel would replace
// what they typed. `data-poll-pause="<selector>"` on the polling element skips the tick while
// the focus is on a matching field inside it. (This was an hx-trigger filter, which htmx
// evaluates with Function(): the Content-Security-Policy allows no eval.)
document.body.addEventListener("htmx:confirm", (event) => {
  const panel = event.detail.elt;
  if (!panel?.dataset) return;
  const fields = panel.dataset.pollPause;
  // Only the panel's own request (its poll) carries the attribute; forms inside it post as
  // their own elements and are never paused.
  if (!fields && !("pollPauseDialog" in panel.dataset)) return;
  // `data-poll-pause-dialog`: no tick while a dialog is open (it would be swapped away).
  if ("pollPauseDialog" in panel.dataset && document.querySelector("dialog[open]")) {
    event.preventDefault();
    return;
  }
  if (!fields) return;
  const active = document.activeElement;
  if (active && panel.contains(active) && active.matches(fields)) event.preventDefault();
});
