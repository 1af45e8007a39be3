import { existsSync, renameSync } from "node:fs";
import { join, resolve } from "node:path";
import { markApprovalApplied } from "../../approvals/apply.js";
import { holdAndRecheck } from "../../approvals/hold.js";
import { approvalRechecker } from "../../plan/approvals.js";
import { appendAuditEvent } from "../../audit/append.js";
import { isoSeconds } from "../../clock/timestamps.js";
import type { CommandResult } from "../../command.js";
import { ExitCode, UserError, type ExitCodeValue } from "../../errors.js";
import { isSafeId } from "../../guards/paths.js";
import { assertNoKnownSecret, redactText, redactValue } from "../../guards/secrets.js";
import { writeTextAtomic } from "../../io/files.js";
import { emitReport, humanViewWanted } from "../../views/output.js";
import { applyPlanView, type ApplyPlanSourceItem } from "../../views/apply-plan.js";
import { renderApplyPlan } from "../../views/terminal/apply-plan.js";
import { startProgress } from "../../views/progress.js";
import { diag, warn, writeStderr } from "../../io/log.js";
import { pyJsonStringify } from "../../json/python.js";
import type { JsonValue } from "../../json/value.js";
import { createReadClient, type ReadClient } from "../../netbox/client.js";
import { createSimulatorReadClient } from "../../netbox/sim-client.js";
import { createSimulatorWriteClient } from "../../netbox/sim-write-client.js";
import { NetBoxSimulator } from "../../netbox/simulator.js";
import { createWriteClient, type WriteClient } from "../../netbox/write-client.js";
import { summaryLine } from "../../command.js";
import { outputPathProblem } from "../../io/files.js";
import { writeTuning } from "../tuning.js";
import { Interrupt, NO_INTERRUPT } from "./interrupt.js";
import type { WriteCapability } from "../../guards/write-capability.js";
import { batchPaths } from "../ledger-gate.js";
import { LedgerWriter, ledgerState, readLedger } from "../ledger.js";
import { readNetBoxState } from "../netbox-source.js";
import type { ApplyBatchOptions } from "../options.js";
import { envInteger } from "../../guards/env.js";
import { generatedAtOf } from "../../clock/generated-at.js";
import { checkPlan, type CheckedPlan } from "../plan-check.js";
import { runGateChain, type ChainMode, type ChainResult } from "./gates.js";
import { objectUrl } from "./netbox-ops.js";
import { runRecovery } from "./recover.js";
import { runSummary, type RunReport } from "./report.js";
import type { StepContext } from "./steps.js";
import { executeWrite, type WriteResult } from "./write.js";
import type { NetBoxTarget } from "../report.js";
import { clipChangelog, planWriteRequests } from "../write-plan.js";

/**
 * The gated real write, its simulation and --recover (SPEC §2.4): gates, then (only if all passed)
 * the capability, the write client, the ledger-bracketed write or recovery, the approvals, the
 * report. The batch lock is held from its gate to the last ledger line.
 */
