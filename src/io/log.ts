import { ansi, wantsColour, type Colour } from "./ansi.js";
import { writeAllSync } from "./files.js";
import { isTerminal } from "./terminal.js";

/**
 * Human diagnostics on stderr: coloured only on a TTY and never with NO_COLOR set. Decided at the
 * first coloured line, not at start-up: looking at process.stderr creates its stream.
 */
let colour: boolean | undefined;
function paintWith(name: Colour): (text: string) => string {
  return (text) => ((colour ??= wantsColour(isTerminal(2))) ? ansi(name, text) : text);
}

export const paint = { red: paintWith("red"), yellow: paintWith("yellow"), dim: paintWith("dim") };

/** Set while `captureStderr` runs: what would go to stderr goes here instead. */
let stderrCapture: string[] | undefined;

/**
 * Writes to stderr: straight to fd 2 and synchronously, as Node writes its stdio to files, pipes
 * and terminals, without creating process.stderr's stream (which loads every stream module).
 * A reader that went away is nobody to tell.
 */
export function writeStderr(text: string): void {
  if (stderrCapture) {
    stderrCapture.push(text);
    return;
  }
  try {
    writeAllSync(2, Buffer.from(text, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPIPE") throw error;
  }
}

/** Runs `work` with stderr collected instead of written, for running a command in-process. */
export async function captureStderr<T>(work: () => Promise<T>): Promise<{ result: T; stderr: string }> {
  if (stderrCapture) throw new Error("captureStderr does not nest");
  const chunks: string[] = [];
  stderrCapture = chunks;
  try {
    const result = await work();
    return { result, stderr: chunks.join("") };
  } finally {
    stderrCapture = undefined;
  }
}

export function diag(line: string): void {
  writeStderr(`${line}\n`);
}

export function warn(line: string): void {
  diag(paint.yellow(`opsgate: warning: ${line}`));
}

/** A progress line is on screen (and must be cleared). */
let progressShown = false;

/** Progress on long work, only when a person is watching (stderr is a TTY). */
export function progress(line: string): void {
  if (!isTerminal(2)) return;
  writeStderr(`\r${paint.dim(line)}\u001b[K`);
  progressShown = true;
}

export function progressDone(): void {
  if (!progressShown) return;
  writeStderr("\r\u001b[K");
  progressShown = false;
}
