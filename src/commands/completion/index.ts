import type { Command, Option } from "commander";
import { summaryLine, type CommandResult } from "../../command.js";
import { ExitCode, UserError } from "../../errors.js";
import { writeToStdout } from "../../io/files.js";

export interface CompletionOptions {
  shell: string;
  /** The registry, with every command registered: the script is generated from it. */
  program: Command;
}

interface Node {
  path: string[];
  command: Command;
}

/** Every command and subcommand, depth first (the program itself first, with an empty path). */
function nodesOf(program: Command): Node[] {
  const nodes: Node[] = [];
  const visit = (command: Command, path: string[]): void => {
    nodes.push({ path, command });
    for (const sub of command.commands) visit(sub, [...path, sub.name()]);
  };
  visit(program, []);
  return nodes;
}

const longFlags = (command: Command): string[] => [...command.options.map((o) => o.long ?? ""), "--help"].filter(Boolean);
const takesValue = (option: Option): boolean => option.required || option.optional;
const words = (list: readonly string[]): string => list.join(" ");
const quoted = (text: string): string => `'${text.replace(/'/g, "'\\''")}'`;

function allOptions(program: Command): Option[] {
  return nodesOf(program).flatMap((node) => node.command.options);
}

/** bash (and zsh through bashcompinit): commands by position, flags per command, choices by flag. */
function bashScript(program: Command): string {
  const nodes = nodesOf(program);
  const steps = nodes.filter((n) => n.path.length > 0).map((n) => `      ${quoted(`${n.path.slice(0, -1).join(" ")}:${n.path.at(-1) ?? ""}`)}) path="\${path:+$path }$word" ;;`);
  const options = allOptions(program);
  const choiceFlags = new Map<string, string[]>();
  for (const o of options) if (o.long && o.argChoices) choiceFlags.set(o.long, o.argChoices);
  const valueFlags = [...new Set(options.filter((o) => takesValue(o) && o.long && !o.argChoices).map((o) => o.long ?? ""))].sort();
  const choiceCases = [...choiceFlags].map(([flag, choices]) => `    ${flag}${flag === "--format" ? "|-o" : ""}) COMPREPLY=($(compgen -W ${quoted(words(choices))} -- "$cur")); return ;;`);
  const pathCases = nodes.map((n) => {
    const subs = n.command.commands.map((c) => c.name());
    const args = n.command.registeredArguments.flatMap((a) => a.argChoices ?? []);
    const list = [...subs, ...args, ...longFlags(n.command), ...(n.path.length === 0 ? ["--version"] : [])];
    return `    ${quoted(n.path.join(" "))}) words=${quoted(words(list))} ;;`;
  });
  return [
    "# opsgate completion for bash. Load it with: eval \"$(opsgate completion bash)\"",
    "_opsgate_completion() {",
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" path="" word words i',
    "  for ((i = 1; i < COMP_CWORD; i++)); do",
    '    word="${COMP_WORDS[i]}"',
    '    case "$path:$word" in',
    ...steps,
    "    esac",
    "  done",
    '  case "$prev" in',
    ...choiceCases,
    `    ${valueFlags.join("|")}) return ;;`,
    "  esac",
    '  case "$path" in',
    ...pathCases,
    "    *) words='' ;;",
    "  esac",
    '  COMPREPLY=($(compgen -W "$words" -- "$cur"))',
    "}",
    "complete -o default -F _opsgate_completion opsgate",
    "",
  ].join("\n");
}

function zshScript(program: Command): string {
  return ["#compdef opsgate", "# opsgate completion for zsh: save as _opsgate on your $fpath, or eval \"$(opsgate completion zsh)\"", "autoload -U +X bashcompinit && bashcompinit", bashScript(program)].join("\n");
}

function fishScript(program: Command): string {
  const lines = ["# opsgate completion for fish: opsgate completion fish > ~/.config/fish/completions/opsgate.fish", "complete -c opsgate -f"];
  for (const node of nodesOf(program)) {
    const inside = node.path.length === 0 ? "__fish_use_subcommand" : `__fish_seen_subcommand_from ${node.path.at(-1) ?? ""}`;
    const notDeeper = node.command.commands.length > 0 && node.path.length > 0 ? `; and not __fish_seen_subcommand_from ${words(node.command.commands.map((c) => c.name()))}` : "";
    for (const sub of node.command.commands) {
      lines.push(`complete -c opsgate -n ${quoted(`${inside}${notDeeper}`)} -a ${quoted(sub.name())} -d ${quoted(sub.description())}`);
    }
    if (node.path.length === 0) continue;
    for (const argument of node.command.registeredArguments) {
      if (argument.argChoices) lines.push(`complete -c opsgate -n ${quoted(inside)} -a ${quoted(words(argument.argChoices))}`);
    }
    for (const option of node.command.options) {
      if (!option.long) continue;
      const flag = `-l ${option.long.slice(2)}${option.short ? ` -s ${option.short.slice(1)}` : ""}`;
      const value = option.argChoices ? ` -x -a ${quoted(words(option.argChoices))}` : takesValue(option) ? " -r -F" : "";
      lines.push(`complete -c opsgate -n ${quoted(inside)} ${flag}${value} -d ${quoted(option.description)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

const SCRIPTS: Record<string, (program: Command) => string> = { bash: bashScript, zsh: zshScript, fish: fishScript };

/** `opsgate completion bash|zsh|fish`: a completion script generated from the command registry. */
export function runCompletion(options: CompletionOptions): Promise<CommandResult> {
  const make = Object.hasOwn(SCRIPTS, options.shell) ? SCRIPTS[options.shell] : undefined;
  if (!make) throw new UserError(`unknown shell ${JSON.stringify(options.shell)}`, { where: "<shell>", hint: "one of: bash, zsh, fish" });
  const script = make(options.program);
  writeToStdout((sink) => sink.write(script));
  return Promise.resolve({ exitCode: ExitCode.ok, summary: summaryLine("COMPLETION_OK", { shell: options.shell }) });
}
