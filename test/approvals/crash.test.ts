import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { OPSGATE_BIN, summaryOf } from "../helpers/cli.js";
import { copyFixture, enrol, QUEUE, runCli } from "./helpers.js";

/** Starts an approval and kills it with SIGKILL after `delayMs`. */
function approveAndKill(root: string, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [OPSGATE_BIN, "manage-approval-state", "--approval-record", join(root, "pending/approval-0007.json"), "--action", "approve", "--reason", "Change window CHG-4410 and rollback checked", "--actor", "ana.approver"],
      { stdio: "ignore", env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1", OPSGATE_SIGNING_KEY: enrol(root, "ana.approver") } },
    );
    const timer = setTimeout(() => child.kill("SIGKILL"), delayMs);
    child.on("close", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

describe("kill -9 during a transition", () => {
  it("leaves the record exactly once (or a reported duplicate), never torn, and a verifiable audit log", async () => {
    const seen = new Set<string>();
    for (let round = 0; round < 8; round++) {
      const root = copyFixture(QUEUE);
      // Node needs ~40-150 ms to reach the transition: spread the kills across it.
      await approveAndKill(root, 30 + Math.floor(Math.random() * 150));
      const copies = ["pending", "approved"].filter((state) => readdirSync(join(root, state)).includes("approval-0007.json"));
      const queue = await runCli(["approvals", "list", "--approvals-dir", root]);
      const report = JSON.parse(queue.stdout) as { inconsistencies: { kind: string; approval_id: string }[] };
      if (copies.length === 2) {
        expect(report.inconsistencies).toContainEqual(expect.objectContaining({ kind: "duplicate_record", approval_id: "approval-0007" }));
        seen.add("duplicate");
      } else {
        expect(copies).toHaveLength(1);
        // No torn file: every record still parses and validates.
        expect(report.inconsistencies.filter((i) => i.kind === "schema_invalid" || i.kind === "unreadable_file")).toEqual([]);
        // Killed between the audit event and the move (write-ahead): the log knows a transition
        // the record lacks, which readers report (and validate/apply refuse) until it is retried.
        expect(report.inconsistencies.filter((i) => i.kind !== "rolled_back")).toEqual([]);
        if (report.inconsistencies.length > 0) seen.add("interrupted");
        seen.add(copies[0]!);
      }
      const verify = await runCli(["audit", "verify", "--log", join(root, "audit.jsonl")]);
      if (verify.code === 2) {
        expect(verify.stderr).toContain("audit log not found"); // killed before the first event
      } else if (verify.code === 1) {
        expect(summaryOf(verify)).toMatch(/reason=truncated_last_line$/);
      } else {
        expect(summaryOf(verify)).toMatch(/^AUDIT_CHAIN_OK /);
      }
      // A later approver is never stuck behind the dead process's lock.
      const retry = await runCli(["manage-approval-state", "--approval-record", join(root, `${copies[0] ?? "pending"}/approval-0007.json`), "--action", "approve", "--reason", "Retrying after an interrupted run", "--actor", "ana.approver"]);
      expect(summaryOf(retry)).not.toContain("reason=locked");
      if (copies.length === 1 && copies[0] === "pending" && verify.code !== 1) {
        // The retry completes the interrupted approval; every reader is satisfied again.
        expect(summaryOf(retry)).toMatch(/^APPROVAL_STATE_OK /);
        expect(summaryOf(await runCli(["approvals", "list", "--approvals-dir", root]))).toBe("APPROVAL_QUEUE_OK records=4 inconsistencies=0");
      }
    }
    expect(seen.size).toBeGreaterThan(0);
  }, 60_000);
});
