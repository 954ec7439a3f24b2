// Live page: webcam frames to the server over a WebSocket, one in flight at a time (frames the
// server cannot keep up with are simply not sent), skeleton and angles drawn from each reply.
"use strict";
(() => {
  const { h, $, api, showError, label } = FC;
  const SEND_WIDTH = 640;
  const JPEG_QUALITY = 0.7;
  const SIDE_COLOUR = { left: "#4dabf7", right: "#ff922b" };
  // Angles drawn next to a joint: signal name prefix -> landmark name stem.
  const ANGLE_AT = { knee_flexion: "KNEE", hip_flexion: "HIP", fppa: "ANKLE" };

  let ws = null;
  let stream = null;
  let running = false;
  let meta = null;
  let sentAt = 0;
  let lastReply = null;
  const grab = document.createElement("canvas");
  const stats = { frames: 0, since: performance.now(), rtt: 0, server: 0, dropped: 0 };

  function status(text) { $("#status").textContent = text; }

  /** 8-byte little-endian float64 timestamp (seconds) followed by the JPEG bytes. */
  async function frameMessage(video) {
    const scale = Math.min(1, SEND_WIDTH / video.videoWidth);
    grab.width = Math.round(video.videoWidth * scale);
    grab.height = Math.round(video.videoHeight * scale);
    grab.getContext("2d").drawImage(video, 0, 0, grab.width, grab.height);
    const t = performance.now() / 1000;
    const jpeg = await new Promise((resolve) => grab.toBlob(resolve, "image/jpeg", JPEG_QUALITY));
    const stamp = new ArrayBuffer(8);
    new DataView(stamp).setFloat64(0, t, true);
    return new Blob([stamp, jpeg]);
  }

  async function sendNext() {
    if (!running || !ws || ws.readyState !== WebSocket.OPEN) return;
    const video = $("#camera");
    if (!video.videoWidth) { setTimeout(sendNext, 50); return; }
    sentAt = performance.now();
    ws.send(await frameMessage(video));
  }

  function lm(name) {
    if (!lastReply || !lastReply.landmarks) return null;
    const p = lastReply.landmarks[meta.landmark_names.indexOf(name)];
    return p && p[0] !== null && p[1] !== null ? p : null;
  }

  function drawOverlay() {
    const canvas = $("#overlay");
    const video = $("#camera");
    canvas.width = video.videoWidth || 640;
    canvas.height = video.videoHeight || 480;
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!lastReply || !lastReply.landmarks) return;
    const pts = lastReply.landmarks;
    const px = (p) => [p[0] * canvas.width, p[1] * canvas.height];
    ctx.lineWidth = Math.max(3, canvas.width / 200);
    for (const [a, b] of meta.connections) {
      const pa = pts[a];
      const pb = pts[b];
      if (!pa || !pb || pa[0] === null || pb[0] === null || pa[2] < 0.3 || pb[2] < 0.3) continue;
      const side = meta.landmark_names[a].startsWith("LEFT") && meta.landmark_names[b].startsWith("LEFT") ? "left"
        : meta.landmark_names[a].startsWith("RIGHT") && meta.landmark_names[b].startsWith("RIGHT") ? "right" : null;
      ctx.strokeStyle = SIDE_COLOUR[side] || "#e9ecef";
      ctx.beginPath();
      ctx.moveTo(...px(pa));
      ctx.lineTo(...px(pb));
      ctx.stroke();
    }
    ctx.fillStyle = "#fff";
    pts.forEach((p, i) => {
      if (p[0] === null || p[2] < 0.3 || i < 11) return;
      ctx.beginPath();
      ctx.arc(...px(p), ctx.lineWidth * 1.1, 0, 2 * Math.PI);
      ctx.fill();
    });
    drawAngles(ctx, px);
  }

  function drawAngles(ctx, px) {
    const font = Math.max(14, ctx.canvas.width / 40);
    ctx.font = `bold ${font}px system-ui, sans-serif`;
    for (const [name, value] of Object.entries(lastReply.angles || {})) {
      const m = name.match(/^(\w+?)_(left|right)$/);
      if (!m || !ANGLE_AT[m[1]] || m[1] === "fppa") continue;
      const p = lm(`${m[2].toUpperCase()}_${ANGLE_AT[m[1]]}`);
      if (!p) continue;
      const [x, y] = px(p);
      const text = `${Math.round(value)}°`;
      const dx = m[2] === "left" ? 10 : -10 - ctx.measureText(text).width;
      ctx.fillStyle = "rgba(15,27,45,.7)";
      ctx.fillRect(x + dx - 4, y - font, ctx.measureText(text).width + 8, font + 6);
      ctx.fillStyle = SIDE_COLOUR[m[2]];
      ctx.fillText(text, x + dx, y);
    }
  }

  function speak(text) {
    if (!$("#speak").checked || !("speechSynthesis" in window)) return;
    window.speechSynthesis.cancel();
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }

  function onRep(ev) {
    const faults = ev.faults || [];
    const line = h("div", {}, h("strong", {}, `Rep ${ev.index}`), ev.side ? ` (${ev.side}) ` : " ",
      faults.length ? faults.map((f) => h("span", { class: `chip ${f.severity}` }, label(f.code))) : h("span", { class: "chip confirmed" }, "clean"));
    $("#events").prepend(line);
    while ($("#events").children.length > 8) $("#events").lastChild.remove();
    $("#cue").textContent = ev.cue || "Good rep";
    $("#cue").classList.toggle("ok", !ev.cue);
    if (ev.cue) speak(ev.cue);
  }

  function onFrame(msg) {
    lastReply = msg;
    const reps = msg.reps || {};
    $("#count-total").textContent = reps.total ?? 0;
    $("#count-left").textContent = reps.left ?? "–";
    $("#count-right").textContent = reps.right ?? "–";
    (msg.events || []).forEach(onRep);
    stats.frames += 1;
    stats.rtt = performance.now() - sentAt;
    stats.server = msg.latency_ms;
    stats.dropped = msg.dropped;
    const secs = (performance.now() - stats.since) / 1000;
    $("#perf").textContent = `${(stats.frames / secs).toFixed(1)} frames/s · server ${stats.server} ms · round trip ${Math.round(stats.rtt)} ms`;
    status(msg.landmarks ? `Tracking · view ${msg.view}` : "Nobody in frame: step back so your whole body shows");
    drawOverlay();
  }

  function onMessage(event) {
    const msg = JSON.parse(event.data);
    if (msg.type === "ready") {
      meta = msg;
      status(`Connected: ${msg.name}`);
      sendNext();
    } else if (msg.type === "frame") {
      onFrame(msg);
      sendNext();
    } else if (msg.type === "error") {
      showError("#msg", new Error(msg.detail));
      sendNext();
    } else if (msg.type === "closed") {
      status(msg.detail);
    }
  }

  async function start() {
    $("#start").disabled = true;
    $("#msg").replaceChildren();
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
    } catch (err) {
      $("#start").disabled = false;
      throw new Error(`the camera could not be opened: ${err.message}`);
    }
    const video = $("#camera");
    video.srcObject = stream;
    await video.play();
    running = true;
    stats.frames = 0;
    stats.since = performance.now();
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    ws = new WebSocket(`${proto}//${location.host}/api/live?exercise=${encodeURIComponent($("#exercise").value)}`);
    ws.addEventListener("message", onMessage);
    ws.addEventListener("close", (ev) => {
      if (running) status(`Disconnected${ev.reason ? `: ${ev.reason}` : ""}`);
      stop();
    });
    status("Loading the pose tracker…");
    $("#stop").disabled = false;
  }

  function stop() {
    running = false;
    if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000, "stopped");
    ws = null;
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    $("#start").disabled = false;
    $("#stop").disabled = true;
  }

  async function main() {
    await FC.topbar("/live");
    const exercises = await api("/api/exercises");
    $("#exercise").replaceChildren(...exercises.map((ex) => h("option", { value: ex.id }, ex.name)));
    const wanted = new URLSearchParams(location.search).get("exercise");
    if (wanted) $("#exercise").value = wanted;
    $("#start").addEventListener("click", () => start().catch((err) => showError("#msg", err)));
    $("#stop").addEventListener("click", () => { stop(); status("Stopped"); });
    window.addEventListener("beforeunload", stop);
  }

  main().catch((err) => showError("#msg", err));
})();
