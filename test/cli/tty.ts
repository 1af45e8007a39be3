import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OPSGATE_BIN, PROJECT_ROOT, type CliResult } from "../helpers/cli.js";

/** `'it''s'` for sh. */
export function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, "'\\''")}'`;
}

export interface TtyOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** The terminal's width (stty cols). */
  columns?: number;
  input?: string;
  /** Put stderr on the terminal and stdout in a file instead (to see progress). */
  stderrOnTty?: boolean;
}

/**
 * Runs the built binary with stdout on a pseudo-terminal (util-linux `script`), stderr to a file:
 * what a person at a terminal sees on stdout, and the diagnostics apart. `\r\n` becomes `\n`.
 */
export function runInTty(args: string[], options: TtyOptions = {}): Promise<CliResult> {
  const dir = mkdtempSync(join(tmpdir(), "opsgate-tty-"));
  const errFile = join(dir, "stderr");
  const redirect = options.stderrOnTty ? `>${shellQuote(errFile)}` : `2>${shellQuote(errFile)}`;
  const command = `stty cols ${options.columns ?? 100} rows 50 2>/dev/null; exec ${shellQuote(process.execPath)} ${shellQuote(OPSGATE_BIN)} ${args.map(shellQuote).join(" ")} ${redirect}`;
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], {
      cwd: options.cwd ?? PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", TERM: "xterm-256color", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      let stderr = "";
      try {
        stderr = readFileSync(errFile, "utf8");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const tty = Buffer.concat(out).toString("utf8").replace(/\r\n/g, "\n");
      resolve(options.stderrOnTty ? { stdout: stderr, stderr: tty, code } : { stdout: tty, stderr, code });
    });
    child.stdin.end(options.input ?? "");
  });
}

export const ANSI = /\u001b\[[0-9;]*m/;
