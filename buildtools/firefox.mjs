// Firefox for the cross-engine smoke: Debian's firefox-esr driven over WebDriver BiDi by
// puppeteer-core (no browser download; Playwright cannot drive a stock Firefox, and Debian has no
// geckodriver for Selenium). The smoke and the bench are Python (engines.py): this is only a bridge that
// reads one JSON command per line on stdin and answers one JSON line on stdout.
import readline from "node:readline";
import puppeteer from "puppeteer-core";

const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr",
  headless: true,
  // nothing beyond loopback here: no update checks, no telemetry, no captive-portal probes
  extraPrefsFirefox: { "network.captive-portal-service.enabled": false, "app.update.enabled": false },
});
const page = await browser.newPage();
await page.setViewport({ width: 1200, height: 1000 });
const log = [];
page.on("console", (m) => log.push(`${m.type()}: ${m.text()}`));
page.on("pageerror", (e) => log.push(`pageerror: ${e.message}`));

const ops = {
  version: async () => browser.version(),
  goto: async (url) => { await page.goto(url, { waitUntil: "load" }); },
  reload: async () => { await page.reload({ waitUntil: "load" }); },
  // a JS expression; a promise it gives is awaited
  eval: async (expr) => page.evaluate(expr),
  // strokes: [[x, y], ...] in CSS pixels of the viewport, the mouse held down along each
  draw: async (strokes) => {
    for (const s of strokes) {
      await page.mouse.move(s[0][0], s[0][1]);
      await page.mouse.down();
      for (const [x, y] of s.slice(1)) await page.mouse.move(x, y);
      await page.mouse.up();
    }
  },
  // a key, with modifiers held: ["Control"], "z"
  key: async (key, modifiers = []) => {
    for (const m of modifiers) await page.keyboard.down(m);
    await page.keyboard.press(key);
    for (const m of modifiers.reverse()) await page.keyboard.up(m);
  },
  upload: async (selector, path) => { await (await page.$(selector)).uploadFile(path); },
  console: async () => log.slice(-200),
};

const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
out({ ready: true });
for await (const line of readline.createInterface({ input: process.stdin })) {
  const { op, args } = JSON.parse(line);
  if (op === "close") break;
  try {
    out({ ok: true, result: (await ops[op](...(args || []))) ?? null });
  } catch (e) {
    out({ ok: false, error: String((e && e.stack) || e) });
  }
}
await browser.close();
process.exit(0);          // stdin would keep node alive
