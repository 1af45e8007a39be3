import type { JsonObject } from "../../json/value.js";
import { applyPlanView, type ApplyPlanView, type ApplyReport } from "../../views/apply-plan.js";

/** The shared apply plan view of a report file, or why the file cannot be drawn. */
export function planViewOf(doc: JsonObject): { view: ApplyPlanView } | { problem: string } {
  try {
    return { view: applyPlanView(doc as unknown as ApplyReport) };
  } catch (error) {
    // A report file is input like any other: a hand-edited one is shown as a problem, not a 500.
    return { problem: `not a readable batch_apply_report_v1 (${error instanceof Error ? error.message : String(error)})` };
  }
}
