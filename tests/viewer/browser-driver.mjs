// Drives Debian's Chromium for the viewer tests (tests/EventLog.Viewer.Tests): one JSON command per line on
// standard input, one JSON answer per line on standard output ({ id, ok, value } or { id, ok: false, error }).
// The tests keep their logic in C#; this only turns commands into Playwright calls. Never downloads a browser.
import { readFile } from "node:fs/promises";
import readline from "node:readline";
import { chromium } from "playwright-core";

const browser = await chromium.launch({
  executablePath: process.env.EVENTLOG_CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  // Without the background-networking flags Chromium keeps calling out to Google's hosts, which a closed
  // network refuses; --no-sandbox because CI runs as root.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});

let context = null;
let page = null;
let pageErrors = [];

const commands = {
  async open({ timezoneId, width, height }) {
    await context?.close();
    context = await browser.newContext({ timezoneId, viewport: { width: width ?? 1400, height: height ?? 900 } });
    page = await context.newPage();
    pageErrors = [];
    page.on("pageerror", e => pageErrors.push(e.message));
  },
  goto: ({ url }) => page.goto(url).then(() => null),
  fill: ({ selector, value }) => page.fill(selector, value),
  select: ({ selector, value }) => page.selectOption(selector, value).then(() => null),
  click: ({ selector }) => page.click(selector),
  // Waits until an element matching the selector contains the text.
  waitForText: ({ selector, text, timeout }) =>
    page.locator(selector).filter({ hasText: text }).first().waitFor({ timeout: timeout ?? 10000 }).then(() => null),
  waitFor: ({ selector, timeout }) => page.locator(selector).first().waitFor({ timeout: timeout ?? 10000 }).then(() => null),
  // Clicks something that starts a download and returns the downloaded file's text.
  async download({ selector }) {
    const [file] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
    return readFile(await file.path(), "utf8");
  },
  text: ({ selector }) => page.locator(selector).first().innerText(),
  count: ({ selector }) => page.locator(selector).count(),
  evaluate: ({ script }) => page.evaluate(script),
  screenshot: ({ path }) => page.screenshot({ path, fullPage: true }).then(() => null),
  errors: () => pageErrors,
  close: async () => {
    await browser.close();
    setImmediate(() => process.exit(0));
  },
};

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const { id, command, args } = JSON.parse(line);
  try {
    const value = await commands[command](args ?? {});
    process.stdout.write(JSON.stringify({ id, ok: true, value: value ?? null }) + "\n");
  } catch (e) {
    process.stdout.write(JSON.stringify({ id, ok: false, error: String(e?.message ?? e) }) + "\n");
  }
}
await browser.close();
