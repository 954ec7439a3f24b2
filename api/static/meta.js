// The service's metadata document (GET /api/meta), fetched once per page, and the words, units
// and colours every page takes from it: exercise and fault names, view names, signal labels,
// rounding, status and stage words.
import { api } from "./common.js";

let metaPromise = null;
let loaded = null;

/** Load the metadata; resolves with it (later calls reuse the first answer). */
export function loadMeta() {
  metaPromise = metaPromise || api("/api/meta").then((m) => {
    loaded = m;
    // The stylesheet's leg colours follow the metadata (the annotated video's colours).
    for (const key of ["left", "right", "both"]) document.documentElement.style.setProperty(`--${key}`, m.colours[key]);
    return m;
  });
  return metaPromise;
}

function meta() {
  if (!loaded) throw new Error("metadata not loaded yet: await loadMeta() first");
  return loaded;
}

export const exercise = (id) => meta().exercises.find((e) => e.id === id) || null;
export const exercises = () => meta().exercises;
export const plan = (id) => meta().plans.find((p) => p.id === id) || null;
export const faultTitle = (code) => meta().faults[code] || (code || "").replaceAll("_", " ");
export const viewName = (view) => meta().views[view] || view || "unknown";
export const colour = (key) => meta().colours[key] || meta().colours.both;
export const stageText = (stage) => meta().stages[stage] || stage;

/** A number rounded to what its unit supports, with the unit: "12 deg", "0.4 s". */
export function formatValue(value, unitCode, shift = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  const unit = meta().units[unitCode] || { text: unitCode, digits: 1 };
  let text = Number(value + shift).toFixed(unit.digits);
  if (Number(text) === 0) text = text.replace(/^-/, "");
  return unit.text ? `${text} ${unit.text}` : text;
}

/** The check an exercise makes for a fault code (unit, rounding, display shift), or a plain one. */
export function check(exerciseId, code, unitCode) {
  const ex = exercise(exerciseId);
  const found = ex && ex.checks.find((c) => c.code === code);
  return found || { code, title: faultTitle(code), measure: faultTitle(code).toLowerCase(), unit: unitCode, shift: 0 };
}

/** What was measured, its value and its limit, in the units and conventions a coach reads. */
export function faultValue(exerciseId, fault) {
  if (fault.value === null || fault.value === undefined) return "";
  const c = check(exerciseId, fault.code, fault.unit);
  return `${c.measure}: ${formatValue(fault.value, fault.unit, c.shift)} (limit ${formatValue(fault.limit, fault.unit, c.shift)})`;
}

/** How far past its limit a fault is and how sure that is, in words:
 * "10 deg past the limit; measured to about 14 deg, so worth a look rather than certain". */
export function faultCertainty(exerciseId, fault) {
  if (fault.margin === null || fault.margin === undefined) return "";
  const unit = check(exerciseId, fault.code, fault.unit).unit || fault.unit;
  const past = `${formatValue(Math.abs(fault.margin), unit)} past the limit`;
  if (fault.uncertainty === null || fault.uncertainty === undefined) return past;
  const sure = fault.confidence !== "possible" ? "clearly past it"
    : byGuess(fault) ? "clearly past it, but the exercise is only a best guess, so worth a look rather than certain"
      : "so worth a look rather than certain";
  return `${past}; measured to about ${formatValue(fault.uncertainty, unit)}, ${sure}`;
}

/** A fault marked possible although clearly past its limit: found by the rules of an exercise
 * recognised without certainty (it would be clear once the exercise is named). */
export function byGuess(fault) {
  return fault.confidence === "possible" && fault.margin != null && fault.uncertainty != null
    && fault.margin > fault.uncertainty;
}

/** "knee_flexion_left" -> {base: "knee_flexion", side: "left"}. */
export function splitSignal(name) {
  const m = name.match(/^(\w+?)_(left|right)$/);
  return m ? { base: m[1], side: m[2] } : { base: name, side: null };
}

/** "knee bend, left leg" for a per-frame series name. */
export function signalLabel(name) {
  const { base, side } = splitSignal(name);
  const s = meta().signals[base];
  const label = s ? s.label : base.replaceAll("_", " ");
  return side ? `${label}, ${side}` : label;
}

export const signalShift = (name) => (meta().signals[splitSignal(name).base] || {}).shift || 0;

/** Status as a person reads it: "analysing 11%" while running, never "queued" at 11%. */
export function statusText(item) {
  const word = meta().statuses[item.status] || item.status;
  if (item.status === "running") return `${word} ${Math.round((item.progress || 0) * 100)}%`;
  return word;
}
