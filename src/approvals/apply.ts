import { executeTransition, type TransitionOutcome } from "./engine.js";
import { recordPathIn } from "./layout.js";

export interface MarkAppliedInput {
  approvalsRoot: string;
  approvalId: string;
  batchId: string;
  operator: string;
  /** Default: `<approvals-root>/audit.jsonl`. */
  auditLog?: string;
  /** When the gates passed: an approval valid then is applied even if it lapsed during the write. */
  validAt?: Date;
}

/**
 * apply-batch's one door into the state machine: moves an approved record to `applied` with
 * `applied: {batch_id, operator, at}`, through the same lock, checks, audit and atomic move as
 * every other transition. A refusal comes back as data; the caller decides what it means.
 */
export function markApprovalApplied(input: MarkAppliedInput): Promise<TransitionOutcome> {
  return executeTransition({
    recordPath: recordPathIn(input.approvalsRoot, "approved", input.approvalId),
    command: "apply-batch",
    auditLog: input.auditLog,
    request: {
      action: "apply",
      actor: input.operator,
      reason: `applied by batch ${input.batchId}`,
      now: new Date(),
      batchId: input.batchId,
      ...(input.validAt ? { validAt: input.validAt } : {}),
    },
  });
}
