import { resolve } from "node:path";
import type { CommandResult } from "../../command.js";
import { summaryLine } from "../../command.js";
import { ExitCode, UserError } from "../../errors.js";
import { checkOutputPath, writeFileAtomic, writeToStdout } from "../../io/files.js";
import { diag } from "../../io/log.js";
import { assertNoKnownSecret, redactText, secretValuesFromEnv } from "../../guards/secrets.js";
import { isSafeId } from "../../guards/paths.js";
import { generatedAtOf } from "../../clock/generated-at.js";
import { writePyJson, type TextSink } from "../../json/python.js";
import type { JsonValue } from "../../json/value.js";
import { readBatchPlanFile } from "../../plan/plan-file.js";
import { defaultApprovalsDir, loadApprovalRecords } from "../../plan/approvals.js";
import { approvalIdsOf } from "../../plan/view.js";
import { validateBatchPlan, type BatchPlanValidationReport, type ExpectedDevice } from "../../plan/validate.js";
import { OUTPUT_FORMATS, emitHumanView, humanViewWanted } from "../../views/output.js";
import { startProgress } from "../../views/progress.js";
import { validationView } from "../../views/validation.js";
import { renderValidation } from "../../views/terminal/validation.js";
import { endPlain, readPlainArgs } from "../../plain-run.js";
import { OPTION_KEYS, REQUIRED_OPTIONS, type ValidateBatchPlanOptions } from "./options.js";

export type { ValidateBatchPlanOptions } from "./options.js";

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

/**
 * Reads the plan and its approval records and validates it. Its own function so that the plan,
 * its view and the records are garbage once the report exists: a 100,000-item plan is then not
 * held while its report is written.
 */
function readAndValidate(
  options: ValidateBatchPlanOptions,
  planPath: string,
  { expected, generatedAt, knownSecrets, skipped }: { expected: ExpectedDevice; generatedAt: string; knownSecrets: string[]; skipped: boolean },
): BatchPlanValidationReport {
  const progress = startProgress("validate-batch-plan: reading the plan");
  try {
    const plan = readBatchPlanFile(planPath);
    // Only the ids: validateBatchPlan builds the plan view (and hashes every payload) once.
    const approvalIds = approvalIdsOf(plan);
    // Like apply-batch: --approvals-dir, else the nearest ancestor folder named `approvals` (none for stdin).
    if (skipped && options.approvalsDir !== undefined) throw new UserError("--no-approvals and --approvals-dir contradict each other", { where: "--no-approvals" });
    const approvalsDir = skipped ? undefined : options.approvalsDir !== undefined ? resolve(options.approvalsDir) : planPath === "-" ? undefined : defaultApprovalsDir(planPath);
    if (approvalsDir === undefined && !skipped) diag("approvals_bound skipped: no --approvals-dir and no folder named approvals above the plan");
    if (approvalsDir !== undefined && options.approvalsDir === undefined) diag(`approvals: ${approvalsDir} (the nearest folder named approvals above the plan)`);
    const approvals = approvalsDir === undefined ? undefined : loadApprovalRecords(approvalsDir, approvalIds);

    // Approval expiry is judged by the real clock: never --generated-at or SOURCE_DATE_EPOCH.
    const onCheck = (checkId: string, index: number, total: number): void => progress.phase(`validate-batch-plan: ${checkId} (${index + 1}/${total})`);
    return validateBatchPlan({ plan, expected, now: new Date(), generatedAt, knownSecrets, onCheck, ...(approvals ? { approvals } : {}) });
  } finally {
    progress.end();
  }
}

export function runValidateBatchPlan(options: ValidateBatchPlanOptions): CommandResult {
  if (options.output) checkOutputPath(options.output);
  const expected = parseExpectedDevice(options.expectedDeviceId, options.expectedDevice);
  const generatedAt = generatedAtOf(options.generatedAt);
  const planPath = options.plan === "-" ? "-" : resolve(options.plan);
  const knownSecrets = secretValuesFromEnv();
  const skipped = options.approvals === false;
  const report = readAndValidate(options, planPath, { expected, generatedAt, knownSecrets, skipped });
  // Streamed straight into the file or stdout; every piece is checked for a token value first
  // (a token cannot span pieces: each string value is written as one piece).
  const produce = (sink: TextSink): void => {
    const guarded: TextSink =
      knownSecrets.length === 0 ? sink : { write: (text) => (assertNoKnownSecret(text, "the validation report", knownSecrets), sink.write(text)) };
    writePyJson(report as unknown as JsonValue, guarded);
    sink.write("\n");
  };
  // The report file is always JSON; stdout shows the human view on a terminal (or when asked).
  if (options.output) writeFileAtomic(resolve(options.output), produce);
  const format = options.output ? (options.format === "table" ? "table" : "json") : options.format;
  if (humanViewWanted(format)) {
    const view = validationView(report);
    emitHumanView((term) => redactText(renderValidation(view, term), knownSecrets));
  } else {
    if (!options.output) writeToStdout(produce);
    printFindings(report);
  }
  const ok = report.status === "valid";
  const summary = summaryLine(ok ? "BATCH_PLAN_VALIDATION_OK" : "BATCH_PLAN_VALIDATION_FAILED", {
    batch_id: isSafeId(report.batch_id) ? report.batch_id : "-",
    items: report.summary.item_count,
    checks: report.summary.check_count,
    failed: report.summary.failed_check_count,
    findings: report.summary.finding_count,
    ...(skipped ? { approvals: "skipped" } : {}),
  });
  return { exitCode: ok ? ExitCode.ok : ExitCode.gateRefused, summary };
}

type PlainOptions = Partial<Record<(typeof OPTION_KEYS)[keyof typeof OPTION_KEYS], string>>;
type RequiredKey = (typeof OPTION_KEYS)[(typeof REQUIRED_OPTIONS)[number]];

/** Whether every option commander requires was given (else `main` says which is missing). */
function hasRequiredOptions(options: PlainOptions): options is PlainOptions & Pick<ValidateBatchPlanOptions, RequiredKey> {
  return REQUIRED_OPTIONS.every((name) => options[OPTION_KEYS[name]] !== undefined);
}

/**
 * The usual command line, read without commander (src/plain-run.ts): loading the main bundle and
 * commander is a tenth of a small validation. Beyond what readPlainArgs leaves to `main`, so is a
 * command line without a required option or with a format commander would refuse. `args` follow
 * the command name.
 */
export function runPlain(args: string[]): Promise<number> | undefined {
  const read = readPlainArgs(args, OPTION_KEYS, ["no-approvals"]);
  if (!read) return undefined;
  const { options } = read;
  if (!hasRequiredOptions(options)) return undefined;
  if (options.format !== undefined && !(OUTPUT_FORMATS as readonly string[]).includes(options.format)) return undefined;
  // As commander's opts(): a negatable --no-approvals gives `approvals: true` unless it is given.
  const approvals = !read.flags.has("no-approvals");
  return endPlain("validate-batch-plan", () => runValidateBatchPlan({ ...options, approvals }));
}
