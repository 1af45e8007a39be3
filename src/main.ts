import { CommanderError } from "commander";
import { bareGroup, buildProgram, commandPath, expandHelpCommand, unknownOptionFirst, type ResultHolder } from "./cli.js";
import { ExitCode } from "./errors.js";
import { endWithError, endWithResult, failureSummary } from "./exit.js";
import { paint, writeStderr } from "./io/log.js";
import { redactText } from "./guards/secrets.js";
import { writeToStdout } from "./io/files.js";
import { stdoutColumns } from "./io/terminal.js";

/**
 * Commander's own output (help, version) goes through the report path to fd 1: a reader that goes
 * away (`opsgate --help | head -1`) ends it quietly, and process.stdout's stream is created only
 * on a terminal, for its width (commander's defaults look at it whatever fd 1 is). opsgate's help
 * has no styles, so there is no colour to keep or strip.
 */
const output = {
  outputError: (): undefined => undefined,
  writeOut: (text: string): void => writeToStdout((sink) => sink.write(text)),
  getOutHelpWidth: (): number => stdoutColumns() ?? 80, // commander's own default width
  getOutHasColors: (): boolean => false,
};

/**
 * Runs one command line and returns its exit code; `bin/opsgate.js` (the only place that sets the
 * process exit code) loads this bundle and calls it.
 */
export async function main(rawArgv: string[]): Promise<number> {
  const argv = expandHelpCommand(rawArgv);
  const holder: ResultHolder = {};
  const program = buildProgram(holder, argv);
  program.exitOverride();
  program.configureOutput(output);
  for (const sub of program.commands) {
    sub.exitOverride();
    sub.configureOutput(output);
    for (const leaf of sub.commands) {
      leaf.exitOverride();
      leaf.configureOutput(output);
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
    const path = commandPath(program, argv)
      .map((command) => command.name())
      .join(" ");
    if (!(error instanceof CommanderError)) return endWithError(path, error);
    if (error.exitCode === 0) return ExitCode.ok; // --help, --version
    const message = redactText(unknownOptionFirst(program, argv, error).message.replace(/^error: /, ""));
    writeStderr(`${paint.red("opsgate: error:")} ${message}\nhint: run with --help for usage\n${failureSummary(path, ExitCode.usage, "usage")}\n`);
    return ExitCode.usage;
  }
  return holder.result ? endWithResult(holder.result) : ExitCode.ok;
}
