import { isRef } from "../schemas/batch-plan.js";

/**
 * `{"$ref": ITEM_ID}` → the NetBox id created for that item earlier in the run. Pure. Integers the
 * lossless reader kept as bigint go out as numbers when they fit (fetch's JSON cannot send bigint).
 */
export function resolveRefs(value: unknown, ids: ReadonlyMap<string, number>): unknown {
  if (isRef(value)) {
    const id = ids.get(value.$ref);
    if (id === undefined) throw new Error(`$ref ${value.$ref} has no created object yet (the write plan's levels are wrong)`);
    return id;
  }
  if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (Array.isArray(value)) return value.map((item) => resolveRefs(item, ids));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = resolveRefs(item, ids);
    return out;
  }
  return value;
}
