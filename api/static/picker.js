// The exercise picker of the upload and live pages: starts empty (nothing is preselected), lists
// per-leg and two-legged exercises apart, offers "recognise it for me" (the server recognises the
// exercise), and remembers the last choice on this device.
import { h } from "./common.js";
import { loadMeta } from "./meta.js";

export const REMEMBER_KEY = "formcheck.exercise";
// The choice that leaves the exercise to the server (the API's word for it).
export const AUTO = { id: "auto", name: "Recognise it for me", auto: true, per_leg: false };

function remembered() {
  try {
    return localStorage.getItem(REMEMBER_KEY);
  } catch {
    return null;  // storage disabled: nothing remembered
  }
}

function remember(id) {
  try {
    localStorage.setItem(REMEMBER_KEY, id);
  } catch {
    // storage disabled: the choice is simply not remembered
  }
}

/**
 * Fill `select` with the catalogue. The choice is, in order: `wanted` (e.g. from the URL), the one
 * remembered from last time, else none (a disabled "Choose an exercise" option stays selected).
 * onChange(exercise, AUTO, or null) runs now and at every change.
 */
export async function exercisePicker(select, { wanted = null, onChange = () => {} } = {}) {
  const meta = await loadMeta();
  const group = (label, perLeg) => h("optgroup", { label },
    meta.exercises.filter((e) => e.per_leg === perLeg).map((e) => h("option", { value: e.id }, e.name)));
  select.replaceChildren(
    h("option", { value: "", disabled: true, selected: true }, "Choose an exercise…"),
    h("option", { value: AUTO.id }, `${AUTO.name} (from the movement)`),
    group("One leg at a time", true), group("Both legs", false));
  const known = (id) => id && (id === AUTO.id || meta.exercises.some((e) => e.id === id));
  const initial = known(wanted) ? wanted : known(remembered()) ? remembered() : "";
  select.value = initial;
  const current = () => (select.value === AUTO.id ? AUTO
    : meta.exercises.find((e) => e.id === select.value) || null);
  select.addEventListener("change", () => {
    if (select.value) remember(select.value);
    onChange(current());
  });
  onChange(current());
  return current;
}
