import { statSync } from "node:fs";
import { resolve } from "node:path";
import { summaryLine, type CommandResult } from "../../command.js";
import { ExitCode, UserError } from "../../errors.js";
import { diag } from "../../io/log.js";
import { summaryValue } from "../../approvals/summary.js";
import { verifyAuditLogFile, type ChainVerdict } from "../../audit/chain.js";
import { pyJsonStringify } from "../../json/python.js";
import { emitReport, humanViewWanted } from "../../views/output.js";
import { startProgress } from "../../views/progress.js";
import { auditChainState, auditLogView } from "../../views/audit-log.js";
import { renderAuditLog } from "../../views/terminal/audit-log.js";
import { readAuditEventsFile } from "../../audit/events.js";

import { anchorProblem } from "../../audit/anchors.js";
import { scanApprovalsRoot } from "../../approvals/scan.js";
import type { AuditEvent } from "../../schemas/audit-event.js";

/**
 * The first signature whose anchor (the audit head it signed) is not in this log: the log was
 * rewritten before that point, even if it was re-hashed from there on and chains again.
 */
function brokenAnchor(root: string, given: string, hashes: string[]): { seq: number; message: string } | undefined {
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UserError("approvals folder not found", { where: given, hint: "pass --approvals-dir <approvals-root>" });
  }
  const index = { path: "", exists: true, verdict: { ok: true as const, events: hashes.length, head: hashes[hashes.length - 1] ?? "" }, hashes, lastTransition: new Map() };
  const found: { seq: number; message: string }[] = [];
  for (const file of scanApprovalsRoot(root)) {
    if (file.parse.kind !== "record") continue;
    for (const [i, entry] of (file.parse.record.signatures ?? []).entries()) {
      const problem = anchorProblem(index, entry.statement.audit_head);
      if (problem) found.push({ seq: entry.statement.audit_head.seq, message: `${file.relPath} signature ${i + 1} (${entry.statement.action} by ${entry.statement.actor}) ${problem}` });
    }
  }
  found.sort((a, b) => a.seq - b.seq);
  return found[0];
}

export interface AuditVerifyOptions {
  log: string;
  approvalsDir?: string;
  format?: string;
}

/** On a terminal the verdict comes with the events around it: the last ones, or those up to the break. */
const EVENTS_SHOWN = 20;

function unreadable(what: string, path: string): UserError {
  return new UserError(what, { where: path, hint: "pass --log <approvals-root>/audit.jsonl", summary: summaryLine("AUDIT_CHAIN_UNREADABLE", { log: summaryValue(path) }) });
}

/** Verifies the log file in chunks; a folder, a FIFO or an unreadable file is an input error. */
function verifyLog(path: string, onEvent: (event: AuditEvent) => void): ChainVerdict {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw unreadable("audit log is a folder", path);
    if (!stat.isFile()) throw unreadable("audit log is not a regular file", path);
    return verifyAuditLogFile(path, onEvent);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw unreadable(code === "ENOENT" ? "audit log not found" : `cannot read the audit log (${code ?? "error"})`, path);
  }
}

/**
 * stdout: nothing by default off a terminal (the summary line is the verdict); the verdict as JSON
 * with `--format json`; on a terminal (or `--format table`) the events as a log and the verdict.
 */
function showVerdict(options: AuditVerifyOptions, path: string, verdict: ChainVerdict): void {
  if (options.format === undefined && !humanViewWanted(undefined)) return;
  const chain = auditChainState(verdict);
  const json = `${pyJsonStringify({ schema_version: "audit_verification_v1", log: options.log, ...chain })}\n`;
  emitReport(
    json,
    (term) => {
      const { events, total } = readAuditEventsFile(path, options.log, "AUDIT_CHAIN_UNREADABLE");
      const end = verdict.ok ? events.length : Math.min(events.length, verdict.atSeq);
      const shown = events.slice(Math.max(0, end - EVENTS_SHOWN), end);
      return renderAuditLog(auditLogView(shown, chain, { total }), term);
    },
    options.format,
  );
}

/** `opsgate audit verify --log FILE`: recomputes the hash chain and names the first broken seq. */
export function runAuditVerify(options: AuditVerifyOptions): CommandResult {
  const path = resolve(options.log);
  const hashes: string[] = [];
  const progress = startProgress("audit verify: recomputing the hash chain");
  let verdict: ChainVerdict;
  try {
    verdict = verifyLog(path, (event) => hashes.push(event.hash));
  } finally {
    progress.end();
  }
  if (verdict.ok && options.approvalsDir !== undefined) {
    const broken = brokenAnchor(resolve(options.approvalsDir), options.approvalsDir, hashes);
    if (broken) {
      diag(`opsgate: audit chain broken: ${broken.message} (${options.log})`);
      diag("hint: the log was rewritten from that event on (and re-hashed): restore it from a copy you trust");
      return { exitCode: ExitCode.gateRefused, summary: summaryLine("AUDIT_CHAIN_BROKEN", { at_seq: broken.seq, reason: "anchor_mismatch" }) };
    }
  }
  showVerdict(options, path, verdict);
  if (verdict.ok) {
    return { exitCode: ExitCode.ok, summary: summaryLine("AUDIT_CHAIN_OK", { events: verdict.events, head: verdict.head }) };
  }
  diag(`opsgate: audit chain broken: ${verdict.message} (${options.log})`);
  const good = verdict.events === 0 ? "no event before it verifies" : `events 1..${verdict.events} verify`;
  diag(`hint: ${good}; restore the log from a copy you trust and compare from seq ${verdict.atSeq}`);
  return {
    exitCode: ExitCode.gateRefused,
    summary: summaryLine("AUDIT_CHAIN_BROKEN", { at_seq: verdict.atSeq, reason: verdict.reason }),
  };
}
