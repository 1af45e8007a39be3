import { lookupFilters, plainId, type ObjectTypeRule } from "./object-types.js";
import type { NetBoxObject, ReadClient } from "./client.js";
import { hostOf, networkOf, parseIp } from "./ip.js";

/**
 * Batched natural-key look-ups: one list GET per object type for many items at once (NetBox ORs
 * repeated values of one filter), chunked so no URL grows past ~1800 characters, then matched back
 * to each item here — comparing nested ids (`"device": {"id": 1890}`) and host addresses — since
 * the combined filters return a superset (and NetBox ignores a filter it does not know).
 */
export interface LookupItem {
  itemId: string;
  lookup: Readonly<Record<string, unknown>>;
}

export interface ExistingMatch {
  itemId: string;
  object: NetBoxObject;
}

export interface LookupResult {
  matches: ExistingMatch[];
  /** GETs sent (chunks × pages). */
  requests: number;
}

export const MAX_QUERY_CHARS = 1800;

export async function findExisting(
  client: ReadClient,
  rule: ObjectTypeRule,
  items: readonly LookupItem[],
  maxQueryChars = MAX_QUERY_CHARS,
  /** Items looked up so far, after each chunk (progress). */
  onChunk?: (itemsDone: number) => void,
): Promise<LookupResult> {
  const matches: ExistingMatch[] = [];
  let requests = 0;
  let done = 0;
  for (const chunk of chunkByQueryLength(rule, items, maxQueryChars)) {
    const { results, pages } = await client.list(rule.endpoint, chunk.query);
    requests += pages;
    done += chunk.items.length;
    onChunk?.(done);
    for (const item of chunk.items) {
      for (const object of results) if (matchesLookup(rule, item.lookup, object)) matches.push({ itemId: item.itemId, object });
    }
  }
  return { matches, requests };
}

interface Chunk {
  items: LookupItem[];
  query: string;
}

/** Groups items so each chunk's query (every filter's distinct values) stays under the limit. */
export function chunkByQueryLength(rule: ObjectTypeRule, items: readonly LookupItem[], maxQueryChars: number): Chunk[] {
  const chunks: Chunk[] = [];
  let current: { items: LookupItem[]; values: Map<string, Set<string>>; length: number } | undefined;
  const flush = (): void => {
    if (current && current.items.length > 0) chunks.push({ items: current.items, query: queryOf(current.values) });
    current = undefined;
  };
  for (const item of items) {
    const pairs = lookupFilters(rule, item.lookup);
    current ??= { items: [], values: new Map(), length: 0 };
    const added = pairs.filter(([f, v]) => !current!.values.get(f)?.has(v));
    const extra = added.reduce((sum, [f, v]) => sum + encodeURIComponent(f).length + encodeURIComponent(v).length + 2, 0);
    if (current.items.length > 0 && current.length + extra > maxQueryChars) {
      flush();
      current = { items: [], values: new Map(), length: 0 };
    }
    const target = current;
    for (const [filter, value] of pairs) {
      const set = target.values.get(filter) ?? new Set<string>();
      if (!set.has(value)) target.length += encodeURIComponent(filter).length + encodeURIComponent(value).length + 2;
      set.add(value);
      target.values.set(filter, set);
    }
    target.items.push(item);
  }
  flush();
  return chunks;
}

function queryOf(values: Map<string, Set<string>>): string {
  const params = new URLSearchParams();
  for (const [filter, set] of values) for (const value of set) params.append(filter, value);
  return params.toString();
}

/**
 * Does this NetBox object have the item's natural key? Each lookup key is compared with the
 * object's field of the same meaning (`device_id` ↔ `device.id`, `vrf_id: null` ↔ `vrf: null`),
 * addresses by host (any mask: global uniqueness ignores it) and prefixes by network.
 */
export function matchesLookup(rule: ObjectTypeRule, lookup: Readonly<Record<string, unknown>>, object: NetBoxObject): boolean {
  const inAnyOf = new Set(rule.lookupAnyOf.flat());
  for (const key of rule.lookup) {
    const wanted = lookup[key.key];
    const have = plainId(object[key.payloadField]);
    if (wanted === undefined || wanted === null) {
      if (inAnyOf.has(key.key) && wanted === undefined) continue;
      if (!key.nullable) return false;
      if (have !== null && have !== undefined) return false;
      continue;
    }
    if (!sameValue(rule, key.key, wanted, have)) return false;
  }
  return true;
}

function sameValue(rule: ObjectTypeRule, key: string, wanted: unknown, have: unknown): boolean {
  const text = (v: unknown): string => (typeof v === "string" || typeof v === "number" || typeof v === "bigint" ? String(v) : JSON.stringify(v));
  if (have === null || have === undefined) return false;
  if (rule.objectType === "ipam.ipaddress" && key === "address") return hostOf(text(wanted)) === hostOf(text(have));
  if (rule.objectType === "ipam.prefix" && key === "prefix") return networkText(text(wanted)) === networkText(text(have));
  return text(wanted) === text(have);
}

function networkText(value: string): string {
  const ip = parseIp(value);
  return ip && ip.prefixLength !== undefined ? networkOf(ip) : value;
}
