import { readFileSync, statSync } from "node:fs";
import { summaryLine } from "../command.js";
import { UserError } from "../errors.js";
import { summaryValue } from "../approvals/summary.js";
import { parseJson } from "../json/read.js";
import { isJsonObject, type JsonObject } from "../json/value.js";
import { AuditEventSchema, type AuditEvent } from "../schemas/audit-event.js";
import { splitAuditLog, verifyAuditLogText, type ChainVerdict } from "./chain.js";

/**
 * The events of an audit log, for reading (`audit show`, the dashboard): every line that is a
 * well-formed event, in file order, and the chain's verdict (the log may be tampered with; the
 * reader says so rather than hiding what is there).
 */
export interface AuditEventFilter {
  /** Events whose subject is this approval, or whose details name it. */
  approval?: string | undefined;
  actor?: string | undefined;
}

export interface AuditEvents {
  events: AuditEvent[];
  /** Well-formed events in the whole log (before filtering). */
  total: number;
  verdict: ChainVerdict;
}

function mentions(details: JsonObject, id: string): boolean {
  return Object.values(details).some((value) => value === id || (Array.isArray(value) && value.includes(id)));
}

export function matchesFilter(event: AuditEvent, filter: AuditEventFilter): boolean {
  if (filter.actor !== undefined && event.actor !== filter.actor) return false;
  if (filter.approval !== undefined && event.subject !== filter.approval && !mentions(event.details as JsonObject, filter.approval)) return false;
  return true;
}

export function parseAuditEvents(text: string, filter: AuditEventFilter = {}): AuditEvents {
  const events: AuditEvent[] = [];
  let total = 0;
  for (const line of splitAuditLog(text).lines) {
    let parsed;
    try {
      parsed = parseJson(line);
    } catch {
      continue;
    }
    if (!isJsonObject(parsed)) continue;
    const checked = AuditEventSchema.safeParse(parsed);
    if (!checked.success) continue;
    total++;
    if (matchesFilter(checked.data, filter)) events.push(checked.data);
  }
  return { events, total, verdict: verifyAuditLogText(text) };
}

/** Reads the log file whole (throws the fs error of an unreadable file: the caller reports it). */
export function readAuditEvents(path: string, filter: AuditEventFilter = {}): AuditEvents {
  return parseAuditEvents(readFileSync(path, "utf8"), filter);
}

/** As readAuditEvents, with a missing, folder or unreadable log said as an input error (exit 2). */
export function readAuditEventsFile(path: string, given: string, summaryKind: string, filter: AuditEventFilter = {}): AuditEvents {
  const unreadable = (what: string): UserError =>
    new UserError(what, { where: given, hint: "pass --log <approvals-root>/audit.jsonl", summary: summaryLine(summaryKind, { log: summaryValue(given) }) });
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw unreadable("audit log is a folder");
    if (!stat.isFile()) throw unreadable("audit log is not a regular file");
    return readAuditEvents(path, filter);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw unreadable(code === "ENOENT" ? "audit log not found" : `cannot read the audit log (${code ?? "error"})`);
  }
}
