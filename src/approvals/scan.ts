import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { APPROVAL_STATES } from "../schemas/approval-record.js";
import { parseRecordBytes, type RecordParse } from "./parse.js";

export interface ScannedFile {
  /** `<state>/<file>.json`, relative to the approvals root (stable across machines). */
  relPath: string;
  folder: string;
  fileName: string;
  parse: RecordParse | { kind: "unreadable"; message: string };
}

function listJsonFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => !entry.isDirectory() && entry.name.endsWith(".json") && !entry.name.startsWith("."))
      .map((entry) => entry.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** Reads every `*.json` in the six state folders (dot files are opsgate's temp files: skipped). */
export function scanApprovalsRoot(root: string): ScannedFile[] {
  const files: ScannedFile[] = [];
  for (const folder of APPROVAL_STATES) {
    for (const fileName of listJsonFiles(join(root, folder))) {
      let parse: ScannedFile["parse"];
      try {
        parse = parseRecordBytes(readFileSync(join(root, folder, fileName)));
      } catch (error) {
        parse = { kind: "unreadable", message: `cannot read (${(error as NodeJS.ErrnoException).code ?? "error"})` };
      }
      files.push({ relPath: `${folder}/${fileName}`, folder, fileName, parse });
    }
  }
  return files;
}
