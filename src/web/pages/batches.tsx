import type { FC } from "hono/jsx";
import { OBJECT_TYPES } from "../../netbox/object-types.js";
import type { CreatedRef } from "../../apply/ledger.js";
import { isJsonObject, type JsonObject } from "../../json/value.js";
import { type BatchInfo, type BatchesData, type RunInfo } from "../data/batches.js";
import type { PageContext } from "../page-context.js";
import { RunsTimeline, type TimelinePoint } from "./charts.js";
import { Badge, Empty, Layout, ProblemList, QuickFilter, enc, str } from "./layout.js";
import { ApplyPlan } from "./plan.js";

const downloadHref = (rel: string): string => `/download/results/${rel.split("/").map(enc).join("/")}`;

/** The object's page in NetBox's UI (`/ipam/vlans/7/`), when --netbox-url was given. */
export function netboxLink(base: string | undefined, objectType: string, id: number): string | undefined {
  const rule = (OBJECT_TYPES as Record<string, { endpoint: string } | undefined>)[objectType];
  if (!base || !rule) return undefined;
  return `${base.replace(/\/+$/, "")}${rule.endpoint.replace(/^\/api/, "")}${id}/`;
}

export function timelinePoints(data: BatchesData): TimelinePoint[] {
  // Dry-runs first, so a run at the same minute is drawn over its dry-run, not under it.
  return data.batches.flatMap((batch) => [
    ...batch.dryRuns.map((d) => ({ lane: batch.batchId, at: str(d.doc.generated_at), label: "dry-run", outcome: str(d.doc.verdict), href: `/batches/${enc(batch.batchId)}#dry-runs`, hollow: true })),
    ...batch.runs.map((run) => ({ lane: batch.batchId, at: run.startedAt, label: `${run.runId} (${run.mode})`, outcome: run.outcome, href: `/batches/${enc(batch.batchId)}#${enc(run.runId)}` })),
  ]);
}

