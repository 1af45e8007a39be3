import { hostOf, networkOf, parseIp } from "./ip.js";

/**
 * The object types opsgate can create (SPEC §4), as ONE table shared by validate-batch-plan and
 * apply-batch: endpoint, allowed actions, required payload fields, the natural key (lookup) and
 * how each lookup key becomes a NetBox list filter, and which payload fields may hold a `$ref`.
 */

export type ObjectType = "dcim.interface" | "ipam.ipaddress" | "ipam.prefix" | "ipam.vlan";
export type Action = "create";

export interface LookupKey {
  /** Key in the plan's `lookup` object. */
  key: string;
  /** The staged_payload field holding the same value (lookup.device_id ↔ payload.device). */
  payloadField: string;
  /** The NetBox list filter it becomes (`?device_id=1890`). */
  filter: string;
  /** A missing key means null (e.g. vrf_id: the global table) instead of "incomplete". */
  nullable?: boolean;
}

/** What a `$ref` in a payload field must point at: a type, or the type named by another field. */
export type RefTarget = { type: ObjectType } | { typeFromField: string };

export interface ObjectTypeRule {
  objectType: ObjectType;
  /** List/bulk endpoint, with NetBox's mandatory trailing slash. */
  endpoint: string;
  actions: readonly Action[];
  /** Fields that must be present, non-null and non-empty in staged_payload. */
  requiredPayload: readonly string[];
  /** The natural key; every key is required unless nullable or in an `anyOf` group. */
  lookup: readonly LookupKey[];
  /** At least one key of each group must be present (ipam.vlan: site_id or group_id). */
  lookupAnyOf: readonly (readonly string[])[];
  /** Payload fields that may hold a `$ref`, and what it must reference. */
  refFields: Readonly<Record<string, RefTarget>>;
}

export const OBJECT_TYPES: Readonly<Record<ObjectType, ObjectTypeRule>> = {
  "dcim.interface": {
    objectType: "dcim.interface",
    endpoint: "/api/dcim/interfaces/",
    actions: ["create"],
    requiredPayload: ["device", "name", "type"],
    lookup: [
      { key: "device_id", payloadField: "device", filter: "device_id" },
      { key: "name", payloadField: "name", filter: "name" },
    ],
    lookupAnyOf: [],
    refFields: {
      parent: { type: "dcim.interface" },
      lag: { type: "dcim.interface" },
      bridge: { type: "dcim.interface" },
      untagged_vlan: { type: "ipam.vlan" },
      tagged_vlans: { type: "ipam.vlan" },
    },
  },
  "ipam.ipaddress": {
    objectType: "ipam.ipaddress",
    endpoint: "/api/ipam/ip-addresses/",
    actions: ["create"],
    requiredPayload: ["address"],
    lookup: [
      { key: "address", payloadField: "address", filter: "address" },
      { key: "vrf_id", payloadField: "vrf", filter: "vrf_id", nullable: true },
    ],
    lookupAnyOf: [],
    refFields: {
      assigned_object_id: { typeFromField: "assigned_object_type" },
      nat_inside: { type: "ipam.ipaddress" },
    },
  },
  "ipam.prefix": {
    objectType: "ipam.prefix",
    endpoint: "/api/ipam/prefixes/",
    actions: ["create"],
    requiredPayload: ["prefix"],
    lookup: [
      { key: "prefix", payloadField: "prefix", filter: "prefix" },
      { key: "vrf_id", payloadField: "vrf", filter: "vrf_id", nullable: true },
    ],
    lookupAnyOf: [],
    refFields: {
      vlan: { type: "ipam.vlan" },
    },
  },
  "ipam.vlan": {
    objectType: "ipam.vlan",
    endpoint: "/api/ipam/vlans/",
    actions: ["create"],
    requiredPayload: ["vid", "name"],
    lookup: [
      { key: "vid", payloadField: "vid", filter: "vid" },
      { key: "site_id", payloadField: "site", filter: "site_id", nullable: true },
      { key: "group_id", payloadField: "group", filter: "group_id", nullable: true },
    ],
    lookupAnyOf: [["site_id", "group_id"]],
    refFields: {},
  },
};

export const SUPPORTED_OBJECT_TYPES = Object.keys(OBJECT_TYPES).sort() as ObjectType[];

export function objectTypeRule(objectType: unknown): ObjectTypeRule | undefined {
  return typeof objectType === "string" && Object.hasOwn(OBJECT_TYPES, objectType) ? OBJECT_TYPES[objectType as ObjectType] : undefined;
}

/** An object id in a payload or lookup: a plain id, or NetBox's nested `{"id": N}` form. */
export function plainId(value: unknown): unknown {
  if (typeof value === "object" && value !== null && !Array.isArray(value) && "id" in value) return value.id;
  return value;
}

/** `10.0.0.1/30` → `10.0.0.1`: NetBox matches every mask when the filter has none (SPEC §4). */
export function hostOfAddress(address: string): string {
  const slash = address.indexOf("/");
  return slash === -1 ? address : address.slice(0, slash);
}

/**
 * The NetBox list filters that find an existing object with this lookup, in table order. An
 * absent or null nullable key becomes `<filter>=null` (NetBox's "is empty" filter); IP addresses
 * are searched by host address so a duplicate under another mask is found too.
 */
export function lookupFilters(rule: ObjectTypeRule, lookup: Readonly<Record<string, unknown>>): [string, string][] {
  const filters: [string, string][] = [];
  const inAnyOf = new Set(rule.lookupAnyOf.flat());
  for (const key of rule.lookup) {
    const value = lookup[key.key];
    if (value === undefined || value === null) {
      if (key.nullable && !inAnyOf.has(key.key)) filters.push([key.filter, "null"]);
      continue;
    }
    const text = typeof value === "string" || typeof value === "number" || typeof value === "bigint" ? String(value) : JSON.stringify(value);
    filters.push([key.filter, filterValue(rule, key.key, text)]);
  }
  return filters;
}

/**
 * A natural-key value as NetBox's filter must see it to match. `?address=` without a mask is
 * compared with PostgreSQL's `HOST(address)` — as text in NetBox before the INET cast was added —
 * so an IPv6 host must be sent in PostgreSQL's canonical form (lower case, `::`-compressed) or
 * `2001:DB8::0001` finds nothing. `?prefix=` is cast to `cidr`, which refuses host bits
 * (`10.0.0.1/24`): send the network NetBox stores (`10.0.0.0/24`).
 */
function filterValue(rule: ObjectTypeRule, key: string, text: string): string {
  if (rule.objectType === "ipam.ipaddress" && key === "address") return hostOf(hostOfAddress(text));
  if (rule.objectType === "ipam.prefix" && key === "prefix") {
    const ip = parseIp(text);
    return ip && ip.prefixLength !== undefined ? networkOf(ip) : text.trim();
  }
  return text;
}
