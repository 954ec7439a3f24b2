// Live page: webcam frames to the server over a WebSocket, one in flight at a time (frames the
// server cannot keep up with are simply not sent), skeleton and angles drawn from each reply.
// With "recognise it for me" the server names the exercise within the first reps; one tap on
// another exercise corrects it (the reps so far are counted again for it).
import { $, h, showError, signedIn } from "./common.js";
import { exercise as exerciseMeta, exercises as allExercises, faultTitle, loadMeta, viewName } from "./meta.js";
import { exercisePicker } from "./picker.js";
import { drawSkeleton } from "./skeleton.js";

const SEND_WIDTH = 640;
const JPEG_QUALITY = 0.7;
let siteMeta = null;
let exercise = null;  // the choice in the picker (or AUTO)
let counting = null;  // the exercise counted now (the choice, or the one recognised)

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

function drawOverlay() {
  const canvas = $("#overlay");
  const video = $("#camera");
  canvas.width = video.videoWidth || 640;
  canvas.height = video.videoHeight || 480;
  drawSkeleton(canvas.getContext("2d"), siteMeta, lastReply && lastReply.landmarks,
    { angles: (lastReply && lastReply.angles) || {}, signals: counting ? counting.signals : [] });
}

function speak(text) {
  if (!$("#speak").checked || !("speechSynthesis" in window)) return;
  window.speechSynthesis.cancel();
  window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
}

function onRep(ev) {
  const faults = ev.faults || [];
  const line = h("div", {}, h("strong", {}, `Rep ${ev.index}`), ev.side ? ` (${ev.side}) ` : " ",
    faults.length ? faults.map((f) => h("span", { class: `chip ${f.confidence === "possible" ? "possible" : f.severity}` }, faultTitle(f.code))) : h("span", { class: "chip confirmed" }, "clean"));
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
  status(!msg.landmarks ? "Nobody in frame: step back so your whole body shows"
    : msg.recognising ? "Tracking · recognising the exercise" : `Tracking · ${viewName(msg.view)} view`);
  drawOverlay();
}

/** Count this exercise from now on: one tap on an alternative, or a choice in the list. */
function correct(id) {
  if (!ws || ws.readyState !== WebSocket.OPEN || !id) return;
  ws.send(JSON.stringify({ type: "exercise", exercise: id }));
  $("#recognised-text").textContent = `Switching to ${(exerciseMeta(id) || { name: id }).name}…`;
}

function onRecognised(msg) {
  counting = exerciseMeta(msg.exercise);
  const pct = (c) => `${Math.round(c * 100)}%`;
  const box = $("#recognised");
  box.classList.remove("hidden");
  box.dataset.exercise = msg.exercise;
  box.dataset.by = msg.by;
  $("#recognised-text").textContent = msg.by === "athlete"
    ? `Counting ${msg.name} (your choice).`
    : msg.sure ? `Recognised: ${msg.name} (${pct(msg.confidence)} sure).`
      : `Not sure: ${msg.name} is the best guess (${pct(msg.confidence)}). Tap the right one if it is wrong.`;
  const alts = msg.by === "recognition" ? msg.alternatives : [];
  $("#recognised-alternatives").replaceChildren(...alts.map((a) => h("button", {
    type: "button", class: "small alt", dataset: { exercise: a.exercise }, onclick: () => correct(a.exercise),
  }, `${(exerciseMeta(a.exercise) || { name: a.exercise }).name} ${pct(a.confidence)}`)));
  const select = $("#recognised-other");
  select.replaceChildren(h("option", { value: "", selected: true, disabled: true }, "Another exercise…"),
    ...allExercises().filter((e) => e.id !== msg.exercise).map((e) => h("option", { value: e.id }, e.name)));
  status(`Counting: ${msg.name}`);
}

function onMessage(event) {
  const msg = JSON.parse(event.data);
  if (msg.type === "ready") {
    meta = msg;
    if (msg.exercise === null) {
      $("#recognised").classList.remove("hidden");
      $("#recognised-text").textContent = "Watching your first reps to recognise the exercise…";
      $("#recognised-alternatives").replaceChildren();
    }
    status(`Connected: ${msg.name}`);
    sendNext();
  } else if (msg.type === "recognised") {
    onRecognised(msg);
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
  if (!exercise) throw new Error("choose an exercise first");
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
  counting = exercise.auto ? null : exercise;
  $("#recognised").classList.add("hidden");
  stats.frames = 0;
  stats.since = performance.now();
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  ws = new WebSocket(`${proto}//${location.host}/api/live?exercise=${encodeURIComponent(exercise.id)}`);
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
  $("#start").disabled = !exercise;
  $("#stop").disabled = true;
}

function choose(ex) {
  exercise = ex;
  $("#exercise-info").textContent = !ex
    ? "Choose the exercise first, or let FormCheck recognise it: the rep counter and the checks depend on it."
    : ex.auto ? "FormCheck recognises the exercise within your first two reps; one tap corrects it."
      : `${ex.per_leg ? "One leg at a time: reps counted per leg" : "Both legs together"} · best filmed from the ${ex.best_view_names.join(" or ")}`;
  $("#start").disabled = !ex || running;
}

async function main() {
  [, siteMeta] = await Promise.all([signedIn(), loadMeta()]);
  const wanted = new URLSearchParams(location.search).get("exercise");
  await exercisePicker($("#exercise"), { wanted, onChange: choose });
  $("#start").addEventListener("click", () => start().catch((err) => showError("#msg", err)));
  $("#stop").addEventListener("click", () => { stop(); status("Stopped"); });
  $("#recognised-other").addEventListener("change", (ev) => correct(ev.target.value));
  window.addEventListener("beforeunload", stop);
}

main().catch((err) => showError("#msg", err));
