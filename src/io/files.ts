import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
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

/**
 * A buffered sink over a file descriptor: text is encoded straight into one reusable buffer, which
 * is written out whenever it fills, so memory stays flat however large the report.
 */
export class FdSink implements TextSink {
  // Starts small (most reports are) and doubles up to FLUSH_AT, then is reused.
  private buf = Buffer.allocUnsafe(1 << 14);
  private used = 0;

  constructor(
    private readonly fd: number,
    /** Where full buffers go (default: the fd); given a view of the buffer it must not keep. */
    private readonly out: (data: Buffer) => void = (data) => writeAllSync(fd, data),
  ) {}

  write(text: string): void {
    // A UTF-16 unit takes at most 3 bytes in UTF-8 (a surrogate pair: 4 bytes for 2 units).
    if (text.length * 3 > this.buf.length - this.used && this.buf.length < FLUSH_AT) {
      let size = this.buf.length * 2;
      while (size < FLUSH_AT && size - this.used < text.length * 3) size *= 2;
      const grown = Buffer.allocUnsafe(Math.min(size, FLUSH_AT));
      this.buf.copy(grown, 0, 0, this.used);
      this.buf = grown;
    }
    if (text.length * 3 > this.buf.length - this.used) {
      this.flush();
      if (text.length * 3 > this.buf.length) {
        this.out(Buffer.from(text, "utf8"));
        return;
      }
    }
    this.used += this.buf.write(text, this.used, "utf8");
  }

  flush(): void {
    if (this.used === 0) return;
    this.out(this.buf.subarray(0, this.used));
    this.used = 0;
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

/** Set while `captureStdout` runs: stdout's bytes go here instead of fd 1. */
let stdoutCapture: Buffer[] | undefined;

/**
 * Writes to stdout through the same buffered path (no colour, no progress: only the report).
 * A reader that goes away (`| head`) ends the output quietly, as for any Unix tool.
 */
export function writeToStdout(produce: (sink: TextSink) => void): void {
  const capture = stdoutCapture;
  const sink = capture ? new FdSink(1, (data) => capture.push(Buffer.from(data))) : new FdSink(1);
  try {
    produce(sink);
    sink.flush();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPIPE") throw error;
  }
}

/**
 * Runs `work` with everything written to stdout (reports, and anything written through
 * process.stdout such as --help) collected instead, for running a command in-process. One at a
 * time: the capture is process-wide.
 */
export async function captureStdout<T>(work: () => Promise<T>): Promise<{ result: T; stdout: Buffer }> {
  if (stdoutCapture) throw new Error("captureStdout does not nest");
  const chunks: Buffer[] = [];
  // Put back exactly as it was (the same function on the same stream).
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const write = process.stdout.write;
  stdoutCapture = chunks;
  process.stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk));
    const done = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
    if (done) queueMicrotask(done);
    return true;
  };
  try {
    const result = await work();
    return { result, stdout: Buffer.concat(chunks) };
  } finally {
    stdoutCapture = undefined;
    process.stdout.write = write;
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
