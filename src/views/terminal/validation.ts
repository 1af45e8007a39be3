import type { ValidationView } from "../validation.js";
import { screen, type Term } from "./style.js";

/** The validation in the terminal: one line per check, its findings under it. */
export const MAX_FINDINGS_PER_CHECK = 20;

export function renderValidation(view: ValidationView, term: Term): string {
  const { style } = term;
  const lines = [`${style.bold("validate-batch-plan")}: batch ${view.batch_id ? style.bold(view.batch_id) : "(unknown)"}, device ${view.device}, ${view.counts.items} item(s)`, ""];
  const idWidth = Math.max(...view.checks.map((check) => check.check_id.length));
  for (const check of view.checks) {
    const mark = check.status === "pass" ? style.green("PASS") : check.status === "fail" ? style.red("FAIL") : style.dim("SKIP");
    lines.push(`  ${mark}  ${check.check_id.padEnd(idWidth)}  ${style.dim(check.title)}`);
    for (const finding of check.findings.slice(0, MAX_FINDINGS_PER_CHECK)) {
      const where = [finding.item_id, finding.path].filter(Boolean).join(" ");
      lines.push(`          ${where ? `${style.cyan(where)}: ` : ""}${finding.message}`);
    }
    if (check.findings.length > MAX_FINDINGS_PER_CHECK) lines.push(style.dim(`          … ${check.findings.length - MAX_FINDINGS_PER_CHECK} more (--format json lists every one)`));
  }
  const paint = view.status === "valid" ? style.green : style.red;
  lines.push("", style.bold(paint(view.headline)));
  return screen(lines, term);
}
