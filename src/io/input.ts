import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { fileKind } from "./file-kind.js";
import { UserError } from "../errors.js";
import { systemErrorText } from "./system-error.js";

const MiB = 1024 * 1024;

/**
 * The largest file opsgate reads for each kind of input, the same wherever that kind is read. Each
 * is far above any real file (a 10,000-item plan is ~6 MB, a 10,000-item approval record ~2 MB, a
 * 100,000-candidate readback source ~90 MB) and low enough that a hostile file cannot exhaust memory.
 */
export const INPUT_CAPS = {
  "batch plan": 256 * MiB,
  "approval record": 16 * MiB,
  "NetBox state": 256 * MiB,
  "source report": 512 * MiB,
  "snapshot manifest": 16 * MiB,
  "policy file": 16 * MiB,
  "allowed signers file": 16 * MiB,
  "dry-run report": 256 * MiB,
  "ledger": 256 * MiB,
} as const;
export type InputKind = keyof typeof INPUT_CAPS;

/** `16 MiB (16777216 bytes)`: how a cap is said in a message. */
export function describeCap(bytes: number): string {
  return `${bytes / MiB} MiB (${bytes} bytes)`;
}

export interface ReadInputOptions {
  /** The flag that named the file, for the hint (`--plan`). */
  flag?: string;
  /** Where to read `-` from (tests pass their own descriptor). */
  stdinFd?: number;
}

function tooLarge(kind: InputKind, path: string): UserError {
  return new UserError(`the ${kind} is larger than ${describeCap(INPUT_CAPS[kind])}, the most opsgate reads for a ${kind}`, {
    where: path,
    hint: `this is not a ${kind}; check the path`,
  });
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Reads up to `limit` bytes from the current position (stdin may be a non-blocking pipe). A file's
 * known size is read into one buffer (a byte more, to see it grow); chunks are joined only if it did.
 * A positional read that comes back short once the size the file gave is read has met the end of
 * the file, so no further read (and no 1 MiB buffer for it) is needed to see that. A file whose
 * size says nothing (a /proc file gives 0) is read until a read returns nothing.
 */
function readUpTo(fd: number, limit: number, positional: boolean, sizeHint = 0): Buffer {
  const chunks: Buffer[] = [];
  let got = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(got === 0 && sizeHint > 0 ? sizeHint + 1 : 1 << 20, limit - got + 1));
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, positional ? got : null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(sleepCell, 0, 0, 5);
      continue;
    }
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    got += n;
    if (got > limit || (positional && sizeHint > 0 && got >= sizeHint && n < chunk.length)) break;
  }
  return chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, got);
}

/**
 * The one door for every JSON input (SPEC §5): a regular file only — a FIFO, device, socket or
 * folder is refused naming the path, and is opened non-blocking so a FIFO never hangs the read —
 * and at most the cap of its kind. `-` reads standard input under the same cap. Returns the bytes;
 * the caller parses them (src/json/read.ts keeps the UTF-8, BOM, depth and duplicate-key rules).
 */
export function readInputFile(path: string, kind: InputKind, options: ReadInputOptions = {}): Buffer {
  const cap = INPUT_CAPS[kind];
  const hint = options.flag ? `pass ${options.flag} <file> (a ${kind})` : `check the path of the ${kind}`;
  if (path === "-") {
    const buf = readUpTo(options.stdinFd ?? 0, cap, false);
    if (buf.length > cap) throw tooLarge(kind, "standard input");
    return buf;
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === "ENOENT" ? `${kind} not found` : `cannot read the ${kind}: ${systemErrorText(error)}`;
    throw new UserError(what, { where: path, hint });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      throw new UserError(`the ${kind} is ${fileKind(stat)}, not a regular file`, { where: path, hint });
    }
    if (stat.size > cap) throw tooLarge(kind, path);
    // One byte past the cap at most: the file may grow while it is read.
    const buf = readUpTo(fd, cap, true, stat.size);
    if (buf.length > cap) throw tooLarge(kind, path);
    return buf;
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read the ${kind}: ${systemErrorText(error)}`, { where: path, hint });
  } finally {
    closeSync(fd);
  }
}

/**
 * Gives a large input's memory back now, not at the next full collection. The buffer lived through
 * the parse, so it sits in the old generation, where a 45 MB plan's bytes would stay for the whole
 * run. Its memory moves to a throwaway ArrayBuffer (a structuredClone transfer), which the next
 * young collection frees; the buffer is empty afterwards. A small buffer may share Node's pool
 * with others, and is left alone.
 */
export function releaseInput(buf: Buffer): void {
  if (buf.buffer instanceof ArrayBuffer && buf.buffer.byteLength > Buffer.poolSize) structuredClone(buf.buffer, { transfer: [buf.buffer] });
}
