// The camera stays on during the attestation. The exam page keeps a small preview
// and reports every ~15 s whether the camera is live and the page visible; a change (the
// camera stops, the page is hidden) is reported at once. The server decides nothing from
// this: the console shows a prompt to the commission.
(function () {
  const box = document.getElementById("camera-box");
  if (!box || window.attestationCamera) return;
  const video = box.querySelector("video");
  const status = box.querySelector("[data-camera-status]");
  const why = box.querySelector("[data-camera-why]");
  const retry = box.querySelector("[data-camera-retry]");
  const toggle = box.querySelector("[data-camera-toggle]");
  const interval = Math.max(1, Number(box.dataset.interval) || 15) * 1000;
  const csrf = (() => {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; }
    catch (e) { return ""; }
  })();
  const state = { stream: null, problem: "starting" };
  window.attestationCamera = state;

  function live() {
    const track = state.stream && state.stream.getVideoTracks()[0];
    return !!track && track.readyState === "live" && track.enabled && !track.muted;
  }

  function render() {
    const ok = live();
    box.dataset.state = ok ? "live" : state.problem || "off";
    status.textContent = ok
      ? box.dataset.textLive
      : state.problem === "denied" ? box.dataset.textDenied : box.dataset.textOff;
    retry.hidden = ok;
  }

  async function start() {
    try {
      state.stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
      state.problem = "";
      video.srcObject = state.stream;
      state.stream.getVideoTracks().forEach((track) => {
        track.addEventListener("ended", () => { state.problem = "ended"; report(); });
        track.addEventListener("mute", report);
        track.addEventListener("unmute", report);
      });
    } catch (error) {
      state.problem = error && error.name === "NotAllowedError" ? "denied" : "no_camera";
    }
    report();
  }

  async function report() {
    if (state.stopped) return;
    if (!live() && !state.problem) state.problem = "stopped";
    render();
    try {
      const response = await fetch(box.dataset.heartbeatUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({
          camera: live(),
          visible: document.visibilityState === "visible",
          problem: live() ? "" : state.problem,
        }),
      });
      if (!response.ok) return;
      const entry = await response.json();
      box.dataset.entry = entry.status;
      why.hidden = !entry.why;
      if (entry.why) why.textContent = `${box.querySelector("[data-text-why]").textContent} ${entry.why}`;
    } catch (error) {
      status.textContent = box.dataset.textOffline;
    }
  }

  // The page keeps the box's height free at its bottom (proctoring.css: --camera-space).
  function reserve() {
    document.body.style.setProperty("--camera-space", `${box.offsetHeight + 8}px`);
  }
  if (window.ResizeObserver) new ResizeObserver(reserve).observe(box);
  reserve();
  if (toggle) {
    toggle.addEventListener("click", () => {
      const collapsed = box.classList.toggle("is-collapsed");
      toggle.setAttribute("aria-expanded", String(!collapsed));
      toggle.textContent = collapsed ? toggle.dataset.textShow : toggle.dataset.textHide;
      try { sessionStorage.setItem("camera-box-collapsed", collapsed ? "1" : ""); } catch (e) { /* private mode */ }
    });
    try { if (sessionStorage.getItem("camera-box-collapsed")) toggle.click(); } catch (e) { /* private mode */ }
  }

  // After the attestation the camera is switched off and the box goes (R-2.1 ends there).
  state.stop = function () {
    if (state.stream) state.stream.getTracks().forEach((t) => t.stop());
    state.stream = null;
    clearInterval(timer);
    state.stopped = true;
    box.remove();
    document.body.style.removeProperty("--camera-space");
  };

  state.report = report;
  retry.addEventListener("click", () => {
    if (state.stream) state.stream.getTracks().forEach((t) => t.stop());
    start();
  });
  document.addEventListener("visibilitychange", report);
  window.addEventListener("pagehide", () => {
    if (state.stopped) return;
    const body = JSON.stringify({ camera: false, visible: false, problem: "closed" });
    // keepalive lets the last report leave while the page unloads
    fetch(box.dataset.heartbeatUrl, {
      method: "POST", keepalive: true, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf }, body,
    }).catch(() => {});
  });
  const timer = setInterval(report, interval);
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) start();
  else { state.problem = "no_camera"; report(); }
})();
