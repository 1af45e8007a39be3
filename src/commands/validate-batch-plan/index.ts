import { resolve } from "node:path";
import type { CommandResult } from "../../command.js";
import { summaryLine } from "../../command.js";
import { ExitCode, UserError } from "../../errors.js";
import { checkOutputPath, writeFileAtomic, writeToStdout } from "../../io/files.js";
import { diag } from "../../io/log.js";
import { assertNoKnownSecret, secretValuesFromEnv } from "../../guards/secrets.js";
import { isSafeId } from "../../guards/paths.js";
import { generatedAtOf } from "../../clock/generated-at.js";
import { writePyJson, type TextSink } from "../../json/python.js";
import type { JsonValue } from "../../json/value.js";
import { readBatchPlanFile } from "../../plan/plan-file.js";
import { defaultApprovalsDir, loadApprovalRecords } from "../../plan/approvals.js";
import { approvalIdsOf } from "../../plan/view.js";
import { validateBatchPlan, type BatchPlanValidationReport, type ExpectedDevice } from "../../plan/validate.js";

export interface ValidateBatchPlanOptions {
  plan: string;
  expectedDeviceId: string;
  expectedDevice: string;
  approvalsDir?: string;
  /** false with --no-approvals: approvals_bound is skipped on purpose (and the summary says so). */
  approvals?: boolean;
  output?: string;
  generatedAt?: string;
}

const MAX_FINDING_LINES = 20;

export function parseExpectedDevice(idText: string, name: string): ExpectedDevice {
  const id = Number(idText.trim());
  if (!/^\d+$/.test(idText.trim()) || !Number.isSafeInteger(id) || id < 1) {
    throw new UserError(`--expected-device-id must be a positive integer, not ${JSON.stringify(idText)}`, {
      where: "--expected-device-id",
      hint: "pass the NetBox device id, e.g. --expected-device-id 1890",
    });
  }
  if (name.trim() === "") {
    throw new UserError("--expected-device must not be empty", { where: "--expected-device", hint: "pass the NetBox device name" });
  }
  return { id, name };
}


/** The failed checks' findings on stderr, for the person at the terminal (the report has all). */
function printFindings(report: BatchPlanValidationReport): void {
  let printed = 0;
  for (const check of report.checks) {
    for (const finding of check.findings) {
      if (printed === MAX_FINDING_LINES) {
        diag(`... ${report.summary.finding_count - printed} more finding(s) in the report`);
        return;
      }
      diag(`${check.check_id}: ${finding.path ? `${finding.path}: ` : ""}${finding.message}`);
      printed++;
    }
  }
}

export function runValidateBatchPlan(options: ValidateBatchPlanOptions): Promise<CommandResult> {
  if (options.output) checkOutputPath(options.output);
  const expected = parseExpectedDevice(options.expectedDeviceId, options.expectedDevice);
  const generatedAt = generatedAtOf(options.generatedAt);
  const planPath = resolve(options.plan);
  const plan = readBatchPlanFile(planPath);
  const knownSecrets = secretValuesFromEnv();
  // Only the ids: validateBatchPlan builds the plan view (and hashes every payload) once.
  const approvalIds = approvalIdsOf(plan);
  // Like apply-batch: --approvals-dir, else the nearest ancestor folder named `approvals`.
  const skipped = options.approvals === false;
  if (skipped && options.approvalsDir !== undefined) throw new UserError("--no-approvals and --approvals-dir contradict each other", { where: "--no-approvals" });
  const approvalsDir = skipped ? undefined : options.approvalsDir !== undefined ? resolve(options.approvalsDir) : defaultApprovalsDir(planPath);
  if (approvalsDir === undefined && !skipped) diag("approvals_bound skipped: no --approvals-dir and no folder named approvals above the plan");
  if (approvalsDir !== undefined && options.approvalsDir === undefined) diag(`approvals: ${approvalsDir} (the nearest folder named approvals above the plan)`);
  const approvals = approvalsDir === undefined ? undefined : loadApprovalRecords(approvalsDir, approvalIds);

  // Approval expiry is judged by the real clock: never --generated-at or SOURCE_DATE_EPOCH.
  const report = validateBatchPlan({ plan, expected, now: new Date(), generatedAt, knownSecrets, ...(approvals ? { approvals } : {}) });
  // Streamed straight into the file or stdout; every piece is checked for a token value first
  // (a token cannot span pieces: each string value is written as one piece).
  const produce = (sink: TextSink): void => {
    const guarded: TextSink =
      knownSecrets.length === 0 ? sink : { write: (text) => (assertNoKnownSecret(text, "the validation report", knownSecrets), sink.write(text)) };
    writePyJson(report as unknown as JsonValue, guarded);
    sink.write("\n");
  };
  if (options.output) writeFileAtomic(resolve(options.output), produce);
  else writeToStdout(produce);

  printFindings(report);
  const ok = report.status === "valid";
  const summary = summaryLine(ok ? "BATCH_PLAN_VALIDATION_OK" : "BATCH_PLAN_VALIDATION_FAILED", {
    batch_id: isSafeId(report.batch_id) ? report.batch_id : "-",
    items: report.summary.item_count,
    checks: report.summary.check_count,
    failed: report.summary.failed_check_count,
    findings: report.summary.finding_count,
    ...(skipped ? { approvals: "skipped" } : {}),
  });
  return Promise.resolve({ exitCode: ok ? ExitCode.ok : ExitCode.gateRefused, summary });
}
