import * as z from "./zod.js";

const PrincipalSchema = z.string().check(z.regex(/^(\*|[A-Za-z0-9][A-Za-z0-9._@+-]{0,127})$/, "must be a principal of allowed_signers, or \"*\""));

export const RiskPolicySchema = z.strictObject({
  /** Principals (from allowed_signers) who may approve, reject at this level; `"*"` is any allowed signer. */
  approvers: z.array(PrincipalSchema).check(z.minLength(1)),
  /** How many distinct approvers (none of them the requester) the record needs before it is approved. */
  required_approvals: z.number().check(z.int(), z.gte(1), z.lte(10)),
  /** The longest an approval may last, in days (the CLI's own ceiling is 365). */
  max_expires_in_days: z.number().check(z.int(), z.gte(1), z.lte(365)),
});

/** `<approvals-root>/policy.json` (`approval_policy_v1`): who may approve what, how many, how long. */
export const ApprovalPolicySchema = z.strictObject({
  schema_version: z.literal("approval_policy_v1"),
  /** Per risk level; a level left out falls back to the default (any allowed signer, 1 approval, 365 days). */
  risk_levels: z.strictObject({
    low: z.optional(RiskPolicySchema),
    medium: z.optional(RiskPolicySchema),
    high: z.optional(RiskPolicySchema),
    critical: z.optional(RiskPolicySchema),
  }),
  /** Accept records that carry no signature at all (made before signing existed). Default false. */
  allow_unsigned_legacy: z.optional(z.boolean()),
});
export type ApprovalPolicy = z.infer<typeof ApprovalPolicySchema>;
export type RiskPolicy = z.infer<typeof RiskPolicySchema>;
