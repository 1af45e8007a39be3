import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OPSGATE_BIN, PROJECT_ROOT, summaryOf } from "../helpers/cli.js";
import type { NetBoxTestServer } from "../helpers/netbox-server.js";
import { interfacesWithIps, writeBatchWorkspace, type Workspace } from "../helpers/batch-workspace.js";
import { apply, BATCH_ID, baseArgs, dryRun, expectNoToken, ledgerLines, REAL_FLAGS, recover, reportOf, richItems, serve, TOKEN, writesOf } from "./real-kit.js";

let nb: NetBoxTestServer | undefined;
afterEach(async () => {
  await nb?.close();
  nb = undefined;
});

/** Starts the real write and kills it with SIGKILL once the ledger holds `lines` lines. */
function applyAndKillAfter(ws: Workspace, url: string, lines: number): Promise<number> {
  const ledger = join(ws.resultsDir, BATCH_ID, "ledger.jsonl");
  const child = spawn(process.execPath, [OPSGATE_BIN, ...baseArgs(ws, url), ...REAL_FLAGS], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1", NETBOX_WRITE_TOKEN: TOKEN, OPSGATE_NETBOX_RETRIES: "0", OPSGATE_SETTLE_FENCE_MS: "400" },
    stdio: "ignore",
  });
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const count = existsSync(ledger) ? readFileSync(ledger, "utf8").split("\n").filter(Boolean).length : 0;
      if (count >= lines) {
        clearInterval(timer);
        child.kill("SIGKILL");
      }
    }, 2);
    child.on("exit", () => {
      clearInterval(timer);
      resolve(existsSync(ledger) ? readFileSync(ledger, "utf8").split("\n").filter(Boolean).length : 0);
    });
    child.on("error", reject);
  });
}

describe("apply-batch: kill -9 during the real write, then --recover", () => {
  // Ledger lines of a run: run_start(1), intent(2), outcome(3), intent(4), outcome(5), ...
  // k=2: killed with the first POST in flight; k=3: after it answered; k=5: two levels written.
  for (const lines of [2, 3, 5]) {
    it(`killed after ${lines} ledger line(s): every run refuses until --recover restores NetBox; then dry-run + apply succeed`, async () => {
      nb = await serve({ faults: { latencyMs: 120 } });
      const ws = writeBatchWorkspace(richItems());
      const before = nb.sim.snapshot();
      expect((await dryRun(ws, nb.url)).code).toBe(0);
      const seen = await applyAndKillAfter(ws, nb.url, lines);
      expect(seen).toBeGreaterThanOrEqual(lines);
      expect(ledgerLines(ws).some((l) => l.kind === "run_end")).toBe(false);
      // Let a request that was in flight land in NetBox (as it would), then look.
      await new Promise((r) => setTimeout(r, 300));
      nb.faults = {};

      const dry = await dryRun(ws, nb.url);
      expect(dry.code).toBe(1);
      expect(dry.stderr).toMatch(/interrupted run \(run-1\)/);
      expect(summaryOf(dry)).toMatch(/^BATCH_APPLY_REFUSED mode=dry_run/);
      const blocked = await apply(ws, nb.url);
      expect(blocked.code).toBe(1);

      const recovered = await recover(ws, nb.url);
      expect(recovered.code, recovered.stderr).toBe(0);
      expect(summaryOf(recovered)).toMatch(new RegExp(`^BATCH_APPLY_ROLLED_BACK mode=recover batch_id=${BATCH_ID} `));
      expect(reportOf(recovered).gates.filter((g) => g.status === "skipped").map((g) => g.gate_id)).toEqual(["dry_run_recorded", "preflight_none_exist"]);
      expect(nb.sim.snapshot()).toEqual(before);

      const again = await recover(ws, nb.url);
      expect(again.code).toBe(1); // nothing left to recover
      expect((await dryRun(ws, nb.url)).code).toBe(0);
      const applied = await apply(ws, nb.url);
      expect(applied.code, applied.stderr).toBe(0);
      expect(summaryOf(applied)).toMatch(/^BATCH_APPLY_APPLIED mode=real .* created=6 requests=4$/);
      expectNoToken(ws, dry, recovered, applied);
    });
  }

  it("a recover leaves alone an object changed since the interrupted run created it (exit 4)", async () => {
    nb = await serve({ faults: { latencyMs: 60 } });
    const ws = writeBatchWorkspace(interfacesWithIps(2));
    expect((await dryRun(ws, nb.url)).code).toBe(0);
    await applyAndKillAfter(ws, nb.url, 3);
    nb.faults = {};
    const created = ledgerLines(ws).find((l) => l.kind === "outcome") as unknown as { created: { id: number }[] };
    const changed = created.created[0]!.id;
    nb.sim.handle({ method: "PATCH", path: `/api/dcim/interfaces/${changed}/`, query: new URLSearchParams(), body: { type: "1000base-t" }, origin: nb.url });
    const recovered = await recover(ws, nb.url);
    expect(recovered.code, recovered.stderr).toBe(4);
    const left = reportOf(recovered).left_in_netbox;
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ netbox_id: changed, url: `${nb.url}/api/dcim/interfaces/${changed}/` });
    expect(left[0]?.why).toMatch(/changed since/);
    expect(nb.sim.snapshot().objects["dcim.interface"]?.map((i) => i.id)).toEqual([changed]);
  });
});

describe("apply-batch: two real runs of one batch at once", () => {
  it("one applies, the other is refused by the lock and writes nothing", async () => {
    nb = await serve({ faults: { latencyMs: 80 } });
    const ws = writeBatchWorkspace(interfacesWithIps(3));
    expect((await dryRun(ws, nb.url)).code).toBe(0);
    const from = nb.log.length;
    const [a, b] = await Promise.all([apply(ws, nb.url), apply(ws, nb.url)]);
    const codes = [a.code, b.code].sort();
    expect(codes, a.stderr + b.stderr).toEqual([0, 1]);
    const loser = a.code === 1 ? a : b;
    const refusedBy = reportOf(loser).gates.find((g) => g.status === "fail")?.gate_id;
    expect(["lock_acquired", "not_already_applied", "dry_run_recorded", "plan_valid"]).toContain(refusedBy);
    expect(writesOf(nb, from).map((w) => w.path)).toEqual(["/api/dcim/interfaces/", "/api/ipam/ip-addresses/"]);
    expect(nb.sim.snapshot().objects["dcim.interface"]).toHaveLength(3);
    expect(ledgerLines(ws).filter((l) => l.kind === "run_start")).toHaveLength(1);
  });
});
