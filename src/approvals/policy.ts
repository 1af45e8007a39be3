import type { ApprovalPolicy, RiskPolicy } from "../schemas/approval-policy.js";
import type { ApprovalRecord } from "../schemas/approval-record.js";

/** Without policy.json: any allowed signer but the requester, one approval, at most 365 days. */
export const DEFAULT_RISK_POLICY: RiskPolicy = { approvers: ["*"], required_approvals: 1, max_expires_in_days: 365 };

export function riskPolicyFor(policy: ApprovalPolicy | undefined, level: ApprovalRecord["risk_level"]): RiskPolicy {
  return policy?.risk_levels[level] ?? DEFAULT_RISK_POLICY;
}

export function mayApprove(rule: RiskPolicy, principal: string): boolean {
  return rule.approvers.includes("*") || rule.approvers.includes(principal);
}

export function allowsUnsignedLegacy(policy: ApprovalPolicy | undefined): boolean {
  return policy?.allow_unsigned_legacy === true;
}
