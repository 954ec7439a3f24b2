// Upload page: pick the exercise (or let it be recognised, or mark the video a session of several
// sets with an optional plan) and the video, upload with progress, follow the analysis, list clips.
import { $, api, csrfToken, fmtDate, fmtSeconds, h, me, poll, repsText, showError, signedIn } from "./common.js";
import { exercise as exerciseMeta, loadMeta, stageText, statusText } from "./meta.js";
import { exercisePicker } from "./picker.js";

let chosen = null;
let exercise = null;
let limits = null;
let following = null;
let plans = [];

const isSession = () => $("#is-session").checked;

function showExercise(ex) {
  exercise = ex;
  $("#exercise-info").textContent = !ex
    ? "Choose the exercise you filmed, or let FormCheck recognise it: the reps and checks depend on it."
    : ex.auto
      ? "FormCheck recognises the exercise from the movement and says how sure it is; you can re-run it as another exercise."
      : `${ex.per_leg ? "One leg at a time: reps counted per leg" : "Both legs together"} · prescription ` +
        `${ex.prescription} · best filmed from the ${ex.best_view_names.join(" or ")}`;
  ready();
}

function ready() {
  $("#upload-submit").disabled = !(chosen && (exercise || isSession())) || following !== null;
}

function planText(plan) {
  return plan.items.map((i) => `${(exerciseMeta(i.exercise) || { name: i.exercise }).name} ${i.prescription}`).join(" · ");
}

function setupSession(meta) {
  plans = meta.plans;
  $("#plan").replaceChildren(h("option", { value: "" }, "No plan"),
    ...plans.map((p) => h("option", { value: p.id }, p.name)));
  const showPlan = () => {
    const plan = plans.find((p) => p.id === $("#plan").value);
    $("#plan-info").textContent = plan ? planText(plan)
      : "Each set is found, its exercise and working leg recognised, and its reps checked.";
  };
  $("#plan").addEventListener("change", showPlan);
  const showFields = () => {
    $("#one-set").classList.toggle("hidden", isSession());
    $("#session-fields").classList.toggle("hidden", !isSession());
    $("#exercise").required = !isSession();  // a hidden required field would block the form
    showLimits();
    ready();
  };
  $("#is-session").addEventListener("change", showFields);
  showPlan();
  showFields();  // the box may have been ticked while the page was still loading
}

const minutesText = (s) => (s >= 60 ? `${(s / 60).toFixed(0)} min` : `${s} s`);

function showLimits() {
  if (!limits) return;
  const longest = isSession() ? limits.max_session_duration_s : limits.max_duration_s;
  $("#file-limits").textContent = `mp4, mov, avi or webm · up to ${limits.max_upload_mb} MB and ${minutesText(longest)}`;
}

async function loadLimits() {
  limits = await api("/api/limits");
  showLimits();
}

function choose(file) {
  if (file && limits && file.size > limits.max_upload_mb * 1024 * 1024) {
    showError("#upload-msg", new Error(`${file.name} is larger than the ${limits.max_upload_mb} MB limit`));
    file = null;
  }
  chosen = file || null;
  $("#file-name").textContent = chosen ? chosen.name : "Choose a video or drop it here";
  if (chosen) $("#upload-msg").replaceChildren();
  ready();
}

function setupDrop() {
  const drop = $("#drop");
  drop.addEventListener("click", (ev) => { if (ev.target !== $("#file")) $("#file").click(); });
  $("#file").addEventListener("change", () => choose($("#file").files[0]));
  drop.addEventListener("dragover", (ev) => { ev.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (ev) => {
    ev.preventDefault();
    drop.classList.remove("over");
    choose(ev.dataTransfer.files[0]);
  });
}

/** XMLHttpRequest (fetch has no upload progress); resolves with the JSON answer. */
function send(form, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/analyses");
    xhr.setRequestHeader("X-CSRF-Token", csrfToken());
    xhr.responseType = "json";
    xhr.upload.addEventListener("progress", (ev) => {
      if (ev.lengthComputable) onProgress(ev.loaded / ev.total);
    });
    xhr.addEventListener("load", () => {
      if (xhr.status === 202) resolve(xhr.response);
      else {
        const detail = xhr.response && xhr.response.detail;
        reject(new Error(typeof detail === "string" ? detail : `upload failed (${xhr.status})`));
      }
    });
    xhr.addEventListener("error", () => reject(new Error("the upload was interrupted")));
    xhr.send(form);
  });
}

function bar(which, fraction, text) {
  $(`#${which}-progress`).classList.remove("hidden");
  const pct = `${Math.round(fraction * 100)}%`;
  $(`#${which}-bar`).style.width = pct;
  $(`#${which}-pct`).textContent = pct;
  if (text) $("#analysis-stage").textContent = text;
}

function follow(id) {
  following = id;
  bar("analysis", 0, stageText("queued"));
  poll(async () => {
    const a = await api(`/api/analyses/${id}`);
    bar("analysis", a.progress, stageText(a.stage));
    updateRow(a);
    // The clip's (or session's) page opens as soon as its report is ready; the video follows there.
    const open = a.status === "done" || (a.status === "running" && a.report_s != null);
    if (open) location.href = a.page_url;
    if (a.status === "failed") {
      showError("#upload-msg", new Error(a.error));
      following = null;
      ready();
      loadClips();
    }
    return open || a.status === "failed";
  }, 1000);
}

