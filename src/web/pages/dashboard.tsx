import type { FC } from "hono/jsx";
import type { ApprovalsData } from "../data/approvals.js";
import { expiringSoon } from "../data/approvals.js";
import type { AuditData } from "../data/audit.js";
import { allRuns, type BatchesData } from "../data/batches.js";
import type { ReadbackData } from "../data/readback.js";
import type { PageContext } from "../page-context.js";
import { AuditStatusBox } from "./audit-status.js";
import { AgeChart, RunsTimeline } from "./charts.js";
import { Badge, Empty, Layout, duration, enc, str } from "./layout.js";
import { timelinePoints } from "./batches.js";

export interface DashboardData {
  approvals: ApprovalsData;
  batches: BatchesData;
  audit: AuditData;
  readback: ReadbackData;
}

export const DashboardPage: FC<{ ctx: PageContext; data: DashboardData }> = ({ ctx, data }) => {
  const { t, now } = ctx;
  const entries = data.approvals.queue.approvals;
  const pending = entries.filter((e) => e.state === "pending").sort((a, b) => b.age_seconds - a.age_seconds);
  const soon = expiringSoon(entries, now);
  const approvedNotApplied = entries.filter((e) => e.state === "approved" && !e.expired);
  const recover = data.batches.batches.filter((b) => b.needsRecover);
  const runs = allRuns(data.batches).slice(0, 10);
  const problems = data.approvals.queue.inconsistencies;
  return (
    <Layout ctx={ctx} title={t("nav_dashboard")} active="/">
      {recover.length > 0 ? (
        <section class="alarm" id="needs-recover" role="alert">
          <h2>{`⚠ ${t("needs_recover")}: ${recover.length}`}</h2>
          <p>{t("needs_recover_hint")}</p>
          <ul>
            {recover.map((b) => (
              <li>
                <a href={`/batches/${enc(b.batchId)}`}>{b.batchId}</a>
                {` · ${t("left_for_recover")}: ${b.leftForRecover.length}`}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <div class="cards">
        <div class={`card ${pending.length > 0 ? "warn" : ""}`}>
          <div class="n" data-metric="pending">{pending.length}</div>
          <div class="l">{t("pending_approvals")}</div>
        </div>
        <div class={`card ${soon.length > 0 ? "bad" : ""}`}>
          <div class="n" data-metric="expiring">{soon.length}</div>
          <div class="l">{t("expiring_48h")}</div>
        </div>
        <div class="card">
          <div class="n" data-metric="approved-not-applied">{approvedNotApplied.length}</div>
          <div class="l">{t("approved_not_applied")}</div>
        </div>
        <div class={`card ${recover.length > 0 ? "bad" : "ok"}`}>
          <div class="n" data-metric="needs-recover">{recover.length}</div>
          <div class="l">{t("needs_recover")}</div>
        </div>
        <div class={`card ${problems.length > 0 ? "bad" : "ok"}`}>
          <div class="n" data-metric="integrity">{problems.length}</div>
          <div class="l">
            <a href="/approvals#problems">{t("integrity_problems")}</a>
          </div>
        </div>
      </div>
      <h2>{t("audit_chain")}</h2>
      <AuditStatusBox ctx={ctx} status={data.audit.status} />
      {!data.approvals.configured ? <p class="meta">{t("not_configured", { flag: "--approvals-dir" })}</p> : null}
      <div class="cols">
        <section>
          <h2>{t("pending_approvals")}</h2>
          {pending.length === 0 ? (
            <Empty ctx={ctx} />
          ) : (
            <table id="pending">
              <thead>
                <tr>
                  <th>{t("approval")}</th>
                  <th>{t("device")}</th>
                  <th>{t("risk")}</th>
                  <th class="num">{t("age")}</th>
                </tr>
              </thead>
              <tbody>
                {pending.map((e) => (
                  <tr>
                    <td>
                      <a href={`/approvals/${enc(e.approval_id)}`}>{e.approval_id}</a>
                    </td>
                    <td>{e.device.name}</td>
                    <td>
                      <Badge ctx={ctx} value={e.risk_level} />
                    </td>
                    <td class="num">{duration(ctx, e.age_seconds * 1000)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>{t("expiring_48h")}</h2>
          {soon.length === 0 ? (
            <Empty ctx={ctx} />
          ) : (
            <table id="expiring">
              <tbody>
                {soon.map((e) => (
                  <tr>
                    <td>
                      <a href={`/approvals/${enc(e.approval_id)}`}>{e.approval_id}</a>
                    </td>
                    <td>{e.device.name}</td>
                    <td class="num">{`${t("expires_in")} ${duration(ctx, Date.parse(e.expires_at ?? "") - now.getTime())}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>{t("approved_not_applied")}</h2>
          {approvedNotApplied.length === 0 ? (
            <Empty ctx={ctx} />
          ) : (
            <table id="approved-not-applied">
              <tbody>
                {approvedNotApplied.map((e) => (
                  <tr>
                    <td>
                      <a href={`/approvals/${enc(e.approval_id)}`}>{e.approval_id}</a>
                    </td>
                    <td>{e.device.name}</td>
                    <td>{e.decided_by ?? ""}</td>
                    <td class="mono">{e.expires_at ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section>
          <h2>{t("latest_runs")}</h2>
          {runs.length === 0 ? (
            <Empty ctx={ctx} />
          ) : (
            <table id="latest-runs">
              <thead>
                <tr>
                  <th>{t("batch")}</th>
                  <th>{t("run")}</th>
                  <th>{t("mode")}</th>
                  <th>{t("outcome")}</th>
                  <th>{t("at")}</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr>
                    <td>
                      <a href={`/batches/${enc(r.batchId)}`}>{r.batchId}</a>
                    </td>
                    <td>{r.runId}</td>
                    <td>
                      <Badge ctx={ctx} value={r.mode} />
                    </td>
                    <td>
                      <Badge ctx={ctx} value={r.outcome} />
                    </td>
                    <td class="mono">{r.startedAt}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2>{t("latest_readback")}</h2>
          {data.readback.plans.length === 0 ? (
            <Empty ctx={ctx} />
          ) : (
            <ul id="latest-readback">
              {data.readback.plans.slice(0, 5).map((p) => (
                <li>
                  <a href={`/readback/${p.id.split("/").map(enc).join("/")}`}>{p.id}</a>
                  {` · ${str(p.doc.generated_at)}`}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <h2>{t("chart_age")}</h2>
      <AgeChart ctx={ctx} entries={entries} />
      <h2>{t("runs_timeline")}</h2>
      <RunsTimeline ctx={ctx} points={timelinePoints(data.batches)} />
    </Layout>
  );
};
