// Forged and edited records, records moved between folders, replayed signatures: every reader
// (validate-batch-plan's approvals_bound — apply-batch runs the same check — and approvals list)
// refuses them, naming the record and what is wrong.
import { beforeAll, describe, expect, it } from "vitest";
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, summaryOf } from "../helpers/cli.js";
import { markApprovalApplied } from "../../src/approvals/apply.js";
import {
  approvalFindings,
  approvedWorkspace,
  copyWorkspace,
  freshKey,
  inProcessApproved,
  manageSigned,
  readRecord,
  validateWs,
  writeRecord,
  type SignedWorkspace,
} from "./signed-helpers.js";
import type { ApprovalRecord } from "../../src/schemas/approval-record.js";

let base: SignedWorkspace;
beforeAll(async () => {
  base = await approvedWorkspace();
}, 120_000);

const APPROVED = (ws: SignedWorkspace) => join(ws.root, "approved", "approval-0007.json");

async function expectRefusedEverywhere(ws: SignedWorkspace, pattern: RegExp, kind: string): Promise<void> {
  const [validation, queue] = await Promise.all([validateWs(ws), runCli(["approvals", "list", "--approvals-dir", ws.root])]);
  expect(validation.code).toBe(1);
  expect(summaryOf(validation)).toMatch(/^BATCH_PLAN_VALIDATION_FAILED /);
  const findings = approvalFindings(validation);
  expect(findings.join("\n")).toMatch(pattern);
  expect(findings.join("\n")).toContain('approval "approval-0007"');
  expect(queue.code).toBe(1);
  const report = JSON.parse(queue.stdout) as { inconsistencies: { kind: string; approval_id: string }[] };
  expect(report.inconsistencies.map((i) => i.kind)).toContain(kind);
}

describe("the signed flow itself passes every reader", () => {
  it("validate, list and audit verify accept the record approvals new/submit/approve wrote", async () => {
    const [validation, queue, audit] = await Promise.all([
      validateWs(base),
      runCli(["approvals", "list", "--approvals-dir", base.root]),
      runCli(["audit", "verify", "--log", join(base.root, "audit.jsonl"), "--approvals-dir", base.root]),
    ]);
    expect(summaryOf(validation)).toBe("BATCH_PLAN_VALIDATION_OK batch_id=BATCH-20260501-1890-001 items=2 checks=10 failed=0 findings=0");
    expect(summaryOf(queue)).toBe("APPROVAL_QUEUE_OK records=1 inconsistencies=0");
    const entry = (JSON.parse(queue.stdout) as { approvals: { signature_status: string; approvers: string[]; requested_by: string }[] }).approvals[0]!;
    expect(entry).toMatchObject({ signature_status: "signed", approvers: ["ana.approver"], requested_by: "ops.maria" });
    expect(summaryOf(audit)).toMatch(/^AUDIT_CHAIN_OK events=3 /);
  });
});

