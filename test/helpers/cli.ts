import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const OPSGATE_BIN = fileURLToPath(new URL("../../bin/opsgate.js", import.meta.url));

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

export interface CliOptions {
  cwd?: string;
  /** Added to a minimal environment (PATH, HOME, NO_COLOR=1). */
  env?: Record<string, string>;
  input?: string;
}

/** Runs the built `opsgate` binary as a user would, with a minimal environment. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [OPSGATE_BIN, ...args], {
      cwd: options.cwd ?? PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", NO_COLOR: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), code }),
    );
    child.stdin.end(options.input ?? "");
  });
}

/** The last line of stderr: every command's summary line. */
export function summaryOf(result: CliResult): string {
  const lines = result.stderr.trimEnd().split("\n");
  return lines[lines.length - 1] ?? "";
}
