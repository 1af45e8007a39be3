// The lock API other modules build on (src/io/lock.ts), in-process: a deadline with a clear
// refusal, identity keying, and refusal of anything that is not a lock file.
import { describe, expect, it } from "vitest";
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../../src/errors.js";
import { LockBusyError, acquireLock, lockPathForFile, withFileLock } from "../../src/io/lock.js";
import { tempDir } from "./kit.js";

describe("src/io/lock.ts", () => {
  it("refuses a live owner at the deadline: `locked by pid N since …`", () => {
    const dir = tempDir();
    const path = join(dir, "x.lock");
    writeFileSync(path, `${process.pid}\n`);
    let thrown: unknown;
    try {
      acquireLock(path, { waitMs: 30, what: "the thing" });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LockBusyError);
    expect((thrown as Error).message).toMatch(new RegExp(`^the thing is locked by pid ${process.pid} since \\d{4}-\\d{2}-\\d{2}T`));
  });

  it("refuses a folder or a symlink at the lock path as `not a lock file`", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "a.lock"));
    symlinkSync(join(dir, "nowhere"), join(dir, "b.lock"));
    for (const name of ["a.lock", "b.lock"]) {
      expect(() => acquireLock(join(dir, name), { waitMs: 1000 })).toThrow(/is not a lock file/);
      expect(() => acquireLock(join(dir, name), { waitMs: 1000 })).toThrow(UserError);
    }
  });

  it("keys a file's lock on its identity: symlink and hard link spellings share it", () => {
    const dir = tempDir();
    const file = join(dir, "audit.jsonl");
    writeFileSync(file, "");
    symlinkSync(file, join(dir, "sym"));
    linkSync(file, join(dir, "hard"));
    const key = lockPathForFile(file);
    expect(lockPathForFile(join(dir, "sym"))).toBe(key);
    expect(lockPathForFile(join(dir, "hard"))).toBe(key);
    withFileLock(join(dir, "sym"), () => {
      expect(() => withFileLock(join(dir, "hard"), () => 1, { waitMs: 20 })).toThrow(LockBusyError);
    });
    expect(withFileLock(join(dir, "hard"), () => 2)).toBe(2);
  });
});
