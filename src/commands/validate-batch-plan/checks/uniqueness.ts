import { hostOfAddress, objectTypeRule, plainId } from "../../../netbox/object-types.js";
import type { Finding } from "../../../schemas/findings.js";
import { quoted, type ItemView } from "../view.js";
import { SKIPPED, itemFinding, type Check } from "./types.js";

/** item_ids_unique: no two items share an item_id. */
export const itemIdsUnique: Check = ({ view }) => {
  if (!view.items) return SKIPPED;
  const firstIndex = new Map<string, number>();
  const findings: Finding[] = [];
  for (const item of view.items) {
    if (item.itemId === undefined) continue;
    const first = firstIndex.get(item.itemId);
    if (first === undefined) firstIndex.set(item.itemId, item.index);
    else findings.push(itemFinding(item, ".item_id", `item_id ${quoted(item.itemId)} is already used by items[${first}]`));
  }
  return { findings };
};

function keyPart(value: unknown): string {
  const plain = plainId(value);
  if (plain === undefined || plain === null) return "null";
  return typeof plain === "bigint" ? plain.toString() : JSON.stringify(plain);
}

/**
 * The identity of the object an item would create: its object type and natural-key values, each
 * from the lookup or else from the payload. IP addresses compare by host address, because NetBox
 * refuses a second IP with the same host even under another mask (SPEC §4).
 */
export function naturalKeyOf(item: ItemView): string | undefined {
  const rule = objectTypeRule(item.objectType);
  if (!rule || (!item.lookup && !item.payload)) return undefined;
  const parts = rule.lookup.map((key) => {
    let value = item.lookup?.[key.key];
    if (value === undefined || value === null) value = item.payload?.[key.payloadField];
    if (rule.objectType === "ipam.ipaddress" && key.key === "address" && typeof value === "string") value = hostOfAddress(value);
    return `${key.key}=${keyPart(value)}`;
  });
  return `${rule.objectType} ${parts.join(" ")}`;
}

/** natural_keys_unique: no two items would create the same NetBox object. */
export const naturalKeysUnique: Check = ({ view }) => {
  if (!view.items) return SKIPPED;
  const firstIndex = new Map<string, number>();
  const findings: Finding[] = [];
  for (const item of view.items) {
    const key = naturalKeyOf(item);
    if (key === undefined) continue;
    const first = firstIndex.get(key);
    if (first === undefined) firstIndex.set(key, item.index);
    else {
      const what = item.objectType === "ipam.ipaddress" ? "the same host address in the same VRF" : "the same natural key";
      findings.push(itemFinding(item, ".lookup", `would create the same ${item.objectType} as items[${first}] (${what})`));
    }
  }
  return { findings };
};
