import { existsSync, readFileSync, statSync } from "node:fs";
import { APPROVAL_STATES, ApprovalRecordSchema, type ApprovalRecord, type ApprovalState } from "../../schemas/approval-record.js";
import { formatJsonPath } from "../../schemas/findings.js";
import { isSafeId, resolveInside } from "../../guards/paths.js";
import { parseJson } from "../../json/read.js";
import { UserError } from "../../errors.js";

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

function readCandidate(path: string, file: string, folder: ApprovalState): Candidate | string {
  let value: unknown;
  try {
    value = parseJson(readFileSync(path));
  } catch (error) {
    return { kind: "invalid", file, message: `${file} cannot be read as JSON (${error instanceof Error ? error.message : "error"})` };
  }
  const schemaVersion = typeof value === "object" && value !== null && !Array.isArray(value) ? (value as { schema_version?: unknown }).schema_version : undefined;
  if (schemaVersion !== "approval_record_v1") return `${file} is not an approval_record_v1 document`;
  const parsed = ApprovalRecordSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? formatJsonPath(first.path) : "";
    return { kind: "invalid", file, message: `${file} is not a valid approval_record_v1${first ? `: ${where ? `${where}: ` : ""}${first.message}` : ""}` };
  }
  return { kind: "record", record: parsed.data, folder, file };
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
