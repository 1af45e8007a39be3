/** Why a transition was refused: short codes for the summary line and the audit log. */
export type RefusalCode =
  | "missing_actor"
  | "invalid_actor"
  | "transition_not_allowed"
  | "reason_blank"
  | "reason_too_short"
  | "contains_secret"
  | "self_approval"
  | "state_folder_mismatch"
  | "file_name_mismatch"
  | "subject_tampered"
  | "record_moved"
  | "duplicate_record"
  | "decision_missing"
  | "approval_expired"
  | "locked"
  | "audit_log_unavailable"
  // Signatures and policy (verify.ts, sign.ts)
  | "missing_signing_key"
  | "signing_failed"
  | "actor_mismatch"
  | "reason_placeholder"
  | "unsigned"
  | "bad_signature"
  | "unknown_signer"
  | "ambiguous_signer"
  | "replayed_signature"
  | "signature_chain_broken"
  | "signed_field_mismatch"
  | "unsigned_state"
  | "not_an_approver"
  | "duplicate_approver"
  | "approvals_short"
  | "expiry_too_long"
  | "anchor_mismatch"
  | "rolled_back"
  | "held_by_apply";

export interface Refusal {
  code: RefusalCode;
  message: string;
  hint?: string;
}
