import { closeSync, fstatSync, openSync, readSync } from "node:fs";

const CHUNK = 64 * 1024;

export interface LogTail {
  /** The last complete line (without "\n"), or undefined for an empty or missing log. */
  lastLine: string | undefined;
  /** False when the file does not end with "\n" (a torn append or a hand edit). */
  terminated: boolean;
}

/** Reads only the end of an append-only log: appends stay O(1) however long the log grows. */
export function readLogTail(path: string): LogTail {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { lastLine: undefined, terminated: true };
    throw error;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return { lastLine: undefined, terminated: true };
    let start = size;
    let buf = Buffer.alloc(0);
    for (;;) {
      const next = Math.max(0, start - CHUNK);
      const chunk = Buffer.alloc(start - next);
      readSync(fd, chunk, 0, chunk.length, next);
      buf = Buffer.concat([chunk, buf]);
      start = next;
      const terminated = buf[buf.length - 1] === 0x0a;
      const body = terminated ? buf.subarray(0, buf.length - 1) : buf;
      const cut = body.lastIndexOf(0x0a);
      if (cut >= 0 || start === 0) {
        return { lastLine: body.subarray(cut + 1).toString("utf8"), terminated };
      }
    }
  } finally {
    closeSync(fd);
  }
}
