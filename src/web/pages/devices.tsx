import type { FC } from "hono/jsx";
import type { QueueEntry, QueueReport } from "../../approvals/queue.js";
import type { BatchInfo } from "../data/batches.js";
import type { PageContext } from "../page-context.js";
import { Badge, Empty, Layout, enc } from "./layout.js";
import { QueueTable, queueRows } from "./approvals.js";

export interface DeviceGroup {
  id: string;
  name: string;
  approvals: QueueEntry[];
  batches: BatchInfo[];
}

/** Approvals and batches grouped by the NetBox device they target (by id; the name as recorded). */
export function groupByDevice(entries: readonly QueueEntry[], batches: readonly BatchInfo[]): DeviceGroup[] {
  const groups = new Map<string, DeviceGroup>();
  const group = (id: string, name: string): DeviceGroup => {
    const found = groups.get(id) ?? { id, name, approvals: [], batches: [] };
    groups.set(id, found);
    return found;
  };
  for (const entry of entries) group(String(entry.device.id), entry.device.name).approvals.push(entry);
  for (const batch of batches) if (batch.device) group(String(batch.device.id), batch.device.name).batches.push(batch);
  return [...groups.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export const DevicesPage: FC<{ ctx: PageContext; groups: DeviceGroup[] }> = ({ ctx, groups }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t("devices")} active="/devices">
      {groups.length === 0 ? (
        <Empty ctx={ctx} />
      ) : (
        <table id="devices">
          <thead>
            <tr>
              <th>{t("device")}</th>
              <th class="num">id</th>
              <th class="num">{t("approvals")}</th>
              <th class="num">{t("batches")}</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr>
                <td>
                  <a href={`/devices/${enc(g.id)}`}>{g.name}</a>
                </td>
                <td class="num">{g.id}</td>
                <td class="num">{g.approvals.length}</td>
                <td class="num">{g.batches.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
};

export const DevicePage: FC<{ ctx: PageContext; group: DeviceGroup; report: QueueReport }> = ({ ctx, group, report }) => {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={`${t("device")} ${group.name}`} active="/devices">
      <p class="meta">{`NetBox id ${group.id}`}</p>
      <h2>{`${t("approvals")} (${group.approvals.length})`}</h2>
      <QueueTable ctx={ctx} rows={queueRows(report, group.approvals, ctx.now)} entries={group.approvals} id="device-approvals" />
      <h2>{`${t("batches")} (${group.batches.length})`}</h2>
      {group.batches.length === 0 ? (
        <Empty ctx={ctx} />
      ) : (
        <table id="device-batches">
          <tbody>
            {group.batches.map((b) => (
              <tr>
                <td>
                  <a href={`/batches/${enc(b.batchId)}`}>{b.batchId}</a>
                </td>
                <td>{b.runs.map((r) => <Badge ctx={ctx} value={r.outcome} />)}</td>
                <td>{b.needsRecover ? <Badge ctx={ctx} value="rollback_incomplete" /> : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
};
