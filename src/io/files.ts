import { accessSync, closeSync, constants, existsSync, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeSync, type Stats } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import type { TextSink } from "../json/python.js";
import { UserError } from "../errors.js";

const FLUSH_AT = 1 << 20;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** writeSync that waits out EAGAIN (stdout may be a non-blocking pipe). */
function writeAllSync(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) {
    try {
      offset += writeSync(fd, data, offset, data.length - offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(sleepCell, 0, 0, 1);
    }
  }
}

/** A file-system failure on a path the user chose, said as an input error rather than a crash. */
function cannotWrite(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (error instanceof UserError || typeof code !== "string") return error;
  const why: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "permission denied",
    EISDIR: "it is a folder",
    ENOTDIR: "a parent is not a folder",
    EROFS: "read-only file system",
    ENOSPC: "no space left on the device",
    EEXIST: "a parent is a file",
  };
  return new UserError(`cannot write the file: ${why[code] ?? code}`, { where: path });
}

/** A buffered sink over a file descriptor: memory stays flat however large the report. */
export class FdSink implements TextSink {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly fd: number) {}

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    writeAllSync(this.fd, Buffer.from(this.parts.join(""), "utf8"));
    this.parts = [];
    this.size = 0;
  }
}

/** Makes a rename or unlink in `dir` durable (best effort: not every file system allows it). */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse to fsync a folder; the rename or unlink is still atomic.
  }
}

/**
 * Writes a file atomically: a temp file in the same folder, fsynced, then renamed over the
 * target. `produce` streams into the sink; if it throws, the temp file is removed and the
 * target is untouched.
 */
export function writeFileAtomic(path: string, produce: (sink: TextSink) => void): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
  let fd: number;
  try {
    mkdirSync(dir, { recursive: true });
    fd = openSync(temp, "wx", 0o644);
  } catch (error) {
    throw cannotWrite(path, error);
  }
  try {
    const sink = new FdSink(fd);
    produce(sink);
    sink.flush();
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
    fsyncDir(dir);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temp, { force: true });
    throw cannotWrite(path, error);
  }
}

export function writeTextAtomic(path: string, text: string): void {
  writeFileAtomic(path, (sink) => sink.write(text));
}

/**
 * Writes to stdout through the same buffered path (no colour, no progress: only the report).
 * A reader that goes away (`| head`) ends the output quietly, as for any Unix tool.
 */
export function writeToStdout(produce: (sink: TextSink) => void): void {
  const sink = new FdSink(1);
  try {
    produce(sink);
    sink.flush();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPIPE") throw error;
  }
}

/**
 * Reads at most `limit` bytes of an open file (which may grow while it is read), so a huge or
 * hostile file never lands in memory whole.
 */
export function readOpenFileCapped(fd: number, limit: number): Buffer {
  const size = Math.min(fstatSync(fd).size, limit);
  const buf = Buffer.alloc(size);
  let got = 0;
  while (got < size) {
    const n = readSync(fd, buf, got, size - got, got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/** Appends one line to a file and fsyncs it (callers hold the file's lock). */
export function appendLineSync(path: string, line: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, "a", 0o644);
  try {
    writeAllSync(fd, Buffer.from(`${line}\n`, "utf8"));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Why nothing could be written at `path` (checked before an irreversible step, so a bad output path
 * is found before it matters), or undefined when it can: where a file goes there must be a regular
 * file or nothing, a folder must be a folder, and the folder that would hold it must be writable.
 * Creates nothing.
 */
export function outputPathProblem(path: string, kind: "file" | "folder"): string | undefined {
  let stat: Stats | undefined;
  try {
    stat = lstatSync(path);
  } catch {
    stat = undefined;
  }
  if (stat) {
    if (kind === "file" && !stat.isFile()) return stat.isDirectory() ? "it is a folder" : stat.isSymbolicLink() ? "it is a symbolic link" : "it is not a regular file";
    if (kind === "folder" && !statSync(path).isDirectory()) return "it is not a folder";
  }
  // The folder that will hold it: the path itself (an existing folder) or its nearest existing ancestor.
  let dir = stat && kind === "folder" ? path : dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  if (!statSync(dir).isDirectory()) return `${dir} is not a folder`;
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    return `${dir} is not writable`;
  }
  return undefined;
}
