import { canonicalJson, canonicalSha256 } from "../json/canonical.js";
import type { JsonValue } from "../json/value.js";
import type { ApprovalRecord, ApprovalStatement, SignedTransition } from "../schemas/approval-record.js";

export type SignedAction = ApprovalStatement["action"];

/** Each action signs in its own namespace: an approve signature never verifies as a reject. */
export function namespaceOf(action: SignedAction): string {
  return `approval-${action}@opsgate`;
}

/** The exact bytes a statement's signature covers: its RFC 8785 canonical JSON. */
export function statementMessage(statement: ApprovalStatement): Buffer {
  return Buffer.from(canonicalJson(statement as unknown as JsonValue), "utf8");
}

/** What the next statement names as its predecessor (and the audit event records). */
export function signatureSha256(entry: SignedTransition): string {
  return canonicalSha256(entry);
}

export interface StatementInput {
  action: SignedAction;
  /** The record as it will be after the transition (its last state_history entry is this one). */
  next: ApprovalRecord;
  /** approve only. */
  expiresAt: string | null;
  auditHead: { seq: number; hash: string };
}

/** The statement a transition's signer signs, taken from the record it produces. */
export function statementFor(input: StatementInput): ApprovalStatement {
  const { next } = input;
  const change = next.state_history[next.state_history.length - 1];
  if (!change) throw new Error("statementFor: the record has no state_history entry");
  const previous = next.signatures?.[next.signatures.length - 1];
  return {
    schema_version: "approval_statement_v1",
    action: input.action,
    approval_id: next.approval_id,
    device: next.device,
    requested_by: next.requested_by,
    requested_at: next.requested_at,
    risk_level: next.risk_level,
    summary: next.summary,
    subject_sha256: next.subject_sha256,
    from: change.from,
    to: change.to,
    actor: change.actor,
    reason: change.reason,
    at: change.at,
    expires_at: input.expiresAt,
    audit_head: input.auditHead,
    prev_signature_sha256: previous ? signatureSha256(previous) : null,
  };
}