async function upload(ev) {
  ev.preventDefault();
  if (!chosen || !(exercise || isSession())) return;
  $("#upload-submit").disabled = true;
  $("#analysis-progress").classList.add("hidden");
  const form = new FormData();
  if (isSession()) {
    form.append("session", "true");
    if ($("#plan").value) form.append("plan", $("#plan").value);
  } else {
    form.append("exercise", exercise.id);
  }
  form.append("file", chosen, chosen.name);
  try {
    const accepted = await send(form, (f) => bar("upload", f));
    bar("upload", 1);
    await loadClips();
    follow(accepted.id);
  } catch (err) {
    showError("#upload-msg", err);
    ready();
  }
}

function selectedIds() {
  return [...document.querySelectorAll("#clips input[type=checkbox]:checked")].map((c) => c.value);
}

// The newest state seen of each clip: the list and the progress poll answer at different times,
// and a slower answer must not put an older state back ("waiting" after "analysing 11%").
const newest = new Map();
const RANK = { queued: 0, running: 1, done: 2, failed: 2 };
const ahead = (a, b) => RANK[a.status] - RANK[b.status] || a.progress - b.progress;

/** The status cell says what the clip is doing now: "analysing 11%", never "waiting" at 11%. */
function updateRow(c) {
  const seen = newest.get(c.id);
  if (seen && ahead(seen, c) > 0) c = seen; else newest.set(c.id, c);
  const cell = document.querySelector(`#clips tbody tr[data-id='${c.id}'] .status`);
  if (!cell) return;
  cell.className = `status ${c.status}`;
  cell.textContent = statusText(c);
}

let refreshing = null;

/** The list's "Analysed in" cell: the report, then the annotated video ("6.1 s, video 9.7 s"). */
function tookCell(c) {
  if (c.report_s != null && c.analysis_s != null) return `${fmtSeconds(c.report_s)}, video ${fmtSeconds(c.analysis_s)}`;
  return fmtSeconds(c.report_s ?? c.analysis_s);
}

async function loadClips() {
  const [clips, user] = await Promise.all([api("/api/analyses"), me()]);
  const mine = clips.filter((c) => c.owner_id === user.id);
  $("#no-clips").classList.toggle("hidden", mine.length > 0);
  $("#clips tbody").replaceChildren(...mine.map((c) => h("tr", { class: "clickable", dataset: { id: c.id, url: c.page_url } },
    h("td", {}, h("input", { type: "checkbox", value: c.id, "aria-label": `select ${c.original_name}`, onclick: (e) => e.stopPropagation(),
                             onchange: () => { $("#compare-btn").disabled = selectedIds().length !== 2; } })),
    h("td", { class: "nowrap date" }, fmtDate(c.created_at)),
    h("td", {}, c.exercise_name),
    h("td", { class: "muted small file wide-only" }, c.original_name),
    h("td", {}, h("span", { class: `status ${c.status}` }, statusText(c))),
    h("td", { class: "num" }, repsText(c)),
    h("td", { class: "num" }, c.fault_count ?? "–"),
    h("td", { class: "num nowrap took wide-only" }, tookCell(c)))));
  document.querySelectorAll("#clips tbody tr").forEach((tr) =>
    tr.addEventListener("click", () => { location.href = tr.dataset.url; }));
  mine.forEach(updateRow);
  // Clips still waiting or analysing (this upload or another tab's): keep their status current.
  const open = mine.some((c) => c.status === "queued" || c.status === "running");
  if (open && !refreshing) {
    refreshing = setTimeout(() => { refreshing = null; loadClips().catch(console.error); }, 2000);
  }
}

function coachText(user) {
  if (!user.coach) return "No coach: only you see your clips.";
  if (user.coach_status === "accepted") return `${user.coach} sees your clips.`;
  return `Asked ${user.coach} to coach you: your clips are shared once they accept.`;
}

async function setupCoach() {
  const user = await me();
  if (user.role !== "athlete") {
    $("#coach-heading").classList.add("hidden");
    $("#coach-form").classList.add("hidden");
    return;
  }
  const say = (u) => { $("#coach-msg").textContent = coachText(u); };
  $("#coach-email").value = user.coach || "";
  say(user);
  $("#coach-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      say(await api("/api/me/coach", { method: "PUT", json: { coach: $("#coach-email").value.trim() || null } }));
    } catch (err) {
      showError("#coach-msg", err);
    }
  });
}

async function main() {
  const [, meta] = await Promise.all([signedIn(), loadMeta()]);
  setupDrop();
  setupSession(meta);
  $("#upload-form").addEventListener("submit", upload);
  $("#compare-btn").addEventListener("click", () => {
    const [a, b] = selectedIds();
    location.href = `/compare?a=${a}&b=${b}`;
  });
  await Promise.all([exercisePicker($("#exercise"), { onChange: showExercise }), loadLimits(), loadClips(), setupCoach()]);
}

main().catch((err) => showError("#upload-msg", err));
