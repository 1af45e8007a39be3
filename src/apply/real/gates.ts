import { existsSync } from "node:fs";
import { readInputFile } from "../../io/input.js";
import { appendAuditEvent } from "../../audit/append.js";
import { UserError } from "../../errors.js";
import { isSafeId, resolveInside } from "../../guards/paths.js";
import { mintWriteCapability, REAL_WRITE_GATES, type GateOutcome, type WriteCapability } from "../../guards/write-capability.js";
import { tryLock, type Lock } from "../../io/lock.js";
import type { NetBoxStatus, ReadClient } from "../../netbox/client.js";
import { NetBoxError } from "../../netbox/errors.js";
import type { BatchPlan } from "../../schemas/batch-plan.js";
import { batchPaths } from "../ledger-gate.js";
import { liveLockOwner } from "../../io/lock.js";
import { ledgerState, readLedger, type LedgerState } from "../ledger.js";
import type { CheckedPlan } from "../plan-check.js";
import { runPreflight, type PreflightResult } from "../preflight.js";
import type { NetBoxTarget } from "../report.js";

/**
 * The real-write gate chain (SPEC §2.4), in order; the first gate that refuses ends the run, and
 * every gate after it is reported `skipped`. Each outcome goes to the audit log as it is decided
 * (if the audit log cannot take it, nothing is written to NetBox either). Only when all required
 * gates passed is the write capability minted.
 */
export type ChainMode = "real" | "simulate" | "recover";

export interface ChainInput {
  mode: ChainMode;
  flags: boolean;
  token: string | undefined;
  confirmBatchId: string;
  operator: string;
  checked: CheckedPlan;
  /** Read client carrying the write token (or the simulator's). */
  reader: ReadClient;
  target: NetBoxTarget;
  /** The ledger this run appends to (the simulator keeps its own). */
  /** The batch's real ledger and lock: what not_already_applied judges, in every mode. */
  ledgerPath: string;
  realLockPath: string;
  /** The lock this run takes (simulate has its own). */
  lockPath: string;
  auditLog: string;
}

export interface ChainResult {
  gates: GateOutcome[];
  /** The refusing gate, when one refused. */
  refused: GateOutcome | undefined;
  /** netbox_authenticated/preflight failed because NetBox did not answer properly: exit 3. */
  external: NetBoxError | undefined;
  capability: WriteCapability | undefined;
  lock: Lock | undefined;
  preflight: PreflightResult | undefined;
  netboxVersion: string | null;
  apiVersion: string | null;
  /** The ledger as read under the lock. */
  ledger: LedgerState | undefined;
  dryRunRecord: string | undefined;
  plan: BatchPlan | undefined;
  /** The netbox_authenticated answer, reused by the preflight (one GET /api/status/ per run). */
  status: NetBoxStatus | undefined;
}

const NOT_REQUIRED: Record<ChainMode, readonly string[]> = {
  real: [],
  simulate: ["flags_present", "token_present"],
  recover: ["dry_run_recorded", "preflight_none_exist"],
};

export function requiredGates(mode: ChainMode): string[] {
  return REAL_WRITE_GATES.filter((gate) => !NOT_REQUIRED[mode].includes(gate));
}

type Decision = { status: "pass" | "fail" | "skipped"; message: string };

export async function runGateChain(input: ChainInput): Promise<ChainResult> {
  const { checked, mode } = input;
  const batchId = typeof checked.view.batchId === "string" ? checked.view.batchId : "-";
  const result: ChainResult = {
    gates: [],
    refused: undefined,
    external: undefined,
    capability: undefined,
    lock: undefined,
    preflight: undefined,
    netboxVersion: null,
    apiVersion: null,
    ledger: undefined,
    dryRunRecord: undefined,
    plan: checked.plan,
    status: undefined,
  };
  const record = (gateId: string, decision: Decision): boolean => {
    const outcome: GateOutcome = { gate_id: gateId, ...decision };
    result.gates.push(outcome);
    appendAuditEvent(input.auditLog, {
      actor: input.operator.trim() || "(none)",
      command: "apply-batch",
      event: "apply.gate",
      subject: batchId,
      details: { mode, gate_id: gateId, status: decision.status, message: decision.message },
    });
    if (decision.status === "fail") result.refused = outcome;
    return decision.status !== "fail";
  };

  const gates: [string, () => Decision | Promise<Decision>][] = [
    ["flags_present", () => flagsGate(input)],
    ["token_present", () => tokenGate(input)],
    ["batch_id_confirmed", () => batchIdGate(input)],
    ["operator_present", () => (input.operator.trim() ? pass(`operator ${input.operator.trim()}`) : fail("--operator is empty: a real write names who ran it"))],
    ["plan_valid", () => planGate(input)],
    ["dry_run_recorded", () => dryRunGate(input, result)],
    ["not_already_applied", () => ledgerGate(input, ledgerState(readLedger(input.ledgerPath)), false)],
    ["lock_acquired", () => lockGate(input, result)],
    ["netbox_authenticated", () => authGate(input, result)],
    ["preflight_none_exist", () => preflightGate(input, result)],
  ];
  for (const [gateId, decide] of gates) {
    if (result.refused) {
      record(gateId, { status: "skipped", message: `not evaluated: ${result.refused.gate_id} refused` });
      continue;
    }
    try {
      record(gateId, await decide());
    } catch (error) {
      result.lock?.release();
      result.lock = undefined;
      throw error;
    }
  }
  if (!result.refused) result.capability = mintWriteCapability(batchId, result.gates, requiredGates(mode));
  else {
    result.lock?.release();
    result.lock = undefined;
  }
  return result;
}

