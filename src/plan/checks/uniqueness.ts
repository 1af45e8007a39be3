import { hostOfAddress, objectTypeRule, plainId, type LookupKey } from "../../netbox/object-types.js";
import type { Finding } from "../../schemas/findings.js";
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
 * The identities of the object an item would create: its object type and natural-key values as
 * the lookup says (a missing lookup value falls back to the payload's) and as the payload says.
 * Both count: the preflight searches by the lookup, but NetBox creates what the payload says. IP
 * addresses compare by host address, because NetBox refuses a second IP with the same host even
 * under another mask (SPEC §4).
 */
export function naturalKeysOf(item: ItemView): string[] {
  const rule = objectTypeRule(item.objectType);
  if (!rule || (!item.lookup && !item.payload)) return [];
  const keyFrom = (pick: (key: LookupKey) => unknown): string => {
    const parts = rule.lookup.map((key) => {
      let value = pick(key);
      if (rule.objectType === "ipam.ipaddress" && key.key === "address" && typeof value === "string") value = hostOfAddress(value);
      return `${key.key}=${keyPart(value)}`;
    });
    return `${rule.objectType} ${parts.join(" ")}`;
  };
  const byLookup = keyFrom((key) => {
    const value = item.lookup?.[key.key];
    return value === undefined || value === null ? item.payload?.[key.payloadField] : value;
  });
  if (!item.payload) return [byLookup];
  const byPayload = keyFrom((key) => item.payload?.[key.payloadField]);
  return byPayload === byLookup ? [byLookup] : [byLookup, byPayload];
}

/** natural_keys_unique: no two items would create the same NetBox object. */
export const naturalKeysUnique: Check = ({ view }) => {
  if (!view.items) return SKIPPED;
  const firstIndex = new Map<string, number>();
  const findings: Finding[] = [];
  for (const item of view.items) {
    const keys = naturalKeysOf(item);
    const first = keys.map((key) => firstIndex.get(key)).find((index) => index !== undefined);
    if (first !== undefined) {
      const what = item.objectType === "ipam.ipaddress" ? "the same host address in the same VRF" : "the same natural key";
      findings.push(itemFinding(item, ".lookup", `would create the same ${item.objectType} as items[${first}] (${what})`));
    }
    for (const key of keys) if (!firstIndex.has(key)) firstIndex.set(key, item.index);
  }
  return { findings };
};