export async function runRealMode(options: ApplyBatchOptions, env: NodeJS.ProcessEnv, envSecrets: string[], mode: ChainMode): Promise<CommandResult> {
  const generatedAt = generatedAtOf(options.generatedAt);
  const token = mode === "simulate" ? undefined : env.NETBOX_WRITE_TOKEN?.trim() || undefined;
  const secrets = [...new Set([...envSecrets, ...(token ? [token] : [])])];
  const tuning = writeTuning(env);
  const progress = startProgress(`apply-batch: ${mode}`);
  let checked: CheckedPlan;
  try {
    checked = checkPlan(options, generatedAt, secrets, progress);
  } finally {
    progress.end();
  }
  const auditLog = options.auditLog !== undefined ? resolve(options.auditLog) : join(checked.dirs.approvalsDir, "audit.jsonl");
  const target: NetBoxTarget = mode === "simulate" ? "simulator" : "netbox";

  let sim: NetBoxSimulator | undefined;
  let reader: ReadClient;
  const clientOptions = {
    baseUrl: options.netboxUrl ?? "",
    token,
    timeoutMs: envInteger(env, "OPSGATE_NETBOX_TIMEOUT_MS", 30_000),
    retries: envInteger(env, "OPSGATE_NETBOX_RETRIES", 3),
  };
  if (mode === "simulate") {
    if (!options.netboxState) throw new UserError("--simulate needs --netbox-state FILE", { where: "--netbox-state" });
    let n = 0;
    // Deterministic request ids: a simulated run gives the same ledger and report every time.
    sim = new NetBoxSimulator(readNetBoxState(resolve(options.netboxState)), { requestId: () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, "0")}` });
    reader = createSimulatorReadClient(sim);
  } else {
    if (!options.netboxUrl) throw new UserError("a real write needs --netbox-url", { where: "--netbox-url", hint: "or --simulate --netbox-state FILE to rehearse it" });
    if (options.offline) throw new UserError("--offline cannot be combined with a real write or --recover", { where: "--offline" });
    try {
      reader = createReadClient(clientOptions);
    } catch (error) {
      throw new UserError(`--netbox-url is not a usable URL: ${error instanceof Error ? error.message : String(error)}`, { where: "--netbox-url" });
    }
  }

  const batchId = typeof checked.view.batchId === "string" && isSafeId(checked.view.batchId) ? checked.view.batchId : undefined;
  const paths = batchId ? batchPaths(checked.dirs.resultsDir, batchId) : undefined;
  const simDir = paths ? join(paths.dir, "simulate") : undefined;
  // Simulate keeps its own ledger and lock (a rehearsal never blocks the real thing), but it obeys
  // the real ledger's verdict: no rehearsal of an applied or half-written batch.
  const ledgerPath = mode === "simulate" ? join(simDir ?? "", "ledger.jsonl") : (paths?.ledger ?? "");
  const lockPath = mode === "simulate" ? join(simDir ?? "", "apply.lock") : (paths?.lock ?? "");

  checkOutputs(options, checked, mode, paths?.dir);

  let chain: ChainResult;
  try {
    chain = await runGateChain({
      mode,
      flags: Boolean(options.confirmRealWriteBatch && options.enableRealPostImplementation),
      token,
      confirmBatchId: options.confirmBatchId,
      operator: options.operator,
      checked,
      reader,
      target,
      ledgerPath: paths?.ledger ?? "",
      realLockPath: paths?.lock ?? "",
      lockPath,
      auditLog,
    });
  } catch (error) {
    if (error instanceof UserError && error.exitCode === ExitCode.gateRefused) {
      // The audit log could not take a gate's outcome: no write without it.
      throw new UserError(`${error.message}; nothing was written`, { exitCode: ExitCode.gateRefused, where: error.where, hint: error.hint });
    }
    throw error;
  }

  const base = baseReport(generatedAt, mode, options.operator, checked, chain, target, reader.baseUrl);
  if (!chain.capability || !batchId || !paths) {
    const refusedGate = chain.refused;
    const report: RunReport = { ...base, outcome: refusedGate?.gate_id === "preflight_none_exist" ? "blocked" : "refused" };
    const exitCode = chain.external ? ExitCode.external : ExitCode.gateRefused;
    const open = mode === "recover" ? [] : ledgerState(readLedger(paths?.ledger ?? "")).unresolved.map((r) => r.runId);
    if (open.length > 0) {
      // Named first: whatever gate refused, an interrupted run is what the operator must act on.
      diag(`batch ${batchId ?? "-"} has an interrupted run (${open.join(", ")}) that may have left objects in NetBox`);
      diag("hint: run apply-batch --recover with the real-write flags first; then dry-run and apply again");
    }
    for (const gate of chain.gates.filter((g) => g.status === "fail")) diag(`gate ${gate.gate_id}: refused: ${gate.message}`);
    if (chain.external) diag(`hint: check --netbox-url, NETBOX_WRITE_TOKEN and that NetBox is up; nothing was written`);
    const extra: Record<string, string> = chain.external ? { reason: `netbox_${chain.external.kind}` } : {};
    emit(report, secrets, options, paths ? (mode === "simulate" ? join(paths.dir, "simulate") : paths.dir) : undefined, "apply-refused.json", false, checked.plan?.items);
    return { exitCode, summary: runSummary(report, extra) };
  }

  const lock = chain.lock!;
  let interrupt = NO_INTERRUPT;
  let releaseHold: (() => void) | undefined;
  try {
    const ledger = new LedgerWriter(ledgerPath, secrets);
    const runNumber = ledgerState(readLedger(ledgerPath)).nextRunNumber;
    const runId = `${mode === "simulate" ? "sim" : mode === "recover" ? "recover" : "run"}-${runNumber}`;
    const now = (): string => isoSeconds(new Date(), 0);
    // A real apply holds its approval records for the whole run (a revoke meanwhile is refused).
    const approvalIds = [...new Set(chain.plan!.items.map((i) => i.approval_id))].sort();
    const hold = mode === "real" ? holdAndRecheck(checked.dirs.approvalsDir, approvalIds, { runId, batchId }, approvalRechecker(checked.dirs.approvalsDir, auditLog)) : undefined;
    if (hold && !hold.ok) throw new UserError(`${hold.message}; nothing was written`, { exitCode: ExitCode.gateRefused, where: checked.dirs.approvalsDir, hint: "validate the plan again and ask for a new approval if it was revoked" });
    releaseHold = hold?.ok ? hold.release : undefined;
    ledger.append({ kind: "run_start", run_id: runId, mode, batch_id: batchId, plan_sha256: checked.validation.plan_sha256 ?? "", operator: options.operator.trim(), netbox_url: mode === "simulate" ? null : reader.baseUrl, at: now() });
    const warnings: string[] = [];
    const audit = (event: string, details: Record<string, unknown>): void => {
      try {
        appendAuditEvent(auditLog, { actor: options.operator.trim(), command: "apply-batch", event, subject: batchId, details: { mode, run_id: runId, ...(details as Record<string, JsonValue>) } });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        // Once writing began, the ledger is the authority; a missing audit line must not stop a rollback.
        warnings.push(`audit event ${event} not written: ${error.message}`);
        warn(`audit event ${event} not written: ${error.message}`);
      }
    };
    const client = writeClientFor(mode, chain.capability, clientOptions, sim);
    if (mode !== "simulate") {
      interrupt = new Interrupt((signal) => {
        // A second signal: leave now. Every request that may have reached NetBox is in the ledger.
        diag(`apply-batch: ${signal} again: exiting at once. The ledger ${ledgerPath} is kept; NetBox may hold objects of this run.`);
        diag(`hint: apply-batch --recover (with the real-write flags) waits out the settle fence, finds what ${runId} created and deletes it`);
        writeStderr(`${summaryLine("BATCH_APPLY_ROLLBACK_INCOMPLETE", { mode, batch_id: batchId, items: checked.validation.summary.item_count, interrupted: signal })}\n`);
        lock.release();
        // The one exit outside main.ts: a second Ctrl-C must not wait for anything.
        process.exit(ExitCode.needsHuman);
      }).install();
    }
    const ctx: StepContext = { client, ledger, runId, now, seq: { value: 0 }, chunkSize: tuning.chunkSize, audit };
    const rollbackChangelog = clipped(`opsgate apply-batch ${batchId} operator=${options.operator.trim()} rollback ${runId}`);
    audit("apply.start", { gates: chain.gates.map((g) => `${g.gate_id}:${g.status}`) });
    if (mode === "real" && chain.dryRunRecord && existsSync(chain.dryRunRecord)) {
      // A dry-run vouches for one run: after this one, whatever its outcome, dry-run again.
      renameSync(chain.dryRunRecord, chain.dryRunRecord.replace(/\.json$/, `.used-by-${runId}.json`));
    }

    let write: WriteResult;
    if (mode === "recover") {
      write = await runRecovery({ ctx, checked, ledgerState: chain.ledger!, changelog: rollbackChangelog, settleFenceMs: tuning.settleFenceMs, interrupt });
    } else {
      const requests = planWriteRequests(chain.plan!, { operator: options.operator.trim(), chunkSize: tuning.chunkSize, concurrency: tuning.concurrency });
      write = await executeWrite({ ctx, plan: chain.plan!, requests, rollbackChangelog, concurrency: tuning.concurrency, settleFenceMs: tuning.settleFenceMs, interrupt });
    }
    const ledgerOutcome = mode === "recover" && write.outcome === "rolled_back" ? "recovered" : write.outcome;
    const remaining = write.left.filter((l) => l.netbox_id !== null).map((l) => ({ item_id: l.item_id, object_type: l.object_type, id: l.netbox_id! }));
    ledger.append({ kind: "run_end", run_id: runId, outcome: ledgerOutcome, created: write.created.map(({ item_id, object_type, id }) => ({ item_id, object_type, id })), remaining, at: now() });

    const approvals: RunReport["approvals"] = [];
    if (mode === "real" && write.outcome === "applied") {
      for (const approvalId of approvalIds) {
        const validAt = hold?.ok ? hold.validAt : undefined;
        const moved = await moveApproval(() =>
          markApprovalApplied({ approvalsRoot: checked.dirs.approvalsDir, approvalId, batchId, operator: options.operator.trim(), auditLog, ...(validAt ? { validAt } : {}) }),
        );
        if (moved.ok) approvals.push({ approval_id: approvalId, status: "applied", message: "moved to applied/" });
        else {
          approvals.push({ approval_id: approvalId, status: "not_moved", message: moved.refusal.message });
          warnings.push(`approval ${approvalId} was not moved to applied: ${moved.refusal.message}`);
          warn(`approval ${approvalId} was not moved to applied: ${moved.refusal.message}`);
        }
      }
    }
    audit("apply.end", { outcome: ledgerOutcome, created: write.created.length, left: write.left.length });

    const report: RunReport = {
      ...base,
      outcome: write.outcome,
      run_id: runId,
      requests: [...write.writes, ...(write.rollback?.requests ?? [])],
      created: write.created.map((c) => ({ item_id: c.item_id, object_type: c.object_type, netbox_id: c.id, url: objectUrl(client.baseUrl, c.object_type, c.id) })),
      verification: write.verification,
      failure: write.failure,
      left_in_netbox: write.left,
      approvals,
      warnings,
      summary: {
        ...base.summary,
        write_request_count: write.writes.length + (write.rollback?.requests.length ?? 0),
        created_count: write.created.length,
        deleted_request_count: write.rollback?.requests.length ?? 0,
        left_count: write.left.length,
      },
    };
    if (!humanViewWanted(options.format)) explainRun(report);
    // NetBox has been written: a local file that cannot be written now is a warning, never exit 2.
    emit(report, secrets, options, mode === "simulate" ? join(paths.dir, "simulate") : paths.dir, `apply-${runId}.json`, true, chain.plan?.items);
    return { exitCode: exitCodeOf(mode, write), summary: runSummary(report, interrupt.signal ? { interrupted: interrupt.signal } : {}) };
  } finally {
    interrupt.dispose();
    releaseHold?.();
    lock.release();
  }
}

function writeClientFor(mode: ChainMode, capability: WriteCapability, options: Parameters<typeof createWriteClient>[0], sim: NetBoxSimulator | undefined): WriteClient {
  if (mode === "simulate") return createSimulatorWriteClient(sim!, capability);
  return createWriteClient(options, capability);
}

function exitCodeOf(mode: ChainMode, write: WriteResult): ExitCodeValue {
  if (write.outcome === "rollback_incomplete") return ExitCode.needsHuman;
  if (write.outcome === "applied") return ExitCode.ok;
  // A recovery that removed everything did what it was asked; a write that was undone did not.
  return mode === "recover" ? ExitCode.ok : ExitCode.external;
}

function clipped(text: string): string {
  return clipChangelog(text);
}

function baseReport(generatedAt: string, mode: ChainMode, operator: string, checked: CheckedPlan, chain: ChainResult, target: NetBoxTarget, url: string): RunReport {
  return {
    schema_version: "batch_apply_report_v1",
    generated_at: generatedAt,
    mode,
    outcome: "refused",
    batch_id: checked.validation.batch_id,
    device: checked.device,
    operator,
    plan_sha256: checked.validation.plan_sha256,
    run_id: null,
    netbox: { target, url: target === "simulator" ? null : url, netbox_version: chain.netboxVersion, api_version: chain.apiVersion },
    gates: chain.gates,
    validation: { status: checked.validation.status, checks: checked.validation.checks },
    existing: chain.preflight?.existing ?? [],
    preflight_findings: chain.preflight?.findings ?? [],
    requests: [],
    created: [],
    verification: { status: "skipped", mismatches: [] },
    failure: null,
    left_in_netbox: [],
    approvals: [],
    warnings: [],
    summary: { item_count: checked.validation.summary.item_count, write_request_count: 0, created_count: 0, deleted_request_count: 0, left_count: 0 },
  };
}

/**
 * stdout, --report, and `<dir>/<name>`: the same redacted bytes, refused if a token survived. After
 * NetBox was written (`afterWrite`), a file that cannot be written is said on stderr and the run's
 * outcome stands: the summary line must still tell what happened to NetBox. On a terminal stdout
 * shows the plan view instead (the plan's items give it each object's key fields).
 */
function emit(
  report: RunReport,
  secrets: string[],
  options: ApplyBatchOptions,
  dir: string | undefined,
  name: string,
  afterWrite = false,
  items?: readonly ApplyPlanSourceItem[],
): void {
  const safe = redactValue(report, secrets);
  const text = `${pyJsonStringify(safe as unknown as JsonValue)}\n`;
  assertNoKnownSecret(text, "the apply-batch report", secrets);
  emitReport(text, (term) => redactText(renderApplyPlan(applyPlanView(safe, items ? { items: redactValue(items, secrets) } : {}), term), secrets), options.format);
  const targets = [...(options.report ? [resolve(options.report)] : []), ...(dir ? [join(dir, name)] : [])];
  for (const target of targets) {
    try {
      writeTextAtomic(target, text);
    } catch (error) {
      if (!afterWrite || !(error instanceof UserError)) throw error;
      warn(`the report was not written to ${target}: ${error.message} (stdout has it; NetBox's outcome below stands)`);
    }
  }
}

