import type { QueueReport } from "../approvals/queue.js";
import { shortDuration } from "./duration.js";

/**
 * The approval queue as a table (`gh pr list`): one row per record — id, state, device,
 * requester, risk, age, expires in, items, problems — and the inconsistencies that belong to no
 * listed record. Pure data from an `approval_queue_v1` report; `now` (ms) judges expiry.
 */
export interface ApprovalQueueRow {
  approval_id: string;
  state: string;
  device: string;
  requester: string;
  risk: string;
  /** `3d`, `5h`. */
  age: string;
  /** `12d`, `expired 2d ago`, or `-` when the record has no expiry. */
  expires_in: string;
  expired: boolean;
  items: number;
  /** Inconsistency kinds found for this record (empty when none). */
  problems: string[];
  summary: string;
  path: string;
}

export interface ApprovalQueueView {
  kind: "approval_queue";
  generated_at: string;
  state_filter: string | null;
  columns: { key: keyof ApprovalQueueRow; title: string }[];
  rows: ApprovalQueueRow[];
  /** Every inconsistency, with its message (rows only carry the kinds). */
  problems: { kind: string; approval_id: string | null; paths: string[]; message: string }[];
  by_state: { state: string; count: number }[];
  headline: string;
}

export const APPROVAL_QUEUE_COLUMNS: ApprovalQueueView["columns"] = [
  { key: "approval_id", title: "ID" },
  { key: "state", title: "STATE" },
  { key: "device", title: "DEVICE" },
  { key: "requester", title: "REQUESTER" },
  { key: "risk", title: "RISK" },
  { key: "age", title: "AGE" },
  { key: "expires_in", title: "EXPIRES IN" },
  { key: "items", title: "ITEMS" },
  { key: "problems", title: "PROBLEMS" },
];

function expiresIn(expiresAt: string | null, now: number): string {
  if (expiresAt === null) return "-";
  const at = Date.parse(expiresAt);
  if (Number.isNaN(at)) return "?";
  const seconds = (at - now) / 1000;
  return seconds > 0 ? shortDuration(seconds) : `expired ${shortDuration(-seconds)} ago`;
}

export function approvalQueueView(report: QueueReport, now: number = Date.parse(report.generated_at)): ApprovalQueueView {
  const kindsOf = new Map<string, string[]>();
  for (const problem of report.inconsistencies) {
    if (problem.approval_id === null) continue;
    const kinds = kindsOf.get(problem.approval_id) ?? [];
    if (!kinds.includes(problem.kind)) kinds.push(problem.kind);
    kindsOf.set(problem.approval_id, kinds);
  }
  const rows = report.approvals.map((entry) => ({
    approval_id: entry.approval_id,
    state: entry.state,
    device: entry.device.name,
    requester: entry.requested_by,
    risk: entry.risk_level,
    age: shortDuration(entry.age_seconds),
    expires_in: entry.state === "approved" || entry.expires_at === null ? expiresIn(entry.expires_at, now) : "-",
    expired: entry.expired,
    items: entry.item_count,
    problems: kindsOf.get(entry.approval_id) ?? [],
    summary: entry.summary,
    path: entry.path,
  }));
  const byState = Object.entries(report.summary.by_state)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => ({ state, count }));
  const n = report.summary.record_count;
  const shown = byState.map((s) => `${s.count} ${s.state}`).join(", ");
  const problems = report.inconsistencies.length;
  const headline = `${n} record${n === 1 ? "" : "s"}${shown ? ` (${shown})` : ""}; ${problems === 0 ? "no inconsistency" : `${problems} inconsistenc${problems === 1 ? "y" : "ies"}`}.`;
  return {
    kind: "approval_queue",
    generated_at: report.generated_at,
    state_filter: report.state_filter,
    columns: APPROVAL_QUEUE_COLUMNS,
    rows,
    problems: report.inconsistencies.map((p) => ({ kind: p.kind, approval_id: p.approval_id, paths: [...p.paths], message: p.message })),
    by_state: byState,
    headline,
  };
}
