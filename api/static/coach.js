// Coach dashboard: athletes, their clips, and per-leg trends over time.
import { $, api, faultsBySideText, fmtDate, h, repsText, showError, signedIn } from "./common.js";
import { colour, loadMeta, statusText } from "./meta.js";
import { fit } from "./plots.js";

// Points of the same date and value would hide each other: each leg is drawn a little to its own
// side of the date, left filled, right as a ring.
const NUDGE = { left: -5, right: 5, both: 0 };
let points = [];

function athleteCard(a, onSelect) {
  return h("div", { class: "athlete", dataset: { id: a.id }, onclick: onSelect },
    h("div", { class: "email" }, a.email),
    h("div", { class: "small muted" }, `${a.clips} clips · ${a.done} analysed`),
    h("div", { class: "small muted" }, a.last_clip_at ? `last ${fmtDate(a.last_clip_at)}` : "no clip yet"),
    h("div", { class: "small" }, a.open_faults ? h("span", { class: "chip minor" }, `${a.open_faults} open faults`) : h("span", { class: "chip" }, "no open fault")));
}

function selected() {
  return [...document.querySelectorAll("#clips input:checked")].map((c) => c.value);
}

function clipRow(c) {
  const tr = h("tr", { class: "clickable", dataset: { id: c.id } },
    h("td", {}, h("input", { type: "checkbox", value: c.id, "aria-label": `select ${c.original_name}`, onclick: (e) => e.stopPropagation(),
                             onchange: () => { $("#compare-btn").disabled = selected().length !== 2; } })),
    h("td", { class: "nowrap date" }, fmtDate(c.created_at)), h("td", {}, c.exercise_name),
    h("td", {}, h("span", { class: `status ${c.status}` }, statusText(c))), h("td", { class: "num" }, repsText(c)),
    h("td", { class: "num" }, faultsBySideText(c.faults_by_side)),
    h("td", { class: "num wide-only" }, c.fault_count ?? "–"));
  tr.addEventListener("click", () => { location.href = c.page_url; });
  return tr;
}

/** Where each point was drawn, for tests and tooltips: [{side, key, x, y}]. */
export let drawnPoints = [];

function drawTrend() {
  const exercise = $("#trend-exercise").value;
  const pts = points.filter((p) => p.exercise === exercise);
  const canvas = $("#trend");
  const { ctx, w, h: ht } = fit(canvas);
  ctx.clearRect(0, 0, w, ht);
  drawnPoints = [];
  const m = { l: 36, r: 16, t: 12, b: 26 };
  if (!pts.length) return;
  const sides = Object.keys(pts[0].reps);
  const max = Math.max(1, ...pts.flatMap((p) => [...Object.values(p.reps), ...Object.values(p.faults)]));
  const x = (i) => m.l + (pts.length === 1 ? (w - m.l - m.r) / 2 : (i / (pts.length - 1)) * (w - m.l - m.r));
  const y = (v) => m.t + (1 - v / max) * (ht - m.t - m.b);
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = "#5d6b7e";
  ctx.strokeStyle = "#e3e8ee";
  for (let v = 0; v <= max; v += Math.max(1, Math.ceil(max / 5))) {
    ctx.beginPath(); ctx.moveTo(m.l, y(v)); ctx.lineTo(w - m.r, y(v)); ctx.stroke();
    ctx.fillText(String(v), 8, y(v) + 4);
  }
  pts.forEach((p, i) => ctx.fillText(new Date(p.created_at).toLocaleDateString(undefined, { month: "short", day: "numeric" }), x(i) - 16, ht - 8));
  const series = (key, side, dashed) => {
    const px = (i) => x(i) + (NUDGE[side] || 0);
    ctx.strokeStyle = colour(side);
    ctx.fillStyle = colour(side);
    ctx.lineWidth = 2;
    ctx.setLineDash(dashed ? [5, 4] : []);
    ctx.beginPath();
    pts.forEach((p, i) => { const v = p[key][side] ?? 0; if (i) ctx.lineTo(px(i), y(v)); else ctx.moveTo(px(i), y(v)); });
    ctx.stroke();
    ctx.setLineDash([]);
    pts.forEach((p, i) => {
      const v = p[key][side] ?? 0;
      ctx.beginPath();
      ctx.arc(px(i), y(v), side === "right" ? 5 : 4, 0, 2 * Math.PI);
      if (side === "right") {
        ctx.fillStyle = "#fff";
        ctx.fill();
        ctx.stroke();
        ctx.fillStyle = colour(side);
      } else {
        ctx.fill();
      }
      drawnPoints.push({ side, key, x: px(i), y: y(v) });
    });
  };
  for (const side of sides) series("reps", side, false);
  const faultSides = ["left", "right", "both"].filter((s) => pts.some((p) => p.faults[s]));
  for (const side of faultSides) series("faults", side, true);
  canvas.dataset.points = JSON.stringify(drawnPoints.map((p) => [p.side, p.key, Math.round(p.x), Math.round(p.y)]));
  // Six columns do not fit a phone: there each clip's row stacks, every value under its name.
  const heads = ["date", "reps", "prescription", "open faults", "reps symmetry", "left vs right"];
  const cell = (k, attrs, text) => h("td", { ...attrs, dataset: { label: heads[k] } }, text);
  $("#trend-table").replaceChildren(h("div", { class: "table-wrap" }, h("table", { class: "small stack" },
    h("thead", {}, h("tr", {}, heads.map((c) => h("th", {}, c)))),
    h("tbody", {}, pts.map((p) => h("tr", {},
      cell(0, { class: "nowrap" }, fmtDate(p.created_at)),
      cell(1, { class: "nowrap" }, Object.entries(p.reps).map(([s, v]) => `${s === "both" ? "both legs" : s} ${v}`).join(" · ")),
      cell(2, {}, p.prescription || "–"),
      cell(3, {}, faultsBySideText(p.faults)),
      cell(4, {}, p.reps_lsi === null ? "–" : `${p.reps_lsi}%`),
      cell(5, { class: "muted" }, p.verdict || "")))))));
}

