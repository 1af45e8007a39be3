import { statSync } from "node:fs";
import { resolve } from "node:path";
import { summaryLine, type CommandResult } from "../../command.js";
import { ExitCode, UserError } from "../../errors.js";
import { writeFileAtomic } from "../../io/files.js";
import { emitReport, humanViewWanted } from "../../views/output.js";
import { startProgress } from "../../views/progress.js";
import { approvalQueueView } from "../../views/approval-queue.js";
import { renderApprovalQueue } from "../../views/terminal/approval-queue.js";
import { diag } from "../../io/log.js";
import { pyJsonStringify } from "../../json/python.js";
import type { JsonValue } from "../../json/value.js";
import { reportTime } from "../../clock/timestamps.js";
import { assertNoKnownSecret, redactValue } from "../../guards/secrets.js";
import type { ApprovalState } from "../../schemas/approval-record.js";
import { scanApprovalsRoot } from "../../approvals/scan.js";
import { buildApprovalQueue } from "../../approvals/queue.js";

export interface ApprovalsListOptions {
  approvalsDir: string;
  state?: ApprovalState;
  output?: string;
  format?: string;
}

function assertFolder(path: string, given: string): void {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw new UserError("approvals folder not found", {
      where: given,
      hint: "pass --approvals-dir <approvals-root> (the folder holding proposed/, pending/, approved/, ...)",
      summary: summaryLine("APPROVAL_QUEUE_UNREADABLE", { approvals_dir: given }),
    });
  }
}

/**
 * `opsgate approvals list`: the queue with every inconsistency. Exit 1 when any is found, so the
 * command can gate a pipeline (an expired approval counts: someone must act on it).
 */
export async function runApprovalsList(options: ApprovalsListOptions): Promise<CommandResult> {
  const root = resolve(options.approvalsDir);
  assertFolder(root, options.approvalsDir);
  const now = new Date();
  const progress = startProgress("approvals list: reading the approval records");
  let report: ReturnType<typeof buildApprovalQueue>;
  try {
    report = redactValue(buildApprovalQueue(scanApprovalsRoot(root), { state: options.state, generatedAt: reportTime(), now }));
  } finally {
    progress.end();
  }
  const text = `${pyJsonStringify(report as unknown as JsonValue)}\n`;
  assertNoKnownSecret(text, "the approval queue");
  // The report file is always JSON; stdout shows the table on a terminal (or when asked).
  if (options.output) writeFileAtomic(resolve(options.output), (sink) => sink.write(text));
  const format = options.output ? (options.format === "table" ? "table" : "json") : options.format;
  if (!options.output || format === "table") await emitReport(text, (term) => renderApprovalQueue(approvalQueueView(report, now.getTime()), term), format);
  if (!humanViewWanted(format)) for (const item of report.inconsistencies) diag(`inconsistency: ${item.kind} ${item.approval_id ?? ""} ${item.paths.join(", ")}: ${item.message}`);
  const count = report.inconsistencies.length;
  return {
    exitCode: count === 0 ? ExitCode.ok : ExitCode.gateRefused,
    summary: summaryLine(count === 0 ? "APPROVAL_QUEUE_OK" : "APPROVAL_QUEUE_INCONSISTENT", { records: report.summary.record_count, inconsistencies: count }),
  };
}