/**
 * Every output of a run, checked before the gates (so before the first write): --report, the
 * batch's results folder, the approvals folder the records move in. A bad one is a usage error
 * while nothing has been written.
 */
function checkOutputs(options: ApplyBatchOptions, checked: CheckedPlan, mode: ChainMode, batchDir: string | undefined): void {
  const outputs: [string, string, "file" | "folder"][] = [];
  if (options.report) outputs.push(["--report", resolve(options.report), "file"]);
  if (batchDir) outputs.push(["--results-dir", mode === "simulate" ? join(batchDir, "simulate") : batchDir, "folder"]);
  if (mode === "real") {
    const root = checked.dirs.approvalsDir;
    outputs.push(["--approvals-dir", root, "folder"], ["--approvals-dir", join(root, "approved"), "folder"], ["--approvals-dir", join(root, "applied"), "folder"]);
  }
  for (const [flag, path, kind] of outputs) {
    const problem = outputPathProblem(path, kind);
    if (problem === undefined) continue;
    throw new UserError(`cannot write ${kind === "file" ? "the file" : "into the folder"}: ${problem}; nothing was sent to NetBox`, {
      where: `${flag} ${path}`,
      hint: kind === "file" ? "give --report a file path (not a folder) in a writable folder" : "make the folder writable, or choose another with the flag",
      summary: summaryLine("BATCH_APPLY_REFUSED", { mode, batch_id: checked.validation.batch_id ?? "-", items: checked.validation.summary.item_count, created: 0, requests: 0 }),
    });
  }
}

