import type { QueueEntry } from "../approvals/queue.js";
import type { RunInfo } from "./data/batches.js";

/**
 * RFC 4180 CSV (CRLF, quotes doubled). A cell that a spreadsheet would run as a formula (= + - @,
 * tab, CR) gets a leading apostrophe: these exports are opened by people, in Excel.
 */
function cell(value: string | number | boolean | null): string {
  let text = value === null ? "" : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function table(header: string[], rows: (string | number | boolean | null)[][]): string {
  return [header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

export function queueCsv(entries: readonly QueueEntry[]): string {
  return table(
    ["approval_id", "state", "device_id", "device_name", "risk_level", "requested_by", "requested_at", "age_days", "decided_by", "expires_at", "expired", "item_count", "summary", "path"],
    entries.map((e) => [e.approval_id, e.state, String(e.device.id), e.device.name, e.risk_level, e.requested_by, e.requested_at, e.age_days, e.decided_by, e.expires_at, e.expired, e.item_count, e.summary, e.path]),
  );
}

export function runsCsv(runs: readonly RunInfo[]): string {
  return table(
    ["batch_id", "run_id", "ledger", "mode", "outcome", "operator", "started_at", "ended_at", "write_requests", "created", "remaining", "verify", "needs_recover", "report"],
    runs.map((r) => [
      r.batchId,
      r.runId,
      r.ledger,
      r.mode,
      r.outcome,
      r.operator,
      r.startedAt,
      r.endedAt,
      r.requests.filter((s) => s.phase === "write").length,
      r.created.length,
      r.outcome === "applied" ? 0 : r.remaining.length,
      r.verify,
      r.unresolved && r.ledger === "real",
      r.report?.rel ?? null,
    ]),
  );
}
