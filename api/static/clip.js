// Clip page: progress while analysing, then the result (video, timeline, plots, reps, L vs R),
// fault reviews and notes.
import { $, api, deleteButton, fmtDate, fmtTime, h, me, poll, repsText, showError, showVideo, showVideoPending, sideChip, signedIn, tookText } from "./common.js";
import { byGuess, exercise as exerciseMeta, exercises as loadedExercises, faultCertainty, faultTitle, faultValue, loadMeta, stageText, statusText } from "./meta.js";
import { AnglePlot, Timeline, legend, sync } from "./plots.js";
import * as ReportView from "./report_view.js";

const id = location.pathname.split("/").pop();
const base = `/api/analyses/${id}`;
let detail = null;
let timeline = null;
let repsView = null;

function header(d) {
  $("#title").textContent = d.exercise_name;
  document.title = `${d.exercise_name} · FormCheck`;
  $("#subtitle").replaceChildren(`${d.owner} · ${fmtDate(d.created_at)} · ${d.original_name} · `,
    h("span", { class: `status ${d.status}`, id: "status" }, statusText(d)),
    tookText(d) ? h("span", { id: "took" }, ` · ${tookText(d)}`) : "");
}

/** The report is shown while the annotated video is drawn: its progress in the player. */
function drawingVideo(d) {
  showVideoPending(d);
  $("#status").textContent = statusText(d);
}

/** The job is done: the annotated video in the player, its download, and fault reviews. */
function videoReady(d, user) {
  detail = d;
  header(d);
  showVideo(`${base}/video`);
  downloads(d);
  renderReview(d);
  recognitionBox(d, user);
  document.body.dataset.ready = user.role;
}

function showPending(d) {
  $("#pending").classList.remove("hidden");
  const pct = `${Math.round(d.progress * 100)}%`;
  $("#analysis-bar").style.width = pct;
  $("#analysis-pct").textContent = pct;
  $("#analysis-stage").textContent = stageText(d.stage);
  $("#status").textContent = statusText(d);
  $("#status").className = `status ${d.status}`;
}

/** The exercise chosen by FormCheck: how sure, the alternatives when unsure, and (for the owner)
 * re-running the clip as another exercise. */
function recognitionBox(d, user) {
  const box = $("#recognition");
  const rec = d.recognition;
  const owner = user.id === d.owner_id && d.can_reanalyse;
  if (!rec && !owner) return;
  const name = (id) => (exerciseMeta(id) || { name: id.replaceAll("_", " ") }).name;
  const pct = (c) => `${Math.round(c * 100)}%`;
  const rerun = async (id) => {
    try {
      await api(`${base}/reanalyse`, { method: "POST", json: { exercise: id } });
      location.reload();
    } catch (err) {
      showError("#msg", err);
    }
  };
  const parts = [];
  if (rec) {
    parts.push(h("h2", {}, "Exercise recognised"));
    parts.push(rec.sure
      ? h("p", { id: "recognition-verdict" }, `Recognised as ${name(rec.exercise)}, ${pct(rec.confidence)} sure.`)
      : h("p", { id: "recognition-verdict", class: "msg warn" },
        `Not sure which exercise this is. Best guess: ${name(rec.exercise)} (${pct(rec.confidence)}). ` +
        "Check it, or re-run it as the exercise you did: until then its faults are only worth a look."));
    if (!rec.sure && rec.unsure_because) {
      parts.push(h("p", { class: "small", id: "recognition-because" },
        `${rec.unsure_because[0].toUpperCase()}${rec.unsure_because.slice(1)}: check it before trusting the count and the faults.`));
    }
    if (rec.no_reps && rec.no_reps.length) {
      parts.push(h("p", { class: "small", id: "recognition-no-reps" },
        `${rec.no_reps.map(name).join(", ")} counted no rep in this clip, so ${name(rec.exercise)}, which does, was taken.`));
    }
    if (rec.same_movement && rec.same_movement.length) {
      parts.push(h("p", { class: "small muted" }, `Moves the same as: ${rec.same_movement.map(name).join(", ")} (the pose cannot tell them apart).`));
    }
    if (rec.alternatives.length) {
      parts.push(h("div", { class: "small", id: "recognition-alternatives" }, "Next best: ",
        ...rec.alternatives.map((a) => owner
          ? h("button", { class: "small alt", type: "button", dataset: { exercise: a.exercise }, onclick: () => rerun(a.exercise) },
            `${name(a.exercise)} ${pct(a.confidence)}`)
          : h("span", { class: "chip" }, `${name(a.exercise)} ${pct(a.confidence)}`))));
    }
  }
  if (owner) {
    const select = h("select", { id: "reanalyse-exercise", class: "grow", "aria-label": "exercise to re-run as" },
      ...loadedExercises().filter((e) => e.id !== d.exercise).map((e) => h("option", { value: e.id }, e.name)));
    parts.push(h("div", { class: "row gap-top" }, h("span", { class: "small" }, rec ? "Not this exercise?" : "Filmed another exercise?"),
      select, h("button", { class: "small", id: "reanalyse", type: "button", onclick: () => rerun(select.value) }, "Re-run as this")));
  }
  box.replaceChildren(...parts);
  box.classList.remove("hidden");
}

