import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { PROJECT_ROOT } from "../helpers/cli.js";
import { BATCH, INTERRUPTED, buildSite, startServer, type Server, type Site } from "./site.js";

/**
 * The dashboard in a real headless Chromium (Debian's, driven by playwright-core, which downloads
 * nothing). One browser for the file; each page's screenshot goes to .screenshots/ (git-ignored).
 */
const CHROMIUM = process.env.OPSGATE_CHROMIUM ?? "/usr/bin/chromium";
const HAVE_BROWSER = existsSync(CHROMIUM);
if (!HAVE_BROWSER) console.log(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set OPSGATE_CHROMIUM)`);

/** What the page scripts touch of a DOM element (the test is compiled without the DOM lib). */
interface Anchor {
  getAttribute(name: string): string | null;
  baseURI: string;
}
const REFUSED = ["/download/approvals/pending/approval-0012.json", "/download/reports/leaky.log"];
const SHOTS = join(PROJECT_ROOT, ".screenshots");
const PAGES: [string, string][] = [
  ["dashboard", "/"],
  ["approvals", "/approvals"],
  ["approval", "/approvals/approval-0008"],
  ["approval-problem", "/approvals/approval-0012"],
  ["batches", "/batches"],
  ["batch", `/batches/${BATCH}`],
  ["batch-recover", `/batches/${INTERRUPTED}`],
  ["devices", "/devices"],
  ["device", "/devices/1890"],
  ["audit", "/audit"],
  ["readback-list", "/readback"],
  ["readback", "/readback/reports/readback-plan.json"],
  ["downloads", "/downloads"],
];

describe.skipIf(!HAVE_BROWSER)("opsgate serve in a real browser", () => {
  let site: Site;
  let server: Server;
  let browser: Browser;
  let context: BrowserContext;
  const problems: string[] = [];

  const watch = (page: Page): Page => {
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`${page.url()}: console ${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`${page.url()}: ${error.message}`));
    return page;
  };

  beforeAll(async () => {
    const { chromium } = await import("playwright-core");
    [site, browser] = await Promise.all([
      buildSite(),
      // playwright-core gives every launch a fresh, throw-away user-data-dir of its own.
      chromium.launch({
        executablePath: CHROMIUM,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      }),
    ]);
    server = await startServer(site, ["--netbox-url", "https://netbox.example.net"]);
    context = await browser.newContext({ baseURL: server.url, locale: "en-US", acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (site) rmSync(site.dir, { recursive: true, force: true });
  });

  it("renders every page with no console error, and every link on them resolves", async () => {
    const page = watch(await context.newPage());
    const links = new Set<string>();
    const started = Date.now();
    for (const [name, path] of PAGES) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      await expect.poll(() => page.locator("h1").count()).toBe(1);
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: name === "dashboard" });
      for (const href of await page.locator("a[href]").evaluateAll((anchors: Anchor[]) => anchors.map((a) => new URL(a.getAttribute("href") ?? "", a.baseURI).href))) {
        if (href.startsWith(server.url)) links.add(href.split("#")[0] ?? href);
      }
    }
    console.log(`pages+screenshots ${Date.now() - started} ms, ${links.size} links`);
    expect(links.size).toBeGreaterThan(20);
    const statuses = await Promise.all([...links].map(async (href) => [href, (await context.request.head(href)).status()] as const));
    for (const [href, status] of statuses) {
      // The refusals a page links to: files holding a credential shape (listed, shown redacted, never served).
      expect(status, href).toBe(REFUSED.some((end) => href.endsWith(end)) ? 403 : 200);
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("puts batches that need --recover where nobody can miss them", async () => {
    const page = watch(await context.newPage());
    await page.goto("/");
    const alarm = page.locator("#needs-recover");
    await expect.poll(() => alarm.isVisible()).toBe(true);
    expect(await alarm.textContent()).toContain(INTERRUPTED);
    expect(await page.locator('[data-audit="ok"]').count()).toBe(1);
    await page.close();
  });

  it("filters the approval queue (server side by select, and as you type)", async () => {
    const page = watch(await context.newPage());
    await page.goto("/approvals");
    await page.selectOption('select[name="state"]', "approved");
    await page.waitForURL(/state=approved/);
    const states = await page.locator("#queue tbody tr").evaluateAll((rows: Anchor[]) => rows.map((row) => row.getAttribute("data-state")));
    expect(states.length).toBeGreaterThan(0);
    expect(new Set(states)).toEqual(new Set(["approved"]));
    await page.goto("/approvals?requester=ops.joao");
    expect(await page.locator("#queue tbody tr").count()).toBe(4);
    await page.goto("/approvals");
    const quick = page.locator('input[data-filter-for="queue"]');
    await quick.fill("approval-0012");
    const visible = await page.locator("#queue tbody tr:not([hidden])").count();
    expect(visible).toBe(1);
    await page.goto(`/audit?subject=${BATCH}`);
    const subjects = await page.locator("#audit tbody tr td:nth-child(6)").allTextContents();
    expect(subjects.length).toBeGreaterThan(0);
    expect(new Set(subjects)).toEqual(new Set([BATCH]));
    expect(problems).toEqual([]);
    await page.close();
  });

  it("downloads an artifact byte-identical, and refuses a traversal", async () => {
    const page = watch(await context.newPage());
    await page.goto(`/batches/${BATCH}`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator(`a[href="/download/results/${BATCH}/simulate/ledger.jsonl"]`).first().click()]);
    const saved = await download.path();
    expect(readFileSync(saved).equals(readFileSync(join(site.results, BATCH, "simulate", "ledger.jsonl")))).toBe(true);
    const traversal = await page.goto("/download/approvals%2F..%2F..%2Fnetbox-state.json");
    expect(traversal?.status()).toBe(400);
    expect(problems.splice(0).every((line) => line.includes("status of 400"))).toBe(true);
    expect((await context.request.post("/approvals")).status()).toBe(405);
    expect((await context.request.get("/", { headers: { host: "rebind.example" } })).status()).toBe(403);
    await page.close();
  });

  it("shows the pt-BR labels to a Portuguese browser", async () => {
    const pt = await browser.newContext({ baseURL: server.url, locale: "pt-BR" });
    const page = watch(await pt.newPage());
    await page.goto("/");
    expect(await page.locator("nav").textContent()).toContain("Fila de aprovações");
    expect(await page.locator("html").getAttribute("lang")).toBe("pt-BR");
    await page.screenshot({ path: join(SHOTS, "dashboard-pt-BR.png"), fullPage: true });
    expect(problems).toEqual([]);
    await pt.close();
  });
});
