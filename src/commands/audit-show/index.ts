import { resolve } from "node:path";
import { summaryLine, type CommandResult } from "../../command.js";
import { ExitCode } from "../../errors.js";
import { redactValue } from "../../guards/secrets.js";
import { pyJsonStringify } from "../../json/python.js";
import type { JsonValue } from "../../json/value.js";
import { readAuditEventsFile } from "../../audit/events.js";
import type { AuditEvent } from "../../schemas/audit-event.js";
import { auditChainState, auditLogView, type AuditChainState } from "../../views/audit-log.js";
import { renderAuditLog } from "../../views/terminal/audit-log.js";
import { emitReport } from "../../views/output.js";

export interface AuditShowOptions {
  log: string;
  approval?: string;
  actor?: string;
  format?: string;
}

/** `audit_events_v1`: the (filtered) events of a log and the chain's verdict. */
export interface AuditEventsReport {
  schema_version: "audit_events_v1";
  log: string;
  filter: { approval: string | null; actor: string | null };
  chain: AuditChainState;
  events: AuditEvent[];
  summary: { event_count: number; total_event_count: number };
}

/** `opsgate audit show`: the events as a readable log (or JSON), with the chain's verdict. */
export function runAuditShow(options: AuditShowOptions): CommandResult {
  const filter = { approval: options.approval ?? null, actor: options.actor ?? null };
  const read = readAuditEventsFile(resolve(options.log), options.log, "AUDIT_EVENTS_UNREADABLE", { ...(options.approval ? { approval: options.approval } : {}), ...(options.actor ? { actor: options.actor } : {}) });
  const chain = auditChainState(read.verdict);
  const report: AuditEventsReport = redactValue({
    schema_version: "audit_events_v1",
    log: options.log,
    filter,
    chain,
    events: read.events,
    summary: { event_count: read.events.length, total_event_count: read.total },
  });
  const text = `${pyJsonStringify(report as unknown as JsonValue)}\n`;
  emitReport(text, (term) => renderAuditLog(auditLogView(report.events, chain, { filter, total: read.total }), term), options.format);
  const ok = chain.status === "ok";
  return {
    exitCode: ok ? ExitCode.ok : ExitCode.gateRefused,
    summary: ok
      ? summaryLine("AUDIT_EVENTS_OK", { events: report.events.length, total: read.total })
      : summaryLine("AUDIT_EVENTS_CHAIN_BROKEN", { events: report.events.length, total: read.total, at_seq: chain.at_seq ?? 0, reason: chain.reason ?? "-" }),
  };
}
