// The approvals library: manage-approval-state, approvals list and apply-batch share it.
export { executeTransition, type TransitionInput, type TransitionOutcome } from "./engine.js";
export { markApprovalApplied, type MarkAppliedInput } from "./apply.js";
export { sameActor } from "./names.js";
export { decideTransition, DEFAULT_EXPIRES_IN_DAYS, type TransitionRequest, type TransitionDecision } from "./transition.js";
export { integrityProblems, subjectSha256 } from "./integrity.js";
export { parseRecordBytes, RECORD_SCHEMA_VERSION, type RecordParse } from "./parse.js";
export { findRecordCopies, recordFileAt, recordPathIn, defaultAuditLog } from "./layout.js";
export { moveRecord, recordText } from "./move.js";
export { TRANSITIONS, type TransitionAction } from "./states.js";
export type { Refusal, RefusalCode } from "./refusal.js";
export { verifyRecord, type Trust, type RecordVerdict } from "./verify.js";
export { loadTrust } from "./trust.js";
