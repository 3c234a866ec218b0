// One click only: later clicks would be answered with the same ticket anyway, but the
// student should see at once that the choice is being made.
document.getElementById("cards")?.addEventListener("submit", (event) => {
  const chosen = event.submitter;
  setTimeout(() => event.target.querySelectorAll("button").forEach((b) => (b.disabled = true)), 0);
  if (chosen) chosen.classList.add("is-chosen");
});
