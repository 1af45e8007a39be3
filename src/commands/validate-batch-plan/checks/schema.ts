import { BatchPlanSchema } from "../../../schemas/batch-plan.js";
import { zodIssuesToFindings } from "../../../schemas/findings.js";
import { shownItemId } from "../view.js";
import type { Check } from "./types.js";

/** schema_valid: the plan matches batch_staged_apply_plan_v1 (SPEC §3.1). */
export const schemaValid: Check = ({ plan, view }) => {
  const parsed = BatchPlanSchema.safeParse(plan);
  if (parsed.success) return { findings: [] };
  return { findings: zodIssuesToFindings(parsed.error.issues, (i) => shownItemId(view.items?.[i])) };
};
