import { Argument, Command, CommanderError, Option } from "commander";
import type { CommandResult } from "./command.js";
import { DEFAULT_ROOT, DEFAULT_SOURCE_REPORT } from "./commands/build-readback-plan/options.js";

/**
 * The command registry. Each action lazy-loads its command module, so `opsgate --help` and every
 * command load only what they need (no zod schema, no HTTP client for another command). One block
 * per command; each declares its own exit codes and the environment it reads, for its --help.
 */

const EXIT_CODES: Record<number, string> = {
  0: "done; the gate said yes",
  1: "the gate said no (validation failed, blocked, refused transition, drift found)",
  2: "usage or input error (unknown flag, missing file, malformed JSON, schema violation)",
  3: "external failure (NetBox unreachable, auth refused, timeout); nothing left written",
  4: "needs a human: a write could not be fully completed or rolled back",
  70: "internal error (a bug: rerun with OPSGATE_DEBUG=1 and report it)",
};

/** Variables opsgate reads, and what for (each command lists the ones it reads). */
const ENVIRONMENT: Record<string, string> = {
  NETBOX_URL: "NetBox base URL: the default for --netbox-url",
  NETBOX_READ_TOKEN: "NetBox API token for the dry-run's read-only look-ups (never printed)",
  NETBOX_WRITE_TOKEN: "NetBox API token for the real write; the dry-run uses it when no read token is set (never printed)",
  OPSGATE_OPERATOR: "the default for --operator",
  OPSGATE_ACTOR: "the default for --actor",
  OPSGATE_SIGNING_KEY: "the default for --signing-key: your SSH key (or its .pub with the key in ssh-agent)",
  SSH_AUTH_SOCK: "ssh-agent's socket, when the signing key is held by the agent",
  OPSGATE_NETBOX_TIMEOUT_MS: "NetBox request time-out in milliseconds (default 30000)",
  OPSGATE_NETBOX_RETRIES: "retries of a failed idempotent NetBox request (default 3)",
  OPSGATE_NETBOX_READ_CONCURRENCY: "NetBox look-up requests in flight at once (1-16)",
  HOME: "with XDG_CONFIG_HOME: git's user configuration, read to tell whether git would abbreviate HEAD differently",
  XDG_CONFIG_HOME: "see HOME",
  SOURCE_DATE_EPOCH: "pins the report's generated_at (a --generated-at flag wins)",
  NO_COLOR: "set (to anything) for no colour; colour is only ever used on a terminal",
  OPSGATE_DEBUG: "=1 prints the stack of an internal error",
};
const TOKENS_REDACTED = ["NETBOX_READ_TOKEN", "NETBOX_WRITE_TOKEN"];
const COMMON_ENV = ["NO_COLOR", "OPSGATE_DEBUG"];

interface HelpFacts {
  examples: string[];
  /** The exit codes this command can return, with command-specific wording where useful. */
  exits: (number | [number, string])[];
  env: string[];
  /** Variables read only to keep their values out of every output. */
  redacts?: string[];
}

/** Help epilogue: examples, the command's exit codes, and the environment it reads. */
function helpText(facts: HelpFacts): string {
  const exitLines = facts.exits.map((exit) => {
    const [code, text] = Array.isArray(exit) ? exit : [exit, EXIT_CODES[exit] ?? ""];
    return `${String(code).padStart(3)}  ${text}`;
  });
  const names = [...facts.env, ...COMMON_ENV];
  const width = Math.max(...names.map((name) => name.length), ...(facts.redacts ?? []).map((n) => n.length));
  const envLines = names.map((name) => `  ${name.padEnd(width)}  ${ENVIRONMENT[name] ?? ""}`);
  for (const name of facts.redacts ?? []) envLines.push(`  ${name.padEnd(width)}  read only to keep its value out of every output`);
  return [
    "",
    "Examples:",
    ...facts.examples.map((line) => `  $ ${line}`),
    "",
    "Exit codes:",
    ...exitLines,
    "",
    "Environment:",
    ...envLines,
    "",
  ].join("\n");
}

/** `--format json|table` (`-o`): the JSON report, or the human view (the default on a terminal). */
function formatOption(): Option {
  return new Option("-o, --format <format>", "json, or table: a human view (the default when stdout is a terminal)").choices(["json", "table"]);
}

