import { fstatSync, statSync } from "node:fs";

/**
 * Whether stdout (1) or stderr (2) is a terminal. A file, a pipe or /dev/null (how CI, scripts and
 * the bench run opsgate) is told by fstat without creating process.stdout's or process.stderr's
 * stream, which loads every stream module (~4 ms): only a character device other than /dev/null
 * is left to the stream to say.
 */
export function isTerminal(fd: 1 | 2): boolean {
  try {
    const stat = fstatSync(fd);
    if (!stat.isCharacterDevice() || stat.rdev === statSync("/dev/null", { throwIfNoEntry: false })?.rdev) return false;
  } catch {
    return false;
  }
  return Boolean((fd === 1 ? process.stdout : process.stderr).isTTY);
}
