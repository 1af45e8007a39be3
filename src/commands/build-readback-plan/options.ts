/**
 * build-readback-plan's options, for both ways its command line is read: commander's registry
 * (src/cli.ts) and the plain fast path (./index.ts). A test keeps the two equal.
 */
export interface BuildReadbackPlanOptions {
  root: string;
  sourceReport: string;
  output?: string;
  generatedAt?: string;
  gitCommit?: string;
}

export const DEFAULT_ROOT = ".";
export const DEFAULT_SOURCE_REPORT = "docs/security/monitoring-owner-response-acceptance.snapshot.json";

/** Each long option (without `--`) and the key commander gives it. */
export const OPTION_KEYS = {
  root: "root",
  "source-report": "sourceReport",
  output: "output",
  "generated-at": "generatedAt",
  "git-commit": "gitCommit",
} as const;
