import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { JsonSyntaxError, parseJson } from "../../json/read.js";
import type { JsonValue } from "../../json/value.js";
import { readOpenFileCapped } from "../../io/files.js";
import { redactValue } from "../../guards/secrets.js";

/**
 * The dashboard reads files other people (and other processes) write, at every request: a file
 * may be missing, huge, a FIFO, a symlink out of its folder, not JSON, or half written. Every read
 * here answers a value or a problem, never an exception, so one bad file never takes a page down.
 */
export const MAX_DOCUMENT_BYTES = 32 * 1024 * 1024;

export type Read<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Bytes of a regular file (symlinks not followed, special files refused, size capped). */
export function readFileSafely(path: string, cap = MAX_DOCUMENT_BYTES): Read<Buffer> {
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return { ok: false, problem: "a symbolic link (not followed)" };
    if (!stat.isFile()) return { ok: false, problem: "not a regular file" };
    if (stat.size > cap) return { ok: false, problem: `${stat.size} bytes: larger than the ${cap}-byte cap` };
    // O_NOFOLLOW|O_NONBLOCK: a file swapped for a symlink or a FIFO between lstat and open is not read.
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      if (!fstatSync(fd).isFile()) return { ok: false, problem: "not a regular file" };
      const bytes = readOpenFileCapped(fd, cap + 1);
      if (bytes.length > cap) return { ok: false, problem: `larger than the ${cap}-byte cap` };
      return { ok: true, value: bytes };
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    return { ok: false, problem: `cannot read (${(error as NodeJS.ErrnoException).code ?? "error"})` };
  }
}

/** A JSON document through the project's reader, redacted before anything renders it. */
export function readJsonSafely(path: string, cap = MAX_DOCUMENT_BYTES): Read<JsonValue> {
  const bytes = readFileSafely(path, cap);
  if (!bytes.ok) return bytes;
  try {
    return { ok: true, value: redactValue(parseJson(bytes.value)) };
  } catch (error) {
    if (error instanceof JsonSyntaxError || error instanceof RangeError) return { ok: false, problem: `not JSON: ${error.message}` };
    return { ok: false, problem: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export interface DirEntry {
  name: string;
  path: string;
  kind: "file" | "dir" | "link" | "other";
}

/** A folder's entries, sorted, dot files skipped; a missing folder is empty. */
export function listDir(dir: string): DirEntry[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => !entry.name.startsWith("."))
      .map((entry) => ({
        name: entry.name,
        path: join(dir, entry.name),
        kind: entry.isSymbolicLink() ? ("link" as const) : entry.isDirectory() ? ("dir" as const) : entry.isFile() ? ("file" as const) : ("other" as const),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

/** True when `path` is a real folder (not a symlink to one). */
export function isRealDir(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
