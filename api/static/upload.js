// Upload page: pick exercise and video, upload with progress, follow the analysis, list clips.
"use strict";
(() => {
  const { h, $, api, showError, fmtDate, label, statusBadge, repsText, poll } = FC;
  let exercises = [];
  let chosen = null;

  function showExercise() {
    const ex = exercises.find((e) => e.id === $("#exercise").value);
    if (!ex) return;
    $("#exercise-info").textContent =
      `${ex.per_leg ? "Per leg" : "Both legs"} · prescription ${ex.prescription} · ` +
      `best filmed from the ${ex.best_views.join(" or ")}`;
  }

  async function loadExercises() {
    exercises = await api("/api/exercises");
    $("#exercise").replaceChildren(
      ...exercises.map((ex) => h("option", { value: ex.id }, ex.name)));
    showExercise();
  }

  let limits = null;

  async function loadLimits() {
    limits = await api("/api/limits");
    const minutes = limits.max_duration_s / 60;
    $("#file-limits").textContent =
      `mp4, mov, avi or webm · up to ${limits.max_upload_mb} MB and ${minutes >= 1 ? `${minutes.toFixed(0)} min` : `${limits.max_duration_s} s`}`;
  }

  function choose(file) {
    if (file && limits && file.size > limits.max_upload_mb * 1024 * 1024) {
      showError("#upload-msg", new Error(`${file.name} is larger than the ${limits.max_upload_mb} MB limit`));
      file = null;
    }
    chosen = file || null;
    $("#file-name").textContent = chosen ? chosen.name : "Choose a video or drop it here";
    $("#upload-submit").disabled = !chosen;
    if (chosen) $("#upload-msg").replaceChildren();
  }

  function setupDrop() {
    const drop = $("#drop");
    drop.addEventListener("click", (ev) => { if (ev.target !== $("#file")) $("#file").click(); });
    $("#file").addEventListener("change", () => choose($("#file").files[0]));
    drop.addEventListener("dragover", (ev) => { ev.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (ev) => {
      ev.preventDefault();
      drop.classList.remove("over");
      choose(ev.dataTransfer.files[0]);
    });
  }

  /** XMLHttpRequest (fetch has no upload progress); resolves with the JSON answer. */
  function send(form, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/analyses");
      xhr.setRequestHeader("X-CSRF-Token", FC.csrfToken());
      xhr.responseType = "json";
      xhr.upload.addEventListener("progress", (ev) => {
        if (ev.lengthComputable) onProgress(ev.loaded / ev.total);
      });
      xhr.addEventListener("load", () => {
        if (xhr.status === 202) resolve(xhr.response);
        else {
          const detail = xhr.response && xhr.response.detail;
          reject(new Error(typeof detail === "string" ? detail : `upload failed (${xhr.status})`));
        }
      });
      xhr.addEventListener("error", () => reject(new Error("the upload was interrupted")));
      xhr.send(form);
    });
  }

  function bar(which, fraction, text) {
    $(`#${which}-progress`).classList.remove("hidden");
    const pct = `${Math.round(fraction * 100)}%`;
    $(`#${which}-bar`).style.width = pct;
    $(`#${which}-pct`).textContent = pct;
    if (text) $("#analysis-stage").textContent = text;
  }

  const STAGES = { queued: "Waiting for a worker", starting: "Starting", pose: "Finding the body in each frame",
                   athlete: "Two people in frame: following the one exercising",
                   analysis: "Counting reps and checking form", video: "Drawing the annotated video",
                   done: "Done" };

  function follow(id) {
    bar("analysis", 0, STAGES.queued);
    poll(async () => {
      const a = await api(`/api/analyses/${id}`);
      bar("analysis", a.progress, STAGES[a.stage] || a.stage);
      if (a.status === "done") location.href = `/clips/${id}`;
      if (a.status === "failed") {
        showError("#upload-msg", new Error(a.error));
        $("#upload-submit").disabled = false;
        loadClips();
      }
      return a.status === "done" || a.status === "failed";
    }, 1000);
  }

  async function upload(ev) {
    ev.preventDefault();
    if (!chosen) return;
    $("#upload-submit").disabled = true;
    $("#analysis-progress").classList.add("hidden");
    const form = new FormData();
    form.append("exercise", $("#exercise").value);
    form.append("file", chosen, chosen.name);
    try {
      const accepted = await send(form, (f) => bar("upload", f));
      bar("upload", 1);
      loadClips();
      follow(accepted.id);
    } catch (err) {
      showError("#upload-msg", err);
      $("#upload-submit").disabled = false;
    }
  }

  function selectedIds() {
    return [...document.querySelectorAll("#clips input[type=checkbox]:checked")].map((c) => c.value);
  }

  async function loadClips() {
    const clips = await api("/api/analyses");
    const me = await FC.me();
    const mine = clips.filter((c) => c.owner_id === me.id);
    $("#no-clips").classList.toggle("hidden", mine.length > 0);
    $("#clips tbody").replaceChildren(...mine.map((c) => h("tr", { class: "clickable", dataset: { id: c.id } },
      h("td", {}, h("input", { type: "checkbox", value: c.id, onclick: (e) => e.stopPropagation(),
                               onchange: () => { $("#compare-btn").disabled = selectedIds().length !== 2; } })),
      h("td", {}, fmtDate(c.created_at)),
      h("td", {}, c.exercise_name || label(c.exercise)),
      h("td", { class: "muted small" }, c.original_name),
      h("td", {}, statusBadge(c.status)),
      h("td", { class: "num" }, repsText(c)),
      h("td", { class: "num" }, c.fault_count ?? "–"))));
    document.querySelectorAll("#clips tbody tr").forEach((tr) =>
      tr.addEventListener("click", () => { location.href = `/clips/${tr.dataset.id}`; }));
  }

  function coachText(user) {
    if (!user.coach) return "No coach: only you see your clips.";
    if (user.coach_status === "accepted") return `${user.coach} sees your clips.`;
    return `Asked ${user.coach} to coach you: your clips are shared once they accept.`;
  }

  async function setupCoach() {
    const me = await FC.me();
    if (me.role !== "athlete") {
      $("#coach-form").closest("section").querySelector("h3").classList.add("hidden");
      $("#coach-form").classList.add("hidden");
      return;
    }
    $("#coach-email").value = me.coach || "";
    $("#coach-msg").textContent = coachText(me);
    $("#coach-form").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      try {
        const user = await api("/api/me/coach", { method: "PUT", json: { coach: $("#coach-email").value.trim() || null } });
        $("#coach-msg").textContent = coachText(user);
      } catch (err) {
        showError("#coach-msg", err);
      }
    });
  }

  async function main() {
    await FC.topbar("/upload");
    setupDrop();
    $("#exercise").addEventListener("change", showExercise);
    $("#upload-form").addEventListener("submit", upload);
    $("#compare-btn").addEventListener("click", () => {
      const [a, b] = selectedIds();
      location.href = `/compare?a=${a}&b=${b}`;
    });
    await Promise.all([loadExercises(), loadLimits(), loadClips(), setupCoach()]);
  }

  main().catch((err) => showError("#upload-msg", err));
})();
