import { resolve } from "node:path";
import { ExitCode, UserError } from "../errors.js";
import { summaryLine } from "../command.js";
import type { Progress } from "../views/progress.js";
import { BatchPlanSchema, type BatchPlan } from "../schemas/batch-plan.js";
import { loadApprovalRecords } from "../plan/approvals.js";
import { readBatchPlanFile } from "../plan/plan-file.js";
import { planView, type PlanView } from "../plan/view.js";
import { validateBatchPlan, type BatchPlanValidationReport } from "../plan/validate.js";
import { resolveDirs, type ApplyBatchOptions, type ResolvedDirs } from "./options.js";

/**
 * Reading and validating the plan, shared by every mode: exactly validate-batch-plan with
 * approvals, the plan's own `device` being the expectation (apply-batch has no --expected-device).
 */
export interface CheckedPlan {
  raw: unknown;
  view: PlanView;
  dirs: ResolvedDirs;
  device: { id: number; name: string } | null;
  validation: BatchPlanValidationReport;
  /** Parsed only when every check passed. */
  plan: BatchPlan | undefined;
}

export function checkPlan(options: ApplyBatchOptions, generatedAt: string, secrets: string[], progress?: Progress): CheckedPlan {
  progress?.phase("apply-batch: reading the plan");
  const raw = readBatchPlanFile(options.batchPlan, "--batch-plan");
  const view = planView(raw);
  const dirs = resolveDirs(options);
  const approvalIds = (view.items ?? []).flatMap((item) => (item.approvalId === undefined ? [] : [item.approvalId]));
  const approvals = loadApprovalRecords(dirs.approvalsDir, approvalIds, options.auditLog === undefined ? undefined : resolve(options.auditLog));
  const declared = BatchPlanSchema.shape.device.safeParse(view.device);
  const expected = declared.success ? declared.data : { id: 0, name: "(the plan names no valid device)" };
  const onCheck = progress ? (checkId: string, index: number, total: number): void => progress.phase(`apply-batch: validating ${view.items?.length ?? 0} items: ${checkId} (${index + 1}/${total})`) : undefined;
  const validation = validateBatchPlan({ plan: raw, expected, approvals, now: new Date(), generatedAt, knownSecrets: secrets, ...(onCheck ? { onCheck } : {}) });
  const plan = validation.status === "valid" ? BatchPlanSchema.parse(raw) : undefined;
  return { raw, view, dirs, device: declared.success ? declared.data : null, validation, plan };
}

/**
 * The dry-run's rule: --confirm-batch-id must name the plan. Refused with exit 1, as the real
 * write's batch_id_confirmed gate refuses it: the same mistake gives the same outcome in both modes.
 */
export function assertBatchIdConfirmed(view: PlanView, confirmBatchId: string): void {
  if (typeof view.batchId === "string" && view.batchId !== confirmBatchId) {
    throw new UserError(`--confirm-batch-id ${JSON.stringify(confirmBatchId)} does not match the plan's batch_id ${JSON.stringify(view.batchId)}`, {
      exitCode: ExitCode.gateRefused,
      where: "--confirm-batch-id",
      hint: "pass the batch_id written in the plan",
      summary: summaryLine("BATCH_APPLY_REFUSED", { mode: "dry_run", batch_id: "-", items: view.items?.length ?? 0, created: 0, requests: 0, reason: "batch_id_not_confirmed" }),
    });
  }
}
