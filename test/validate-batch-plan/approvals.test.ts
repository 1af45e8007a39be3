import { describe, expect, it } from "vitest";
import type { ApprovalLookup } from "../../src/plan/approvals.js";
import { canonicalSha256 } from "../../src/json/canonical.js";
import { failedChecks, findingsOf, goodApprovals, loadPlan, validate } from "./helpers.js";

/** The good records with approval-0008 changed by `mutate` (record-level problems). */
function with0008(mutate: (record: Extract<ApprovalLookup, { kind: "found" }>) => void): Map<string, ApprovalLookup> {
  const approvals = goodApprovals();
  const lookup = structuredClone(approvals.get("approval-0008"));
  if (lookup?.kind !== "found") throw new Error("fixture approval-0008 must be found");
  mutate(lookup);
  approvals.set("approval-0008", lookup);
  return approvals;
}

function approvalMessages(approvals: Map<string, ApprovalLookup>, now = new Date()): string[] {
  const report = validate(loadPlan(), approvals, now);
  expect(failedChecks(report)).toEqual(["approvals_bound"]);
  return findingsOf(report, "approvals_bound").map((finding) => finding.message);
}

describe("approvals_bound", () => {
  it("binds the good plan to its good records", () => {
    expect(failedChecks(validate(loadPlan(), goodApprovals()))).toEqual([]);
  });

  it("fails on a missing record", () => {
    const approvals = goodApprovals();
    approvals.set("approval-0008", { kind: "missing", notes: [] });
    expect(approvalMessages(approvals)).toEqual(['no approval record "approval-0008" in any state folder of --approvals-dir']);
  });

  it("fails on a record that is not approved", () => {
    const messages = approvalMessages(
      with0008((found) => {
        found.record.state = "pending";
        found.folder = "pending";
      }),
    );
    expect(messages).toEqual(['approval "approval-0008" is pending, not approved']);
  });

  it("fails on an expired approval, judged by the given clock", () => {
    const messages = approvalMessages(
      with0008((found) => {
        if (found.record.decision) found.record.decision.expires_at = "2026-05-01T00:00:00+08:00";
      }),
      new Date("2026-05-02T00:00:00Z"),
    );
    expect(messages).toEqual(['approval "approval-0008" expired at 2026-05-01T00:00:00+08:00']);
  });

  it("fails on self-approval (four eyes), whatever the case of the name", () => {
    const messages = approvalMessages(
      with0008((found) => {
        if (found.record.decision) found.record.decision.actor = " Ops.Maria ";
      }),
    );
    expect(messages).toEqual(['approval "approval-0008" was approved by its own requester "ops.maria"']);
  });

  it("fails on a record for another device", () => {
    const messages = approvalMessages(with0008((found) => (found.record.device = { id: 1891, name: "4WNET-MNS-KTG-RX" })));
    expect(messages).toEqual(['approval "approval-0008" is for device 1891 "4WNET-MNS-KTG-RX", not 1890 "4WNET-MNS-KTG-RX"']);
  });

  it("fails on an item the record does not list, even with a consistent subject hash", () => {
    const messages = approvalMessages(
      with0008((found) => {
        found.record.items = found.record.items.filter((item) => item.item_id !== "pfx-10-31-40-0-24");
        found.record.subject_sha256 = canonicalSha256(found.record.items);
        if (found.record.decision) found.record.decision.subject_sha256 = found.record.subject_sha256;
      }),
    );
    expect(messages).toEqual(['approval "approval-0008" does not list item "pfx-10-31-40-0-24"']);
  });

  it("fails on a record edited after the decision", () => {
    const messages = approvalMessages(
      with0008((found) => {
        const first = found.record.items[0];
        if (first) first.payload_sha256 = "0".repeat(64);
      }),
    );
    expect(messages.some((m) => m.startsWith('approval "approval-0008": subject_sha256 does not match the record\'s items'))).toBe(true);
  });
});
