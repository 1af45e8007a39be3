import type { CommandResult } from "./command.js";
import { endWithError, endWithResult } from "./exit.js";

/**
 * A command's usual command line, read without commander (bin/opsgate.js hands it to the command
 * bundle's `runPlain`, so neither the main bundle nor commander is loaded). Only the command's own
 * long options are known: those in `optionKeys` take a value (`--name value` or `--name=value`;
 * the last one given wins, as in commander) and come back under commander's key for them; those
 * in `flags` take none. Anything else gives undefined, and `main` reads the command line as
 * always: help, an unknown or short option, an option without its value or with one that looks
 * like an option (`-x`; a lone `-` is a value), a flag given a value, `--`, a positional argument.
 * (These few rules are read here rather than by `util.parseArgs`, whose loading alone is a tenth
 * of a small readback's own work.)
 */
export function readPlainArgs<Key extends string>(
  args: string[],
  optionKeys: Readonly<Record<string, Key>>,
  flags: readonly string[] = [],
): { options: Partial<Record<Key, string>>; flags: Set<string> } | undefined {
  const options: Partial<Record<Key, string>> = {};
  const given = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith("--") || arg === "--") return undefined;
    const equals = arg.indexOf("=");
    const name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
    if (Object.hasOwn(optionKeys, name)) {
      const value = equals === -1 ? args[++i] : arg.slice(equals + 1);
      if (value === undefined || (equals === -1 && value.length > 1 && value.startsWith("-"))) return undefined;
      options[optionKeys[name] as Key] = value;
    } else if (equals === -1 && flags.includes(name)) {
      given.add(name);
    } else {
      return undefined;
    }
  }
  return { options, flags: given };
}

/** Runs a plain command and ends it as `main` does: its summary line, or its error and a summary line. */
export function endPlain(path: string, run: () => CommandResult | Promise<CommandResult>): Promise<number> {
  return Promise.resolve()
    .then(run)
    .then(endWithResult, (error: unknown) => endWithError(path, error));
}
