import { parseArgs, type ParseArgsConfig } from "node:util";
import type { CommandResult } from "./command.js";
import { endWithError, endWithResult } from "./exit.js";

/**
 * A command's usual command line, read without commander (bin/opsgate.js hands it to the command
 * bundle's `runPlain`, so neither the main bundle nor commander is loaded). Only the command's own
 * long options are known: those in `optionKeys` take a value (`--name value` or `--name=value`) and
 * come back under commander's key for them; those in `flags` take none. Anything else — help, an
 * unknown, ambiguous, short or valueless option, a flag given a value, a positional argument —
 * gives undefined, and `main` reads the command line as always.
 */
export function readPlainArgs<Key extends string>(
  args: string[],
  optionKeys: Readonly<Record<string, Key>>,
  flags: readonly string[] = [],
): { options: Partial<Record<Key, string>>; flags: Set<string> } | undefined {
  const known: NonNullable<ParseArgsConfig["options"]> = {};
  for (const name of Object.keys(optionKeys)) known[name] = { type: "string" };
  for (const name of flags) known[name] = { type: "boolean" };
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args, options: known, strict: true, allowPositionals: false }).values;
  } catch {
    return undefined;
  }
  const options: Partial<Record<Key, string>> = {};
  for (const [name, key] of Object.entries(optionKeys)) {
    const value = values[name];
    if (typeof value === "string") options[key] = value;
  }
  return { options, flags: new Set(flags.filter((name) => values[name] === true)) };
}

/** Runs a plain command and ends it as `main` does: its summary line, or its error and a summary line. */
export function endPlain(path: string, run: () => CommandResult | Promise<CommandResult>): Promise<number> {
  return Promise.resolve()
    .then(run)
    .then(endWithResult, (error: unknown) => endWithError(path, error));
}
