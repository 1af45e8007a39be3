import { closeSync, openSync, readSync } from "node:fs";
import { canonicalJson, canonicalSha256, sha256Hex } from "../json/canonical.js";
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

/**
 * The canonical JSON of an event, whole and without `hash` (what `auditEventHash` hashes), from
 * one canonicalisation of its members: verifying a log needs both for every event.
 */
function canonicalEventTexts(event: JsonObject): { whole: string; withoutHash: string } {
  const entries = Object.entries(event).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let whole = "";
  let withoutHash = "";
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    const member = `${JSON.stringify(key)}:${canonicalJson(value)}`;
    whole += whole === "" ? member : `,${member}`;
    if (key !== "hash") withoutHash += withoutHash === "" ? member : `,${member}`;
  }
  return { whole: `{${whole}}`, withoutHash: `{${withoutHash}}` };
}

export type ChainBreakReason =
  | "truncated_last_line"
  | "blank_line"
  | "malformed_line"
  | "schema_invalid"
  | "seq_mismatch"
  | "prev_hash_mismatch"
  | "hash_mismatch"
  | "not_canonical";

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

/** Audit lines are small; a longer "line" is not an event (and is not buffered whole). */
export const MAX_AUDIT_LINE_BYTES = 4 * 1024 * 1024;

/**
 * The chain, checked one line at a time (so a long log is verified in constant memory). `push`
 * returns the verdict at the first broken line; `finish` the verdict for the whole log.
 */
export class ChainVerifier {
  /** `onEvent` sees each event once its line verified (anchors and readers index the log with it). */
  constructor(private readonly onEvent?: (event: AuditEvent) => void) {}
  private prev = GENESIS_HASH;
  private count = 0;
  private verdict: ChainVerdict | undefined;

  /** Checks the next line (without its "\n"); `isTornLast` when it is the last and lacks the newline. */
  push(line: string, isTornLast = false): ChainVerdict | undefined {
    if (this.verdict) return this.verdict;
    const atSeq = this.count + 1;
    const broken = (reason: ChainBreakReason, message: string): ChainVerdict => (this.verdict = { ok: false, atSeq, reason, message, events: this.count });
    if (isTornLast) return broken("truncated_last_line", `line ${atSeq} has no trailing newline: the last append was cut short or the tail was edited`);
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
    if (event.seq !== atSeq) return broken("seq_mismatch", `line ${atSeq} carries seq ${event.seq}: an event was deleted, inserted, duplicated or moved`);
    if (event.prev_hash !== this.prev) return broken("prev_hash_mismatch", `event ${atSeq} does not link to the event before it (that one was edited and re-hashed, or this one was forged in)`);
    const texts = canonicalEventTexts(parsed);
    if (sha256Hex(texts.withoutHash) !== event.hash) return broken("hash_mismatch", `event ${atSeq} was edited after it was written`);
    // opsgate writes each line as the canonical JSON of its event: any other bytes are an edit,
    // even one that keeps the meaning (spacing, key order, escapes, a duplicated key).
    if (texts.whole !== line) return broken("not_canonical", `line ${atSeq} is not byte-for-byte the event opsgate wrote (re-formatted or hand-edited)`);
    this.prev = event.hash;
    this.count = atSeq;
    this.onEvent?.(event);
    return undefined;
  }

  /** Events verified so far. */
  get events(): number {
    return this.count;
  }

  /** Ends the check at the next line for a reason found outside `push` (a line too long to read). */
  fail(reason: ChainBreakReason, message: string): ChainVerdict {
    this.verdict ??= { ok: false, atSeq: this.count + 1, reason, message, events: this.count };
    return this.verdict;
  }

  finish(): ChainVerdict {
    return this.verdict ?? { ok: true, events: this.count, head: this.prev };
  }
}

/**
 * Recomputes the chain and names the first broken event. `atSeq` is the position (1-based) where
 * the chain stops holding: an edit shows as hash_mismatch there, a deletion, insertion,
 * duplication or reordering as seq_mismatch (or prev_hash_mismatch when the seq numbers were
 * rewritten too).
 */
export function verifyAuditChain(lines: readonly string[], options: { lastLineTerminated?: boolean } = {}): ChainVerdict {
  const verifier = new ChainVerifier();
  for (let i = 0; i < lines.length; i++) {
    const tornLast = i === lines.length - 1 && options.lastLineTerminated === false;
    if (verifier.push(lines[i] ?? "", tornLast)) break;
  }
  return verifier.finish();
}

/** Convenience for a whole log's text. */
export function verifyAuditLogText(text: string): ChainVerdict {
  const { lines, lastLineTerminated } = splitAuditLog(text);
  return verifyAuditChain(lines, { lastLineTerminated });
}

/**
 * Verifies a log file in chunks: memory stays flat however long the log. Throws the fs error of
 * an unreadable file (the caller reports it).
 */
export function verifyAuditLogFile(path: string, onEvent?: (event: AuditEvent) => void): ChainVerdict {
  const verifier = new ChainVerifier(onEvent);
  const fd = openSync(path, "r");
  try {
    const chunk = Buffer.alloc(1 << 20);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      let start = 0;
      for (let nl = chunk.indexOf(0x0a, 0); nl !== -1 && nl < n; nl = chunk.indexOf(0x0a, start)) {
        pending.push(chunk.subarray(start, nl));
        const line = Buffer.concat(pending).toString("utf8");
        pending = [];
        pendingBytes = 0;
        start = nl + 1;
        if (verifier.push(line)) return verifier.finish();
      }
      if (start < n) {
        pendingBytes += n - start;
        if (pendingBytes > MAX_AUDIT_LINE_BYTES) {
          return verifier.fail("malformed_line", `line ${verifier.events + 1} is longer than ${MAX_AUDIT_LINE_BYTES} bytes: not an audit event`);
        }
        pending.push(Buffer.from(chunk.subarray(start, n)));
      }
    }
    if (pendingBytes > 0) verifier.push(Buffer.concat(pending).toString("utf8"), true);
    return verifier.finish();
  } finally {
    closeSync(fd);
  }
}