describe("every field of a record edited by hand is refused", () => {
  const edits: [string, (r: ApprovalRecord) => void, RegExp, string][] = [
    ["expires_at moved forward", (r) => (r.decision!.expires_at = "2099-01-01T00:00:00+00:00"), /decision differs from the signed one: expires_at/, "signed_field_mismatch"],
    ["requested_by rewritten", (r) => (r.requested_by = "ops.joao"), /requested_by differs from the signed one/, "signed_field_mismatch"],
    ["the decision's actor rewritten", (r) => (r.decision!.actor = "totally.not.me"), /decision differs from the signed one: actor/, "signed_field_mismatch"],
    ["state_history emptied", (r) => (r.state_history = []), /state_history was cut/, "signed_field_mismatch"],
    ["a state_history reason edited", (r) => (r.state_history[2]!.reason = "Approved by the CAB"), /state_history\[2\] differs/, "signed_field_mismatch"],
    ["summary edited", (r) => (r.summary = "Something else entirely"), /summary differs from the signed one/, "signed_field_mismatch"],
    ["risk_level lowered", (r) => (r.risk_level = "low"), /risk_level differs from the signed one/, "signed_field_mismatch"],
    ["requested_at edited", (r) => (r.requested_at = "2020-01-01T00:00:00+00:00"), /requested_at differs/, "signed_field_mismatch"],
    ["device edited", (r) => (r.device = { id: 1890, name: "4WNET-MNS-KTG-RX2" }), /device differs/, "signed_field_mismatch"],
    ["applied set by hand", (r) => (r.applied = { batch_id: "BATCH-1", operator: "x", at: "2026-05-01T00:00:00+00:00" }), /`applied` is set/, "signed_field_mismatch"],
    ["every signature removed", (r) => delete r.signatures, /carries no signature/, "unsigned"],
    ["a signed statement's reason edited", (r) => (r.signatures![2]!.statement.reason = "Approved by the CAB"), /signature 3 \(approve by ana.approver\) does not verify/, "bad_signature"],
    ["an approve signature relabelled as another action", (r) => (r.signatures![2]!.statement.action = "reject"), /does not verify/, "bad_signature"],
    ["the signature bytes garbled", (r) => (r.signatures![2]!.signature = r.signatures![2]!.signature.replace(/[A-Z]/, "a")), /signature 3/, "bad_signature"],
    ["the middle signature removed", (r) => r.signatures!.splice(1, 1), /does not follow|state_history/, "signature_chain_broken"],
  ];
  for (const [name, change, pattern, kind] of edits) {
    it.concurrent(name, async () => {
      const ws = copyWorkspace(base);
      const record = readRecord(APPROVED(ws));
      change(record);
      writeRecord(APPROVED(ws), record);
      await expectRefusedEverywhere(ws, pattern, kind);
    });
  }

  it.concurrent('a duplicate "state" key (one reader would see pending, another approved)', async () => {
    const ws = copyWorkspace(base);
    const text = readFileSync(APPROVED(ws), "utf8");
    writeFileSync(APPROVED(ws), text.replace('"state": "approved",', '"state": "pending",\n  "state": "approved",'));
    const [validation, queue] = await Promise.all([validateWs(ws), runCli(["approvals", "list", "--approvals-dir", ws.root])]);
    expect(validation.code).toBe(1);
    expect(approvalFindings(validation).join("\n")).toMatch(/the key "state" appears twice/);
    expect(queue.code).toBe(1);
  });
});

