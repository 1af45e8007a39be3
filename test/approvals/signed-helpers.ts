import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT, runCli, summaryOf, type CliResult } from "../helpers/cli.js";
import { addSshKeygenSigner, buildSignedRecord, freshKey, type TestKey } from "../helpers/signed-records.js";
import { canonicalSha256 } from "../../src/json/canonical.js";
import type { JsonValue } from "../../src/json/value.js";
import type { ApprovalRecord } from "../../src/schemas/approval-record.js";

export const DEVICE_ARGS = ["--expected-device-id", "1890", "--expected-device", "4WNET-MNS-KTG-RX"];
export const GOOD_REASON = "Change window CHG-4410 and rollback plan checked";

/** The runbook's layout: `<ws>/approvals/approved/batch-apply-plan-fixed.json` beside the records. */
export interface SignedWorkspace {
  dir: string;
  root: string;
  plan: string;
  /** ssh-keygen key files (made at run time) of principals enrolled in allowed_signers. */
  keys: Record<string, string>;
}

export function signedWorkspace(principals: string[] = ["ops.maria", "ana.approver", "bruno.approver"]): SignedWorkspace {
  const dir = mkdtempSync(join(tmpdir(), "opsgate-signed-"));
  const root = join(dir, "approvals");
  mkdirSync(join(root, "approved"), { recursive: true });
  const plan = join(root, "approved", "batch-apply-plan-fixed.json");
  copyFileSync(join(PROJECT_ROOT, "fixtures/approvals/queue/approved/batch-apply-plan-fixed.json"), plan);
  writeFileSync(join(root, "allowed_signers"), "");
  const keys: Record<string, string> = {};
  for (const principal of principals) keys[principal] = addSshKeygenSigner(root, principal);
  return { dir, root, plan, keys };
}

export function copyWorkspace(ws: SignedWorkspace): SignedWorkspace {
  const dir = mkdtempSync(join(tmpdir(), "opsgate-signed-"));
  cpSync(ws.dir, dir, { recursive: true });
  return { ...ws, dir, root: join(dir, "approvals"), plan: join(dir, "approvals", "approved", "batch-apply-plan-fixed.json") };
}

export function newRecord(ws: SignedWorkspace, key: string, extra: string[] = []): Promise<CliResult> {
  return runCli(["approvals", "new", "--plan", ws.plan, "--approval-id", "approval-0007", "--risk-level", "medium", "--summary", "Uplink xe-0/0/1 and its /30 after INC-2291", "--signing-key", key, ...extra]);
}

export function manageSigned(ws: SignedWorkspace, state: string, action: string, key: string | undefined, reason = GOOD_REASON, extra: string[] = [], env: Record<string, string> = {}): Promise<CliResult> {
  const args = ["manage-approval-state", "--approval-record", join(ws.root, state, "approval-0007.json"), "--action", action, "--reason", reason, ...extra];
  if (key !== undefined) args.push("--signing-key", key);
  return runCli(args, { env });
}

/** new (ops.maria) → submit (ops.maria) → approve (ana.approver), through the CLI; throws on a refusal. */
export async function approvedWorkspace(): Promise<SignedWorkspace> {
  const ws = signedWorkspace();
  for (const step of [
    () => newRecord(ws, ws.keys["ops.maria"]!),
    () => manageSigned(ws, "proposed", "submit", ws.keys["ops.maria"], "Ready for review"),
    () => manageSigned(ws, "pending", "approve", ws.keys["ana.approver"]),
  ]) {
    const result = await step();
    if (result.code !== 0) throw new Error(`setup failed: ${summaryOf(result)}\n${result.stderr}`);
  }
  return ws;
}

export function validateWs(ws: SignedWorkspace, extra: string[] = []): Promise<CliResult> {
  return runCli(["validate-batch-plan", "--plan", ws.plan, ...DEVICE_ARGS, ...extra]);
}

/** approvals_bound's finding messages in a validation report. */
export function approvalFindings(result: CliResult): string[] {
  const report = JSON.parse(result.stdout) as { checks: { check_id: string; findings: { message: string }[] }[] };
  return report.checks.find((c) => c.check_id === "approvals_bound")?.findings.map((f) => f.message) ?? [];
}

export function readRecord(path: string): ApprovalRecord {
  return JSON.parse(readFileSync(path, "utf8")) as ApprovalRecord;
}

export function writeRecord(path: string, record: unknown): void {
  writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
}

/** The plan's items as a record lists them. */
export function planItems(ws: SignedWorkspace): ApprovalRecord["items"] {
  const plan = JSON.parse(readFileSync(ws.plan, "utf8")) as { items: { item_id: string; object_type: string; staged_payload: JsonValue }[] };
  return plan.items.map((i) => ({ item_id: i.item_id, object_type: i.object_type, payload_sha256: canonicalSha256(i.staged_payload) }));
}

/** An approved record signed in-process by fresh node:crypto keys (enrolled in allowed_signers). */
export function inProcessApproved(ws: SignedWorkspace, approvalId: string, keys: { requester: TestKey; approver: TestKey }, items = planItems(ws)): ApprovalRecord {
  const now = Date.now();
  const at = (minutesAgo: number): string => new Date(Math.floor((now - minutesAgo * 60_000) / 1000) * 1000).toISOString().replace(".000Z", "+00:00");
  return buildSignedRecord({ approval_id: approvalId, device: { id: 1890, name: "4WNET-MNS-KTG-RX" }, risk_level: "medium", summary: "in-process", items }, [
    { action: "create", key: keys.requester, reason: "created", at: at(30) },
    { action: "submit", key: keys.requester, reason: "ready", at: at(20) },
    { action: "approve", key: keys.approver, reason: GOOD_REASON, at: at(10), expiresInDays: 14 },
  ]);
}

export { freshKey };
