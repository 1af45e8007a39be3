// A real apply holds the approval records it uses: a revoke meanwhile is refused, a revoke that
// landed first stops the apply, and an approval valid when the gates passed is applied even if it
// lapses during the write.
import { describe, expect, it } from "vitest";
import { appendFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { summaryOf } from "../helpers/cli.js";
import { markApprovalApplied } from "../../src/approvals/apply.js";
import { holdAndRecheck, holdApprovals } from "../../src/approvals/hold.js";
import { approvalRechecker } from "../../src/plan/approvals.js";
import { buildSignedRecord, freshKey } from "../helpers/signed-records.js";
import { approvedWorkspace, manageSigned, planItems, signedWorkspace, writeRecord } from "./signed-helpers.js";

const RUN = { runId: "run-3", batchId: "BATCH-20260501-1890-001" };

describe("approvals held by a real apply", () => {
  it("a revoke during the run is refused, naming the run; after it, the revoke goes through", async () => {
    const ws = await approvedWorkspace();
    const held = holdApprovals(ws.root, ["approval-0007"], RUN);
    expect(held.ok).toBe(true);
    if (!held.ok) return;
    const refused = await manageSigned(ws, "approved", "revoke", ws.keys["ana.approver"], "Change window moved to next week");
    expect(summaryOf(refused)).toMatch(/reason=held_by_apply$/);
    expect(refused.stderr).toContain("approval-0007 is being applied by run-3 of BATCH-20260501-1890-001");
    expect(existsSync(join(ws.root, "approved", "approval-0007.json"))).toBe(true);
    held.release();
    const revoked = await manageSigned(ws, "approved", "revoke", ws.keys["ana.approver"], "Change window moved to next week");
    expect(summaryOf(revoked)).toMatch(/^APPROVAL_STATE_OK .* to=revoked /);
  }, 60_000);

  it("a revoke that won the race stops the apply before anything is written", async () => {
    const ws = await approvedWorkspace();
    expect((await manageSigned(ws, "approved", "revoke", ws.keys["ana.approver"], "Change window moved to next week")).code).toBe(0);
    const hold = holdAndRecheck(ws.root, ["approval-0007"], RUN, approvalRechecker(ws.root));
    expect(hold.ok).toBe(false);
    if (!hold.ok) expect(hold.message).toMatch(/approval-0007 is no longer a single readable record|approval-0007 is revoked/);
    expect(existsSync(join(ws.root, ".holds", "approval-0007.hold"))).toBe(false);
  }, 60_000);

  it("an approval valid when the gates passed moves to applied/ even if it expired during the write", async () => {
    const ws = signedWorkspace([]);
    const maria = freshKey("ops.maria");
    const ana = freshKey("ana.approver");
    appendFileSync(join(ws.root, "allowed_signers"), `${maria.line}\n${ana.line}\n`);
    const dayAgo = (days: number) => new Date(Math.floor((Date.now() - days * 86_400_000) / 1000) * 1000).toISOString().replace(".000Z", "+00:00");
    // Approved 15 days ago for 14 days: lapsed a day ago.
    const record = buildSignedRecord({ approval_id: "approval-0007", device: { id: 1890, name: "4WNET-MNS-KTG-RX" }, risk_level: "medium", summary: "s", items: planItems(ws) }, [
      { action: "create", key: maria, reason: "created", at: dayAgo(16) },
      { action: "submit", key: maria, reason: "ready", at: dayAgo(16) },
      { action: "approve", key: ana, reason: "Change window CHG-4410 checked", at: dayAgo(15), expiresInDays: 14 },
    ]);
    writeRecord(join(ws.root, "approved", "approval-0007.json"), record);
    const now = await markApprovalApplied({ approvalsRoot: ws.root, approvalId: "approval-0007", batchId: RUN.batchId, operator: "ops.joao" });
    expect(now.ok).toBe(false);
    if (!now.ok) expect(now.refusal.code).toBe("approval_expired");
    const validThen = await markApprovalApplied({ approvalsRoot: ws.root, approvalId: "approval-0007", batchId: RUN.batchId, operator: "ops.joao", validAt: new Date(Date.parse(dayAgo(2))) });
    expect(validThen.ok).toBe(true);
    expect(existsSync(join(ws.root, "applied", "approval-0007.json"))).toBe(true);
  }, 60_000);
});