async function selectAthlete(athlete) {
  document.querySelectorAll(".athlete").forEach((el) => el.classList.toggle("selected", +el.dataset.id === athlete.id));
  $("#athlete-view").classList.remove("hidden");
  $("#athlete-name").textContent = `Clips of ${athlete.email}`;
  const [clips, trend] = await Promise.all([
    api(`/api/analyses?athlete_id=${athlete.id}`),
    api(`/api/coach/athletes/${athlete.id}/trends`)]);
  $("#clips tbody").replaceChildren(...clips.map(clipRow));
  $("#compare-btn").disabled = true;
  points = trend;
  const exercises = [...new Map(trend.map((p) => [p.exercise, p.exercise_name])).entries()];
  $("#trend-exercise").replaceChildren(...exercises.map(([id, name]) => h("option", { value: id }, name)));
  drawTrend();
}

/** Athletes asking to join: nothing of theirs is shared until the coach accepts. */
async function showRequests() {
  const pending = await api("/api/coach/requests");
  document.querySelector("#requests")?.remove();
  if (!pending.length) return;
  const answer = (a, accept) => async () => {
    try {
      if (accept) await api(`/api/coach/requests/${a.id}/accept`, { method: "POST" });
      else await api(`/api/coach/requests/${a.id}`, { method: "DELETE" });
      location.reload();
    } catch (err) {
      showError("#msg", err);
    }
  };
  const box = h("section", { class: "card", id: "requests" },
    h("h2", {}, "Requests"),
    h("p", { class: "small muted" }, "These athletes asked you to coach them. Accept to see their clips."),
    pending.map((a) => h("div", { class: "row request", dataset: { id: a.id } },
      h("span", { class: "email" }, a.email), h("span", { class: "spacer" }),
      h("button", { class: "small primary", onclick: answer(a, true) }, "Accept"),
      h("button", { class: "small", onclick: answer(a, false) }, "Decline"))));
  $("#msg").after(box);
}

async function main() {
  await Promise.all([signedIn(), loadMeta()]);
  await showRequests();
  const athletes = await api("/api/coach/athletes");
  $("#no-athletes").classList.toggle("hidden", athletes.length > 0);
  $("#athletes").replaceChildren(...athletes.map((a) => athleteCard(a, () => selectAthlete(a).catch((e) => showError("#msg", e)))));
  $("#trend-exercise").addEventListener("change", drawTrend);
  window.addEventListener("resize", drawTrend);
  $("#compare-btn").addEventListener("click", () => {
    const [a, b] = selected();
    location.href = `/compare?a=${a}&b=${b}`;
  });
  if (athletes.length === 1) await selectAthlete(athletes[0]);
}

main().catch((err) => showError("#msg", err));
