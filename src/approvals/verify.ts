import { canonicalJson } from "../json/canonical.js";
import type { JsonValue } from "../json/value.js";
import type { ApprovalPolicy } from "../schemas/approval-policy.js";
import type { ApprovalRecord, ApprovalStatement, SignedTransition } from "../schemas/approval-record.js";
import { anchorProblem, type AuditIndex } from "../audit/anchors.js";
import { principalOf, type AllowedSigners } from "./allowed-signers.js";
import { allowsUnsignedLegacy, mayApprove, riskPolicyFor } from "./policy.js";
import type { Refusal } from "./refusal.js";
import { parseSshsig, verifySshsig } from "./sshsig.js";
import { namespaceOf, signatureSha256, statementMessage } from "./statement.js";
import { sameActor } from "./names.js";

/** What a reader trusts: the keys, the policy, and (when there is one) the audit log. */
export interface Trust {
  signers: AllowedSigners;
  /** Where allowed_signers was looked for, and whether it exists (for messages). */
  signersPath: string;
  signersFound: boolean;
  policy: ApprovalPolicy | undefined;
  audit?: AuditIndex;
}

export interface RecordVerdict {
  /** The record carries signatures. */
  signed: boolean;
  /** Unsigned, tolerated by policy (listed as `unsigned`). */
  legacy: boolean;
  /** Verified principals who approved the current round (in order). */
  approvers: string[];
  problems: Refusal[];
}

/** Which transitions a signed action may make (an approve that needs more approvers stays pending). */
const SIGNED_MOVES: Record<ApprovalStatement["action"], { from: string | null; to: string[] }> = {
  create: { from: null, to: ["proposed"] },
  submit: { from: "proposed", to: ["pending"] },
  approve: { from: "pending", to: ["pending", "approved"] },
  reject: { from: "pending", to: ["rejected"] },
  revoke: { from: "approved", to: ["revoked"] },
};

const DAY_MS = 86_400_000;
const same = (a: unknown, b: unknown): boolean => canonicalJson(a as JsonValue) === canonicalJson(b as JsonValue);
const BASE_FIELDS = ["device", "requested_by", "requested_at", "risk_level", "summary"] as const;

/**
 * Replays a record's signed transitions against allowed_signers and the policy: every signature
 * must verify in its action's namespace, belong to exactly one principal who is the statement's
 * actor, name this record (id and subject), follow the previous signature, and the record's
 * fields (state, history, decision, requester, expiry, ...) must be exactly what the signed
 * statements say. Pure: the caller reads the files.
 */
