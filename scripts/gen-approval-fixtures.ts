// Regenerates fixtures/approvals/queue, fixtures/approvals/lifecycle and fixtures/audit/chain: realistic records for device 1890
// with correct payload, subject and audit hashes. Run from the project folder:
//   npx esbuild scripts/gen-approval-fixtures.ts --bundle --platform=node --format=esm | node --input-type=module
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { canonicalSha256 } from "../src/json/canonical.js";
import { pyJsonStringify } from "../src/json/python.js";
import type { JsonValue } from "../src/json/value.js";
import { appendAuditEvent } from "../src/audit/append.js";
import type { ApprovalRecord } from "../src/schemas/approval-record.js";
import { buildSignedRecord, fixtureKey, type Step, type TestKey } from "../test/helpers/signed-records.js";

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

// TEST-ONLY keys, derived from public seeds (test/helpers/signed-records.ts): they sign the committed
// fixtures deterministically and prove nothing anywhere else.
const maria = fixtureKey("ops.maria");
const joao = fixtureKey("ops.joao");
const ana = fixtureKey("ana.approver");
const SIGNERS = `# TEST-ONLY keys (derived from public seeds in test/helpers/signed-records.ts): never trust them outside this repository.\n${[ana, joao, maria].map((k) => k.line).join("\n")}\n`;

const T0 = "2026-05-01T10:05:00+08:00";
const T1 = "2026-05-01T10:20:00+08:00";
// Approvals in committed fixtures are dated far ahead so they never expire under the real clock
// (an approval lasts at most 365 days).
const APPROVED_AT = "2098-05-16T09:00:00+00:00";
const create = (key: TestKey, reason = "Created from readback plan RB-1890"): Step => ({ action: "create", key, reason, at: T0 });
const submit = (key: TestKey): Step => ({ action: "submit", key, reason: "Ready for review", at: T1 });

const vlanItems = [item("vlan-310", "ipam.vlan", { vid: 310, name: "MGMT-KTG", site: 12 })];
const prefixItems = [item("pfx-10-0-0-0-30", "ipam.prefix", { prefix: "10.0.0.0/30", status: "active" })];
const base = (approval_id: string, risk_level: ApprovalRecord["risk_level"], summary: string, items: ApprovalRecord["items"]) => ({ approval_id, device: DEVICE, risk_level, summary, items });
const prefixSteps = (): Step[] => [create(joao), submit(joao), { action: "approve", key: ana, reason: "Prefix checked against the IPAM plan", at: APPROVED_AT, expiresInDays: 365 }];



const records: ApprovalRecord[] = [
  buildSignedRecord(base("approval-0008", "medium", "Add management VLAN 310 at KTG", vlanItems), [create(joao)]),
  buildSignedRecord(base("approval-0007", "medium", "Add xe-0/0/1 uplink and its /30 to 4WNET-MNS-KTG-RX after incident INC-2291", planItems), [create(maria), submit(maria)]),
  buildSignedRecord(base("approval-0005", "low", "Add the 10.0.0.0/30 point-to-point prefix", prefixItems), prefixSteps()),
  buildSignedRecord(base("approval-0004", "high", "Re-number VLAN 310 (superseded)", vlanItems), [
    { ...create(maria), at: "2026-04-20T10:05:00+08:00" },
    { ...submit(maria), at: "2026-04-20T10:20:00+08:00" },
    { action: "reject", key: ana, reason: "Conflicts with the site VLAN plan", at: "2026-04-20T12:00:00+00:00" },
  ]),
];
const lifecycle: ApprovalRecord[] = [
  ...records,
  buildSignedRecord(base("approval-0010", "low", "Add the 10.0.0.0/30 point-to-point prefix", prefixItems), [
    ...prefixSteps(),
    { action: "revoke", key: ana, reason: "Change window moved; re-approve after CAB", at: "2098-05-17T08:00:00+00:00" },
  ]),
  buildSignedRecord(base("approval-0011", "low", "Add the 10.0.0.0/30 point-to-point prefix", prefixItems), [
    ...prefixSteps(),
    { action: "apply", key: joao, reason: "applied by batch BATCH-20260503-1890-002", at: "2098-05-17T09:00:00+00:00", batchId: "BATCH-20260503-1890-002" },
  ]),
];

function write(path: string, value: unknown): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, `${pyJsonStringify(value as JsonValue)}\n`);
}

const queue = join(ROOT, "approvals", "queue");
rmSync(queue, { recursive: true, force: true });
for (const r of records) write(join(queue, r.state, `${r.approval_id}.json`), r);
writeFileSync(join(queue, "allowed_signers"), SIGNERS);
const lifecycleDir = join(ROOT, "approvals", "lifecycle");
rmSync(lifecycleDir, { recursive: true, force: true });
for (const r of lifecycle) write(join(lifecycleDir, r.state, `${r.approval_id}.json`), r);
writeFileSync(join(lifecycleDir, "allowed_signers"), SIGNERS);
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


// fixtures/batch/good/approvals: the good plan's two approvals, signed the same way.
const goodDir = join(ROOT, "batch", "good", "approvals");
const goodPlan = JSON.parse(readFileSync(join(ROOT, "batch", "good", "plan.json"), "utf8")) as typeof plan;
const goodRecords: [string, ApprovalRecord["risk_level"], string][] = [
  ["approval-0007", "medium", "ae0 uplink bundle with xe-0/0/1-2 members, irb.310 and their addresses on 4WNET-MNS-KTG-RX"],
  ["approval-0008", "low", "KTG management VLAN 310 and prefix 10.31.40.0/24"],
];
for (const [id, risk, summary] of goodRecords) {
  const items = goodPlan.items.filter((i) => i.approval_id === id).map((i) => item(i.item_id, i.object_type, i.staged_payload as unknown as JsonValue));
  const record = buildSignedRecord(base(id, risk, summary, items), [
    { action: "create", key: maria, reason: "created from the KTG uplink work order", at: "2026-04-29T09:20:00+08:00" },
    { action: "submit", key: maria, reason: "ready for review", at: "2026-04-29T09:20:30+08:00" },
    { action: "approve", key: ana, reason: "Reviewed change window, rollback owner and IP plan", at: APPROVED_AT, expiresInDays: 365 },
  ]);
  write(join(goodDir, "approved", `${id}.json`), record);
}
writeFileSync(join(goodDir, "allowed_signers"), SIGNERS);
