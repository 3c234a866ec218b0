// The student's exam pages follow the attestation's state live (cabinet/live_state.py): the
// banner #exam-state is polled by htmx; when its key changes (suspended, resumed, stopped,
// window extended, results announced) the parts that depend on it are drawn again from the
// server — the entry button, the upload panel and its countdown — without a reload, and after
// the end the camera is switched off.
(function () {
  const PARTS = ["[data-answers-panel]", "[data-answers-clock-bar]"];

  function refreshParts() {
    if (!PARTS.some((selector) => document.querySelector(selector))) return;
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then((response) => (response.ok && !response.redirected ? response.text() : null))
      .then((html) => {
        if (!html) return;
        const fresh = new DOMParser().parseFromString(html, "text/html");
        PARTS.forEach((selector) => {
          const old = document.querySelector(selector);
          const next = fresh.querySelector(selector);
          if (old && next) old.replaceWith(document.importNode(next, true));
        });
        document.dispatchEvent(new CustomEvent("attestation:refreshed"));
      })
      .catch(() => {});
  }

  function follow(state) {
    if (!state || state.dataset.followed) return;
    state.dataset.followed = "1";
    if (state.dataset.cameraOff && window.attestationCamera && window.attestationCamera.stop) {
      window.attestationCamera.stop();
    }
    if (!state.dataset.changed) return;
    const entry = document.getElementById("entry");
    if (entry && window.htmx) {
      window.htmx.ajax("GET", state.dataset.entryUrl, { target: "#entry", swap: "outerHTML" });
    }
    refreshParts();
  }

  // Every swap (ours, the entry button's) is a chance; each banner is followed once.
  document.body.addEventListener("htmx:afterSwap", () => follow(document.getElementById("exam-state")));
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => follow(document.getElementById("exam-state")));
  } else {
    follow(document.getElementById("exam-state"));
  }
})();
