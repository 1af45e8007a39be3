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
import { readLogTail } from "../audit/tail.js";
import { GENESIS_HASH } from "../audit/chain.js";
import { parseJson } from "../json/read.js";
import { isJsonObject } from "../json/value.js";
import { activeHold } from "./hold.js";
import { signWithSshKeygen, SigningError, type SigningKey } from "./sign.js";
import { resolveSigner } from "./identity.js";
import { namespaceOf, signatureSha256, statementFor, statementMessage } from "./statement.js";
import { loadTrust } from "./trust.js";
import { verifyRecord, type Trust } from "./verify.js";
import type { ApprovalRecord as RecordType, SignedTransition } from "../schemas/approval-record.js";

export interface TransitionInput {
  /** The record's path as the user gave it. */
  recordPath: string;
  request: TransitionRequest;
  /** Default: `<approvals-root>/audit.jsonl`. */
  auditLog?: string;
  /** The command named in audit events. */
  command: string;
  /** Every action but apply is signed: --signing-key or OPSGATE_SIGNING_KEY (undefined: refused). */
  signingKeyPath?: string;
  /** Set from signingKeyPath once its principal is known. */
  signingKey?: SigningKey;
  /** Default: loaded from the record's approvals root. */
  trust?: Trust;
  /** Tests only: sign in-process instead of with ssh-keygen. */
  signer?: (namespace: string, message: Buffer) => Promise<string>;
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
export async function executeTransition(given: TransitionInput): Promise<TransitionOutcome> {
  const file = recordFileAt(given.recordPath);
  const input: TransitionInput = {
    ...given,
    trust: given.trust ?? loadTrust(file.root, given.auditLog === undefined ? {} : { auditLog: given.auditLog }),
    request: { ...given.request, knownSecrets: given.request.knownSecrets ?? secretValuesFromEnv() },
  };
  const logPath = input.auditLog ?? defaultAuditLog(file.root);
  const to = TRANSITIONS[input.request.action].to;

  const first = loadRecordForTransition(file);
  if (first.kind === "moved") {
    const actor = input.request.actor?.trim() ?? "";
    return refuse(input, file, logPath, { approvalId: file.fileId, from: first.copies[0]?.state ?? file.folder, to, actor }, movedRefusal(file, first.copies, input));
  }
  // Who acts is whose key signs: the principal allowed_signers lists for it, never a typed name.
  if (input.request.action !== "apply" && !input.signer) {
    const who = await resolveSigner(input.trust!, input.signingKeyPath, input.request.action, input.request.actor, input.request.now);
    if (!who.ok) {
      return refuse(input, file, logPath, { approvalId: first.record.approval_id, from: first.record.state, to, actor: who.actor }, who.refusal);
    }
    input.signingKey = who.key;
    input.request = { ...input.request, actor: who.principal };
  }
  const actor = input.request.actor?.trim() ?? "";
  const early = decideTransition(first.record, file, input.request, input.trust);
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
    return await underLock(input, file, logPath);
  } finally {
    lock.release();
  }
}

/** The audit log's head now (what a statement anchors); a missing or empty log is seq 0. */
function auditHead(logPath: string): { seq: number; hash: string } {
  try {
    const tail = readLogTail(logPath);
    if (tail.lastLine === undefined) return { seq: 0, hash: GENESIS_HASH };
    const last = parseJson(tail.lastLine);
    if (isJsonObject(last) && typeof last.seq === "number" && typeof last.hash === "string") return { seq: last.seq, hash: last.hash };
  } catch {
    // an unreadable log refuses the append that follows
  }
  return { seq: 0, hash: GENESIS_HASH };
}

/** Signs the transition that turns the record into `next`; the signed record must verify before it is written. */
async function signNext(input: TransitionInput, next: RecordType, expiresAt: string | null, logPath: string): Promise<{ record: RecordType; entry: SignedTransition } | Refusal> {
  const action = input.request.action;
  if (action === "apply") throw new Error("apply is not signed");
  const statement = statementFor({ action, next, expiresAt, auditHead: auditHead(logPath) });
  const namespace = namespaceOf(action);
  const message = statementMessage(statement);
  let signature: string;
  try {
    if (input.signer) signature = await input.signer(namespace, message);
    else if (input.signingKey) signature = await signWithSshKeygen(input.signingKey, namespace, message);
    else return { code: "missing_signing_key", message: "no signing key", hint: "pass --signing-key FILE or set OPSGATE_SIGNING_KEY" };
  } catch (error) {
    if (!(error instanceof SigningError)) throw error;
    return { code: "signing_failed", message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  }
  const entry: SignedTransition = { statement, signature };
  const record: RecordType = { ...next, signatures: [...(next.signatures ?? []), entry] };
  // The signed record is checked like any reader would (the agent may have used another key).
  const problem = verifyRecord(record, { ...input.trust!, audit: undefined }).problems[0];
  if (problem) return problem;
  return { record, entry };
}

/** The authoritative pass: state is re-read after the lock, so a faster approver is seen. */
async function underLock(input: TransitionInput, file: RecordFile, logPath: string): Promise<TransitionOutcome> {
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
  const decision = decideTransition(record, file, input.request, input.trust);
  if (!decision.ok) return refuse(input, file, logPath, base, decision.refusal);
  if (input.request.action === "revoke") {
    const hold = activeHold(file.root, record.approval_id);
    if (hold && hold.pid !== process.pid) {
      return refuse(input, file, logPath, base, {
        code: "held_by_apply",
        message: `${record.approval_id} is being applied by ${hold.run_id} of ${hold.batch_id}`,
        hint: "wait for the run to end; if it applies the batch the record becomes applied (terminal)",
      });
    }
  }
  let next = decision.record;
  let signatureSha: string | null = null;
  if (input.request.action !== "apply") {
    const signed = await signNext(input, decision.record, decision.expiresAt, logPath);
    if ("code" in signed) return refuse(input, file, logPath, base, signed);
    next = signed.record;
    signatureSha = signatureSha256(signed.entry);
  }

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
        record_sha256: canonicalSha256(next),
        subject_sha256: record.subject_sha256,
        ...(signatureSha ? { signature_sha256: signatureSha } : {}),
      },
    });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    // Write-ahead: without an audit event there is no transition.
    return { ok: false, ...base, auditLog: logPath, refusal: { code: "audit_log_unavailable", message: error.message, hint: error.hint } };
  }
  const path = moveRecord(file.root, file.path, next);
  return { ok: true, ...base, to: decision.to, auditLog: logPath, record: next, path };
}
