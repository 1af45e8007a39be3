import { resolve } from "node:path";
import type { CommandResult } from "../../command.js";
import { ExitCode, UserError } from "../../errors.js";
import { assertNoCredential, secretValuesFromEnv } from "../../guards/secrets.js";
import { checkOutputPath } from "../../io/files.js";
import { NetBoxError } from "../../netbox/errors.js";
import { diag } from "../../io/log.js";
import { runDryRun } from "../../apply/dry-run.js";
import type { ApplyBatchOptions } from "../../apply/options.js";

export type { ApplyBatchOptions } from "../../apply/options.js";

/**
 * `opsgate apply-batch`. Dry-run is the default (against NetBox, the simulator, or offline); the
 * two real-write flags select the gated real write (or, with --simulate, its rehearsal against the
 * in-process simulator), and --recover undoes an interrupted run.
 */
export async function runApplyBatch(options: ApplyBatchOptions): Promise<CommandResult> {
  // Before anything is read, written or sent: these values reach the report, the ledger, the audit
  // log, file names and every NetBox changelog_message.
  assertNoCredential(options.operator, "--operator");
  assertNoCredential(options.confirmBatchId, "--confirm-batch-id");
  assertNoCredential(options.netboxUrl, "--netbox-url");
  const realFlags = [options.confirmRealWriteBatch, options.enableRealPostImplementation].filter(Boolean).length;
  if (realFlags === 1) {
    throw new UserError("a real write needs both --confirm-real-write-batch and --enable-real-post-implementation", {
      where: options.confirmRealWriteBatch ? "--enable-real-post-implementation" : "--confirm-real-write-batch",
      hint: "pass both flags for a real write, or neither for a dry-run",
    });
  }
  const real = realFlags === 2 || Boolean(options.recover);
  if (options.dryRun && real) {
    throw new UserError(`--dry-run cannot be combined with ${options.recover ? "--recover" : "the real-write flags"}`, {
      where: "--dry-run",
      hint: "drop --dry-run for a real write, or the real-write flags for a dry-run",
    });
  }
  // `--batch-plan -` reads stdin: there is no plan folder to find the approvals from.
  if (options.batchPlan === "-" && options.approvalsDir === undefined) {
    throw new UserError("a plan read from stdin needs --approvals-dir", { where: "--approvals-dir", hint: "pass --approvals-dir <approvals-root>" });
  }
  const planPath = options.batchPlan === "-" ? "-" : resolve(options.batchPlan);
  if (real) {
    if (options.recover && options.simulate) {
      throw new UserError("--recover undoes a real run; the simulator keeps nothing to recover", { where: "--recover", hint: "drop --simulate" });
    }
    // Loaded only for a real write: the dry-run never imports the write path.
    const { runRealMode } = await import("../../apply/real/run.js");
    const mode = options.recover ? "recover" : options.simulate ? "simulate" : "real";
    return runRealMode({ ...options, batchPlan: planPath }, process.env, secretValuesFromEnv(), mode);
  }
  if (options.operator.trim() === "") throw new UserError("--operator must not be empty", { where: "--operator", hint: "who runs the batch, e.g. --operator ops.maria" });
  // A real write checks every output (report, results and approvals folders) before its first write.
  if (options.report) checkOutputPath(options.report, "--report");

  try {
    return await runDryRun({ ...options, batchPlan: planPath }, process.env, secretValuesFromEnv());
  } catch (error) {
    if (error instanceof NetBoxError) {
      // Unexpected here (dry-run maps them), kept as a safety net: never a stack for NetBox's faults.
      diag(`opsgate: NetBox: ${error.message}`);
      throw new UserError(error.message, { exitCode: ExitCode.external });
    }
    throw error;
  }
}
