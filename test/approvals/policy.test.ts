// policy.json (who may approve each risk level, how many, how long; legacy records), reasons that
// are template placeholders, `approvals new`, and validate-batch-plan finding the approvals folder.
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli, summaryOf } from "../helpers/cli.js";
import { canonicalSha256 } from "../../src/json/canonical.js";
import type { JsonValue } from "../../src/json/value.js";
import { approvalFindings, GOOD_REASON, manageSigned, newRecord, planItems, readRecord, signedWorkspace, validateWs, writeRecord, type SignedWorkspace } from "./signed-helpers.js";

function writePolicy(ws: SignedWorkspace, policy: Record<string, unknown>): void {
  writeFileSync(join(ws.root, "policy.json"), JSON.stringify({ schema_version: "approval_policy_v1", ...policy }));
}

async function pendingRecord(ws: SignedWorkspace, risk = "medium"): Promise<void> {
  expect((await newRecord(ws, ws.keys["ops.maria"]!, ["--risk-level", risk])).code).toBe(0);
  expect((await manageSigned(ws, "proposed", "submit", ws.keys["ops.maria"], "Ready for review")).code).toBe(0);
}

describe("policy.json", () => {
  it.concurrent("critical needs two distinct approvers from its list: the record collects signed approvals", async () => {
    const ws = signedWorkspace(["ops.maria", "ana.approver", "bruno.approver", "carla.approver"]);
    writePolicy(ws, { risk_levels: { critical: { approvers: ["ana.approver", "bruno.approver"], required_approvals: 2, max_expires_in_days: 7 } } });
    await pendingRecord(ws, "critical");
    const outsider = await manageSigned(ws, "pending", "approve", ws.keys["carla.approver"]);
    expect(summaryOf(outsider)).toMatch(/actor=carla.approver reason=not_an_approver$/);
    const tooLong = await manageSigned(ws, "pending", "approve", ws.keys["ana.approver"], GOOD_REASON, ["--expires-in-days", "30"]);
    expect(summaryOf(tooLong)).toMatch(/reason=expiry_too_long$/);
    const first = await manageSigned(ws, "pending", "approve", ws.keys["ana.approver"]);
    expect(summaryOf(first)).toBe("APPROVAL_STATE_OK approval_id=approval-0007 from=pending to=pending actor=ana.approver");
    const collecting = readRecord(join(ws.root, "pending", "approval-0007.json"));
    expect(collecting.decision).toBeNull();
    expect(collecting.signatures).toHaveLength(3);
    // Not approved yet: validate refuses it.
    expect(approvalFindings(await validateWs(ws)).join("\n")).toContain("is pending, not approved");
    const again = await manageSigned(ws, "pending", "approve", ws.keys["ana.approver"]);
    expect(summaryOf(again)).toMatch(/reason=duplicate_approver$/);
    const second = await manageSigned(ws, "pending", "approve", ws.keys["bruno.approver"]);
    expect(summaryOf(second)).toBe("APPROVAL_STATE_OK approval_id=approval-0007 from=pending to=approved actor=bruno.approver");
    const record = readRecord(join(ws.root, "approved", "approval-0007.json"));
    // The default 14 days is capped at the policy's 7.
    expect(Date.parse(record.decision!.expires_at!) - Date.parse(record.decision!.at)).toBeLessThanOrEqual(7 * 86_400_000);
    const [validation, queue] = await Promise.all([validateWs(ws), runCli(["approvals", "list", "--approvals-dir", ws.root])]);
    expect(validation.code).toBe(0);
    expect((JSON.parse(queue.stdout) as { approvals: { approvers: string[] }[] }).approvals[0]!.approvers).toEqual(["ana.approver", "bruno.approver"]);
    // A stricter policy later: the record is approved outside it, so it is not approved.
    writePolicy(ws, { risk_levels: { critical: { approvers: ["ana.approver", "bruno.approver"], required_approvals: 3, max_expires_in_days: 7 } } });
    expect(approvalFindings(await validateWs(ws)).join("\n")).toMatch(/critical needs 3 distinct approvers .* \[approvals_short\]/);
  }, 120_000);

  it.concurrent("unsigned legacy records: refused by default, listed as unsigned and accepted where the policy says so", async () => {
    const ws = signedWorkspace(["ops.maria"]);
    const items = planItems(ws);
    const subject = canonicalSha256(items);
    const legacy = {
      schema_version: "approval_record_v1", approval_id: "approval-0007", state: "approved", device: { id: 1890, name: "4WNET-MNS-KTG-RX" },
      requested_by: "ops.maria", requested_at: "2026-04-30T09:00:00+08:00", risk_level: "medium", summary: "made before signing", items, subject_sha256: subject,
      decision: { action: "approve", actor: "ana.approver", reason: GOOD_REASON, at: "2026-04-30T14:00:00+08:00", expires_at: "2099-12-31T23:59:59+08:00", subject_sha256: subject },
      applied: null,
      state_history: [{ from: null, to: "proposed", actor: "ops.maria", reason: "created", at: "2026-04-30T09:00:00+08:00" }],
    };
    writeRecord(join(ws.root, "approved", "approval-0007.json"), legacy);
    const refused = await validateWs(ws);
    expect(refused.code).toBe(1);
    expect(approvalFindings(refused).join("\n")).toMatch(/carries no signature .*\[unsigned\]/);
    const listed = await runCli(["approvals", "list", "--approvals-dir", ws.root]);
    expect(listed.code).toBe(1);
    expect(JSON.parse(listed.stdout)).toMatchObject({ approvals: [{ signature_status: "unsigned" }], inconsistencies: [{ kind: "unsigned" }] });

    writePolicy(ws, { risk_levels: {}, allow_unsigned_legacy: true });
    const [accepted, tolerated] = await Promise.all([validateWs(ws), runCli(["approvals", "list", "--approvals-dir", ws.root])]);
    expect(accepted.code).toBe(0);
    expect(summaryOf(tolerated)).toBe("APPROVAL_QUEUE_OK records=1 inconsistencies=0");
    expect(JSON.parse(tolerated.stdout)).toMatchObject({ approvals: [{ signature_status: "unsigned" }] });
  }, 60_000);

  it.concurrent("a malformed policy.json or allowed_signers is an input error naming the file", async () => {
    const ws = signedWorkspace(["ops.maria"]);
    writePolicy(ws, { risk_levels: { critical: { approvers: [], required_approvals: 0, max_expires_in_days: 7 } } });
    const bad = await runCli(["approvals", "list", "--approvals-dir", ws.root]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/policy.json is not a valid approval_policy_v1: risk_levels.critical/);
    rmSync(join(ws.root, "policy.json"));
    writeFileSync(join(ws.root, "allowed_signers"), "ops.maria ssh-ed25519 not-base64!\n");
    const signers = await runCli(["approvals", "list", "--approvals-dir", ws.root]);
    expect(signers.code).toBe(2);
    expect(signers.stderr).toMatch(/allowed_signers is malformed: line 1/);
  });
});

