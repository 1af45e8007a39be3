// A revoke racing a real apply, end to end: the built CLI writes to a test NetBox that answers
// slowly; while the run holds its approval, a revoke is refused naming the run; the approval ends
// in applied/, and the revoke afterwards finds a terminal record.
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { runCli, summaryOf } from "../helpers/cli.js";
import { interfacesWithIps, writeBatchWorkspace } from "../helpers/batch-workspace.js";
import { addSshKeygenSigner } from "../helpers/signed-records.js";
import { apply, dryRun, serve } from "../apply-batch/real-kit.js";

describe("a revoke racing a real apply", () => {
  it("is refused while the run holds the approval; the approval is applied", async () => {
    const ws = writeBatchWorkspace(interfacesWithIps(2));
    const anaKey = addSshKeygenSigner(ws.approvalsDir, "ana.approver");
    const nb = await serve({ faults: { latencyMs: 1000 } });
    try {
      expect((await dryRun(ws, nb.url)).code).toBe(0);
      const run = apply(ws, nb.url);
      const hold = join(ws.approvalsDir, ".holds", "approval-0007.hold");
      const deadline = Date.now() + 60_000;
      while (!existsSync(hold) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(existsSync(hold)).toBe(true);
      const revoke = await runCli(["manage-approval-state", "--approval-record", join(ws.approvalsDir, "approved", "approval-0007.json"), "--action", "revoke", "--reason", "Change window moved to next week", "--signing-key", anaKey]);
      const result = await run;
      expect(summaryOf(result)).toMatch(/^BATCH_APPLY_APPLIED /);
      // The invariant: never NetBox written and the record revoked. With a 1 s NetBox the revoke
      // lands mid-run (held_by_apply); on a machine slow enough to start it after the run ended,
      // it finds the record applied (terminal).
      expect(summaryOf(revoke), revoke.stderr).toMatch(/reason=(held_by_apply|locked)$|from=applied to=revoked .*reason=transition_not_allowed$/);
      if (summaryOf(revoke).endsWith("held_by_apply")) expect(revoke.stderr).toMatch(/approval-0007 is being applied by run-1 of BATCH-/);
      expect(existsSync(join(ws.approvalsDir, "applied", "approval-0007.json"))).toBe(true);
      expect(existsSync(join(ws.approvalsDir, "revoked", "approval-0007.json"))).toBe(false);
      expect(existsSync(hold)).toBe(false);
    } finally {
      await nb.close();
    }
  }, 120_000);
});
