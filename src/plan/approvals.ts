import { existsSync, statSync } from "node:fs";
import { readInputFile } from "../io/input.js";
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
  | { kind: "found"; record: ApprovalRecord; folder: ApprovalState; file: string }
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

/** Looks one approval id up in every state folder of `root`. */
export function findApprovalRecord(root: string, approvalId: string): ApprovalLookup {
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
  return only.kind === "record" ? { kind: "found", record: only.record, folder: only.folder, file: only.file } : only;
}

/** Loads the records of `approvalIds` from `root` up front, so validation itself stays pure. */
export function loadApprovalRecords(root: string, approvalIds: Iterable<string>): Map<string, ApprovalLookup> {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new UserError("approvals folder not found", { where: root, hint: "pass --approvals-dir <approvals-root> (the folder holding approved/, pending/, ...)" });
  }
  const records = new Map<string, ApprovalLookup>();
  for (const id of approvalIds) if (!records.has(id)) records.set(id, findApprovalRecord(root, id));
  return records;
}

export function approvalSourceFrom(records: ReadonlyMap<string, ApprovalLookup>): ApprovalSource {
  return (approvalId) => records.get(approvalId) ?? { kind: "missing", notes: [] };
}
