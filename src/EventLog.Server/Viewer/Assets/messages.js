// Messages: user-facing failure messages with Cinder's event viewer columns, filters, paging, live
// arrival of new messages and delete for members.
import { get, del, watch, query } from "./api.js";
import { h, table, time, enumWord, zone, showError, clearNotice, debounce, formValues, localInputToUtc, pagerButtons, liveMarker } from "./ui.js";

const PAGE_SIZE = 50;

export function mount(view, { project, canManage, notice }) {
  const stop = new AbortController();
  const base = `/v1/projects/${encodeURIComponent(project)}/messages`;
  const filters = h("form", { className: "filters" },
    h("label", {}, "Resource type", h("input", { name: "resource_type", size: 10 })),
    h("label", {}, "Resource UUID", h("input", { name: "resource_uuid", size: 30 })),
    h("label", {}, "Level", h("select", { name: "level" },
      h("option", { value: "" }, "any"),
      ["ERROR", "WARNING", "INFO"].map(l => h("option", { value: `MESSAGE_LEVEL_${l}` }, enumWord(l))))),
    h("label", {}, "Request ID", h("input", { name: "request_id", size: 20 })),
    h("label", {}, `From (${zone})`, h("input", { name: "from", type: "datetime-local", step: 1 })),
    h("label", {}, "To", h("input", { name: "to", type: "datetime-local", step: 1 })),
    h("button", { type: "submit" }, "Filter"));
  const live = h("span", { className: "live off" }, "connecting…");
  const results = h("div", { id: "messages-table" });
  const pager = h("div", { className: "pager" });
  view.append(h("section", {}, h("h2", {}, `Messages of ${project} `, live), filters, results, pager));

  let tokens = [""]; // page tokens of the pages seen, the current one last
  let newest = 0;

  async function load() {
    const f = formValues(filters);
    const path = base + query({
      page_size: PAGE_SIZE, page_token: tokens.at(-1),
      resource_type: f.resource_type, resource_uuid: f.resource_uuid, level: f.level, request_id: f.request_id,
      "created.start_time": localInputToUtc(f.from), "created.end_time": localInputToUtc(f.to),
    });
    try {
      const page = await get(path, stop.signal);
      clearNotice(notice);
      render(page.messages ?? [], page.nextPageToken ?? "");
    } catch (e) {
      showError(notice, e);
    }
  }

  function render(messages, next) {
    newest = Math.max(newest, ...messages.map(m => Number(m.sequence ?? 0)));
    const headers = ["Tenant", "Event ID", "Node name", "Request ID", "Level", "Resource", `Time (${zone})`, "Summary"];
    if (canManage) headers.push("");
    results.replaceChildren(table(headers, messages.map(m => {
      const level = enumWord(m.level, "MESSAGE_LEVEL_");
      const cells = [
        m.project, h("code", {}, m.detailCode), m.host ?? "", h("code", {}, m.requestId),
        h("span", { className: `badge ${level.toLowerCase()}` }, level),
        [m.resourceType ?? "", m.resourceUuid ? h("div", { className: "mono" }, m.resourceUuid) : null],
        time(m.createdAt), m.userMessage,
      ];
      if (canManage) cells.push(h("button", { className: "danger", onclick: () => remove(m) }, "Delete"));
      return cells;
    }), "No messages match."));
    pager.replaceChildren(...pagerButtons(tokens, next, load));
  }

  async function remove(message) {
    if (!confirm(`Delete the message "${message.userMessage}"?`)) return;
    try {
      await del(`${base}/${encodeURIComponent(message.id)}`);
      await load();
    } catch (e) {
      showError(notice, e);
    }
  }

  filters.addEventListener("submit", e => { e.preventDefault(); tokens = [""]; load(); });

  // New messages re-read the first page, so filters and order stay the server's.
  const refresh = debounce(() => { if (tokens.length === 1) load(); });
  load().then(() => watch(
    () => `${base}:watch` + query({ after_sequence: newest }),
    m => {
      if (m.message) {
        newest = Math.max(newest, Number(m.sequence));
        refresh();
      }
    },
    stop.signal,
    liveMarker(live)));
  return () => stop.abort();
}