async function showFailed(d) {
  $("#pending").classList.add("hidden");
  $("#failed").classList.remove("hidden");
  $("#failed-reason").textContent = d.error;
  const user = await me();
  if (user.id === d.owner_id && d.can_retry) {
    $("#retry").classList.remove("hidden");
    $("#retry").onclick = async () => {
      await api(`${base}/retry`, { method: "POST" });
      location.reload();
    };
  }
}

function downloads(d) {
  const links = [
    h("a", { class: "button small", href: `${base}/report.json`, download: "", id: "download-json" }, "Report JSON"),
    h("a", { class: "button small", href: `${base}/report.csv`, download: "", id: "download-csv" }, "Report CSV")];
  if (d.status === "done") links.push(h("a", { class: "button small", href: `${base}/video`, download: "", id: "download-video" }, "Video"));
  $("#downloads").replaceChildren(...links);
}

function faultRow(f) {
  const video = $("#video");
  const verdict = f.review && f.review.verdict;
  const set = async (v) => {
    const method = verdict === v ? "DELETE" : "PUT";
    const opts = method === "PUT" ? { method, json: { verdict: v } } : { method };
    try {
      await api(`${base}/faults/${f.index}/review`, opts);
      await refresh();
    } catch (err) {
      showError("#msg", err);
    }
  };
  const value = faultValue(detail.exercise, f);
  const done = detail.status === "done";
  return h("div", { class: `fault ${verdict || ""}`, dataset: { index: f.index } },
    h("div", { class: "grades" }, h("span", { class: `chip ${f.severity}` }, f.severity),
      f.confidence === "possible"
        ? h("span", { class: "chip possible", title: byGuess(f) ? "found by the rules of an exercise recognised without certainty"
          : "beyond the limit by less than the measurement's uncertainty" }, "worth a look")
        : null),
    h("div", { class: "body" },
      h("div", { class: "title" }, faultTitle(f.code), " ", sideChip(f.side), " ",
        h("a", { href: "#", onclick: (e) => { e.preventDefault(); video.currentTime = f.time_s; } },
          `rep ${f.rep} · ${fmtTime(f.time_s)}`)),
      h("div", { class: "cue" }, f.cue), h("div", { class: "small muted" }, value),
      h("div", { class: "small muted certainty" }, faultCertainty(detail.exercise, f)),
      f.review ? h("div", { class: "small muted" }, `${f.review.verdict} by ${f.review.reviewer}`) : null),
    h("div", { class: "actions" },
      h("button", { class: `small good${verdict === "confirmed" ? " primary" : ""}`, onclick: () => set("confirmed"), disabled: !done,
        title: done ? "Confirm: the fault is real" : "Reviews open when the video is ready" }, verdict === "confirmed" ? "Confirmed" : "Confirm"),
      h("button", { class: `small bad${verdict === "dismissed" ? " primary" : ""}`, onclick: () => set("dismissed"), disabled: !done,
        title: done ? "Dismiss: not a real fault" : "Reviews open when the video is ready" }, verdict === "dismissed" ? "Dismissed" : "Dismiss")));
}

function renderReview(d) {
  $("#summary-card").replaceChildren(h("h2", {}, "Summary"), ReportView.stats(d), ReportView.prescription(d));
  $("#mismatch-box").replaceChildren(ReportView.mismatch(d.report) || "");
  $("#symmetry-box").replaceChildren(ReportView.symmetry(d));
  $("#faults").replaceChildren(...(d.faults.length ? d.faults.map(faultRow)
    : [h("p", { class: "muted" }, "No fault found in this set.")]));
  repsView = ReportView.repsTable(d.report, $("#video"), (i) => (d.faults[i] || {}).review);
  $("#reps").replaceChildren(repsView.table);
  if (timeline) {
    timeline.faults = d.faults;
    timeline.draw();
  }
}