export function verifyRecord(record: ApprovalRecord, trust: Trust): RecordVerdict {
  const problems: Refusal[] = [];
  const add = (code: Refusal["code"], message: string, hint?: string): void => {
    problems.push(hint ? { code, message, hint } : { code, message });
  };
  const sigs = record.signatures ?? [];
  const legacyOk = allowsUnsignedLegacy(trust.policy);
  if (sigs.length === 0) {
    if (!legacyOk) {
      add("unsigned", "the record carries no signature (an unsigned record, or one written by hand)", "unsigned records are refused unless policy.json says allow_unsigned_legacy: true; create it with `opsgate approvals new`");
    }
    legacyChecks(record, problems);
    return { signed: false, legacy: legacyOk, approvers: [], problems };
  }

  const applied = record.state === "applied";
  const history = applied ? record.state_history.slice(0, -1) : record.state_history;
  if (sigs.length > history.length) {
    add("signed_field_mismatch", `state_history has ${history.length} signed-transition entries but the record carries ${sigs.length} signatures (state_history was cut)`);
    return { signed: true, legacy: false, approvers: [], problems };
  }
  const prefix = history.slice(0, history.length - sigs.length);
  const first = sigs[0]!.statement;
  let state: string | null;
  let expectedDecision: ApprovalRecord["decision"] | "unknown";
  if (first.action === "create") {
    state = null;
    expectedDecision = null;
    if (prefix.length > 0) add("signed_field_mismatch", `state_history holds ${prefix.length} entr(y/ies) before the signed creation`);
  } else {
    if (!legacyOk) add("unsigned", `the record's first ${prefix.length} transition(s) are unsigned (it was created before signing)`, "policy.json allow_unsigned_legacy: true tolerates that; otherwise create a new record with `opsgate approvals new`");
    state = prefix[prefix.length - 1]?.to ?? null;
    expectedDecision = "unknown";
  }

  const rule = riskPolicyFor(trust.policy, record.risk_level);
  let prevSha: string | null = null;
  let approvals: ApprovalStatement[] = [];
  const requester = first.action === "create" ? first.actor : record.requested_by;
  const mismatched = new Set<string>(); // each edited field is named once, not once per signature
  sigs.forEach((entry, i) => {
    const st = entry.statement;
    const label = `signature ${i + 1} (${st.action} by ${st.actor})`;
    const checked = checkSignature(entry, trust.signers, label);
    if (checked) problems.push(checked);
    if (st.approval_id !== record.approval_id || st.subject_sha256 !== record.subject_sha256) {
      add("replayed_signature", `${label} was made for approval ${JSON.stringify(st.approval_id)} (subject ${st.subject_sha256.slice(0, 12)}…), not this record: it was copied from another record`);
    }
    for (const field of BASE_FIELDS) {
      if (!same(st[field], record[field]) && !mismatched.has(field) && mismatched.add(field)) add("signed_field_mismatch", `${field} differs from the signed one (${label} says ${canonicalJson(st[field])}, the record ${canonicalJson(record[field])})`);
    }
    if (st.prev_signature_sha256 !== prevSha || st.from !== state) {
      add("signature_chain_broken", `${label} does not follow the record's previous transition (a signature was removed, reordered or copied in)`);
    }
    const move = SIGNED_MOVES[st.action];
    if (move.from !== st.from || !move.to.includes(st.to)) add("signature_chain_broken", `${label} signs ${st.from ?? "(new)"} -> ${st.to}, which ${st.action} cannot do`);
    // Order is the chain of prev_signature_sha256, not the clock (the signer's clock is its own).
    const at = Date.parse(st.at);
    const change = history[prefix.length + i];
    if (!change || !same(change, { from: st.from, to: st.to, actor: st.actor, reason: st.reason, at: st.at })) {
      add("signed_field_mismatch", `state_history[${prefix.length + i}] differs from ${label}`);
    }
    if (st.action === "create" && st.actor !== st.requested_by) add("self_approval", `${label}: the record was created by ${st.actor} but names ${st.requested_by} as requester`);
    if (st.action === "approve" || st.action === "reject") {
      if (st.action === "approve" && (st.actor === requester || sameActor(st.actor, record.requested_by))) add("self_approval", `${label}: ${st.actor} requested this change and cannot decide it (four eyes)`);
      if (!mayApprove(rule, st.actor)) add("not_an_approver", `${label}: ${st.actor} may not decide ${record.risk_level} records (policy.json)`);
    }
    if (st.action === "approve") {
      if (approvals.some((a) => a.actor === st.actor)) add("duplicate_approver", `${label}: ${st.actor} already approved this record (distinct approvers are needed)`);
      if (st.expires_at === null) add("signed_field_mismatch", `${label} carries no expires_at`);
      else if (Date.parse(st.expires_at) - at > rule.max_expires_in_days * DAY_MS) {
        add("expiry_too_long", `${label} lasts until ${st.expires_at}: longer than the ${rule.max_expires_in_days} days policy.json allows for ${record.risk_level}`);
      }
      approvals = [...approvals, st];
      if (st.to === "approved") expectedDecision = decisionOf(st, approvals);
    } else if (st.expires_at !== null) add("signed_field_mismatch", `${label} carries an expires_at (only approve does)`);
    if (st.action === "reject") expectedDecision = { action: "reject", actor: st.actor, reason: st.reason, at: st.at, expires_at: null, subject_sha256: st.subject_sha256 };
    if (st.action === "submit" || st.action === "create") approvals = [];
    state = st.to;
    prevSha = signatureSha256(entry);
  });

  if (applied) {
    const last = record.state_history[record.state_history.length - 1];
    if (state !== "approved") add("unsigned_state", `the record is applied, but its signed transitions end in ${state ?? "(none)"}: only an approved record is applied`);
    if (!last || last.from !== "approved" || last.to !== "applied" || record.applied === null) add("signed_field_mismatch", "an applied record needs `applied` and a last state_history entry approved -> applied");
  } else {
    if (record.state !== state) add("unsigned_state", `the record says ${record.state}, but its signed transitions lead to ${state ?? "(none)"} (moved between folders or edited)`);
    if (record.applied !== null) add("signed_field_mismatch", "`applied` is set but the record was never applied");
  }
  if (expectedDecision !== "unknown" && !same(record.decision, expectedDecision)) {
    add("signed_field_mismatch", `decision differs from the signed one: ${decisionDiff(record.decision, expectedDecision)}`);
  }
  const live = state === "approved" ? approvals.map((a) => a.actor) : [];
  if (state === "approved" && new Set(live).size < rule.required_approvals) {
    add("approvals_short", `${record.risk_level} needs ${rule.required_approvals} distinct approvers (policy.json); the record has ${new Set(live).size}`);
  }
  if (trust.audit) auditChecks(record, sigs, trust.audit, problems);
  return { signed: true, legacy: false, approvers: live, problems };
}

