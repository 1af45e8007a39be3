import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { canonicalSha256 } from "../../src/json/canonical.js";
import type { JsonValue } from "../../src/json/value.js";
import { buildSignedRecord, freshKey } from "./signed-records.js";

/**
 * A throw-away operations folder: `approvals/approved/<approval_id>.json` records (signed: requested
 * by ops.maria, approved by ana.approver with keys made at run time, expiring in 14 days) binding every item of a plan written at
 * `approvals/approved/batch-apply-plan.json`, as the runbook lays it out.
 */
export interface PlanItem {
  item_id: string;
  object_type: string;
  action: string;
  approval_id: string;
  depends_on: string[];
  lookup: Record<string, JsonValue>;
  staged_payload: Record<string, JsonValue>;
}

export const DEVICE = { id: 1890, name: "4WNET-MNS-KTG-RX" };
export const BATCH_ID = "BATCH-20260501-1890-001";

export interface Workspace {
  root: string;
  planPath: string;
  approvalsDir: string;
  resultsDir: string;
}

export function interfaceItem(name: string, approvalId = "approval-0007"): PlanItem {
  const id = `if-${name.replace(/[^A-Za-z0-9]/g, "-")}`;
  return {
    item_id: id,
    object_type: "dcim.interface",
    action: "create",
    approval_id: approvalId,
    depends_on: [],
    lookup: { device_id: DEVICE.id, name },
    staged_payload: { device: DEVICE.id, name, type: "10gbase-x-sfpp" },
  };
}

export function ipItem(address: string, interfaceItemId: string, approvalId = "approval-0007"): PlanItem {
  return {
    item_id: `ip-${address.replace(/[^A-Za-z0-9]/g, "-")}`,
    object_type: "ipam.ipaddress",
    action: "create",
    approval_id: approvalId,
    depends_on: [interfaceItemId],
    lookup: { address, vrf_id: null },
    staged_payload: { address, status: "active", assigned_object_type: "dcim.interface", assigned_object_id: { $ref: interfaceItemId } },
  };
}

/** `count` interfaces and one IP address on each (the bench's shape). */
export function interfacesWithIps(count: number): PlanItem[] {
  const items: PlanItem[] = [];
  for (let i = 0; i < count; i++) {
    const iface = interfaceItem(`xe-${Math.floor(i / 48)}/0/${i % 48}`);
    items.push(iface, ipItem(`10.${100 + Math.floor(i / 250)}.${i % 250}.1/31`, iface.item_id));
  }
  return items;
}

export function writeBatchWorkspace(items: PlanItem[], root = mkdtempSync(join(tmpdir(), "opsgate-batch-"))): Workspace {
  const approvalsDir = join(root, "approvals");
  mkdirSync(join(approvalsDir, "approved"), { recursive: true });
  const plan = {
    schema_version: "batch_staged_apply_plan_v1",
    batch_id: BATCH_ID,
    created_at: "2026-05-01T10:00:00+08:00",
    created_by: "ops.maria",
    device: DEVICE,
    items,
  };
  const planPath = join(approvalsDir, "approved", "batch-apply-plan.json");
  writeFileSync(planPath, `${JSON.stringify(plan, null, 2)}\n`);
  const keys = { maria: freshKey("ops.maria"), ana: freshKey("ana.approver") };
  writeFileSync(join(approvalsDir, "allowed_signers"), `${keys.maria.line}\n${keys.ana.line}\n`);
  const byApproval = new Map<string, PlanItem[]>();
  for (const item of items) byApproval.set(item.approval_id, [...(byApproval.get(item.approval_id) ?? []), item]);
  for (const [approvalId, covered] of byApproval) {
    const recordItems = covered.map((item) => ({
      item_id: item.item_id,
      object_type: item.object_type,
      payload_sha256: canonicalSha256(item.staged_payload),
    }));
    // Signed by keys made at run time: ops.maria requests, ana.approver approves (four eyes).
    const now = Date.now();
    const at = (minutesAgo: number): string => new Date(Math.floor((now - minutesAgo * 60_000) / 1000) * 1000).toISOString().replace(".000Z", "+00:00");
    const record = buildSignedRecord({ approval_id: approvalId, device: DEVICE, risk_level: "medium", summary: "test batch", items: recordItems }, [
      { action: "create", key: keys.maria, reason: "created", at: at(60) },
      { action: "submit", key: keys.maria, reason: "submitted", at: at(55) },
      { action: "approve", key: keys.ana, reason: "Reviewed change window and rollback", at: at(50), expiresInDays: 14 },
    ]);
    writeFileSync(join(approvalsDir, "approved", `${approvalId}.json`), `${JSON.stringify(record, null, 2)}\n`);
  }
  return { root, planPath, approvalsDir, resultsDir: join(root, "batch-results") };
}
