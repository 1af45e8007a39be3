import { statSync } from "node:fs";
import { resolve } from "node:path";
import { summaryLine, type CommandResult } from "../../command.js";
import { ExitCode, UserError } from "../../errors.js";
import { checkOutputPath, writeFileAtomic, writeToStdout } from "../../io/files.js";
import { emitHumanView, humanViewWanted } from "../../views/output.js";
import { startProgress } from "../../views/progress.js";
import { approvalQueueView } from "../../views/approval-queue.js";
import { renderApprovalQueue } from "../../views/terminal/approval-queue.js";
import { diag } from "../../io/log.js";
import { writePyJson, type TextSink } from "../../json/python.js";
import type { JsonValue } from "../../json/value.js";
import { reportTime } from "../../clock/timestamps.js";
import { assertNoKnownSecret, secretValuesFromEnv } from "../../guards/secrets.js";
import { redactInPlace } from "../../guards/redact-in-place.js";
import type { ApprovalState } from "../../schemas/approval-record.js";
import { scanApprovalsRoot } from "../../approvals/scan.js";
import { buildApprovalQueue } from "../../approvals/queue.js";
import { loadTrust } from "../../approvals/trust.js";

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
export function runApprovalsList(options: ApprovalsListOptions): CommandResult {
  if (options.output) checkOutputPath(options.output);
  const root = resolve(options.approvalsDir);
  assertFolder(root, options.approvalsDir);
  const now = new Date();
  const progress = startProgress("approvals list: reading the approval records");
  let report: ReturnType<typeof buildApprovalQueue>;
  try {
    const trust = loadTrust(root);
    report = buildApprovalQueue(scanApprovalsRoot(root), { state: options.state, generatedAt: reportTime(), now, trust });
  } finally {
    progress.end();
  }
  // Streamed, not built as one string (100,000 records: hundreds of MB); each piece is checked for
  // a token value before it is written (a string value is always one piece).
  const knownSecrets = secretValuesFromEnv();
  redactInPlace(report, knownSecrets);
  const redacted = report as unknown as JsonValue;
  const produce = (sink: TextSink): void => {
    writePyJson(redacted, { write: (text) => (assertNoKnownSecret(text, "the approval queue", knownSecrets), sink.write(text)) });
    sink.write("\n");
  };
  // The report file is always JSON; stdout shows the table on a terminal (or when asked).
  if (options.output) writeFileAtomic(resolve(options.output), produce);
  const format = options.output ? (options.format === "table" ? "table" : "json") : options.format;
  if (humanViewWanted(format)) {
    const view = approvalQueueView(report, now.getTime());
    emitHumanView((term) => renderApprovalQueue(view, term));
  } else {
    if (!options.output) writeToStdout(produce);
    for (const item of report.inconsistencies) diag(`inconsistency: ${item.kind} ${item.approval_id ?? ""} ${item.paths.join(", ")}: ${item.message}`);
  }
  const count = report.inconsistencies.length;
  return {
    exitCode: count === 0 ? ExitCode.ok : ExitCode.gateRefused,
    summary: summaryLine(count === 0 ? "APPROVAL_QUEUE_OK" : "APPROVAL_QUEUE_INCONSISTENT", { records: report.summary.record_count, inconsistencies: count }),
  };
}
