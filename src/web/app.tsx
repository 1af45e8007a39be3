import { Hono, type Context } from "hono";
import { languageDetector } from "hono/language";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import { REDACTED, redactText, secretValuesFromEnv } from "../guards/secrets.js";
import { filterQueue, loadApprovals, type QueueFilter } from "./data/approvals.js";
import { filterAudit, loadAudit, type AuditFilter } from "./data/audit.js";
import { allRuns, loadBatches } from "./data/batches.js";
import { artifactBytes, artifactRoots, listArtifacts, suspiciousPath, type ArtifactRoot } from "./data/artifacts.js";
import { loadReadbackPlans } from "./data/readback.js";
import { APP_CSS, APP_JS } from "./assets.js";
import { queueCsv, runsCsv } from "./csv.js";
import { isLang, translator, type Lang } from "./i18n.js";
import type { PageContext } from "./page-context.js";
import { hostAllowed, readOnly, securityHeaders } from "./security.js";
import { ApprovalPage, QueuePage } from "./pages/approvals.js";
import { AuditPage } from "./pages/audit.js";
import { BatchPage, BatchesPage } from "./pages/batches.js";
import { DashboardPage } from "./pages/dashboard.js";
import { DevicePage, DevicesPage, groupByDevice } from "./pages/devices.js";
import { DownloadsPage } from "./pages/downloads.js";
import { Layout } from "./pages/layout.js";
import { ReadbackListPage, ReadbackPage } from "./pages/readback.js";

export interface WebConfig {
  approvalsDir?: string;
  resultsDir?: string;
  reportsDirs: string[];
  /** Default: `<approvals-dir>/audit.jsonl`. */
  auditLog?: string;
  netboxUrl?: string;
  /** Forces the language; otherwise Accept-Language picks it. */
  lang?: Lang;
  /** `host:port` values the Host header may carry (filled once the port is bound). */
  allowedHosts: Set<string>;
  /** Tests pin nothing here: the dashboard always shows the real clock. */
  clock?: () => Date;
}

type Env = { Bindings: { incoming?: IncomingMessage }; Variables: { language: string } };

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#24292f"/><path d="M4 8l3 3 5-6" stroke="#2da44e" stroke-width="2" fill="none"/></svg>`;

