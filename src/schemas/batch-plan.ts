import * as z from "./zod.js";
import { secretValuesFromEnv } from "../guards/secrets.js";
import { DeviceRefSchema, IdSchema as FileIdSchema, NonEmptyStringSchema, surelyId, surelyNonEmpty, surelyPlainObject, TimestampSchema } from "./common.js";

/** Batch plan `batch_staged_apply_plan_v1` (SPEC §3.1). */

/**
 * The §3.1 id pattern, without `..` anywhere: the path guard (SPEC §5, `isSafeId`) refuses such ids
 * as file names, so a plan holding one could pass here and still never find its approval record.
 */
const IdSchema = FileIdSchema.check(z.refine((id) => !id.includes(".."), "must not contain '..'"));

/** `{"$ref": ITEM_ID}`: the NetBox id of an object created earlier in the same batch. */
export const RefSchema = z.strictObject({
  $ref: IdSchema,
});
export type Ref = z.infer<typeof RefSchema>;

/** True for a well-formed `{"$ref": ID}` object (exactly one key, a string id). */
export function isRef(value: unknown): value is Ref {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === "$ref" && typeof (value as Ref).$ref === "string";
}

export interface RefUse {
  /** Path inside staged_payload, e.g. ["tagged_vlans", 0]. */
  path: (string | number)[];
  ref: string;
}

/** Every `{"$ref": ID}` in a staged payload, at any depth, in document order. */
export function collectRefs(payload: unknown): RefUse[] {
  const found: RefUse[] = [];
  // One path, grown and shrunk as the walk goes; copied only for a ref found.
  const path: (string | number)[] = [];
  const visit = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    if (isRef(node)) {
      found.push({ path: [...path], ref: node.$ref });
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        path.push(i);
        visit(item);
        path.pop();
      });
      return;
    }
    for (const [key, item] of Object.entries(node)) {
      path.push(key);
      visit(item);
      path.pop();
    }
  };
  visit(payload);
  return found;
}

/**
 * Payload values are any JSON; an object holding a `$ref` key must be exactly `{"$ref": ID}`,
 * and numbers must be finite (NaN/Infinity cannot be hashed or sent to NetBox).
 */
function checkPayloadValue(node: unknown, path: (string | number)[], ctx: z.core.$RefinementCtx): void {
  if (typeof node === "number") {
    if (!Number.isFinite(node)) ctx.addIssue({ code: "custom", path, message: "must be a finite number" });
    return;
  }
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    node.forEach((item, i) => checkPayloadValue(item, [...path, i], ctx));
    return;
  }
  if ("$ref" in node) {
    const parsed = RefSchema.safeParse(node);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const at = [...path, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
        if (issue.code === "unrecognized_keys") {
          for (const key of issue.keys) ctx.addIssue({ code: "custom", path: [...at, key], message: 'a {"$ref": ITEM_ID} object holds nothing else' });
        } else ctx.addIssue({ code: "custom", path: at, message: `$ref ${issue.message}` });
      }
    }
    return;
  }
  for (const [key, item] of Object.entries(node)) checkPayloadValue(item, [...path, key], ctx);
}

/** NetBox field names → values; a value is JSON or `{"$ref": ITEM_ID}` (at any depth). */
export const StagedPayloadSchema = z
  .record(z.string(), z.unknown())
  .check(
    z.superRefine((payload, ctx) => {
      for (const [key, value] of Object.entries(payload)) checkPayloadValue(value, [key], ctx);
    }),
  )
  .check(
    z.meta({
      description:
        'NetBox field names to values. A value is any JSON, or {"$ref": ITEM_ID} for the id of an object created earlier in the same batch (the item must be listed in depends_on).',
    }),
  );

/** A natural-key value: a string, an integer or null (e.g. `vrf_id: null` for the global table). */
const LookupValueSchema = z.union([z.string(), z.number().check(z.int()), z.bigint(), z.null()], {
  error: "must be a string, an integer or null",
});

export const BatchItemSchema = z.strictObject({
  /** Unique within the plan; becomes part of file names. */
  item_id: IdSchema,
  /** NetBox object type, e.g. dcim.interface (see SPEC §4 for the supported ones). */
  object_type: NonEmptyStringSchema,
  /** Only `create` in version 1. */
  action: NonEmptyStringSchema,
  /** The approval record (approval_record_v1) that covers this item. */
  approval_id: IdSchema,
  /** Items whose objects must exist first (every $ref target must be listed here). */
  depends_on: z.array(IdSchema),
  /** The natural key used to find an existing object, e.g. {device_id, name} for an interface. */
  lookup: z.record(z.string(), LookupValueSchema),
  /** The body sent to NetBox. */
  staged_payload: StagedPayloadSchema,
});
export type BatchItem = z.infer<typeof BatchItemSchema>;

