import { isoSeconds } from "../clock/timestamps.js";
import type { ApprovalRecord, ApprovalState } from "../schemas/approval-record.js";
import { findSecrets } from "../guards/secrets.js";
import { sameActor } from "./names.js";
import { integrityProblems, type RecordLocation } from "./integrity.js";
import type { Refusal } from "./refusal.js";
import { placeholderIn } from "./reasons.js";
import { mayApprove, riskPolicyFor } from "./policy.js";
import { currentRound, verifyRecord, type Trust } from "./verify.js";
import { DECISION_ACTIONS, MIN_DECISION_REASON, TERMINAL_STATES, TRANSITIONS, type TransitionAction } from "./states.js";

const ALLOWED_TEXT = "proposed --submit--> pending, pending --approve--> approved, pending --reject--> rejected, approved --revoke--> revoked";

export const DEFAULT_EXPIRES_IN_DAYS = 14;
const DAY_MS = 86_400_000;

export interface TransitionRequest {
  action: TransitionAction;
  /** As given (--actor or OPSGATE_ACTOR); undefined when neither was set. */
  actor: string | undefined;
  reason: string;
  /** The real clock: decisions are never backdated. */
  now: Date;
  /** approve only. */
  expiresInDays?: number;
  /** apply only: the batch that wrote the approved items. */
  batchId?: string;
  /** Token values from the environment (the secrets guard); credential shapes are found anyway. */
  knownSecrets?: string[];
  /** apply only: when the gates passed (an approval valid then is applied even if it lapses mid-write). */
  validAt?: Date;
}

export type TransitionDecision =
  | { ok: true; from: ApprovalState; to: ApprovalState; actor: string; reason: string; record: ApprovalRecord; expiresAt: string | null }
  | { ok: false; from: ApprovalState; to: ApprovalState; actor: string; refusal: Refusal };

// Invisible characters: format (zero-width space, joiners, bidi marks) and controls.
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;
const CONTROL = /[\p{Cc}\p{Cf}]/u;

function checkActor(actor: string | undefined): Refusal | undefined {
  if (actor === undefined || actor.trim() === "") {
    return { code: "missing_actor", message: "no actor given", hint: "pass --actor NAME or set OPSGATE_ACTOR" };
  }
  if (CONTROL.test(actor)) {
    return { code: "invalid_actor", message: "the actor name holds control or invisible (zero-width, bidi) characters", hint: "type the name plainly, e.g. --actor ana.approver" };
  }
  return undefined;
}

/** A reason or actor that looks like a credential is refused: records are never rewritten behind the approver's back. */
function checkSecrets(request: TransitionRequest): Refusal | undefined {
  const found = findSecrets({ actor: request.actor ?? "", reason: request.reason }, request.knownSecrets ?? []);
  const first = found[0];
  if (!first) return undefined;
  return {
    code: "contains_secret",
    message: `the ${first.path} ${first.message}; it would be stored in the record and the audit log`,
    hint: "remove the credential from --reason/--actor (reference the ticket instead) and rerun",
  };
}

function checkReason(action: TransitionAction, reason: string): Refusal | undefined {
  // Zero-width and control characters do not make a reason: "\u200b" x 12 is blank.
  const text = reason.replace(INVISIBLE, "").trim();
  if (text === "") return { code: "reason_blank", message: "the reason is empty or only whitespace", hint: "say why, in a sentence" };
  const placeholder = placeholderIn(text);
  if (placeholder) {
    return { code: "reason_placeholder", message: `the reason holds the template placeholder ${JSON.stringify(placeholder)}`, hint: "write the real reason: what you checked (change window, rollback plan, ticket)" };
  }
  const length = [...text].length;
  if (DECISION_ACTIONS.has(action) && length < MIN_DECISION_REASON) {
    return {
      code: "reason_too_short",
      message: `a reason for ${action} needs at least ${MIN_DECISION_REASON} characters (got ${length})`,
      hint: "say what you checked, e.g. the change window and the rollback plan",
    };
  }
  return undefined;
}

/** apply-batch may only apply a live approval (its own gates check this too: defence in depth). */
function checkApplicable(record: ApprovalRecord, now: Date): Refusal | undefined {
  // (now: when the gates passed, for apply-batch's final move)
  const decision = record.decision;
  if (decision?.action !== "approve") {
    return { code: "decision_missing", message: "the record is approved but carries no approve decision" };
  }
  if (decision.expires_at !== null && Date.parse(decision.expires_at) <= now.getTime()) {
    return { code: "approval_expired", message: `the approval expired at ${decision.expires_at}`, hint: "ask for a new approval" };
  }
  return undefined;
}

