import * as z from "./zod.js";
import { secretValuesFromEnv } from "../guards/secrets.js";
import { DeviceRefSchema, IdSchema, NonEmptyStringSchema, Sha256Schema, surelyId, surelyNonEmpty, surelyPlainObject, surelySha256, TimestampSchema } from "./common.js";

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

/**
 * What one transition's signer signed (`approval_statement_v1`): the canonical JSON (RFC 8785) of
 * this object is the message of an OpenSSH signature in the action's own namespace
 * (`approval-<action>@opsgate`). It names the record (id, device, requester, subject), the
 * transition, the signer, the time, the audit log head at signing time and the previous
 * signature, so a signature copied to another record or another place in the chain fails.
 */
export const ApprovalStatementSchema = z.strictObject({
  schema_version: z.literal("approval_statement_v1"),
  action: z.enum(["create", "submit", "approve", "reject", "revoke"]),
  approval_id: IdSchema,
  device: DeviceRefSchema,
  requested_by: NonEmptyStringSchema,
  requested_at: TimestampSchema,
  risk_level: z.enum(["low", "medium", "high", "critical"]),
  summary: z.string(),
  subject_sha256: Sha256Schema,
  /** null for create. */
  from: z.nullable(ApprovalStateSchema),
  /** An approve that still needs more approvers keeps the record pending. */
  to: ApprovalStateSchema,
  /** The principal whose key signs (from allowed_signers). */
  actor: NonEmptyStringSchema,
  reason: z.string(),
  at: TimestampSchema,
  /** approve: when this approval lapses; null otherwise. */
  expires_at: z.nullable(TimestampSchema),
  /** The audit log's last event when the statement was signed (seq 0 and 64 zeros for an empty log). */
  audit_head: z.strictObject({ seq: z.number().check(z.int(), z.nonnegative()), hash: Sha256Schema }),
  /** signature_sha256 of the record's previous signature; null for the first. */
  prev_signature_sha256: z.nullable(Sha256Schema),
});
export type ApprovalStatement = z.infer<typeof ApprovalStatementSchema>;

export const SignedTransitionSchema = z.strictObject({
  statement: ApprovalStatementSchema,
  /** The armored OpenSSH signature (`-----BEGIN SSH SIGNATURE-----`) of the canonical statement. */
  signature: z.string().check(z.maxLength(16_384)),
});
export type SignedTransition = z.infer<typeof SignedTransitionSchema>;

const recordFields = {
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
  /**
   * One signed statement per transition, oldest first (absent or empty: an unsigned legacy
   * record, accepted only where policy.json allows it). apply-batch's move to `applied` is not
   * signed: it is audited, and the record is terminal afterwards.
   */
  signatures: z.optional(z.array(SignedTransitionSchema)),
};

export const ApprovalRecordSchema = z.strictObject(recordFields);

/** ApprovalRecordSchema with its items taken as they are: for a record whose items are surely valid. */
const RecordWithCheckedItemsSchema = z.strictObject({ ...recordFields, items: z.array(z.unknown()).check(z.minLength(1)) });

const ITEM_KEYS = ["item_id", "object_type", "payload_sha256"] as const;

/** `ApprovalItemSchema` surely accepts `item` (false: not sure, ask zod). See common.ts. */
function surelyItem(item: unknown, secrets: string[]): boolean {
  return surelyPlainObject(item, ITEM_KEYS) && surelyId(item.item_id, secrets) && surelyNonEmpty(item.object_type) && surelySha256(item.payload_sha256);
}

/**
 * `ApprovalRecordSchema.safeParse(value)`, the same answer and issues, faster for a record that
 * approves thousands of items: they are checked by `surelyItem`, and zod is asked only for the rest
 * of the record. Any item not surely valid sends the whole record to zod.
 */
export function safeParseApprovalRecord(value: unknown): { success: true } | { success: false; error: { issues: z.core.$ZodIssue[] } } {
  const items = (value as { items?: unknown } | null)?.items;
  const secrets = Array.isArray(items) ? secretValuesFromEnv() : [];
  const surely = Array.isArray(items) && items.length > 0 && items.every((item) => surelyItem(item, secrets));
  return (surely ? RecordWithCheckedItemsSchema : ApprovalRecordSchema).safeParse(value);
}

export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;
