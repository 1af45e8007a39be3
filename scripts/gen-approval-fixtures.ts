// Regenerates fixtures/approvals/queue and fixtures/audit/chain: realistic records for device 1890
// with correct payload, subject and audit hashes. Run from the project folder:
//   npx esbuild scripts/gen-approval-fixtures.ts --bundle --platform=node --format=esm | node --input-type=module
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { canonicalSha256 } from "../src/json/canonical.js";
import { pyJsonStringify } from "../src/json/python.js";
import type { JsonValue } from "../src/json/value.js";
import { appendAuditEvent } from "../src/audit/append.js";
import type { ApprovalRecord, ApprovalState } from "../src/schemas/approval-record.js";

// Run from the project folder.
const ROOT = join(process.cwd(), "fixtures");
const DEVICE = { id: 1890, name: "4WNET-MNS-KTG-RX" };

const plan = {
  schema_version: "batch_staged_apply_plan_v1",
  batch_id: "BATCH-20260501-1890-001",
  created_at: "2026-05-01T10:00:00+08:00",
  created_by: "ops.maria",
  device: DEVICE,
  items: [
    {
      item_id: "if-xe-0-0-1", object_type: "dcim.interface", action: "create", approval_id: "approval-0007", depends_on: [],
      lookup: { device_id: 1890, name: "xe-0/0/1" },
      staged_payload: { device: 1890, name: "xe-0/0/1", type: "10gbase-x-sfpp" },
    },
    {
      item_id: "ip-10-0-0-1", object_type: "ipam.ipaddress", action: "create", approval_id: "approval-0007", depends_on: ["if-xe-0-0-1"],
      lookup: { address: "10.0.0.1/30", vrf_id: null },
      staged_payload: { address: "10.0.0.1/30", status: "active", assigned_object_type: "dcim.interface", assigned_object_id: { $ref: "if-xe-0-0-1" } },
    },
  ],
};

function item(item_id: string, object_type: string, payload: JsonValue) {
  return { item_id, object_type, payload_sha256: canonicalSha256(payload) };
}
const planItems = plan.items.map((i) => item(i.item_id, i.object_type, i.staged_payload as unknown as JsonValue));

function record(id: string, state: ApprovalState, items: ApprovalRecord["items"], extra: Partial<ApprovalRecord>): ApprovalRecord {
  return {
    schema_version: "approval_record_v1", approval_id: id, state, device: DEVICE,
    requested_by: "ops.maria", requested_at: "2026-05-01T10:05:00+08:00", risk_level: "medium",
    summary: "Add xe-0/0/1 uplink and its /30 to 4WNET-MNS-KTG-RX after incident INC-2291",
    items, subject_sha256: canonicalSha256(items), decision: null, applied: null, state_history: [],
    ...extra,
  };
}
const created = { from: null, to: "proposed" as const, actor: "ops.maria", reason: "Created from readback plan RB-1890", at: "2026-05-01T10:05:00+08:00" };
const submitted = { from: "proposed" as const, to: "pending" as const, actor: "ops.maria", reason: "Ready for review", at: "2026-05-01T10:20:00+08:00" };

const vlanItems = [item("vlan-310", "ipam.vlan", { vid: 310, name: "MGMT-KTG", site: 12 })];
const prefixItems = [item("pfx-10-0-0-0-30", "ipam.prefix", { prefix: "10.0.0.0/30", status: "active" })];
const records: ApprovalRecord[] = [
  record("approval-0008", "proposed", vlanItems, { requested_by: "ops.joao", summary: "Add management VLAN 310 at KTG", state_history: [{ ...created, actor: "ops.joao" }] }),
  record("approval-0007", "pending", planItems, { state_history: [created, submitted] }),
  record("approval-0005", "approved", prefixItems, {
    requested_by: "ops.joao", risk_level: "low", summary: "Add the 10.0.0.0/30 point-to-point prefix",
    decision: { action: "approve", actor: "ana.approver", reason: "Prefix checked against the IPAM plan", at: "2026-05-02T09:00:00+00:00", expires_at: "2099-05-16T09:00:00+00:00", subject_sha256: canonicalSha256(prefixItems) },
    state_history: [{ ...created, actor: "ops.joao" }, { ...submitted, actor: "ops.joao" }, { from: "pending", to: "approved", actor: "ana.approver", reason: "Prefix checked against the IPAM plan", at: "2026-05-02T09:00:00+00:00" }],
  }),
  record("approval-0004", "rejected", vlanItems, {
    risk_level: "high", summary: "Re-number VLAN 310 (superseded)",
    decision: { action: "reject", actor: "ana.approver", reason: "Conflicts with the site VLAN plan", at: "2026-04-20T12:00:00+00:00", expires_at: null, subject_sha256: canonicalSha256(vlanItems) },
    state_history: [created, submitted, { from: "pending", to: "rejected", actor: "ana.approver", reason: "Conflicts with the site VLAN plan", at: "2026-04-20T12:00:00+00:00" }],
  }),
];

function write(path: string, value: unknown): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, `${pyJsonStringify(value as JsonValue)}\n`);
}

const queue = join(ROOT, "approvals", "queue");
rmSync(queue, { recursive: true, force: true });
for (const r of records) write(join(queue, r.state, `${r.approval_id}.json`), r);
write(join(queue, "approved", "batch-apply-plan-fixed.json"), plan);
writeFileSync(join(queue, "approved", "notes.txt"), "Batch plans for approved records live beside them (runbook).\n");

const chainDir = join(ROOT, "audit", "chain");
rmSync(chainDir, { recursive: true, force: true });
mkdirSync(chainDir, { recursive: true });
let clock = Date.parse("2026-05-01T02:05:00Z");
const now = () => new Date((clock += 60_000));
const log = join(chainDir, "audit.jsonl");
const events: [string, string, string, Record<string, JsonValue>][] = [
  ["ops.maria", "approval.submit", "approval-0007", { from: "proposed", to: "pending", reason: "Ready for review" }],
  ["ops.maria", "approval.refused", "approval-0007", { action: "approve", refusal: "self_approval", reason: "looks good to me" }],
  ["ana.approver", "approval.refused", "approval-0007", { action: "approve", refusal: "reason_too_short", reason: "ok" }],
  ["ana.approver", "approval.approve", "approval-0007", { from: "pending", to: "approved", reason: "Change window CHG-4410 and rollback checked" }],
  ["ops.joao", "approval.submit", "approval-0008", { from: "proposed", to: "pending", reason: "Ready for review" }],
  ["ana.approver", "approval.reject", "approval-0008", { from: "pending", to: "rejected", reason: "VLAN 310 is reserved at this site" }],
];
for (const [actor, event, subject, details] of events) appendAuditEvent(log, { actor, command: "manage-approval-state", event, subject, details }, { now });
rmSync(`${log}.lock`, { force: true });
