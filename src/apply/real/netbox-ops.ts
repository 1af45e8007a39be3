import { NetBoxError } from "../../netbox/errors.js";
import { findExisting } from "../../netbox/lookup.js";
import { OBJECT_TYPES, type ObjectType } from "../../netbox/object-types.js";
import type { WriteClient } from "../../netbox/write-client.js";
import type { BatchItem } from "../../schemas/batch-plan.js";
import type { CreatedRef } from "../ledger.js";
import { payloadMismatches, readByIds as readByIdsShared } from "../readback.js";

/**
 * The NetBox operations the real write, the rollback and --recover share: batched reads by id,
 * settling a write whose answer never came, and what a request's outcome means.
 */

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/**
 * The objects of one type that exist now, by id: ../readback.ts's bounded concurrent `?id=` GETs
 * (`fields`: only those and `id`, for a read-back that names every staged field).
 */
export function readByIds(client: WriteClient, objectType: ObjectType, ids: readonly number[], concurrency?: number, fields?: readonly string[]) {
  return readByIdsShared(client, objectType, ids, { ...(concurrency === undefined ? {} : { concurrency }), ...(fields ? { fields } : {}) });
}

/**
 * What a failed write means for NetBox. A 4xx is NetBox refusing the request before saving (bulk
 * create and bulk delete are one transaction): nothing changed. Anything else — a 5xx (a proxy may
 * time out while NetBox commits), a timeout, a dropped connection, an unexpected answer — is
 * unknown and must be settled by reading NetBox, never assumed.
 */
export function outcomeOfError(error: unknown): { result: "failed" | "unknown"; status: number | null; requestId: string | null; message: string; body: unknown } {
  if (error instanceof NetBoxError) {
    const status = error.status ?? null;
    const failed = status !== null && status >= 400 && status < 500;
    return { result: failed ? "failed" : "unknown", status, requestId: error.requestId ?? null, message: error.message, body: error.body ?? null };
  }
  return { result: "unknown", status: null, requestId: null, message: error instanceof Error ? error.message : String(error), body: null };
}

export interface Resolution {
  method: string;
  created: CreatedRef[];
  conflicts: CreatedRef[];
  requests: number;
}

/**
 * Which of `items` a POST with an unknown outcome created. With NetBox's X-Request-ID (a 5xx still
 * carries it) `?created_by_request=` answers exactly; otherwise each item's natural key is looked
 * up (none existed at the preflight) and a found object counts as ours only if it holds the
 * item's staged payload — anything else under that key is a conflict for a human, never deleted.
 */
export async function resolveUnknownCreate(
  client: WriteClient,
  objectType: ObjectType,
  items: readonly BatchItem[],
  payloads: readonly Record<string, unknown>[],
  requestId: string | null,
): Promise<Resolution> {
  const rule = OBJECT_TYPES[objectType];
  let requests = 0;
  // NetBox's filter is a UUIDFilter over its change log: a request id that is not a UUID (set by a
  // proxy, not NetBox) would only earn a 400, so the natural keys decide alone.
  if (requestId && UUID.test(requestId)) {
    const { results, pages } = await client.list(rule.endpoint, `created_by_request=${encodeURIComponent(requestId)}`);
    requests += pages;
    // NetBox creates a bulk list in request order, so ids ascend with the items.
    const sorted = [...results].sort((a, b) => Number(a.id) - Number(b.id));
    if (sorted.length === items.length) {
      return {
        method: "created_by_request",
        created: sorted.map((object, i) => ({ item_id: items[i]!.item_id, object_type: objectType, id: Number(object.id) })),
        conflicts: [],
        requests,
      };
    }
    // Otherwise (none, or a partial count that NetBox's atomic create should never give): the
    // natural keys below decide, object by object.
  }
  const found = await findExisting(client, rule, items.map((item) => ({ itemId: item.item_id, lookup: item.lookup })));
  requests += found.requests;
  const created: CreatedRef[] = [];
  const conflicts: CreatedRef[] = [];
  items.forEach((item, i) => {
    for (const match of found.matches.filter((m) => m.itemId === item.item_id)) {
      const ref = { item_id: item.item_id, object_type: objectType, id: Number(match.object.id) };
      if (payloadMismatches(objectType, payloads[i] ?? {}, match.object).length === 0 && !created.some((c) => c.item_id === item.item_id)) created.push(ref);
      else conflicts.push(ref);
    }
  });
  return { method: requestId ? "created_by_request+natural_key" : "natural_key", created, conflicts, requests };
}

/** `https://nb/api/dcim/interfaces/7/`, for reports and humans. */
export function objectUrl(baseUrl: string, objectType: string, id: number): string {
  const rule = OBJECT_TYPES[objectType as ObjectType];
  return new URL(`${rule.endpoint.replace(/^\//, "")}${id}/`, baseUrl).toString();
}
