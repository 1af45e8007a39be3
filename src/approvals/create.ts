import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { appendAuditEvent } from "../audit/append.js";
import { isoSeconds } from "../clock/timestamps.js";
import { UserError } from "../errors.js";
import { assertNoKnownSecret } from "../guards/secrets.js";
import { writeTextAtomic } from "../io/files.js";
import { tryLock } from "../io/lock.js";
import { canonicalSha256 } from "../json/canonical.js";
import type { ApprovalRecord, SignedTransition } from "../schemas/approval-record.js";
import { GENESIS_HASH } from "../audit/chain.js";
import { readLogTail } from "../audit/tail.js";
import { parseJson } from "../json/read.js";
import { isJsonObject } from "../json/value.js";
import { findRecordCopies, recordLockPath, recordPathIn } from "./layout.js";
import { recordText } from "./move.js";
import type { Refusal } from "./refusal.js";
import { signWithSshKeygen, SigningError, type SigningKey } from "./sign.js";
import { namespaceOf, signatureSha256, statementFor, statementMessage } from "./statement.js";
import { subjectSha256 } from "./integrity.js";
import { verifyRecord, type Trust } from "./verify.js";

export interface NewRecordInput {
  root: string;
  auditLog: string;
  approvalId: string;
  device: { id: number; name: string };
  riskLevel: ApprovalRecord["risk_level"];
  summary: string;
  reason: string;
  items: ApprovalRecord["items"];
  principal: string;
  key: SigningKey;
  trust: Trust;
  now: Date;
  /** Tests only: sign in-process. */
  signer?: (namespace: string, message: Buffer) => Promise<string>;
}

export type NewRecordOutcome = { ok: true; record: ApprovalRecord; path: string } | { ok: false; refusal: Refusal };

function headOf(logPath: string): { seq: number; hash: string } {
  try {
    const tail = readLogTail(logPath);
    const last = tail.lastLine === undefined ? undefined : parseJson(tail.lastLine);
    if (isJsonObject(last) && typeof last.seq === "number" && typeof last.hash === "string") return { seq: last.seq, hash: last.hash };
  } catch {
    // the append below reports an unusable log
  }
  return { seq: 0, hash: GENESIS_HASH };
}

/**
 * `approvals new`: a signed `proposed` record, every hash computed. Created under the id's lock,
 * audited (write-ahead) and written atomically; an id that exists in any state folder is refused.
 */
export async function createSignedRecord(input: NewRecordInput): Promise<NewRecordOutcome> {
  const at = isoSeconds(input.now, 0);
  const unsigned: ApprovalRecord = {
    schema_version: "approval_record_v1",
    approval_id: input.approvalId,
    state: "proposed",
    device: input.device,
    requested_by: input.principal,
    requested_at: at,
    risk_level: input.riskLevel,
    summary: input.summary,
    items: input.items,
    subject_sha256: subjectSha256(input.items),
    decision: null,
    applied: null,
    state_history: [{ from: null, to: "proposed", actor: input.principal, reason: input.reason, at }],
  };
  const target = recordPathIn(input.root, "proposed", input.approvalId);
  const lockPath = recordLockPath(input.root, input.approvalId);
  mkdirSync(dirname(lockPath), { recursive: true });
  const lock = tryLock(lockPath, 5_000);
  if (!lock) return { ok: false, refusal: { code: "locked", message: `another opsgate process is working on ${input.approvalId}` } };
  try {
    const copies = findRecordCopies(input.root, input.approvalId);
    if (copies.length > 0) {
      return { ok: false, refusal: { code: "duplicate_record", message: `${input.approvalId} already exists (${copies.map((c) => `${c.state}/`).join(", ")})`, hint: "pick a new --approval-id" } };
    }
    const statement = statementFor({ action: "create", next: unsigned, expiresAt: null, auditHead: headOf(input.auditLog) });
    const message = statementMessage(statement);
    let signature: string;
    try {
      signature = input.signer ? await input.signer(namespaceOf("create"), message) : await signWithSshKeygen(input.key, namespaceOf("create"), message);
    } catch (error) {
      if (!(error instanceof SigningError)) throw error;
      return { ok: false, refusal: { code: "signing_failed", message: error.message, ...(error.hint ? { hint: error.hint } : {}) } };
    }
    const entry: SignedTransition = { statement, signature };
    const record: ApprovalRecord = { ...unsigned, signatures: [entry] };
    const problem = verifyRecord(record, { ...input.trust, audit: undefined }).problems[0];
    if (problem) return { ok: false, refusal: problem };
    const text = recordText(record);
    assertNoKnownSecret(text, "the approval record");
    try {
      appendAuditEvent(input.auditLog, {
        actor: input.principal,
        command: "approvals new",
        event: "approval.create",
        subject: input.approvalId,
        details: { from: null, to: "proposed", reason: input.reason, record: `proposed/${input.approvalId}.json`, record_sha256: canonicalSha256(record), subject_sha256: record.subject_sha256, signature_sha256: signatureSha256(entry) },
      });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return { ok: false, refusal: { code: "audit_log_unavailable", message: error.message, ...(error.hint ? { hint: error.hint } : {}) } };
    }
    writeTextAtomic(target, text);
    return { ok: true, record, path: target };
  } finally {
    lock.release();
  }
}
