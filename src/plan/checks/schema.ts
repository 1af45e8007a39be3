import { batchPlanIssues } from "../../schemas/batch-plan.js";
import { formatJsonPath, zodIssuesToFindings, type Finding } from "../../schemas/findings.js";
import { duplicateKeysOf } from "../plan-file.js";
import { shownItemId, type PlanView } from "../view.js";
import type { Check } from "./types.js";

/**
 * A key repeated in one object: JSON parsers disagree on which value wins (a reviewer may read
 * the first, NetBox would get the last) and RFC 8785 hashes assume unique keys, so the plan is
 * refused rather than guessed at.
 */
function duplicateKeyFindings(plan: unknown, view: PlanView): Finding[] {
  return duplicateKeysOf(plan).map(({ path, key }) => {
    const finding: Finding = { path: formatJsonPath([...path, key]), message: "key appears more than once in this object (keys must be unique)" };
    const itemId = path[0] === "items" && typeof path[1] === "number" ? shownItemId(view.items?.[path[1]]) : undefined;
    if (itemId !== undefined) finding.item_id = itemId;
    return finding;
  });
}

/** schema_valid: the plan matches batch_staged_apply_plan_v1 (SPEC §3.1), with no repeated keys. */
export const schemaValid: Check = ({ plan, view }) => {
  if (!view.root) {
    const kind = plan === null ? "null" : Array.isArray(plan) ? "an array" : `a ${typeof plan === "bigint" ? "number" : typeof plan}`;
    return { findings: [{ message: `the plan must be a JSON object (batch_staged_apply_plan_v1), not ${kind}` }] };
  }
  const findings = zodIssuesToFindings(batchPlanIssues(plan), (i) => shownItemId(view.items?.[i]));
  return { findings: [...findings, ...duplicateKeyFindings(plan, view)] };
};
