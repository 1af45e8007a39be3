import { resolve } from "node:path";
import { UserError } from "../errors.js";
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

export function checkPlan(options: ApplyBatchOptions, generatedAt: string, secrets: string[]): CheckedPlan {
  const raw = readBatchPlanFile(options.batchPlan, "--batch-plan");
  const view = planView(raw);
  const dirs = resolveDirs(options);
  const approvalIds = (view.items ?? []).flatMap((item) => (item.approvalId === undefined ? [] : [item.approvalId]));
  const approvals = loadApprovalRecords(dirs.approvalsDir, approvalIds, options.auditLog === undefined ? undefined : resolve(options.auditLog));
  const declared = BatchPlanSchema.shape.device.safeParse(view.device);
  const expected = declared.success ? declared.data : { id: 0, name: "(the plan names no valid device)" };
  const validation = validateBatchPlan({ plan: raw, expected, approvals, now: new Date(), generatedAt, knownSecrets: secrets });
  const plan = validation.status === "valid" ? BatchPlanSchema.parse(raw) : undefined;
  return { raw, view, dirs, device: declared.success ? declared.data : null, validation, plan };
}

/** The dry-run's rule: --confirm-batch-id must name the plan (a usage error there; a gate in a real run). */
export function assertBatchIdConfirmed(view: PlanView, confirmBatchId: string): void {
  if (typeof view.batchId === "string" && view.batchId !== confirmBatchId) {
    throw new UserError(`--confirm-batch-id ${JSON.stringify(confirmBatchId)} does not match the plan's batch_id ${JSON.stringify(view.batchId)}`, {
      where: "--confirm-batch-id",
      hint: "pass the batch_id written in the plan",
    });
  }
}
