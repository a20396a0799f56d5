// The viewer's only way to the server: the REST/JSON face of the gRPC services (/v1/...), with the
// bearer token of this tab's session. Errors become ApiError with words a reader can act on.

const TOKEN_KEY = "eventlog.viewer.token";

export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY) ?? ""; },
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
};

// What each gRPC status means to someone looking at the page.
const CODE_WORDS = {
  1: "The request was cancelled.",
  3: "The server did not accept a value.",
  4: "The server took too long to answer.",
  5: "Not found (or not in your project).",
  6: "It already exists.",
  7: "Your token is not allowed to do this.",
  8: "Too many requests: the server asks you to slow down.",
  9: "Not possible in the current state.",
  13: "The server failed to handle the request.",
  14: "The server or the agent it needs is not reachable right now.",
  16: "The token was not accepted. Paste a valid token above.",
};

export class ApiError extends Error {
  constructor(httpStatus, status) {
    const code = status?.code ?? 0;
    const detail = status?.message ? ` ${status.message}` : "";
    super(`${CODE_WORDS[code] ?? `The server answered HTTP ${httpStatus}.`}${detail}`);
    this.httpStatus = httpStatus;
    this.code = code;
    this.fields = fieldViolations(status);
  }
}

function fieldViolations(status) {
  const violations = [];
  for (const detail of status?.details ?? []) {
    for (const v of detail.fieldViolations ?? []) violations.push(`${v.field}: ${v.description}`);
  }
  return violations;
}

// Builds a query string from an object, leaving out empty values; nested filters use dotted names.
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "" && value !== false) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

async function send(method, path, signal) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: { Authorization: `Bearer ${session.token}`, Accept: "application/json" },
      signal,
    });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(0, { code: 14, message: "The server could not be reached." });
  }
  if (!response.ok) {
    let status = null;
    try { status = await response.json(); } catch { /* not a google.rpc.Status body */ }
    throw new ApiError(response.status, status ?? { code: response.status === 401 ? 16 : 0 });
  }
  return response;
}

export async function get(path, signal) {
  return (await send("GET", path, signal)).json();
}

export async function post(path) {
  return (await send("POST", path)).json();
}

export async function del(path) {
  return (await send("DELETE", path)).json();
}

// Reads a streamed RPC: each JSON object the server writes is passed to onMessage as it arrives.
// Resolves when the stream ends; rejects with ApiError on an error, AbortError when cancelled.
export async function stream(path, onMessage, signal, onOpen = () => {}) {
  const response = await send("GET", path, signal);
  onOpen();
  const reader = response.body.getReader();
  const splitter = new JsonSplitter();
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    for (const message of splitter.push(decoder.decode(value, { stream: true }))) {
      if (isStatus(message)) throw new ApiError(200, message);
      onMessage(message);
    }
  }
}

// An error after the stream started arrives as a google.rpc.Status object in the stream.
function isStatus(value) {
  return typeof value.code === "number" && typeof value.message === "string";
}

// Splits a text stream into top-level JSON values, whatever whitespace separates them.
class JsonSplitter {
  #buffer = "";
  #depth = 0;
  #inString = false;
  #escaped = false;
  #start = -1;
  #scanned = 0;

  push(text) {
    this.#buffer += text;
    const values = [];
    for (let i = this.#scanned; i < this.#buffer.length; i++) {
      const c = this.#buffer[i];
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === "\\") this.#escaped = true;
        else if (c === "\"") this.#inString = false;
      } else if (c === "\"") {
        this.#inString = true;
      } else if (c === "{" || c === "[") {
        if (this.#depth++ === 0) this.#start = i;
      } else if ((c === "}" || c === "]") && --this.#depth === 0) {
        values.push(JSON.parse(this.#buffer.slice(this.#start, i + 1)));
        this.#buffer = this.#buffer.slice(i + 1);
        i = -1;
      }
    }
    // Keep only the value still open; whitespace between values is dropped.
    if (this.#depth > 0) {
      this.#buffer = this.#buffer.slice(this.#start);
      this.#start = 0;
    } else {
      this.#buffer = "";
    }
    this.#scanned = this.#buffer.length;
    return values;
  }
}

// Keeps a watch open: reads the stream from makePath() (which names the last sequence seen, so a
// resumed watch loses nothing), and reconnects after a pause when it breaks. onState(true) when the
// stream is open, onState(false, error) while it is not. Stops when the signal aborts.
export async function watch(makePath, onMessage, signal, onState = () => {}) {
  while (!signal.aborted) {
    try {
      await stream(makePath(), onMessage, signal, () => onState(true));
    } catch (e) {
      if (signal.aborted || e.name === "AbortError") return;
      onState(false, e);
      if (e instanceof ApiError && [3, 5, 7, 16].includes(e.code)) return; // retrying cannot help
    }
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}
