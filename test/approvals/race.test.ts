import { describe, expect, it } from "vitest";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { summaryOf } from "../helpers/cli.js";
import { auditLines, copyFixture, QUEUE, readJson, runCli } from "./helpers.js";

describe("concurrent approvers on one record", () => {
  it("exactly one of five wins; the others are refused; record and audit stay valid", async () => {
    const root = copyFixture(QUEUE);
    const record = join(root, "pending/approval-0007.json");
    const approvers = ["ana.approver", "bruno.approver", "carla.approver", "davi.approver", "eva.approver"];
    const results = await Promise.all(
      approvers.map((actor, i) =>
        runCli(["manage-approval-state", "--approval-record", record, "--action", i % 2 === 0 ? "approve" : "reject", "--reason", `Decision by ${actor} after review`, "--actor", actor]),
      ),
    );
    const winners = results.filter((r) => r.code === 0);
    expect(winners).toHaveLength(1);
    for (const loser of results.filter((r) => r.code !== 0)) {
      expect(loser.code).toBe(1);
      expect(summaryOf(loser)).toMatch(/^APPROVAL_STATE_REFUSED approval_id=approval-0007 .* reason=(locked|transition_not_allowed|record_moved)$/);
    }
    const winner = winners[0]!;
    const to = /to=(\w+)/.exec(summaryOf(winner))![1]!;
    expect(existsSync(record)).toBe(false);
    const final = readJson(join(root, to, "approval-0007.json"));
    expect(final.state).toBe(to);
    expect(final.state_history).toHaveLength(3);
    expect(readdirSync(join(root, to)).filter((f) => f.startsWith("."))).toEqual([]);

    const events = auditLines(root);
    expect(events).toHaveLength(5);
    expect(events.filter((e) => e.event !== "approval.refused")).toHaveLength(1);
    expect((await runCli(["audit", "verify", "--log", join(root, "audit.jsonl")])).code).toBe(0);
    const queue = await runCli(["approvals", "list", "--approvals-dir", root]);
    expect(summaryOf(queue)).toBe("APPROVAL_QUEUE_OK records=4 inconsistencies=0");
  });
});