const pass = (message: string): Decision => ({ status: "pass", message });
const fail = (message: string): Decision => ({ status: "fail", message });
const skip = (message: string): Decision => ({ status: "skipped", message });

function flagsGate(input: ChainInput): Decision {
  if (input.flags) return pass("--confirm-real-write-batch and --enable-real-post-implementation given");
  if (input.mode === "simulate") return skip("simulate mode writes only to the in-process simulator");
  return fail("a real write (and --recover) needs both --confirm-real-write-batch and --enable-real-post-implementation");
}

function tokenGate(input: ChainInput): Decision {
  if (input.mode === "simulate") return skip("simulate mode needs no token");
  return input.token ? pass("NETBOX_WRITE_TOKEN is set") : fail("NETBOX_WRITE_TOKEN is not set (the write token is read only from the environment)");
}

function batchIdGate(input: ChainInput): Decision {
  const planId = input.checked.view.batchId;
  if (typeof planId !== "string" || !isSafeId(planId)) return fail(`the plan's batch_id ${JSON.stringify(planId ?? null)} is not a valid id`);
  if (planId !== input.confirmBatchId) return fail(`--confirm-batch-id ${JSON.stringify(input.confirmBatchId)} does not match the plan's batch_id ${JSON.stringify(planId)}`);
  return pass(`--confirm-batch-id matches ${planId}`);
}

function planGate(input: ChainInput): Decision {
  const { validation } = input.checked;
  const failed = validation.checks.filter((c) => c.status === "fail");
  if (input.mode !== "recover") {
    if (failed.length === 0) return pass(`all ${validation.checks.length} checks passed, approvals included (plan_sha256 ${validation.plan_sha256 ?? "-"})`);
    return fail(`validation failed: ${failed.map((c) => c.check_id).join(", ")}`);
  }
  // Undoing a half-write must not wait on an approval that expired or was revoked since: every
  // check but approvals_bound, and the plan must be the one the interrupted run wrote.
  const blocking = failed.filter((c) => c.check_id !== "approvals_bound");
  if (blocking.length > 0) return fail(`validation failed: ${blocking.map((c) => c.check_id).join(", ")}`);
  const state = ledgerState(readLedger(input.ledgerPath));
  const shas = new Set(state.unresolved.filter((r) => r.mode !== "recover").map((r) => r.planSha256));
  if (shas.size > 0 && !shas.has(validation.plan_sha256 ?? "")) {
    return fail(`the plan's plan_sha256 ${validation.plan_sha256 ?? "-"} is not the one the interrupted run wrote (${[...shas].join(", ")})`);
  }
  return pass(`the plan is valid${failed.length > 0 ? " (approvals not required to undo)" : ""} and is the interrupted run's plan`);
}

/** The recorded dry-run must be `ready`, for this exact plan, checked against this NetBox. */
function dryRunGate(input: ChainInput, result: ChainResult): Decision {
  if (input.mode === "recover") return skip("--recover undoes a run; it plans no writes");
  const sha = input.checked.validation.plan_sha256 ?? "";
  const name = `dry-run-${sha}.json`;
  const batchDir = batchPaths(dirsOf(input), input.confirmBatchId).dir;
  // A simulated dry-run is recorded under simulate/, a real one beside the ledger: neither vouches for the other.
  const path = input.mode === "simulate" ? resolveInside(batchDir, "simulate", name) : resolveInside(batchDir, name);
  if (!existsSync(path)) {
    const open = ledgerState(readLedger(input.ledgerPath)).unresolved.map((r) => r.runId);
    if (open.length > 0) return fail(`the batch has an interrupted run (${open.join(", ")}) that may have left objects in NetBox: run apply-batch --recover first, then dry-run and apply again`);
    return fail(`no recorded ready dry-run for plan_sha256 ${sha} (run apply-batch without the real-write flags first)`);
  }
  let report: { verdict?: unknown; mode?: unknown; plan_sha256?: unknown; netbox?: { target?: unknown; url?: unknown } };
  try {
    report = JSON.parse(readInputFile(path, "dry-run report").toString("utf8")) as typeof report;
  } catch {
    return fail(`${name} is not readable JSON`);
  }
  if (report.verdict !== "ready" || report.mode !== "dry_run" || report.plan_sha256 !== sha) return fail(`${name} is not a ready dry-run of this plan`);
  if (report.netbox?.target !== input.target) return fail(`${name} was checked against ${String(report.netbox?.target)}, not ${input.target}`);
  if (input.target === "netbox" && report.netbox.url !== input.reader.baseUrl) return fail(`${name} was checked against ${String(report.netbox.url)}, not ${input.reader.baseUrl}`);
  result.dryRunRecord = path;
  return pass(`${name} (ready, ${input.target})`);
}

