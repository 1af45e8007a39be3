import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OPSGATE_BIN, PROJECT_ROOT, summaryOf } from "../helpers/cli.js";
import type { NetBoxTestServer } from "../helpers/netbox-server.js";
import { interfacesWithIps, writeBatchWorkspace, type Workspace } from "../helpers/batch-workspace.js";
import { apply, BATCH_ID, baseArgs, dryRun, expectNoToken, ledgerLines, REAL_FLAGS, recover, reportOf, richItems, serve, TOKEN, writesOf } from "./real-kit.js";

/**
 * The real write against NetBoxes that are not our simulator's exact twin (SPEC §4 and NetBox's
 * code): extra read-only fields and other key orders, a small MAX_PAGE_SIZE with `next` links on
 * another origin (a proxy), a read-only token, 409 on delete, and kill -9 inside the rollback
 * and inside --recover.
 */
let nb: NetBoxTestServer | undefined;
afterEach(async () => {
  await nb?.close();
  nb = undefined;
});

/** Starts a CLI run and kills it with SIGKILL as soon as `when` holds for its ledger lines. */
function runAndKillWhen(args: string[], ws: Workspace, when: (lines: { kind: string; [k: string]: unknown }[]) => boolean): Promise<void> {
  const ledger = join(ws.resultsDir, BATCH_ID, "ledger.jsonl");
  const child = spawn(process.execPath, [OPSGATE_BIN, ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1", NETBOX_WRITE_TOKEN: TOKEN, OPSGATE_NETBOX_RETRIES: "0" },
    stdio: "ignore",
  });
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (!existsSync(ledger)) return;
      const lines = readFileSync(ledger, "utf8")
        .split("\n")
        .filter(Boolean)
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as { kind: string }];
          } catch {
            return [];
          }
        });
      if (when(lines)) {
        clearInterval(timer);
        child.kill("SIGKILL");
      }
    }, 2);
    child.on("exit", () => {
      clearInterval(timer);
      resolve();
    });
    child.on("error", reject);
  });
}

describe("apply-batch real write against other NetBox shapes", () => {
  it("applies against a NetBox with extra fields, MAX_PAGE_SIZE 1 and proxied next links; one status GET; token only on --netbox-url", async () => {
    nb = await serve({ independent: true, maxPageSize: 1 });
    nb.faults = { nextOrigin: `http://localhost:${nb.port}` };
    const ws = writeBatchWorkspace(richItems());
    expect((await dryRun(ws, nb.url)).code).toBe(0);
    const from = nb.log.length;
    const result = await apply(ws, nb.url);
    expect(result.code, result.stderr).toBe(0);
    expect(reportOf(result).verification.status).toBe("passed");
    const run = nb.log.slice(from);
    expect(run.filter((r) => r.path === "/api/status/")).toHaveLength(1);
    expect(new Set(nb.log.map((r) => r.host))).toEqual(new Set([`127.0.0.1:${nb.port}`]));
    // Pages were followed: the read-back of 2 interfaces took 2 GETs at one object per page.
    expect(run.filter((r) => r.path === "/api/dcim/interfaces/" && r.method === "GET" && /(^|&)id=/.test(r.query))).toHaveLength(2);
    expectNoToken(ws, result);
  });

  it("a read-only token (GETs pass, the first POST gets 403): nothing written, exit 3, a clear message, no token", async () => {
    const readOnly = "nbt_READONLY.Qx7sentinelTOKENvalue4242ro";
    nb = await serve({ writeTokens: [], readTokens: [readOnly] });
    const ws = writeBatchWorkspace(interfacesWithIps(2));
    const before = nb.sim.snapshot();
    const env = { NETBOX_WRITE_TOKEN: readOnly };
    expect((await dryRun(ws, nb.url, env)).code).toBe(0);
    const from = nb.log.length;
    const result = await apply(ws, nb.url, [], env);
    expect(result.code, result.stderr).toBe(3);
    expect(summaryOf(result)).toBe(`BATCH_APPLY_ROLLED_BACK mode=real batch_id=${BATCH_ID} items=4 created=0 requests=1`);
    expect(writesOf(nb, from).map((w) => [w.method, w.status])).toEqual([["POST", 403]]);
    expect(nb.sim.snapshot()).toEqual(before);
    const report = reportOf(result);
    expect(report.failure).toMatchObject({ status: 403 });
    expect(report.failure?.message).toMatch(/403.*permission.*the token cannot write \(a read-only token: write_enabled off, or no permission to add dcim\.interface\); NetBox created nothing/);
    expect(result.stderr).toContain("rolled back: NetBox created nothing in this run");
    expect(result.stderr).not.toContain("were deleted");
    expect(report.left_in_netbox).toEqual([]);
    expect(result.stderr).toMatch(/403/);
    expect(ledgerLines(ws).at(-1)).toMatchObject({ kind: "run_end", outcome: "rolled_back" });
    expectNoToken(ws, result);
  });

  it("a 409 on the rollback's deletes (dependents): rollback_incomplete, every object listed with its URL and NetBox's reason", async () => {
    nb = await serve({ faults: {} });
    const ws = writeBatchWorkspace(interfacesWithIps(2));
    expect((await dryRun(ws, nb.url)).code).toBe(0);
    nb.faults = { failWrite: { n: 2, status: 400 }, protectDelete: ["/api/dcim/interfaces/"] };
    const result = await apply(ws, nb.url);
    expect(result.code, result.stderr).toBe(4);
    expect(summaryOf(result)).toMatch(/^BATCH_APPLY_ROLLBACK_INCOMPLETE mode=real .* created=2 .* left=2$/);
    const left = reportOf(result).left_in_netbox;
    expect(left.map((l) => l.item_id)).toEqual(["if-xe-0-0-0", "if-xe-0-0-1"]);
    for (const l of left) {
      expect(l.url).toBe(`${nb.url}/api/dcim/interfaces/${l.netbox_id}/`);
      expect(l.why).toMatch(/409.*dependent/);
    }
    expect(nb.sim.snapshot().objects["dcim.interface"]).toHaveLength(2);
    nb.faults = {};
    const recovered = await recover(ws, nb.url);
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(nb.sim.snapshot().objects["dcim.interface"]).toBeUndefined();
  });
});

