import { existsSync } from "node:fs";
import { join } from "node:path";
import { isSafeId } from "../../guards/paths.js";
import { ledgerState, type CreatedRef, type LedgerLine, type RunView } from "../../apply/ledger.js";
import { isJsonObject, type JsonObject } from "../../json/value.js";
import { redactValue } from "../../guards/secrets.js";
import { isRealDir, listDir, readFileSafely, readJsonSafely } from "./files.js";

/**
 * A batch as the results folder holds it (SPEC §3.4): `<results>/<batch_id>/ledger.jsonl` (real and
 * recover runs), `simulate/ledger.jsonl`, dry-run records `dry-run-<sha>.json` and run reports
 * `apply-<run>.json`. Read-only: the ledger is interpreted with apply-batch's own `ledgerState`.
 */
export interface RequestStep {
  seq: number;
  phase: string;
  method: string;
  path: string;
  objectType: string;
  itemIds: string[];
  objectIds: number[];
  result: string;
  status: number | null;
  created: CreatedRef[];
  error: string | null;
}

export interface RunInfo {
  batchId: string;
  runId: string;
  ledger: "real" | "simulate";
  mode: string;
  /** applied, rolled_back, rollback_incomplete, recovered, or `interrupted` (no run_end). */
  outcome: string;
  operator: string;
  startedAt: string;
  endedAt: string | null;
  netboxUrl: string | null;
  planSha256: string;
  requests: RequestStep[];
  created: CreatedRef[];
  remaining: CreatedRef[];
  verify: string | null;
  unresolved: boolean;
  /** The run's report, when apply-batch wrote one (relative to the results root). */
  report: { rel: string; doc: JsonObject } | undefined;
}

export interface DryRunInfo {
  rel: string;
  doc: JsonObject;
  usedBy: string | null;
}

export interface BatchInfo {
  batchId: string;
  device: { id: number; name: string } | null;
  runs: RunInfo[];
  dryRuns: DryRunInfo[];
  otherReports: { rel: string; doc: JsonObject }[];
  /** Objects an unresolved real run may have left in NetBox (what --recover would delete). */
  leftForRecover: CreatedRef[];
  needsRecover: boolean;
  /** Write requests of those runs whose answer never came: they may have created objects too. */
  unsettled: RequestStep[];
  /** The ledgers on disk, relative to the results root. */
  ledgers: string[];
  problems: { path: string; message: string }[];
}

export interface BatchesData {
  configured: boolean;
  problem: string | undefined;
  batches: BatchInfo[];
}

const MAX_LEDGER_BYTES = 64 * 1024 * 1024;

function parseLedgerLines(text: string): { lines: LedgerLine[]; bad: number } {
  const lines: LedgerLine[] = [];
  let bad = 0;
  for (const raw of text.split("\n")) {
    if (raw.trim() === "") continue;
    try {
      const value = JSON.parse(raw) as unknown;
      if (isJsonObject(value) && typeof value.kind === "string" && typeof value.run_id === "string") lines.push(redactValue(value) as unknown as LedgerLine);
      else bad++;
    } catch {
      bad++;
    }
  }
  return { lines, bad };
}

function stepsOf(run: RunView): RequestStep[] {
  const steps = new Map<number, RequestStep>();
  for (const line of run.lines) {
    if (line.kind === "intent") {
      steps.set(line.seq, {
        seq: line.seq,
        phase: line.phase,
        method: line.method,
        path: line.path,
        objectType: line.object_type,
        itemIds: line.item_ids ?? [],
        objectIds: line.object_ids ?? [],
        result: "unknown",
        status: null,
        created: [],
        error: null,
      });
    } else if (line.kind === "outcome") {
      const step = steps.get(line.seq);
      if (step) Object.assign(step, { result: line.result, status: line.status, created: line.created ?? [], error: line.error });
    } else if (line.kind === "resolution") {
      const step = steps.get(line.seq);
      if (step) step.created = [...step.created, ...(line.created ?? [])];
    }
  }
  return [...steps.values()].sort((a, b) => a.seq - b.seq);
}

const refKey = (ref: CreatedRef): string => `${ref.object_type}#${ref.id}`;

/** What a run created and has not deleted since (from its own steps). */
function stillThere(steps: readonly RequestStep[]): CreatedRef[] {
  const deleted = new Set<string>();
  for (const step of steps) if (step.method === "DELETE" && step.result === "ok") for (const id of step.objectIds) deleted.add(`${step.objectType}#${id}`);
  const out = new Map<string, CreatedRef>();
  for (const step of steps) for (const ref of step.created) if (!deleted.has(refKey(ref))) out.set(refKey(ref), ref);
  return [...out.values()];
}

