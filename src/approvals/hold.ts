import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { processAlive, tryLock } from "../io/lock.js";
import { tempTag } from "../io/temp-registry.js";
import { assertSafeId, resolveInside } from "../guards/paths.js";
import { recordLockPath } from "./layout.js";

/**
 * A real apply holds the approval records it uses for the whole run: `<root>/.holds/<id>.hold`,
 * created under the record's lock (so it never slips between a revoke's check and its move) and
 * naming the run. A revoke meanwhile is refused; a hold whose process died is ignored.
 */
export interface HoldInfo {
  pid: number;
  run_id: string;
  batch_id: string;
}

export function holdPath(root: string, approvalId: string): string {
  return resolveInside(root, ".holds", `${assertSafeId(approvalId, "approval_id")}.hold`);
}

/** The live hold on a record, if any (a dead process's hold is stale and removed). */
export function activeHold(root: string, approvalId: string): HoldInfo | undefined {
  const path = holdPath(root, approvalId);
  let info: HoldInfo;
  try {
    info = JSON.parse(readFileSync(path, "utf8")) as HoldInfo;
  } catch {
    return undefined;
  }
  if (Number.isInteger(info.pid) && info.pid > 0 && processAlive(info.pid)) return info;
  rmSync(path, { force: true });
  return undefined;
}

export type HoldResult = { ok: true; release: () => void } | { ok: false; message: string };

/** Holds every record, or none: a record locked too long or held by another live run is refused. */
export function holdApprovals(root: string, approvalIds: string[], run: { runId: string; batchId: string }): HoldResult {
  const taken: string[] = [];
  const release = (): void => {
    for (const path of taken) rmSync(path, { force: true });
  };
  for (const id of approvalIds) {
    const lockPath = recordLockPath(root, id);
    mkdirSync(dirname(lockPath), { recursive: true });
    const lock = tryLock(lockPath, 10_000);
    if (!lock) {
      release();
      return { ok: false, message: `approval ${id} is being changed by another opsgate process` };
    }
    try {
      const other = activeHold(root, id);
      if (other && other.pid !== process.pid) {
        release();
        return { ok: false, message: `approval ${id} is held by ${other.run_id} of ${other.batch_id}` };
      }
      const path = holdPath(root, id);
      mkdirSync(dirname(path), { recursive: true });
      const temp = `${path}.${tempTag()}`;
      writeFileSync(temp, `${JSON.stringify({ pid: process.pid, run_id: run.runId, batch_id: run.batchId })}\n`, { flag: "wx" });
      try {
        rmSync(path, { force: true }); // our own earlier hold or a stale one
        linkSync(temp, path);
      } finally {
        rmSync(temp, { force: true });
      }
      taken.push(path);
    } finally {
      lock.release();
    }
  }
  return { ok: true, release };
}

/**
 * Holds the records a real apply uses, then reads each again under its hold: it must still be an
 * approved, verified, unexpired record (a revoke that landed between the gates and the hold is
 * seen here). Returns when the approvals were last known valid (`validAt`).
 */
export function holdAndRecheck(
  root: string,
  approvalIds: string[],
  run: { runId: string; batchId: string },
  recheck: (approvalId: string, now: Date) => string | undefined,
): { ok: true; release: () => void; validAt: Date } | { ok: false; message: string } {
  const held = holdApprovals(root, approvalIds, run);
  if (!held.ok) return held;
  const now = new Date();
  for (const id of approvalIds) {
    const problem = recheck(id, now);
    if (problem) {
      held.release();
      return { ok: false, message: problem };
    }
  }
  return { ok: true, release: held.release, validAt: now };
}
