// Requests and tasks: the user request log with each task's outcome, a task's log followed live,
// and the timeline of the last N events.
import { get, post, stream, query } from "./api.js";
import { h, table, time, duration, enumWord, zone, showError, clearNotice, formValues, localInputToUtc, appendLines, pagerButtons } from "./ui.js";

const PAGE_SIZE = 50;

function outcomeBadge(outcome) {
  const word = enumWord(outcome, "REQUEST_OUTCOME_") || "Succeeded";
  return h("span", { className: `badge ${word.toLowerCase()}` }, word);
}

export function mount(view, { project, canManage, notice }) {
  const stop = new AbortController();
  const base = `/v1/projects/${encodeURIComponent(project)}`;
  const filters = h("form", { className: "filters" },
    h("label", {}, "App", h("input", { name: "app", size: 10 })),
    h("label", {}, "User", h("input", { name: "user", size: 10 })),
    h("label", {}, "Outcome", h("select", { name: "outcome" },
      h("option", { value: "" }, "any"),
      ["PENDING", "SUCCEEDED", "FAILED", "CANCELLED"].map(o => h("option", { value: `REQUEST_OUTCOME_${o}` }, enumWord(o))))),
    h("label", {}, "Request ID", h("input", { name: "request_id", size: 20 })),
    h("label", {}, `From (${zone})`, h("input", { name: "from", type: "datetime-local", step: 1 })),
    h("label", {}, "To", h("input", { name: "to", type: "datetime-local", step: 1 })),
    h("button", { type: "submit" }, "Filter"));
  const results = h("div", { id: "requests-table" });
  const pager = h("div", { className: "pager" });
  const taskPanel = h("section", { id: "task", hidden: true });
  const timelineSize = h("input", { type: "number", min: 1, max: 1000, value: 20, size: 5, "aria-label": "Number of events" });
  const timeline = h("div", { id: "timeline" });
  view.append(
    h("section", {}, h("h2", {}, `Request log of ${project}`), filters, results, pager),
    taskPanel,
    h("section", {}, h("h2", {}, "Timeline: the last ", timelineSize, " events ",
      h("button", { onclick: () => loadTimeline() }, "Show")), timeline));

  let tokens = [""];
  let taskStop = null;

  async function load() {
    const f = formValues(filters);
    const path = `${base}/requests` + query({
      page_size: PAGE_SIZE, page_token: tokens.at(-1),
      "filter.app": f.app, "filter.user": f.user, "filter.outcome": f.outcome, "filter.request_id": f.request_id,
      "filter.time_range.start_time": localInputToUtc(f.from), "filter.time_range.end_time": localInputToUtc(f.to),
    });
    try {
      const page = await get(path, stop.signal);
      clearNotice(notice);
      results.replaceChildren(entryTable(page.entries ?? [], "No requests match."));
      pager.replaceChildren(...pagerButtons(tokens, page.nextPageToken ?? "", load));
    } catch (e) {
      showError(notice, e);
    }
  }

  function entryTable(entries, emptyNote) {
    return table(
      [`Time (${zone})`, "Request ID", "User", "Kind", "Status", "App", "Message", "Task", "Outcome"],
      entries.map(e => [
        time(e.time), h("code", {}, e.requestId ?? ""), e.user ?? "", enumWord(e.kind, "REQUEST_KIND_"), e.status ?? "",
        e.app ?? "", e.message ?? e.messageCode ?? "",
        e.taskId ? h("button", { onclick: () => openTask(e.taskId) }, `Task ${e.taskId}`) : "",
        outcomeBadge(e.outcome),
      ]),
      emptyNote);
  }

  async function openTask(taskId) {
    taskStop?.abort();
    taskStop = new AbortController();
    const signal = taskStop.signal;
    stop.signal.addEventListener("abort", () => taskStop?.abort(), { once: true });
    const summary = h("div");
    const log = h("pre", { className: "log", id: "task-log" });
    const state = h("span", { className: "live" }, "● following");
    taskPanel.hidden = false;
    taskPanel.replaceChildren(h("h2", {}, `Task ${taskId} `, state), summary, h("h3", {}, "Log"), log);
    taskPanel.scrollIntoView({ block: "nearest" });

    const showTask = task => {
      const word = enumWord(task.state, "TASK_STATE_");
      const running = task.state === "TASK_STATE_RUNNING" || task.state === "TASK_STATE_QUEUED";
      summary.replaceChildren(table(["Target", "App", "State", "Progress", "Started", "Duration", "Detail", ""], [[
        h("code", {}, task.targetUri ?? ""), task.app ?? "",
        h("span", { className: `badge ${word.toLowerCase()}` }, word + (task.cancelRequested ? " (cancel requested)" : "")),
        `${task.progressPercent ?? 0}% ${task.progressMessage ?? ""}`, time(task.startedAt ?? task.createdAt),
        duration(task.duration), task.detailMessage ?? task.detailCode ?? "",
        canManage && running && !task.cancelRequested ? h("button", { className: "danger", onclick: () => cancel(task) }, "Cancel") : "",
      ]], ""));
    };

    try {
      showTask((await get(`${base}/tasks/${taskId}`, signal)).task);
      await stream(`${base}/tasks/${taskId}/log` + query({ follow: true }), m => {
        if (m.lines) {
          appendLines(log, m.lines.firstLineNumber, m.lines.lines);
        } else if (m.taskEnded) {
          showTask(m.taskEnded);
        }
      }, signal);
      state.className = "live off";
      state.textContent = "ended";
    } catch (e) {
      state.className = "live off";
      state.textContent = "";
      showError(notice, e);
    }
  }

  async function cancel(task) {
    if (!confirm(`Cancel task ${task.id}?`)) return;
    try {
      await post(`${base}/tasks/${task.id}:cancel`);
      openTask(task.id);
    } catch (e) {
      showError(notice, e);
    }
  }

  async function loadTimeline() {
    try {
      const result = await get(`${base}/timeline` + query({ limit: timelineSize.value }), stop.signal);
      timeline.replaceChildren(entryTable(result.entries ?? [], "Nothing happened yet."));
    } catch (e) {
      showError(notice, e);
    }
  }

  filters.addEventListener("submit", e => { e.preventDefault(); tokens = [""]; load(); });
  load();
  loadTimeline();
  return () => stop.abort();
}
