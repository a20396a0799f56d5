// The viewer's shell: the token of this tab's session, the caller and project, and the four tabs.
import { session, get, ApiError } from "./api.js";
import { h, showError, clearNotice } from "./ui.js";
import * as messages from "./messages.js";
import * as requests from "./requests.js";
import * as provisioning from "./provisioning.js";
import * as logs from "./logs.js";

const tabs = { messages, requests, provisioning, logs };
const $ = id => document.getElementById(id);

let caller = null;
let project = "";
let unmount = () => {};

async function signIn() {
  unmount();
  caller = null;
  clearNotice($("notice"));
  $("caller").replaceChildren();
  if (!session.token) {
    $("sign-out").hidden = true;
    $("project-form").hidden = true;
    return;
  }
  try {
    caller = await get("/v1/caller");
  } catch (e) {
    showError($("notice"), e instanceof ApiError && e.httpStatus === 401
      ? new Error("The token was not accepted. Check that you pasted it whole.") : e);
    $("view").replaceChildren();
    return;
  }
  $("sign-out").hidden = false;
  project = caller.project;
  $("caller").replaceChildren(h("span", {}, "Signed in as ", h("strong", {}, caller.name), ` (${caller.roles.join(", ")})`));
  $("project-form").hidden = !caller.admin;
  $("project").value = project;
  $("projects").replaceChildren(h("option", { value: caller.project }));
  show();
}

function show() {
  unmount();
  if (!caller) return;
  const name = location.hash.slice(1) in tabs ? location.hash.slice(1) : "messages";
  for (const link of document.querySelectorAll("#tabs a")) {
    link.setAttribute("aria-current", link.dataset.tab === name ? "page" : "false");
  }
  clearNotice($("notice"));
  const view = $("view");
  view.replaceChildren();
  const context = {
    project,
    // Member and admin tokens may act (delete, cancel, publish); readers and agents only look.
    canManage: caller.admin || caller.roles.includes("member"),
    notice: $("notice"),
  };
  unmount = tabs[name].mount(view, context) ?? (() => {});
}

$("token-form").addEventListener("submit", e => {
  e.preventDefault();
  session.token = $("token").value.trim();
  $("token").value = "";
  signIn();
});

$("sign-out").addEventListener("click", () => {
  session.token = "";
  signIn();
  $("view").replaceChildren(h("p", { className: "empty" }, "Signed out."));
});

$("project-form").addEventListener("submit", e => {
  e.preventDefault();
  project = $("project").value.trim() || caller.project;
  show();
});

window.addEventListener("hashchange", show);
signIn();
