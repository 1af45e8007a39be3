import type { BatchItem, BatchPlan } from "../schemas/batch-plan.js";
import { OBJECT_TYPES, type ObjectType } from "../netbox/object-types.js";

/**
 * The requests a real write makes, in order (SPEC §2.4): items grouped into dependency levels
 * (level 0 depends on nothing; level n on something at n-1), then one bulk POST per object type
 * per level. Payloads keep unresolved `$ref`s; the real write replaces them with the ids NetBox
 * returned for earlier levels. Pure: the dry-run reports it, the real write (issue 6) executes it.
 */
export interface PlannedRequest {
  /** 1-based position in the run. */
  seq: number;
  level: number;
  method: "POST";
  path: string;
  object_type: ObjectType;
  /** Items in the order of the payload list (NetBox answers created objects in request order). */
  item_ids: string[];
  payload: Record<string, unknown>[];
}

export interface WritePlanContext {
  operator: string;
  /** At most this many objects per bulk request (default: unbounded, one request per type and level). */
  chunkSize?: number;
  /** Chunks the write sends at once: a group that needs chunking is cut into a multiple of it. */
  concurrency?: number;
}

/** Object types in a level are posted in this order (stable, so the report is too). */
const TYPE_ORDER: readonly ObjectType[] = ["ipam.vlan", "ipam.prefix", "dcim.interface", "ipam.ipaddress"];
export const CHANGELOG_MAX = 200;

/** Level of each item: 0 without dependencies, else one more than its deepest dependency. */
export function dependencyLevels(items: readonly BatchItem[]): Map<string, number> {
  const byId = new Map(items.map((item) => [item.item_id, item]));
  const levels = new Map<string, number>();
  const visiting = new Set<string>();
  const levelOf = (id: string): number => {
    const known = levels.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) throw new Error(`dependency cycle through ${id} (validation should have refused the plan)`);
    visiting.add(id);
    const deps = byId.get(id)?.depends_on.filter((dep) => byId.has(dep)) ?? [];
    const level = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(levelOf));
    visiting.delete(id);
    levels.set(id, level);
    return level;
  };
  for (const item of items) levelOf(item.item_id);
  return levels;
}

/**
 * NetBox's changelog message (≤ 200 characters, NetBox ≥ 4.4) naming the batch, the operator and
 * the approval; shortened from the end (with "…") only when ids are long enough to overflow.
 */
export function changelogMessage(batchId: string, operator: string, approvalId: string): string {
  return clipChangelog(`opsgate apply-batch ${batchId} operator=${operator} approval=${approvalId}`);
}

/**
 * At most CHANGELOG_MAX characters as NetBox counts them — code points, not UTF-16 units — cut
 * between characters, never inside one: half of a 🌙 is a lone surrogate NetBox's database cannot
 * encode (a 500, and a batch that can never be applied).
 */
export function clipChangelog(text: string): string {
  const chars = Array.from(text);
  return chars.length <= CHANGELOG_MAX ? text : `${chars.slice(0, CHANGELOG_MAX - 1).join("")}…`;
}

export function planWriteRequests(plan: BatchPlan, context: WritePlanContext): PlannedRequest[] {
  const levels = dependencyLevels(plan.items);
  const maxLevel = Math.max(0, ...levels.values());
  const requests: PlannedRequest[] = [];
  for (let level = 0; level <= maxLevel; level++) {
    for (const objectType of TYPE_ORDER) {
      const group = plan.items.filter((item) => levels.get(item.item_id) === level && item.object_type === objectType);
      for (const items of chunksOf(group, context.chunkSize, context.concurrency)) requests.push({
        seq: requests.length + 1,
        level,
        method: "POST",
        path: OBJECT_TYPES[objectType].endpoint,
        object_type: objectType,
        item_ids: items.map((item) => item.item_id),
        payload: items.map((item) => ({
          ...item.staged_payload,
          changelog_message: changelogMessage(plan.batch_id, context.operator, item.approval_id),
        })),
      });
    }
  }
  return requests;
}

/**
 * Bounded chunks of one group, in order. A group that must be cut is cut into a multiple of
 * `concurrency` chunks of even size (500 items, at most 100, 3 at once: 6 of 84/83, not 5 of 100),
 * so NetBox's workers finish together instead of one running alone at the end.
 */
export function chunksOf<T>(items: readonly T[], chunkSize = Number.POSITIVE_INFINITY, concurrency = 1): T[][] {
  if (items.length === 0) return [];
  if (items.length <= chunkSize) return [[...items]];
  const least = Math.ceil(items.length / chunkSize);
  const count = Math.min(items.length, Math.ceil(least / concurrency) * concurrency);
  const chunks: T[][] = [];
  for (let i = 0, at = 0; i < count; i++) {
    const size = Math.floor(items.length / count) + (i < items.length % count ? 1 : 0);
    chunks.push(items.slice(at, at + size));
    at += size;
  }
  return chunks;
}
