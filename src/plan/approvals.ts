import { existsSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { readInputFile } from "../io/input.js";
import { loadTrust } from "../approvals/trust.js";
import { verifyRecord, type RecordVerdict, type Trust } from "../approvals/verify.js";
import { APPROVAL_STATES, type ApprovalRecord, type ApprovalState } from "../schemas/approval-record.js";
import { parseRecordBytes } from "../approvals/parse.js";
import { isSafeId, resolveInside } from "../guards/paths.js";
import { UserError } from "../errors.js";

/**
 * Approval records for validate-batch-plan (and apply-batch): the record of an approval id is the
 * file `<approvals-root>/<state>/<approval_id>.json` in whichever state folder holds it. A state
 * folder may hold other files too; only `approval_record_v1` documents are records (SPEC §3.2).
 */
export type ApprovalLookup =
  | { kind: "found"; record: ApprovalRecord; folder: ApprovalState; file: string; verdict?: RecordVerdict }
  | { kind: "missing"; notes: string[] }
  | { kind: "invalid"; file: string; message: string }
  | { kind: "ambiguous"; files: string[] };

/** Finds the record of one approval id (pure callers pass a Map-backed function). */
export type ApprovalSource = (approvalId: string) => ApprovalLookup;

type Candidate = { kind: "record"; record: ApprovalRecord; folder: ApprovalState; file: string } | { kind: "invalid"; file: string; message: string };

/** One file in a state folder, classified by the approvals library (the same reader manage-approval-state uses). */
function readCandidate(path: string, file: string, folder: ApprovalState): Candidate | string {
  let bytes: Buffer;
  try {
    bytes = readInputFile(path, "approval record");
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { kind: "invalid", file, message: `${file} cannot be read: ${error.message}` };
  }
  const parsed = parseRecordBytes(bytes);
  switch (parsed.kind) {
    case "malformed":
      return { kind: "invalid", file, message: `${file} cannot be read as JSON (${parsed.message})` };
    case "other":
      return `${file} is not an approval_record_v1 document`;
    case "invalid":
      return { kind: "invalid", file, message: `${file} is not a valid approval_record_v1: ${parsed.path}: ${parsed.message}` };
    case "record":
      return { kind: "record", record: parsed.record, folder, file };
  }
}

/** The nearest ancestor folder of the plan named `approvals` (SPEC §2.4): validate and apply agree. */
export function defaultApprovalsDir(planPath: string): string | undefined {
  for (let dir = dirname(resolve(planPath)); ; dir = dirname(dir)) {
    if (basename(dir) === "approvals" && statSync(dir).isDirectory()) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Looks one approval id up in every state folder of `root`; with `trust`, a record found is
 * verified too (signatures, allowed_signers, policy, audit anchors).
 */
export function findApprovalRecord(root: string, approvalId: string, trust?: Trust): ApprovalLookup {
  if (!isSafeId(approvalId)) return { kind: "missing", notes: ["the approval_id is not a valid id, so no file is looked up"] };
  const candidates: Candidate[] = [];
  const notes: string[] = [];
  for (const state of APPROVAL_STATES) {
    const file = `${state}/${approvalId}.json`;
    const path = resolveInside(root, state, `${approvalId}.json`);
    if (!existsSync(path)) continue;
    const candidate = readCandidate(path, file, state);
    if (typeof candidate === "string") notes.push(candidate);
    else candidates.push(candidate);
  }
  const [only] = candidates;
  if (!only) return { kind: "missing", notes };
  if (candidates.length > 1) return { kind: "ambiguous", files: candidates.map((c) => c.file) };
  if (only.kind !== "record") return only;
  return { kind: "found", record: only.record, folder: only.folder, file: only.file, ...(trust ? { verdict: verifyRecord(only.record, trust) } : {}) };
}

/** Loads the records of `approvalIds` from `root` up front, so validation itself stays pure. */
export function loadApprovalRecords(root: string, approvalIds: Iterable<string>, auditLog?: string): Map<string, ApprovalLookup> {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new UserError("approvals folder not found", { where: root, hint: "pass --approvals-dir <approvals-root> (the folder holding approved/, pending/, ...)" });
  }
  const trust = loadTrust(root, auditLog === undefined ? {} : { auditLog });
  const records = new Map<string, ApprovalLookup>();
  for (const id of approvalIds) if (!records.has(id)) records.set(id, findApprovalRecord(root, id, trust));
  return records;
}

/**
 * For apply-batch's hold: reads one record again and says what, if anything, keeps it from being
 * applied now (not approved any more, a signature problem, expired).
 */
export function approvalRechecker(root: string, auditLog?: string): (approvalId: string, now: Date) => string | undefined {
  const trust = loadTrust(root, auditLog === undefined ? {} : { auditLog });
  return (approvalId, now) => {
    const lookup = findApprovalRecord(root, approvalId, trust);
    if (lookup.kind !== "found") return `approval ${approvalId} is no longer a single readable record (${lookup.kind})`;
    if (lookup.folder !== "approved" || lookup.record.state !== "approved") return `approval ${approvalId} is ${lookup.record.state} now (${lookup.file})`;
    const problem = lookup.verdict?.problems[0];
    if (problem) return `approval ${approvalId}: ${problem.message} (${problem.code})`;
    const expiresAt = lookup.record.decision?.expires_at;
    if (!expiresAt || !(Date.parse(expiresAt) > now.getTime())) return `approval ${approvalId} expired at ${expiresAt ?? "(no expiry)"}`;
    return undefined;
  };
}

export function approvalSourceFrom(records: ReadonlyMap<string, ApprovalLookup>): ApprovalSource {
  return (approvalId) => records.get(approvalId) ?? { kind: "missing", notes: [] };
}
