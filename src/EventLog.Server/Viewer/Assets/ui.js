// Small DOM helpers shared by the tabs: elements, tables, times in the reader's zone, messages.

export const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

// h("td", { className: "x", onclick }, child, ...): children are nodes or text.
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// A table with a header row; rows are arrays of cells (text or nodes). Empty shows the note instead.
export function table(headers, rows, emptyNote, rowProps = () => ({})) {
  if (rows.length === 0) return h("p", { className: "empty" }, emptyNote);
  return h("table", {},
    h("thead", {}, h("tr", {}, headers.map(title => h("th", { scope: "col" }, title)))),
    h("tbody", {}, rows.map((cells, i) => h("tr", rowProps(i), cells.map(cell => h("td", {}, cell))))));
}

export function time(value) {
  if (!value) return "";
  const date = new Date(value);
  return h("time", { dateTime: date.toISOString(), title: date.toISOString() }, timeFormat.format(date));
}

// "12.3 s", "4 min 5 s" from a protobuf JSON duration ("12.300s").
export function duration(value) {
  if (!value) return "";
  const seconds = parseFloat(value);
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

// MESSAGE_LEVEL_ERROR -> "Error"
export function enumWord(value, prefix) {
  if (!value) return "";
  const word = String(value).replace(prefix, "").replaceAll("_", " ").toLowerCase();
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function bytes(value) {
  const n = Number(value ?? 0);
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

// The <input type="datetime-local"> value as RFC 3339 in UTC, or "" when empty.
export function localInputToUtc(value) {
  return value ? new Date(value).toISOString() : "";
}

// Shows an error (ApiError or any Error) in a panel's notice area, in words.
export function showError(notice, error) {
  if (error?.name === "AbortError") return;
  notice.replaceChildren(h("div", { className: "notice error", role: "alert" },
    error.message, error.fields?.length ? h("ul", {}, error.fields.map(f => h("li", {}, f))) : null));
}

export function showInfo(notice, text) {
  notice.replaceChildren(h("div", { className: "notice info", role: "status" }, text));
}

export function clearNotice(notice) {
  notice.replaceChildren();
}

// Runs fn at most once per delay, after the last call (live updates that re-read a page).
export function debounce(fn, delay = 250) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), delay);
  };
}

// Reads a form's named fields as an object of trimmed strings.
export function formValues(form) {
  return Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]));
}

// Appends numbered lines to a log <pre>; keeps it scrolled to the end if the reader was there.
export function appendLines(pre, firstLineNumber, lines) {
  const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
  const first = Number(firstLineNumber ?? 1);
  (lines ?? []).forEach((line, i) => pre.append(h("span", { className: "n" }, first + i), line, "\n"));
  if (atBottom) pre.scrollTop = pre.scrollHeight;
}

// Newer / Page n / Older over page tokens: tokens holds the tokens of the pages seen, the current one last.
export function pagerButtons(tokens, next, load) {
  return [
    h("button", { disabled: tokens.length === 1, onclick: () => { tokens.pop(); load(); } }, "Newer"),
    h("span", {}, `Page ${tokens.length}`),
    h("button", { disabled: !next, onclick: () => { tokens.push(next); load(); } }, "Older"),
  ];
}

// The onState callback of api.watch that shows a watch's state in a "● live" marker.
export function liveMarker(marker) {
  return (open, error) => {
    marker.className = open ? "live" : "live off";
    marker.textContent = open ? "● live" : `reconnecting… (${error?.message ?? ""})`;
  };
}
