// Compare page: two finished clips side by side, played together.
import { $, api, fmtDate, h, showError, signedIn } from "./common.js";
import { loadMeta } from "./meta.js";
import { Timeline, sync } from "./plots.js";
import * as ReportView from "./report_view.js";

const params = new URLSearchParams(location.search);
const videos = [];

async function column(target, id) {
  const d = await api(`/api/analyses/${id}`);
  if (d.status !== "done") throw new Error(`${d.original_name} is ${d.status}; only finished clips can be compared`);
  const video = h("video", { src: `/api/analyses/${id}/video`, controls: true, preload: "auto", playsinline: true, muted: true });
  videos.push(video);
  const timeline = h("canvas", { class: "timeline" });
  const reps = ReportView.repsTable(d.report, video, (i) => (d.faults[i] || {}).review);
  target.replaceChildren(
    h("section", { class: "card player" },
      h("h2", {}, h("a", { href: `/clips/${id}` }, d.exercise_name), h("span", { class: "muted small" }, ` · ${fmtDate(d.created_at)}`)),
      video, timeline),
    ReportView.mismatch(d.report) || "",
    h("section", { class: "card" }, ReportView.stats(d), ReportView.prescription(d)),
    h("section", { class: "card" }, h("h2", {}, "Left vs right"), ReportView.symmetry(d)),
    h("section", { class: "card" }, h("h2", {}, "Reps"), reps.table));
  const line = new Timeline(timeline, video, (d.report.video || {}).duration_s || d.duration_s, d.report.reps, d.faults);
  sync(video, [() => line.draw(), reps.highlight]);
}

async function main() {
  await Promise.all([signedIn(), loadMeta()]);
  const a = params.get("a");
  const b = params.get("b");
  if (!a || !b) throw new Error("choose two clips to compare (from your clip list or a clip page)");
  await Promise.all([column($("#col-a"), a), column($("#col-b"), b)]);
  $("#play-both").addEventListener("click", () => {
    const playing = videos.some((v) => !v.paused);
    videos.forEach((v) => (playing ? v.pause() : v.play()));
    $("#play-both").textContent = playing ? "Play both" : "Pause both";
  });
  $("#restart-both").addEventListener("click", () => videos.forEach((v) => { v.currentTime = 0; }));
  document.body.dataset.ready = "compare";
}

main().catch((err) => showError("#msg", err));