/**
 * The pure transition function: from a record, where it lies, and a request, either the updated
 * record or the refusal. Every rule of SPEC §2.3 lives here; the caller only does I/O.
 */
export function decideTransition(record: ApprovalRecord, at: RecordLocation, request: TransitionRequest, trust?: Trust): TransitionDecision {
  const { action } = request;
  const from = record.state;
  let to = TRANSITIONS[action].to;
  const actor = request.actor?.trim() ?? "";
  const refuse = (refusal: Refusal): TransitionDecision => ({ ok: false, from, to, actor, refusal });

  const problem = integrityProblems(record, at)[0];
  if (problem) return refuse(problem);
  // A record no signed transition explains is not acted on. A logged transition the record lacks
  // (rolled_back) may be a transition interrupted by a crash: acting on the record again is safe.
  const verdict = trust ? verifyRecord(record, trust) : undefined;
  const forged = verdict?.problems.find((p) => p.code !== "rolled_back");
  if (forged) return refuse(forged);
  const actorProblem = checkActor(request.actor);
  if (actorProblem) return refuse(actorProblem);
  if (TRANSITIONS[action].from !== from) {
    return refuse({
      code: "transition_not_allowed",
      message: `cannot ${action} a record in state ${from} (${action} needs ${TRANSITIONS[action].from})`,
      hint: TERMINAL_STATES.has(from)
        ? `${from} is terminal: nothing moves it any more; create a new approval record`
        : `allowed: ${ALLOWED_TEXT} (docs/approvals.md)`,
    });
  }
  const reasonProblem = checkReason(action, request.reason);
  if (reasonProblem) return refuse(reasonProblem);
  const secretProblem = checkSecrets(request);
  if (secretProblem) return refuse(secretProblem);
  if (action === "approve" && sameActor(actor, record.requested_by)) {
    return refuse({
      code: "self_approval",
      message: `${actor} requested this change and cannot approve it (four eyes)`,
      hint: "ask another approver",
    });
  }

  if (action === "apply") {
    const applyProblem = checkApplicable(record, request.validAt ?? request.now);
    if (applyProblem) return refuse(applyProblem);
  }
  const rule = riskPolicyFor(trust?.policy, record.risk_level);
  const round = currentRound(record);
  if ((action === "approve" || action === "reject") && trust && !mayApprove(rule, actor)) {
    return refuse({ code: "not_an_approver", message: `${actor} may not decide ${record.risk_level} records`, hint: `policy.json lists who may: ${rule.approvers.join(", ")}` });
  }
  const days = request.expiresInDays ?? Math.min(DEFAULT_EXPIRES_IN_DAYS, rule.max_expires_in_days);
  if (action === "approve") {
    if (days > rule.max_expires_in_days) {
      return refuse({ code: "expiry_too_long", message: `${days} days is longer than the ${rule.max_expires_in_days} days policy.json allows for ${record.risk_level}`, hint: `pass --expires-in-days ${rule.max_expires_in_days} or less` });
    }
    if (round.some((st) => st.actor === actor)) {
      return refuse({ code: "duplicate_approver", message: `${actor} already approved this record; ${rule.required_approvals} distinct approvers are needed`, hint: "ask another approver" });
    }
    if (trust && round.length + 1 < rule.required_approvals) to = "pending";
  }

  const at_ = isoSeconds(request.now, 0);
  const reason = request.reason.trim();
  const next: ApprovalRecord = {
    ...record,
    state: to,
    state_history: [...record.state_history, { from, to, actor, reason, at: at_ }],
  };
  const expiresAt = action === "approve" ? isoSeconds(new Date(request.now.getTime() + days * DAY_MS), 0) : null;
  if ((action === "approve" && to === "approved") || action === "reject") {
    // A round of several approvers lasts as long as its earliest expiry.
    const expiries = [...round.map((st) => st.expires_at ?? ""), expiresAt ?? ""].filter((e) => e !== "");
    const earliest = expiries.reduce((min, e) => (Date.parse(e) < Date.parse(min) ? e : min), expiries[0] ?? "");
    next.decision = {
      action,
      actor,
      reason,
      at: at_,
      expires_at: action === "approve" ? earliest : null,
      subject_sha256: record.subject_sha256,
    };
  }
  if (action === "apply") {
    if (!request.batchId) throw new Error("apply needs the batch id");
    next.applied = { batch_id: request.batchId, operator: actor, at: at_ };
  }
  return { ok: true, from, to, actor, reason, record: next, expiresAt };
}
