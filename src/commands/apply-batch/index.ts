import { resolve } from "node:path";
import type { CommandResult } from "../../command.js";
import { summaryLine } from "../../command.js";
import { ExitCode, UserError } from "../../errors.js";
import { secretValuesFromEnv } from "../../guards/secrets.js";
import { NetBoxError } from "../../netbox/errors.js";
import { diag } from "../../io/log.js";
import { runDryRun } from "./dry-run.js";
import type { ApplyBatchOptions } from "./options.js";

export type { ApplyBatchOptions } from "./options.js";

/**
 * `opsgate apply-batch`. Dry-run is the default and the only mode of this release; the real write,
 * simulate-write and --recover arrive with issue 6 and will refuse until then.
 */
export async function runApplyBatch(options: ApplyBatchOptions): Promise<CommandResult> {
  const realFlags = [options.confirmRealWriteBatch, options.enableRealPostImplementation].filter(Boolean).length;
  if (realFlags === 1) {
    throw new UserError("a real write needs both --confirm-real-write-batch and --enable-real-post-implementation", {
      where: options.confirmRealWriteBatch ? "--enable-real-post-implementation" : "--confirm-real-write-batch",
      hint: "pass both flags for a real write, or neither for a dry-run",
    });
  }
  if (realFlags === 2 || options.recover) {
    const what = options.recover ? "--recover" : "the real write";
    throw new UserError(`${what} is not available in this release; nothing was written`, {
      exitCode: ExitCode.gateRefused,
      where: options.recover ? "--recover" : "--confirm-real-write-batch",
      hint: "run without the real-write flags for a dry-run; the gated real write lands with the next release",
      summary: summaryLine("BATCH_APPLY_REFUSED", { mode: options.recover ? "recover" : "real", batch_id: "-", items: 0, created: 0, requests: 0 }),
    });
  }
  if (options.operator.trim() === "") throw new UserError("--operator must not be empty", { where: "--operator", hint: "who runs the batch, e.g. --operator ops.maria" });

  try {
    return await runDryRun({ ...options, batchPlan: resolve(options.batchPlan) }, process.env, secretValuesFromEnv());
  } catch (error) {
    if (error instanceof NetBoxError) {
      // Unexpected here (dry-run maps them), kept as a safety net: never a stack for NetBox's faults.
      diag(`opsgate: NetBox: ${error.message}`);
      throw new UserError(error.message, { exitCode: ExitCode.external });
    }
    throw error;
  }
}
