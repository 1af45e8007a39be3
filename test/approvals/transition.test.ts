import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decideTransition, type TransitionRequest } from "../../src/approvals/transition.js";
import { sameActor } from "../../src/approvals/names.js";
import { subjectSha256 } from "../../src/approvals/integrity.js";
import type { TransitionAction } from "../../src/approvals/states.js";
import { APPROVAL_STATES, ApprovalRecordSchema, type ApprovalRecord, type ApprovalState } from "../../src/schemas/approval-record.js";
import { PROJECT_ROOT } from "../helpers/cli.js";

const pending = ApprovalRecordSchema.parse(
  JSON.parse(readFileSync(join(PROJECT_ROOT, "fixtures/approvals/queue/pending/approval-0007.json"), "utf8")),
);
const NOW = new Date("2026-05-03T12:00:00Z");

function inState(state: ApprovalState): ApprovalRecord {
  const decision =
    state === "approved" || state === "applied" || state === "revoked"
      ? { action: "approve" as const, actor: "ana.approver", reason: "Checked change window", at: "2026-05-02T00:00:00+00:00", expires_at: "2099-01-01T00:00:00+00:00", subject_sha256: pending.subject_sha256 }
      : null;
  return { ...pending, state, decision };
}
const at = (record: ApprovalRecord) => ({ folder: record.state, fileName: `${record.approval_id}.json` });
const request = (action: TransitionAction, extra: Partial<TransitionRequest> = {}): TransitionRequest => ({
  action,
  actor: "ana.approver",
  reason: "Reviewed the change window and rollback plan",
  now: NOW,
  batchId: "BATCH-20260501-1890-001",
  ...extra,
});

const ALLOWED: Record<string, ApprovalState> = {
  "proposed:submit": "pending",
  "pending:approve": "approved",
  "pending:reject": "rejected",
  "approved:revoke": "revoked",
  "approved:apply": "applied",
};

describe("the state machine (SPEC §2.3)", () => {
  for (const state of APPROVAL_STATES) {
    for (const action of ["submit", "approve", "reject", "revoke", "apply"] as const) {
      const to = ALLOWED[`${state}:${action}`];
      it(`${state} --${action}--> ${to ?? "refused"}`, () => {
        const record = inState(state);
        const decision = decideTransition(record, at(record), request(action));
        if (to === undefined) {
          expect(decision.ok).toBe(false);
          if (!decision.ok) expect(decision.refusal.code).toBe("transition_not_allowed");
          return;
        }
        expect(decision.ok).toBe(true);
        if (!decision.ok) return;
        expect(decision.record.state).toBe(to);
        expect(decision.record.state_history).toHaveLength(record.state_history.length + 1);
        expect(decision.record.state_history.at(-1)).toEqual({ from: state, to, actor: "ana.approver", reason: "Reviewed the change window and rollback plan", at: "2026-05-03T12:00:00+00:00" });
        expect(ApprovalRecordSchema.safeParse(decision.record).success).toBe(true);
      });
    }
  }

  it("approve sets the decision with expires_at 14 days out and the approved subject", () => {
    const decision = decideTransition(pending, at(pending), request("approve"));
    expect(decision.ok && decision.record.decision).toEqual({
      action: "approve",
      actor: "ana.approver",
      reason: "Reviewed the change window and rollback plan",
      at: "2026-05-03T12:00:00+00:00",
      expires_at: "2026-05-17T12:00:00+00:00",
      subject_sha256: pending.subject_sha256,
    });
  });

  it("honours --expires-in-days and gives a rejection no expiry", () => {
    const approve = decideTransition(pending, at(pending), request("approve", { expiresInDays: 2 }));
    expect(approve.ok && approve.record.decision?.expires_at).toBe("2026-05-05T12:00:00+00:00");
    const reject = decideTransition(pending, at(pending), request("reject"));
    expect(reject.ok && reject.record.decision?.expires_at).toBeNull();
    expect(reject.ok && reject.record.decision?.action).toBe("reject");
  });

  it("apply records the batch and the operator", () => {
    const approved = inState("approved");
    const decision = decideTransition(approved, at(approved), request("apply", { actor: "ops.maria" }));
    expect(decision.ok && decision.record.applied).toEqual({ batch_id: "BATCH-20260501-1890-001", operator: "ops.maria", at: "2026-05-03T12:00:00+00:00" });
  });
});

