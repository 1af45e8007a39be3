import { relative } from "node:path";
import { appendAuditEvent } from "../audit/append.js";
import { UserError } from "../errors.js";
import { tryLock } from "../io/lock.js";
import { canonicalSha256 } from "../json/canonical.js";
import { warn } from "../io/log.js";
import { realpathSync } from "node:fs";
import { join } from "node:path";
import { summaryLine } from "../command.js";
import { secretValuesFromEnv } from "../guards/secrets.js";
import { APPROVAL_STATES } from "../schemas/approval-record.js";
import { summaryValue } from "./summary.js";
import type { ApprovalRecord, ApprovalState } from "../schemas/approval-record.js";
import { defaultAuditLog, findRecordCopies, recordFileAt, recordLockPath, recordPathIn, type RecordFile } from "./layout.js";
import { loadRecordForTransition } from "./load.js";
import { moveRecord } from "./move.js";
import type { Refusal } from "./refusal.js";
import { TRANSITIONS } from "./states.js";
import { decideTransition, type TransitionRequest } from "./transition.js";

export interface TransitionInput {
  /** The record's path as the user gave it. */
  recordPath: string;
  request: TransitionRequest;
  /** Default: `<approvals-root>/audit.jsonl`. */
  auditLog?: string;
  /** The command named in audit events. */
  command: string;
}

interface OutcomeBase {
  approvalId: string;
  /** The record's state, or its folder's name when the record could not be read there. */
  from: string;
  to: ApprovalState;
  actor: string;
  auditLog: string;
}
export type TransitionOutcome =
  | (OutcomeBase & { ok: true; record: ApprovalRecord; path: string })
  | (OutcomeBase & { ok: false; refusal: Refusal });

const UNKNOWN_ACTOR = "(none)";

/** A refusal when the record was moved away from the given path by someone else. */
function movedRefusal(file: RecordFile, copies: { state: string; path: string }[], input: TransitionInput): Refusal {
  const where = copies.map((copy) => relative(file.root, copy.path)).join(", ");
  if (copies.length > 1) return duplicateRefusal(file.root, copies);
  const current = copies[0]?.state ?? "unknown";
  const action = input.request.action;
  if (TRANSITIONS[action].from !== current) {
    return {
      code: "transition_not_allowed",
      message: `cannot ${action}: the record is now ${current} (${where})`,
      hint: "another actor changed it first; review its state_history",
    };
  }
  return { code: "record_moved", message: `the record is no longer at ${file.fileName} in ${file.folder}/; it is now at ${where}`, hint: "rerun with the current path" };
}

function duplicateRefusal(root: string, copies: { state: string; path: string }[]): Refusal {
  return {
    code: "duplicate_record",
    message: `the record exists in more than one state folder: ${copies.map((copy) => relative(root, copy.path)).join(", ")}`,
    hint: "an interrupted transition left both copies; keep the one whose state_history is longer, remove the other, then retry",
  };
}

function refuse(input: TransitionInput, file: RecordFile, logPath: string, base: Omit<OutcomeBase, "auditLog">, refusal: Refusal): TransitionOutcome {
  if (!auditable(input, file)) {
    warn(`the refusal was not audited: ${file.folder}/ is not a state folder of an approvals root (pass --audit-log to audit it anyway)`);
    return { ok: false, ...base, auditLog: logPath, refusal };
  }
  try {
    appendAuditEvent(logPath, {
      actor: base.actor || UNKNOWN_ACTOR,
      command: input.command,
      event: "approval.refused",
      subject: base.approvalId,
      details: {
        action: input.request.action,
        from: base.from,
        to: base.to,
        refusal: refusal.code,
        message: refusal.message,
        reason: input.request.reason,
        record: relative(file.root, file.path),
      },
    });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    warn(`the refusal could not be audited: ${error.message}`);
  }
  return { ok: false, ...base, auditLog: logPath, refusal };
}

/**
 * A record outside any state folder (`~/Downloads/approval-0007.json`) has no approvals root: its
 * refusal is not audited into whatever folder happens to be its grandparent, unless --audit-log.
 */
function auditable(input: TransitionInput, file: RecordFile): boolean {
  return input.auditLog !== undefined || (APPROVAL_STATES as readonly string[]).includes(file.folder);
}

