import { integrityProblems } from "../../approvals/integrity.js";
import { sameActor } from "../../approvals/names.js";
import type { ApprovalRecord } from "../../schemas/approval-record.js";
import type { Finding } from "../../schemas/findings.js";
import type { ApprovalLookup } from "../approvals.js";
import { quoted, type ItemView } from "../view.js";
import { SKIPPED, itemFinding, type Check, type CheckContext } from "./types.js";

/** What is wrong with the record as a whole, whichever item points at it. */
function recordProblems(lookup: ApprovalLookup, approvalId: string, ctx: CheckContext): string[] {
  const id = quoted(approvalId);
  switch (lookup.kind) {
    case "missing":
      return [`no approval record ${id} in any state folder of --approvals-dir${lookup.notes.length ? ` (${lookup.notes.join("; ")})` : ""}`];
    case "invalid":
      return [lookup.message];
    case "ambiguous":
      return [`approval ${id} has a record in several state folders (${lookup.files.join(", ")})`];
    case "found":
      return [
        ...(lookup.verdict?.problems ?? []).map((problem) => `approval ${quoted(approvalId)} (${lookup.file}): ${problem.message} [${problem.code}]`),
        ...foundRecordProblems(lookup.record, lookup.folder, approvalId, ctx),
      ];
  }
}

function foundRecordProblems(record: ApprovalRecord, folder: string, approvalId: string, ctx: CheckContext): string[] {
  const id = quoted(approvalId);
  // Folder/state, file name/id and subject tampering: the same integrity rules manage-approval-state enforces.
  const problems = integrityProblems(record, { folder, fileName: `${approvalId}.json` }).map((problem) => `approval ${id}: ${problem.message}`);
  const expected = ctx.expected;
  if (record.state !== "approved") problems.push(`approval ${id} is ${record.state}, not approved`);
  const decision = record.decision;
  if (!decision || decision.action !== "approve") problems.push(`approval ${id} has no approve decision`);
  else {
    // The real clock decides (ctx.now); a missing or unreadable expiry counts as expired.
    const expiresAt = decision.expires_at === null ? Number.NaN : Date.parse(decision.expires_at);
    if (!(expiresAt > ctx.now.getTime())) problems.push(`approval ${id} expired${decision.expires_at ? ` at ${decision.expires_at}` : " (no expiry set)"}`);
    if (sameActor(decision.actor, record.requested_by)) problems.push(`approval ${id} was approved by its own requester ${quoted(record.requested_by)}`);
  }
  if (record.device.id !== expected.id || record.device.name !== expected.name) {
    problems.push(`approval ${id} is for device ${record.device.id} ${quoted(record.device.name)}, not ${expected.id} ${quoted(expected.name)}`);
  }
  return problems;
}

/** What is wrong between one item and the record that should cover it. */
function itemProblems(item: ItemView, listed: ReadonlyMap<string, ApprovalRecord["items"][number]>, approvalId: string): string[] {
  const id = quoted(approvalId);
  const entry = item.itemId === undefined ? undefined : listed.get(item.itemId);
  if (!entry) return [`approval ${id} does not list item ${quoted(item.itemId ?? "")}`];
  const problems: string[] = [];
  if (item.objectType !== undefined && entry.object_type !== item.objectType) {
    problems.push(`approval ${id} lists this item as ${quoted(entry.object_type)}, not ${quoted(item.objectType)}`);
  }
  if (entry.payload_sha256 !== item.payloadSha256) problems.push(`staged_payload changed since approval ${id} (payload_sha256 differs)`);
  return problems;
}

/** approvals_bound: every item is covered by a live, four-eyes approval of exactly its payload. */
export const approvalsBound: Check = (ctx) => {
  const source = ctx.approvals;
  if (!source || !ctx.view.items) return SKIPPED;
  const findings: Finding[] = [];
  // Each record's items by item_id, built once: a record may cover thousands of items.
  const listedBy = new Map<string, Map<string, ApprovalRecord["items"][number]>>();
  for (const item of ctx.view.items) {
    const approvalId = item.approvalId;
    if (approvalId === undefined) continue; // the schema reports a missing approval_id
    const lookup = source(approvalId);
    let listed = listedBy.get(approvalId);
    if (!listed) {
      listed = new Map();
      if (lookup.kind === "found") for (const entry of lookup.record.items) if (!listed.has(entry.item_id)) listed.set(entry.item_id, entry);
      listedBy.set(approvalId, listed);
      for (const message of recordProblems(lookup, approvalId, ctx)) findings.push(itemFinding(item, ".approval_id", message));
    }
    if (lookup.kind === "found" && item.itemId !== undefined) {
      for (const message of itemProblems(item, listed, approvalId)) findings.push(itemFinding(item, ".approval_id", message));
    }
  }
  return { findings };
};
