import type { Finding } from "../../schemas/findings.js";
import type { ApprovalSource } from "../approvals.js";
import { shownItemId, type ItemView, type PlanView } from "../view.js";

export type CheckId =
  | "schema_valid"
  | "supported_object_types"
  | "expected_device_matches"
  | "item_device_consistent"
  | "payload_complete"
  | "values_valid"
  | "item_ids_unique"
  | "natural_keys_unique"
  | "references_resolve"
  | "approvals_bound"
  | "no_secrets";

export interface ExpectedDevice {
  id: number;
  name: string;
}

export interface CheckContext {
  plan: unknown;
  view: PlanView;
  expected: ExpectedDevice;
  /** Absent: approvals_bound is skipped. */
  approvals?: ApprovalSource;
  /** The real clock, for approval expiry (never --generated-at or SOURCE_DATE_EPOCH). */
  now: Date;
  knownSecrets: string[];
}

/** A check's verdict: its findings, or `skipped` when it cannot judge this plan at all. */
export type CheckOutcome = { skipped: true } | { skipped?: false; findings: Finding[] };

export type Check = (ctx: CheckContext) => CheckOutcome;

export const SKIPPED: CheckOutcome = { skipped: true };

/** A finding at `items[i]<suffix>` naming the item when its id is well formed. */
export function itemFinding(item: ItemView, suffix: string, message: string): Finding {
  const finding: Finding = { path: `items[${item.index}]${suffix}`, message };
  const itemId = shownItemId(item);
  if (itemId !== undefined) finding.item_id = itemId;
  return finding;
}
