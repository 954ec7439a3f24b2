// Pieces of a finished analysis shown on the clip and compare pages (DOM builders, no fetching).
"use strict";

const ReportView = (() => {
  const { h, fmtNum, fmtTime, label, sideChip } = FC;

  function stat(key, value, cls) {
    return h("div", { class: `stat ${cls || ""}` }, h("div", { class: "v" }, value), h("div", { class: "k" }, key));
  }

  /** Tiles: reps (per leg when per-leg), faults still open, view, prescription. */
  function stats(detail) {
    const r = detail.report;
    const tiles = [stat("reps", r.rep_count)];
    if (r.reps_by_side) {
      tiles.push(stat("left leg", r.reps_by_side.left, "left"), stat("right leg", r.reps_by_side.right, "right"));
    }
    tiles.push(stat("faults", detail.fault_count), stat("view", r.view || "?"));
    return h("div", { class: "stats", id: "stats" }, tiles);
  }

  function prescription(report) {
    const p = report.prescription || {};
    if (!p.text) return null;
    const ok = p.status === "within prescription";
    return h("div", { class: `msg ${ok ? "ok" : "info"}` }, `Prescription ${p.text}${p.per_leg ? " per leg" : ""}: ${p.status}`);
  }

  /** Left vs right: reps, tempo, faults and measured angles, with the report's verdict. */
  function symmetry(detail) {
    const r = detail.report;
    const a = r.asymmetry || {};
    const box = h("div", { id: "symmetry" });
    if (!r.per_leg) {
      const f = detail.faults_by_side || {};
      box.append(h("p", { class: "muted small" }, "Two-legged exercise: both legs work in every rep. Faults by the leg they were seen on:"),
        h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, ""), h("th", { class: "num" }, "left"), h("th", { class: "num" }, "right"), h("th", { class: "num" }, "both legs"))),
          h("tbody", {}, h("tr", {}, h("td", {}, "open faults"), h("td", { class: "num" }, f.left ?? 0),
            h("td", { class: "num" }, f.right ?? 0), h("td", { class: "num" }, f.both ?? 0)))));
      return box;
    }
    const rows = [];
    if (a.reps) rows.push(["reps", a.reps.left, a.reps.right, a.reps_lsi !== undefined && a.reps_lsi !== null ? `LSI ${a.reps_lsi}%` : ""]);
    if (a.tempo_s) rows.push(["seconds per rep", fmtNum(a.tempo_s.left, 2), fmtNum(a.tempo_s.right, 2), a.tempo_lsi ? `LSI ${a.tempo_lsi}%` : ""]);
    if (a.faults) rows.push(["faults", a.faults.left, a.faults.right, ""]);
    const metrics = a.metrics || {};
    const codes = new Set([...Object.keys(metrics.left || {}), ...Object.keys(metrics.right || {})]);
    for (const code of [...codes].sort()) {
      const l = (metrics.left || {})[code];
      const rt = (metrics.right || {})[code];
      const diff = l !== undefined && rt !== undefined ? `Δ ${fmtNum(Math.abs(l - rt))}` : "";
      rows.push([label(code), fmtNum(l), fmtNum(rt), diff]);
    }
    box.append(
      h("table", {},
        h("thead", {}, h("tr", {}, h("th", {}, ""), h("th", { class: "num" }, "left"), h("th", { class: "num" }, "right"), h("th", { class: "num" }, ""))),
        h("tbody", {}, rows.map((row) => h("tr", {}, h("td", {}, row[0]),
          h("td", { class: "num" }, row[1] ?? "–"), h("td", { class: "num" }, row[2] ?? "–"), h("td", { class: "num muted small" }, row[3]))))),
      a.verdict ? h("p", { class: "small", style: "margin-top:.6rem" }, h("strong", {}, "Verdict: "), a.verdict) : null);
    return box;
  }

  function faultChips(faults, reviewsByKey) {
    return faults.map((f) => {
      const review = reviewsByKey ? reviewsByKey(f) : null;
      const cls = review ? review.verdict : f.severity;
      return h("span", { class: `chip ${cls}`, title: f.cue }, label(f.code));
    });
  }

  /** Per-rep table; clicking a row seeks the video to the start of the rep. */
  function repsTable(report, video, reviewOf) {
    let faultIndex = 0;
    const rows = report.reps.map((rep) => {
      const faults = rep.faults.map((f) => ({ ...f, index: faultIndex++ }));
      const tr = h("tr", { class: "clickable", dataset: { start: rep.start_s, end: rep.end_s } },
        h("td", {}, rep.index), h("td", {}, sideChip(rep.side) || h("span", { class: "muted" }, "both")),
        h("td", { class: "num" }, fmtTime(rep.start_s)), h("td", { class: "num" }, fmtTime(rep.bottom_s)),
        h("td", { class: "num" }, fmtTime(rep.end_s)), h("td", { class: "num" }, fmtNum(rep.duration_s ?? rep.end_s - rep.start_s, 2)),
        h("td", {}, faults.length ? faultChips(faults, reviewOf && ((f) => reviewOf(f.index))) : h("span", { class: "muted" }, "clean")));
      tr.addEventListener("click", () => { video.currentTime = rep.start_s; });
      return tr;
    });
    const table = h("table", { id: "reps-table" },
      h("thead", {}, h("tr", {}, ["#", "leg", "start", "bottom", "end", "s", "faults"].map((c, i) =>
        h("th", { class: i >= 2 && i <= 5 ? "num" : null }, c)))),
      h("tbody", {}, rows));
    const highlight = (t) => rows.forEach((tr) => tr.classList.toggle("current", t >= +tr.dataset.start && t <= +tr.dataset.end));
    return { table, highlight };
  }

  function notAssessed(report) {
    const items = [...(report.warnings || []).map((w) => h("li", {}, w)),
      ...(report.not_assessed || []).map((n) => h("li", {}, h("strong", {}, label(n.code)), `: ${n.reason}`,
        n.how_to_film ? h("span", { class: "muted" }, ` (${n.how_to_film})`) : null))];
    return items.length ? h("ul", { class: "small" }, items) : h("p", { class: "muted small" }, "Everything was assessed.");
  }

  return { stats, prescription, symmetry, repsTable, notAssessed, stat };
})();