describe("apply-batch: kill -9 inside the rollback and inside --recover", () => {
  it("killed mid-rollback, then mid-recover: a second --recover restores NetBox, then the batch applies", async () => {
    nb = await serve();
    const ws = writeBatchWorkspace(interfacesWithIps(2));
    const before = nb.sim.snapshot();
    expect((await dryRun(ws, nb.url)).code).toBe(0);
    // The IP POST is refused (400), so the run rolls back its interfaces: killed with that DELETE
    // in flight (NetBox never answers it and deletes nothing).
    nb.faults = { failWrite: { n: 2, status: 400 }, hangMethod: "DELETE" };
    await runAndKillWhen([...baseArgs(ws, nb.url), ...REAL_FLAGS], ws, (lines) => lines.some((l) => l.kind === "intent" && l.phase === "rollback"));
    expect(ledgerLines(ws).some((l) => l.kind === "run_end")).toBe(false);
    expect(nb.sim.snapshot().objects["dcim.interface"]).toHaveLength(2);
    nb.faults = {};
    expect((await apply(ws, nb.url)).code).toBe(1);

    // Recover, killed with its DELETE in flight: the run stays unresolved.
    nb.faults = { hangMethod: "DELETE" };
    await runAndKillWhen([...baseArgs(ws, nb.url), ...REAL_FLAGS, "--recover"], ws, (lines) => lines.some((l) => l.kind === "intent" && l.phase === "recover"));
    expect(nb.sim.snapshot().objects["dcim.interface"]).toHaveLength(2);
    nb.faults = {};
    const refused = await dryRun(ws, nb.url);
    expect(refused.code).toBe(1);
    expect(summaryOf(refused)).toMatch(/^BATCH_APPLY_REFUSED mode=dry_run/);

    const recovered = await recover(ws, nb.url);
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(summaryOf(recovered)).toMatch(/^BATCH_APPLY_ROLLED_BACK mode=recover /);
    expect(nb.sim.snapshot()).toEqual(before);
    expect(ledgerLines(ws).at(-1)).toMatchObject({ kind: "run_end", outcome: "recovered" });
    expect((await dryRun(ws, nb.url)).code).toBe(0);
    const applied = await apply(ws, nb.url);
    expect(applied.code, applied.stderr).toBe(0);
    expectNoToken(ws, recovered, applied);
  });
});
