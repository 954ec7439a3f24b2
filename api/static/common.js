// Shared helpers for the FormCheck pages: API calls, DOM building, formatting, top bar.
"use strict";

const FC = (() => {
  /** Build an element: h("a", {href: "/x", class: "c"}, "text", child). Text is never parsed as HTML. */
  function h(tag, attrs, ...children) {
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

  const $ = (sel, root = document) => root.querySelector(sel);

  class ApiError extends Error {
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
  function safeNext(next) {
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
  function csrfToken() {
    const found = document.cookie.split("; ").find((c) => c.startsWith("formcheck_csrf="));
    return found ? found.slice("formcheck_csrf=".length) : "";
  }

  /** fetch() on the API with the login cookie; JSON in and out; throws ApiError with the detail. */
  async function api(path, options = {}) {
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

  function showError(target, err) {
    const box = typeof target === "string" ? $(target) : target;
    box.replaceChildren(h("div", { class: "msg error", role: "alert" }, err.message || String(err)));
  }

  // ---- formatting ----
  const fmtTime = (s) => {
    if (s === null || s === undefined || Number.isNaN(s)) return "–";
    const m = Math.floor(s / 60);
    const sec = (s - m * 60).toFixed(1).padStart(4, "0");
    return `${m}:${sec}`;
  };
  const fmtDate = (iso) => new Date(iso).toLocaleString(undefined, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
  });
  const fmtNum = (v, digits = 1) => (v === null || v === undefined ? "–" : Number(v).toFixed(digits));
  const label = (code) => (code || "").replaceAll("_", " ");
  const sideChip = (side) => (side ? h("span", { class: `chip ${side}` }, side) : null);
  const statusBadge = (status) => h("span", { class: `status ${status}` }, status);

  function repsText(item) {
    if (item.rep_count === null || item.rep_count === undefined) return "–";
    if (item.reps_by_side) return `${item.reps_by_side.left} L · ${item.reps_by_side.right} R`;
    return String(item.rep_count);
  }

  /** "2 L · 1 R · 3 both" (zero parts left out), "–" before the analysis is done. */
  function faultsBySideText(bySide) {
    if (!bySide) return "–";
    const parts = [["left", "L"], ["right", "R"], ["both", "both"]]
      .filter(([k]) => bySide[k]).map(([k, short]) => `${bySide[k]} ${short}`);
    return parts.length ? parts.join(" · ") : "0";
  }

  // ---- top bar ----
  let mePromise = null;
  function me() {
    mePromise = mePromise || api("/api/me");
    return mePromise;
  }

  async function topbar(active) {
    const user = await me();
    const links = user.role === "coach"
      ? [["/coach", "Athletes"], ["/upload", "My clips"], ["/live", "Live"]]
      : [["/upload", "Upload"], ["/live", "Live"]];
    const logout = async () => {
      await api("/api/auth/logout", { method: "POST" });
      location.href = "/login";
    };
    const bar = h("header", { class: "topbar" },
      h("a", { class: "brand", href: "/" }, "Form", h("span", {}, "Check")),
      h("nav", {}, links.map(([href, text]) =>
        h("a", { href, class: href === active ? "active" : null }, text))),
      h("span", { class: "who" }, `${user.email} · ${user.role}`),
      h("button", { class: "small", onclick: logout, id: "logout" }, "Sign out"));
    document.body.prepend(bar);
    return user;
  }

  /** Poll fn every `ms` until it returns true; returns a stop function. */
  function poll(fn, ms) {
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

  return {
    h, $, api, csrfToken, safeNext, ApiError, showError, fmtTime, fmtDate, fmtNum, label, sideChip, statusBadge,
    repsText, faultsBySideText, me, topbar, poll,
  };
})();
