import type { BatchPlan } from "../schemas/batch-plan.js";
import type { NetBoxStatus, ReadClient } from "../netbox/client.js";
import { NetBoxError } from "../netbox/errors.js";
import { findExistingByType, lookupFields, noteNetBoxVersion } from "../netbox/lookup.js";
import { OBJECT_TYPES, SUPPORTED_OBJECT_TYPES } from "../netbox/object-types.js";
import type { Progress } from "../views/progress.js";

/**
 * The read-only preflight: is NetBox there (status), is the plan's device the one NetBox knows,
 * and which of the batch's objects already exist (batched natural-key look-ups). It only ever
 * holds a ReadClient, so it cannot write whatever it is asked.
 */
export interface ExistingObject {
  item_id: string;
  object_type: string;
  netbox_id: number;
  url: string | null;
  display: string | null;
}

export interface PreflightFinding {
  item_id?: string;
  message: string;
}

export interface PreflightResult {
  netbox_version: string | null;
  api_version: string | null;
  findings: PreflightFinding[];
  existing: ExistingObject[];
  /** GETs the preflight sent (status, device, look-up pages): deterministic for a given NetBox. */
  requests: number;
}

/**
 * `status`: what the caller already read from `GET /api/status/` (the real write's
 * netbox_authenticated gate), so NetBox is not asked twice in one run.
 */
export interface PreflightOptions {
  /** Look-up GETs in flight at once (OPSGATE_NETBOX_READ_CONCURRENCY). */
  concurrency?: number;
  /** Progress of the look-ups, for a person watching (the dry-run's). */
  progress?: Progress;
}

export async function runPreflight(client: ReadClient, plan: BatchPlan, known?: NetBoxStatus, options: PreflightOptions = {}): Promise<PreflightResult> {
  const status = known ?? (await client.status());
  noteNetBoxVersion(client, status.netboxVersion);
  let requests = known ? 0 : 1;
  const findings: PreflightFinding[] = [];

  try {
    requests++;
    const device = (await client.get(`api/dcim/devices/${plan.device.id}/`)).body as { name?: unknown } | null;
    if (device?.name !== plan.device.name) {
      findings.push({ message: `NetBox device ${plan.device.id} is named ${JSON.stringify(device?.name ?? null)}, not ${JSON.stringify(plan.device.name)}` });
    }
  } catch (error) {
    if (!(error instanceof NetBoxError && error.kind === "http" && error.status === 404)) throw error;
    findings.push({ message: `NetBox has no device with id ${plan.device.id} (${plan.device.name})` });
  }

  const existing: ExistingObject[] = [];
  // Only what matching and the report need (id, url, display, the natural-key fields).
  const groups = SUPPORTED_OBJECT_TYPES.map((objectType) => ({
    objectType,
    rule: OBJECT_TYPES[objectType],
    fields: lookupFields(OBJECT_TYPES[objectType]),
    items: plan.items.filter((item) => item.object_type === objectType).map((item) => ({ itemId: item.item_id, lookup: item.lookup })),
  })).filter((group) => group.items.length > 0);
  let looked = 0;
  const progress = options.progress;
  progress?.phase("apply-batch: looking up existing objects in NetBox:", plan.items.length);
  const onChunk = progress ? (items: number): void => progress.update((looked += items)) : undefined;
  const results = await findExistingByType(client, groups, { ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }), ...(onChunk ? { onChunk } : {}) });
  groups.forEach(({ objectType }, g) => {
    const result = results[g]!;
    requests += result.requests;
    for (const match of result.matches) {
      existing.push({
        item_id: match.itemId,
        object_type: objectType,
        netbox_id: match.object.id,
        url: typeof match.object.url === "string" ? match.object.url : null,
        display: typeof match.object.display === "string" ? match.object.display : null,
      });
    }
  });
  const order = new Map(plan.items.map((item, index) => [item.item_id, index]));
  existing.sort((a, b) => (order.get(a.item_id) ?? 0) - (order.get(b.item_id) ?? 0) || a.netbox_id - b.netbox_id);
  return { netbox_version: status.netboxVersion ?? null, api_version: status.apiVersion ?? client.apiVersion ?? null, findings, existing, requests };
}
