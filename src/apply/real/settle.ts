import type { NetBoxObject } from "../../netbox/client.js";
import { NetBoxError } from "../../netbox/errors.js";
import { findExisting, type ExistingMatch } from "../../netbox/lookup.js";
import { OBJECT_TYPES, type ObjectType } from "../../netbox/object-types.js";
import type { WriteClient } from "../../netbox/write-client.js";
import type { BatchItem } from "../../schemas/batch-plan.js";
import type { CreatedRef } from "../ledger.js";
import { payloadMismatches } from "../readback.js";
import { waitOutFence } from "./fence.js";
import type { Interrupt } from "./interrupt.js";
import { readByIds, resolveUnknownCreate } from "./netbox-ops.js";

/**
 * Settling bulk creates whose outcome is unknown (SPEC §2.4 "Bounded and settled"). NetBox makes up
 * X-Request-ID itself, so a request whose answer never came can be found only by what it carried —
 * and it may still commit: a bulk create is one transaction that commits at its end, seconds
 * later, even after the client gave up. So:
 * - a request NetBox itself answered (a 5xx with API-Version, a 2xx without the created list) is
 *   over: read now (created_by_request, then the natural keys);
 * - any other is read only after its fence (sent + OPSGATE_SETTLE_FENCE_MS): every natural-key
 *   look-up chunk, the change log searched for the batch's own `changelog_message` marker, then
 *   every look-up chunk again — an object that appears between the passes means NetBox was still
 *   committing, and the request stays open. No verdict is given on an open request.
 */
export interface PendingWrite {
  runId: string;
  seq: number;
  level: number;
  objectType: ObjectType;
  path: string;
  items: BatchItem[];
  /** What the request carried, item by item (refs resolved). */
  payloads: Record<string, unknown>[];
  requestId: string | null;
  /** NetBox itself answered: its request is over, nothing of it can still commit. */
  answered: boolean;
  /** Epoch ms after which it can no longer commit. */
  fenceAt: number;
}

export interface SettledWrite {
  pending: PendingWrite;
  created: CreatedRef[];
  /** Objects under an item's natural key that do not hold its payload: never ours to delete. */
  conflicts: CreatedRef[];
  method: string;
  /** Why the outcome is still unknown; undefined once settled. */
  open: string | undefined;
}

export interface SettleResult {
  settled: SettledWrite[];
  /** Objects created with the batch's marker that match no item: listed, never deleted. */
  strays: CreatedRef[];
  requests: number;
}

export interface SettleOptions {
  client: WriteClient;
  interrupt: Interrupt;
  /** `opsgate apply-batch <batch_id> `: what every changelog_message of the batch starts with. */
  marker: string;
  /** Objects whose origin is already known (created by answered requests): not strays. */
  knownIds: ReadonlySet<string>;
}

export const keyOf = (objectType: string, id: number): string => `${objectType}#${id}`;

export function describeWrite(p: PendingWrite): string {
  return `${p.runId} write ${p.seq} (POST ${p.path}, ${p.items.length} item(s))`;
}

export async function settleWrites(pending: readonly PendingWrite[], options: SettleOptions): Promise<SettleResult> {
  const settled: SettledWrite[] = [];
  const strays: CreatedRef[] = [];
  let requests = 0;
  for (const p of pending.filter((w) => w.answered)) {
    try {
      const resolution = await resolveUnknownCreate(options.client, p.objectType, p.items, p.payloads, p.requestId);
      requests += resolution.requests;
      settled.push({ pending: p, created: resolution.created, conflicts: resolution.conflicts, method: resolution.method, open: undefined });
    } catch (error) {
      if (!(error instanceof NetBoxError)) throw error;
      settled.push(openWrite(p, `NetBox answered it but could not be read to settle it (${error.message}); run apply-batch --recover when NetBox is back`));
    }
  }
  const unanswered = pending.filter((w) => !w.answered);
  if (unanswered.length === 0) return { settled, strays, requests };

  const fenceAt = Math.max(...unanswered.map((w) => w.fenceAt));
  const what = unanswered.length === 1 ? describeWrite(unanswered[0]!) : `${unanswered.length} unanswered writes (${unanswered.map((w) => `${w.runId}#${w.seq}`).join(", ")})`;
  if (!(await waitOutFence(fenceAt, what, options.interrupt))) {
    for (const p of unanswered) settled.push(openWrite(p, `got no answer and may still commit in NetBox until ${new Date(p.fenceAt).toISOString()}; the wait was interrupted: run apply-batch --recover after that time`));
    return { settled, strays, requests };
  }
  try {
    const first = await lookUpAll(options.client, unanswered);
    requests += first.requests;
    const logged = await createdWithMarker(options.client, [...new Set(unanswered.map((w) => w.objectType))], options.marker);
    requests += logged.requests;
    const second = await lookUpAll(options.client, unanswered);
    requests += second.requests;

    const claimed = new Set<string>();
    for (const [i, p] of unanswered.entries()) {
      const before = new Set(first.matches[i]!.map((m) => Number(m.object.id)));
      const late = second.matches[i]!.filter((m) => !before.has(Number(m.object.id)));
      const result = classify(p, second.matches[i]!);
      for (const ref of [...result.created, ...result.conflicts]) claimed.add(keyOf(ref.object_type, ref.id));
      settled.push({
        pending: p,
        ...result,
        method: `fence+natural_key×2${logged.supported ? "+changelog" : ""}`,
        open:
          late.length > 0
            ? `objects of it appeared in NetBox after its settle fence (${late.length} between two look-ups): NetBox was still committing; run apply-batch --recover later (raise OPSGATE_SETTLE_FENCE_MS)`
            : undefined,
      });
    }

    // The change log finds what the look-ups cannot (an object whose natural key changed since).
    for (const objectType of new Set(logged.refs.map((r) => r.object_type))) {
      const ids = logged.refs.filter((r) => r.object_type === objectType && !options.knownIds.has(keyOf(objectType, r.id)) && !claimed.has(keyOf(objectType, r.id))).map((r) => r.id);
      if (ids.length === 0) continue;
      const read = await readByIds(options.client, objectType as ObjectType, ids);
      requests += read.requests;
      for (const [id, object] of read.objects) {
        const owner = settled.find((s) => s.pending.objectType === objectType && !s.pending.answered && takeItem(s, object));
        if (!owner) strays.push({ item_id: "", object_type: objectType, id });
        else claimed.add(keyOf(objectType, id));
      }
    }
  } catch (error) {
    if (!(error instanceof NetBoxError)) throw error;
    for (const p of unanswered) {
      const index = settled.findIndex((s) => s.pending === p);
      const open = openWrite(p, `got no answer and NetBox could not be read to settle it (${error.message}); run apply-batch --recover when NetBox is back`);
      if (index >= 0) settled[index] = open;
      else settled.push(open);
    }
  }
  return { settled, strays, requests };
}

