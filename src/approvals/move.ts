import { existsSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { fsyncDir, writeTextAtomic } from "../io/files.js";
import { pyJsonStringify } from "../json/python.js";
import { assertNoKnownSecret } from "../guards/secrets.js";
import type { ApprovalRecord } from "../schemas/approval-record.js";
import { recordPathIn } from "./layout.js";

/** The record as opsgate writes it: the deterministic report writer plus a trailing newline. */
export function recordText(record: ApprovalRecord): string {
  return `${pyJsonStringify(record)}\n`;
}

/**
 * Moves a record to the folder of its (new) state. The new file is complete and durable (temp,
 * fsync, rename) before the old one is removed, so a kill at any point leaves either the old
 * file, or both (a duplicate `findRecordCopies` reports), never neither and never a torn one.
 */
export function moveRecord(root: string, fromPath: string, record: ApprovalRecord): string {
  const target = recordPathIn(root, record.state, record.approval_id);
  if (target !== fromPath && existsSync(target)) {
    throw new Error(`refusing to overwrite ${target}`);
  }
  const text = recordText(record);
  assertNoKnownSecret(text, "the approval record");
  writeTextAtomic(target, text);
  if (target !== fromPath) {
    rmSync(fromPath, { force: true });
    fsyncDir(dirname(fromPath));
  }
  return target;
}
