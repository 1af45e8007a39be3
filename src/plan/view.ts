import { isSafeId } from "../guards/paths.js";
import { canonicalJson, canonicalSha256Streamed, sha256Hex } from "../json/canonical.js";
import type { JsonValue } from "../json/value.js";

/**
 * A lenient view of a plan that may not match the schema: every field that has the right JSON
 * type is kept, so each check can still judge its own concern on a partly broken plan (one bad
 * item does not hide a duplicate natural key elsewhere).
 */

export type JsonRecord = Record<string, unknown>;

export interface ItemView {
  index: number;
  /** The item's id when it is a string (valid or not: uniqueness still applies). */
  itemId?: string;
  objectType?: string;
  action?: string;
  approvalId?: string;
  /** The string entries of depends_on (non-strings are schema findings). */
  dependsOn?: string[];
  lookup?: JsonRecord;
  payload?: JsonRecord;
  /** SHA-256 of the canonical staged_payload (SPEC §3.5); null when there is none or it cannot be hashed. */
  payloadSha256: string | null;
}

export interface PlanView {
  root?: JsonRecord;
  batchId?: string;
  device?: JsonRecord;
  /** undefined when `items` is not an array: item checks cannot run. */
  items?: ItemView[];
  /**
   * `plan_sha256` (SPEC §3.5), when asked for: hashed with the payloads' canonical texts while they
   * are at hand, which are then let go (at 100,000 items they are tens of MB).
   */
  planSha256?: string | null;
}

export function asRecord(value: unknown): JsonRecord | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

/** SHA-256 of canonical JSON, or null for a value JSON cannot hold (NaN, Infinity). */
export function sha256OrNull(value: unknown): string | null {
  try {
    return sha256Hex(canonicalJson(value as JsonValue));
  } catch {
    return null;
  }
}

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** The item's view; its payloadSha256 is filled in by planView. */
function itemView(raw: unknown, index: number): ItemView {
  const item = asRecord(raw);
  const view: ItemView = { index, payloadSha256: null };
  if (!item) return view;
  const itemId = str(item.item_id);
  const objectType = str(item.object_type);
  const action = str(item.action);
  const approvalId = str(item.approval_id);
  const lookup = asRecord(item.lookup);
  const payload = asRecord(item.staged_payload);
  if (itemId !== undefined) view.itemId = itemId;
  if (objectType !== undefined) view.objectType = objectType;
  if (action !== undefined) view.action = action;
  if (approvalId !== undefined) view.approvalId = approvalId;
  if (Array.isArray(item.depends_on)) view.dependsOn = item.depends_on.filter((d): d is string => typeof d === "string");
  if (lookup) view.lookup = lookup;
  if (payload) view.payload = payload;
  return view;
}

export function planView(plan: unknown, options: { planSha256?: boolean } = {}): PlanView {
  const root = asRecord(plan);
  const view: PlanView = root ? { root } : {};
  if (root) {
    const batchId = str(root.batch_id);
    if (batchId !== undefined) view.batchId = batchId;
    const device = asRecord(root.device);
    if (device) view.device = device;
    if (Array.isArray(root.items)) view.items = root.items.map((item, i) => itemView(item, i));
  }
  const items = view.items ?? [];
  if (options.planSha256) view.planSha256 = planSha256(plan);
  for (const item of items) if (item.payload) item.payloadSha256 = sha256OrNull(item.payload);
  return view;
}

/** `plan_sha256`: SHA-256 of the plan's canonical JSON (SPEC §3.5); null if JSON cannot hold it. */
export function planSha256(plan: unknown): string | null {
  try {
    return canonicalSha256Streamed(plan as JsonValue);
  } catch {
    return null;
  }
}

/** The string approval ids of a plan's items, without building the whole view (no payload hashing). */
export function approvalIdsOf(plan: unknown): string[] {
  const items = asRecord(plan)?.items;
  if (!Array.isArray(items)) return [];
  return items.flatMap((item) => {
    const approvalId = asRecord(item)?.approval_id;
    return typeof approvalId === "string" ? [approvalId] : [];
  });
}

/** The item id to show in a finding: only a well-formed id (anything else may be hostile text). */
export function shownItemId(item: ItemView | undefined): string | undefined {
  return item && isSafeId(item.itemId) ? item.itemId : undefined;
}

/** A plan value quoted for a message, cut short (the report is no place for long input text). */
export function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}
