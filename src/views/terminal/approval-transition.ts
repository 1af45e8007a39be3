import type { ApprovalTransitionView } from "../approval-transition.js";
import { screen, type Term } from "./style.js";

/** One approval transition: the move in one line, then the record's essentials. */
export function renderApprovalTransition(view: ApprovalTransitionView, term: Term): string {
  const { style } = term;
  const width = Math.max(...view.essentials.map((e) => e.label.length));
  return screen(
    [
      `${style.bold(view.approval_id)}: ${view.from} → ${style.green(view.to)} by ${view.actor}`,
      ...view.essentials.map((e) => `  ${style.dim(e.label.padEnd(width))}  ${e.value}`),
    ],
    term,
  );
}
