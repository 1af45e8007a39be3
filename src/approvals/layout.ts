import { existsSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { assertSafeId, isSafeId, resolveInside } from "../guards/paths.js";
import { APPROVAL_STATES, type ApprovalState } from "../schemas/approval-record.js";
import type { RecordLocation } from "./integrity.js";

/**
 * The folder layout of SPEC §3.2: `<approvals-root>/<state>/<approval_id>.json`, the audit log at
 * `<approvals-root>/audit.jsonl`, and per-record locks in `<approvals-root>/.locks/`.
 */
export interface RecordFile extends RecordLocation {
  /** Absolute path of the file. */
  path: string;
  /** The parent of the state folder. */
  root: string;
  /** The id the file name claims (file name without .json). */
  fileId: string;
}

export function recordFileAt(path: string): RecordFile {
  const abs = resolve(path);
  const fileName = basename(abs);
  return {
    path: abs,
    fileName,
    folder: basename(dirname(abs)),
    root: dirname(dirname(abs)),
    fileId: fileName.endsWith(".json") ? fileName.slice(0, -".json".length) : fileName,
  };
}

export function defaultAuditLog(root: string): string {
  return join(root, "audit.jsonl");
}

/** Where a record with this id and state belongs; refuses ids that could leave the root. */
export function recordPathIn(root: string, state: ApprovalState, approvalId: string): string {
  return resolveInside(root, state, `${assertSafeId(approvalId, "approval_id")}.json`);
}

export function recordLockPath(root: string, approvalId: string): string {
  return resolveInside(root, ".locks", `${assertSafeId(approvalId, "approval_id")}.lock`);
}

/** Every state folder holding a file named `<id>.json`: more than one is a crash's duplicate. */
export function findRecordCopies(root: string, approvalId: string): { state: ApprovalState; path: string }[] {
  if (!isSafeId(approvalId)) return [];
  return APPROVAL_STATES.map((state) => ({ state, path: join(root, state, `${approvalId}.json`) })).filter((copy) => existsSync(copy.path));
}
