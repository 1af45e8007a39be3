import { statSync } from "node:fs";
import type { AuditEvent } from "../schemas/audit-event.js";
import { GENESIS_HASH, verifyAuditLogFile, type ChainVerdict } from "./chain.js";

/** The last transition the audit log records for one approval id. */
export interface LoggedTransition {
  seq: number;
  event: string;
  /** The signature the transition carried (absent for apply-batch's unsigned move to applied). */
  signatureSha256: string | undefined;
}

/**
 * What approval readers need from the audit log, read once: each event's hash by seq (to check
 * the anchors signatures carry) and each approval's last logged transition (to catch a record
 * rolled back to an earlier state). Only events up to the first break of the chain count.
 */
export interface AuditIndex {
  path: string;
  exists: boolean;
  verdict: ChainVerdict;
  hashes: string[];
  lastTransition: Map<string, LoggedTransition>;
}

const TRANSITION_EVENTS = new Set(["approval.create", "approval.submit", "approval.approve", "approval.reject", "approval.revoke", "approval.apply"]);

export function readAuditIndex(path: string): AuditIndex {
  const hashes: string[] = [];
  const lastTransition = new Map<string, LoggedTransition>();
  let exists = true;
  try {
    exists = statSync(path).isFile();
  } catch {
    exists = false;
  }
  if (!exists) return { path, exists, verdict: { ok: true, events: 0, head: GENESIS_HASH }, hashes, lastTransition };
  const verdict = verifyAuditLogFile(path, (event: AuditEvent) => {
    hashes.push(event.hash);
    if (!TRANSITION_EVENTS.has(event.event)) return;
    const sha = event.details.signature_sha256;
    lastTransition.set(event.subject, { seq: event.seq, event: event.event, signatureSha256: typeof sha === "string" ? sha : undefined });
  });
  return { path, exists, verdict, hashes, lastTransition };
}

/** Why an anchor (seq, hash) does not hold in this log, or undefined when it does. */
export function anchorProblem(index: AuditIndex, anchor: { seq: number; hash: string }): string | undefined {
  if (anchor.seq === 0) return anchor.hash === GENESIS_HASH ? undefined : "anchors seq 0 with a hash other than the genesis hash";
  const hash = index.hashes[anchor.seq - 1];
  if (hash === undefined) {
    const broken = index.verdict.ok ? "" : ` (the chain breaks at seq ${index.verdict.atSeq}: ${index.verdict.reason})`;
    return `anchors audit event ${anchor.seq}, but ${index.exists ? `the log verifies only ${index.hashes.length} event(s)${broken}` : "there is no audit log"}`;
  }
  return hash === anchor.hash ? undefined : `anchors audit event ${anchor.seq} with hash ${anchor.hash.slice(0, 12)}…, but the log's event ${anchor.seq} hashes to ${hash.slice(0, 12)}… (the log was rewritten)`;
}