/** The approve statements of the record's current round (since its submit), oldest first. */
export function currentRound(record: ApprovalRecord): ApprovalStatement[] {
  let round: ApprovalStatement[] = [];
  for (const { statement } of record.signatures ?? []) {
    if (statement.action === "approve") round = [...round, statement];
    else if (statement.action === "submit" || statement.action === "create") round = [];
  }
  return round;
}

/** The decision a completed round produces: the last approver's words, the earliest expiry. */
function decisionOf(last: ApprovalStatement, round: ApprovalStatement[]): NonNullable<ApprovalRecord["decision"]> {
  const expiries = round.map((a) => a.expires_at ?? "").filter((e) => e !== "");
  const earliest = expiries.reduce((min, e) => (Date.parse(e) < Date.parse(min) ? e : min), expiries[0] ?? "");
  return { action: "approve", actor: last.actor, reason: last.reason, at: last.at, expires_at: earliest, subject_sha256: last.subject_sha256 };
}

function decisionDiff(actual: ApprovalRecord["decision"], expected: ApprovalRecord["decision"]): string {
  if (actual === null || expected === null) return `the record has ${actual === null ? "none" : "one"}, the signatures ${expected === null ? "none" : "one"}`;
  const keys = (Object.keys(expected) as (keyof typeof expected)[]).filter((k) => actual[k] !== expected[k]);
  return keys.map((k) => `${k} is ${JSON.stringify(actual[k])}, signed ${JSON.stringify(expected[k])}`).join("; ");
}

/** One signature, cryptographically: armor, namespace, key → exactly one principal, the actor. */
function checkSignature(entry: SignedTransition, signers: AllowedSigners, label: string): Refusal | undefined {
  const st = entry.statement;
  let parsed;
  try {
    parsed = parseSshsig(entry.signature);
  } catch (error) {
    return { code: "bad_signature", message: `${label}: ${(error as Error).message}` };
  }
  const namespace = namespaceOf(st.action);
  if (!verifySshsig(parsed, namespace, statementMessage(st))) {
    const other = parsed.namespace !== namespace ? ` (it was made in namespace ${JSON.stringify(parsed.namespace)})` : "";
    return { code: "bad_signature", message: `${label} does not verify: the statement was edited or the signature belongs to something else${other}` };
  }
  const who = principalOf(signers, parsed.publicKey, namespace, Date.parse(st.at));
  if (!who.ok) return { code: who.code, message: `${label}: ${who.message}`, hint: "allowed_signers (reviewed and committed) says which key is whose" };
  if (who.principal !== st.actor) return { code: "bad_signature", message: `${label} is signed by ${who.principal}'s key (${who.fingerprint}), not ${st.actor}'s` };
  return undefined;
}

/** Anchors (each statement's audit head is in the log) and roll-backs (the log knows a later transition). */
function auditChecks(record: ApprovalRecord, sigs: SignedTransition[], audit: AuditIndex, problems: Refusal[]): void {
  sigs.forEach((entry, i) => {
    const problem = anchorProblem(audit, entry.statement.audit_head);
    if (problem) problems.push({ code: "anchor_mismatch", message: `signature ${i + 1} (${entry.statement.action}) ${problem}` });
  });
  const logged = audit.lastTransition.get(record.approval_id);
  if (!logged) return;
  const carried = new Set(sigs.map(signatureSha256));
  const rolledBack = logged.event === "approval.apply" ? record.state !== "applied" : logged.signatureSha256 !== undefined && !carried.has(logged.signatureSha256);
  if (rolledBack) {
    problems.push({
      code: "rolled_back",
      message: `the audit log records ${logged.event} at seq ${logged.seq}, which this record does not carry: it was rolled back to an earlier state (or that transition was interrupted)`,
      hint: "restore the record's later state from version control; an interrupted transition is retried with manage-approval-state",
    });
  }
}

/** Unsigned records still obey the old rules (kept for legacy records the policy tolerates). */
function legacyChecks(record: ApprovalRecord, problems: Refusal[]): void {
  const decision = record.decision;
  if (decision?.action === "approve" && sameActor(decision.actor, record.requested_by)) {
    problems.push({ code: "self_approval", message: `${decision.actor} requested this change and approved it (four eyes)` });
  }
}
