import type { BatchPlanValidationReport } from "../plan/validate.js";

/**
 * A batch-plan validation as people read it: each check in report order with pass/fail/skipped
 * and what it means, the findings under each with item and JSON path. Pure data from a
 * `batch_plan_validation_v1` report (or the `validation` part of an apply-batch report).
 */
export type CheckStatus = "pass" | "fail" | "skipped";

export interface ValidationFinding {
  item_id: string | null;
  path: string | null;
  message: string;
}

export interface ValidationCheck {
  check_id: string;
  status: CheckStatus;
  /** What the check guards, in a few words. */
  title: string;
  findings: ValidationFinding[];
}

export interface ValidationView {
  kind: "validation";
  batch_id: string | null;
  device: string;
  status: "valid" | "invalid";
  plan_sha256: string | null;
  generated_at: string;
  checks: ValidationCheck[];
  counts: { items: number; checks: number; passed: number; failed: number; skipped: number; findings: number };
  object_types: { object_type: string; count: number }[];
  headline: string;
}

export const CHECK_TITLES: Record<string, string> = {
  schema_valid: "the plan matches batch_staged_apply_plan_v1",
  supported_object_types: "object types and actions opsgate can write",
  expected_device_matches: "the plan's device is the expected one",
  item_device_consistent: "every item targets that device",
  payload_complete: "required fields are present",
  values_valid: "values NetBox would accept",
  item_ids_unique: "item ids are unique",
  natural_keys_unique: "no two items create the same object",
  references_resolve: "$ref targets exist, are dependencies, no cycle",
  approvals_bound: "every item is covered by a valid approval",
  no_secrets: "no credentials in the plan",
};

export function validationView(report: BatchPlanValidationReport): ValidationView {
  const checks: ValidationCheck[] = report.checks.map((check) => ({
    check_id: check.check_id,
    status: check.status,
    title: CHECK_TITLES[check.check_id] ?? check.check_id,
    findings: check.findings.map((f) => ({ item_id: f.item_id ?? null, path: f.path ?? null, message: f.message })),
  }));
  const count = (status: CheckStatus): number => checks.filter((check) => check.status === status).length;
  const counts = {
    items: report.summary.item_count,
    checks: checks.length,
    passed: count("pass"),
    failed: count("fail"),
    skipped: count("skipped"),
    findings: report.summary.finding_count,
  };
  const headline =
    report.status === "valid"
      ? `Valid: ${counts.passed} of ${counts.checks} checks passed${counts.skipped ? `, ${counts.skipped} skipped` : ""}; ${counts.items} item(s).`
      : `Invalid: ${counts.failed} of ${counts.checks} checks failed with ${counts.findings} finding(s).`;
  const types = Object.entries(report.summary.object_type_counts)
    .map(([object_type, n]) => ({ object_type, count: n }))
    .sort((a, b) => (a.object_type < b.object_type ? -1 : a.object_type > b.object_type ? 1 : 0));
  return {
    kind: "validation",
    batch_id: report.batch_id,
    device: `${report.device.name} (${report.device.id})`,
    status: report.status,
    plan_sha256: report.plan_sha256,
    generated_at: report.generated_at,
    checks,
    counts,
    object_types: types,
    headline,
  };
}
