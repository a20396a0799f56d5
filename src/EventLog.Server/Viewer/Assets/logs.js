// Guest logs: an instance's logs with type and status, tail with follow, download (save), and the
// user actions publish/enable/disable/discard, which need the instance's guest agent.
import { get, post, stream, query, ApiError } from "./api.js";
import { h, table, time, bytes, enumWord, zone, showError, showInfo, clearNotice, appendLines } from "./ui.js";

const UNAVAILABLE = 14;

export function mount(view, { project, canManage, notice }) {
  const stop = new AbortController();
  const form = h("form", { className: "filters" },
    h("label", {}, "Instance ID", h("input", { name: "instance", size: 36, required: true, value: sessionStorage.getItem("eventlog.viewer.instance") ?? "" })),
    h("button", { type: "submit" }, "Show"));
  const list = h("div", { id: "logs-table" }, h("p", { className: "empty" }, "Enter an instance ID to see its guest logs."));
  const tailPanel = h("section", { id: "tail", hidden: true });
  view.append(h("section", {}, h("h2", {}, "Guest logs"), form, list), tailPanel);

  let instance = "";
  let tailStop = null;
  const logPath = name => `/v1/projects/${encodeURIComponent(project)}/instances/${encodeURIComponent(instance)}/logs/${encodeURIComponent(name)}`;

  async function load() {
    try {
      const page = await get(`/v1/projects/${encodeURIComponent(project)}/instances/${encodeURIComponent(instance)}/logs` + query({ page_size: 100 }), stop.signal);
      render(page.logs ?? []);
    } catch (e) {
      showError(notice, e);
    }
  }

  function render(logs) {
    const headers = ["Log", "Type", "Status", "Published", "Lines", `Published at (${zone})`, ""];
    list.replaceChildren(table(headers, logs.map(log => {
      const status = enumWord(log.status, "GUEST_LOG_STATUS_");
      const actions = [
        h("button", { onclick: () => tail(log.name) }, "Tail"),
        h("button", { onclick: () => save(log.name) }, "Download"),
      ];
      if (canManage) {
        actions.push(
          h("button", { onclick: () => act(log.name, "publish", "Published") }, "Publish"),
          h("button", { onclick: () => act(log.name, "enable", "Enabled") }, "Enable"),
          h("button", { onclick: () => act(log.name, "disable", "Disabled") }, "Disable"),
          h("button", { className: "danger", onclick: () => act(log.name, "discard", "Discarded") }, "Discard"));
      }
      return [h("strong", {}, log.name), enumWord(log.type, "GUEST_LOG_TYPE_"),
        h("span", { className: `badge ${status.toLowerCase()}` }, status), bytes(log.publishedBytes), log.lineCount ?? 0,
        time(log.publishedAt), h("div", { className: "actions" }, actions)];
    }), "This instance has no registered logs (its guest agent has not registered any)."));
  }

  async function act(name, verb, done) {
    if (verb === "discard" && !confirm(`Discard everything published of ${name}?`)) return;
    try {
      await post(`${logPath(name)}:${verb}`);
      showInfo(notice, `${done}: ${name}.`);
      await load();
    } catch (e) {
      showError(notice, e instanceof ApiError && e.code === UNAVAILABLE
        ? new Error(`No guest agent of instance ${instance} is connected, so "${verb}" cannot be carried out now. Try again when the instance is running.`)
        : e);
    }
  }

  async function tail(name) {
    tailStop?.abort();
    tailStop = new AbortController();
    const signal = AbortSignal.any([stop.signal, tailStop.signal]);
    const output = h("pre", { className: "log", id: "tail-log" });
    const state = h("span", { className: "live" }, "● following");
    const startNote = h("p", { className: "empty" });
    tailPanel.hidden = false;
    tailPanel.replaceChildren(h("h2", {}, `Tail of ${name} `, state, " ", h("button", { onclick: () => tailStop.abort() }, "Stop")), startNote, output);
    try {
      await stream(`${logPath(name)}:tail` + query({ lines: 100, follow: true }), m => {
        const firstAvailable = Number(m.firstAvailableLine ?? 0);
        if (firstAvailable > 1) startNote.textContent = `Lines before ${firstAvailable} have expired; the log starts there.`;
        if (!m.lines) return;
        appendLines(output, m.lines.firstLineNumber, m.lines.lines);
      }, signal);
    } catch (e) {
      showError(notice, e);
    }
    state.className = "live off";
    state.textContent = "stopped";
  }

  async function save(name) {
    try {
      const parts = [];
      await stream(`${logPath(name)}:save`, m => {
        if (m.data) parts.push(Uint8Array.from(atob(m.data), c => c.charCodeAt(0)));
      }, stop.signal);
      const link = h("a", { href: URL.createObjectURL(new Blob(parts, { type: "text/plain" })), download: `${instance}-${name}.log` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    } catch (e) {
      showError(notice, e);
    }
  }

  form.addEventListener("submit", e => {
    e.preventDefault();
    instance = new FormData(form).get("instance").trim();
    sessionStorage.setItem("eventlog.viewer.instance", instance);
    clearNotice(notice);
    tailStop?.abort();
    tailPanel.hidden = true;
    load();
  });
  if (sessionStorage.getItem("eventlog.viewer.instance")) {
    instance = sessionStorage.getItem("eventlog.viewer.instance");
    load();
  }
  return () => stop.abort();
}
