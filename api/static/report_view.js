// Pieces of a finished analysis shown on the clip and compare pages (DOM builders, no fetching).
// Words, units and rounding come from the metadata document (meta.js).
import { h, fmtNum, fmtTime, scroller, sideChip } from "./common.js";
import { check, exercise, faultTitle, formatValue, viewName } from "./meta.js";

function stat(key, value, cls) {
  return h("div", { class: `stat ${cls || ""}` }, h("div", { class: "v" }, value), h("div", { class: "k" }, key));
}

const perLeg = (detail) => detail.per_leg ?? Boolean(detail.report && detail.report.per_leg);

/** Tiles: reps (per leg when per-leg), faults still open, camera view. */
export function stats(detail) {
  const r = detail.report;
  const tiles = [stat("reps", r.rep_count)];
  if (perLeg(detail)) {
    const by = r.reps_by_side || { left: 0, right: 0 };
    tiles.push(stat("left leg", by.left, "left"), stat("right leg", by.right, "right"));
  }
  tiles.push(stat("open faults", detail.fault_count), stat("camera view", viewName(r.view), "view"));
  return h("div", { class: "stats", id: "stats" }, tiles);
}

/** The movement does not look like the chosen exercise: said first, before any number. */
export function mismatch(report) {
  if (!report.exercise_mismatch) return null;
  const text = report.exercise_mismatch;
  return h("div", { class: "msg warn", id: "mismatch", role: "alert" },
    h("strong", {}, "Check the exercise: "), text[0].toUpperCase() + text.slice(1), ".");
}

/** Reps done against the routine's prescription, leg by leg for per-leg work. */
export function prescription(detail) {
  const report = detail.report;
  const p = report.prescription || {};
  if (!p.text) return null;
  const ok = p.status === "within prescription";
  const by = report.reps_by_side;
  const done = perLeg(detail) && by ? `left ${by.left}, right ${by.right}` : `${report.rep_count} reps`;
  return h("div", { class: `msg ${ok ? "ok" : "info"}`, id: "prescription" },
    h("strong", {}, "Prescription "), `${p.text} · done: ${done} · ${p.status}`);
}

function comparisonRows(exerciseId, comparisons) {
  return comparisons.map((c) => {
    const k = check(exerciseId, c.code, c.unit);
    const label = `${c.measure || k.measure}${k.unit_text ? ` (${k.unit_text})` : ""}`;
    const num = (v) => formatValue(v, c.unit, k.shift).replace(/ .*$/, "");
    return h("tr", { class: c.beyond_noise ? "beyond" : null, dataset: { code: c.code } },
      h("td", {}, label), h("td", { class: "num" }, num(c.left)), h("td", { class: "num" }, num(c.right)),
      h("td", { class: "num" }, formatValue(c.difference, c.unit).replace(/ .*$/, "")));
  });
}

function findings(comparisons) {
  if (!comparisons.length) return null;
  return h("ul", { class: "findings" }, comparisons.map((c) => h("li", { class: c.beyond_noise ? "beyond" : null },
    c.text, c.beyond_noise ? h("span", { class: "chip major" }, "beyond noise") : null)));
}

function table(head, rows) {
  return scroller(h("table", { class: "symmetry-table" },
    h("thead", {}, h("tr", {}, head.map((c, i) => h("th", { class: i ? "num" : null }, c)))),
    h("tbody", {}, rows)));
}