describe("reasons that are template placeholders are refused with a hint", () => {
  const reasons = ["Approved by [NAME]", "Checked by <name> in the CAB", "TODO write the reason later", "TBD after the change window", "Reviewed xxx and the rollback", "Checked the change window..."];
  it.concurrent("each placeholder, on approve; the record is untouched", async () => {
    const ws = signedWorkspace(["ops.maria", "ana.approver"]);
    await pendingRecord(ws);
    const results = await Promise.all(reasons.map((reason) => manageSigned(ws, "pending", "approve", ws.keys["ana.approver"], reason)));
    for (const result of results) {
      expect(summaryOf(result)).toMatch(/reason=reason_placeholder$/);
      expect(result.stderr).toMatch(/^hint: write the real reason/m);
    }
    expect(existsSync(join(ws.root, "pending", "approval-0007.json"))).toBe(true);
    const summary = await newRecord(signedWorkspace(["ops.maria"]), ws.keys["ops.maria"]!, ["--summary", "Change for [TICKET]"]);
    expect(summaryOf(summary)).toMatch(/^APPROVAL_NEW_REFUSED approval_id=approval-0007 reason=/);
  }, 60_000);
});

describe("approvals new", () => {
  it.concurrent("writes a signed proposed record with every hash computed; an existing id is refused", async () => {
    const ws = signedWorkspace(["ops.maria"]);
    const result = await newRecord(ws, ws.keys["ops.maria"]!);
    expect(result.code).toBe(0);
    const record = readRecord(join(ws.root, "proposed", "approval-0007.json"));
    expect(result.stdout).toBe(readFileSync(join(ws.root, "proposed", "approval-0007.json"), "utf8"));
    expect(record.items).toEqual(planItems(ws));
    expect(record.subject_sha256).toBe(canonicalSha256(record.items as unknown as JsonValue));
    expect(record).toMatchObject({ state: "proposed", requested_by: "ops.maria", risk_level: "medium", decision: null, applied: null });
    expect(record.signatures![0]!.statement).toMatchObject({ action: "create", approval_id: "approval-0007", actor: "ops.maria", subject_sha256: record.subject_sha256, audit_head: { seq: 0 } });
    expect(summaryOf(result)).toBe(`APPROVAL_NEW_OK approval_id=approval-0007 items=2 requested_by=ops.maria subject_sha256=${record.subject_sha256}`);
    const again = await newRecord(ws, ws.keys["ops.maria"]!);
    expect(summaryOf(again)).toBe("APPROVAL_NEW_REFUSED approval_id=approval-0007 reason=duplicate_record");
    const wrongItem = await newRecord(ws, ws.keys["ops.maria"]!, ["--approval-id", "approval-0009"]);
    expect(wrongItem.code).toBe(2);
    expect(wrongItem.stderr).toContain("no plan item names approval_id approval-0009");
    const other = signedWorkspace(["ops.maria"]);
    const items = await newRecord(other, other.keys["ops.maria"]!, ["--items", "if-xe-0-0-1"]);
    expect(summaryOf(items)).toMatch(/^APPROVAL_NEW_OK approval_id=approval-0007 items=1 /);
  }, 60_000);
});

describe("validate-batch-plan finds the approvals folder like apply-batch", () => {
  it.concurrent("the runbook's command checks approvals; --no-approvals skips them and says so", async () => {
    const ws = signedWorkspace(["ops.maria", "ana.approver"]);
    await pendingRecord(ws);
    expect((await manageSigned(ws, "pending", "approve", ws.keys["ana.approver"])).code).toBe(0);
    expect((await manageSigned(ws, "approved", "revoke", ws.keys["ana.approver"], "Change window moved to next week")).code).toBe(0);
    const runbook = await validateWs(ws);
    expect(runbook.code).toBe(1);
    expect(runbook.stderr).toContain("the nearest folder named approvals above the plan");
    expect(approvalFindings(runbook).join("\n")).toContain('approval "approval-0007" is revoked, not approved');
    const skipped = await validateWs(ws, ["--no-approvals"]);
    expect(skipped.code).toBe(0);
    expect(summaryOf(skipped)).toBe("BATCH_PLAN_VALIDATION_OK batch_id=BATCH-20260501-1890-001 items=2 checks=10 failed=0 findings=0 approvals=skipped");
  }, 60_000);
});
