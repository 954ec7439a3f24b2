// Session page: a recording of several sets. Progress while analysing, then the annotated video,
// the sets (exercise, working leg, reps per leg, faults; click one to jump to it), the rests, the
// check against the plan and left versus right across the routine.
import { $, api, deleteButton, fmtDate, fmtTime, h, me, poll, scroller, showError, showVideo, showVideoPending, sideChip, signedIn, tookText } from "./common.js";
import { exercise, exercises as loadedExercises, faultTitle, loadMeta, stageText, statusText } from "./meta.js";

const id = location.pathname.split("/").pop();
const base = `/api/analyses/${id}`;

const name = (exerciseId) => (exercise(exerciseId) || { name: exerciseId.replaceAll("_", " ") }).name;
const pct = (c) => `${Math.round(c * 100)}%`;
const repsOf = (s) => (s.reps_by_side ? `${s.rep_count} reps (left ${s.reps_by_side.left ?? 0}, right ${s.reps_by_side.right ?? 0})` : `${s.rep_count} reps`);

function header(d) {
  $("#title").textContent = d.exercise_name;
  document.title = `${d.exercise_name} · FormCheck`;
  $("#subtitle").replaceChildren(`${d.owner} · ${fmtDate(d.created_at)} · ${d.original_name} · `,
    h("span", { class: `status ${d.status}`, id: "status" }, statusText(d)),
    tookText(d) ? h("span", { id: "took" }, ` · ${tookText(d)}`) : "");
}

function showPending(d) {
  $("#pending").classList.remove("hidden");
  const p = `${Math.round(d.progress * 100)}%`;
  $("#analysis-bar").style.width = p;
  $("#analysis-pct").textContent = p;
  $("#analysis-stage").textContent = stageText(d.stage);
  $("#status").textContent = statusText(d);
  $("#status").className = `status ${d.status}`;
}

async function showFailed(d, user) {
  $("#failed").classList.remove("hidden");
  $("#failed-reason").textContent = d.error;
  if (user.id === d.owner_id && d.can_retry) {
    $("#retry").classList.remove("hidden");
    $("#retry").onclick = async () => {
      await api(`${base}/retry`, { method: "POST" });
      location.reload();
    };
  }
}

function seek(t) {
  const video = $("#video");
  video.currentTime = t;
}

/** The faults of a set, one chip per fault, each a link to its moment in the video. */
function faultChips(s) {
  const faults = s.report.reps.flatMap((r) => r.faults.map((f) => ({ ...f, rep: r.index, side: f.side || r.side })));
  if (!faults.length) return h("span", { class: "chip confirmed" }, "no fault");
  return faults.map((f) => h("a", {
    href: "#", class: `chip ${f.confidence === "possible" ? "possible" : f.severity} fault-link`,
    title: f.cue, onclick: (e) => { e.preventDefault(); seek(f.time_s); },
  }, `rep ${f.rep}${f.side ? ` ${f.side[0].toUpperCase()}` : ""}: ${faultTitle(f.code)}`));
}

function recognitionText(s) {
  const rec = s.recognition;
  if (s.named) return h("span", { class: "small muted named" }, "named by you");
  if (!rec) return null;
  if (rec.sure) return h("span", { class: "small muted" }, `recognised, ${pct(rec.confidence)} sure`);
  const alts = rec.alternatives.map((a) => `${name(a.exercise)} ${pct(a.confidence)}`).join(", ");
  const passed = rec.no_reps && rec.no_reps.length ? `, as ${rec.no_reps.map(name).join(", ")} counted no rep` : "";
  return h("span", { class: "small warn-text" }, `not sure (${pct(rec.confidence)}${passed}); next: ${alts}`);
}

/** For the athlete: say which exercise a set was (a best guess's alternatives in one tap, or any
 * exercise); the session is analysed again from its kept poses, that set as named. */
function nameSet(s) {
  const choose = async (exerciseId) => {
    try {
      await api(`${base}/sets/${s.index}/exercise`, { method: "POST", json: { exercise: exerciseId } });
      location.reload();
    } catch (err) {
      showError("#msg", err);
    }
  };
  const alts = s.recognition && !s.recognition.sure ? s.recognition.alternatives : [];
  const select = h("select", { class: "grow", "aria-label": `exercise of set ${s.index}` },
    ...loadedExercises().filter((e) => e.id !== s.exercise).map((e) => h("option", { value: e.id }, e.name)));
  return h("details", { class: "name-set small" }, h("summary", {}, "Not this exercise?"),
    alts.length ? h("div", { class: "alts" }, ...alts.map((a) => h("button", {
      type: "button", class: "small alt", dataset: { exercise: a.exercise }, onclick: () => choose(a.exercise),
    }, name(a.exercise)))) : null,
    h("div", { class: "row" }, select,
      h("button", { type: "button", class: "small name-it", onclick: () => choose(select.value) }, "Name it")));
}

