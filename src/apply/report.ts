import { summaryLine } from "../command.js";
import type { BatchPlanValidationReport, CheckResult } from "../plan/validate.js";
import type { PlannedRequest } from "./write-plan.js";
import type { ExistingObject, PreflightFinding, PreflightResult } from "./preflight.js";

/**
 * `batch_apply_report_v1` for a dry-run: what the real write would send, in order, what already
 * exists, and the verdict. No timings and no request ids, so the same plan, NetBox and
 * --generated-at give the same bytes.
 */
export type Verdict = "ready" | "blocked" | "invalid";
export type NetBoxTarget = "netbox" | "simulator" | "offline";
export type PreflightStatus = "done" | "skipped_offline" | "skipped_invalid";

export interface BatchApplyDryRunReport {
  schema_version: "batch_apply_report_v1";
  generated_at: string;
  mode: "dry_run";
  verdict: Verdict;
  batch_id: string | null;
  device: { id: number; name: string } | null;
  operator: string;
  plan_sha256: string | null;
  netbox: { target: NetBoxTarget; url: string | null; netbox_version: string | null; api_version: string | null; preflight: PreflightStatus };
  validation: { status: "valid" | "invalid"; checks: CheckResult[] };
  existing: ExistingObject[];
  preflight_findings: PreflightFinding[];
  requests: PlannedRequest[];
  summary: {
    item_count: number;
    request_count: number;
    level_count: number;
    existing_count: number;
    created_count: 0;
    preflight_request_count: number;
  };
}

export interface DryRunInput {
  generatedAt: string;
  operator: string;
  device: { id: number; name: string } | null;
  validation: BatchPlanValidationReport;
  requests: PlannedRequest[];
  target: NetBoxTarget;
  url: string | null;
  preflight: PreflightResult | undefined;
}

export function buildDryRunReport(input: DryRunInput): BatchApplyDryRunReport {
  const { validation, preflight, requests } = input;
  const valid = validation.status === "valid";
  const blocked = preflight !== undefined && (preflight.existing.length > 0 || preflight.findings.length > 0);
  const verdict: Verdict = !valid ? "invalid" : blocked ? "blocked" : "ready";
  return {
    schema_version: "batch_apply_report_v1",
    generated_at: input.generatedAt,
    mode: "dry_run",
    verdict,
    batch_id: validation.batch_id,
    device: input.device,
    operator: input.operator,
    plan_sha256: validation.plan_sha256,
    netbox: {
      target: input.target,
      url: input.url,
      netbox_version: preflight?.netbox_version ?? null,
      api_version: preflight?.api_version ?? null,
      preflight: !valid ? "skipped_invalid" : preflight ? "done" : "skipped_offline",
    },
    validation: { status: validation.status, checks: validation.checks },
    existing: preflight?.existing ?? [],
    preflight_findings: preflight?.findings ?? [],
    requests,
    summary: {
      item_count: validation.summary.item_count,
      request_count: requests.length,
      level_count: new Set(requests.map((r) => r.level)).size,
      existing_count: preflight?.existing.length ?? 0,
      created_count: 0,
      preflight_request_count: preflight?.requests ?? 0,
    },
  };
}

const KINDS: Record<Verdict, string> = { ready: "BATCH_APPLY_READY", blocked: "BATCH_APPLY_BLOCKED", invalid: "BATCH_APPLY_INVALID" };

export function dryRunSummary(report: BatchApplyDryRunReport): string {
  return summaryLine(KINDS[report.verdict], {
    mode: "dry_run",
    batch_id: report.batch_id ?? "-",
    items: report.summary.item_count,
    created: 0,
    requests: report.summary.request_count,
  });
}
