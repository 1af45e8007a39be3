import { statSync, type Stats } from "node:fs";
import { dirname } from "node:path";
import { ExitCode, UserError } from "../errors.js";
import { appendLineSync, ensureDir } from "../io/files.js";
import { LockBusyError, withFileLock } from "../io/lock.js";
import { parseJson } from "../json/read.js";
import { canonicalJson } from "../json/canonical.js";
import type { JsonObject, JsonValue } from "../json/value.js";
import { isJsonObject } from "../json/value.js";
import { assertNoKnownSecret, redactValue, secretValuesFromEnv } from "../guards/secrets.js";
import { isoSeconds } from "../clock/timestamps.js";
import type { AuditEvent } from "../schemas/audit-event.js";
import { GENESIS_HASH, auditEventHash } from "./chain.js";
import { readLogTail } from "./tail.js";

export interface AuditEntry {
  actor: string;
  /** The opsgate command writing the event, e.g. manage-approval-state, apply-batch. */
  command: string;
  /** e.g. approval.approve, approval.refused, apply.gate. */
  event: string;
  /** An approval_id or a batch_id. */
  subject: string;
  details: Record<string, JsonValue>;
}

export interface AppendOptions {
  /** How long to wait for another writer to finish. */
  waitMs?: number;
  /** Injected for tests of the pure parts; the default is the real clock (never backdated). */
  now?: () => Date;
}

function auditUnavailable(message: string, logPath: string, hint: string): UserError {
  return new UserError(message, { exitCode: ExitCode.gateRefused, where: logPath, hint });
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** seq and hash of the event a new one must follow. */
function chainHead(logPath: string): { seq: number; hash: string } {
  const tail = readLogTail(logPath);
  if (tail.lastLine === undefined) return { seq: 0, hash: GENESIS_HASH };
  if (!tail.terminated) {
    throw auditUnavailable("the audit log ends with a torn line; nothing was appended", logPath, "run `opsgate audit verify --log` and have a human repair the tail");
  }
  let last: JsonValue;
  try {
    last = parseJson(tail.lastLine);
  } catch {
    last = null;
  }
  const seq = isJsonObject(last) ? last.seq : undefined;
  const hash = isJsonObject(last) ? last.hash : undefined;
  if (typeof seq !== "number" || typeof hash !== "string" || !/^[0-9a-f]{64}$/.test(hash)) {
    throw auditUnavailable("the audit log's last line is not an audit event; nothing was appended", logPath, "run `opsgate audit verify --log` to find the damage");
  }
  return { seq, hash };
}

/**
 * Appends one hash-chained event (SPEC §3.3) under the log's lock, fsynced. The entry passes the
 * secrets guard first, so the hashed bytes are the redacted ones. Returns the event written.
 */
export function appendAuditEvent(logPath: string, entry: AuditEntry, options: AppendOptions = {}): AuditEvent {
  try {
    return appendUnderLock(logPath, entry, options);
  } catch (error) {
    if (error instanceof UserError && error.exitCode !== ExitCode.usage) throw error;
    // A log that is a folder, a missing parent that cannot be made, a read-only disk, a full one,
    // something that is not a lock file where the lock goes: no audit, and the gate says no.
    const why = error instanceof UserError ? error.message : ((error as NodeJS.ErrnoException).code ?? "error");
    throw auditUnavailable(`cannot append to the audit log (${why}); nothing was appended`, logPath, "check that the audit log is a writable file (or pass --audit-log FILE)");
  }
}

function appendUnderLock(logPath: string, entry: AuditEntry, options: AppendOptions): AuditEvent {
  ensureDir(dirname(logPath));
  const stat = statOrUndefined(logPath);
  if (stat && !stat.isFile()) throw auditUnavailable("the audit log is not a regular file; nothing was appended", logPath, "point --audit-log at a file");
  // Keyed on the log's identity: two spellings of one audit.jsonl (a symlink, a hard link) share it.
  try {
    return withFileLock(logPath, () => appendLocked(logPath, entry, options), { waitMs: options.waitMs ?? 10_000, what: "the audit log" });
  } catch (error) {
    if (error instanceof LockBusyError) {
      throw auditUnavailable(`the audit log is ${error.owner}; nothing was appended`, logPath, "retry in a moment; a lock left by a dead process is broken automatically");
    }
    throw error;
  }
}

function appendLocked(logPath: string, entry: AuditEntry, options: AppendOptions): AuditEvent {
  const head = chainHead(logPath);
  const secrets = secretValuesFromEnv();
  const body = redactValue(
    {
      seq: head.seq + 1,
      at: isoSeconds((options.now ?? (() => new Date()))(), 0),
      actor: entry.actor,
      command: entry.command,
      event: entry.event,
      subject: entry.subject,
      details: entry.details,
      prev_hash: head.hash,
    },
    secrets,
  ) as JsonObject;
  const event = { ...body, hash: auditEventHash(body) } as unknown as AuditEvent;
  const line = canonicalJson(event as unknown as JsonObject);
  assertNoKnownSecret(line, "an audit event", secrets);
  appendLineSync(logPath, line);
  return event;
}
