import { Command, Option } from "commander";
import type { CommandResult } from "./command.js";

/**
 * The command registry. Each action lazy-loads its command module, so `opsgate --help` and every
 * command load only what they need (no zod schema, no HTTP client for another command).
 */

const EXIT_CODES: Record<number, string> = {
  0: "done; the gate said yes",
  1: "the gate said no (validation failed, blocked, refused transition, drift found)",
  2: "usage or input error (unknown flag, missing file, malformed JSON, schema violation)",
  3: "external failure (NetBox unreachable, auth refused, timeout); nothing left written",
  4: "needs a human: a write could not be fully completed or rolled back",
  70: "internal error (a bug: rerun with OPSGATE_DEBUG=1 and report it)",
};

/** Help epilogue: examples, then the exit codes with any command-specific wording. */
function examples(lines: string[], codes: Partial<Record<number, string>> = {}): string {
  const exitLines = Object.entries({ ...EXIT_CODES, ...codes }).map(([code, text]) => `${code.padStart(3)}  ${text}`);
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join("\n")}\n\nExit codes:\n${exitLines.join("\n")}\n`;
}

export type ResultHolder = { result?: CommandResult };

const COMMANDS = [
  "build-readback-plan",
  "validate-batch-plan",
  "manage-approval-state",
  "approvals",
  "apply-batch",
  "audit",
  "schema",
  "snapshots",
  "serve",
];

export function buildProgram(holder: ResultHolder, argv: string[] = process.argv): Command {
  // Only the command being run is registered, which keeps start-up short; `--help`, `help` and an
  // unknown command get every command (for the listing and the "did you mean" suggestion).
  const named = argv[2];
  const wants = (name: string): boolean => named === undefined || !COMMANDS.includes(named) || named === name;
  const program = new Command("opsgate")
    .description("Gated generators for network operations: approvals, NetBox batch apply, readback plans.")
    .version("0.1.0")
    .showSuggestionAfterError(true)
    .addHelpText(
      "after",
      examples([
        "opsgate build-readback-plan --root . --output plan.json",
        "opsgate validate-batch-plan --plan plan.json --expected-device-id 1890 --expected-device 4WNET-MNS-KTG-RX",
        "opsgate <command> --help",
      ]),
    );
  // An action that loads its command module only when that command runs, then keeps its result.
  const lazy =
    <M>(load: () => Promise<M>, call: (module: M, command: Command) => Promise<CommandResult>) =>
    async function (this: Command): Promise<void> {
      holder.result = await call(await load(), this);
    };

  if (wants("build-readback-plan")) {
    program
      .command("build-readback-plan")
      .description("Write the post-incident monitoring readback plan for an owner-response acceptance snapshot.")
      .option("--root <dir>", "repo root", ".")
      .option(
        "--source-report <file>",
        "acceptance snapshot, resolved against --root",
        "docs/security/monitoring-owner-response-acceptance.snapshot.json",
      )
      .option("--output <file>", "write the JSON report here (parent folders are created) instead of stdout")
      .option("--generated-at <ts>", "pin generated_at (default: SOURCE_DATE_EPOCH, else now, in UTC+08:00)")
      .option("--git-commit <sha>", "pin git_commit (default: git rev-parse --short HEAD in --root)")
      .addHelpText(
        "after",
        examples([
          "opsgate build-readback-plan --root . --output docs/security/readback-plan.snapshot.json",
          "opsgate build-readback-plan --source-report fixtures/readback/basic/source.json --generated-at 2026-05-01T10:00:00+08:00 --git-commit abc1234",
        ]),
      )
      .action(lazy(() => import("./commands/build-readback-plan/index.js"), (m, command) => m.runBuildReadbackPlan(command.opts())));
  }

  if (wants("validate-batch-plan")) {
    program
      .command("validate-batch-plan")
      .description("Validate a staged NetBox batch plan for one device; write a batch_plan_validation_v1 report.")
      .requiredOption("--plan <file>", "batch plan (batch_staged_apply_plan_v1)")
      .requiredOption("--expected-device-id <n>", "the NetBox device id every item must target")
      .requiredOption("--expected-device <name>", "the NetBox device name every item must target")
      .option("--approvals-dir <dir>", "approvals root (default: the nearest folder named approvals above the plan); binds every item to a signed, approved record")
      .option("--no-approvals", "skip approvals_bound on purpose (the summary line says approvals=skipped)")
      .option("--output <file>", "write the JSON report here instead of stdout")
      .option("--generated-at <ts>", "pin generated_at (default: SOURCE_DATE_EPOCH, else now)")
      .addHelpText(
        "after",
        examples([
          "opsgate validate-batch-plan --plan fixtures/batch/good/plan.json --expected-device-id 1890 --expected-device 4WNET-MNS-KTG-RX",
          "opsgate validate-batch-plan --plan plan.json --expected-device-id 1890 --expected-device 4WNET-MNS-KTG-RX --approvals-dir approvals --output report.json",
        ], {
          1: "the plan is invalid, including a plan that breaks its schema (the report is still written)",
          2: "usage or input error (bad flag, plan file missing, empty or not JSON)",
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
      .addHelpText(
        "after",
        examples([
          'opsgate manage-approval-state --approval-record approvals/pending/approval-0007.json --action approve --reason "Reviewed change window and rollback" --actor ana.approver',
          'opsgate manage-approval-state --approval-record approvals/pending/approval-0007.json --action reject --reason "Rollback owner is missing" --actor ana.approver',
        ]),
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
      .addHelpText("after", examples(["opsgate approvals list --approvals-dir approvals", "opsgate approvals list --approvals-dir approvals --state pending"]))
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
      .addHelpText("after", examples(['opsgate approvals new --plan approvals/approved/batch-apply-plan.json --approval-id approval-0012 --risk-level medium --summary "Uplink xe-0/0/1 and its /30 after INC-2291" --signing-key ~/.ssh/id_ed25519']))
      .action(lazy(() => import("./commands/approvals-new/index.js"), (m, command) => m.runApprovalsNew(command.opts())));
  }

  if (wants("apply-batch")) {
    program
      .command("apply-batch")
      .description("Dry-run (default), simulate, or really write an approved batch plan to NetBox, all-or-none.")
      .requiredOption("--batch-plan <file>", "batch plan (batch_staged_apply_plan_v1)")
      .requiredOption("--confirm-batch-id <id>", "must equal the plan's batch_id")
      .requiredOption("--operator <name>", "who runs the batch")
      .option("--netbox-url <url>", "NetBox base URL, e.g. https://netbox.example.net")
      .option("--simulate", "run the real write path against an in-process NetBox simulator")
      .option("--netbox-state <file>", "the simulator's existing objects (with --simulate)")
      .option("--offline", "dry-run without the NetBox preflight")
      .option("--approvals-dir <dir>", "approvals root (default: nearest ancestor folder of the plan named approvals)")
      .option("--results-dir <dir>", "ledgers and reports (default: <approvals-dir>/../batch-results)")
      .option("--audit-log <file>", "audit log (default: <approvals-dir>/audit.jsonl)")
      .option("--confirm-real-write-batch", "real write: first of the two required flags")
      .option("--enable-real-post-implementation", "real write: second of the two required flags")
      .option("--recover", "undo what an interrupted run of this batch created (same gates as a real write)")
      .option("--report <file>", "also write the report here")
      .option("--generated-at <ts>", "pin generated_at (default: SOURCE_DATE_EPOCH, else now)")
      .addHelpText(
        "after",
        examples([
          "opsgate apply-batch --batch-plan approvals/approved/batch-apply-plan.json --confirm-batch-id BATCH-20260501-1890-001 --operator ops.maria --netbox-url https://netbox.example.net",
          "NETBOX_WRITE_TOKEN=... opsgate apply-batch --batch-plan approvals/approved/batch-apply-plan.json --confirm-batch-id BATCH-20260501-1890-001 --operator ops.maria --netbox-url https://netbox.example.net --confirm-real-write-batch --enable-real-post-implementation",
          "opsgate apply-batch --batch-plan plan.json --confirm-batch-id BATCH-1 --operator ops.maria --simulate --netbox-state netbox-state.json",
        ]),
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
      .addHelpText("after", examples(["opsgate audit verify --log approvals/audit.jsonl", "opsgate audit verify --log approvals/audit.jsonl --approvals-dir approvals"]))
      .action(lazy(() => import("./commands/audit-verify/index.js"), (m, command) => m.runAuditVerify(command.opts())));
  }

  if (wants("schema")) {
    program
      .command("schema")
      .description("Print the JSON Schema of an input format (generated from opsgate's zod schemas).")
      .argument("[name]", "format name; omit to list them")
      .addHelpText("after", examples(["opsgate schema", "opsgate schema batch-plan > batch-plan.schema.json"]))
      .action(lazy(() => import("./commands/schema/index.js"), (m, command) => m.runSchema({ name: command.args[0] })));
  }

  if (wants("snapshots")) {
    const snapshots = program.command("snapshots").description("Committed snapshots of generator outputs.");
    snapshots
      .command("regenerate")
      .description("Rerun every generator in snapshots/manifest.json on fixtures/ and rewrite snapshots/.")
      .option("--check", "write nothing; exit 1 listing every drifted file with a short diff")
      .option("--root <dir>", "project folder holding snapshots/manifest.json", ".")
      .addHelpText("after", examples(["opsgate snapshots regenerate", "opsgate snapshots regenerate --check"]))
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
        examples(["opsgate serve --approvals-dir approvals --results-dir batch-results --reports-dir docs/security", "opsgate serve --approvals-dir approvals --lang pt-BR --port 8890"], {
          0: "stopped by SIGINT/SIGTERM",
          2: "usage error (bad flag, a folder that does not exist, port in use)",
        }),
      )
      .action(lazy(() => import("./commands/serve/index.js"), (m, command) => m.runServe(command.opts())));
  }

  return program;
}

