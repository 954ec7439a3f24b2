// Canvas drawings synced to a <video>: the fault timeline and the angle-over-time plots.
// Colours, labels and angle conventions come from the metadata document (meta.js).
import { h, fmtTime } from "./common.js";
import { colour, faultTitle, signalLabel, signalShift, splitSignal } from "./meta.js";

// Each angle has its line style; its colour is the leg's (left, right) or the trunk's.
const DASH = { knee_flexion: [], hip_flexion: [7, 4], fppa: [2, 3], hip_extension: [10, 3, 2, 3] };
const TRUNK = "#2b8a3e";

const seriesColour = (name) => {
  const { side } = splitSignal(name);
  return side ? colour(side) : TRUNK;
};
const seriesDash = (name) => DASH[splitSignal(name).base] || [];
const sideColour = (side) => colour(side || "both");
const severityColour = (severity) => colour(severity === "major" ? "major" : "minor");

/** Size the canvas backing store to its CSS size (sharp on high-DPI screens). */
export function fit(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const hgt = canvas.clientHeight;
  if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(hgt * ratio)) {
    canvas.width = Math.round(w * ratio);
    canvas.height = Math.round(hgt * ratio);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { ctx, w, h: hgt };
}

/**
 * Timeline under the video: rep spans (coloured by leg) and fault markers; click seeks.
 * faults: [{index, time_s, severity, code, review}], reps: [{start_s, end_s, side}].
 */
export class Timeline {
  constructor(canvas, video, duration, reps, faults) {
    Object.assign(this, { canvas, video, duration: Math.max(duration, 0.1), reps, faults });
    this.pad = 10;
    canvas.addEventListener("click", (ev) => this.click(ev));
    canvas.addEventListener("mousemove", (ev) => this.hover(ev));
  }

  x(t) { return this.pad + (t / this.duration) * (this.canvas.clientWidth - 2 * this.pad); }

  timeAt(px) {
    const t = ((px - this.pad) / (this.canvas.clientWidth - 2 * this.pad)) * this.duration;
    return Math.min(Math.max(t, 0), this.duration);
  }

  faultAt(px) {
    let best = null;
    for (const f of this.faults) {
      const d = Math.abs(this.x(f.time_s) - px);
      if (d <= 7 && (!best || d < best.d)) best = { f, d };
    }
    return best && best.f;
  }

  click(ev) {
    const px = ev.offsetX;
    const fault = this.faultAt(px);
    this.video.currentTime = fault ? fault.time_s : this.timeAt(px);
    if (fault && this.onFault) this.onFault(fault);
  }

  hover(ev) {
    const fault = this.faultAt(ev.offsetX);
    this.canvas.title = fault
      ? `${faultTitle(fault.code)} (${fault.severity}) at ${fmtTime(fault.time_s)}`
      : `seek to ${fmtTime(this.timeAt(ev.offsetX))}`;
  }

  draw() {
    const { ctx, w, h } = fit(this.canvas);
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = "#eef1f5";
    ctx.fillRect(this.pad, 8, w - 2 * this.pad, 16);
    for (const r of this.reps) {
      ctx.fillStyle = sideColour(r.side);
      ctx.globalAlpha = 0.75;
      ctx.fillRect(this.x(r.start_s), 8, Math.max(this.x(r.end_s) - this.x(r.start_s), 2), 16);
      ctx.globalAlpha = 1;
      ctx.fillStyle = "#fff";
      ctx.font = "11px system-ui, sans-serif";
      ctx.fillText(String(r.index), this.x(r.start_s) + 3, 20);
    }
    for (const f of this.faults) {
      const x = this.x(f.time_s);
      const dismissed = f.review && f.review.verdict === "dismissed";
      ctx.fillStyle = dismissed ? "#adb5bd" : severityColour(f.severity);
      ctx.globalAlpha = f.confidence === "possible" ? 0.5 : 1;  // worth a look, not a clear fault
      ctx.beginPath();
      ctx.moveTo(x, 28);
      ctx.lineTo(x - 6, 40);
      ctx.lineTo(x + 6, 40);
      ctx.closePath();
      ctx.fill();
      ctx.globalAlpha = 1;
    }
    const cx = this.x(this.video.currentTime || 0);
    ctx.strokeStyle = "#111";
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(cx, 2);
    ctx.lineTo(cx, h - 2);
    ctx.stroke();
    ctx.fillStyle = "#5d6b7e";
    ctx.font = "11px system-ui, sans-serif";
    ctx.fillText(fmtTime(this.video.currentTime || 0), Math.min(cx + 4, w - 40), h - 3);
  }
}

/** Angle-over-time plot of selected per-frame signals, with a cursor at the video time. */
export class AnglePlot {
  constructor(canvas, video, frames, reps) {
    Object.assign(this, { canvas, video, frames, reps });
    this.t = frames.t;
    this.selected = new Set();
    this.margin = { l: 40, r: 10, t: 10, b: 22 };
    canvas.addEventListener("click", (ev) => {
      this.video.currentTime = this.timeAt(ev.offsetX);
    });
  }

  available() {
    return Object.keys(this.frames.signals).filter((k) => k !== "driver" && this.frames.signals[k].some((v) => v !== null));
  }

