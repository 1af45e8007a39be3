import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OPSGATE_BIN, PROJECT_ROOT, runCli } from "../helpers/cli.js";
import { addSshKeygenSigner, buildSignedRecord, fixtureKey } from "../helpers/signed-records.js";
import type { ApprovalRecord } from "../../src/schemas/approval-record.js";

/**
 * The dashboard's test site, built with the real commands in a temporary folder: approvals in every
 * state (one pending with a credential-shaped summary, one expiring within 48 h), an integrity
 * problem, a simulated write, an interrupted real run that needs --recover, a readback plan, and
 * hostile files (a symlink out of a root, a dot file, a file holding a credential shape).
 */
export const BATCH = "BATCH-20260501-1890-001";
export const INTERRUPTED = "BATCH-20261128-1890-002";
/** A plain-looking value a server started with NETBOX_READ_TOKEN=ENV_TOKEN must never show. */
export const ENV_TOKEN = "zzplainvalue9876";
export const LEAKY_BEARER = "Bearer abcdef0123456789ABCDEF0123";

export interface Site {
  dir: string;
  approvals: string;
  results: string;
  reports: string;
  outside: string;
}

const fixture = (...parts: string[]): string => join(PROJECT_ROOT, "fixtures", ...parts);

async function must(args: string[], cwd: string, okCodes = [0]): Promise<void> {
  const result = await runCli(args, { cwd });
  if (!okCodes.includes(result.code ?? -1)) throw new Error(`opsgate ${args.join(" ")} exited ${result.code}: ${result.stderr}`);
}

export async function buildSite(): Promise<Site> {
  const dir = mkdtempSync(join(tmpdir(), "opsgate-web-"));
  const approvals = join(dir, "approvals");
  cpSync(fixture("batch/good/approvals"), approvals, { recursive: true });
  // approval-0008 waits for its second pair of eyes; it is approved below for one day only.
  const moved = JSON.parse(readFileSync(join(approvals, "approved/approval-0008.json"), "utf8")) as Record<string, unknown> & { state_history: unknown[] };
  mkdirSync(join(approvals, "pending"), { recursive: true });
  // Signed as the requester (TEST-ONLY fixture key); ana.approver approves with a key made now.
  const record = moved as unknown as ApprovalRecord;
  const signed = buildSignedRecord({ approval_id: record.approval_id, device: record.device, risk_level: record.risk_level, summary: record.summary, items: record.items }, [
    { action: "create", key: fixtureKey("ops.maria"), reason: record.state_history[0]!.reason, at: record.requested_at },
    { action: "submit", key: fixtureKey("ops.maria"), reason: record.state_history[1]!.reason, at: record.state_history[1]!.at },
  ]);
  writeFileSync(join(approvals, "pending/approval-0008.json"), `${JSON.stringify(signed, null, 2)}\n`);
  const anaKey = addSshKeygenSigner(approvals, "ana.approver");
  rmSync(join(approvals, "approved/approval-0008.json"));
  for (const [state, id] of [["rejected", "approval-0004"], ["revoked", "approval-0010"], ["applied", "approval-0011"], ["approved", "approval-0005"]]) {
    mkdirSync(join(approvals, state!), { recursive: true });
    cpSync(fixture("approvals/lifecycle", state!, `${id!}.json`), join(approvals, state!, `${id!}.json`));
  }
  const pending = JSON.parse(readFileSync(fixture("approvals/lifecycle/pending/approval-0007.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(
    join(approvals, "pending/approval-0012.json"),
    `${JSON.stringify({ ...pending, approval_id: "approval-0012", requested_by: "ops.joao", risk_level: "high", summary: `Uplink change; pasted by mistake: Authorization: ${LEAKY_BEARER}` }, null, 2)}\n`,
  );
  const revoked = JSON.parse(readFileSync(join(approvals, "revoked/approval-0010.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(approvals, "revoked/approval-0010.json"), `${JSON.stringify({ ...revoked, summary: `Prefix for ticket ${ENV_TOKEN}` }, null, 2)}\n`);
  cpSync(fixture("approvals/malformed/pending/bad-json.json"), join(approvals, "pending/bad-json.json"));

  writeFileSync(
    join(dir, "netbox-state.json"),
    JSON.stringify({
      schema_version: "netbox_state_v1",
      netbox_version: "4.4.0",
      objects: { "dcim.site": [{ id: 21, name: "KTG", slug: "ktg" }], "dcim.device": [{ id: 1890, name: "4WNET-MNS-KTG-RX", site: 21 }] },
    }),
  );
  const plan = "approvals/approved/batch-apply-plan-20260501.json";
  await must(["manage-approval-state", "--approval-record", "approvals/pending/approval-0008.json", "--action", "approve", "--reason", "Reviewed VLAN 310 and its prefix for the KTG window", "--signing-key", anaKey, "--expires-in-days", "1"], dir);
  const common = ["--batch-plan", plan, "--confirm-batch-id", BATCH, "--operator", "ops.maria", "--simulate", "--netbox-state", "netbox-state.json"];
  await must(["apply-batch", ...common], dir);
  await must(["apply-batch", ...common, "--confirm-real-write-batch", "--enable-real-post-implementation"], dir);

  const results = join(dir, "batch-results");
  mkdirSync(join(results, INTERRUPTED), { recursive: true });
  cpSync(fixture("web/interrupted-ledger.jsonl"), join(results, INTERRUPTED, "ledger.jsonl"));

  const reports = join(dir, "reports");
  mkdirSync(reports, { recursive: true });
  await must(["build-readback-plan", "--root", fixture("readback/basic"), "--source-report", "source.json", "--output", join(reports, "readback-plan.json"), "--generated-at", "2026-05-01T10:00:00+08:00", "--git-commit", "0000000"], dir);
  writeFileSync(join(reports, "notes.txt"), "Reviewed with the KTG team.\n");
  writeFileSync(join(reports, "leaky.log"), `curl -H "Authorization: ${LEAKY_BEARER}" https://netbox.example.net/api/\n`);
  writeFileSync(join(reports, ".hidden.json"), "{}\n");
  const outside = join(dir, "outside");
  mkdirSync(outside);
  writeFileSync(join(outside, "secret.txt"), "outside the roots\n");
  symlinkSync(join(outside, "secret.txt"), join(reports, "escape.txt"));
  symlinkSync(outside, join(reports, "escape-dir"));
  return { dir, approvals, results, reports, outside };
}

export interface Server {
  url: string;
  port: number;
  child: ChildProcess;
  stderr: () => string;
  stop: () => Promise<{ code: number | null; stderr: string }>;
}

/** Spawns `opsgate serve` (the built binary) on a free port and waits for its address. */
export function startServer(site: Site, extra: string[] = [], env: Record<string, string> = {}): Promise<Server> {
  const args = [OPSGATE_BIN, "serve", "--approvals-dir", site.approvals, "--results-dir", site.results, "--reports-dir", site.reports, "--port", "0", ...extra];
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /http:\/\/(\S+?):(\d+)\//.exec(err);
      if (match) {
        clearInterval(timer);
        const port = Number(match[2]);
        resolve({
          url: `http://127.0.0.1:${port}`,
          port,
          child,
          stderr: () => err,
          stop: async () => {
            child.kill("SIGTERM");
            return { code: await exited, stderr: err };
          },
        });
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`opsgate serve exited ${code}: ${err}`));
    });
  });
}
