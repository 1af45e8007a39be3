import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { markApprovalApplied } from "../../src/approvals/apply.js";
import { verifyAuditLogText } from "../../src/audit/chain.js";
import { readFileSync } from "node:fs";
import { auditLines, copyFixture, QUEUE, readJson } from "./helpers.js";

describe("markApprovalApplied (apply-batch's door into the state machine)", () => {
  it("moves an approved record to applied with the batch, through the audit log", async () => {
    const root = copyFixture(QUEUE);
    const outcome = await markApprovalApplied({ approvalsRoot: root, approvalId: "approval-0005", batchId: "BATCH-20260501-1890-001", operator: "ops.maria" });
    expect(outcome.ok).toBe(true);
    expect(existsSync(join(root, "approved/approval-0005.json"))).toBe(false);
    const applied = readJson(join(root, "applied/approval-0005.json"));
    expect(applied.state).toBe("applied");
    expect(applied.applied).toMatchObject({ batch_id: "BATCH-20260501-1890-001", operator: "ops.maria" });
    expect(auditLines(root).map((e) => [e.command, e.event, e.subject])).toEqual([["apply-batch", "approval.apply", "approval-0005"]]);
    expect(verifyAuditLogText(readFileSync(join(root, "audit.jsonl"), "utf8")).ok).toBe(true);
  });

  it("refuses a record that is not approved, as data, and audits the refusal", async () => {
    const root = copyFixture(QUEUE);
    const outcome = await markApprovalApplied({ approvalsRoot: root, approvalId: "approval-0004", batchId: "BATCH-1", operator: "ops.maria" });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.refusal.code).toBe("transition_not_allowed");
    expect(existsSync(join(root, "rejected/approval-0004.json"))).toBe(true);
    expect(auditLines(root)[0]).toMatchObject({ event: "approval.refused", details: { refusal: "transition_not_allowed" } });
  });

  it("refuses a hostile id before touching the disk", () => {
    const root = copyFixture(QUEUE);
    expect(() => markApprovalApplied({ approvalsRoot: root, approvalId: "../pending/approval-0007", batchId: "BATCH-1", operator: "ops.maria" })).toThrow(/not a valid id/);
  });
});
