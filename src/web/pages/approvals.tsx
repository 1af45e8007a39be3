import type { FC } from "hono/jsx";
import type { QueueEntry, QueueReport } from "../../approvals/queue.js";
import { approvalQueueView, type ApprovalQueueRow } from "../../views/approval-queue.js";
import { APPROVAL_STATES, type ApprovalRecord } from "../../schemas/approval-record.js";
import type { ApprovalsData, QueueFilter } from "../data/approvals.js";
import type { AuditRow } from "../data/audit.js";
import type { BatchInfo } from "../data/batches.js";
import { valueLabel } from "../i18n.js";
import type { PageContext } from "../page-context.js";
import { Badge, Empty, Layout, ProblemList, QuickFilter, enc } from "./layout.js";

const RISKS = ["low", "medium", "high", "critical"];
const distinct = (values: string[]): string[] => [...new Set(values)].sort();

const Select: FC<{ ctx: PageContext; name: string; label: string; options: string[]; value: string | undefined; translate?: boolean }> = ({ ctx, name, label, options, value, translate }) => (
  <label>
    {label}
    <select name={name} data-autosubmit="1">
      <option value="">{ctx.t("any")}</option>
      {options.map((option) => (
        <option value={option} selected={option === value}>
          {translate ? valueLabel(ctx.lang, option) : option}
        </option>
      ))}
    </select>
  </label>
);

