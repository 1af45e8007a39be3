import { liveLockOwner } from "../io/lock.js";
import { summaryLine } from "../command.js";
import { ExitCode, UserError } from "../errors.js";
import { resolveInside } from "../guards/paths.js";
import { ledgerState, readLedger } from "./ledger.js";

/** Where one batch keeps its ledger, lock, dry-run records and reports. */
export interface BatchPaths {
  dir: string;
  ledger: string;
  lock: string;
}

export function batchPaths(resultsDir: string, batchId: string): BatchPaths {
  return {
    dir: resolveInside(resultsDir, batchId),
    ledger: resolveInside(resultsDir, batchId, "ledger.jsonl"),
    lock: resolveInside(resultsDir, batchId, "apply.lock"),
  };
}

/**
 * Every run of a batch whose ledger shows an unresolved real run (interrupted, or a rollback that
 * left objects) refuses until `--recover` has undone it — the dry-run included, since its verdict
 * would describe a NetBox still holding half a batch.
 */
export function refuseWhileUnresolved(resultsDir: string, batchId: string, mode: string, items: number): void {
  const paths = batchPaths(resultsDir, batchId);
  const state = ledgerState(readLedger(paths.ledger));
  if (state.unresolved.length === 0) return;
  const owner = liveLockOwner(paths.lock);
  const runs = state.unresolved.map((run) => run.runId).join(", ");
  throw new UserError(
    owner !== undefined
      ? `batch ${batchId} is being applied right now by process ${owner} (${runs})`
      : `batch ${batchId} has an interrupted run (${runs}) that may have left objects in NetBox`,
    {
      exitCode: ExitCode.gateRefused,
      where: paths.ledger,
      hint: owner !== undefined ? "wait for that run to finish" : "run apply-batch --recover with the real-write flags first; then dry-run and apply again",
      summary: summaryLine("BATCH_APPLY_REFUSED", { mode, batch_id: batchId, items, created: 0, requests: 0 }),
    },
  );
}