describe("forged records", () => {
  it.concurrent("a record written by hand into approved/ (actor totally.not.me, expiring 2099, no audit event)", async () => {
    const ws = copyWorkspace(base);
    const genuine = readRecord(APPROVED(ws));
    const forged = {
      ...genuine,
      decision: { ...genuine.decision!, actor: "totally.not.me", expires_at: "2099-12-31T00:00:00+00:00" },
      state_history: [...genuine.state_history.slice(0, 2), { ...genuine.state_history[2]!, actor: "totally.not.me" }],
    };
    delete (forged as Partial<ApprovalRecord>).signatures;
    writeRecord(APPROVED(ws), forged);
    await expectRefusedEverywhere(ws, /carries no signature/, "unsigned");
  });

  it.concurrent("a record signed by a key allowed_signers does not list", async () => {
    const ws = copyWorkspace(base);
    const outsider = freshKey("ana.approver");
    const maria = freshKey("ops.maria");
    writeRecord(APPROVED(ws), inProcessApproved(ws, "approval-0007", { requester: maria, approver: outsider }));
    await expectRefusedEverywhere(ws, /is not in allowed_signers/, "unknown_signer");
  });

  it.concurrent("a key enrolled under one principal cannot sign as another", async () => {
    const ws = copyWorkspace(base);
    const maria = freshKey("ops.maria");
    appendFileSync(join(ws.root, "allowed_signers"), `${maria.line}\n`);
    // ana's statement signed with a key allowed_signers lists for ops.maria.
    const record = inProcessApproved(ws, "approval-0007", { requester: maria, approver: { ...maria, principal: "ana.approver" } });
    writeRecord(APPROVED(ws), record);
    await expectRefusedEverywhere(ws, /is signed by ops.maria's key/, "bad_signature");
  });
});

describe("records moved between folders", () => {
  it("a revoked record moved back into approved/ (as is, and edited to look approved)", async () => {
    const ws = copyWorkspace(base);
    expect((await manageSigned(ws, "approved", "revoke", ws.keys["ana.approver"], "Change window moved to next week")).code).toBe(0);
    const revoked = join(ws.root, "revoked", "approval-0007.json");

    const moved = copyWorkspace(ws);
    renameSync(join(moved.root, "revoked", "approval-0007.json"), APPROVED(moved));
    await expectRefusedEverywhere(moved, /folder "approved" but its state is "revoked"|approval "approval-0007" is revoked/, "state_folder_mismatch");

    // Edited back to its approved form: revoke signature, history entry and state removed.
    const record = readRecord(revoked);
    record.signatures!.pop();
    record.state_history.pop();
    record.state = "approved";
    rmSync(revoked);
    writeRecord(APPROVED(ws), record);
    await expectRefusedEverywhere(ws, /the audit log records approval.revoke at seq 4, which this record does not carry/, "rolled_back");
  }, 60_000);

  it("an applied record moved back into approved/ and edited to look approved", async () => {
    const ws = copyWorkspace(base);
    const outcome = await markApprovalApplied({ approvalsRoot: ws.root, approvalId: "approval-0007", batchId: "BATCH-20260501-1890-001", operator: "ops.joao" });
    expect(outcome.ok).toBe(true);
    const applied = join(ws.root, "applied", "approval-0007.json");
    const record = readRecord(applied);
    record.state_history.pop();
    record.state = "approved";
    record.applied = null;
    rmSync(applied);
    writeRecord(APPROVED(ws), record);
    await expectRefusedEverywhere(ws, /the audit log records approval.apply/, "rolled_back");
  }, 60_000);

  it.concurrent("a pending record put into approved/ with a hand-made decision", async () => {
    const ws = copyWorkspace(base);
    const record = readRecord(APPROVED(ws));
    record.signatures!.pop(); // keep only create and submit: no approval was ever signed
    record.state_history.pop();
    writeRecord(APPROVED(ws), record);
    await expectRefusedEverywhere(ws, /the record says approved, but its signed transitions lead to pending/, "unsigned_state");
  });
});

describe("replayed signatures", () => {
  it.concurrent("signatures copied from another record name that record and are refused", async () => {
    const ws = copyWorkspace(base);
    const maria = freshKey("ops.maria");
    const ana = freshKey("ana.approver");
    appendFileSync(join(ws.root, "allowed_signers"), `${maria.line}\n${ana.line}\n`);
    // A genuine approval of approval-0009 (another subject), its signatures pasted into 0007.
    const other = inProcessApproved(ws, "approval-0009", { requester: maria, approver: ana }, [{ item_id: "pfx-1", object_type: "ipam.prefix", payload_sha256: "a".repeat(64) }]);
    mkdirSync(join(ws.root, "approved"), { recursive: true });
    writeRecord(join(ws.root, "approved", "approval-0009.json"), other);
    const target = readRecord(APPROVED(ws));
    target.signatures = other.signatures!;
    target.state_history = other.state_history;
    target.decision = { ...other.decision!, subject_sha256: target.subject_sha256 };
    writeRecord(APPROVED(ws), target);
    await expectRefusedEverywhere(ws, /was made for approval "approval-0009".*copied from another record/, "replayed_signature");
  });

  it.concurrent("one approve signature copied from another record into a pending one", async () => {
    const ws = copyWorkspace(base);
    const maria = freshKey("ops.maria");
    const ana = freshKey("ana.approver");
    appendFileSync(join(ws.root, "allowed_signers"), `${maria.line}\n${ana.line}\n`);
    const donor = inProcessApproved(ws, "approval-0009", { requester: maria, approver: ana });
    const target = readRecord(APPROVED(ws));
    target.signatures![2] = donor.signatures![2]!;
    writeRecord(APPROVED(ws), target);
    await expectRefusedEverywhere(ws, /copied from another record/, "replayed_signature");
  });
});
