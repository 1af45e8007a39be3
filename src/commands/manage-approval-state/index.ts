import { resolve } from "node:path";
import { summaryLine, type CommandResult } from "../../command.js";
import { ExitCode, UserError } from "../../errors.js";
import { diag } from "../../io/log.js";
import { redactText, redactValue } from "../../guards/secrets.js";
import { emitReport, humanViewWanted } from "../../views/output.js";
import { approvalTransitionView } from "../../views/approval-transition.js";
import { renderApprovalTransition } from "../../views/terminal/approval-transition.js";
import { executeTransition } from "../../approvals/engine.js";
import { recordText } from "../../approvals/move.js";
import { summaryValue } from "../../approvals/summary.js";
import type { TransitionAction } from "../../approvals/states.js";

export interface ManageApprovalStateOptions {
  approvalRecord: string;
  action: Exclude<TransitionAction, "apply">;
  reason: string;
  actor?: string;
  signingKey?: string;
  expiresInDays?: string;
  auditLog?: string;
  format?: string;
}

const MAX_EXPIRES_IN_DAYS = 365;

/** Undefined when not given (the approval then lasts the default 14 days). */
function parseExpiresInDays(text: string | undefined, action: string): number | undefined {
  if (text === undefined) return undefined;
  if (action !== "approve") {
    throw new UserError(`--expires-in-days applies to --action approve only, not ${action}`, { where: "--expires-in-days" });
  }
  const value = text.trim();
  const days = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(days) || days < 1 || days > MAX_EXPIRES_IN_DAYS) {
    throw new UserError(`--expires-in-days must be a whole number of days from 1 to ${MAX_EXPIRES_IN_DAYS}, not ${JSON.stringify(text)}`, {
      where: "--expires-in-days",
    });
  }
  return days;
}

/** `opsgate manage-approval-state`: one transition of one record (SPEC §2.3). */
export async function runManageApprovalState(options: ManageApprovalStateOptions): Promise<CommandResult> {
  const expiresInDays = parseExpiresInDays(options.expiresInDays, options.action);
  // Who acts is the principal of the signing key; a name given here is only checked against it.
  const actor = options.actor ?? process.env.OPSGATE_ACTOR;
  const signingKey = options.signingKey ?? process.env.OPSGATE_SIGNING_KEY;
  const outcome = await executeTransition({
    recordPath: options.approvalRecord,
    auditLog: options.auditLog === undefined ? undefined : resolve(options.auditLog),
    command: "manage-approval-state",
    ...(signingKey === undefined ? {} : { signingKeyPath: resolve(signingKey) }),
    request: { action: options.action, actor, reason: options.reason, now: new Date(), ...(expiresInDays === undefined ? {} : { expiresInDays }) },
  });
  const fields = {
    approval_id: outcome.approvalId,
    from: outcome.from,
    to: outcome.to,
    actor: summaryValue(outcome.actor || "(none)"),
  };
  if (!outcome.ok) {
    diag(redactText(`opsgate: refused: ${outcome.refusal.message} (${options.approvalRecord})`));
    if (outcome.refusal.hint) diag(`hint: ${outcome.refusal.hint}`);
    diag("the record was not changed");
    return {
      exitCode: ExitCode.gateRefused,
      summary: summaryLine("APPROVAL_STATE_REFUSED", { ...fields, reason: outcome.refusal.code }),
    };
  }
  // stdout: the updated record (JSON), or on a terminal the transition and the record's essentials.
  // The record file is the approver's document; what is printed is redacted like every output.
  const facts = { from: outcome.from, to: outcome.to, actor: outcome.actor, path: outcome.path, auditLog: outcome.auditLog };
  emitReport(recordText(redactValue(outcome.record)), (term) => redactText(renderApprovalTransition(approvalTransitionView(outcome.record, facts), term)), options.format);
  if (!humanViewWanted(options.format)) diag(`${outcome.approvalId}: ${outcome.from} -> ${outcome.to} (${outcome.path}); audited in ${outcome.auditLog}`);
  return { exitCode: ExitCode.ok, summary: summaryLine("APPROVAL_STATE_OK", fields) };
}
