/**
 * One approval transition as people read it: `approval-0008: pending → approved by ana.approver`
 * and the record's essentials (device, requester, risk, items, expiry, reason), not the record.
 * Pure data from the updated record and the transition.
 */
export interface TransitionRecord {
  approval_id: string;
  state: string;
  device: { id: number; name: string };
  requested_by: string;
  risk_level: string;
  summary: string;
  items: readonly unknown[];
  decision: { actor: string; expires_at: string | null; reason: string } | null;
  state_history: readonly { reason: string }[];
}

export interface TransitionFacts {
  from: string;
  to: string;
  actor: string;
  /** Where the record is now. */
  path?: string;
  auditLog?: string;
}

export interface ApprovalTransitionView {
  kind: "approval_transition";
  approval_id: string;
  from: string;
  to: string;
  actor: string;
  line: string;
  essentials: { label: string; value: string }[];
}

export function approvalTransitionView(record: TransitionRecord, facts: TransitionFacts): ApprovalTransitionView {
  const essentials: { label: string; value: string }[] = [
    { label: "device", value: `${record.device.name} (${record.device.id})` },
    { label: "requested by", value: record.requested_by },
    { label: "risk", value: record.risk_level },
    { label: "items", value: String(record.items.length) },
  ];
  if (record.summary) essentials.push({ label: "summary", value: record.summary });
  const reason = record.state_history.at(-1)?.reason;
  if (reason) essentials.push({ label: "reason", value: reason });
  if (record.state === "approved" && record.decision?.expires_at) essentials.push({ label: "expires", value: record.decision.expires_at });
  if (facts.path) essentials.push({ label: "record", value: facts.path });
  if (facts.auditLog) essentials.push({ label: "audit log", value: facts.auditLog });
  return {
    kind: "approval_transition",
    approval_id: record.approval_id,
    from: facts.from,
    to: facts.to,
    actor: facts.actor,
    line: `${record.approval_id}: ${facts.from} → ${facts.to} by ${facts.actor}`,
    essentials,
  };
}