function dirsOf(input: ChainInput): string {
  return input.checked.dirs.resultsDir;
}

/**
 * not_already_applied: no applied run, and no unresolved run (which only --recover may touch). A
 * run in progress (its lock held by a live process) is left to the lock to refuse.
 */
function ledgerGate(input: ChainInput, state: LedgerState, underLock: boolean): Decision {
  const where = underLock ? " (re-read under the lock)" : "";
  if (state.applied) return fail(`the batch was applied by ${state.applied.runId}${where}`);
  const open = state.unresolved.map((r) => r.runId).join(", ");
  if (input.mode === "recover") {
    return state.unresolved.length > 0 ? pass(`unresolved run(s) to recover: ${open}${where}`) : fail(`nothing to recover: the ledger shows no interrupted run${where}`);
  }
  if (state.unresolved.length === 0) return pass(`no run of this batch applied or left objects${where}`);
  if (!underLock && liveLockOwner(input.realLockPath) !== undefined) return pass(`not applied; ${open} is in progress (the lock decides)`);
  return fail(`${open} was interrupted or left objects in NetBox; run apply-batch --recover first${where}`);
}

function lockGate(input: ChainInput, result: ChainResult): Decision {
  const lock = tryLock(input.lockPath, 0);
  if (!lock) {
    const owner = liveLockOwner(input.lockPath);
    return fail(`another apply-batch run holds the batch lock${owner !== undefined ? ` (pid ${owner})` : ""}`);
  }
  result.lock = lock;
  // The ledger may have changed between not_already_applied and the lock: decide again, under it.
  const state = ledgerState(readLedger(input.ledgerPath));
  const again = ledgerGate(input, state, true);
  if (again.status === "fail") {
    const previous = result.gates.find((g) => g.gate_id === "not_already_applied");
    if (previous) Object.assign(previous, again);
    return fail(`lock taken, but not_already_applied no longer holds: ${again.message}`);
  }
  result.ledger = state;
  return pass(`holding ${input.lockPath.split("/").slice(-2).join("/")}`);
}

async function authGate(input: ChainInput, result: ChainResult): Promise<Decision> {
  if (input.mode === "simulate") {
    const status = await input.reader.status();
    result.status = status;
    result.netboxVersion = status.netboxVersion ?? null;
    result.apiVersion = status.apiVersion ?? null;
    return pass("the in-process simulator needs no authentication");
  }
  try {
    const status = await input.reader.status();
    result.status = status;
    result.netboxVersion = status.netboxVersion ?? null;
    result.apiVersion = status.apiVersion ?? input.reader.apiVersion ?? null;
    return pass(`GET /api/status/ with the write token: NetBox ${status.netboxVersion ?? "(version not given)"}`);
  } catch (error) {
    if (!(error instanceof NetBoxError)) throw error;
    result.external = error;
    return fail(`GET /api/status/ with the write token failed: ${error.message}`);
  }
}

async function preflightGate(input: ChainInput, result: ChainResult): Promise<Decision> {
  if (input.mode === "recover") return skip("--recover deletes only what the ledger shows the interrupted run created");
  if (!result.plan) throw new UserError("internal: the plan passed validation but was not parsed");
  try {
    const preflight = await runPreflight(input.reader, result.plan, result.status);
    result.preflight = preflight;
    if (preflight.existing.length > 0) {
      return fail(`${preflight.existing.length} of the batch's objects already exist in NetBox (all-or-none: nothing is written)`);
    }
    if (preflight.findings.length > 0) return fail(preflight.findings.map((f) => f.message).join("; "));
    return pass(`none of the ${result.plan.items.length} objects exists (${preflight.requests} read requests)`);
  } catch (error) {
    if (!(error instanceof NetBoxError)) throw error;
    result.external = error;
    return fail(`the preflight could not read NetBox: ${error.message}`);
  }
}
