import { ExitCode } from "../errors.js";
import { resolveInside } from "../guards/paths.js";
import { assertNoKnownSecret, redactValue } from "../guards/secrets.js";
import { writeTextAtomic } from "../io/files.js";
import { emitReport, humanViewWanted } from "../views/output.js";
import { applyPlanView } from "../views/apply-plan.js";
import { startProgress } from "../views/progress.js";
import { renderApplyPlan } from "../views/terminal/apply-plan.js";
import { diag } from "../io/log.js";
import { pyJsonStringify } from "../json/python.js";
import type { JsonValue } from "../json/value.js";
import { summaryLine, type CommandResult } from "../command.js";
import { NetBoxError } from "../netbox/errors.js";
import { isSafeId } from "../guards/paths.js";
import { assertBatchIdConfirmed, checkPlan } from "./plan-check.js";
import { refuseWhileUnresolved } from "./ledger-gate.js";
import { netboxFailure, netboxSource } from "./netbox-source.js";
import type { ApplyBatchOptions } from "./options.js";
import { generatedAtOf } from "../clock/generated-at.js";
import { runPreflight, type PreflightResult } from "./preflight.js";
import { buildDryRunReport, dryRunSummary, type BatchApplyDryRunReport } from "./report.js";
import { planWriteRequests } from "./write-plan.js";
import { writeTuning } from "./tuning.js";
import { resolve } from "node:path";

/**
 * The dry-run (SPEC §2.4): validate exactly as validate-batch-plan with approvals, plan the write
 * requests, run the read-only preflight, report. A `ready` verdict checked against NetBox (or the
 * simulator) is recorded as `<results-dir>/<batch_id>/dry-run-<plan_sha256>.json`, which the real
 * write's `dry_run_recorded` gate looks for.
 */
export async function runDryRun(options: ApplyBatchOptions, env: NodeJS.ProcessEnv, envSecrets: string[]): Promise<CommandResult> {
  const generatedAt = generatedAtOf(options.generatedAt);
  const source = netboxSource(options, env);
  const secrets = [...new Set([...envSecrets, ...source.secrets])];
  const progress = startProgress("apply-batch: dry-run");
  let checked: ReturnType<typeof checkPlan>;
  try {
    checked = checkPlan(options, generatedAt, secrets, progress);
  } finally {
    progress.end();
  }
  const { view, dirs, device, validation, plan } = checked;
  assertBatchIdConfirmed(view, options.confirmBatchId);
  if (isSafeId(view.batchId)) refuseWhileUnresolved(dirs.resultsDir, view.batchId, "dry_run", view.items?.length ?? 0);
  const tuning = writeTuning(env);
  const requests = plan ? planWriteRequests(plan, { operator: options.operator, chunkSize: tuning.chunkSize, concurrency: tuning.concurrency }) : [];

  let preflight: PreflightResult | undefined;
  if (plan && source.client) {
    try {
      preflight = await runPreflight(source.client, plan, undefined, { concurrency: source.readConcurrency, progress });
    } catch (error) {
      progress.end();
      if (!(error instanceof NetBoxError)) throw error;
      const summary = summaryLine("BATCH_APPLY_BLOCKED", {
        mode: "dry_run",
        batch_id: plan.batch_id,
        items: plan.items.length,
        created: 0,
        requests: requests.length,
        reason: `netbox_${error.kind}`,
      });
      throw netboxFailure(error, summary);
    }
  }

  progress.phase("apply-batch: writing the report");
  const report = redactValue(
    buildDryRunReport({
      generatedAt,
      operator: options.operator,
      device,
      validation,
      requests,
      target: source.target,
      url: source.url,
      preflight,
    }),
    secrets,
  );
  const text = `${pyJsonStringify(report as unknown as JsonValue)}\n`;
  assertNoKnownSecret(text, "the apply-batch report", secrets);
  progress.end();
  emitReport(text, (term) => renderApplyPlan(applyPlanView(report), term), options.format);
  if (options.report) writeTextAtomic(resolve(options.report), text);
  if (report.verdict === "ready" && preflight && report.batch_id && report.plan_sha256) {
    // A rehearsal keeps to simulate/: it never replaces the record a real write is checked against.
    const where = source.target === "simulator" ? [report.batch_id, "simulate"] : [report.batch_id];
    writeTextAtomic(resolveInside(dirs.resultsDir, ...where, `dry-run-${report.plan_sha256}.json`), text);
  }
  // The human view already says all of this; the lines are for a person reading the JSON run.
  if (!humanViewWanted(options.format)) explain(report);
  return { exitCode: report.verdict === "ready" ? ExitCode.ok : ExitCode.gateRefused, summary: dryRunSummary(report) };
}

/** A few human lines on stderr; the report holds everything. */
function explain(report: BatchApplyDryRunReport): void {
  if (report.verdict === "invalid") {
    for (const check of report.validation.checks) {
      for (const finding of check.findings.slice(0, 5)) diag(`${check.check_id}: ${finding.path ? `${finding.path}: ` : ""}${finding.message}`);
    }
  }
  for (const finding of report.preflight_findings) diag(`preflight: ${finding.message}`);
  for (const object of report.existing.slice(0, 20)) {
    diag(`exists: ${object.item_id} is ${object.object_type} ${object.netbox_id}${object.url ? ` (${object.url})` : ""}`);
  }
  if (report.existing.length > 20) diag(`... ${report.existing.length - 20} more existing object(s) in the report`);
  if (report.netbox.preflight === "skipped_offline") diag("offline: NetBox was not checked; this dry-run is not recorded");
}