export const BatchesPage: FC<{ ctx: PageContext; data: BatchesData }> = ({ ctx, data }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("nav_batches")} active="/batches">
      {!data.configured ? <p class="meta">{t("not_configured", { flag: "--results-dir" })}</p> : null}
      {data.problem ? <div class="badbox">{data.problem}</div> : null}
      <p>
        <a href="/batches.csv" download>
          {t("export_csv")}
        </a>
      </p>
      <RunsTimeline ctx={ctx} points={timelinePoints(data)} />
      <QuickFilter ctx={ctx} table="batches" />
      {data.batches.length === 0 ? (
        <Empty ctx={ctx} />
      ) : (
        <table id="batches">
          <thead>
            <tr>
              <th>{t("batch")}</th>
              <th>{t("device")}</th>
              <th class="num">{t("runs")}</th>
              <th>{t("outcome")}</th>
              <th>{t("left_for_recover")}</th>
            </tr>
          </thead>
          <tbody>
            {data.batches.map((b) => {
              const last = b.runs.at(-1);
              return (
                <tr>
                  <td>
                    <a href={`/batches/${enc(b.batchId)}`}>{b.batchId}</a>
                  </td>
                  <td>{b.device ? <a href={`/devices/${enc(String(b.device.id))}`}>{b.device.name}</a> : "—"}</td>
                  <td class="num">{b.runs.length}</td>
                  <td>{last ? <Badge ctx={ctx} value={last.outcome} /> : b.dryRuns.length > 0 ? <Badge ctx={ctx} value={str(b.dryRuns.at(-1)?.doc.verdict)} /> : "—"}</td>
                  <td>{b.needsRecover ? <Badge ctx={ctx} value="rollback_incomplete" /> : ""}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Layout>
  );
};

/** Created objects; linked to NetBox's UI for real runs (a simulator's ids mean nothing there). */
const Objects: FC<{ ctx: PageContext; refs: CreatedRef[]; id: string; link: boolean }> = ({ ctx, refs, id, link }) =>
  refs.length === 0 ? (
    <Empty ctx={ctx} />
  ) : (
    <table class={id}>
      <thead>
        <tr>
          <th>{ctx.t("item")}</th>
          <th>{ctx.t("object_type")}</th>
          <th class="num">{ctx.t("netbox_id")}</th>
        </tr>
      </thead>
      <tbody>
        {refs.map((ref) => {
          const href = link ? netboxLink(ctx.netboxUrl, ref.object_type, ref.id) : undefined;
          return (
            <tr>
              <td>{ref.item_id}</td>
              <td>{ref.object_type}</td>
              <td class="num">
                {href ? (
                  <a href={href} rel="noreferrer noopener" target="_blank">
                    {String(ref.id)}
                  </a>
                ) : (
                  String(ref.id)
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );

const Steps: FC<{ ctx: PageContext; run: RunInfo; phases: string[]; cls: string }> = ({ ctx, run, phases, cls }) => {
  const steps = run.requests.filter((s) => phases.includes(s.phase));
  const { t } = ctx;
  return steps.length === 0 ? (
    <Empty ctx={ctx} />
  ) : (
    <table class={cls}>
      <thead>
        <tr>
          <th class="num">{t("seq")}</th>
          <th>{t("method")}</th>
          <th>{t("path")}</th>
          <th>{t("items")}</th>
          <th>{t("result")}</th>
          <th class="num">HTTP</th>
        </tr>
      </thead>
      <tbody>
        {steps.map((s) => (
          <tr>
            <td class="num">{s.seq}</td>
            <td>{s.method}</td>
            <td class="mono">{s.path}</td>
            <td>{s.itemIds.length > 0 ? s.itemIds.join(", ") : s.objectIds.join(", ")}</td>
            <td>
              <Badge ctx={ctx} value={s.result} />
              {s.error ? <div class="meta">{s.error}</div> : null}
            </td>
            <td class="num">{s.status ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

const Gates: FC<{ ctx: PageContext; report: JsonObject | undefined }> = ({ ctx, report }) => {
  const gates = report && Array.isArray(report.gates) ? report.gates.filter(isJsonObject) : [];
  return gates.length === 0 ? (
    <Empty ctx={ctx} />
  ) : (
    <table class="gates">
      <tbody>
        {gates.map((g) => (
          <tr>
            <td>{str(g.gate_id)}</td>
            <td>
              <Badge ctx={ctx} value={str(g.status)} />
            </td>
            <td>{str(g.message)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

const Run: FC<{ ctx: PageContext; run: RunInfo }> = ({ ctx, run }) => {
  const { t } = ctx;
  return (
    <section class="run" id={run.runId} data-run={run.runId}>
      <h3>
        {`${t("run")} ${run.runId} · `}
        <Badge ctx={ctx} value={run.mode} />
        {" "}
        <Badge ctx={ctx} value={run.outcome} />
      </h3>
      <p class="meta">
        {`${t("operator")}: ${run.operator} · ${run.startedAt}${run.endedAt ? ` → ${run.endedAt}` : ` · ${t("no_end")}`}${run.verify ? ` · ${t("verification")}: ${run.verify}` : ""}`}
        {run.report ? (
          <>
            {" · "}
            <a href={downloadHref(run.report.rel)}>{t("report")}</a>
          </>
        ) : null}
      </p>
      <h4>{t("gates")}</h4>
      <Gates ctx={ctx} report={run.report?.doc} />
      {run.report ? (
        <details>
          <summary>{t("report")}</summary>
          <ApplyPlan ctx={ctx} doc={run.report.doc} />
        </details>
      ) : null}
      <h4>{t("requests")}</h4>
      <Steps ctx={ctx} run={run} phases={["write"]} cls="requests" />
      <h4>{t("created_objects")}</h4>
      <Objects ctx={ctx} refs={run.created} id="created" link={run.ledger === "real"} />
      <h4>{t("rollback_steps")}</h4>
      <Steps ctx={ctx} run={run} phases={["rollback", "recover"]} cls="rollback" />
      {run.outcome !== "applied" && run.remaining.length > 0 ? (
        <>
          <h4>{t("left_in_netbox")}</h4>
          <Objects ctx={ctx} refs={run.remaining} id="remaining" link={run.ledger === "real"} />
        </>
      ) : null}
    </section>
  );
};

export const BatchPage: FC<{ ctx: PageContext; batch: BatchInfo }> = ({ ctx, batch }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={`${t("batch")} ${batch.batchId}`} active="/batches">
      {batch.needsRecover ? (
        <section class="alarm" id="needs-recover" role="alert">
          <h2>{`⚠ ${t("needs_recover")}`}</h2>
          <p>{t("needs_recover_hint")}</p>
          <h3>{`${t("left_for_recover")} (${batch.leftForRecover.length})`}</h3>
          <Objects ctx={ctx} refs={batch.leftForRecover} id="left-for-recover" link />
          {batch.unsettled.length > 0 ? (
            <p id="unsettled">
              <strong>{`${t("unsettled")}: `}</strong>
              {batch.unsettled.map((step) => `#${step.seq} ${step.method} ${step.path} (${step.itemIds.join(", ")})`).join("; ")}
            </p>
          ) : null}
        </section>
      ) : null}
      <p>
        {`${t("device")}: `}
        {batch.device ? <a href={`/devices/${enc(String(batch.device.id))}`}>{batch.device.name}</a> : "—"}
        {batch.ledgers.map((rel) => (
          <>
            {" · "}
            <a href={downloadHref(rel)}>{`${t("ledger")} ${rel.includes("/simulate/") ? "(simulate)" : ""}`}</a>
          </>
        ))}
      </p>
      {batch.problems.length > 0 ? (
        <>
          <h2>{t("problems")}</h2>
          <ProblemList ctx={ctx} problems={batch.problems} />
        </>
      ) : null}
      <h2>{`${t("runs")} (${batch.runs.length})`}</h2>
      {batch.runs.length === 0 ? <Empty ctx={ctx} /> : batch.runs.map((run) => <Run ctx={ctx} run={run} />)}
      <h2 id="dry-runs">{`${t("dry_run_plan")} (${batch.dryRuns.length})`}</h2>
      {batch.dryRuns.length === 0 ? (
        <Empty ctx={ctx} />
      ) : (
        batch.dryRuns.map((d) => (
          <section class="dry-run">
            <h3>
              <a href={downloadHref(d.rel)}>{d.rel}</a>
              {d.usedBy ? ` · ${d.usedBy}` : ""}
            </h3>
            <ApplyPlan ctx={ctx} doc={d.doc} />
          </section>
        ))
      )}
      {batch.otherReports.length > 0 ? (
        <>
          <h2>{t("reports")}</h2>
          <ul>
            {batch.otherReports.map((r) => (
              <li>
                <a href={downloadHref(r.rel)}>{r.rel}</a>
                {` · ${str(r.doc.outcome ?? r.doc.verdict)}`}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
};