/** Path checks of the layout (ids, symlinked folders) end the run as input errors with a summary. */
function safePaths(file: RecordFile, approvalId: string, to: ApprovalState): { target: string; lockPath: string } {
  try {
    const target = recordPathIn(file.root, to, approvalId);
    const lockPath = recordLockPath(file.root, approvalId);
    for (const folder of [to, ".locks"]) assertRealFolder(file.root, folder);
    return { target, lockPath };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    throw new UserError(error.message, {
      where: error.where ?? file.root,
      hint: error.hint ?? "state folders and .locks/ must be real folders inside the approvals root, not symbolic links",
      summary: summaryLine("APPROVAL_STATE_INVALID", { approval_id: summaryValue(approvalId), reason: "unsafe_path" }),
    });
  }
}

/** A folder of the root that exists must be that folder for real (not a link elsewhere, even inside). */
function assertRealFolder(root: string, name: string): void {
  let real: string;
  try {
    real = realpathSync(join(root, name));
  } catch {
    return; // does not exist yet: it is created as a real folder
  }
  if (real !== join(realpathSync(root), name)) {
    throw new UserError(`${name}/ is a symbolic link (to ${real}); opsgate only writes inside the approvals root`, { where: join(root, name) });
  }
}

/**
 * One transition, end to end: read, check, lock, re-read and re-check, audit, move. Every refusal
 * leaves the record untouched and is audited; input errors (unreadable, malformed) throw exit 2.
 */
export function executeTransition(given: TransitionInput): TransitionOutcome {
  const input: TransitionInput = { ...given, request: { ...given.request, knownSecrets: given.request.knownSecrets ?? secretValuesFromEnv() } };
  const file = recordFileAt(input.recordPath);
  const logPath = input.auditLog ?? defaultAuditLog(file.root);
  const to = TRANSITIONS[input.request.action].to;
  const actor = input.request.actor?.trim() ?? "";

  const first = loadRecordForTransition(file);
  if (first.kind === "moved") {
    return refuse(input, file, logPath, { approvalId: file.fileId, from: first.copies[0]?.state ?? file.folder, to, actor }, movedRefusal(file, first.copies, input));
  }
  const early = decideTransition(first.record, file, input.request);
  const base = { approvalId: first.record.approval_id, from: first.record.state, to, actor };
  if (!early.ok) return refuse(input, file, logPath, base, early.refusal);

  const { lockPath } = safePaths(file, first.record.approval_id, to);
  const lock = tryLock(lockPath, 0);
  if (!lock) {
    return refuse(input, file, logPath, base, {
      code: "locked",
      message: `another opsgate process is changing ${first.record.approval_id} right now`,
      hint: "wait for it to finish, then review the record's new state before acting",
    });
  }
  try {
    return underLock(input, file, logPath);
  } finally {
    lock.release();
  }
}

/** The authoritative pass: state is re-read after the lock, so a faster approver is seen. */
function underLock(input: TransitionInput, file: RecordFile, logPath: string): TransitionOutcome {
  const to = TRANSITIONS[input.request.action].to;
  const actor = input.request.actor?.trim() ?? "";
  const loaded = loadRecordForTransition(file);
  if (loaded.kind === "moved") {
    return refuse(input, file, logPath, { approvalId: file.fileId, from: loaded.copies[0]?.state ?? file.folder, to, actor }, movedRefusal(file, loaded.copies, input));
  }
  const record = loaded.record;
  const base = { approvalId: record.approval_id, from: record.state, to, actor };
  const copies = findRecordCopies(file.root, record.approval_id);
  if (copies.length > 1) return refuse(input, file, logPath, base, duplicateRefusal(file.root, copies));
  const decision = decideTransition(record, file, input.request);
  if (!decision.ok) return refuse(input, file, logPath, base, decision.refusal);

  const { target } = safePaths(file, record.approval_id, decision.to);
  try {
    appendAuditEvent(logPath, {
      actor: decision.actor,
      command: input.command,
      event: `approval.${input.request.action}`,
      subject: record.approval_id,
      details: {
        from: decision.from,
        to: decision.to,
        reason: decision.reason,
        record: relative(file.root, target),
        record_sha256: canonicalSha256(decision.record),
        subject_sha256: record.subject_sha256,
      },
    });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    // Write-ahead: without an audit event there is no transition.
    return { ok: false, ...base, auditLog: logPath, refusal: { code: "audit_log_unavailable", message: error.message, hint: error.hint } };
  }
  const path = moveRecord(file.root, file.path, decision.record);
  return { ok: true, ...base, auditLog: logPath, record: decision.record, path };
}
