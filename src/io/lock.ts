import { linkSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const UNREADABLE_LOCK_GRACE_MS = 2_000;

/** Removes a lock whose owner process is gone (killed with -9, say). */
function breakStaleLock(path: string): boolean {
  let pid: number;
  let ino: number;
  let mtimeMs: number;
  try {
    ({ ino, mtimeMs } = statSync(path));
    pid = Number.parseInt(readFileSync(path, "utf8"), 10);
  } catch {
    return true; // vanished meanwhile: retry
  }
  if (Number.isInteger(pid) && pid > 0) {
    if (pidAlive(pid)) return false;
  } else if (Date.now() - mtimeMs < UNREADABLE_LOCK_GRACE_MS) {
    return false; // no pid yet: a young lock is presumed alive
  }
  // Remove only the file judged stale: a lock another process took meanwhile has a new inode.
  try {
    if (statSync(path).ino !== ino) return true;
  } catch {
    return true;
  }
  rmSync(path, { force: true });
  return true;
}

/** Creates the lock file with its pid already inside (link is atomic and fails if it exists). */
function createLockFile(path: string): boolean {
  const temp = `${path}.${process.pid}-${randomBytes(4).toString("hex")}`;
  writeFileSync(temp, `${process.pid}\n`, { flag: "wx", mode: 0o644 });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return false;
  } finally {
    rmSync(temp, { force: true });
  }
}

/** The pid in a lock file when that process is alive (the lock is held, not stale). */
export function liveLockOwner(path: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(path, "utf8"), 10);
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 && pidAlive(pid) ? pid : undefined;
}

export interface Lock {
  release(): void;
}

/**
 * An exclusive lock file, created atomically with link(2) so it never exists without its owner's
 * pid. Returns undefined when another live process holds it after `waitMs`; a lock left by a dead
 * process is broken.
 */
export function tryLock(path: string, waitMs = 0): Lock | undefined {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (createLockFile(path)) return { release: () => rmSync(path, { force: true }) };
    if (breakStaleLock(path)) continue;
    if (Date.now() >= deadline) return undefined;
    Atomics.wait(sleepCell, 0, 0, 5);
  }
}

