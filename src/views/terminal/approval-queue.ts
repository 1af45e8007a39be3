import type { ApprovalQueueView } from "../approval-queue.js";
import { screen, type Term } from "./style.js";
import { renderTable } from "./table.js";

/** The approval queue in the terminal: a table, then the problems found, then the count. */
export function renderApprovalQueue(view: ApprovalQueueView, term: Term): string {
  const { style } = term;
  const columns = view.columns.map((column) => ({ title: column.title, right: column.key === "items" }));
  const rows = view.rows.map((row) => view.columns.map((column) => cellText(row[column.key])));
  const problemColumn = view.columns.findIndex((column) => column.key === "problems");
  const expiresColumn = view.columns.findIndex((column) => column.key === "expires_in");
  const stateColumn = view.columns.findIndex((column) => column.key === "state");
  const lines =
    rows.length === 0
      ? [style.dim(view.state_filter ? `no ${view.state_filter} approval records` : "no approval records")]
      : renderTable(columns, rows, term, (r, c, text) => {
          const row = view.rows[r];
          if (c === problemColumn && row && row.problems.length > 0) return style.red(text);
          if (c === expiresColumn && row?.expired) return style.red(text);
          if (c === stateColumn) return text === "approved" || text === "applied" ? style.green(text) : text === "pending" ? style.yellow(text) : text;
          return text;
        });
  if (view.problems.length > 0) {
    lines.push("", style.bold("Problems"));
    for (const problem of view.problems) {
      lines.push(`  ${style.red("✗")} ${problem.kind}${problem.approval_id ? ` ${problem.approval_id}` : ""} (${problem.paths.join(", ")}): ${problem.message}`);
    }
  }
  lines.push("", view.problems.length > 0 ? style.red(view.headline) : view.headline);
  return screen(lines, term);
}

function cellText(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? "-" : value.join(",");
  return String(value);
}
