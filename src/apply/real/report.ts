import { summaryLine } from "../../command.js";
import type { GateOutcome } from "../../guards/write-capability.js";
import type { CheckResult } from "../../plan/validate.js";
import type { ExistingObject, PreflightFinding } from "../preflight.js";
import type { NetBoxTarget } from "../report.js";
import type { ExecutedRequest } from "./steps.js";
import type { LeftObject, Mismatch } from "./write.js";

/**
 * `batch_apply_report_v1` of a real, simulated or recovery run: the gates, every write request
 * with its outcome, what was created (with URLs), the read-back verdict, the rollback, and every
 * object left behind. Never timings nor X-Request-IDs (they are in the ledger), so a simulated run
 * gives the same bytes every time.
 */
export type RunReportMode = "real" | "simulate" | "recover";
export type RunReportOutcome = "applied" | "rolled_back" | "rollback_incomplete" | "refused" | "blocked";

export interface RunReport {
  schema_version: "batch_apply_report_v1";
  generated_at: string;
  mode: RunReportMode;
  outcome: RunReportOutcome;
  batch_id: string | null;
  device: { id: number; name: string } | null;
  operator: string;
  plan_sha256: string | null;
  run_id: string | null;
  netbox: { target: NetBoxTarget; url: string | null; netbox_version: string | null; api_version: string | null };
  gates: GateOutcome[];
  validation: { status: "valid" | "invalid"; checks: CheckResult[] };
  existing: ExistingObject[];
  preflight_findings: PreflightFinding[];
  requests: ExecutedRequest[];
  created: { item_id: string; object_type: string; netbox_id: number; url: string }[];
  verification: { status: "passed" | "failed" | "skipped"; mismatches: Mismatch[] };
  failure: { seq: number | null; message: string; status: number | null; body: unknown } | null;
  left_in_netbox: LeftObject[];
  approvals: { approval_id: string; status: "applied" | "not_moved" | "unchanged"; message: string }[];
  warnings: string[];
  summary: {
    item_count: number;
    write_request_count: number;
    created_count: number;
    deleted_request_count: number;
    left_count: number;
  };
}

const KINDS: Record<RunReportOutcome, string> = {
  applied: "BATCH_APPLY_APPLIED",
  rolled_back: "BATCH_APPLY_ROLLED_BACK",
  rollback_incomplete: "BATCH_APPLY_ROLLBACK_INCOMPLETE",
  refused: "BATCH_APPLY_REFUSED",
  blocked: "BATCH_APPLY_BLOCKED",
};

export function runSummary(report: RunReport, extra: Record<string, string | number> = {}): string {
  return summaryLine(KINDS[report.outcome], {
    mode: report.mode,
    batch_id: report.batch_id ?? "-",
    items: report.summary.item_count,
    created: report.summary.created_count,
    requests: report.summary.write_request_count,
    ...(report.outcome === "rollback_incomplete" ? { left: report.summary.left_count } : {}),
    ...extra,
  });
}
