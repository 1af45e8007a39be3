import { planView, type ItemView } from "./view.js";
import { schemaValid } from "./checks/schema.js";
import { supportedObjectTypes } from "./checks/object-types.js";
import { expectedDeviceMatches, itemDeviceConsistent } from "./checks/device.js";
import { payloadComplete } from "./checks/payload.js";
import { valuesValid } from "./checks/values.js";
import { itemIdsUnique, naturalKeysUnique } from "./checks/uniqueness.js";
import { referencesResolve } from "./checks/references.js";
import { approvalsBound } from "./checks/approvals.js";
import { noSecrets } from "./checks/secrets.js";
import type { Check, CheckContext, CheckId, ExpectedDevice } from "./checks/types.js";
import type { ApprovalLookup, ApprovalSource } from "./approvals.js";
import { approvalSourceFrom } from "./approvals.js";
import type { Finding } from "../schemas/findings.js";
import { redactInPlace } from "../guards/redact-in-place.js";
import { isSafeId } from "../guards/paths.js";

export type { ExpectedDevice } from "./checks/types.js";
export type { Finding } from "../schemas/findings.js";

/** The eleven checks of SPEC §2.2, in report order. */
export const CHECKS: readonly (readonly [CheckId, Check])[] = [
  ["schema_valid", schemaValid],
  ["supported_object_types", supportedObjectTypes],
  ["expected_device_matches", expectedDeviceMatches],
  ["item_device_consistent", itemDeviceConsistent],
  ["payload_complete", payloadComplete],
  ["values_valid", valuesValid],
  ["item_ids_unique", itemIdsUnique],
  ["natural_keys_unique", naturalKeysUnique],
  ["references_resolve", referencesResolve],
  ["approvals_bound", approvalsBound],
  ["no_secrets", noSecrets],
];

export interface CheckResult {
  check_id: CheckId;
  status: "pass" | "fail" | "skipped";
  findings: Finding[];
}

export interface ReportItem {
  item_id: string | null;
  object_type: string | null;
  action: string | null;
  approval_id: string | null;
  payload_sha256: string | null;
  depends_on: string[];
}

/** `batch_plan_validation_v1` (SPEC §2.2). */
export interface BatchPlanValidationReport {
  schema_version: "batch_plan_validation_v1";
  generated_at: string;
  batch_id: string | null;
  device: ExpectedDevice;
  plan_sha256: string | null;
  status: "valid" | "invalid";
  checks: CheckResult[];
  items: ReportItem[];
  summary: {
    item_count: number;
    object_type_counts: Record<string, number>;
    check_count: number;
    failed_check_count: number;
    finding_count: number;
  };
}

export interface ValidateInput {
  /** The parsed plan (any JSON value: the schema check judges it). */
  plan: unknown;
  expected: ExpectedDevice;
  /** Approval records by approval id (or a lookup function); absent → approvals_bound skipped. */
  approvals?: ApprovalSource | ReadonlyMap<string, ApprovalLookup>;
  /** The real clock, for approval expiry only. */
  now: Date;
  generatedAt: string;
  /** Token values from the environment that must never appear in the plan. */
  knownSecrets?: string[];
  /** Called before each check (progress for a person watching a large plan). */
  onCheck?: (checkId: CheckId, index: number, total: number) => void;
}

function reportItem(item: ItemView): ReportItem {
  return {
    item_id: item.itemId ?? null,
    object_type: item.objectType ?? null,
    action: item.action ?? null,
    approval_id: item.approvalId ?? null,
    payload_sha256: item.payloadSha256,
    depends_on: item.dependsOn ?? [],
  };
}

function countByType(items: readonly ItemView[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    if (item.objectType === undefined) continue;
    counts[item.objectType] = (Object.hasOwn(counts, item.objectType) ? (counts[item.objectType] ?? 0) : 0) + 1;
  }
  return counts;
}

/** Runs the eleven checks and returns the report; pure (records and clock come in as data). */
export function validateBatchPlan(input: ValidateInput): BatchPlanValidationReport {
  const view = planView(input.plan, { planSha256: true });
  const ctx: CheckContext = { plan: input.plan, view, expected: input.expected, now: input.now, knownSecrets: input.knownSecrets ?? [] };
  if (input.approvals) ctx.approvals = typeof input.approvals === "function" ? input.approvals : approvalSourceFrom(input.approvals);
  const checks = CHECKS.map(([checkId, check], index): CheckResult => {
    input.onCheck?.(checkId, index, CHECKS.length);
    const outcome = check(ctx);
    if (outcome.skipped) return { check_id: checkId, status: "skipped", findings: [] };
    return { check_id: checkId, status: outcome.findings.length > 0 ? "fail" : "pass", findings: outcome.findings };
  });
  const failed = checks.filter((check) => check.status === "fail").length;
  const items = view.items ?? [];
  const report: BatchPlanValidationReport = {
    schema_version: "batch_plan_validation_v1",
    generated_at: input.generatedAt,
    batch_id: isSafeId(view.batchId) ? view.batchId : null,
    device: { id: input.expected.id, name: input.expected.name },
    plan_sha256: view.planSha256 ?? null,
    status: failed === 0 ? "valid" : "invalid",
    checks,
    items: items.map(reportItem),
    summary: {
      item_count: items.length,
      object_type_counts: countByType(items),
      check_count: checks.length,
      failed_check_count: failed,
      finding_count: checks.reduce((sum, check) => sum + check.findings.length, 0),
    },
  };
  // The plan may carry credentials (no_secrets says where); the report echoes ids and types, so
  // it goes through the same redaction as every other output: redactValue's rules, applied in
  // place (the report is ours and fresh: a redacted deep copy of 100,000 items is not needed).
  redactInPlace(report, input.knownSecrets ?? []);
  return report;
}
