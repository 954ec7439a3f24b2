// Draw a body from per-frame landmarks: the skeleton in the leg colours of the annotated video,
// joints under the visibility threshold left out, and angle values beside their joint. The
// skeleton, colours, threshold, labels and display conventions all come from the metadata.
import { colour, splitSignal } from "./meta.js";

/**
 * landmarks: [[x, y, visibility], ...] normalised 0..1 (null where missing); angles: {signal name:
 * degrees}; signals: the exercise's signal names to write beside the joints.
 */
export function drawSkeleton(ctx, meta, landmarks, { angles = {}, signals = [] } = {}) {
  const { width, height } = ctx.canvas;
  ctx.clearRect(0, 0, width, height);
  if (!landmarks) return;
  const names = meta.skeleton.landmark_names;
  const seen = (p) => p && p[0] !== null && p[1] !== null && (p[2] ?? 1) >= meta.visibility_threshold;
  const px = (p) => [p[0] * width, p[1] * height];
  const sideOf = (i) => (names[i].startsWith("LEFT") ? "left" : names[i].startsWith("RIGHT") ? "right" : null);
  ctx.lineWidth = Math.max(3, width / 200);
  for (const [a, b] of meta.skeleton.connections) {
    const pa = landmarks[a];
    const pb = landmarks[b];
    if (!seen(pa) || !seen(pb)) continue;
    const side = sideOf(a) === sideOf(b) ? sideOf(a) : null;
    ctx.strokeStyle = side ? colour(side) : "#e9ecef";
    ctx.beginPath();
    ctx.moveTo(...px(pa));
    ctx.lineTo(...px(pb));
    ctx.stroke();
  }
  ctx.fillStyle = "#fff";
  landmarks.forEach((p, i) => {
    if (i < 11 || !seen(p)) return;  // the face's points clutter the picture
    ctx.beginPath();
    ctx.arc(...px(p), ctx.lineWidth * 1.1, 0, 2 * Math.PI);
    ctx.fill();
  });
  const font = Math.max(14, width / 40);
  ctx.font = `bold ${font}px system-ui, sans-serif`;
  for (const [name, value] of Object.entries(angles)) {
    const { base, side } = splitSignal(name);
    const info = meta.signals[base];
    if (!side || !info || !info.anchor || !signals.includes(base)) continue;
    const p = landmarks[names.indexOf(`${side.toUpperCase()}_${info.anchor.toUpperCase()}`)];
    if (!seen(p)) continue;
    const [x, y] = px(p);
    const text = `${Math.round(value + info.shift)}°`;
    const tw = ctx.measureText(text).width;
    const dx = side === "left" ? 10 : -10 - tw;
    ctx.fillStyle = "rgba(15,27,45,.7)";
    ctx.fillRect(x + dx - 4, y - font, tw + 8, font + 6);
    ctx.fillStyle = colour(side);
    ctx.fillText(text, x + dx, y);
  }
}