function setItem(s, canName) {
  return h("li", { class: "set", dataset: { index: s.index, start: s.start_s, end: s.end_s } },
    h("button", { type: "button", class: "set-jump", onclick: () => seek(s.start_s) },
      h("strong", {}, `Set ${s.index} · ${name(s.exercise)}`), " ", sideChip(s.side), " ",
      h("span", { class: "muted small" }, `${fmtTime(s.start_s)}–${fmtTime(s.end_s)}`)),
    h("div", { class: "small" }, repsOf(s), " · ", recognitionText(s)),
    h("div", { class: "faults-line" }, faultChips(s)),
    canName ? nameSet(s) : null);
}

function restItem(r) {
  const secs = Math.round(r.duration_s);
  return h("li", { class: "rest small muted", dataset: { after: r.after_set } },
    `Rest ${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, "0")}`);
}

function renderSets(session, canName) {
  const items = [];
  session.sets.forEach((s, i) => {
    items.push(setItem(s, canName));
    if (session.rests[i]) items.push(restItem(session.rests[i]));
  });
  $("#sets").replaceChildren(...(items.length ? items : [h("li", { class: "muted" }, "No set found in this recording.")]));
  const video = $("#video");
  video.addEventListener("timeupdate", () => {
    const t = video.currentTime;
    document.querySelectorAll("#sets .set").forEach((el) =>
      el.classList.toggle("current", t >= +el.dataset.start - 0.05 && t <= +el.dataset.end));
  });
}

function stat(key, value, cls = "") {
  return h("div", { class: `stat ${cls}` }, h("div", { class: "v" }, value), h("div", { class: "k" }, key));
}

function renderStats(session) {
  const sum = session.summary;
  const restTotal = session.rests.reduce((a, r) => a + r.duration_s, 0);
  $("#session-stats").replaceChildren(h("div", { class: "stats", id: "stats" },
    stat("sets", sum.sets), stat("reps", sum.reps), stat("exercises", Object.keys(sum.exercises).length),
    stat("rest", session.rests.length ? `${Math.round(restTotal / session.rests.length)} s avg` : "–", "view")));
}

/** The reps of each set done, "10/9/10" (per leg: "L 10/9 · R 10"), "–" for none. */
function doneText(item) {
  const sets = (reps) => (reps && reps.length ? reps.join("/") : "–");
  if (typeof item.sets_done === "number") return sets(item.reps_per_set);
  return `L ${sets(item.reps_per_set.left)} · R ${sets(item.reps_per_set.right)}`;
}

function renderPlan(session) {
  const plan = session.plan;
  if (!plan) {
    $("#plan-card").classList.add("hidden");
    return;
  }
  $("#plan-title").textContent = `Against the plan: ${plan.name}`;
  // The status in a word, in its chip; what falls short, under the exercise's name.
  const word = (i) => (i.status === "as planned" || i.status === "missing" ? i.status : "short");
  const rows = plan.items.map((i) => h("tr", { class: i.status === "as planned" ? "ok" : "short", dataset: { exercise: i.exercise } },
    h("td", {}, name(i.exercise),
      word(i) === "short" ? h("div", { class: "small muted plan-short" }, i.status) : null),
    h("td", {}, i.prescription), h("td", {}, doneText(i)),
    h("td", {}, h("span", { class: `chip ${i.status === "as planned" ? "confirmed" : i.status === "missing" ? "major" : "minor"}` }, word(i)))));
  const table = h("table", { id: "plan-table" },
    h("thead", {}, h("tr", {}, h("th", {}, "Exercise"), h("th", {}, "Planned"), h("th", { title: "reps of each set done" }, "Done"), h("th", {}, "Status"))),
    h("tbody", {}, rows));
  const notes = [];
  notes.push(h("p", { class: `msg ${plan.complete ? "ok" : "info"}`, id: "plan-verdict" },
    plan.complete ? "Done as planned." : `${plan.items.filter((i) => i.status !== "as planned").length} of ${plan.items.length} exercises not as planned.`));
  if (plan.missing.length) notes.push(h("p", { class: "small", id: "plan-missing" }, `Missing: ${plan.missing.map(name).join(", ")}`));
  if (plan.extra.length) notes.push(h("p", { class: "small", id: "plan-extra" }, `Not in the plan: ${plan.extra.map(name).join(", ")}`));
  $("#plan-box").replaceChildren(...notes, scroller(table));
}

