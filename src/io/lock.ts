import { closeSync, constants, fstatSync, linkSync, lstatSync, openSync, readSync, realpathSync, rmSync, statSync, writeFileSync, type BigIntStats, type Stats } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileKind } from "./file-kind.js";
import { ExitCode, UserError } from "../errors.js";
import { isSystemError, systemUserError } from "./system-error.js";
import { forgetTemp, registerTemp, tempTag } from "./temp-registry.js";
import { ensureDir } from "./files.js";

/**
 * The one lock (SPEC §1, §5): an exclusive lock file holding its owner's pid, created atomically
 * with link(2). Every acquisition has a deadline and sleeps between tries (no spin); a lock left
 * by a dead process is broken; anything at the lock path that is not an opsgate lock file (a
 * folder, a symlink, a FIFO, a file of other content) is refused, never removed.
 *
 * Two spellings of one folder (a symlinked parent, `a/../b`) reach the same lock file. For a lock
 * on a *file* (the audit log), `withFileLock` keys the lock on the file's identity (device and
 * inode), so a symlink or hard link to the file shares its lock too.
 */
export interface Lock {
  release(): void;
}

export interface LockOptions {
  /** How long to wait for a live owner to let go (0: one try). */
  waitMs?: number;
  /** What is locked, for the refusal: "the audit log", "batch B-1". */
  what?: string;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
const UNREADABLE_LOCK_GRACE_MS = 2_000;
const MAX_LOCK_FILE_BYTES = 64;

function sleep(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

/** Whether a process with this pid runs (EPERM: it does, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

type LockState =
  | { kind: "free" }
  | { kind: "held"; pid: number; since: Date }
  /** A lock file being born or of unknown owner: presumed alive while young. */
  | { kind: "young"; since: Date }
  | { kind: "stale"; identity: FileIdentity }
  | { kind: "foreign"; what: string };

/** Reads a lock file without following a symlink or blocking on a FIFO. */
function readLockState(path: string): LockState {
  let stat: BigIntStats;
  try {
    stat = lstatSync(path, { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "free" };
    throw error;
  }
  if (!stat.isFile()) return { kind: "foreign", what: fileKind(stat) };
  let text: string;
  try {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      if (!fstatSync(fd).isFile()) return { kind: "foreign", what: "not a regular file" };
      const buf = Buffer.alloc(MAX_LOCK_FILE_BYTES + 1);
      text = buf.toString("utf8", 0, readSync(fd, buf, 0, buf.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { kind: "free" };
    throw error;
  }
  const since = stat.mtime;
  if (text.trim() === "") {
    return Date.now() - since.getTime() < UNREADABLE_LOCK_GRACE_MS ? { kind: "young", since } : { kind: "stale", identity: identityOf(stat) };
  }
  if (!/^\d{1,10}\n?$/.test(text)) return { kind: "foreign", what: "a file that does not hold a process id" };
  const pid = Number.parseInt(text, 10);
  if (pid > 0 && processAlive(pid)) return { kind: "held", pid, since };
  return { kind: "stale", identity: identityOf(stat) };
}

/**
 * Which lock file this is: its inode and its modification time to the nanosecond. The inode alone
 * is not enough: a file system reuses a freed inode at once, so a lock taken anew right after a
 * stale one was removed can have the stale one's inode — and must not be broken in its place.
 */
interface FileIdentity {
  ino: bigint;
  mtimeNs: bigint;
}

function identityOf(stat: BigIntStats): FileIdentity {
  return { ino: stat.ino, mtimeNs: stat.mtimeNs };
}

/** Removes a stale lock only if it is still the very file judged stale (a new owner's file is another). */
function breakStaleLock(path: string, identity: FileIdentity): void {
  try {
    const now = identityOf(lstatSync(path, { bigint: true }));
    if (now.ino === identity.ino && now.mtimeNs === identity.mtimeNs) rmSync(path, { force: true });
  } catch {
    // vanished meanwhile: the next try decides
  }
}

/** Creates the lock file with its pid already inside (link is atomic and fails if the name exists). */
function createLockFile(path: string): boolean {
  const temp = join(dirname(path), `.${basename(path)}.${tempTag()}`);
  registerTemp(temp);
  try {
    writeFileSync(temp, `${process.pid}\n`, { flag: "wx", mode: 0o644 });
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return false;
  } finally {
    rmSync(temp, { force: true });
    forgetTemp(temp);
  }
}

/** `locked by pid 123 since 2026-05-01T10:00:00Z`: the lock's owner, for messages. */
export function describeLockOwner(path: string): string | undefined {
  try {
    const state = readLockState(path);
    if (state.kind === "held") return `locked by pid ${state.pid} since ${state.since.toISOString().replace(/\.\d{3}Z$/, "Z")}`;
  } catch {
    // unreadable: no owner to name
  }
  return undefined;
}

/** The pid in a lock file when that process is alive (the lock is held, not stale). */
export function liveLockOwner(path: string): number | undefined {
  try {
    const state = readLockState(path);
    return state.kind === "held" ? state.pid : undefined;
  } catch {
    return undefined;
  }
}

function notALockFile(path: string, what: string): UserError {
  return new UserError(`${path} is not a lock file (it is ${what}); opsgate will not remove it`, {
    where: path,
    hint: "move it out of the way; opsgate creates the lock file itself",
  });
}

/** A held lock's refusal: `… is locked by pid N since …` (exit 1). */
export class LockBusyError extends UserError {
  constructor(
    readonly lockPath: string,
    readonly owner: string,
    what: string,
  ) {
    super(`${what} is ${owner}`, {
      exitCode: ExitCode.gateRefused,
      where: lockPath,
      hint: "wait for that process to finish; a lock left by a dead process is broken automatically",
    });
  }
}

function tryOnce(path: string): Lock | LockState {
  let state = readLockState(path);
  if (state.kind === "stale") {
    breakStaleLock(path, state.identity);
    state = { kind: "free" };
  }
  if (state.kind !== "free") return state;
  if (createLockFile(path)) {
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
      },
    };
  }
  return readLockState(path);
}

function isLock(value: Lock | LockState): value is Lock {
  return "release" in value;
}

/**
 * Takes the lock at `path` (its folder is created), waiting up to `waitMs` for a live owner with
 * growing sleeps. Throws LockBusyError (exit 1) when still held at the deadline, and a UserError
 * (exit 2) when the path holds something that is not a lock file or cannot be written.
 */
export function acquireLock(path: string, options: LockOptions = {}): Lock {
  const what = options.what ?? path;
  const deadline = Date.now() + (options.waitMs ?? 0);
  let pause = 2;
  try {
    ensureDir(dirname(path));
    for (;;) {
      const got = tryOnce(path);
      if (isLock(got)) return got;
      if (got.kind === "foreign") throw notALockFile(path, got.what);
      if (Date.now() >= deadline) {
        const owner = got.kind === "held" ? `locked by pid ${got.pid} since ${got.since.toISOString().replace(/\.\d{3}Z$/, "Z")}` : "locked by a process that is starting";
        throw new LockBusyError(path, owner, what);
      }
      sleep(Math.min(pause, Math.max(1, deadline - Date.now())));
      pause = Math.min(pause * 2, 100);
    }
  } catch (error) {
    if (isSystemError(error)) throw systemUserError(error, `cannot take the lock for ${what}`, path);
    throw error;
  }
}

/**
 * Like acquireLock, but a lock still held at the deadline gives `undefined` (the caller words the
 * refusal); a path that is not a lock file still throws.
 */
export function tryLock(path: string, waitMs = 0): Lock | undefined {
  try {
    return acquireLock(path, { waitMs });
  } catch (error) {
    if (error instanceof LockBusyError) return undefined;
    throw error;
  }
}

/**
 * The lock file of `file`, keyed on its identity: `.opsgate-<dev>-<ino>.lock` in the file's real
 * folder. The file must exist (withFileLock creates it).
 */
export function lockPathForFile(file: string): string {
  const real = realpathSync(file);
  const stat = statSync(real);
  return join(dirname(real), `.opsgate-${stat.dev}-${stat.ino}.lock`);
}

/**
 * Runs `body` holding the lock of `file` (created empty if missing, so it has an identity). Two
 * spellings of one file — a symlink, a hard link, `a/../b` — share one lock.
 */
export function withFileLock<T>(file: string, body: () => T, options: LockOptions = {}): T {
  const what = options.what ?? file;
  for (;;) {
    let lockPath: string;
    try {
      const existing = statOrUndefined(file);
      if (existing && !existing.isFile()) throw new UserError(`${what} is ${fileKind(existing)}, not a regular file`, { where: file, hint: "name a regular file" });
      if (!existing) closeSync(openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NONBLOCK, 0o644));
      lockPath = lockPathForFile(file);
    } catch (error) {
      if (isSystemError(error)) throw systemUserError(error, `cannot lock ${what}`, file);
      throw error;
    }
    const lock = acquireLock(lockPath, options);
    try {
      // The file may have been replaced between naming the lock and taking it: then lock the new one.
      if (lockPathForFile(file) !== lockPath) continue;
      return body();
    } finally {
      lock.release();
    }
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
