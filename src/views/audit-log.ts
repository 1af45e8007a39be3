/**
 * Audit events as a readable log: one row per event (seq, time, actor, event, subject, the
 * details that matter), and the chain's verdict. Pure data from audit events and a verdict.
 */
import type { ChainVerdict } from "../audit/chain.js";

export interface AuditEventLike {
  seq: number;
  at: string;
  actor: string;
  command: string;
  event: string;
  subject: string;
  details: Record<string, unknown>;
  hash: string;
}

export interface AuditChainState {
  status: "ok" | "broken";
  events: number;
  head: string | null;
  at_seq: number | null;
  reason: string | null;
  message: string | null;
}

export interface AuditLogRow {
  seq: number;
  at: string;
  actor: string;
  event: string;
  subject: string;
  /** `from=pending to=approved reason="…"`: scalar details, arrays by length. */
  details: string;
  hash: string;
  /** True from the first event the chain does not vouch for. */
  unverified: boolean;
}

export interface AuditLogView {
  kind: "audit_log";
  rows: AuditLogRow[];
  chain: AuditChainState;
  filter: { approval: string | null; actor: string | null };
  total_events: number;
  headline: string;
}

const MAX_DETAIL = 60;

function detailText(value: unknown): string {
  if (typeof value === "string") {
    const short = value.length > MAX_DETAIL ? `${value.slice(0, MAX_DETAIL - 1)}…` : value;
    return /^[\w.:/@+-]+$/.test(short) ? short : JSON.stringify(short);
  }
  if (Array.isArray(value)) return `[${value.length}]`;
  if (value !== null && typeof value === "object") return "{…}";
  return String(value);
}

export function auditDetails(details: Record<string, unknown>): string {
  return Object.keys(details)
    .sort()
    .map((key) => `${key}=${detailText(details[key])}`)
    .join(" ");
}

export function auditLogView(
  events: readonly AuditEventLike[],
  chain: AuditChainState,
  options: { filter?: { approval: string | null; actor: string | null }; total?: number } = {},
): AuditLogView {
  const rows = events.map((event) => ({
    seq: event.seq,
    at: event.at,
    actor: event.actor,
    event: event.event,
    subject: event.subject,
    details: auditDetails(event.details),
    hash: event.hash.slice(0, 12),
    unverified: chain.status === "broken" && chain.at_seq !== null && event.seq >= chain.at_seq,
  }));
  const total = options.total ?? events.length;
  const verdict = chain.status === "ok" ? `chain verified (${chain.events} events)` : `chain BROKEN at seq ${chain.at_seq ?? "?"}: ${chain.reason ?? "?"}`;
  const shown = rows.length === total ? `${total} event${total === 1 ? "" : "s"}` : `${rows.length} of ${total} events`;
  return {
    kind: "audit_log",
    rows,
    chain,
    filter: options.filter ?? { approval: null, actor: null },
    total_events: total,
    headline: `${shown}; ${verdict}.`,
  };
}

/** The chain's verdict as the view (and `audit show`'s report) carries it. */
export function auditChainState(verdict: ChainVerdict): AuditChainState {
  return verdict.ok
    ? { status: "ok", events: verdict.events, head: verdict.head, at_seq: null, reason: null, message: null }
    : { status: "broken", events: verdict.events, head: null, at_seq: verdict.atSeq, reason: verdict.reason, message: verdict.message };
}
