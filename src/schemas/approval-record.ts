import { z } from "./zod.js";
import { DeviceRefSchema, IdSchema, NonEmptyStringSchema, Sha256Schema, TimestampSchema } from "./common.js";

/** Approval record `approval_record_v1` (SPEC §3.2). */
export const APPROVAL_STATES = ["proposed", "pending", "approved", "rejected", "revoked", "applied"] as const;
export const ApprovalStateSchema = z.enum(APPROVAL_STATES);
export type ApprovalState = z.infer<typeof ApprovalStateSchema>;

export const ApprovalItemSchema = z.strictObject({
  /** The batch plan item this approval covers. */
  item_id: IdSchema,
  /** NetBox object type, e.g. dcim.interface. */
  object_type: NonEmptyStringSchema,
  /** SHA-256 of the canonical JSON (RFC 8785) of the item's staged_payload at approval time. */
  payload_sha256: Sha256Schema,
});

export const ApprovalDecisionSchema = z.strictObject({
  action: z.enum(["approve", "reject"]),
  actor: NonEmptyStringSchema,
  reason: NonEmptyStringSchema,
  at: TimestampSchema,
  /** When the approval lapses (null for a rejection). */
  expires_at: z.nullable(TimestampSchema),
  /** The subject_sha256 the decision was made on. */
  subject_sha256: Sha256Schema,
});

export const ApprovalAppliedSchema = z.strictObject({
  batch_id: IdSchema,
  operator: NonEmptyStringSchema,
  at: TimestampSchema,
});

export const StateChangeSchema = z.strictObject({
  /** null for the record's creation. */
  from: z.nullable(ApprovalStateSchema),
  to: ApprovalStateSchema,
  actor: NonEmptyStringSchema,
  reason: z.string(),
  at: TimestampSchema,
});

export const ApprovalRecordSchema = z.strictObject({
  schema_version: z.literal("approval_record_v1"),
  approval_id: IdSchema,
  state: ApprovalStateSchema,
  device: DeviceRefSchema,
  requested_by: NonEmptyStringSchema,
  requested_at: TimestampSchema,
  risk_level: z.enum(["low", "medium", "high", "critical"]),
  summary: z.string(),
  items: z.array(ApprovalItemSchema).check(z.minLength(1)),
  /** SHA-256 of the canonical JSON of `items`: changes if the approved subject is tampered with. */
  subject_sha256: Sha256Schema,
  decision: z.nullable(ApprovalDecisionSchema),
  applied: z.nullable(ApprovalAppliedSchema),
  /** Every transition, oldest first. */
  state_history: z.array(StateChangeSchema),
});
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;
