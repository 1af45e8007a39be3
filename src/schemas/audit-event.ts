import * as z from "./zod.js";
import { NonEmptyStringSchema, Sha256Schema, TimestampSchema } from "./common.js";

/** Audit event `audit_event_v1` (SPEC §3.3): one JSON object per line of audit.jsonl. */
export const AuditEventSchema = z.strictObject({
  /** 1, 2, 3, ... with no gaps. */
  seq: z.number().check(z.int(), z.positive()),
  at: TimestampSchema,
  actor: NonEmptyStringSchema,
  /** The opsgate command that wrote the event. */
  command: NonEmptyStringSchema,
  /** What happened, e.g. approval.approve, approval.refused, apply.gate, apply.write. */
  event: NonEmptyStringSchema,
  /** What it happened to: an approval_id or a batch_id. */
  subject: z.string(),
  details: z.record(z.string(), z.unknown()),
  /** The previous event's hash; 64 zeros for the first event. */
  prev_hash: Sha256Schema,
  /** SHA-256 of the canonical JSON (RFC 8785) of this event without `hash`. */
  hash: Sha256Schema,
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
