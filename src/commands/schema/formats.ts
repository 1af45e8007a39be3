import type * as z from "../../schemas/zod.js";

/**
 * The input formats `opsgate schema` can print. Each entry lazy-loads its zod schema, so listing
 * the names loads none; adding a format is one entry here.
 */
export interface SchemaFormat {
  /** The schema_version value the format's files carry (or the format's name when it has none). */
  format: string;
  description: string;
  load: () => Promise<z.ZodMiniType>;
}

export const SCHEMA_FORMATS: Readonly<Record<string, SchemaFormat>> = {
  "approval-record": {
    format: "approval_record_v1",
    description: "An approval record under <approvals-root>/<state>/<approval_id>.json",
    load: async () => (await import("../../schemas/approval-record.js")).ApprovalRecordSchema,
  },
  "approval-policy": {
    format: "approval_policy_v1",
    description: "<approvals-root>/policy.json: who may approve each risk level, how many, how long",
    load: async () => (await import("../../schemas/approval-policy.js")).ApprovalPolicySchema,
  },
  "audit-event": {
    format: "audit_event_v1",
    description: "One line of the hash-chained audit log (audit.jsonl)",
    load: async () => (await import("../../schemas/audit-event.js")).AuditEventSchema,
  },
  "batch-plan": {
    format: "batch_staged_apply_plan_v1",
    description: "A staged NetBox batch plan for one device",
    load: async () => (await import("../../schemas/batch-plan.js")).BatchPlanSchema,
  },
  "netbox-state": {
    format: "netbox_state_v1",
    description: "Existing NetBox objects that seed the simulator (apply-batch --simulate --netbox-state)",
    load: async () => (await import("../../schemas/netbox-state.js")).NetBoxStateSchema,
  },
  "snapshot-manifest": {
    format: "snapshot_manifest_v1",
    description: "snapshots/manifest.json: which opsgate run produces which committed snapshot",
    load: async () => (await import("../../schemas/snapshot-manifest.js")).SnapshotManifestSchema,
  },
};

export const SCHEMA_NAMES = Object.keys(SCHEMA_FORMATS).sort();
