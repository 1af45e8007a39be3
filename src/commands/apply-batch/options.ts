import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { UserError } from "../../errors.js";
import { TimestampSchema } from "../../schemas/common.js";
import { UTC_PLUS_8, isoSeconds, reportTime } from "../../clock/timestamps.js";

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
}

/** The nearest ancestor folder of the plan named `approvals` (SPEC §2.4). */
export function defaultApprovalsDir(planPath: string): string | undefined {
  for (let dir = dirname(resolve(planPath)); ; dir = dirname(dir)) {
    if (basename(dir) === "approvals" && statSync(dir).isDirectory()) return dir;
    if (dirname(dir) === dir) return undefined;
  }
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

export function generatedAtOf(option: string | undefined): string {
  if (option === undefined) return isoSeconds(reportTime(), UTC_PLUS_8);
  if (!TimestampSchema.safeParse(option).success) {
    throw new UserError(`--generated-at must be an ISO 8601 timestamp with an offset, not ${JSON.stringify(option)}`, {
      where: "--generated-at",
      hint: "e.g. --generated-at 2026-05-01T10:00:00+08:00",
    });
  }
  return option;
}

/** Positive integer from an environment variable (client tuning), or the default. */
export function envInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]?.trim();
  if (!text) return fallback;
  if (!/^\d+$/.test(text)) throw new UserError(`${name} must be a whole number, not ${JSON.stringify(text)}`, { where: "environment" });
  return Number(text);
}
