import { closeSync, constants, lstatSync, openSync, realpathSync } from "node:fs";
import { readOpenFileCapped } from "../io/files.js";
import { INPUT_CAPS } from "../io/input.js";
import { join } from "node:path";
import { summaryLine } from "../command.js";
import { UserError } from "../errors.js";
import type { ApprovalRecord } from "../schemas/approval-record.js";
import { findRecordCopies, type RecordFile } from "./layout.js";
import { parseRecordBytes } from "./parse.js";
import { summaryValue } from "./summary.js";

/** Records are small (a 10,000-item record is ~2 MB): anything far larger is not one. */
export const MAX_RECORD_BYTES = INPUT_CAPS["approval record"];

export type LoadedRecord =
  | { kind: "record"; record: ApprovalRecord }
  /** The file is gone but the id lives on in these state folders (another actor moved it). */
  | { kind: "moved"; copies: { state: string; path: string }[] };

function inputError(file: RecordFile, reason: string, message: string, where: string, hint: string): UserError {
  return new UserError(message, {
    where,
    hint,
    summary: summaryLine("APPROVAL_STATE_INVALID", { approval_id: summaryValue(file.fileId), reason }),
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
    bytes = readRegularFile(file);
  } catch (error) {
    if (error instanceof UserError) throw error;
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

/**
 * Reads the record only when it is what opsgate itself writes: a regular file (not a symlink, a
 * FIFO or a device) in a state folder that is a real folder of the approvals root, of sane size.
 * A symlink could smuggle a file from outside the root into the state machine.
 */
function readRegularFile(file: RecordFile): Buffer {
  const stat = lstatSync(file.path);
  if (stat.isSymbolicLink()) {
    throw inputError(file, "unsafe_path", "approval record is a symbolic link; opsgate only acts on regular files inside the approvals root", file.path, "replace the link with the record itself");
  }
  if (stat.isDirectory()) {
    throw inputError(file, "unreadable", "approval record is a folder", file.path, "pass the record file: <approvals-root>/<state>/<approval_id>.json");
  }
  if (!stat.isFile()) throw inputError(file, "unreadable", "approval record is not a regular file", file.path, "pass the record file: <approvals-root>/<state>/<approval_id>.json");
  assertRealStateFolder(file);
  if (stat.size > MAX_RECORD_BYTES) {
    throw inputError(file, "too_large", `approval record is ${stat.size} bytes; records are at most ${MAX_RECORD_BYTES}`, file.path, "this is not an approval record; check the path");
  }
  // Non-blocking and no symlink: a FIFO swapped in after the lstat must not hang the read.
  const fd = openSync(file.path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    // Read at most one byte past the limit: the file may grow between lstat and read.
    const buf = readOpenFileCapped(fd, MAX_RECORD_BYTES + 1);
    if (buf.length > MAX_RECORD_BYTES) throw inputError(file, "too_large", `approval record is larger than ${MAX_RECORD_BYTES} bytes`, file.path, "this is not an approval record; check the path");
    return buf;
  } finally {
    closeSync(fd);
  }
}

/** The record's folder must be `<root>/<folder>` for real: a symlinked state folder is refused. */
export function assertRealStateFolder(file: RecordFile): void {
  let real: string;
  let expected: string;
  try {
    real = realpathSync(join(file.root, file.folder));
    expected = join(realpathSync(file.root), file.folder);
  } catch {
    return; // vanished meanwhile: the read that follows reports it
  }
  if (real !== expected) {
    throw inputError(file, "unsafe_path", `state folder ${file.folder}/ is a symbolic link (to ${real}); opsgate only acts on records inside the approvals root`, join(file.root, file.folder), "make the state folders real folders of the approvals root");
  }
}
