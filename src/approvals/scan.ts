import { closeSync, constants, lstatSync, openSync, readdirSync } from "node:fs";
import { readOpenFileCapped } from "../io/files.js";
import { join } from "node:path";
import { APPROVAL_STATES } from "../schemas/approval-record.js";
import { MAX_RECORD_BYTES } from "./load.js";
import { parseRecordBytes, type RecordParse } from "./parse.js";

export interface ScannedFile {
  /** `<state>/<file>.json`, relative to the approvals root (stable across machines). */
  relPath: string;
  folder: string;
  fileName: string;
  parse: RecordParse | { kind: "unreadable"; message: string } | { kind: "unsafe"; message: string };
}

function listJsonFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      // A folder named like a record is listed (and reported unreadable), not skipped.
      .filter((entry) => entry.name.endsWith(".json") && !entry.name.startsWith("."))
      .map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return [];
    throw error;
  }
}

/** Reads a file only if it is a regular file of sane size; symlinks are never followed. */
function readEntry(path: string): ScannedFile["parse"] {
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return { kind: "unsafe", message: "a symbolic link (not followed: records are regular files inside the approvals root)" };
    if (!stat.isFile()) return { kind: "unreadable", message: "not a regular file" };
    if (stat.size > MAX_RECORD_BYTES) return { kind: "unreadable", message: `${stat.size} bytes: larger than any record (${MAX_RECORD_BYTES})` };
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    try {
      return parseRecordBytes(readOpenFileCapped(fd, MAX_RECORD_BYTES));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return { kind: "unreadable", message: `cannot read (${(error as NodeJS.ErrnoException).code ?? "error"})` };
  }
}

/**
 * Reads every `*.json` in the six state folders (dot files are opsgate's temp files: skipped), one
 * file at a time as the caller asks for it. A state folder that is a symbolic link is reported,
 * not followed.
 */
export function* scanApprovalsRoot(root: string): Generator<ScannedFile> {
  for (const folder of APPROVAL_STATES) {
    const dir = join(root, folder);
    let isLink = false;
    try {
      isLink = lstatSync(dir).isSymbolicLink();
    } catch {
      isLink = false;
    }
    if (isLink) {
      yield { relPath: `${folder}/`, folder, fileName: "", parse: { kind: "unsafe", message: "the state folder is a symbolic link (not followed)" } };
      continue;
    }
    for (const fileName of listJsonFiles(dir)) {
      yield { relPath: `${folder}/${fileName}`, folder, fileName, parse: readEntry(join(dir, fileName)) };
    }
  }
}
