import { ExitCode, UserError } from "../../errors.js";
import { resolveInside } from "../../guards/paths.js";
import { assertNoKnownSecret, redactValue } from "../../guards/secrets.js";
import { writeTextAtomic, writeToStdout } from "../../io/files.js";
import { diag } from "../../io/log.js";
import { pyJsonStringify } from "../../json/python.js";
import type { JsonValue } from "../../json/value.js";
import { summaryLine, type CommandResult } from "../../command.js";
import { NetBoxError } from "../../netbox/errors.js";
import { BatchPlanSchema, type BatchPlan } from "../../schemas/batch-plan.js";
import { loadApprovalRecords } from "../validate-batch-plan/approvals.js";
import { readBatchPlanFile } from "../validate-batch-plan/plan-file.js";
import { planView } from "../validate-batch-plan/view.js";
import { validateBatchPlan } from "../validate-batch-plan/validate.js";
import { netboxFailure, netboxSource } from "./netbox-source.js";
import { generatedAtOf, resolveDirs, type ApplyBatchOptions } from "./options.js";
import { runPreflight, type PreflightResult } from "./preflight.js";
import { buildDryRunReport, dryRunSummary, type BatchApplyDryRunReport } from "./report.js";
import { planWriteRequests } from "./write-plan.js";
import { resolve } from "node:path";

/**
 * The dry-run (SPEC §2.4): validate exactly as validate-batch-plan with approvals, plan the write
 * requests, run the read-only preflight, report. A `ready` verdict checked against NetBox (or the
 * simulator) is recorded as `<results-dir>/<batch_id>/dry-run-<plan_sha256>.json`, which the real
 * write's `dry_run_recorded` gate looks for.
 */
export async function runDryRun(options: ApplyBatchOptions, env: NodeJS.ProcessEnv, envSecrets: string[]): Promise<CommandResult> {
  const generatedAt = generatedAtOf(options.generatedAt);
  const raw = readBatchPlanFile(options.batchPlan, "--batch-plan");
  const view = planView(raw);
  if (typeof view.batchId === "string" && view.batchId !== options.confirmBatchId) {
    throw new UserError(`--confirm-batch-id ${JSON.stringify(options.confirmBatchId)} does not match the plan's batch_id ${JSON.stringify(view.batchId)}`, {
      where: "--confirm-batch-id",
      hint: "pass the batch_id written in the plan",
    });
  }
  const dirs = resolveDirs(options);
  const source = netboxSource(options, env);
  const secrets = [...new Set([...envSecrets, ...source.secrets])];

  const approvalIds = (view.items ?? []).flatMap((item) => (item.approvalId === undefined ? [] : [item.approvalId]));
  const approvals = loadApprovalRecords(dirs.approvalsDir, approvalIds);
  const declared = BatchPlanSchema.shape.device.safeParse(view.device);
  // apply-batch has no --expected-device flags: the plan's own device is the expectation, and the
  // preflight checks NetBox knows that device by that id and name.
  const expected = declared.success ? declared.data : { id: 0, name: "(the plan names no valid device)" };
  const validation = validateBatchPlan({ plan: raw, expected, approvals, now: new Date(), generatedAt, knownSecrets: secrets });

  let plan: BatchPlan | undefined;
  if (validation.status === "valid") plan = BatchPlanSchema.parse(raw);
  const requests = plan ? planWriteRequests(plan, { operator: options.operator }) : [];

  let preflight: PreflightResult | undefined;
  if (plan && source.client) {
    try {
      preflight = await runPreflight(source.client, plan);
    } catch (error) {
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

  const report = redactValue(
    buildDryRunReport({
      generatedAt,
      operator: options.operator,
      device: declared.success ? declared.data : null,
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
  writeToStdout((sink) => sink.write(text));
  if (options.report) writeTextAtomic(resolve(options.report), text);
  if (report.verdict === "ready" && preflight && report.batch_id && report.plan_sha256) {
    writeTextAtomic(resolveInside(dirs.resultsDir, report.batch_id, `dry-run-${report.plan_sha256}.json`), text);
  }
  explain(report);
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