/** The dashboard: every route is a GET over the files as they are now. */
export function createApp(config: WebConfig): Hono<Env> {
  const app = new Hono<Env>();
  const roots: ArtifactRoot[] = artifactRoots(config);
  const auditLog = config.auditLog ?? (config.approvalsDir ? join(config.approvalsDir, "audit.jsonl") : undefined);
  const clock = config.clock ?? (() => new Date());

  app.use(readOnly());
  app.use(hostAllowed(() => config.allowedHosts));
  app.use(securityHeaders());
  app.use(async (c, next) => {
    // A path with dot segments, encoded slashes or backslashes names nothing here; refuse it
    // before any route sees it (the raw request line: URL parsing would have normalised it).
    const raw = (c.env?.incoming?.url ?? new URL(c.req.url).pathname).split("?")[0] ?? "";
    const why = suspiciousPath(raw);
    if (why) return c.text(`400 ${why}: ${ctxOf(c).t("bad_path")}\n`, 400);
    await next();
  });
  app.use(
    languageDetector({
      supportedLanguages: ["en", "pt-BR"],
      fallbackLanguage: "en",
      order: ["header"],
      caches: false,
      convertDetectedLanguage: (lang) => (lang.toLowerCase().startsWith("pt") ? "pt-BR" : lang.toLowerCase().startsWith("en") ? "en" : lang),
    }),
  );
  app.use(async (c, next) => {
    await next();
    // The last net: what a page shows went through redactValue when it was read (credential
    // shapes); a token value from this process's environment is replaced here in every HTML and
    // CSV answer. (Shapes are not re-matched on HTML: a pattern runs across markup.)
    const secrets = secretValuesFromEnv();
    const type = c.res.headers.get("content-type") ?? "";
    if (secrets.length > 0 && c.req.method === "GET" && (type.startsWith("text/html") || type.startsWith("text/csv"))) {
      let text = await c.res.text();
      for (const secret of secrets) text = text.split(secret).join(REDACTED);
      c.res = new Response(text, { status: c.res.status, headers: c.res.headers });
    }
  });

  function ctxOf(c: Context<Env>): PageContext {
    const detected = c.get("language");
    const lang: Lang = config.lang ?? (isLang(detected) ? detected : "en");
    return { lang, t: translator(lang), now: clock(), netboxUrl: config.netboxUrl };
  }
  const approvals = (now: Date) => loadApprovals(config.approvalsDir, now, auditLog);
  const artifacts = () => listArtifacts(roots);
  const readback = () => loadReadbackPlans(artifacts());

  app.get("/health", (c) => c.json({ status: "ok", read_only: true, approvals_dir: Boolean(config.approvalsDir), results_dir: Boolean(config.resultsDir), reports_dirs: config.reportsDirs.length }));
  app.get("/assets/app.css", (c) => c.body(APP_CSS, 200, { "content-type": "text/css; charset=utf-8" }));
  app.get("/assets/app.js", (c) => c.body(APP_JS, 200, { "content-type": "text/javascript; charset=utf-8" }));
  app.get("/assets/favicon.svg", (c) => c.body(FAVICON, 200, { "content-type": "image/svg+xml" }));
  app.get("/favicon.ico", (c) => c.redirect("/assets/favicon.svg", 301));

  app.get("/", (c) => {
    const ctx = ctxOf(c);
    const data = { approvals: approvals(ctx.now), batches: loadBatches(config.resultsDir), audit: loadAudit(auditLog), readback: readback() };
    return c.html(<DashboardPage ctx={ctx} data={data} />);
  });

  const queueFilter = (c: Context<Env>): QueueFilter => ({ state: c.req.query("state"), device: c.req.query("device"), risk: c.req.query("risk"), requester: c.req.query("requester") });
  app.get("/approvals", (c) => {
    const ctx = ctxOf(c);
    const data = approvals(ctx.now);
    const filter = queueFilter(c);
    return c.html(<QueuePage ctx={ctx} data={data} filter={filter} shown={filterQueue(data.queue.approvals, filter)} />);
  });
  app.get("/approvals.csv", (c) => {
    const data = approvals(clock());
    return c.body(queueCsv(filterQueue(data.queue.approvals, queueFilter(c))), 200, csvHeaders("approval-queue.csv"));
  });
  app.get("/approvals/:id", (c) => {
    const ctx = ctxOf(c);
    const id = c.req.param("id");
    const data = approvals(ctx.now);
    const copies = data.records.get(id);
    if (!copies) return notFound(c, ctx);
    const events = loadAudit(auditLog).events.filter((e) => e.subject === id);
    const batches = loadBatches(config.resultsDir).batches.filter(
      (b) => copies.some((copy) => copy.record.applied?.batch_id === b.batchId) || b.runs.some((r) => JSON.stringify(r.report?.doc.approvals ?? []).includes(`"${id}"`)),
    );
    return c.html(
      <ApprovalPage
        ctx={ctx}
        id={id}
        copies={copies}
        entry={data.queue.approvals.find((e) => e.approval_id === id)}
        problems={data.queue.inconsistencies.filter((p) => p.approval_id === id)}
        events={events}
        batches={batches}
      />,
    );
  });

  app.get("/batches", (c) => c.html(<BatchesPage ctx={ctxOf(c)} data={loadBatches(config.resultsDir)} />));
  app.get("/batches.csv", (c) => c.body(runsCsv(allRuns(loadBatches(config.resultsDir))), 200, csvHeaders("batch-runs.csv")));
  app.get("/batches/:id", (c) => {
    const ctx = ctxOf(c);
    const batch = loadBatches(config.resultsDir).batches.find((b) => b.batchId === c.req.param("id"));
    return batch ? c.html(<BatchPage ctx={ctx} batch={batch} />) : notFound(c, ctx);
  });

  app.get("/devices", (c) => {
    const ctx = ctxOf(c);
    return c.html(<DevicesPage ctx={ctx} groups={groupByDevice(approvals(ctx.now).queue.approvals, loadBatches(config.resultsDir).batches)} />);
  });
  app.get("/devices/:id", (c) => {
    const ctx = ctxOf(c);
    const queue = approvals(ctx.now).queue;
    const group = groupByDevice(queue.approvals, loadBatches(config.resultsDir).batches).find((g) => g.id === c.req.param("id"));
    return group ? c.html(<DevicePage ctx={ctx} group={group} report={queue} />) : notFound(c, ctx);
  });

  app.get("/audit", (c) => {
    const ctx = ctxOf(c);
    const data = loadAudit(auditLog);
    const filter: AuditFilter = { actor: c.req.query("actor"), subject: c.req.query("subject"), command: c.req.query("command") };
    const records = approvals(ctx.now).records;
    const batches = new Set(loadBatches(config.resultsDir).batches.map((b) => b.batchId));
    const subjectHref = (subject: string): string | undefined =>
      records.has(subject) ? `/approvals/${encodeURIComponent(subject)}` : batches.has(subject) ? `/batches/${encodeURIComponent(subject)}` : undefined;
    return c.html(<AuditPage ctx={ctx} data={data} filter={filter} shown={filterAudit(data.events, filter)} subjectHref={subjectHref} />);
  });

  app.get("/readback", (c) => c.html(<ReadbackListPage ctx={ctxOf(c)} data={readback()} configured={config.reportsDirs.length > 0} />));
  app.get("/readback/*", (c) => {
    const ctx = ctxOf(c);
    const id = artifactIdOf(c, "/readback/");
    const plan = readback().plans.find((p) => p.id === id);
    return plan ? c.html(<ReadbackPage ctx={ctx} plan={plan} />) : notFound(c, ctx);
  });

  app.get("/downloads", (c) => c.html(<DownloadsPage ctx={ctxOf(c)} artifacts={artifacts()} />));
  app.get("/download/*", (c) => {
    const ctx = ctxOf(c);
    const id = artifactIdOf(c, "/download/");
    const artifact = id === undefined ? undefined : artifacts().find((a) => a.id === id);
    if (!artifact) return c.text(`404 ${ctx.t("bad_path")}\n`, 404);
    const bytes = artifactBytes(artifact, roots);
    if (!bytes.ok) return c.text(`403 ${bytes.secret ? ctx.t("secret_refused") : `${ctx.t("bad_path")} (${bytes.problem})`}\n`, 403);
    const name = artifact.rel.split("/").at(-1) ?? "artifact";
    return c.body(new Uint8Array(bytes.value), 200, {
      "content-type": CONTENT_TYPES[artifact.ext] ?? "application/octet-stream",
      "content-disposition": `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
    });
  });

  app.notFound((c) => notFound(c, ctxOf(c)));
  app.onError((error, c) => {
    process.stderr.write(`opsgate serve: error on ${c.req.method} ${c.req.path}: ${redactText(error.message)}\n`);
    return c.text("500 internal error (see the server's stderr)\n", 500);
  });
  return app;
}

const CONTENT_TYPES: Record<string, string> = {
  ".json": "application/json",
  ".jsonl": "application/x-ndjson",
  ".csv": "text/csv; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".log": "text/plain; charset=utf-8",
};

function csvHeaders(name: string): Record<string, string> {
  return { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"` };
}

/** `<root>/<rel>` from the path after `prefix`, each segment decoded once; undefined if malformed. */
function artifactIdOf(c: Context<Env>, prefix: string): string | undefined {
  const path = new URL(c.req.url).pathname;
  if (!path.startsWith(prefix)) return undefined;
  try {
    return path.slice(prefix.length).split("/").map(decodeURIComponent).join("/");
  } catch {
    return undefined;
  }
}

function notFound(c: Context<Env>, ctx: PageContext): Response | Promise<Response> {
  return c.html(
    <Layout ctx={ctx} title={ctx.t("not_found")} active="">
      <p>{ctx.t("not_found_text")}</p>
    </Layout>,
    404,
  );
}
