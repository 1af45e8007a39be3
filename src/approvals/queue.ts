import { isoSeconds } from "../clock/timestamps.js";
import { APPROVAL_STATES, type ApprovalRecord, type ApprovalState } from "../schemas/approval-record.js";
import { integrityProblems } from "./integrity.js";
import type { ScannedFile } from "./scan.js";
import { verifyRecord, type RecordVerdict, type Trust } from "./verify.js";

/** The approval queue report `approval_queue_v1` (SPEC §2.3). */
export interface QueueEntry {
  approval_id: string;
  state: ApprovalState;
  folder: string;
  path: string;
  device: { id: number; name: string };
  requested_by: string;
  requested_at: string;
  risk_level: string;
  summary: string;
  age_seconds: number;
  age_days: number;
  decided_by: string | null;
  expires_at: string | null;
  expired: boolean;
  item_count: number;
  /** `signed` (every signature verified), `unsigned` (a legacy record the policy tolerates) or `invalid`. */
  signature_status: "signed" | "unsigned" | "invalid";
  /** Verified principals who approved (the current round). */
  approvers: string[];
}

export interface Inconsistency {
  kind: string;
  approval_id: string | null;
  paths: string[];
  message: string;
}

export interface QueueReport {
  schema_version: "approval_queue_v1";
  generated_at: string;
  state_filter: ApprovalState | null;
  approvals: QueueEntry[];
  inconsistencies: Inconsistency[];
  summary: { record_count: number; by_state: Record<string, number>; expired_count: number; inconsistency_count: number };
}

export interface QueueOptions {
  state?: ApprovalState;
  /** The report's time (SOURCE_DATE_EPOCH honoured): ages are measured to it. */
  generatedAt: Date;
  /** The real clock: expiry is never judged by a pinned time. */
  now: Date;
  /** allowed_signers, policy and audit log: every record's signatures are verified against them. */
  trust?: Trust;
}

function isExpired(record: ApprovalRecord, now: Date): boolean {
  const expiresAt = record.decision?.expires_at;
  return record.state === "approved" && typeof expiresAt === "string" && Date.parse(expiresAt) <= now.getTime();
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Builds the queue from scanned files: pure, so every inconsistency rule is tested without a disk.
 * One pass, each record let go once its entry and problems are taken (100,000 records are not
 * held at once); only the paths per approval id are kept, for duplicate records.
 */
export function buildApprovalQueue(files: Iterable<ScannedFile>, options: QueueOptions): QueueReport {
  const found: Inconsistency[] = [];
  const copies = new Map<string, string[]>();
  const entries: QueueEntry[] = [];
  for (const file of files) {
    const { parse } = file;
    if (parse.kind === "record") {
      const { record } = parse;
      const paths = copies.get(record.approval_id);
      if (paths) paths.push(file.relPath);
      else copies.set(record.approval_id, [file.relPath]);
      entries.push(queueEntry(record, file, options, found));
    } else if (parse.kind === "unreadable" || parse.kind === "malformed") {
      found.push({ kind: "unreadable_file", approval_id: null, paths: [file.relPath], message: parse.message });
    } else if (parse.kind === "unsafe") {
      found.push({ kind: "unsafe_path", approval_id: null, paths: [file.relPath], message: parse.message });
    } else if (parse.kind === "invalid") {
      found.push({ kind: "schema_invalid", approval_id: null, paths: [file.relPath], message: `${parse.path}: ${parse.message}` });
    }
  }
  for (const [id, paths] of copies) {
    if (paths.length > 1) {
      found.push({ kind: "duplicate_record", approval_id: id, paths: paths.sort(byText), message: `${id} exists ${paths.length} times (an interrupted transition or a manual copy)` });
    }
  }
  return finish(entries, found, options);
}

/** A record's queue entry; its problems are added to `found`. */
function queueEntry(record: ApprovalRecord, file: ScannedFile, options: QueueOptions, found: Inconsistency[]): QueueEntry {
  for (const problem of integrityProblems(record, file)) {
    found.push({ kind: problem.code, approval_id: record.approval_id, paths: [file.relPath], message: problem.message });
  }
  if ((record.state === "approved" || record.state === "applied") && record.decision?.action !== "approve") {
    found.push({ kind: "decision_missing", approval_id: record.approval_id, paths: [file.relPath], message: `state is ${record.state} but no approve decision is recorded` });
  }
  const verdict: RecordVerdict | undefined = options.trust ? verifyRecord(record, options.trust) : undefined;
  for (const problem of verdict?.problems ?? []) {
    found.push({ kind: problem.code, approval_id: record.approval_id, paths: [file.relPath], message: problem.message });
  }
  const expired = isExpired(record, options.now);
  if (expired) {
    found.push({ kind: "expired", approval_id: record.approval_id, paths: [file.relPath], message: `approval expired at ${record.decision?.expires_at ?? "?"}` });
  }
  const age = Math.max(0, Math.floor((options.generatedAt.getTime() - Date.parse(record.requested_at)) / 1000));
  return {
    approval_id: record.approval_id,
    state: record.state,
    folder: file.folder,
    path: file.relPath,
    device: record.device,
    requested_by: record.requested_by,
    requested_at: record.requested_at,
    risk_level: record.risk_level,
    summary: record.summary,
    age_seconds: age,
    age_days: Math.floor(age / 86_400),
    decided_by: record.decision?.actor ?? null,
    expires_at: record.decision?.expires_at ?? null,
    expired,
    item_count: record.items.length,
    signature_status: (record.signatures ?? []).length === 0 ? "unsigned" : verdict && verdict.problems.length > 0 ? "invalid" : "signed",
    approvers: verdict?.approvers ?? [],
  };
}

function finish(all: QueueEntry[], allFound: Inconsistency[], options: QueueOptions): QueueReport {
  const state = options.state;
  const entries = state ? all.filter((entry) => entry.state === state) : all;
  // With --state, an inconsistency counts when it touches that state's folder or a listed record.
  const listed = new Set(entries.map((entry) => entry.approval_id));
  const found = state
    ? allFound.filter((item) => (item.approval_id !== null && listed.has(item.approval_id)) || item.paths.some((path) => path.startsWith(`${state}/`)))
    : allFound;
  entries.sort((a, b) => byText(a.approval_id, b.approval_id) || byText(a.path, b.path));
  found.sort((a, b) => byText(a.approval_id ?? "", b.approval_id ?? "") || byText(a.kind, b.kind) || byText(a.paths.join(), b.paths.join()));
  const byState = Object.fromEntries(APPROVAL_STATES.map((s) => [s, entries.filter((entry) => entry.state === s).length]));
  return {
    schema_version: "approval_queue_v1",
    generated_at: isoSeconds(options.generatedAt, 0),
    state_filter: state ?? null,
    approvals: entries,
    inconsistencies: found,
    summary: {
      record_count: entries.length,
      by_state: byState,
      expired_count: entries.filter((entry) => entry.expired).length,
      inconsistency_count: found.length,
    },
  };
}
