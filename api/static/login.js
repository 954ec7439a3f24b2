// Sign-in and registration: the token comes back as an HttpOnly cookie the pages then use.
import { $, api, safeNext, showError } from "./common.js";

const target = safeNext(new URLSearchParams(location.search).get("next"));

async function signIn(email, password) {
  const form = new URLSearchParams({ username: email, password });
  await api("/api/auth/token", { method: "POST", body: form });
  location.href = target;
}

$("#login-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  $("#login-submit").disabled = true;
  try {
    await signIn($("#login-email").value, $("#login-password").value);
  } catch (err) {
    showError("#login-msg", err);
    $("#login-submit").disabled = false;
  }
});

const roleInputs = document.querySelectorAll("input[name=role]");
const role = () => [...roleInputs].find((r) => r.checked).value;
roleInputs.forEach((r) => r.addEventListener("change", () => {
  $("#coach-field").classList.toggle("hidden", role() === "coach");
}));

$("#register-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  $("#register-submit").disabled = true;
  const email = $("#reg-email").value;
  const password = $("#reg-password").value;
  const coach = role() === "athlete" ? $("#reg-coach").value.trim() || null : null;
  try {
    await api("/api/auth/register", { method: "POST", json: { email, password, role: role(), coach } });
    await signIn(email, password);
  } catch (err) {
    showError("#register-msg", err);
    $("#register-submit").disabled = false;
  }
});
