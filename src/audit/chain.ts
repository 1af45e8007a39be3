import { canonicalSha256 } from "../json/canonical.js";
import type { JsonObject, JsonValue } from "../json/value.js";
import { isJsonObject } from "../json/value.js";
import { parseJson } from "../json/read.js";
import { AuditEventSchema, type AuditEvent } from "../schemas/audit-event.js";

/** `prev_hash` of the first event (SPEC §3.3). */
export const GENESIS_HASH = "0".repeat(64);

/** The hash of an event: SHA-256 of the canonical JSON of the event without `hash`. */
export function auditEventHash(event: Omit<AuditEvent, "hash"> | JsonObject): string {
  const rest: JsonObject = { ...(event as JsonObject) };
  delete rest.hash;
  return canonicalSha256(rest);
}

export type ChainBreakReason =
  | "truncated_last_line"
  | "blank_line"
  | "malformed_line"
  | "schema_invalid"
  | "seq_mismatch"
  | "prev_hash_mismatch"
  | "hash_mismatch";

export type ChainVerdict =
  | { ok: true; events: number; head: string }
  | { ok: false; atSeq: number; reason: ChainBreakReason; message: string; events: number };

/**
 * Splits a log's text into lines. A last line without its newline is kept but flagged: appends
 * always end with "\n", so a missing one means a write was cut short (or the tail was edited).
 */
export function splitAuditLog(text: string): { lines: string[]; lastLineTerminated: boolean } {
  if (text === "") return { lines: [], lastLineTerminated: true };
  const terminated = text.endsWith("\n");
  const lines = (terminated ? text.slice(0, -1) : text).split("\n");
  return { lines, lastLineTerminated: terminated };
}

/**
 * Recomputes the chain and names the first broken event. `atSeq` is the position (1-based) where
 * the chain stops holding: an edit shows as hash_mismatch there, a deletion, insertion or
 * reordering as seq_mismatch (or prev_hash_mismatch when the seq numbers were rewritten too).
 */
export function verifyAuditChain(lines: readonly string[], options: { lastLineTerminated?: boolean } = {}): ChainVerdict {
  let prev = GENESIS_HASH;
  for (let i = 0; i < lines.length; i++) {
    const atSeq = i + 1;
    const line = lines[i] ?? "";
    const isLast = i === lines.length - 1;
    const broken = (reason: ChainBreakReason, message: string): ChainVerdict => ({ ok: false, atSeq, reason, message, events: i });
    if (isLast && options.lastLineTerminated === false) {
      return broken("truncated_last_line", `line ${atSeq} has no trailing newline: the last append was cut short or the tail was edited`);
    }
    if (line.trim() === "") return broken("blank_line", `line ${atSeq} is blank`);
    let parsed: JsonValue;
    try {
      parsed = parseJson(line);
    } catch (error) {
      return broken("malformed_line", `line ${atSeq} is not JSON (${(error as Error).message})`);
    }
    if (!isJsonObject(parsed)) return broken("malformed_line", `line ${atSeq} is not a JSON object`);
    const checked = AuditEventSchema.safeParse(parsed);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      return broken("schema_invalid", `line ${atSeq}: ${issue?.path.join(".") ?? ""} ${issue?.message ?? "does not match audit_event_v1"}`);
    }
    const event = checked.data;
    if (event.seq !== atSeq) return broken("seq_mismatch", `line ${atSeq} carries seq ${event.seq}: an event was deleted, inserted or moved`);
    if (event.prev_hash !== prev) return broken("prev_hash_mismatch", `event ${atSeq} does not link to the event before it`);
    if (auditEventHash(parsed) !== event.hash) return broken("hash_mismatch", `event ${atSeq} was edited after it was written`);
    prev = event.hash;
  }
  return { ok: true, events: lines.length, head: prev };
}

/** Convenience for a whole log's text. */
export function verifyAuditLogText(text: string): ChainVerdict {
  const { lines, lastLineTerminated } = splitAuditLog(text);
  return verifyAuditChain(lines, { lastLineTerminated });
}
