import { lookupFilters, plainId, type ObjectTypeRule } from "./object-types.js";
import type { ListResult, NetBoxObject } from "./client.js";
import { hostOf, networkOf, parseIp } from "./ip.js";
import { envInteger } from "../guards/env.js";

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

/**
 * GETs in flight at once for look-ups and read-backs. Four kept a 10k dry-run's look-ups to half
 * the time of one-by-one (issue 14) without crowding NetBox's few gunicorn workers, which the
 * writes need too. OPSGATE_NETBOX_READ_CONCURRENCY tunes it (1–16).
 */
export const DEFAULT_READ_CONCURRENCY = 4;
/** OPSGATE_NETBOX_READ_CONCURRENCY, range-checked (a usage error, exit 2, when out of range). */
export function readConcurrencyFrom(env: NodeJS.ProcessEnv): number {
  return envInteger(env, "OPSGATE_NETBOX_READ_CONCURRENCY", DEFAULT_READ_CONCURRENCY);
}

/**
 * `fn` over `items` with at most `limit` calls in flight; results in input order, so reports,
 * counts and the ledger never depend on which answer came first. The first failure is thrown
 * once every call already started has settled (nothing is left running behind the caller).
 */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}

export interface ReadOptions {
  /** GETs in flight at once (default DEFAULT_READ_CONCURRENCY). */
  concurrency?: number;
  /**
   * Ask NetBox for only these fields (`?fields=`, NetBox ≥ 4.0) — `id` is always added. Absent:
   * the full objects (a caller that compares staged payloads must name every staged field).
   */
  fields?: readonly string[];
  /** Called with a chunk's item count once its answer is in (progress for a person watching). */
  onChunk?: (items: number) => void;
}

export async function findExisting(
  client: ListClient,
  rule: ObjectTypeRule,
  items: readonly LookupItem[],
  maxQueryChars = MAX_QUERY_CHARS,
  options: ReadOptions = {},
): Promise<LookupResult> {
  const [result] = await findExistingByType(client, [{ rule, items }], options, maxQueryChars);
  return result!;
}

/**
 * The look-ups of several object types at once: every chunk of every type shares one bounded pool
 * of GETs, and the answers are matched in chunk order, so the result is the same whatever order
 * NetBox answered in.
 */
export async function findExistingByType(
  client: ListClient,
  groups: readonly { rule: ObjectTypeRule; items: readonly LookupItem[]; fields?: readonly string[] }[],
  options: ReadOptions = {},
  maxQueryChars = MAX_QUERY_CHARS,
): Promise<LookupResult[]> {
  const tasks = groups.flatMap((group, g) => chunkByQueryLength(group.rule, group.items, maxQueryChars).map((chunk) => ({ g, chunk })));
  const answers = await mapBounded(tasks, options.concurrency ?? readConcurrencyFrom(process.env), async ({ g, chunk }) => {
    const answer = await listFields(client, groups[g]!.rule.endpoint, chunk.query, groups[g]!.fields ?? options.fields);
    options.onChunk?.(chunk.items.length);
    return answer;
  });
  const results: LookupResult[] = groups.map(() => ({ matches: [], requests: 0 }));
  tasks.forEach(({ g, chunk }, i) => {
    const { results: objects, pages } = answers[i]!;
    const result = results[g]!;
    const rule = groups[g]!.rule;
    result.requests += pages;
    for (const item of chunk.items) {
      for (const object of objects) if (matchesLookup(rule, item.lookup, object)) result.matches.push({ itemId: item.itemId, object });
    }
  });
  return results;
}

/** The fields a natural-key look-up needs to match its objects (and to name them in a report). */
export function lookupFields(rule: ObjectTypeRule): string[] {
  return ["id", "url", "display", ...rule.lookup.map((key) => key.payloadField)];
}

/** The list side of both NetBox clients (read-only and write). */
export interface ListClient {
  list(path: string, query?: string): Promise<ListResult>;
}

/**
 * Whether a client's NetBox honours `?fields=` (NetBox ≥ 4.0): false once `/api/status/` says
 * < 4.0, or once an answer carried fields that were not asked for (a NetBox that does not know the
 * parameter ignores it and answers full objects — correct, only larger; it is then not sent again).
 * A field asked for and absent from the answer is one NetBox does not know: the read-back reports
 * it as a staged field that did not land, exactly as with full objects.
 */
const fieldsSupport = new WeakMap<object, boolean>();

/** Records NetBox's version from `/api/status/`: before 4.0 there is no `?fields=`. */
export function noteNetBoxVersion(client: object, version: string | undefined): void {
  const major = version === undefined ? NaN : Number(/^(\d+)\./.exec(version)?.[1]);
  if (Number.isFinite(major)) fieldsSupport.set(client, major >= 4);
}

export async function listFields(client: ListClient, path: string, query: string, fields: readonly string[] | undefined): Promise<ListResult> {
  if (!fields || fields.length === 0 || fieldsSupport.get(client) === false) return client.list(path, query);
  const wanted = new Set(["id", ...fields]);
  const params = new URLSearchParams(query);
  params.set("fields", [...wanted].join(","));
  const answer = await client.list(path, params.toString());
  if (answer.results.some((object) => Object.keys(object).some((key) => !wanted.has(key)))) fieldsSupport.set(client, false);
  return answer;
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