export type ResultHolder = { result?: CommandResult };

export const COMMANDS = [
  "build-readback-plan",
  "validate-batch-plan",
  "manage-approval-state",
  "approvals",
  "apply-batch",
  "audit",
  "schema",
  "snapshots",
  "serve",
  "completion",
];

export function buildProgram(holder: ResultHolder, argv: string[] = process.argv): Command {
  // Only the command being run is registered, which keeps start-up short; `--help`, `help`, an
  // unknown command and `completion` get every command (the listing, the suggestion, the script).
  const named = argv[2];
  const wants = (name: string): boolean => named === undefined || named === "completion" || !COMMANDS.includes(named) || named === name;
  const program = new Command("opsgate")
    .description("Gated generators for network operations: approvals, NetBox batch apply, readback plans.")
    .version("0.1.0")
    .showSuggestionAfterError(true)
    .addHelpText(
      "after",
      helpText({
        examples: [
          "opsgate validate-batch-plan --plan fixtures/batch/good/plan.json --expected-device-id 1890 --expected-device 4WNET-MNS-KTG-RX",
          "opsgate help apply-batch",
        ],
        exits: [0, 1, 2, 3, 4, 70],
        env: Object.keys(ENVIRONMENT).filter((name) => !COMMON_ENV.includes(name)),
      }),
    );
  // An action that loads its command module only when that command runs, then keeps its result.
  const lazy =
    <M>(load: () => Promise<M>, call: (module: M, command: Command) => CommandResult | Promise<CommandResult>) =>
    async function (this: Command): Promise<void> {
      holder.result = await call(await load(), this);
    };

  if (wants("build-readback-plan")) {
    program
      .command("build-readback-plan")
      .description("Write the post-incident monitoring readback plan for an owner-response acceptance snapshot.")
      .option("--root <dir>", "repo root", DEFAULT_ROOT)
      .option("--source-report <file>", "acceptance snapshot, resolved against --root", DEFAULT_SOURCE_REPORT)
      .option("--output <file>", "write the JSON report here (parent folders are created) instead of stdout")
      .option("--generated-at <ts>", "pin generated_at (default: SOURCE_DATE_EPOCH, else now, in UTC+08:00)")
      .option("--git-commit <sha>", "pin git_commit (default: git rev-parse --short HEAD in --root)")
      .addHelpText(
        "after",
        helpText({
          examples: [
            "opsgate build-readback-plan --root fixtures/readback/basic --source-report source.json --output readback-plan.json",
            "opsgate build-readback-plan --source-report fixtures/readback/basic/source.json --generated-at 2026-05-01T10:00:00+08:00 --git-commit abc1234",
          ],
          exits: [[0, "the readback plan is written"], [2, "usage or input error (source report missing, malformed, or of the wrong shape)"], 70],
          env: ["SOURCE_DATE_EPOCH", "HOME", "XDG_CONFIG_HOME"],
          redacts: TOKENS_REDACTED,
        }),
      )
      .action(lazy(() => import("./commands/build-readback-plan/index.js"), (m, command) => m.runBuildReadbackPlan(command.opts())));
  }

  if (wants("validate-batch-plan")) {
    program
      .command("validate-batch-plan")
      .description("Validate a staged NetBox batch plan for one device; write a batch_plan_validation_v1 report.")
      .requiredOption("--plan <file>", "batch plan (batch_staged_apply_plan_v1); - reads it from stdin")
      .requiredOption("--expected-device-id <n>", "the NetBox device id every item must target")
      .requiredOption("--expected-device <name>", "the NetBox device name every item must target")
      .option("--approvals-dir <dir>", "approvals root (default: the nearest folder named approvals above the plan); binds every item to a signed, approved record")
      .option("--no-approvals", "skip approvals_bound on purpose (the summary line says approvals=skipped)")
      .option("--output <file>", "write the JSON report here instead of stdout")
      .addOption(formatOption())
      .option("--generated-at <ts>", "pin generated_at (default: SOURCE_DATE_EPOCH, else now)")
      .addHelpText(
        "after",
        helpText({
          examples: [
            "opsgate validate-batch-plan --plan fixtures/batch/good/plan.json --expected-device-id 1890 --expected-device 4WNET-MNS-KTG-RX",
            "opsgate validate-batch-plan --plan fixtures/batch/good/approvals/approved/batch-apply-plan-20260501.json --expected-device-id 1890 --expected-device 4WNET-MNS-KTG-RX --approvals-dir fixtures/batch/good/approvals --output report.json",
          ],
          exits: [
            [0, "the plan is valid"],
            [1, "the plan is invalid, including a plan that breaks its schema (the report is still written)"],
            [2, "usage or input error (bad flag, plan file missing, empty or not JSON)"],
            70,
          ],
          env: ["SOURCE_DATE_EPOCH"],
          redacts: TOKENS_REDACTED,
        }),
      )
      .action(lazy(() => import("./commands/validate-batch-plan/index.js"), (m, command) => m.runValidateBatchPlan(command.opts())));
  }

  if (wants("manage-approval-state")) {
    program
      .command("manage-approval-state")
      .description("Move one approval record through its state machine and append a hash-chained audit event.")
      .requiredOption("--approval-record <file>", "the record, at <approvals-root>/<state>/<approval_id>.json")
      .addOption(
        new Option("--action <action>", "the transition").choices(["submit", "approve", "reject", "revoke"]).makeOptionMandatory(),
      )
      .requiredOption("--reason <text>", "why (at least 10 characters for approve, reject and revoke)")
      .option("--signing-key <file>", "your SSH key (or its .pub with the key in ssh-agent) that signs the transition (default: OPSGATE_SIGNING_KEY)")
      .option("--actor <name>", "optional: must be the principal allowed_signers lists for the key (default: OPSGATE_ACTOR)")
      .option("--expires-in-days <n>", "approval lifetime in days, 1-365 (approve only; default 14)")
      .option("--audit-log <file>", "audit log (default: <approvals-root>/audit.jsonl)")
      .addOption(formatOption())
      .addHelpText(
        "after",
        helpText({
          examples: [
            'opsgate manage-approval-state --approval-record approvals/pending/approval-0008.json --action approve --reason "Reviewed change window and rollback" --actor ana.approver',
            'opsgate manage-approval-state --approval-record approvals/pending/approval-0008.json --action reject --reason "Rollback owner is missing" --actor ana.approver',
          ],
          exits: [[0, "the record moved (stdout: the updated record)"], [1, "the transition was refused; the record is untouched"], 2, 70],
          env: ["OPSGATE_ACTOR", "OPSGATE_SIGNING_KEY", "SSH_AUTH_SOCK"],
          redacts: TOKENS_REDACTED,
        }),
      )
      .action(lazy(() => import("./commands/manage-approval-state/index.js"), (m, command) => m.runManageApprovalState(command.opts())));
  }

  if (wants("approvals")) {
    const approvals = program.command("approvals").description("The approval queue.");
    approvals
      .command("list")
      .description("Write the approval queue (approval_queue_v1) with every inconsistency found.")
      .requiredOption("--approvals-dir <dir>", "approvals root")
      .addOption(
        new Option("--state <state>", "only this state").choices(["proposed", "pending", "approved", "rejected", "revoked", "applied"]),
      )
      .option("--output <file>", "write the JSON report here instead of stdout")
      .addOption(formatOption())
      .addHelpText(
        "after",
        helpText({
          examples: ["opsgate approvals list --approvals-dir fixtures/approvals/queue", "opsgate approvals list --approvals-dir fixtures/batch/good/approvals --state approved"],
          exits: [[0, "no inconsistency"], [1, "inconsistencies found (duplicates, folder/state mismatch, expired approvals, ...)"], [2, "usage error (bad flag, approvals folder missing)"], 70],
          env: ["SOURCE_DATE_EPOCH"],
          redacts: TOKENS_REDACTED,
        }),
      )
      .action(lazy(() => import("./commands/approvals-list/index.js"), (m, command) => m.runApprovalsList(command.opts())));
    approvals
      .command("new")
      .description("Write a signed proposed approval record for plan items, every hash computed.")
      .requiredOption("--plan <file>", "batch plan (batch_staged_apply_plan_v1)")
      .requiredOption("--approval-id <id>", "the new record's id (the plan items' approval_id)")
      .option("--items <ids>", "all (every item naming the approval id) or item ids separated by commas", "all")
      .addOption(new Option("--risk-level <level>", "risk level (policy.json says who may approve it)").choices(["low", "medium", "high", "critical"]).makeOptionMandatory())
      .requiredOption("--summary <text>", "what the change is and why")
      .option("--reason <text>", "the creation's reason in state_history (default: the plan it came from)")
      .option("--approvals-dir <dir>", "approvals root (default: the nearest folder named approvals above the plan)")
      .option("--audit-log <file>", "audit log (default: <approvals-root>/audit.jsonl)")
      .option("--signing-key <file>", "your SSH key (or its .pub with the key in ssh-agent) (default: OPSGATE_SIGNING_KEY)")
      .option("--actor <name>", "optional: must be the principal allowed_signers lists for the key")
      .addHelpText(
        "after",
        helpText({
          examples: ['opsgate approvals new --plan approvals/approved/batch-apply-plan.json --approval-id approval-0012 --risk-level medium --summary "Uplink xe-0/0/1 and its /30 after INC-2291" --signing-key ~/.ssh/id_ed25519'],
          exits: [[0, "the signed proposed record is written"], [1, "refused (e.g. the record exists, the key is not an allowed signer)"], 2, 70],
          env: ["OPSGATE_SIGNING_KEY", "SSH_AUTH_SOCK"],
          redacts: TOKENS_REDACTED,
        }),
      )
      .action(lazy(() => import("./commands/approvals-new/index.js"), (m, command) => m.runApprovalsNew(command.opts())));
  }

  if (wants("apply-batch")) {
    program
      .command("apply-batch")
      .description("Dry-run (default), simulate, or really write an approved batch plan to NetBox, all-or-none.")
      .requiredOption("--batch-plan <file>", "batch plan (batch_staged_apply_plan_v1); - reads it from stdin (then pass --approvals-dir)")
      .requiredOption("--confirm-batch-id <id>", "must equal the plan's batch_id")
      .addOption(new Option("--operator <name>", "who runs the batch").env("OPSGATE_OPERATOR").makeOptionMandatory())
      .addOption(new Option("--netbox-url <url>", "NetBox base URL, e.g. https://netbox.example.net").env("NETBOX_URL"))
      .option("--dry-run", "the default mode, said explicitly: validate, plan and look up; write nothing")
      .option("--simulate", "run against an in-process NetBox simulator (with --netbox-state)")
      .option("--netbox-state <file>", "the simulator's existing objects (with --simulate)")
      .option("--offline", "dry-run without the NetBox preflight")
      .option("--approvals-dir <dir>", "approvals root (default: nearest ancestor folder of the plan named approvals)")
      .option("--results-dir <dir>", "ledgers and reports (default: <approvals-dir>/../batch-results)")
      .option("--audit-log <file>", "audit log (default: <approvals-dir>/audit.jsonl)")
      .option("--confirm-real-write-batch", "real write: first of the two required flags")
      .option("--enable-real-post-implementation", "real write: second of the two required flags")
      .option("--recover", "undo what an interrupted run of this batch created (same gates as a real write)")
      .option("--report <file>", "also write the JSON report here")
      .addOption(formatOption())
      .option("--generated-at <ts>", "pin generated_at (default: SOURCE_DATE_EPOCH, else now)")
      .addHelpText(
        "after",
        helpText({
          examples: [
            "opsgate apply-batch --batch-plan approvals/approved/batch-apply-plan-20260501.json --confirm-batch-id BATCH-20260501-1890-001 --operator ops.maria --simulate --netbox-state netbox-state.json",
            "NETBOX_URL=https://netbox.example.net opsgate apply-batch --batch-plan approvals/approved/batch-apply-plan-20260501.json --confirm-batch-id BATCH-20260501-1890-001 --operator ops.maria",
            "NETBOX_WRITE_TOKEN=... opsgate apply-batch --batch-plan approvals/approved/batch-apply-plan-20260501.json --confirm-batch-id BATCH-20260501-1890-001 --operator ops.maria --netbox-url https://netbox.example.net --confirm-real-write-batch --enable-real-post-implementation",
          ],
          exits: [
            [0, "dry-run ready, or applied (or recovered)"],
            [1, "the gate said no: plan invalid, blocked (objects exist), a real-write gate refused, wrong --confirm-batch-id"],
            2,
            [3, "NetBox unreachable, auth refused or timed out, or the write was rolled back: NetBox is as before"],
            [4, "needs a human: a write could not be fully completed or rolled back (the report lists what is left)"],
            70,
          ],
          env: ["NETBOX_URL", "NETBOX_READ_TOKEN", "NETBOX_WRITE_TOKEN", "OPSGATE_OPERATOR", "OPSGATE_NETBOX_TIMEOUT_MS", "OPSGATE_NETBOX_RETRIES", "OPSGATE_NETBOX_READ_CONCURRENCY", "SOURCE_DATE_EPOCH"],
        }),
      )
      .action(lazy(() => import("./commands/apply-batch/index.js"), (m, command) => m.runApplyBatch(command.opts())));
  }

  if (wants("audit")) {
    const audit = program.command("audit").description("The tamper-evident audit log.");
    audit
      .command("verify")
      .description("Recompute the audit log's hash chain and name the first broken event.")
      .requiredOption("--log <file>", "audit log (audit.jsonl)")
      .option("--approvals-dir <dir>", "also check that every signature's audit anchor (the head it signed) is in the log")
      .addOption(formatOption())
      .addHelpText(
        "after",
        helpText({
          examples: ["opsgate audit verify --log fixtures/audit/chain/audit.jsonl", "opsgate audit verify --log approvals/audit.jsonl --approvals-dir approvals"],
          exits: [[0, "the chain verifies"], [1, "the chain is broken (the summary names the first bad seq), or a signature's anchor is missing"], [2, "usage error (bad flag, log or approvals folder missing or unreadable)"], 70],
          env: [],
        }),
      )
      .action(lazy(() => import("./commands/audit-verify/index.js"), (m, command) => m.runAuditVerify(command.opts())));
    audit
      .command("show")
      .description("Show the audit log's events (optionally one approval's or one actor's) as a readable log.")
      .requiredOption("--log <file>", "audit log (audit.jsonl)")
      .option("--approval <id>", "only events about this approval (its own, and apply events that name it)")
      .option("--actor <name>", "only events by this actor")
      .addOption(formatOption())
      .addHelpText(
        "after",
        helpText({
          examples: ["opsgate audit show --log fixtures/audit/chain/audit.jsonl", "opsgate audit show --log fixtures/audit/chain/audit.jsonl --actor ana.approver"],
          exits: [[0, "events shown; the chain verifies"], [1, "events shown, but the chain is broken (events from the break on are not vouched for)"], [2, "usage error (bad flag, log missing or unreadable)"], 70],
          env: [],
        }),
      )
      .action(lazy(() => import("./commands/audit-show/index.js"), (m, command) => m.runAuditShow(command.opts())));
  }

  if (wants("schema")) {
    program
      .command("schema")
      .description("Print the JSON Schema of an input format (generated from opsgate's zod schemas).")
      .argument("[name]", "format name; omit to list them")
      .addHelpText(
        "after",
        helpText({
          examples: ["opsgate schema", "opsgate schema batch-plan > batch-plan.schema.json"],
          exits: [0, [2, "usage error (unknown format name)"], 70],
          env: [],
        }),
      )
      .action(lazy(() => import("./commands/schema/index.js"), (m, command) => m.runSchema({ name: command.args[0] })));
  }

  if (wants("snapshots")) {
    const snapshots = program.command("snapshots").description("Committed snapshots of generator outputs.");
    snapshots
      .command("regenerate")
      .description("Rerun every generator in snapshots/manifest.json on fixtures/ and rewrite snapshots/.")
      .option("--check", "write nothing; exit 1 listing every drifted file with a line diff")
      .option("--root <dir>", "project folder holding snapshots/manifest.json", ".")
      .addHelpText(
        "after",
        helpText({
          examples: ["opsgate snapshots regenerate", "opsgate snapshots regenerate --check"],
          exits: [[0, "snapshots written (or, with --check, none drifted)"], [1, "drift found (--check), or a generator failed"], [2, "usage or input error (manifest missing or malformed)"], 70],
          env: [],
        }),
      )
      .action(lazy(() => import("./commands/snapshots-regenerate/index.js"), (m, command) => m.runSnapshotsRegenerate(command.opts())));
  }

  if (wants("serve")) {
    program
      .command("serve")
      .description("Serve the read-only operations dashboard over the approvals, batch results and reports folders.")
      .option("--approvals-dir <dir>", "approvals root (its audit.jsonl is verified on every load)")
      .option("--results-dir <dir>", "batch ledgers and reports (default: <approvals-dir>/../batch-results when it exists)")
      .option("--reports-dir <dir...>", "folders of readback plans and other reports (repeatable)")
      .option("--netbox-url <url>", "link created objects to this NetBox")
      .option("--host <host>", "address to bind (not loopback: a warning; the Host header must name it)", "127.0.0.1")
      .option("--port <n>", "port (0: any free port)", "8890")
      .addOption(new Option("--lang <lang>", "page language (default: the browser's Accept-Language)").choices(["en", "pt-BR"]))
      .addHelpText(
        "after",
        helpText({
          examples: ["opsgate serve --approvals-dir approvals --results-dir batch-results --reports-dir docs/security", "opsgate serve --approvals-dir approvals --lang pt-BR --port 8890"],
          exits: [[0, "stopped by SIGINT/SIGTERM"], [2, "usage error (bad flag, a folder that does not exist, port in use)"], 70],
          env: [],
        }),
      )
      .action(lazy(() => import("./commands/serve/index.js"), (m, command) => m.runServe(command.opts())));
  }

  if (wants("completion")) {
    program
      .command("completion")
      .description("Print a shell completion script (bash, zsh or fish).")
      .addArgument(new Argument("<shell>", "bash, zsh or fish").choices(["bash", "zsh", "fish"]))
      .addHelpText(
        "after",
        helpText({
          examples: ['eval "$(opsgate completion bash)"', "opsgate completion zsh > ~/.zfunc/_opsgate", "opsgate completion fish > ~/.config/fish/completions/opsgate.fish"],
          exits: [0, [2, "usage error (unknown shell)"], 70],
          env: [],
        }),
      )
      .action(lazy(() => import("./commands/completion/index.js"), (m, command) => m.runCompletion({ shell: command.args[0] ?? "", program })));
  }

  return program;
}

