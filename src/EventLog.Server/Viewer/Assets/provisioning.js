// Provisioning: a cluster's steps with completed/total bars and durations, the current step's events,
// failed and stalled steps shown as such, kept up to date by a progress watch.
import { get, watch, query } from "./api.js";
import { h, table, time, duration, enumWord, zone, showError, clearNotice, debounce, liveMarker } from "./ui.js";

function stepStatus(step) {
  if (step.successful === false) return "Failed";
  if (step.successful === true) return "Succeeded";
  if (step.stalled) return "Stalled";
  return step.startedAt ? "Running" : "Pending";
}

function bar(step, status) {
  const total = Number(step.total ?? 0);
  const done = Number(step.completed ?? 0);
  const percent = total > 0 ? Math.min(100, (100 * done) / total) : (status === "Succeeded" ? 100 : 0);
  return h("div", { className: `bar ${status.toLowerCase()}`, role: "progressbar", "aria-valuenow": done, "aria-valuemax": total },
    h("span", { style: `width: ${percent}%` }), h("small", {}, `${done} / ${total}`));
}

export function mount(view, { project, notice }) {
  const stop = new AbortController();
  const form = h("form", { className: "filters" },
    h("label", {}, "Cluster ID", h("input", { name: "cluster", size: 36, required: true, value: sessionStorage.getItem("eventlog.viewer.cluster") ?? "" })),
    h("button", { type: "submit" }, "Show"));
  const body = h("div", { id: "progress" }, h("p", { className: "empty" }, "Enter a cluster ID to see its provisioning steps."));
  view.append(h("section", {}, h("h2", {}, "Cluster provisioning"), form, body));

  let watchStop = null;

  async function show(cluster) {
    watchStop?.abort();
    watchStop = new AbortController();
    const signal = AbortSignal.any([stop.signal, watchStop.signal]);
    const path = `/v1/projects/${encodeURIComponent(project)}/clusters/${encodeURIComponent(cluster)}`;
    const live = h("span", { className: "live off" }, "connecting…");
    let sequence = 0;

    const load = async () => {
      try {
        const progress = await get(`${path}/progress`, signal);
        clearNotice(notice);
        sequence = Math.max(sequence, Number(progress.sequence ?? 0));
        render(progress, live);
      } catch (e) {
        showError(notice, e);
      }
    };
    await load();
    const refresh = debounce(load, 150);
    watch(() => `${path}/progress:watch` + query({ after_sequence: sequence }),
      m => {
        sequence = Math.max(sequence, Number(m.sequence ?? 0));
        if (m.step || m.event) refresh();
      },
      signal,
      liveMarker(live));
  }

  function render(progress, live) {
    const steps = progress.steps ?? [];
    const current = steps.find(s => s.id === progress.currentStepId);
    const events = progress.events ?? [];
    body.replaceChildren(...[
      h("h3", {}, `Steps of ${progress.clusterId} `, live),
      progress.recordingEnabled === false ? h("p", { className: "notice info" }, "Recording of provisioning events is turned off on this server.") : null,
      table(["Step", "Type", "Progress", `Started (${zone})`, "Duration", "Status"], steps.map(s => {
        const status = stepStatus(s);
        return [s.name, enumWord(s.stepType, "STEP_TYPE_"), bar(s, status), time(s.startedAt), duration(s.duration),
          h("span", { className: `badge ${status.toLowerCase()}` }, status)];
      }), "No steps declared yet.", i => ({ className: steps[i].id === progress.currentStepId ? "selected" : "" })),
      h("h3", {}, current ? `Events of the current step: ${current.name}` : "Events"),
      table([`Time (${zone})`, "Instance", "Node group", "Result", "Info", "Error ID"], events.map(e => [
        time(e.createdAt), e.instanceName ?? e.instanceId ?? "", e.nodeGroupId ?? "",
        h("span", { className: `badge ${e.successful ? "succeeded" : "failed"}` }, e.successful ? "OK" : "Failed"),
        e.info ?? "", e.errorId ? h("code", {}, e.errorId) : "",
      ]), "No events for this step."),
    ].filter(Boolean));
  }

  form.addEventListener("submit", e => {
    e.preventDefault();
    const cluster = new FormData(form).get("cluster").trim();
    sessionStorage.setItem("eventlog.viewer.cluster", cluster);
    show(cluster);
  });
  const remembered = sessionStorage.getItem("eventlog.viewer.cluster");
  if (remembered) show(remembered);
  return () => stop.abort();
}