function openWrite(p: PendingWrite, why: string): SettledWrite {
  return { pending: p, created: [], conflicts: [], method: "unsettled", open: why };
}

/** One found object per item: the one that holds the payload is ours; anything else is a conflict. */
function classify(p: PendingWrite, matches: readonly ExistingMatch[]): { created: CreatedRef[]; conflicts: CreatedRef[] } {
  const created: CreatedRef[] = [];
  const conflicts: CreatedRef[] = [];
  p.items.forEach((item, i) => {
    for (const match of matches.filter((m) => m.itemId === item.item_id)) {
      const ref = { item_id: item.item_id, object_type: p.objectType, id: Number(match.object.id) };
      const ours = payloadMismatches(p.objectType, p.payloads[i] ?? {}, match.object).length === 0;
      if (ours && !created.some((c) => c.item_id === item.item_id)) created.push(ref);
      else conflicts.push(ref);
    }
  });
  return { created, conflicts };
}

/** Gives a change-log object to the first item of `s` not yet settled whose payload it holds. */
function takeItem(s: SettledWrite, object: NetBoxObject): boolean {
  const i = s.pending.items.findIndex((item, k) => !s.created.some((c) => c.item_id === item.item_id) && payloadMismatches(s.pending.objectType, s.pending.payloads[k] ?? {}, object).length === 0);
  if (i < 0) return false;
  s.created.push({ item_id: s.pending.items[i]!.item_id, object_type: s.pending.objectType, id: Number(object.id) });
  return true;
}

async function lookUpAll(client: WriteClient, pending: readonly PendingWrite[]): Promise<{ matches: ExistingMatch[][]; requests: number }> {
  const matches: ExistingMatch[][] = [];
  let requests = 0;
  for (const p of pending) {
    const found = await findExisting(client, OBJECT_TYPES[p.objectType], p.items.map((item) => ({ itemId: item.item_id, lookup: item.lookup })));
    requests += found.requests;
    matches.push(found.matches);
  }
  return { matches, requests };
}

/**
 * Objects of these types whose creation NetBox logged with the batch's marker in its message
 * (`GET /api/core/object-changes/?q=...&action=create`, NetBox ≥ 4.4 stores changelog_message).
 * A NetBox without that endpoint (404) simply gives nothing: the natural keys decide alone.
 */
async function createdWithMarker(client: WriteClient, objectTypes: readonly ObjectType[], marker: string): Promise<{ refs: CreatedRef[]; supported: boolean; requests: number }> {
  const refs: CreatedRef[] = [];
  let requests = 0;
  for (const objectType of objectTypes) {
    const query = new URLSearchParams({ q: marker, action: "create", changed_object_type: objectType }).toString();
    try {
      const { results, pages } = await client.list("api/core/object-changes/", query);
      requests += pages;
      for (const change of results) {
        const id = Number((change as { changed_object_id?: unknown }).changed_object_id);
        const message = (change as { message?: unknown }).message;
        // q also matches user names and object names: keep only the batch's own messages.
        if (Number.isSafeInteger(id) && typeof message === "string" && message.startsWith(marker)) refs.push({ item_id: "", object_type: objectType, id });
      }
    } catch (error) {
      if (error instanceof NetBoxError && error.status === 404) return { refs: [], supported: false, requests: requests + 1 };
      throw error;
    }
  }
  return { refs, supported: true, requests };
}