/**
 * `opsgate help approvals list` is `opsgate approvals list --help`; `opsgate help nosuch` is the
 * unknown command `nosuch` (with a suggestion), not the general help.
 */
export function expandHelpCommand(argv: string[]): string[] {
  if (argv[2] !== "help" || argv[3] === undefined) return argv;
  if (!COMMANDS.includes(argv[3])) return [...argv.slice(0, 2), ...argv.slice(3)];
  return [...argv.slice(0, 2), ...argv.slice(3), "--help"];
}

/** The commands named by the leading words of argv (`["approvals", "list"]` → those two). */
export function commandPath(program: Command, argv: string[]): Command[] {
  const path: Command[] = [];
  let current = program;
  for (const word of argv.slice(2)) {
    const next = current.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!next) break;
    path.push(next);
    current = next;
  }
  return path;
}

/**
 * A group named without its subcommand (`opsgate`, `opsgate approvals`): the command whose help
 * to print, on stdout, as the answer (not an error).
 */
export function bareGroup(program: Command, argv: string[]): Command | undefined {
  const path = commandPath(program, argv);
  const target = path.at(-1) ?? program;
  const rest = argv.slice(2 + path.length);
  return target.commands.length > 0 && rest.length === 0 ? target : undefined;
}

/**
 * commander reports a missing required option before an unknown one, so `--plna x` would read as
 * "--plan not specified". The unknown option is the real mistake: report it (with a suggestion).
 */
export function unknownOptionFirst(program: Command, argv: string[], error: CommanderError): CommanderError {
  if (error.code !== "commander.missingMandatoryOptionValue") return error;
  const path = commandPath(program, argv);
  const leaf = path.at(-1);
  if (!leaf) return error;
  const unknown = leaf.parseOptions(argv.slice(2 + path.length)).unknown.find((arg) => arg.startsWith("-"));
  if (unknown === undefined) return error;
  try {
    // commander's own message and "(Did you mean ...?)" suggestion; not in its type declarations.
    (leaf as unknown as { unknownOption(flag: string): void }).unknownOption(unknown.split("=")[0] ?? unknown);
  } catch (replaced) {
    if (replaced instanceof CommanderError) return replaced;
  }
  return error;
}
