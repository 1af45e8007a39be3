import { existsSync, statSync } from "node:fs";
import { basename, resolve } from "node:path";
import { summaryLine, type CommandResult } from "../../command.js";
import { ExitCode, UserError } from "../../errors.js";
import { isSafeId } from "../../guards/paths.js";
import { findSecrets, redactText } from "../../guards/secrets.js";
import { writeToStdout } from "../../io/files.js";
import { diag } from "../../io/log.js";
import { createSignedRecord } from "../../approvals/create.js";
import { resolveSigner } from "../../approvals/identity.js";
import { recordText } from "../../approvals/move.js";
import { placeholderIn } from "../../approvals/reasons.js";
import { summaryValue } from "../../approvals/summary.js";
import { loadTrust } from "../../approvals/trust.js";
import type { ApprovalRecord } from "../../schemas/approval-record.js";
import { defaultApprovalsDir } from "../../plan/approvals.js";
import { readBatchPlanFile } from "../../plan/plan-file.js";
import { planView } from "../../plan/view.js";
import { BatchPlanSchema } from "../../schemas/batch-plan.js";

export interface ApprovalsNewOptions {
  plan: string;
  approvalId: string;
  items?: string;
  riskLevel: ApprovalRecord["risk_level"];
  summary: string;
  reason?: string;
  approvalsDir?: string;
  auditLog?: string;
  signingKey?: string;
  actor?: string;
}

function usage(message: string, where: string, hint?: string): UserError {
  return new UserError(message, { where, ...(hint ? { hint } : {}) });
}

/** The record's items: every plan item bound to the approval id, or the ones --items names. */
function selectItems(view: ReturnType<typeof planView>, approvalId: string, itemsFlag: string): ApprovalRecord["items"] {
  const items = view.items ?? [];
  const bound = items.filter((item) => item.approvalId === approvalId);
  let chosen = bound;
  if (itemsFlag !== "all") {
    const wanted = itemsFlag.split(",").map((id) => id.trim()).filter((id) => id !== "");
    if (wanted.length === 0) throw usage("--items is empty", "--items", "pass all, or item ids separated by commas");
    chosen = wanted.map((id) => {
      const item = items.find((candidate) => candidate.itemId === id);
      if (!item) throw usage(`the plan has no item ${JSON.stringify(id)}`, "--items");
      if (item.approvalId !== approvalId) throw usage(`item ${id} names approval ${JSON.stringify(item.approvalId ?? null)}, not ${approvalId}`, "--items", "set the item's approval_id in the plan, or pick another --approval-id");
      return item;
    });
  }
  if (chosen.length === 0) {
    const ids = [...new Set(items.map((item) => item.approvalId).filter((id) => id !== undefined))].sort();
    throw usage(`no plan item names approval_id ${approvalId}`, "--approval-id", `the plan's approval ids: ${ids.join(", ") || "(none)"}`);
  }
  return chosen.map((item) => ({ item_id: item.itemId!, object_type: item.objectType!, payload_sha256: item.payloadSha256! }));
}

/** `opsgate approvals new`: writes a signed proposed record for plan items, every hash computed. */
export async function runApprovalsNew(options: ApprovalsNewOptions): Promise<CommandResult> {
  if (!isSafeId(options.approvalId)) throw usage(`--approval-id ${JSON.stringify(options.approvalId)} is not a valid id`, "--approval-id", "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$");
  const planPath = resolve(options.plan);
  const raw = readBatchPlanFile(planPath);
  const parsed = BatchPlanSchema.safeParse(raw);
  if (!parsed.success) throw usage("the plan is not a valid batch_staged_apply_plan_v1", planPath, "run validate-batch-plan on it first");
  const root = options.approvalsDir !== undefined ? resolve(options.approvalsDir) : defaultApprovalsDir(planPath);
  if (root === undefined || !existsSync(root) || !statSync(root).isDirectory()) {
    throw usage(root === undefined ? "no approvals folder found above the plan" : "approvals folder not found", root ?? planPath, "pass --approvals-dir <approvals-root>");
  }
  const items = selectItems(planView(raw), options.approvalId, options.items ?? "all");
  const summary = options.summary.trim();
  const reason = (options.reason ?? `Created from batch plan ${parsed.data.batch_id} (${basename(planPath)})`).trim();
  const refused = (code: string, message: string, hint?: string): CommandResult => {
    diag(redactText(`opsgate: refused: ${message}`));
    if (hint) diag(`hint: ${hint}`);
    return { exitCode: ExitCode.gateRefused, summary: summaryLine("APPROVAL_NEW_REFUSED", { approval_id: options.approvalId, reason: code }) };
  };
  if (summary === "") return refused("summary_blank", "--summary is empty", "say what the change is and why");
  for (const [flag, text] of [["--summary", summary], ["--reason", reason]] as const) {
    const placeholder = placeholderIn(text);
    if (placeholder) return refused("reason_placeholder", `${flag} holds the template placeholder ${JSON.stringify(placeholder)}`, "write the real text, not the runbook's template");
    if (findSecrets({ text }, []).length > 0) return refused("contains_secret", `${flag} looks like it holds a credential`, "reference the ticket instead");
  }
  const trust = loadTrust(root);
  const now = new Date();
  const signingKey = options.signingKey ?? process.env.OPSGATE_SIGNING_KEY;
  const who = await resolveSigner(trust, signingKey === undefined ? undefined : resolve(signingKey), "create", options.actor ?? process.env.OPSGATE_ACTOR, now);
  if (!who.ok) return refused(who.refusal.code, who.refusal.message, who.refusal.hint);
  const auditLog = options.auditLog !== undefined ? resolve(options.auditLog) : resolve(root, "audit.jsonl");
  const outcome = await createSignedRecord({
    root, auditLog, approvalId: options.approvalId, device: parsed.data.device, riskLevel: options.riskLevel, summary, reason, items, principal: who.principal, key: who.key, trust, now,
  });
  if (!outcome.ok) return refused(outcome.refusal.code, outcome.refusal.message, outcome.refusal.hint);
  writeToStdout((sink) => sink.write(recordText(outcome.record)));
  diag(`${options.approvalId}: proposed (${outcome.path}), ${items.length} item(s), subject_sha256 ${outcome.record.subject_sha256}; next: manage-approval-state --action submit`);
  return {
    exitCode: ExitCode.ok,
    summary: summaryLine("APPROVAL_NEW_OK", { approval_id: options.approvalId, items: items.length, requested_by: summaryValue(who.principal), subject_sha256: outcome.record.subject_sha256 }),
  };
}
