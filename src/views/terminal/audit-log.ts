import type { AuditLogView } from "../audit-log.js";
import { screen, type Term } from "./style.js";
import { renderTable } from "./table.js";

/** Audit events as a log: seq, time, actor, event, subject, details; then the chain's verdict. */
export function renderAuditLog(view: AuditLogView, term: Term): string {
  const { style } = term;
  const columns = [{ title: "SEQ", right: true }, { title: "AT" }, { title: "ACTOR" }, { title: "EVENT" }, { title: "SUBJECT" }, { title: "DETAILS", flexible: true }];
  const rows = view.rows.map((row) => [String(row.seq), row.at, row.actor, row.event, row.subject, row.details]);
  const lines =
    rows.length === 0
      ? [style.dim("no events")]
      : renderTable(columns, rows, term, (r, c, text) => {
          if (view.rows[r]?.unverified) return style.red(text);
          return c === 3 ? style.cyan(text) : c === 5 ? style.dim(text) : text;
        });
  if (view.chain.status === "broken" && view.chain.message) lines.push("", style.red(`✗ ${view.chain.message}`));
  lines.push("", view.chain.status === "ok" ? style.green(view.headline) : style.red(view.headline));
  return screen(lines, term);
}
