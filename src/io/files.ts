import { accessSync, closeSync, constants, existsSync, fstatSync, fsyncSync, ftruncateSync, lstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync, writeSync, type Stats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileKind } from "./file-kind.js";
import type { TextSink } from "../json/python.js";
import { UserError } from "../errors.js";
import { isSystemError, systemUserError } from "./system-error.js";
import { forgetTemp, registerTemp, tempTag } from "./temp-registry.js";

const FLUSH_AT = 1 << 20;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** writeSync that waits out EAGAIN (stdout may be a non-blocking pipe). */
export function writeAllSync(fd: number, data: Buffer): void {
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
  if (error instanceof UserError || !isSystemError(error)) return error;
  return systemUserError(error, "cannot write the file", path);
}

/**
 * Refuses, before any work, an output path where opsgate may not put a regular file: something
 * there that is not a regular file (a device such as /dev/full, a FIFO, a socket, a symbolic link,
 * a folder), or a parent that is not a folder. Every command calls it for each output at start;
 * writeFileAtomic checks again right before the rename. Returns the absolute path.
 */
export function checkOutputPath(path: string, flag = "--output"): string {
  const abs = resolve(path);
  const hint = `${flag} must name a regular file (or be left out for stdout)`;
  if (path.endsWith("/") || path.endsWith("\\")) throw new UserError("cannot write the file: it names a folder", { where: path, hint });
  let stat: Stats | undefined;
  try {
    stat = lstatSync(abs, { throwIfNoEntry: false });
    if (stat && !stat.isFile()) {
      throw new UserError(`cannot write the file: it is ${fileKind(stat)}; opsgate only replaces regular files`, { where: path, hint });
    }
    // The nearest existing ancestor must be a folder (parents are created as needed).
    for (let dir = dirname(abs); ; dir = dirname(dir)) {
      const parent = statSync(dir, { throwIfNoEntry: false });
      if (parent) {
        if (!parent.isDirectory()) throw new UserError(`cannot write the file: ${dir} is not a folder`, { where: path, hint });
        break;
      }
      if (dirname(dir) === dir) break;
    }
  } catch (error) {
    throw cannotWrite(path, error);
  }
  return abs;
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
    // UTF-8 cannot hold a lone surrogate: Buffer.write would quietly write U+FFFD instead.
    if (!text.isWellFormed()) {
      throw new UserError("the output would hold an unpaired UTF-16 surrogate (from an input's \\uD800-style escape), which cannot be written as UTF-8", {
        hint: "fix the escape in the input: a \\uD800-\\uDBFF escape must be followed by a \\uDC00-\\uDFFF one",
      });
    }
    // A UTF-16 unit takes at most 3 bytes in UTF-8 (a surrogate pair: 4 bytes for 2 units).
    const most = text.length * 3;
    if (most > this.buf.length - this.used) {
      this.flush();
      // Grown once emptied (doubling up to FLUSH_AT): nothing to copy.
      if (this.buf.length < FLUSH_AT) {
        let size = this.buf.length * 2;
        while (size < FLUSH_AT && size < most) size *= 2;
        this.buf = Buffer.allocUnsafe(Math.min(size, FLUSH_AT));
      }
      if (most > this.buf.length) {
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

/**
 * mkdir -p one level at a time: Node's recursive mkdirSync reports ENOENT on a read-only file
 * system (and spins on some paths under /proc); this fails with the real error of the first level
 * that cannot be made.
 */
export function ensureDir(dir: string): void {
  const stat = statSync(dir, { throwIfNoEntry: false });
  if (stat?.isDirectory()) return;
  if (stat) throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: "ENOTDIR", syscall: "mkdir", path: dir });
  const parent = dirname(dir);
  if (parent !== dir) ensureDir(parent);
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
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
 * target. `produce` streams into the sink; if it throws — or the disk fills, or a signal ends the
 * process — the temp file is removed and the target is untouched.
 */
export function writeFileAtomic(path: string, produce: (sink: TextSink) => void): void {
  checkOutputPath(path, "the output file");
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.tmp-${tempTag()}`);
  let fd: number;
  try {
    ensureDir(dir);
    registerTemp(temp);
    fd = openSync(temp, "wx", 0o644);
  } catch (error) {
    forgetTemp(temp);
    throw cannotWrite(path, error);
  }
  try {
    const sink = new FdSink(fd);
    produce(sink);
    sink.flush();
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    // Something may have been put there meanwhile: still never replace what is not a regular file.
    checkOutputPath(path, "the output file");
    renameSync(temp, path);
    forgetTemp(temp);
    fsyncDir(dir);
  } catch (error) {
    try {
      if (fd >= 0) closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temp, { force: true });
    forgetTemp(temp);
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

/**
 * Appends one line to a regular file and fsyncs it (callers hold the file's lock). A failed write
 * (a full disk) is cut back off, so the file never ends in half a line.
 */
export function appendLineSync(path: string, line: string): void {
  try {
    ensureDir(dirname(path));
    const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK, 0o644);
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) throw new UserError(`cannot append: it is ${fileKind(stat)}, not a regular file`, { where: path, hint: "name a regular file" });
      try {
        writeAllSync(fd, Buffer.from(`${line}\n`, "utf8"));
        fsyncSync(fd);
      } catch (error) {
        try {
          ftruncateSync(fd, stat.size);
        } catch {
          // the original error says more
        }
        throw error;
      }
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw cannotWrite(path, error);
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
    if (kind === "file" && !stat.isFile()) return `it is ${fileKind(stat)}`;
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
