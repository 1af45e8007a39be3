import type { CommandResult } from "./command.js";
import { ExitCode, UserError, formatUserError } from "./errors.js";
import { paint, writeStderr } from "./io/log.js";
import { redactText } from "./guards/secrets.js";
import { isSystemError, systemUserError } from "./io/system-error.js";

/**
 * How a run ends, whichever way its arguments were read (commander in `main`, or a command's plain
 * fast path): the summary line, or the error and its summary, on stderr; the exit code returned.
 */

/** The first words of each summary line, for failures that happen before the command reports. */
const SUMMARY_KINDS: Record<string, string> = {
  "build-readback-plan": "MONITORING_POST_INCIDENT_READBACK_PLAN",
  "validate-batch-plan": "BATCH_PLAN_VALIDATION",
  "manage-approval-state": "APPROVAL_STATE",
  approvals: "APPROVAL_QUEUE",
  "approvals list": "APPROVAL_QUEUE",
  "approvals new": "APPROVAL_NEW",
  "apply-batch": "BATCH_APPLY",
  audit: "AUDIT",
  "audit verify": "AUDIT_CHAIN",
  "audit show": "AUDIT_EVENTS",
  schema: "SCHEMA",
  snapshots: "SNAPSHOTS",
  "snapshots regenerate": "SNAPSHOTS",
  completion: "COMPLETION",
  serve: "SERVE",
};

/** The summary line of a run that failed before its command could report (usage and input errors). */
export function failureSummary(path: string, exitCode: number, cause: "usage" | "error"): string {
  const kind = SUMMARY_KINDS[path] ?? "OPSGATE";
  const outcome: Record<number, string> = { 1: "REFUSED", 2: cause === "usage" ? "USAGE_ERROR" : "INPUT_ERROR", 3: "EXTERNAL_FAILURE", 4: "NEEDS_HUMAN", 70: "INTERNAL_ERROR" };
  return `${kind}_${outcome[exitCode] ?? "FAILED"} exit=${exitCode}${path ? ` command=${path.replace(" ", "-")}` : ""}`;
}

/**
 * Failures that are not opsgate's bug: a system error (read-only disk, full disk, no permission, a
 * path too long) is the machine refusing a path the user chose (exit 2, path and hint); a stack
 * overflow can only come from input nested past every guard (exit 2).
 */
function asUserError(error: unknown): unknown {
  if (isSystemError(error)) return systemUserError(error, `cannot ${error.syscall ?? "use"} the path`);
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return new UserError("an input is nested too deeply", { hint: "JSON inputs may nest at most 512 levels" });
  }
  return error;
}

/** Says what went wrong on stderr (redacted) and returns the exit code it means. */
export function reportError(thrown: unknown): number {
  const error = asUserError(thrown);
  if (error instanceof UserError) {
    const [first = "", ...rest] = formatUserError(error).map((line) => redactText(line));
    writeStderr(`${paint.red(first)}\n${rest.map((line) => `${line}\n`).join("")}`);
    if (error.summary) writeStderr(`${redactText(error.summary)}\n`);
    return error.exitCode;
  }
  if (process.env.OPSGATE_DEBUG === "1") {
    writeStderr(`${redactText(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
  } else {
    const message = redactText(error instanceof Error ? error.message : String(error));
    writeStderr(`opsgate: internal error: ${message}\nhint: rerun with OPSGATE_DEBUG=1 and report it\n`);
  }
  return ExitCode.internal;
}

/** A command that threw: its error, then a summary line unless the error carried its own. */
export function endWithError(path: string, error: unknown, cause: "usage" | "error" = "error"): number {
  const code = reportError(error);
  if (code !== ExitCode.ok && !(error instanceof UserError && error.summary)) writeStderr(`${failureSummary(path, code, cause)}\n`);
  return code;
}

/** A command that reported: its summary line (redacted), its exit code. */
export function endWithResult(result: CommandResult): number {
  writeStderr(`${redactText(result.summary)}\n`);
  return result.exitCode;
}
