import type { FC } from "hono/jsx";
import { chainState, type AuditData, type AuditFilter, type AuditRow } from "../data/audit.js";
import { auditLogView } from "../../views/audit-log.js";
import type { PageContext } from "../page-context.js";
import { AuditStatusBox } from "./audit-status.js";
import { Empty, Layout, QuickFilter } from "./layout.js";

const MAX_ROWS = 2000;
const distinct = (values: string[]): string[] => [...new Set(values)].sort();


/** Where a subject is shown: its approval or its batch page, when one exists. */
export type SubjectHref = (subject: string) => string | undefined;

export const AuditPage: FC<{ ctx: PageContext; data: AuditData; filter: AuditFilter; shown: AuditRow[]; subjectHref: SubjectHref }> = ({ ctx, data, filter, shown, subjectHref }) => {
  const { t } = ctx;
  // Rows from the view model the terminal's audit log draws (details summarised, unverified flagged).
  const rows = auditLogView(shown.slice(-MAX_ROWS).reverse(), chainState(data.status), { total: shown.length }).rows;
  const commands = new Map(shown.map((e) => [e.seq, e.command]));
  const field = (name: keyof AuditFilter, label: string, values: string[]) => (
    <label>
      {label}
      <select name={name} data-autosubmit="1">
        <option value="">{t("any")}</option>
        {values.map((v) => (
          <option value={v} selected={v === filter[name]}>
            {v}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <Layout ctx={ctx} title={t("audit_log")} active="/audit">
      <AuditStatusBox ctx={ctx} status={data.status} />
      {data.badLines > 0 ? <div class="badbox">{`${data.badLines} line(s) are not audit events`}</div> : null}
      <form class="filters" method="get" action="/audit">
        {field("actor", t("actor"), distinct(data.events.map((e) => e.actor)))}
        {field("subject", t("subject"), distinct(data.events.map((e) => e.subject)))}
        {field("command", t("command"), distinct(data.events.map((e) => e.command)))}
        <button type="submit">{t("apply_filter")}</button>
        <a href="/audit">{t("clear_filter")}</a>
      </form>
      <p class="meta" data-count={shown.length}>
        {t("events_shown", { shown: rows.length, total: data.events.length })}
      </p>
      <QuickFilter ctx={ctx} table="audit" />
      {rows.length === 0 ? (
        <Empty ctx={ctx} />
      ) : (
        <table id="audit">
          <thead>
            <tr>
              <th class="num">{t("seq")}</th>
              <th>{t("at")}</th>
              <th>{t("actor")}</th>
              <th>{t("command")}</th>
              <th>{t("event")}</th>
              <th>{t("subject")}</th>
              <th>{t("details")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr class={e.unverified ? "unverified" : undefined}>
                <td class="num">{e.seq}</td>
                <td class="mono">{e.at}</td>
                <td>{e.actor}</td>
                <td>{commands.get(e.seq) ?? ""}</td>
                <td>{e.event}</td>
                <td>{subjectHref(e.subject) ? <a href={subjectHref(e.subject)}>{e.subject}</a> : e.subject}</td>
                <td class="mono">{e.details}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
};
