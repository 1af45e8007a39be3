import { readFileSync } from "node:fs";
import { summaryLine } from "../command.js";
import { UserError } from "../errors.js";
import type { ApprovalRecord } from "../schemas/approval-record.js";
import { findRecordCopies, type RecordFile } from "./layout.js";
import { parseRecordBytes } from "./parse.js";

export type LoadedRecord =
  | { kind: "record"; record: ApprovalRecord }
  /** The file is gone but the id lives on in these state folders (another actor moved it). */
  | { kind: "moved"; copies: { state: string; path: string }[] };

function inputError(file: RecordFile, reason: string, message: string, where: string, hint: string): UserError {
  return new UserError(message, {
    where,
    hint,
    summary: summaryLine("APPROVAL_STATE_INVALID", { approval_id: file.fileId, reason }),
  });
}

/**
 * Reads one record for a transition. Unreadable, malformed or schema-violating files are input
 * errors (exit 2, naming the file and the JSON path); a file moved away meanwhile is reported as
 * such so the caller can refuse cleanly.
 */
export function loadRecordForTransition(file: RecordFile): LoadedRecord {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      const copies = findRecordCopies(file.root, file.fileId);
      if (copies.length > 0) return { kind: "moved", copies };
      throw inputError(file, "not_found", "approval record not found", file.path, "pass the record's current path: <approvals-root>/<state>/<approval_id>.json");
    }
    const what = code === "EISDIR" ? "approval record is a folder" : `cannot read the approval record (${code ?? "error"})`;
    throw inputError(file, "unreadable", what, file.path, "check the path and its permissions");
  }
  const parsed = parseRecordBytes(bytes);
  switch (parsed.kind) {
    case "record":
      return parsed;
    case "malformed":
      throw inputError(file, "malformed_json", parsed.message, file.path, "fix the JSON or restore the record from version control");
    case "other":
      throw inputError(
        file,
        "not_a_record",
        `not an approval record (schema_version is ${parsed.schemaVersion === undefined ? "missing" : JSON.stringify(parsed.schemaVersion)})`,
        `${file.path}: schema_version`,
        "pass a file whose schema_version is approval_record_v1",
      );
    case "invalid":
      throw inputError(file, "schema_invalid", `invalid approval record: ${parsed.message}`, `${file.path}: ${parsed.path}`, "the record format is approval_record_v1 (docs/approvals.md)");
  }
}
