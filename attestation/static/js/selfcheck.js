// The student's self-check before the attestation: camera and microphone (getUserMedia, a
// preview and a level meter), the connection to our own server (latency and throughput), and
// the browser features the exam pages use. Ends in a plain verdict: ready, or the problems.
(function () {
  const root = document.getElementById("self-check");
  if (!root) return;
  const T = JSON.parse(document.getElementById("self-check-texts").textContent);
  const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (_, key) => values[key]);
  // `device`: the browser's own name of the camera or microphone, shown as it is (not ours
  // to translate: translate="no").
  const show = (name, text, ok, device) => {
    const cell = root.querySelector(`[data-check="${name}"]`);
    cell.textContent = text;
    if (device) {
      const label = document.createElement("span");
      label.translate = false;
      label.textContent = device;
      cell.append(" · ", label);
    }
    cell.dataset.ok = ok ? "yes" : "no";
  };
  let stream = null;
  let audio = null;

  function checkBrowser() {
    const needed = {
      getUserMedia: !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia),
      fetch: "fetch" in window,
      Promise: "Promise" in window,
      FileReader: "FileReader" in window,
      FormData: "FormData" in window,
      "Page Visibility": "visibilityState" in document,
      AudioContext: !!(window.AudioContext || window.webkitAudioContext),
    };
    const missing = Object.keys(needed).filter((key) => !needed[key]);
    if (missing.length) return [fill(T.missing, { features: missing.join(", ") })];
    return [];
  }

  async function checkMedia() {
    const problems = [];
    if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) {
      show("camera", T.no_media, false);
      show("microphone", T.no_media, false);
      return [T.no_media];
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    } catch (error) {
      const text = error && error.name === "NotAllowedError" ? T.denied : T.no_camera;
      show("camera", text, false);
      show("microphone", text, false);
      return [text];
    }
    const video = root.querySelector("#self-check-video");
    video.srcObject = stream;
    const camera = stream.getVideoTracks().find((t) => t.readyState === "live");
    const mic = stream.getAudioTracks().find((t) => t.readyState === "live");
    show("camera", camera ? T.ok : T.no_camera, !!camera, camera && camera.label);
    show("microphone", mic ? T.ok : T.no_mic, !!mic, mic && mic.label);
    if (!camera) problems.push(T.no_camera);
    if (!mic) problems.push(T.no_mic);
    if (mic) meter(stream);
    return problems;
  }

  function meter(source) {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    audio = new Context();
    const analyser = audio.createAnalyser();
    analyser.fftSize = 512;
    audio.createMediaStreamSource(source).connect(analyser);
    const data = new Uint8Array(analyser.fftSize);
    const level = root.querySelector("#self-check-level");
    (function tick() {
      if (!audio) return;
      analyser.getByteTimeDomainData(data);
      let sum = 0;
      for (const v of data) sum += ((v - 128) / 128) ** 2;
      level.value = Math.min(1, Math.sqrt(sum / data.length) * 4);
      requestAnimationFrame(tick);
    })();
  }

  async function timed(url) {
    const started = performance.now();
    const response = await fetch(url, { cache: "no-store", credentials: "same-origin" });
    const body = await response.arrayBuffer();
    if (!response.ok) throw new Error(String(response.status));
    return { ms: performance.now() - started, bytes: body.byteLength };
  }

  async function checkNetwork() {
    const base = root.dataset.probeUrl;
    try {
      const pings = [];
      for (let i = 0; i < 3; i++) pings.push((await timed(`${base}?kb=1&n=${i}`)).ms);
      const latency = Math.round(Math.min(...pings));
      let bytes = 0, ms = 0;
      for (let i = 0; i < 3; i++) {
        const run = await timed(`${base}?kb=${root.dataset.probeKb}&n=${i}`);
        bytes += run.bytes;
        ms += run.ms;
      }
      const speed = ((bytes * 8) / (ms / 1000) / 1e6).toFixed(1);
      const problems = [];
      if (latency > 1000) problems.push(fill(T.latency, { ms: latency }));
      if (speed < 1) problems.push(fill(T.slow, { speed }));
      show("network", fill(T.speed, { ms: latency, speed }), !problems.length);
      return problems;
    } catch (error) {
      show("network", T.offline, false);
      return [T.offline];
    }
  }

  async function run() {
    const verdict = root.querySelector("#self-check-verdict");
    verdict.dataset.verdict = "pending";
    verdict.textContent = T.checking;
    if (stream) stream.getTracks().forEach((t) => t.stop());
    if (audio) { audio.close(); audio = null; }
    const browser = checkBrowser();
    show("browser", browser.length ? browser[0] : T.ok, !browser.length);
    const problems = [...browser, ...(await checkMedia()), ...(await checkNetwork())];
    verdict.dataset.verdict = problems.length ? "problems" : "ready";
    verdict.textContent = "";
    if (!problems.length) {
      verdict.textContent = T.ready;
      return;
    }
    const title = document.createElement("strong");
    title.textContent = T.problems;
    const list = document.createElement("ul");
    problems.forEach((text) => {
      const item = document.createElement("li");
      item.textContent = text;
      list.append(item);
    });
    verdict.append(title, list);
  }

  root.querySelector("#self-check-again").addEventListener("click", run);
  run();
})();