const planFields = {
  schema_version: z.literal("batch_staged_apply_plan_v1"),
  batch_id: IdSchema,
  created_at: TimestampSchema,
  created_by: NonEmptyStringSchema,
  /** The one device every item targets. */
  device: DeviceRefSchema,
};
const MIN_ITEMS = z.minLength(1, "a batch plan holds at least one item");

export const BatchPlanSchema = z.strictObject({
  ...planFields,
  items: z.array(BatchItemSchema).check(MIN_ITEMS),
});
export type BatchPlan = z.infer<typeof BatchPlanSchema>;

/**
 * BatchPlanSchema with its items left for BatchItemSchema one at a time (`batchPlanIssues`): zod
 * builds a parsed copy of what it checks, and a copy of a 100,000-item plan made at once lives
 * long enough to be promoted to the old generation; an item's copy dies young.
 */
const PlanWithoutItemsSchema = z.strictObject({
  ...planFields,
  items: z.array(z.unknown()).check(MIN_ITEMS),
});

const ITEM_KEYS = ["item_id", "object_type", "action", "approval_id", "depends_on", "lookup", "staged_payload"] as const;

/** `IdSchema` (a plan's, without `..`) surely accepts `value`. */
function surelyPlanId(value: unknown, secrets: string[]): boolean {
  return surelyId(value, secrets) && !value.includes("..");
}

/** `LookupValueSchema` surely accepts `value`. */
function surelyLookupValue(value: unknown): boolean {
  return value === null || typeof value === "string" || typeof value === "bigint" || Number.isSafeInteger(value);
}

/** `checkPayloadValue` surely finds nothing in `node`. */
function surelyPayloadValue(node: unknown, secrets: string[]): boolean {
  if (typeof node === "number") return Number.isFinite(node);
  if (node === null || typeof node !== "object") return true;
  if (Array.isArray(node)) return node.every((item) => surelyPayloadValue(item, secrets));
  if (!surelyPlainObject(node)) return false;
  if ("$ref" in node) return isRef(node) && surelyPlanId(node.$ref, secrets);
  for (const key in node) if (!surelyPayloadValue(node[key], secrets)) return false;
  return true;
}

/** `BatchItemSchema` surely accepts `item` (false: not sure, ask zod). See common.ts. */
function surelyItem(item: unknown, secrets: string[]): boolean {
  if (!surelyPlainObject(item, ITEM_KEYS)) return false;
  const { depends_on: dependsOn, lookup, staged_payload: payload } = item;
  if (!surelyPlanId(item.item_id, secrets) || !surelyPlanId(item.approval_id, secrets)) return false;
  if (!surelyNonEmpty(item.object_type) || !surelyNonEmpty(item.action)) return false;
  if (!Array.isArray(dependsOn) || !dependsOn.every((id) => surelyPlanId(id, secrets))) return false;
  if (!surelyPlainObject(lookup) || !Object.values(lookup).every(surelyLookupValue)) return false;
  return surelyPlainObject(payload) && Object.values(payload).every((value) => surelyPayloadValue(value, secrets));
}

/** BatchPlanSchema's issues for `plan`, in the same order, checked item by item. */
export function batchPlanIssues(plan: unknown): z.core.$ZodIssue[] {
  const top = PlanWithoutItemsSchema.safeParse(plan);
  const items = (plan as { items?: unknown } | null)?.items;
  const itemIssues: z.core.$ZodIssue[] = [];
  if (typeof plan === "object" && plan !== null && Array.isArray(items)) {
    const secrets = secretValuesFromEnv();
    items.forEach((item, index) => {
      if (surelyItem(item, secrets)) return;
      const parsed = BatchItemSchema.safeParse(item);
      if (!parsed.success) for (const issue of parsed.error.issues) itemIssues.push({ ...issue, path: ["items", index, ...issue.path] });
    });
  }
  const issues = top.success ? [] : top.error.issues;
  // Members are checked in the shape's order (items last), unknown members after them.
  const at = issues.findIndex((issue) => issue.path.length === 0 && issue.code === "unrecognized_keys");
  return at === -1 ? [...issues, ...itemIssues] : [...issues.slice(0, at), ...itemIssues, ...issues.slice(at)];
}