function runsOf(batchId: string, ledger: "real" | "simulate", lines: LedgerLine[]): { runs: RunInfo[]; unresolved: Set<string> } {
  const state = ledgerState(lines);
  const unresolved = new Set(state.unresolved.map((run) => run.runId));
  const runs = state.runs.map((run): RunInfo => {
    const start = run.lines.find((line) => line.kind === "run_start");
    const end = run.lines.find((line) => line.kind === "run_end");
    const verify = run.lines.find((line) => line.kind === "verify");
    const requests = stepsOf(run);
    return {
      batchId,
      runId: run.runId,
      ledger,
      mode: run.mode,
      outcome: run.outcome ?? "interrupted",
      operator: start?.kind === "run_start" ? start.operator : "",
      startedAt: start?.kind === "run_start" ? start.at : "",
      endedAt: end?.at ?? null,
      netboxUrl: start?.kind === "run_start" ? start.netbox_url : null,
      planSha256: run.planSha256,
      requests,
      created: end?.kind === "run_end" ? end.created : stillThere(requests),
      remaining: end?.kind === "run_end" ? end.remaining : stillThere(requests),
      verify: verify?.kind === "verify" ? verify.status : null,
      unresolved: unresolved.has(run.runId),
      report: undefined,
    };
  });
  return { runs, unresolved };
}

function readLedgerAt(path: string, rel: string, problems: BatchInfo["problems"]): LedgerLine[] {
  const bytes = readFileSafely(path, MAX_LEDGER_BYTES);
  if (!bytes.ok) {
    if (!bytes.problem.includes("ENOENT")) problems.push({ path: rel, message: bytes.problem });
    return [];
  }
  const { lines, bad } = parseLedgerLines(bytes.value.toString("utf8"));
  if (bad > 0) problems.push({ path: rel, message: `${bad} line(s) are not ledger lines (a torn last line is expected after a crash)` });
  return lines;
}

function deviceOf(doc: JsonObject): BatchInfo["device"] {
  const device = doc.device;
  if (!isJsonObject(device)) return null;
  const id = typeof device.id === "number" ? device.id : typeof device.id === "bigint" ? Number(device.id) : NaN;
  return typeof device.name === "string" && Number.isFinite(id) ? { id, name: device.name } : null;
}

function loadBatch(root: string, batchId: string): BatchInfo {
  const dir = join(root, batchId);
  const problems: BatchInfo["problems"] = [];
  const real = runsOf(batchId, "real", readLedgerAt(join(dir, "ledger.jsonl"), `${batchId}/ledger.jsonl`, problems));
  const sim = isRealDir(join(dir, "simulate"))
    ? runsOf(batchId, "simulate", readLedgerAt(join(dir, "simulate", "ledger.jsonl"), `${batchId}/simulate/ledger.jsonl`, problems))
    : { runs: [], unresolved: new Set<string>() };
  const runs = [...real.runs, ...sim.runs];
  const dryRuns: DryRunInfo[] = [];
  const otherReports: BatchInfo["otherReports"] = [];
  let device: BatchInfo["device"] = null;
  for (const [sub, ledger] of [["", "real"], ["simulate", "simulate"]] as const) {
    for (const entry of listDir(sub ? join(dir, sub) : dir)) {
      if (!entry.name.endsWith(".json")) continue;
      const rel = [batchId, sub, entry.name].filter(Boolean).join("/");
      if (entry.kind !== "file") {
        problems.push({ path: rel, message: entry.kind === "link" ? "a symbolic link (not followed)" : "not a regular file" });
        continue;
      }
      const read = readJsonSafely(entry.path);
      if (!read.ok || !isJsonObject(read.value)) {
        problems.push({ path: rel, message: read.ok ? "not a JSON object" : read.problem });
        continue;
      }
      const doc = read.value;
      device ??= deviceOf(doc);
      const used = /^dry-run-[0-9a-f]+\.used-by-(.+)\.json$/.exec(entry.name);
      if (doc.schema_version === "batch_apply_report_v1" && doc.mode === "dry_run") {
        dryRuns.push({ rel, doc, usedBy: used?.[1] ?? null });
        continue;
      }
      const run = typeof doc.run_id === "string" ? runs.find((r) => r.runId === doc.run_id && r.ledger === ledger) : undefined;
      if (run && doc.schema_version === "batch_apply_report_v1") run.report = { rel, doc };
      else otherReports.push({ rel, doc });
    }
  }
  // Only real-ledger runs can hold NetBox hostage; a rehearsal's leftovers live in a simulator.
  const open = real.runs.filter((run) => real.unresolved.has(run.runId));
  const left = new Map<string, CreatedRef>();
  for (const run of open) for (const ref of run.remaining) left.set(refKey(ref), ref);
  const ledgers = [`${batchId}/ledger.jsonl`, `${batchId}/simulate/ledger.jsonl`].filter((rel) => existsSync(join(root, rel)));
  const unsettled = open.flatMap((run) => run.requests.filter((step) => step.method === "POST" && step.result === "unknown"));
  return { batchId, device, runs, dryRuns, otherReports, leftForRecover: [...left.values()], needsRecover: open.length > 0, unsettled, ledgers, problems };
}

export function loadBatches(root: string | undefined): BatchesData {
  if (root === undefined) return { configured: false, problem: undefined, batches: [] };
  if (!isRealDir(root)) return { configured: true, problem: "the results folder is missing or not a folder", batches: [] };
  const batches: BatchInfo[] = [];
  for (const entry of listDir(root)) {
    if (entry.kind !== "dir" || !isSafeId(entry.name)) continue;
    batches.push(loadBatch(root, entry.name));
  }
  return { configured: true, problem: undefined, batches };
}

/** Every run of every batch, newest first (the dashboard's "latest runs" and the CSV export). */
export function allRuns(data: BatchesData): RunInfo[] {
  return data.batches.flatMap((batch) => batch.runs).sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : a.runId < b.runId ? 1 : -1));
}