export function queueQuery(filter: QueueFilter): string {
  const params = new URLSearchParams();
  for (const key of ["state", "device", "risk", "requester"] as const) if (filter[key]) params.set(key, filter[key]);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/**
 * The queue rows as the terminal's `approvals list` draws them (src/views/approval-queue.ts): age,
 * expires-in and each record's problem kinds come from that one view model.
 */
export function queueRows(report: QueueReport, entries: readonly QueueEntry[], now: Date): ApprovalQueueRow[] {
  return approvalQueueView({ ...report, approvals: [...entries] }, now.getTime()).rows;
}

export const QueueTable: FC<{ ctx: PageContext; rows: ApprovalQueueRow[]; entries: readonly QueueEntry[]; id: string }> = ({ ctx, rows, entries, id }) => {
  const byId = new Map(entries.map((e) => [e.approval_id, e]));
  const { t } = ctx;
  return rows.length === 0 ? (
    <Empty ctx={ctx} />
  ) : (
    <table id={id}>
      <thead>
        <tr>
          <th>{t("approval")}</th>
          <th>{t("state")}</th>
          <th>{t("device")}</th>
          <th>{t("risk")}</th>
          <th>{t("requester")}</th>
          <th class="num">{t("age")}</th>
          <th>{t("expires_in")}</th>
          <th class="num">{t("items")}</th>
          <th>{t("signature")}</th>
          <th>{t("problems")}</th>
          <th>{t("summary")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr data-state={r.state}>
            <td>
              <a href={`/approvals/${enc(r.approval_id)}`}>{r.approval_id}</a>
            </td>
            <td>
              <Badge ctx={ctx} value={r.expired ? "expired" : r.state} />
            </td>
            <td>{byId.has(r.approval_id) ? <a href={`/devices/${enc(String(byId.get(r.approval_id)?.device.id))}`}>{r.device}</a> : r.device}</td>
            <td>
              <Badge ctx={ctx} value={r.risk} />
            </td>
            <td>{r.requester}</td>
            <td class="num">{r.age}</td>
            <td class="mono">{r.expired ? valueLabel(ctx.lang, "expired") : r.expires_in}</td>
            <td class="num">{r.items}</td>
            <td>
              <SignatureBadge ctx={ctx} status={byId.get(r.approval_id)?.signature_status} />
            </td>
            <td>
              {r.problems.map((kind) => (
                <span class="badge b-bad">{kind}</span>
              ))}
            </td>
            <td>{r.summary}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

export const QueuePage: FC<{ ctx: PageContext; data: ApprovalsData; filter: QueueFilter; shown: QueueEntry[] }> = ({ ctx, data, filter, shown }) => {
  const { t } = ctx;
  const all = data.queue.approvals;
  return (
    <Layout ctx={ctx} title={t("nav_approvals")} active="/approvals">
      {!data.configured ? <p class="meta">{t("not_configured", { flag: "--approvals-dir" })}</p> : null}
      {data.problem ? <div class="badbox">{data.problem}</div> : null}
      <form class="filters" method="get" action="/approvals">
        <Select ctx={ctx} name="state" label={t("state")} options={[...APPROVAL_STATES]} value={filter.state} translate />
        <Select ctx={ctx} name="device" label={t("device")} options={distinct(all.map((e) => e.device.name))} value={filter.device} />
        <Select ctx={ctx} name="risk" label={t("risk")} options={RISKS} value={filter.risk} translate />
        <Select ctx={ctx} name="requester" label={t("requester")} options={distinct(all.map((e) => e.requested_by))} value={filter.requester} />
        <button type="submit">{t("apply_filter")}</button>
        <a href="/approvals">{t("clear_filter")}</a>
        <a href={`/approvals.csv${queueQuery(filter)}`} download>
          {t("export_csv")}
        </a>
      </form>
      <p class="meta" data-count={shown.length}>{`${shown.length} / ${all.length}`}</p>
      <QuickFilter ctx={ctx} table="queue" />
      <QueueTable ctx={ctx} rows={queueRows(data.queue, shown, ctx.now)} entries={shown} id="queue" />
      <h2 id="problems">{`${t("integrity_problems")} (${data.queue.inconsistencies.length})`}</h2>
      {data.queue.inconsistencies.length === 0 ? (
        <Empty ctx={ctx} />
      ) : (
        <ProblemList
          ctx={ctx}
          problems={data.queue.inconsistencies.map((p) => ({ kind: p.kind, path: p.paths.join(", "), message: p.approval_id ? `${p.approval_id}: ${p.message}` : p.message }))}
        />
      )}
    </Layout>
  );
};

const SIGNATURE_LABELS = { signed: "sig_valid", unsigned: "sig_unsigned", invalid: "sig_invalid" } as const;

/** The signature status `approvals list` gives the record (verified against allowed_signers and the policy). */
export const SignatureBadge: FC<{ ctx: PageContext; status: QueueEntry["signature_status"] | undefined }> = ({ ctx, status }) => (
  <span class={`badge ${status === "signed" ? "b-ok" : status === "invalid" ? "b-bad" : "b-warn"}`} data-signature={status ?? "unsigned"}>
    {ctx.t(SIGNATURE_LABELS[status ?? "unsigned"])}
  </span>
);

interface TimelineEntry {
  at: string;
  kind: "history" | "audit";
  title: string;
  actor: string;
  text: string;
}

export const ApprovalPage: FC<{
  ctx: PageContext;
  id: string;
  copies: { record: ApprovalRecord; path: string }[];
  entry: QueueEntry | undefined;
  problems: ApprovalsData["queue"]["inconsistencies"];
  events: AuditRow[];
  batches: BatchInfo[];
}> = ({ ctx, id, copies, entry, problems, events, batches }) => {
  const { t } = ctx;
  const first = copies[0];
  if (!first) return null;
  const record = first.record;
  const timeline: TimelineEntry[] = [
    ...record.state_history.map((h) => ({ at: h.at, kind: "history" as const, title: `${h.from ? valueLabel(ctx.lang, h.from) : "∅"} → ${valueLabel(ctx.lang, h.to)}`, actor: h.actor, text: h.reason })),
    ...events.map((e) => ({ at: e.at, kind: "audit" as const, title: `#${e.seq} ${e.event}`, actor: e.actor, text: e.command })),
  ].sort((a, b) => (Date.parse(a.at) || 0) - (Date.parse(b.at) || 0));
  return (
    <Layout ctx={ctx} title={`${t("approval")} ${id}`} active="/approvals">
      {problems.length > 0 ? (
        <div class="badbox" id="record-problems">
          <strong>{`${t("integrity_problems")}: ${problems.length}`}</strong>
          <ProblemList ctx={ctx} problems={problems.map((p) => ({ kind: p.kind, path: p.paths.join(", "), message: p.message }))} />
        </div>
      ) : null}
      <dl class="kv">
        <dt>{t("state")}</dt>
        <dd>
          <Badge ctx={ctx} value={entry?.expired ? "expired" : record.state} />
        </dd>
        <dt>{t("summary")}</dt>
        <dd>{record.summary}</dd>
        <dt>{t("device")}</dt>
        <dd>
          <a href={`/devices/${enc(String(record.device.id))}`}>{`${record.device.name} (${String(record.device.id)})`}</a>
        </dd>
        <dt>{t("risk")}</dt>
        <dd>
          <Badge ctx={ctx} value={record.risk_level} />
        </dd>
        <dt>{t("requester")}</dt>
        <dd>{`${record.requested_by} · ${record.requested_at}`}</dd>
        <dt>{t("decision")}</dt>
        <dd>
          {record.decision ? `${valueLabel(ctx.lang, record.decision.action)} · ${record.decision.actor} · ${record.decision.at} · ${record.decision.reason}` : "—"}
        </dd>
        <dt>{t("expires_at")}</dt>
        <dd class="mono">{record.decision?.expires_at ?? "—"}</dd>
        <dt>{t("signature")}</dt>
        <dd>
          <SignatureBadge ctx={ctx} status={entry?.signature_status} />
          {(record.signatures ?? []).length > 0 ? (
            <table id="signatures">
              <tbody>
                {(record.signatures ?? []).map((s) => (
                  <tr>
                    <td>{s.statement.action}</td>
                    <td>{s.statement.actor}</td>
                    <td>{`${s.statement.from ? valueLabel(ctx.lang, s.statement.from) : "∅"} → ${valueLabel(ctx.lang, s.statement.to)}`}</td>
                    <td class="mono">{s.statement.at}</td>
                    <td class="mono">{`audit #${s.statement.audit_head.seq}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </dd>
        <dt>{t("applied_by")}</dt>
        <dd>
          {record.applied ? (
            <>
              <a href={`/batches/${enc(record.applied.batch_id)}`}>{record.applied.batch_id}</a>
              {` · ${record.applied.operator} · ${record.applied.at}`}
            </>
          ) : (
            "—"
          )}
        </dd>
        <dt>{t("subject_sha256")}</dt>
        <dd class="mono">{record.subject_sha256}</dd>
        <dt>{t("record_file")}</dt>
        <dd>
          {copies.map((c) => (
            <div>
              <a href={`/download/approvals/${c.path.split("/").map(enc).join("/")}`}>
                <code>{c.path}</code>
              </a>
            </div>
          ))}
        </dd>
      </dl>
      <h2>{`${t("items")} (${record.items.length})`}</h2>
      <table id="items">
        <thead>
          <tr>
            <th>{t("item")}</th>
            <th>{t("object_type")}</th>
            <th>{t("payload_sha256")}</th>
          </tr>
        </thead>
        <tbody>
          {record.items.map((item) => (
            <tr>
              <td>{item.item_id}</td>
              <td>{item.object_type}</td>
              <td class="mono">{item.payload_sha256}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t("timeline")}</h2>
      <ol class="timeline" id="timeline">
        {timeline.map((e) => (
          <li class={e.kind}>
            <strong>{e.title}</strong>
            {` · ${e.actor} · `}
            <span class="mono">{e.at}</span>
            <div class="meta">{e.kind === "history" ? `${t("state_history")}: ${e.text}` : `${t("audit_events")}: ${e.text}`}</div>
          </li>
        ))}
      </ol>
      {batches.length > 0 ? (
        <>
          <h2>{t("batches")}</h2>
          <ul>
            {batches.map((b) => (
              <li>
                <a href={`/batches/${enc(b.batchId)}`}>{b.batchId}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
};

