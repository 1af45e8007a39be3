import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { summaryLine, type CommandResult } from "../../command.js";
import { ExitCode, UserError } from "../../errors.js";
import { diag } from "../../io/log.js";
import { verifyAuditLogText } from "../../audit/chain.js";

export interface AuditVerifyOptions {
  log: string;
}

function readLog(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === "ENOENT" ? "audit log not found" : code === "EISDIR" ? "audit log is a folder" : `cannot read the audit log (${code ?? "error"})`;
    throw new UserError(what, { where: path, hint: "pass --log <approvals-root>/audit.jsonl", summary: summaryLine("AUDIT_CHAIN_UNREADABLE", { log: path }) });
  }
}

/** `opsgate audit verify --log FILE`: recomputes the hash chain and names the first broken seq. */
export function runAuditVerify(options: AuditVerifyOptions): Promise<CommandResult> {
  const path = resolve(options.log);
  const verdict = verifyAuditLogText(readLog(path));
  if (verdict.ok) {
    return Promise.resolve({ exitCode: ExitCode.ok, summary: summaryLine("AUDIT_CHAIN_OK", { events: verdict.events, head: verdict.head }) });
  }
  diag(`opsgate: audit chain broken: ${verdict.message} (${options.log})`);
  diag(`hint: events 1..${verdict.events} verify; restore the log from a copy you trust and compare from seq ${verdict.atSeq}`);
  return Promise.resolve({
    exitCode: ExitCode.gateRefused,
    summary: summaryLine("AUDIT_CHAIN_BROKEN", { at_seq: verdict.atSeq, reason: verdict.reason }),
  });
}
