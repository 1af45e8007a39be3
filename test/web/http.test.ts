import { request } from "node:http";
import { readFileSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, summaryOf } from "../helpers/cli.js";
import { BATCH, ENV_TOKEN, INTERRUPTED, LEAKY_BEARER, buildSite, startServer, type Server, type Site } from "./site.js";

/** A raw request: the path goes out byte for byte (no URL normalisation), any Host header. */
function raw(server: Server, method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: server.port, method, path, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}
const get = (server: Server, path: string, headers: Record<string, string> = {}) => raw(server, "GET", path, headers);

let site: Site;
let server: Server;

beforeAll(async () => {
  site = await buildSite();
  server = await startServer(site, ["--netbox-url", "https://netbox.example.net"]);
});

afterAll(async () => {
  await server?.stop();
  if (site) rmSync(site.dir, { recursive: true, force: true });
});

describe("opsgate serve over HTTP", () => {
  it("answers /health with JSON for monitors", async () => {
    const res = await get(server, "/health");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(res.body.toString())).toMatchObject({ status: "ok", read_only: true });
  });

  it("refuses every method but GET and HEAD with 405, and changes no file", async () => {
    const before = readFileSync(join(site.approvals, "audit.jsonl"));
    for (const method of ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) {
      for (const path of ["/", "/approvals/approval-0008", "/download/approvals/audit.jsonl"]) {
        const res = await raw(server, method, path);
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.allow).toBe("GET, HEAD");
      }
    }
    expect((await raw(server, "HEAD", "/")).status).toBe(200);
    expect(readFileSync(join(site.approvals, "audit.jsonl")).equals(before)).toBe(true);
  });

  it("refuses a Host header other than the bound address (DNS rebinding)", async () => {
    expect((await get(server, "/", { host: "evil.example:80" })).status).toBe(403);
    expect((await get(server, "/health", { host: `attacker.test:${server.port}` })).status).toBe(403);
    expect((await get(server, "/", { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it("sends a strict CSP and the other security headers on every answer", async () => {
    for (const path of ["/", "/assets/app.js", "/health", "/nope"]) {
      const res = await get(server, path);
      const csp = String(res.headers["content-security-policy"]);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain("unsafe-inline");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["referrer-policy"]).toBe("no-referrer");
    }
    const html = (await get(server, "/")).body.toString();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc="\/assets\/app\.js")/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|netbox\.example\.net|www\.w3\.org)/);
  });

  it("redacts credential shapes on every page", async () => {
    for (const path of ["/", "/approvals", "/approvals/approval-0012", "/devices/1890", "/approvals.csv"]) {
      const body = (await get(server, path)).body.toString();
      expect(body, path).not.toContain("abcdef0123456789ABCDEF0123");
    }
    const page = (await get(server, "/approvals/approval-0012")).body.toString();
    expect(page).toContain("Authorization: [REDACTED]");
    expect(page).not.toContain(LEAKY_BEARER);
  });

  it("shows the dashboard's facts: pending, expiring, needs --recover, audit verified", async () => {
    const html = (await get(server, "/")).body.toString();
    expect(html).toContain('id="needs-recover"');
    expect(html).toContain(INTERRUPTED);
    expect(html).toMatch(/data-metric="pending">1</);
    expect(html).toMatch(/data-metric="expiring">1</);
    expect(html).toContain('data-audit="ok"');
    const batch = (await get(server, `/batches/${INTERRUPTED}`)).body.toString();
    expect(batch).toContain("vlan-320-ktg-voice");
    expect(batch).toMatch(/id="unsettled">.*#2 POST \/api\/ipam\/prefixes\/ \(pfx-10-32-0-0-24\)/);
    expect(batch).toContain('href="https://netbox.example.net/ipam/vlans/41/"');
  });

  it("serves an artifact byte-identical, and refuses traversal, encoded slashes, dot files, symlinks and credential shapes", async () => {
    const res = await get(server, "/download/approvals/audit.jsonl");
    expect(res.status).toBe(200);
    expect(res.body.equals(readFileSync(join(site.approvals, "audit.jsonl")))).toBe(true);
    expect(res.headers["content-disposition"]).toContain("attachment");
    const ledger = await get(server, `/download/results/${BATCH}/simulate/ledger.jsonl`);
    expect(ledger.body.equals(readFileSync(join(site.results, BATCH, "simulate/ledger.jsonl")))).toBe(true);

    const refused: [string, number][] = [
      ["/download/approvals/../netbox-state.json", 400],
      ["/download/reports/%2e%2e/netbox-state.json", 400],
      ["/download/approvals%2F..%2Fnetbox-state.json", 400],
      ["/download/approvals/..%5Cnetbox-state.json", 400],
      ["/download/approvals\\..\\netbox-state.json", 400],
      ["/download/reports/.hidden.json", 400],
      ["/download/reports/escape.txt", 404],
      ["/download/reports/escape-dir/secret.txt", 404],
      ["/download/reports/leaky.log", 403],
      ["/download/approvals/pending/approval-0012.json", 403],
      ["/download/etc/passwd", 404],
      ["/download//etc/passwd", 404],
      ["/download/approvals/pending/bad-json.json/", 404],
    ];
    for (const [path, status] of refused) {
      const answer = await get(server, path);
      expect(answer.status, path).toBe(status);
      expect(answer.body.toString(), path).not.toContain("outside the roots");
      expect(answer.body.toString(), path).not.toContain("abcdef0123456789");
    }
  });

  it("exports the approval queue and batch runs as CSV (filters apply)", async () => {
    const queue = (await get(server, "/approvals.csv?state=pending")).body.toString().trimEnd().split("\r\n");
    expect(queue[0]).toMatch(/^approval_id,state,device_id/);
    expect(queue.slice(1).map((line) => line.split(",")[0])).toEqual(["approval-0012"]);
    const runs = (await get(server, "/batches.csv")).body.toString();
    expect(runs).toContain(`${BATCH},sim-1,simulate,simulate,applied`);
    expect(runs).toContain(`${INTERRUPTED},run-1,real,real,interrupted`);
  });

  it("speaks Brazilian Portuguese from Accept-Language, English otherwise", async () => {
    const pt = (await get(server, "/approvals", { "accept-language": "pt-BR,pt;q=0.9,en;q=0.5" })).body.toString();
    expect(pt).toContain('lang="pt-BR"');
    expect(pt).toContain("Fila de aprovações");
    const en = (await get(server, "/approvals", { "accept-language": "en-US,en;q=0.9" })).body.toString();
    expect(en).toContain("Approval queue");
  });

  it("renders a page for a file it cannot read instead of failing", async () => {
    const html = (await get(server, "/approvals")).body.toString();
    expect(html).toContain("pending/bad-json.json");
    expect(html).toContain("unreadable_file");
  });
});

describe("opsgate serve flags", () => {
  it("refuses a folder that does not exist (exit 2)", async () => {
    const result = await runCli(["serve", "--approvals-dir", "/nonexistent/approvals", "--port", "0"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--approvals-dir is not a folder");
  });

  it("forces a language with --lang, warns when not on loopback, and stops on SIGTERM with a summary", async () => {
    const link = join(site.dir, "reports-link");
    symlinkSync(site.reports, link);
    const other = await startServer(site, ["--lang", "pt-BR", "--host", "0.0.0.0", "--reports-dir", link], { NETBOX_READ_TOKEN: ENV_TOKEN });
    try {
      // A folder flag naming a symlink serves the folder it names.
      expect((await get(other, "/download/reports-2/notes.txt")).body.toString()).toBe("Reviewed with the KTG team.\n");
      for (const path of ["/approvals", "/approvals/approval-0010", "/approvals.csv"]) {
        const body = (await get(other, path)).body.toString();
        expect(body, path).not.toContain(ENV_TOKEN);
        expect(body, path).toContain("[REDACTED]");
      }
      expect((await get(other, "/download/approvals/revoked/approval-0010.json")).status).toBe(403);
      expect(other.stderr()).toContain("is not loopback");
      const html = (await get(other, "/", { "accept-language": "en" })).body.toString();
      expect(html).toContain("Painel");
    } finally {
      const stopped = await other.stop();
      expect(stopped.code).toBe(0);
      expect(summaryOf({ stdout: "", stderr: stopped.stderr, code: stopped.code })).toMatch(/^SERVE_STOPPED requests=\d+ port=\d+$/);
    }
  });
});
