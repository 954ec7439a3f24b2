// Shared helpers for the FormCheck pages: API calls, DOM building, formatting, the signed-in user.
// An ES module: every page script imports what it uses.

/** Build an element: h("a", {href: "/x", class: "c"}, "text", child). Text is never parsed as HTML. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export const $ = (sel, root = document) => root.querySelector(sel);

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

function detailText(body, status) {
  if (!body || body.detail === undefined) return `request failed (${status})`;
  if (typeof body.detail === "string") return body.detail;
  // FastAPI validation errors: a list of {loc, msg}.
  return body.detail.map((d) => `${(d.loc || []).slice(1).join(".")}: ${d.msg}`).join("; ");
}

/**
 * Where to go after signing in: only a path on this site. "//host", "/\\host" (browsers read a
 * backslash as a slash), absolute URLs and control characters fall back to "/", and so does
 * anything that would resolve to another origin.
 */
export function safeNext(next) {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return "/";
  if (/[\u0000-\u001f\u007f]/.test(next)) return "/";
  try {
    const url = new URL(next, location.origin);
    return url.origin === location.origin ? url.pathname + url.search + url.hash : "/";
  } catch (err) {
    return "/";
  }
}

/** The CSRF token the server set as a cookie; state-changing requests send it back as a header. */
export function csrfToken() {
  const found = document.cookie.split("; ").find((c) => c.startsWith("formcheck_csrf="));
  return found ? found.slice("formcheck_csrf=".length) : "";
}

/** fetch() on the API with the login cookie; JSON in and out; throws ApiError with the detail. */
export async function api(path, options = {}) {
  const opts = { credentials: "same-origin", ...options, headers: { ...(options.headers || {}) } };
  if (opts.method && !["GET", "HEAD"].includes(opts.method.toUpperCase())) {
    opts.headers["X-CSRF-Token"] = csrfToken();
  }
  if (opts.json !== undefined) {
    opts.body = JSON.stringify(opts.json);
    opts.headers["Content-Type"] = "application/json";
    delete opts.json;
  }
  const res = await fetch(path, opts);
  if (res.status === 401 && !path.startsWith("/api/auth/")) {
    location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
    throw new ApiError(401, "not signed in");
  }
  const type = res.headers.get("content-type") || "";
  const body = type.includes("json") ? await res.json() : null;
  if (!res.ok) throw new ApiError(res.status, detailText(body, res.status));
  return body;
}

export function showError(target, err) {
  const box = typeof target === "string" ? $(target) : target;
  box.replaceChildren(h("div", { class: "msg error", role: "alert" }, err.message || String(err)));
}

// ---- formatting ----
export const fmtTime = (s) => {
  if (s === null || s === undefined || Number.isNaN(s)) return "–";
  const m = Math.floor(s / 60);
  const sec = (s - m * 60).toFixed(1).padStart(4, "0");
  return `${m}:${sec}`;
};
export const fmtDate = (iso) => new Date(iso).toLocaleString(undefined, {
  year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
});
/** How long something took: "4.2 s", "38 s", "2:05 min". */
export const fmtSeconds = (s) => {
  if (s === null || s === undefined || Number.isNaN(s)) return "–";
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  return `${fmtTime(Math.round(s)).replace(/\.0$/, "")} min`;
};
/** How long an analysis took, for a page's header: "report in 8.1 s, video in 10.8 s" (the report
 * comes before the annotated video), "report in 8.1 s" while the video is drawn, "" before. */
export const tookText = (d) => {
  if (d.report_s != null) return `report in ${fmtSeconds(d.report_s)}` + (d.analysis_s != null ? `, video in ${fmtSeconds(d.analysis_s)}` : "");
  return d.analysis_s != null ? `analysed in ${fmtSeconds(d.analysis_s)}` : "";
};
export const fmtNum = (v, digits = 1) => (v === null || v === undefined ? "–" : Number(v).toFixed(digits));
export const sideChip = (side) => (side ? h("span", { class: `chip ${side}` }, side) : null);

/** "3 L · 2 R" for per-leg clips, the total otherwise, "–" before the analysis is done. */
export function repsText(item) {
  if (item.rep_count === null || item.rep_count === undefined) return "–";
  if (item.reps_by_side) return `${item.reps_by_side.left} L · ${item.reps_by_side.right} R`;
  return String(item.rep_count);
}

/** "2 L · 1 R · 3 both" (zero parts left out), "–" before the analysis is done. */
export function faultsBySideText(bySide) {
  if (!bySide) return "–";
  const parts = [["left", "L"], ["right", "R"], ["both", "both"]]
    .filter(([k]) => bySide[k]).map(([k, short]) => `${bySide[k]} ${short}`);
  return parts.length ? parts.join(" · ") : "0";
}

/** Wrap a table so that it scrolls inside its card on a narrow screen instead of widening the page. */
export const scroller = (table) => h("div", { class: "table-wrap" }, table);

// ---- the signed-in user (the header itself is rendered by the server) ----
let mePromise = null;
export function me() {
  mePromise = mePromise || api("/api/me");
  return mePromise;
}

/** Wire the header's sign-out button; resolves with the signed-in user. */
export async function signedIn() {
  const out = $("#logout");
  if (out) {
    out.addEventListener("click", async () => {
      await api("/api/auth/logout", { method: "POST" });
      location.href = "/login";
    });
  }
  return me();
}

/** Poll fn every `ms` until it returns true; returns a stop function. */
export function poll(fn, ms) {
  let timer = null;
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    let finished = false;
    try {
      finished = await fn();
    } catch (err) {
      console.error(err);
    }
    if (!finished && !stopped) timer = setTimeout(tick, ms);
  };
  tick();
  return () => { stopped = true; clearTimeout(timer); };
}

/** A "Delete ..." button in the page head for the athlete who uploaded the analysis at `url`:
 * asks first, deletes it with every file made from it, then goes back to the upload page. */
export function deleteButton(url, detail, user, question, label) {
  if (user.id !== detail.owner_id) return;
  const remove = async () => {
    if (!window.confirm(question)) return;
    try {
      await api(url, { method: "DELETE" });
      location.href = "/upload";
    } catch (err) {
      showError("#msg", err);
    }
  };
  $(".page-head").append(h("button", { class: "small", id: "delete-clip", onclick: remove }, label));
}

/** The report is shown while the annotated video is drawn: its progress in the player's place. */
export function showVideoPending(d) {
  $("#video").classList.add("hidden");
  $("#video-pending").classList.remove("hidden");
  const pct = `${Math.round(d.progress * 100)}%`;
  $("#video-bar").style.width = pct;
  $("#video-pct").textContent = pct;
}

/** The annotated video is ready: in the player. */
export function showVideo(src) {
  $("#video-pending").classList.add("hidden");
  $("#video").classList.remove("hidden");
  $("#video").src = src;
}
