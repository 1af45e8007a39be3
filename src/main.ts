import { CommanderError } from "commander";
import { bareGroup, buildProgram, expandHelpCommand, failureSummary, unknownOptionFirst, type ResultHolder } from "./cli.js";
import { ExitCode, UserError, formatUserError } from "./errors.js";
import { paint } from "./io/log.js";
import { redactText } from "./guards/secrets.js";
import { isSystemError, systemUserError } from "./io/system-error.js";

// A reader that goes away (`opsgate --help | head -1`) ends the output quietly, as for any Unix tool.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

/**
 * Runs one command line and returns its exit code; `bin/opsgate.js` (the only place that sets the
 * process exit code) loads this bundle and calls it.
 */
export async function main(rawArgv: string[]): Promise<number> {
  const argv = expandHelpCommand(rawArgv);
  const holder: ResultHolder = {};
  const program = buildProgram(holder, argv);
  program.exitOverride();
  program.configureOutput({ outputError: () => undefined });
  for (const sub of program.commands) {
    sub.exitOverride();
    sub.configureOutput({ outputError: () => undefined });
    for (const leaf of sub.commands) {
      leaf.exitOverride();
      leaf.configureOutput({ outputError: () => undefined });
    }
  }
  const group = bareGroup(program, argv);
  if (group) {
    // `opsgate`, `opsgate approvals`: the answer is the help, not an error.
    group.outputHelp();
    return ExitCode.ok;
  }
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const code = reportFailure(error instanceof CommanderError ? unknownOptionFirst(program, argv, error) : error);
    if (code !== ExitCode.ok && !(error instanceof UserError && error.summary)) {
      process.stderr.write(`${failureSummary(program, argv, code, error instanceof CommanderError ? "usage" : "error")}\n`);
    }
    return code;
  }
  if (!holder.result) return ExitCode.ok;
  process.stderr.write(`${redactText(holder.result.summary)}\n`);
  return holder.result.exitCode;
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

function reportFailure(thrown: unknown): number {
  const error = asUserError(thrown);
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return ExitCode.ok; // --help, --version
    const message = redactText(error.message.replace(/^error: /, ""));
    process.stderr.write(`${paint.red("opsgate: error:")} ${message}\nhint: run with --help for usage\n`);
    return ExitCode.usage;
  }
  if (error instanceof UserError) {
    const [first = "", ...rest] = formatUserError(error).map((line) => redactText(line));
    process.stderr.write(`${paint.red(first)}\n${rest.map((line) => `${line}\n`).join("")}`);
    if (error.summary) process.stderr.write(`${redactText(error.summary)}\n`);
    return error.exitCode;
  }
  if (process.env.OPSGATE_DEBUG === "1") {
    process.stderr.write(`${redactText(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
  } else {
    const message = redactText(error instanceof Error ? error.message : String(error));
    process.stderr.write(`opsgate: internal error: ${message}\nhint: rerun with OPSGATE_DEBUG=1 and report it\n`);
  }
  return ExitCode.internal;
}