function renderLegs(session) {
  const legs = session.summary.left_vs_right;
  const rows = Object.entries(legs.by_exercise).map(([ex, e]) => h("tr", { dataset: { exercise: ex } },
    h("td", {}, name(ex)), h("td", { class: "num" }, `${e.reps.left} / ${e.reps.right}`),
    h("td", { class: "num" }, e.reps_lsi === null || e.reps_lsi === undefined ? "–" : `${e.reps_lsi}%`),
    h("td", { class: "num" }, `${e.faults.left} / ${e.faults.right}`),
    h("td", {}, e.weaker ? sideChip(e.weaker) : h("span", { class: "muted small" }, e.note || "even"))));
  $("#legs-box").replaceChildren(h("p", { id: "legs-verdict" }, h("strong", {}, legs.verdict)),
    rows.length ? scroller(h("table", { id: "legs-table" },
      h("thead", {}, h("tr", {}, h("th", {}, "Exercise"), h("th", { class: "num" }, "Reps L / R"),
        h("th", { class: "num", title: "limb symmetry index: weaker / stronger × 100" }, "LSI"), h("th", { class: "num" }, "Faults L / R"), h("th", {}, "Weaker"))),
      h("tbody", {}, rows))) : "");
}

function renderExercises(session) {
  const rows = Object.entries(session.summary.exercises).map(([ex, e]) => h("tr", {},
    h("td", {}, name(ex)), h("td", { class: "num" }, e.sets),
    h("td", { class: "num" }, e.reps_by_side ? `${e.reps} (L ${e.reps_by_side.left} · R ${e.reps_by_side.right})` : e.reps),
    h("td", { class: "num" }, e.faults)));
  $("#exercises").replaceChildren(rows.length ? scroller(h("table", { id: "exercise-table" },
    h("thead", {}, h("tr", {}, h("th", {}, "Exercise"), h("th", { class: "num" }, "Sets"), h("th", { class: "num" }, "Reps"), h("th", { class: "num" }, "Faults"))),
    h("tbody", {}, rows))) : h("p", { class: "muted" }, "No set found."));
}

function downloads(d) {
  const links = [h("a", { class: "button small", href: `${base}/session.json`, download: "", id: "download-json" }, "Session JSON")];
  if (d.status === "done") links.push(h("a", { class: "button small", href: `${base}/video`, download: "", id: "download-video" }, "Video"));
  $("#downloads").replaceChildren(...links);
}

function renderResult(d, user) {
  const session = d.session;
  $("#result").classList.remove("hidden");
  downloads(d);
  if (d.status === "done") showVideo(`${base}/video`);
  $("#warnings").replaceChildren(...session.warnings.map((w) => h("div", { class: "msg warn", role: "alert" }, w)));
  renderSets(session, user.id === d.owner_id && d.status === "done");
  renderStats(session);
  renderPlan(session);
  renderLegs(session);
  renderExercises(session);
}

async function main() {
  const [user] = await Promise.all([signedIn(), loadMeta()]);
  const d = await api(base);
  if (d.kind !== "session") { location.replace(d.page_url); return; }
  header(d);
  deleteButton(base, d, user, "Delete this session, its video and its report for good?", "Delete session");
  const running = (a) => a.status === "queued" || a.status === "running";
  if (running(d) && !d.session) {
    showPending(d);
    poll(async () => {
      const now = await api(base);
      // The sets first (the video is still being drawn), or the end of the job.
      if (running(now) && !now.session) { showPending(now); return false; }
      location.reload();
      return true;
    }, 1000);
    return;
  }
  if (d.status === "failed") return showFailed(d, user);
  renderResult(d, user);
  if (!running(d)) { document.body.dataset.ready = user.role; return; }
  document.body.dataset.report = "ready";
  showVideoPending(d);
  poll(async () => {
    const now = await api(base);
    if (running(now) && now.session) { showVideoPending(now); $("#status").textContent = statusText(now); return false; }
    if (now.status !== "done") { location.reload(); return true; }  // failed, or queued again
    header(now);
    downloads(now);
    showVideo(`${base}/video`);
    document.body.dataset.ready = user.role;
    return true;
  }, 1000);
}

main().catch((err) => showError("#msg", err));
