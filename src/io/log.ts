import { chalkStderr } from "chalk";

/** Human diagnostics on stderr: coloured only on a TTY and never with NO_COLOR set. */
const wantColor = Boolean(process.stderr.isTTY) && !("NO_COLOR" in process.env);
const chalk = wantColor ? chalkStderr : undefined;
const useColor = chalk !== undefined && chalk.level > 0;

export const paint = {
  red: (text: string): string => (useColor && chalk ? chalk.red(text) : text),
  yellow: (text: string): string => (useColor && chalk ? chalk.yellow(text) : text),
  dim: (text: string): string => (useColor && chalk ? chalk.dim(text) : text),
};

export function diag(line: string): void {
  process.stderr.write(`${line}\n`);
}

export function warn(line: string): void {
  diag(paint.yellow(`opsgate: warning: ${line}`));
}

/** Progress on long work, only when a person is watching (stderr is a TTY). */
export function progress(line: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${paint.dim(line)}\u001b[K`);
}

export function progressDone(): void {
  if (process.stderr.isTTY) process.stderr.write("\r\u001b[K");
}
