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
  | "audit_log_unavailable";

export interface Refusal {
  code: RefusalCode;
  message: string;
  hint?: string;
}
