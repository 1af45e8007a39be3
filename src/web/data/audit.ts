import { lstatSync } from "node:fs";
import { verifyAuditLogFile, type ChainVerdict } from "../../audit/chain.js";
import { parseJson } from "../../json/read.js";
import { isJsonObject } from "../../json/value.js";
import { redactValue } from "../../guards/secrets.js";
import { auditChainState, type AuditChainState, type AuditEventLike } from "../../views/audit-log.js";
import { readFileSafely } from "./files.js";

/** An event as the dashboard lists it: the shared view's event (src/views/audit-log.ts). */
export type AuditRow = AuditEventLike;

export type AuditStatus =
  | { kind: "unconfigured" }
  | { kind: "missing"; path: string }
  | { kind: "unreadable"; message: string }
  | { kind: "verified"; verdict: ChainVerdict };

export interface AuditData {
  status: AuditStatus;
  events: AuditRow[];
  /** Lines that are not events (shown as problems; the verdict names the first break). */
  badLines: number;
}

/** The event list is read up to this size; the verification streams the whole log regardless. */
const MAX_LIST_BYTES = 64 * 1024 * 1024;

const text = (value: unknown): string => (typeof value === "string" ? value : "");

/** Verifies the chain on every load and lists its events (redacted). */
export function loadAudit(path: string | undefined): AuditData {
  if (path === undefined) return { status: { kind: "unconfigured" }, events: [], badLines: 0 };
  try {
    const stat = lstatSync(path);
    if (!stat.isFile()) return { status: { kind: "unreadable", message: stat.isSymbolicLink() ? "a symbolic link (not followed)" : "not a regular file" }, events: [], badLines: 0 };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { status: { kind: "missing", path }, events: [], badLines: 0 };
    return { status: { kind: "unreadable", message: code ?? "error" }, events: [], badLines: 0 };
  }
  let verdict: ChainVerdict;
  try {
    verdict = verifyAuditLogFile(path);
  } catch (error) {
    return { status: { kind: "unreadable", message: (error as NodeJS.ErrnoException).code ?? "error" }, events: [], badLines: 0 };
  }
  const bytes = readFileSafely(path, MAX_LIST_BYTES);
  const events: AuditRow[] = [];
  let badLines = 0;
  if (bytes.ok) {
    for (const line of bytes.value.toString("utf8").split("\n")) {
      if (line.trim() === "") continue;
      try {
        const value = parseJson(line);
        if (!isJsonObject(value)) throw new Error("not an object");
        const safe = redactValue(value);
        events.push({
          seq: typeof safe.seq === "number" ? safe.seq : Number(safe.seq ?? 0),
          at: text(safe.at),
          actor: text(safe.actor),
          command: text(safe.command),
          event: text(safe.event),
          subject: text(safe.subject),
          details: isJsonObject(safe.details) ? safe.details : {},
          hash: text(safe.hash),
        });
      } catch {
        badLines++;
      }
    }
  }
  return { status: { kind: "verified", verdict }, events, badLines };
}

export interface AuditFilter {
  actor?: string;
  subject?: string;
  command?: string;
}

export function filterAudit(events: readonly AuditRow[], filter: AuditFilter): AuditRow[] {
  return events.filter(
    (event) =>
      (!filter.actor || event.actor === filter.actor) &&
      (!filter.subject || event.subject === filter.subject) &&
      (!filter.command || event.command === filter.command),
  );
}

/** The verdict in the shape of the shared audit log view (src/views/audit-log.ts). */
export function chainState(status: AuditStatus): AuditChainState {
  if (status.kind !== "verified") return { status: "broken", events: 0, head: null, at_seq: null, reason: status.kind, message: null };
  return auditChainState(status.verdict);
}
