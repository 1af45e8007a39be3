import * as z from "./zod.js";

/**
 * `netbox_state_v1`: the objects a simulated NetBox starts with (`apply-batch --simulate
 * --netbox-state FILE`, and the test server). Objects are written the way a request body would
 * send them — related objects and choices as plain ids and values — plus their `id`.
 */
const SimObjectSchema = z.looseObject({
  /** The object's NetBox id (unique per object type). */
  id: z.number().check(z.int(), z.positive()),
});

export const SIM_OBJECT_TYPES = [
  "dcim.site",
  "dcim.device",
  "dcim.interface",
  "ipam.vrf",
  "ipam.vlangroup",
  "ipam.vlan",
  "ipam.prefix",
  "ipam.ipaddress",
] as const;
export type SimObjectType = (typeof SIM_OBJECT_TYPES)[number];

export const NetBoxStateSchema = z.strictObject({
  schema_version: z.literal("netbox_state_v1"),
  /** What `GET /api/status/` reports (default 4.4.0; API-Version is its major.minor). */
  netbox_version: z.optional(z.string().check(z.regex(/^\d+\.\d+(\.\d+)?$/))),
  /** NetBox's ENFORCE_GLOBAL_UNIQUE setting (default true, as in current NetBox). */
  enforce_global_unique: z.optional(z.boolean()),
  /** Existing objects per object type, e.g. `{"dcim.device": [{"id": 1890, "name": "..."}]}`. */
  objects: z.partialRecord(z.enum(SIM_OBJECT_TYPES), z.array(SimObjectSchema)),
});
export type NetBoxState = z.infer<typeof NetBoxStateSchema>;