async function refresh() {
  detail = await api(base);
  renderReview(detail);
}

async function renderResult(d) {
  $("#pending").classList.add("hidden");
  $("#result").classList.remove("hidden");
  downloads(d);
  const video = $("#video");
  if (d.status === "done") video.src = `${base}/video`;
  renderReview(d);
  $("#not-assessed").replaceChildren(ReportView.notAssessed(d.report));
  const duration = (d.report.video || {}).duration_s || d.duration_s;
  timeline = new Timeline($("#timeline"), video, duration, d.report.reps, d.faults);
  const frames = await api(`${base}/frames`);
  const plot = new AnglePlot($("#plot"), video, frames, d.report.reps);
  const values = legend($("#legend"), plot, ReportView.defaultSignals(d.exercise));
  sync(video, [() => timeline.draw(), () => plot.draw(), values, (t) => repsView.highlight(t)]);
}

async function deleteNote(n) {
  try {
    await api(`${base}/notes/${n.id}`, { method: "DELETE" });
    await loadNotes();
  } catch (err) {
    showError("#msg", err);
  }
}

async function loadNotes() {
  const [notes, user] = await Promise.all([api(`${base}/notes`), me()]);
  $("#notes").replaceChildren(...(notes.length ? notes.map((n) => h("div", { class: "note", dataset: { id: n.id } },
    h("div", { class: "row" },
      h("div", { class: "meta" }, `${n.author} (${n.author_role}) · ${fmtDate(n.created_at)}`),
      h("span", { class: "spacer" }),
      n.author === user.email ? h("button", { class: "small bad delete-note", type: "button", title: "Delete this note",
        onclick: () => deleteNote(n) }, "Delete") : null),
    h("div", {}, n.text))) : [h("p", { class: "muted small" }, "No notes yet.")]));
}

async function setupCompare(d) {
  const others = (await api(`/api/analyses?athlete_id=${d.owner_id}&kind=clip`)).filter((c) => c.id !== d.id && c.status === "done");
  const select = $("#compare-with");
  select.replaceChildren(...others.map((c) => h("option", { value: c.id },
    `${c.exercise_name} · ${fmtDate(c.created_at)} · ${repsText(c)}`)));
  $("#compare-go").disabled = others.length === 0;
  if (!others.length) select.replaceChildren(h("option", {}, "no other finished clip"));
  $("#compare-go").onclick = () => { location.href = `/compare?a=${d.id}&b=${select.value}`; };
}

function setupNotes() {
  $("#note-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("#note-submit").disabled = true;
    try {
      await api(`${base}/notes`, { method: "POST", json: { text: $("#note-text").value } });
      $("#note-text").value = "";
      await loadNotes();
    } catch (err) {
      showError("#msg", err);
    } finally {
      $("#note-submit").disabled = false;
    }
  });
}

async function main() {
  const [user] = await Promise.all([signedIn(), loadMeta()]);
  detail = await api(base);
  if (detail.kind === "session") { location.replace(detail.page_url); return; }
  header(detail);
  deleteButton(base, detail, user, "Delete this clip, its video, report, notes and reviews for good?", "Delete clip");
  recognitionBox(detail, user);
  const running = (d) => d.status === "queued" || d.status === "running";
  if (running(detail) && !detail.report) {
    poll(async () => {
      const d = await api(base);
      // The report first (the video is still being drawn), or the end of the job.
      if (running(d) && !d.report) { showPending(d); return false; }
      location.reload();
      return true;
    }, 1000);
    return;
  }
  if (detail.status === "failed") return showFailed(detail);
  setupNotes();
  await Promise.all([renderResult(detail), loadNotes(), setupCompare(detail)]);
  if (!running(detail)) { document.body.dataset.ready = user.role; return; }
  document.body.dataset.report = "ready";
  drawingVideo(detail);
  poll(async () => {
    const d = await api(base);
    if (running(d) && d.report) { drawingVideo(d); return false; }
    if (d.status === "done") videoReady(d, user);
    else location.reload();  // failed, or queued again: the page says why
    return true;
  }, 1000);
}

main().catch((err) => showError("#msg", err));
