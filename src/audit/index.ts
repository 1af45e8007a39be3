// The audit log library: apply-batch and manage-approval-state append through here.
export { appendAuditEvent, type AuditEntry, type AppendOptions } from "./append.js";
export { GENESIS_HASH, auditEventHash, splitAuditLog, verifyAuditChain, verifyAuditLogText, type ChainVerdict, type ChainBreakReason } from "./chain.js";
export { readLogTail } from "./tail.js";
