import { PyFloat } from "../json/value.js";
import type { NetBoxObject } from "../netbox/client.js";
import { parseIp, networkOf } from "../netbox/ip.js";
import { listFields, mapBounded, readConcurrencyFrom, type ListClient, type ReadOptions } from "../netbox/lookup.js";
import { OBJECT_TYPES, type ObjectType } from "../netbox/object-types.js";

/**
 * Does a NetBox object, as read back, hold what was staged? NetBox answers related objects nested
 * (`"device": {"id": 1890, ...}`) and choices as `{"value", "label"}`, and silently ignores fields
 * it does not know — so a staged field missing from the answer is a typo that did not land, and a
 * mismatch, never something to shrug off. Pure: the real write and --recover both use it.
 */
export interface FieldMismatch {
  field: string;
  expected: unknown;
  actual: unknown;
}

/** Fields that are request-only: NetBox accepts them and never returns them. */
const WRITE_ONLY = new Set(["changelog_message"]);

/** Ids per GET so `?id=1&id=2...` stays short (the same budget as the natural-key look-ups). */
const IDS_PER_GET = 200;

/**
 * The objects of one type that exist now, by id: batched `?id=` GETs, every page followed, at most
 * `concurrency` in flight, assembled in id-batch order. With `fields` only those (and `id`) are
 * asked for — a read-back names every staged field (readbackFields), an existence check none.
 */
export async function readByIds(
  client: ListClient,
  objectType: ObjectType,
  ids: readonly number[],
  options: ReadOptions = {},
): Promise<{ objects: Map<number, NetBoxObject>; requests: number }> {
  const unique = [...new Set(ids)];
  const batches: number[][] = [];
  for (let at = 0; at < unique.length; at += IDS_PER_GET) batches.push(unique.slice(at, at + IDS_PER_GET));
  const answers = await mapBounded(batches, options.concurrency ?? readConcurrencyFrom(process.env), (batch) =>
    listFields(client, OBJECT_TYPES[objectType].endpoint, batch.map((id) => `id=${id}`).join("&"), options.fields),
  );
  const objects = new Map<number, NetBoxObject>();
  let requests = 0;
  for (const { results, pages } of answers) {
    requests += pages;
    for (const object of results) objects.set(Number(object.id), object);
  }
  return { objects, requests };
}

/** What a read-back compares: every staged field (but the request-only ones), and the id. */
export function readbackFields(payloads: Iterable<Readonly<Record<string, unknown>>>): string[] {
  const fields = new Set<string>(["id"]);
  for (const payload of payloads) for (const field of Object.keys(payload)) if (!WRITE_ONLY.has(field)) fields.add(field);
  return [...fields];
}

export function payloadMismatches(objectType: string, payload: Readonly<Record<string, unknown>>, object: Readonly<Record<string, unknown>>): FieldMismatch[] {
  const out: FieldMismatch[] = [];
  for (const [field, expected] of Object.entries(payload)) {
    if (WRITE_ONLY.has(field)) continue;
    if (!Object.hasOwn(object, field)) {
      out.push({ field, expected, actual: "(absent: NetBox does not know this field)" });
      continue;
    }
    const actual = object[field];
    if (!sameValue(objectType, field, expected, actual)) out.push({ field, expected, actual: brief(actual) });
  }
  return out;
}

function sameValue(objectType: string, field: string, expected: unknown, actual: unknown): boolean {
  if (typeof expected === "string" && typeof actual === "string") {
    if (objectType === "ipam.prefix" && field === "prefix") return sameNetwork(expected, actual);
    if (objectType === "ipam.ipaddress" && field === "address") return sameInterface(expected, actual);
    // NetBox stores a MAC as an EUI and answers `AA:BB:CC:DD:EE:FF` whatever form it was given.
    if (field === "mac_address") return macText(expected) !== undefined && macText(expected) === macText(actual);
  }
  return matches(expected, actual);
}

function macText(value: string): string | undefined {
  const hex = value.replace(/[^0-9a-f]/gi, "").toUpperCase();
  return hex.length === 12 ? hex : undefined;
}

/** `expected` (request form) against `actual` (response form), recursively. */
function matches(expected: unknown, actual: unknown): boolean {
  if (expected instanceof PyFloat) return matches(expected.value, actual);
  if (expected === null || expected === undefined) return actual === null || actual === undefined || actual === "";
  // NetBox's ChoiceField answers a blank choice ("") as null.
  if (expected === "" && actual === null) return true;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return false;
    // Many-to-many fields (tags, tagged_vlans) come back in NetBox's order, not the request's.
    const left: unknown[] = [...(actual as unknown[])];
    return expected.every((want) => {
      const at = left.findIndex((have) => matches(want, have));
      if (at < 0) return false;
      left.splice(at, 1);
      return true;
    });
  }
  if (typeof expected === "object") {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return false;
    const have = actual as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).every(([key, value]) => Object.hasOwn(have, key) && matches(value, have[key]));
  }
  // A scalar in the request may come back as a nested object ({id}) or a choice ({value}).
  if (typeof actual === "object" && actual !== null && !Array.isArray(actual)) {
    const nested = actual as Record<string, unknown>;
    if ("value" in nested && !("id" in nested)) return scalarEqual(expected, nested.value);
    if ("id" in nested) return scalarEqual(expected, nested.id);
    return false;
  }
  return scalarEqual(expected, actual);
}

/**
 * A request scalar against the stored one, as DRF's fields parse the request: a CharField trims
 * surrounding whitespace (`" xe-0/0/1 "` is saved as `xe-0/0/1`), an IntegerField takes `"100"`,
 * a BooleanField takes `"true"`/`"1"`/`"yes"`... These landed as staged; anything else did not.
 */
function scalarEqual(a: unknown, b: unknown): boolean {
  if (b instanceof PyFloat) return scalarEqual(a, b.value);
  if (isNumber(a) && isNumber(b)) return String(a) === String(b);
  if (typeof a === "string" && typeof b === "string") return a === b || a.trim() === b;
  if (typeof a === "string" && isNumber(b)) return /^\s*-?\d+\s*$/.test(a) && (typeof b === "bigint" || Number.isInteger(b)) && BigInt(a.trim()) === BigInt(b);
  if (typeof a === "string" && typeof b === "boolean") return (b ? DRF_TRUE : DRF_FALSE).has(a.trim());
  return a === b;
}

const DRF_TRUE = new Set(["t", "T", "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "1"]);
const DRF_FALSE = new Set(["f", "F", "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "0"]);

function isNumber(value: unknown): value is number | bigint {
  return typeof value === "bigint" || (typeof value === "number" && Number.isFinite(value));
}

function sameNetwork(a: string, b: string): boolean {
  const x = parseIp(a);
  const y = parseIp(b);
  return x !== undefined && y !== undefined && x.prefixLength === y.prefixLength && networkOf(x) === networkOf(y);
}

function sameInterface(a: string, b: string): boolean {
  const x = parseIp(a);
  const y = parseIp(b);
  return x !== undefined && y !== undefined && x.host === y.host && x.prefixLength === y.prefixLength;
}

/** Nested objects shortened to what identifies them, so a report stays readable. */
function brief(value: unknown): unknown {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    if ("id" in v) return { id: v.id };
    if ("value" in v) return { value: v.value };
  }
  return value;
}
