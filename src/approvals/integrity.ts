import { canonicalSha256 } from "../json/canonical.js";
import type { ApprovalRecord } from "../schemas/approval-record.js";
import type { Refusal } from "./refusal.js";

/** SHA-256 of the canonical JSON of a record's `items` (SPEC §3.2). */
export function subjectSha256(items: ApprovalRecord["items"]): string {
  return canonicalSha256(items);
}

export interface RecordLocation {
  /** The state folder the file sits in (its parent folder's name). */
  folder: string;
  /** The file's name, e.g. approval-0007.json. */
  fileName: string;
}

/**
 * What makes a record untrustworthy where it lies: a folder that disagrees with its state, a file
 * name that disagrees with its id, or a subject that no longer matches what was approved.
 */
export function integrityProblems(record: ApprovalRecord, at: RecordLocation): Refusal[] {
  const problems: Refusal[] = [];
  if (at.fileName !== `${record.approval_id}.json`) {
    problems.push({
      code: "file_name_mismatch",
      message: `file name ${JSON.stringify(at.fileName)} does not match approval_id ${JSON.stringify(record.approval_id)}`,
      hint: `the record must be stored as <approvals-root>/${record.state}/${record.approval_id}.json`,
    });
  }
  if (at.folder !== record.state) {
    problems.push({
      code: "state_folder_mismatch",
      message: `record is in folder ${JSON.stringify(at.folder)} but its state is ${JSON.stringify(record.state)}`,
      hint: "records move between folders only through opsgate; find out who moved or edited it",
    });
  }
  const actual = subjectSha256(record.items);
  if (actual !== record.subject_sha256) {
    problems.push({
      code: "subject_tampered",
      message: `subject_sha256 does not match the record's items (items hash to ${actual})`,
      hint: "the items were changed after the record was created; create a new approval record instead",
    });
  } else if (record.decision && record.decision.subject_sha256 !== record.subject_sha256) {
    problems.push({
      code: "subject_tampered",
      message: "the decision was made on a different subject_sha256 than the record now carries",
      hint: "the items were changed after the decision; create a new approval record instead",
    });
  }
  return problems;
}
