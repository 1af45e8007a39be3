import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes a lock whose owner process is gone (killed with -9, say). */
function breakStaleLock(path: string): boolean {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(path, "utf8"), 10);
  } catch {
    return true; // vanished meanwhile: retry
  }
  if (Number.isInteger(pid) && pid > 0 && pidAlive(pid)) return false;
  rmSync(path, { force: true });
  return true;
}

export interface Lock {
  release(): void;
}

/**
 * An exclusive lock file (O_EXCL) holding the owner's pid. Returns undefined when another live
 * process holds it after `waitMs`; a lock left by a dead process is broken.
 */
export function tryLock(path: string, waitMs = 0): Lock | undefined {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(path, "wx", 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return { release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (breakStaleLock(path)) continue;
    if (Date.now() >= deadline) return undefined;
    Atomics.wait(sleepCell, 0, 0, 5);
  }
}

/** Runs `fn` holding the lock, waiting up to `waitMs` for it. */
export function withLock<T>(path: string, waitMs: number, fn: () => T): T | undefined {
  const lock = tryLock(path, waitMs);
  if (!lock) return undefined;
  try {
    return fn();
  } finally {
    lock.release();
  }
}