  range() {
    let lo = Infinity;
    let hi = -Infinity;
    for (const name of this.selected) {
      const shift = signalShift(name);
      for (const raw of this.frames.signals[name]) {
        if (raw === null) continue;
        const v = raw + shift;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!Number.isFinite(lo)) return [0, 180];
    const step = 20;
    return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step + (hi === lo ? step : 0)];
  }

  span() { return [this.t[0] || 0, this.t[this.t.length - 1] || 1]; }

  x(t) {
    const [t0, t1] = this.span();
    const w = this.canvas.clientWidth - this.margin.l - this.margin.r;
    return this.margin.l + ((t - t0) / Math.max(t1 - t0, 1e-6)) * w;
  }

  timeAt(px) {
    const [t0, t1] = this.span();
    const w = this.canvas.clientWidth - this.margin.l - this.margin.r;
    return Math.min(Math.max(t0 + ((px - this.margin.l) / w) * (t1 - t0), t0), t1);
  }

  /** Index of the frame nearest time t (binary search over the sorted times). */
  indexAt(t) {
    let lo = 0;
    let hi = this.t.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.t[mid] < t) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  valuesAt(t) {
    const i = this.indexAt(t);
    const out = {};
    for (const name of this.available()) out[name] = this.frames.signals[name][i];
    return out;
  }

  draw() {
    const { ctx, w, h } = fit(this.canvas);
    const m = this.margin;
    const [lo, hi] = this.range();
    const y = (v) => m.t + (1 - (v - lo) / (hi - lo)) * (h - m.t - m.b);
    ctx.clearRect(0, 0, w, h);
    for (const r of this.reps) {
      ctx.fillStyle = sideColour(r.side);
      ctx.globalAlpha = 0.08;
      ctx.fillRect(this.x(r.start_s), m.t, this.x(r.end_s) - this.x(r.start_s), h - m.t - m.b);
      ctx.globalAlpha = 1;
    }
    ctx.font = "11px system-ui, sans-serif";
    ctx.strokeStyle = "#e3e8ee";
    ctx.fillStyle = "#5d6b7e";
    ctx.lineWidth = 1;
    for (let v = lo; v <= hi; v += (hi - lo) / 4) {
      ctx.beginPath();
      ctx.moveTo(m.l, y(v));
      ctx.lineTo(w - m.r, y(v));
      ctx.stroke();
      ctx.fillText(`${Math.round(v)}°`, 4, y(v) + 4);
    }
    const [t0, t1] = this.span();
    const tick = t1 - t0 > 40 ? 10 : t1 - t0 > 12 ? 5 : 1;
    for (let t = Math.ceil(t0 / tick) * tick; t <= t1; t += tick) ctx.fillText(`${t}s`, this.x(t) - 6, h - 6);
    for (const name of this.selected) this.line(ctx, name, y);
    ctx.setLineDash([]);
    const cx = this.x(this.video.currentTime || 0);
    ctx.strokeStyle = "#111";
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(cx, m.t);
    ctx.lineTo(cx, h - m.b);
    ctx.stroke();
  }

  line(ctx, name, y) {
    const values = this.frames.signals[name];
    const shift = signalShift(name);
    ctx.strokeStyle = seriesColour(name);
    ctx.setLineDash(seriesDash(name));
    ctx.lineWidth = 2;
    ctx.beginPath();
    let pen = false;
    values.forEach((v, i) => {
      if (v === null) { pen = false; return; }
      const px = this.x(this.t[i]);
      if (pen) ctx.lineTo(px, y(v + shift)); else ctx.moveTo(px, y(v + shift));
      pen = true;
    });
    ctx.stroke();
  }
}

/** Legend with a checkbox per signal and the value at the cursor. */
export function legend(container, plot, defaults) {
  const values = {};
  const names = plot.available();
  names.filter((n) => defaults.includes(n)).forEach((n) => plot.selected.add(n));
  container.replaceChildren(...names.map((name) => {
    const box = h("input", { type: "checkbox", checked: plot.selected.has(name) });
    box.addEventListener("change", () => {
      if (box.checked) plot.selected.add(name); else plot.selected.delete(name);
      plot.draw();
    });
    values[name] = h("span", { class: "muted" }, "");
    const swatch = h("span", { class: `line-swatch ${splitSignal(name).base}` });
    swatch.style.borderTopColor = seriesColour(name);
    return h("label", { dataset: { signal: name } }, box, swatch, signalLabel(name), values[name]);
  }));
  return (t) => {
    const now = plot.valuesAt(t);
    for (const name of names) {
      values[name].textContent = now[name] === null ? " –" : ` ${Math.round(now[name] + signalShift(name))}°`;
    }
  };
}

/** Redraw `drawers` every animation frame while the video plays, and on seeks. */
export function sync(video, drawers) {
  const draw = () => drawers.forEach((d) => d(video.currentTime || 0));
  let running = false;
  const loop = () => {
    draw();
    if (!video.paused && !video.ended) requestAnimationFrame(loop); else running = false;
  };
  video.addEventListener("play", () => { if (!running) { running = true; requestAnimationFrame(loop); } });
  ["seeked", "timeupdate", "loadedmetadata"].forEach((e) => video.addEventListener(e, draw));
  window.addEventListener("resize", draw);
  draw();
  return draw;
}

