import type { ExitCodeValue } from "./errors.js";

/** What every command returns to `main`: its exit code and the one summary line for stderr. */
export interface CommandResult {
  exitCode: ExitCodeValue;
  summary: string;
}

/** `KIND key=value key=value ...`: the last line a command prints on stderr. */
export function summaryLine(kind: string, fields: Record<string, string | number | bigint>): string {
  const pairs = Object.entries(fields).map(([key, value]) => `${key}=${String(value)}`);
  return [kind, ...pairs].join(" ");
}
