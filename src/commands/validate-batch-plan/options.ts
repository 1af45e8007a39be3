/**
 * validate-batch-plan's options, for both ways its command line is read: commander's registry
 * (src/cli.ts) and the plain fast path (./index.ts). A test keeps the two equal.
 */
export interface ValidateBatchPlanOptions {
  plan: string;
  expectedDeviceId: string;
  expectedDevice: string;
  approvalsDir?: string;
  /** false with --no-approvals: approvals_bound is skipped on purpose (and the summary says so). */
  approvals?: boolean;
  output?: string;
  format?: string;
  generatedAt?: string;
}

/** Each long option taking a value (without `--`) and the key commander gives it. */
export const OPTION_KEYS = {
  plan: "plan",
  "expected-device-id": "expectedDeviceId",
  "expected-device": "expectedDevice",
  "approvals-dir": "approvalsDir",
  output: "output",
  format: "format",
  "generated-at": "generatedAt",
} as const;

/** The options commander requires; the plain path leaves a command line without one of them to `main`. */
export const REQUIRED_OPTIONS = ["plan", "expected-device-id", "expected-device"] as const;