/** Moving an approval record after the write: a local failure is reported, never thrown. */
async function moveApproval(move: () => ReturnType<typeof markApprovalApplied>): Promise<Awaited<ReturnType<typeof markApprovalApplied>> | { ok: false; refusal: { message: string } }> {
  try {
    return await move();
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { ok: false, refusal: { message: error.message } };
  }
}

function explainRun(report: RunReport): void {
  if (report.failure) diag(`failure${report.failure.seq !== null ? ` at request ${report.failure.seq}` : ""}: ${report.failure.message}${report.failure.body ? ` ${JSON.stringify(report.failure.body).slice(0, 300)}` : ""}`);
  for (const m of report.verification.mismatches.slice(0, 10)) diag(`read-back: ${m.item_id} (${m.object_type} ${m.netbox_id}) ${m.field}: staged ${JSON.stringify(m.expected)}, NetBox has ${JSON.stringify(m.actual)}`);
  for (const left of report.left_in_netbox) diag(`LEFT IN NETBOX: ${left.item_id} ${left.object_type} ${left.netbox_id ?? "?"} ${left.url ?? ""} — ${left.why}`);
  if (report.outcome === "applied") diag(`applied: ${report.created.length} object(s) created and verified`);
  if (report.outcome === "rolled_back") {
    if (report.mode === "recover") diag("recovered: every object the interrupted run(s) created is deleted and confirmed gone");
    else if (report.created.length === 0) diag("rolled back: NetBox created nothing in this run; NetBox is as before");
    else diag(`rolled back: the ${report.created.length} object(s) created by this run were deleted and confirmed gone`);
  }
  if (report.outcome === "rollback_incomplete") {
    const open = report.left_in_netbox.some((l) => l.netbox_id === null);
    diag(`needs a human: the objects above are left in NetBox${open ? " or may still appear (a write whose outcome is not settled)" : ""}; the ledger lists them for apply-batch --recover`);
  }
}
