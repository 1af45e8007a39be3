import { fstatSync, statSync } from "node:fs";

const answers = new Map<1 | 2, boolean>();

/**
 * Whether stdout (1) or stderr (2) is a terminal. A file, a pipe or /dev/null (how CI, scripts and
 * the bench run opsgate) is told by fstat without creating process.stdout's or process.stderr's
 * stream, which loads the tty and net modules (~90 page faults, 1–4 ms): only a character device
 * other than /dev/null, or an fd fstat cannot read, is left to the stream to say. Asked once per fd
 * (progress asks at every request).
 */
export function isTerminal(fd: 1 | 2): boolean {
  let answer = answers.get(fd);
  if (answer === undefined) {
    answer = surelyNotTerminal(fd) ? false : Boolean((fd === 1 ? process.stdout : process.stderr).isTTY);
    answers.set(fd, answer);
  }
  return answer;
}

/** stdout's width in columns when it is a terminal that tells one; else undefined. */
export function stdoutColumns(): number | undefined {
  return (isTerminal(1) && process.stdout.columns) || undefined;
}

function surelyNotTerminal(fd: 1 | 2): boolean {
  try {
    const stat = fstatSync(fd);
    return !stat.isCharacterDevice() || stat.rdev === statSync("/dev/null", { throwIfNoEntry: false })?.rdev;
  } catch {
    return false;
  }
}
