import type { ApprovalState } from "../schemas/approval-record.js";

/** What an actor can ask for; `apply` is apply-batch's own, never offered on the command line. */
export type TransitionAction = "submit" | "approve" | "reject" | "revoke" | "apply";

/** The state machine of SPEC §2.3: the only transitions there are. */
export const TRANSITIONS: Readonly<Record<TransitionAction, { from: ApprovalState; to: ApprovalState }>> = {
  submit: { from: "proposed", to: "pending" },
  approve: { from: "pending", to: "approved" },
  reject: { from: "pending", to: "rejected" },
  revoke: { from: "approved", to: "revoked" },
  apply: { from: "approved", to: "applied" },
};

/** Actions whose reason must be substantial (a decision someone will read later). */
export const DECISION_ACTIONS: ReadonlySet<TransitionAction> = new Set(["approve", "reject", "revoke"]);
export const MIN_DECISION_REASON = 10;

export const TERMINAL_STATES: ReadonlySet<ApprovalState> = new Set(["rejected", "revoked", "applied"]);
