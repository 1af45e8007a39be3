import { scanApprovalsRoot, type ScannedFile } from "../../approvals/scan.js";
import { buildApprovalQueue, type QueueEntry, type QueueReport } from "../../approvals/queue.js";
import { redactValue } from "../../guards/secrets.js";
import type { ApprovalRecord } from "../../schemas/approval-record.js";
import { isRealDir } from "./files.js";
import { loadTrust } from "../../approvals/trust.js";
import type { Trust } from "../../approvals/verify.js";

/** The approvals root as `approvals list` sees it, plus each record for its own page. */
export interface ApprovalsData {
  configured: boolean;
  /** Why the folder could not be read at all (missing, not a folder, permission). */
  problem: string | undefined;
  queue: QueueReport;
  records: Map<string, { record: ApprovalRecord; path: string }[]>;
}

const EMPTY_FILES: ScannedFile[] = [];

export function loadApprovals(root: string | undefined, now: Date, auditLog?: string): ApprovalsData {
  let files = EMPTY_FILES;
  let problem: string | undefined;
  let trust: Trust | undefined;
  if (root !== undefined) {
    if (!isRealDir(root)) problem = "the approvals folder is missing or not a folder";
    else {
      try {
        files = [...scanApprovalsRoot(root)];
      } catch (error) {
        problem = `cannot read the approvals folder (${(error as NodeJS.ErrnoException).code ?? "error"})`;
      }
      try {
        // Signatures are verified as `approvals list` verifies them: allowed_signers, policy, audit log.
        trust = loadTrust(root, { auditLog });
      } catch (error) {
        problem = `cannot verify signatures: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
  }
  // Ages and expiry use the real clock: the dashboard shows what is true now.
  const queue = redactValue(buildApprovalQueue(files, { generatedAt: now, now, trust }));
  const records = new Map<string, { record: ApprovalRecord; path: string }[]>();
  for (const file of files) {
    if (file.parse.kind !== "record") continue;
    const record = redactValue(file.parse.record);
    records.set(record.approval_id, [...(records.get(record.approval_id) ?? []), { record, path: file.relPath }]);
  }
  return { configured: root !== undefined, problem, queue, records };
}

export interface QueueFilter {
  state?: string;
  device?: string;
  risk?: string;
  requester?: string;
}

/** The queue rows a filter keeps (exact match on each given field; device by name or id). */
export function filterQueue(entries: readonly QueueEntry[], filter: QueueFilter): QueueEntry[] {
  return entries.filter(
    (entry) =>
      (!filter.state || entry.state === filter.state) &&
      (!filter.device || entry.device.name === filter.device || String(entry.device.id) === filter.device) &&
      (!filter.risk || entry.risk_level === filter.risk) &&
      (!filter.requester || entry.requested_by === filter.requester),
  );
}

export const HOUR_MS = 3_600_000;

/** Approved records whose expiry falls within the next 48 hours (not yet expired). */
export function expiringSoon(entries: readonly QueueEntry[], now: Date): QueueEntry[] {
  return entries.filter((entry) => {
    if (entry.state !== "approved" || entry.expires_at === null || entry.expired) return false;
    const left = Date.parse(entry.expires_at) - now.getTime();
    return left > 0 && left <= 48 * HOUR_MS;
  });
}
