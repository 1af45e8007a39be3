import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { defaultApprovalsDir } from "../plan/approvals.js";
import { UserError } from "../errors.js";

/** apply-batch's flags as commander hands them over (camelCased). */
export interface ApplyBatchOptions {
  batchPlan: string;
  confirmBatchId: string;
  operator: string;
  netboxUrl?: string;
  simulate?: boolean;
  netboxState?: string;
  offline?: boolean;
  approvalsDir?: string;
  resultsDir?: string;
  auditLog?: string;
  confirmRealWriteBatch?: boolean;
  enableRealPostImplementation?: boolean;
  recover?: boolean;
  report?: string;
  generatedAt?: string;
  /** `--dry-run`: the default mode, said explicitly. */
  dryRun?: boolean;
  /** `--format json|table`: what stdout shows (report files are always JSON). */
  format?: string;
}


export interface ResolvedDirs {
  approvalsDir: string;
  resultsDir: string;
}

export function resolveDirs(options: ApplyBatchOptions): ResolvedDirs {
  const approvalsDir = options.approvalsDir !== undefined ? resolve(options.approvalsDir) : defaultApprovalsDir(options.batchPlan);
  if (approvalsDir === undefined || !existsSync(approvalsDir)) {
    throw new UserError(approvalsDir === undefined ? "no approvals folder found above the plan" : "approvals folder not found", {
      where: approvalsDir ?? options.batchPlan,
      hint: "keep the plan under <approvals-root>/ (e.g. approvals/approved/) or pass --approvals-dir",
    });
  }
  const resultsDir = options.resultsDir !== undefined ? resolve(options.resultsDir) : join(approvalsDir, "..", "batch-results");
  return { approvalsDir, resultsDir: resolve(resultsDir) };
}
