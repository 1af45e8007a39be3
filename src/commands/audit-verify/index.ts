import { statSync } from "node:fs";
import { resolve } from "node:path";
import { summaryLine, type CommandResult } from "../../command.js";
import { ExitCode, UserError } from "../../errors.js";
import { diag } from "../../io/log.js";
import { summaryValue } from "../../approvals/summary.js";
import { verifyAuditLogFile, type ChainVerdict } from "../../audit/chain.js";

export interface AuditVerifyOptions {
  log: string;
}

function unreadable(what: string, path: string): UserError {
  return new UserError(what, { where: path, hint: "pass --log <approvals-root>/audit.jsonl", summary: summaryLine("AUDIT_CHAIN_UNREADABLE", { log: summaryValue(path) }) });
}

/** Verifies the log file in chunks; a folder, a FIFO or an unreadable file is an input error. */
function verifyLog(path: string): ChainVerdict {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw unreadable("audit log is a folder", path);
    if (!stat.isFile()) throw unreadable("audit log is not a regular file", path);
    return verifyAuditLogFile(path);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw unreadable(code === "ENOENT" ? "audit log not found" : `cannot read the audit log (${code ?? "error"})`, path);
  }
}

/** `opsgate audit verify --log FILE`: recomputes the hash chain and names the first broken seq. */
export function runAuditVerify(options: AuditVerifyOptions): Promise<CommandResult> {
  const path = resolve(options.log);
  const verdict = verifyLog(path);
  if (verdict.ok) {
    return Promise.resolve({ exitCode: ExitCode.ok, summary: summaryLine("AUDIT_CHAIN_OK", { events: verdict.events, head: verdict.head }) });
  }
  diag(`opsgate: audit chain broken: ${verdict.message} (${options.log})`);
  const good = verdict.events === 0 ? "no event before it verifies" : `events 1..${verdict.events} verify`;
  diag(`hint: ${good}; restore the log from a copy you trust and compare from seq ${verdict.atSeq}`);
  return Promise.resolve({
    exitCode: ExitCode.gateRefused,
    summary: summaryLine("AUDIT_CHAIN_BROKEN", { at_seq: verdict.atSeq, reason: verdict.reason }),
  });
}
