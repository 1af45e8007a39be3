import { existsSync } from "node:fs";
import { readInputFile } from "../io/input.js";
import { assertNoKnownSecret, redactValue } from "../guards/secrets.js";
import { appendLineSync } from "../io/files.js";
import { canonicalJson } from "../json/canonical.js";
import type { JsonObject } from "../json/value.js";

/**
 * The batch ledger `<results-dir>/<batch_id>/ledger.jsonl` (SPEC §3.4): one JSON object per line,
 * appended and fsynced before the next step, written only by the process holding the batch lock.
 * An intent line is on disk before its request is sent, so after a crash the ledger names every
 * request that may have reached NetBox; `--recover` and `not_already_applied` read nothing else.
 */
export type RunMode = "real" | "simulate" | "recover";
export type RunOutcome = "applied" | "rolled_back" | "rollback_incomplete" | "recovered";
export type Phase = "write" | "rollback" | "recover";

export interface CreatedRef {
  item_id: string;
  object_type: string;
  id: number;
}

export type LedgerLine =
  | { kind: "run_start"; run_id: string; mode: RunMode; batch_id: string; plan_sha256: string; operator: string; netbox_url: string | null; at: string }
  | {
      kind: "intent";
      run_id: string;
      seq: number;
      phase: Phase;
      method: string;
      path: string;
      object_type: string;
      item_ids: string[];
      /** Ids a DELETE targets. */
      object_ids: number[];
      /** A write's settle fence: unanswered, it may still commit in NetBox until then (ISO, ms). */
      settle_after?: string;
      at: string;
    }
  | {
      kind: "outcome";
      run_id: string;
      seq: number;
      /** ok: answered 2xx; failed: answered 4xx (NetBox changed nothing); unknown: no usable answer. */
      result: "ok" | "failed" | "unknown";
      status: number | null;
      request_id: string | null;
      /** NetBox itself answered (API-Version): the request is over and cannot commit later. */
      netbox_answered?: boolean;
      created: CreatedRef[];
      error: string | null;
      at: string;
    }
  | {
      kind: "resolution";
      run_id: string;
      seq: number;
      /** How an unknown outcome was settled: natural-key look-ups and/or created_by_request. */
      method: string;
      created: CreatedRef[];
      /** Objects found under an item's natural key that do not match its payload: not ours to judge. */
      conflicts: CreatedRef[];
      at: string;
    }
  | { kind: "verify"; run_id: string; status: "passed" | "failed"; mismatches: number; at: string }
  | { kind: "rollback_start"; run_id: string; reason: string; at: string }
  | { kind: "remaining"; run_id: string; objects: CreatedRef[]; at: string }
  | { kind: "run_end"; run_id: string; outcome: RunOutcome; created: CreatedRef[]; remaining: CreatedRef[]; at: string };

export class LedgerWriter {
  constructor(
    readonly path: string,
    private readonly secrets: string[],
  ) {}

  /** Appends one line (redacted, refused if a token survived), fsynced before returning. */
  append(line: LedgerLine): void {
    const safe = redactValue(line as unknown as JsonObject, this.secrets);
    const text = canonicalJson(safe);
    assertNoKnownSecret(text, "a ledger line", this.secrets);
    appendLineSync(this.path, text);
  }
}

/** Every complete line of a ledger; a torn last line (kill -9 mid-append) was never acted on. */
export function readLedger(path: string): LedgerLine[] {
  if (!existsSync(path)) return [];
  const lines: LedgerLine[] = [];
  for (const text of readInputFile(path, "ledger").toString("utf8").split("\n")) {
    if (text.trim() === "") continue;
    try {
      const value = JSON.parse(text) as LedgerLine;
      if (value && typeof value === "object" && typeof value.kind === "string") lines.push(value);
    } catch {
      // Only the last line can be torn (lines are appended whole and fsynced one by one).
    }
  }
  return lines;
}

export interface RunView {
  runId: string;
  mode: RunMode;
  planSha256: string;
  lines: LedgerLine[];
  outcome: RunOutcome | undefined;
}

export interface LedgerState {
  runs: RunView[];
  /** A real run ended `applied`. */
  applied: RunView | undefined;
  /**
   * Real runs that may have left objects in NetBox and that no recovery has closed since: no
   * run_end (crash, kill -9) or `rollback_incomplete`.
   */
  unresolved: RunView[];
  /** The next run number (`run-<n>`, deterministic so reports are reproducible). */
  nextRunNumber: number;
}

export function ledgerState(lines: readonly LedgerLine[]): LedgerState {
  const runs: RunView[] = [];
  const byId = new Map<string, RunView>();
  for (const line of lines) {
    if (line.kind === "run_start") {
      const run: RunView = { runId: line.run_id, mode: line.mode, planSha256: line.plan_sha256, lines: [line], outcome: undefined };
      runs.push(run);
      byId.set(line.run_id, run);
      continue;
    }
    const run = byId.get(line.run_id);
    if (!run) continue;
    run.lines.push(line);
    if (line.kind === "run_end") run.outcome = line.outcome;
  }
  let unresolved: RunView[] = [];
  let applied: RunView | undefined;
  for (const run of runs) {
    if (run.mode === "recover") {
      // A completed recovery closes every run before it; an incomplete one leaves them (and itself) open.
      if (run.outcome === "recovered") unresolved = [];
      else unresolved.push(run);
      continue;
    }
    if (run.outcome === "applied") applied = run;
    if (run.outcome === undefined || run.outcome === "rollback_incomplete") unresolved.push(run);
  }
  return { runs, applied, unresolved, nextRunNumber: runs.length + 1 };
}