/** Left vs right: reps, tempo, faults and every measurement in plain words, with the verdict. */
export function symmetry(detail) {
  const r = detail.report;
  const a = r.asymmetry || {};
  const comparisons = a.comparisons || [];
  const box = h("div", { id: "symmetry" });
  const verdict = a.verdict ? h("p", { class: "verdict", id: "verdict" }, h("strong", {}, "Verdict: "), a.verdict) : null;
  if (!perLeg(detail)) {
    const f = detail.faults_by_side || {};
    box.append(...[
      h("p", { class: "muted small" }, "Two-legged exercise: both legs work in every rep."),
      verdict,
      comparisons.length ? table(["", "left", "right", "difference"], comparisonRows(r.exercise, comparisons)) : null,
      findings(comparisons),
      h("p", { class: "small muted" }, "Open faults by the leg they were seen on:"),
      table(["", "left", "right", "both legs"], [h("tr", {}, h("td", {}, "open faults"),
        h("td", { class: "num" }, f.left ?? 0), h("td", { class: "num" }, f.right ?? 0), h("td", { class: "num" }, f.both ?? 0))])]
      .filter(Boolean));
    return box;
  }
  const rows = [];
  const by = r.reps_by_side || a.reps || { left: 0, right: 0 };
  rows.push(h("tr", {}, h("td", {}, "reps"), h("td", { class: "num", id: "reps-left" }, by.left),
    h("td", { class: "num", id: "reps-right" }, by.right),
    h("td", { class: "num muted small" }, a.reps_lsi !== undefined && a.reps_lsi !== null ? `symmetry ${a.reps_lsi}%` : "")));
  if (a.tempo_s) {
    rows.push(h("tr", {}, h("td", {}, "seconds per rep"), h("td", { class: "num" }, fmtNum(a.tempo_s.left, 1)),
      h("td", { class: "num" }, fmtNum(a.tempo_s.right, 1)), h("td", { class: "num muted small" }, a.tempo_lsi ? `symmetry ${a.tempo_lsi}%` : "")));
  }
  if (a.faults) {
    rows.push(h("tr", {}, h("td", {}, "faults"), h("td", { class: "num" }, a.faults.left), h("td", { class: "num" }, a.faults.right), h("td", {}, "")));
  }
  rows.push(...comparisonRows(r.exercise, comparisons));
  box.append(...[table(["", "left", "right", "difference"], rows), verdict, findings(comparisons),
    comparisons.length ? h("p", { class: "small muted" },
      "Highlighted: a difference larger than the measurement's noise. Smaller ones may be noise.") : null]
    .filter(Boolean));
  return box;
}

function faultChips(faults, reviewOf) {
  return faults.map((f) => {
    const review = reviewOf ? reviewOf(f.index) : null;
    const cls = review ? review.verdict : f.confidence === "possible" ? "possible" : f.severity;
    return h("span", { class: `chip ${cls}`, title: f.cue }, faultTitle(f.code));
  });
}

/** Per-rep table; clicking a row seeks the video to the start of the rep. */
export function repsTable(report, video, reviewOf) {
  let faultIndex = 0;
  const rows = report.reps.map((rep) => {
    const faults = rep.faults.map((f) => ({ ...f, index: faultIndex++ }));
    const tr = h("tr", { class: "clickable", dataset: { start: rep.start_s, end: rep.end_s } },
      h("td", {}, rep.index), h("td", {}, sideChip(rep.side) || h("span", { class: "muted" }, "both")),
      h("td", { class: "num wide-only" }, fmtTime(rep.start_s)), h("td", { class: "num" }, fmtTime(rep.bottom_s)),
      h("td", { class: "num wide-only" }, fmtTime(rep.end_s)), h("td", { class: "num wide-only" }, fmtNum(rep.duration_s ?? rep.end_s - rep.start_s, 1)),
      h("td", {}, faults.length ? faultChips(faults, reviewOf) : h("span", { class: "muted" }, "clean")));
    tr.addEventListener("click", () => { video.currentTime = rep.start_s; });
    return tr;
  });
  // On a phone the start, end and seconds columns give way (a row's tap seeks to the start) so
  // that the faults of each rep stay in view.
  const heads = [["rep"], ["leg"], ["start", "num wide-only"], ["bottom", "num"], ["end", "num wide-only"],
    ["seconds", "num wide-only"], ["faults"]];
  const tableEl = h("table", { id: "reps-table" },
    h("thead", {}, h("tr", {}, heads.map(([c, cls]) => h("th", { class: cls || null }, c)))),
    h("tbody", {}, rows));
  const highlight = (t) => rows.forEach((tr) => tr.classList.toggle("current", t >= +tr.dataset.start && t <= +tr.dataset.end));
  return { table: scroller(tableEl), highlight };
}

/** Warnings (the exercise mismatch is shown apart) and checks the camera view did not allow. */
export function notAssessed(report) {
  const warnings = (report.warnings || []).slice(report.exercise_mismatch ? 1 : 0);
  const items = [...warnings.map((w) => h("li", {}, w)),
    ...(report.not_assessed || []).map((n) => h("li", {}, h("strong", {}, faultTitle(n.code)), `: ${n.reason}`,
      n.how_to_film ? h("span", { class: "muted" }, ` (${n.how_to_film})`) : null))];
  return items.length ? h("ul", { class: "small" }, items) : h("p", { class: "muted small" }, "Everything was assessed.");
}

/** The exercise's own signals, both legs: what the angle plot starts with. */
export function defaultSignals(exerciseId) {
  const ex = exercise(exerciseId);
  const names = ex ? ex.signals : ["knee_flexion", "hip_flexion", "trunk_inclination"];
  return names.flatMap((n) => [n, `${n}_left`, `${n}_right`]);
}