describe("refusals", () => {
  const code = (record: ApprovalRecord, req: TransitionRequest, where = at(record)): string | undefined => {
    const decision = decideTransition(record, where, req);
    return decision.ok ? undefined : decision.refusal.code;
  };

  it("four eyes: the requester cannot approve, whatever the case or width of the name", () => {
    expect(code(pending, request("approve", { actor: "ops.maria" }))).toBe("self_approval");
    expect(code(pending, request("approve", { actor: "  OPS.Maria " }))).toBe("self_approval");
    expect(code(pending, request("approve", { actor: "ｏｐｓ.ｍａｒｉａ" }))).toBe("self_approval");
    expect(sameActor("ana.approver", "ops.maria")).toBe(false);
  });

  it("the requester may still submit, reject (withdraw) and revoke", () => {
    const proposed = inState("proposed");
    expect(code(proposed, request("submit", { actor: "ops.maria", reason: "ready" }))).toBeUndefined();
    expect(code(pending, request("reject", { actor: "ops.maria" }))).toBeUndefined();
  });

  it("reasons: blank for any action, under 10 characters for decisions", () => {
    expect(code(pending, request("approve", { reason: "   \t " }))).toBe("reason_blank");
    expect(code(inState("proposed"), request("submit", { reason: "" }))).toBe("reason_blank");
    expect(code(pending, request("approve", { reason: "ok" }))).toBe("reason_too_short");
    expect(code(pending, request("reject", { reason: "  123456789  " }))).toBe("reason_too_short");
    expect(code(inState("approved"), request("revoke", { reason: "nope" }))).toBe("reason_too_short");
    expect(code(pending, request("approve", { reason: "1234567890" }))).toBeUndefined();
    expect(code(inState("proposed"), request("submit", { reason: "go" }))).toBeUndefined();
  });

  it("a missing or blank actor", () => {
    expect(code(pending, request("approve", { actor: undefined }))).toBe("missing_actor");
    expect(code(pending, request("approve", { actor: "  " }))).toBe("missing_actor");
    expect(code(pending, request("approve", { actor: "ana\napprover" }))).toBe("invalid_actor");
  });

  it("folder/state and file name/id disagreement", () => {
    expect(code(pending, request("approve"), { folder: "approved", fileName: "approval-0007.json" })).toBe("state_folder_mismatch");
    expect(code(pending, request("approve"), { folder: "pending", fileName: "approval-0009.json" })).toBe("file_name_mismatch");
  });

  it("tampered subjects: items changed, or changed after the decision with a recomputed hash", () => {
    const items = [{ ...pending.items[0]!, object_type: "ipam.prefix" }, pending.items[1]!];
    expect(code({ ...pending, items }, request("approve"))).toBe("subject_tampered");
    const approved = inState("approved");
    const rehashed = { ...approved, items, subject_sha256: subjectSha256(items) };
    expect(code(rehashed, request("revoke"))).toBe("subject_tampered");
  });

  it("apply needs a live approve decision", () => {
    const approved = inState("approved");
    const expired = { ...approved, decision: { ...approved.decision!, expires_at: "2026-05-03T11:59:59+00:00" } };
    expect(code(expired, request("apply"))).toBe("approval_expired");
    expect(code({ ...approved, decision: null }, request("apply"))).toBe("decision_missing");
    // Revoking an expired approval is still allowed: it only closes it.
    expect(code(expired, request("revoke"))).toBeUndefined();
  });

  it("never mutates its input", () => {
    const before = JSON.stringify(pending);
    decideTransition(pending, at(pending), request("approve"));
    expect(JSON.stringify(pending)).toBe(before);
  });
});
