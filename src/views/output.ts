import { writeToStdout } from "../io/files.js";
import { isTerminal } from "../io/terminal.js";
import { stdoutTerm, type Term } from "./terminal/style.js";

/**
 * Which face of a report goes to stdout: the exact JSON (`--format json`, or whenever stdout is
 * not a TTY — CI and scripts see no change), or the human view (`--format table`, the default on
 * a TTY). Report files (--output, --report) always hold the JSON.
 */
export const OUTPUT_FORMATS = ["json", "table"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function humanViewWanted(format: string | undefined): boolean {
  if (format === "table") return true;
  if (format === "json") return false;
  return isTerminal(1);
}

/** Writes the report to stdout: `json` as is, or `render(term)` for a person. */
export function emitReport(json: string, render: (term: Term) => string, format: string | undefined): void {
  if (!humanViewWanted(format)) {
    writeToStdout((sink) => sink.write(json));
    return;
  }
  const term = stdoutTerm();
  const text = render(term);
  writeToStdout((sink) => sink.write(text));
}

/** Writes only the human view (for commands that stream their JSON themselves). */
export function emitHumanView(render: (term: Term) => string): void {
  const term = stdoutTerm();
  const text = render(term);
  writeToStdout((sink) => sink.write(text));
}
