import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../helpers/cli.js";
import { parseJson } from "../../src/json/read.js";
import { findApprovalRecord, type ApprovalLookup } from "../../src/plan/approvals.js";
import { validateBatchPlan, type BatchPlanValidationReport } from "../../src/plan/validate.js";

export const FIXTURES = join(PROJECT_ROOT, "fixtures/batch");
export const GOOD_APPROVALS = join(FIXTURES, "good/approvals");
export const EXPECTED = { id: 1890, name: "4WNET-MNS-KTG-RX" };
export const DEVICE_ARGS = ["--expected-device-id", "1890", "--expected-device", "4WNET-MNS-KTG-RX"];
export const PINNED = "2026-05-01T10:00:00+08:00";

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A fresh deep copy of a fixture plan, to mutate in a test. */
export function loadPlan(caseName = "good"): Json {
  return parseJson(readFileSync(join(FIXTURES, caseName, "plan.json"))) as Json;
}

export function itemById(plan: Json, itemId: string): Json {
  const item = (plan.items as Json[]).find((candidate) => candidate.item_id === itemId);
  if (!item) throw new Error(`no item ${itemId}`);
  return item;
}

export function goodApprovals(): Map<string, ApprovalLookup> {
  return new Map(["approval-0007", "approval-0008"].map((id) => [id, findApprovalRecord(GOOD_APPROVALS, id)]));
}

export function validate(plan: unknown, approvals?: Map<string, ApprovalLookup>, now = new Date()): BatchPlanValidationReport {
  return validateBatchPlan({ plan, expected: EXPECTED, now, generatedAt: PINNED, ...(approvals ? { approvals } : {}) });
}

/** check_id → status, for compact assertions. */
export function statuses(report: BatchPlanValidationReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((check) => [check.check_id, check.status]));
}

export function failedChecks(report: BatchPlanValidationReport): string[] {
  return report.checks.filter((check) => check.status === "fail").map((check) => check.check_id);
}

export function findingsOf(report: BatchPlanValidationReport, checkId: string): { item_id?: string; path?: string; message: string }[] {
  return report.checks.find((check) => check.check_id === checkId)?.findings ?? [];
}
