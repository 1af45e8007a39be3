import type { SimObjectType } from "../schemas/netbox-state.js";
import { INTERFACE_MODES, INTERFACE_TYPES, IPADDRESS_ROLES, IPADDRESS_STATUSES, PREFIX_STATUSES, VLAN_STATUSES } from "./choices.js";
import { hostOf, networkOf, parseIp } from "./ip.js";
import { INTERFACE_MTU, VLAN_VID, valueProblem } from "./values.js";
import { textField, type IndexSpec } from "./simulator-index.js";

/**
 * The object models of the simulated NetBox: which fields a request may set (anything else is
 * silently ignored, as NetBox does), which are required, which point at other objects, which
 * choices they take, how a response nests them, and which list filters exist.
 */
export type Fields = Record<string, unknown>;
export interface Row {
  id: number;
  fields: Fields;
  createdByRequest: string | undefined;
}

export interface ModelContext {
  origin: string;
  find(type: SimObjectType, id: number): Row | undefined;
  rows(type: SimObjectType): Row[];
  /** The rows `spec` files under `key`, in id order: found by a hash index the simulator keeps current. */
  rowsKeyed(type: SimObjectType, spec: IndexSpec, key: string): Row[];
  enforceGlobalUnique: boolean;
}

export type FieldKind =
  | { kind: "string" }
  | { kind: "int"; min?: number; max?: number }
  | { kind: "bool" }
  | { kind: "any" }
  | { kind: "mac" }
  | { kind: "fk"; to: SimObjectType }
  | { kind: "choice"; choices: Record<string, string>; allowBlank?: boolean };

export interface ModelSpec {
  type: SimObjectType;
  endpoint: string;
  required: string[];
  fields: Record<string, FieldKind>;
  defaults: Fields;
  display(row: Row, ctx: ModelContext): string;
  /** The serializer's Meta.brief_fields (`?brief=true`). */
  briefFields: readonly string[];
  /** Extra field checks beyond kinds (address syntax, uniqueness): NetBox's 400 bodies. */
  validate?(fields: Fields, ctx: ModelContext, selfId: number | undefined): Record<string, string[]>;
  /** Normalizes stored values (a prefix is stored as its network). */
  normalize?(fields: Fields): Fields;
  /** The database-level unique key: two of these in one bulk request are a 500 (IntegrityError). */
  uniqueKey?(fields: Fields, ctx: ModelContext): string | undefined;
  filters: Record<string, (row: Row, value: string, ctx: ModelContext) => boolean>;
  extraRender?(row: Row, ctx: ModelContext): Fields;
}

// Choice values are NetBox's (src/netbox/choices.ts); the labels only dress the answers.
const labelled = (values: readonly string[], labels: Record<string, string>): Record<string, string> => Object.fromEntries(values.map((v) => [v, labels[v] ?? v]));
const STATUS_LABELS = labelled(VLAN_STATUSES, { active: "Active", reserved: "Reserved", deprecated: "Deprecated" });
const IP_STATUS = labelled(IPADDRESS_STATUSES, { ...STATUS_LABELS, dhcp: "DHCP", slaac: "SLAAC" });
const PREFIX_STATUS = labelled(PREFIX_STATUSES, { container: "Container", ...STATUS_LABELS });
const IP_ROLES = labelled(IPADDRESS_ROLES, {
  loopback: "Loopback",
  secondary: "Secondary",
  anycast: "Anycast",
  vip: "VIP",
  vrrp: "VRRP",
  hsrp: "HSRP",
  glbp: "GLBP",
  carp: "CARP",
});
// NetBox lets these roles share an address (IPADDRESS_ROLES_NONUNIQUE).
const NONUNIQUE_ROLES = new Set(["anycast", "vip", "vrrp", "hsrp", "glbp", "carp"]);
const INTERFACE_TYPE_LABELS: Record<string, string> = {
  virtual: "Virtual",
  lag: "Link Aggregation Group (LAG)",
  "1000base-t": "1000BASE-T (1GE)",
  "10gbase-t": "10GBASE-T (10GE)",
  "10gbase-x-sfpp": "SFP+ (10GE)",
  "25gbase-x-sfp28": "SFP28 (25GE)",
  "40gbase-x-qsfpp": "QSFP+ (40GE)",
  "100gbase-x-qsfp28": "QSFP28 (100GE)",
};

const idOf = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
const eqId = (value: unknown, filter: string): boolean =>
  filter === "null" ? value === null || value === undefined : idOf(value) === Number(filter);

const ANY: FieldKind = { kind: "any" };
const STR: FieldKind = { kind: "string" };
const BOOL: FieldKind = { kind: "bool" };
const COMMON: Record<string, FieldKind> = { description: STR, comments: STR, tags: ANY, custom_fields: ANY };

// The uniqueness checks below find the rows that could clash through hash indexes (the keys are
// exactly what each check compares) instead of reading the whole table: with 10,000 objects, the
// checks of one bulk create read 10,000 rows per object, seconds of a write.
const BY_HOST: IndexSpec = { rowKeys: (row) => [hostOf(String(row.fields.address))], valueKey: (value) => value };
/** Device and name as the clash check compares them (a valid request's are an id and a string). */
const BY_DEVICE_AND_NAME: IndexSpec = {
  rowKeys: (row) => (typeof row.fields.device === "number" && typeof row.fields.name === "string" ? [`${row.fields.device}|${row.fields.name}`] : []),
  valueKey: (value) => value,
};
const BY_PREFIX = textField("prefix");

function uniqueIpError(fields: Fields, ctx: ModelContext, selfId: number | undefined): Record<string, string[]> {
  const vrf = idOf(fields.vrf);
  const enforce = vrf === undefined ? ctx.enforceGlobalUnique : ctx.find("ipam.vrf", vrf)?.fields.enforce_unique !== false;
  if (!enforce || NONUNIQUE_ROLES.has(String(fields.role))) return {};
  const duplicate = ctx
    .rowsKeyed("ipam.ipaddress", BY_HOST, hostOf(String(fields.address)))
    .find((row) => row.id !== selfId && idOf(row.fields.vrf) === vrf);
  if (!duplicate) return {};
  const table = vrf === undefined ? "global table" : `VRF ${String(ctx.find("ipam.vrf", vrf)?.fields.name)}`;
  return { address: [`Duplicate IP address found in ${table}: ${String(duplicate.fields.address)}`] };
}

function uniquePrefixError(fields: Fields, ctx: ModelContext, selfId: number | undefined): Record<string, string[]> {
  const vrf = idOf(fields.vrf);
  const enforce = vrf === undefined ? ctx.enforceGlobalUnique : ctx.find("ipam.vrf", vrf)?.fields.enforce_unique !== false;
  if (!enforce) return {};
  const duplicate = typeof fields.prefix === "string" ? ctx.rowsKeyed("ipam.prefix", BY_PREFIX, fields.prefix).find((row) => row.id !== selfId && idOf(row.fields.vrf) === vrf) : undefined;
  if (!duplicate) return {};
  const table = vrf === undefined ? "global table" : `VRF ${String(ctx.find("ipam.vrf", vrf)?.fields.name)}`;
  return { prefix: [`Duplicate prefix found in ${table}: ${String(duplicate.fields.prefix)}`] };
}

function addressError(field: string, value: unknown): Record<string, string[]> {
  const problem = valueProblem({ kind: "address" }, value);
  return problem ? { [field]: [problem] } : {};
}

export const MODELS: Record<SimObjectType, ModelSpec> = {
  "dcim.site": {
    type: "dcim.site",
    briefFields: ["id", "url", "display", "name", "slug", "description"],
    endpoint: "dcim/sites",
    required: ["name", "slug"],
    fields: { name: STR, slug: STR, status: { kind: "choice", choices: { active: "Active", planned: "Planned" } }, ...COMMON },
    defaults: { status: "active" },
    display: (row) => String(row.fields.name),
    filters: { name: (row, v) => row.fields.name === v, slug: (row, v) => row.fields.slug === v },
  },
  "dcim.device": {
    type: "dcim.device",
    briefFields: ["id", "url", "display", "name", "description"],
    endpoint: "dcim/devices",
    required: ["name"],
    fields: { name: STR, site: { kind: "fk", to: "dcim.site" }, status: { kind: "choice", choices: { active: "Active", planned: "Planned", offline: "Offline" } }, ...COMMON },
    defaults: { status: "active" },
    display: (row) => String(row.fields.name),
    filters: { name: (row, v) => row.fields.name === v, site_id: (row, v) => eqId(row.fields.site, v) },
  },
  "dcim.interface": {
    type: "dcim.interface",
    briefFields: ["id", "url", "display", "device", "name", "description", "cable", "_occupied"],
    endpoint: "dcim/interfaces",
    required: ["device", "name", "type"],
    fields: {
      device: { kind: "fk", to: "dcim.device" },
      name: STR,
      label: STR,
      type: { kind: "choice", choices: labelled(INTERFACE_TYPES, INTERFACE_TYPE_LABELS) },
      enabled: BOOL,
      mgmt_only: BOOL,
      mtu: { kind: "int", ...INTERFACE_MTU },
      parent: { kind: "fk", to: "dcim.interface" },
      lag: { kind: "fk", to: "dcim.interface" },
      bridge: { kind: "fk", to: "dcim.interface" },
      untagged_vlan: { kind: "fk", to: "ipam.vlan" },
      tagged_vlans: ANY,
      mode: { kind: "choice", choices: labelled(INTERFACE_MODES, { access: "Access", tagged: "Tagged", "tagged-all": "Tagged (All)", "q-in-q": "Q-in-Q (802.1ad)" }), allowBlank: true },
      speed: { kind: "int", min: 0 },
      ...COMMON,
    },
    defaults: { enabled: true, mgmt_only: false, label: "", description: "" },
    display: (row) => String(row.fields.name),
    uniqueKey: (f) => `${String(f.device)}|${String(f.name)}`,
    validate: (fields, ctx, selfId): Record<string, string[]> => {
      const key = typeof fields.device === "number" && typeof fields.name === "string" ? `${fields.device}|${fields.name}` : undefined;
      const clash = key !== undefined && ctx.rowsKeyed("dcim.interface", BY_DEVICE_AND_NAME, key).some((row) => row.id !== selfId);
      return clash ? { non_field_errors: ["The fields device, name must make a unique set."] } : {};
    },
    filters: {
      device_id: (row, v) => eqId(row.fields.device, v),
      device: (row, v, ctx) => ctx.find("dcim.device", Number(row.fields.device))?.fields.name === v,
      name: (row, v) => row.fields.name === v,
      type: (row, v) => row.fields.type === v,
    },
  },
  "ipam.vrf": {
    type: "ipam.vrf",
    briefFields: ["id", "url", "display", "name", "rd", "description"],
    endpoint: "ipam/vrfs",
    required: ["name"],
    fields: { name: STR, rd: STR, enforce_unique: BOOL, ...COMMON },
    defaults: { enforce_unique: true, rd: null },
    display: (row) => String(row.fields.name),
    filters: { name: (row, v) => row.fields.name === v, rd: (row, v) => row.fields.rd === v },
  },
  "ipam.vlangroup": {
    type: "ipam.vlangroup",
    briefFields: ["id", "url", "display", "name", "slug", "description"],
    endpoint: "ipam/vlan-groups",
    required: ["name", "slug"],
    fields: { name: STR, slug: STR, ...COMMON },
    defaults: {},
    display: (row) => String(row.fields.name),
    filters: { name: (row, v) => row.fields.name === v, slug: (row, v) => row.fields.slug === v },
  },
  "ipam.vlan": {
    type: "ipam.vlan",
    briefFields: ["id", "url", "display", "vid", "name", "description"],
    endpoint: "ipam/vlans",
    required: ["vid", "name"],
    fields: {
      vid: { kind: "int", ...VLAN_VID },
      name: STR,
      site: { kind: "fk", to: "dcim.site" },
      group: { kind: "fk", to: "ipam.vlangroup" },
      status: { kind: "choice", choices: STATUS_LABELS },
      ...COMMON,
    },
    defaults: { status: "active" },
    display: (row) => `${String(row.fields.name)} (${String(row.fields.vid)})`,
    uniqueKey: (f) => (f.group === undefined || f.group === null ? undefined : JSON.stringify([f.group, f.vid])),
    validate: (fields, ctx, selfId): Record<string, string[]> => {
      if (fields.group === undefined || fields.group === null) return {};
      const rows = ctx.rows("ipam.vlan").filter((row) => row.id !== selfId && row.fields.group === fields.group);
      if (rows.some((row) => row.fields.vid === fields.vid)) return { non_field_errors: ["The fields group, vid must make a unique set."] };
      if (rows.some((row) => row.fields.name === fields.name)) return { non_field_errors: ["The fields group, name must make a unique set."] };
      return {};
    },
    filters: {
      vid: (row, v) => String(row.fields.vid) === v,
      name: (row, v) => row.fields.name === v,
      site_id: (row, v) => eqId(row.fields.site, v),
      group_id: (row, v) => eqId(row.fields.group, v),
      status: (row, v) => row.fields.status === v,
    },
  },
  "ipam.prefix": {
    type: "ipam.prefix",
    briefFields: ["id", "url", "display", "family", "prefix", "description", "_depth"],
    endpoint: "ipam/prefixes",
    required: ["prefix"],
    fields: { prefix: STR, vrf: { kind: "fk", to: "ipam.vrf" }, vlan: { kind: "fk", to: "ipam.vlan" }, status: { kind: "choice", choices: PREFIX_STATUS }, is_pool: BOOL, ...COMMON },
    defaults: { status: "active", is_pool: false },
    display: (row) => String(row.fields.prefix),
    // Stored as netaddr prints it (`2001:DB8::/64` → `2001:db8::/64`); host bits were refused above.
    normalize: (f) => {
      const ip = typeof f.prefix === "string" ? parseIp(f.prefix) : undefined;
      return ip && valueProblem({ kind: "prefix" }, f.prefix) === undefined ? { ...f, prefix: networkOf(ip) } : f;
    },
    uniqueKey: (f, ctx) => (idOf(f.vrf) === undefined && !ctx.enforceGlobalUnique ? undefined : `${String(f.vrf)}|${String(f.prefix)}`),
    validate: (fields, ctx, selfId): Record<string, string[]> => {
      // netaddr's IPNetwork, then NetBox's prefix_validator: host bits are refused, naming the network.
      const problem = valueProblem({ kind: "prefix" }, fields.prefix);
      return problem ? { prefix: [problem] } : uniquePrefixError(fields, ctx, selfId);
    },
    filters: {
      // netaddr → cidr: a value with host bits set is not a cidr (PostgreSQL refuses it), so it
      // matches nothing here; case and zero-compression do not matter once cast.
      prefix: (row, v) => {
        const want = parseIp(v);
        return want !== undefined && want.prefixLength !== undefined && networkOf(want) === `${want.host}/${want.prefixLength}` && networkText(row.fields.prefix) === networkOf(want);
      },
      vrf_id: (row, v) => eqId(row.fields.vrf, v),
      status: (row, v) => row.fields.status === v,
    },
    extraRender: (row) => ({ family: family(String(row.fields.prefix)) }),
  },
  "ipam.ipaddress": {
    type: "ipam.ipaddress",
    briefFields: ["id", "url", "display", "family", "address", "description"],
    endpoint: "ipam/ip-addresses",
    required: ["address"],
    fields: {
      address: STR,
      vrf: { kind: "fk", to: "ipam.vrf" },
      status: { kind: "choice", choices: IP_STATUS },
      role: { kind: "choice", choices: IP_ROLES, allowBlank: true },
      assigned_object_type: { kind: "choice", choices: { "dcim.interface": "dcim.interface" } },
      assigned_object_id: { kind: "int", min: 1 },
      dns_name: STR,
      nat_inside: { kind: "fk", to: "ipam.ipaddress" },
      ...COMMON,
    },
    defaults: { status: "active", role: null, dns_name: "", description: "" },
    display: (row) => String(row.fields.address),
    // Stored as netaddr prints it: `2001:DB8::0001/64` → `2001:db8::1/64`.
    normalize: (f) => {
      const ip = typeof f.address === "string" ? parseIp(f.address) : undefined;
      return ip && ip.prefixLength !== undefined ? { ...f, address: `${ip.host}/${ip.prefixLength}` } : f;
    },
    uniqueKey: (f, ctx) =>
      (idOf(f.vrf) === undefined && !ctx.enforceGlobalUnique) || NONUNIQUE_ROLES.has(String(f.role))
        ? undefined
        : `${String(f.vrf)}|${hostOf(String(f.address))}`,
    validate: (fields, ctx, selfId): Record<string, string[]> => {
      const syntax = addressError("address", fields.address);
      if (Object.keys(syntax).length > 0) return syntax;
      const assignedId = idOf(fields.assigned_object_id);
      if (assignedId !== undefined && !ctx.find("dcim.interface", assignedId)) {
        return { assigned_object_id: [`Related object not found using the provided numeric ID: ${assignedId}`] };
      }
      if (assignedId !== undefined && fields.assigned_object_type !== "dcim.interface") {
        return { assigned_object_type: ["This field is required when assigned_object_id is set."] };
      }
      return uniqueIpError(fields, ctx, selfId);
    },
    filters: {
      // NetBox (`address__net_in`): a value with a mask is cast to inet and compared exactly; one
      // without is compared with PostgreSQL's HOST(address) *as text* (NetBox before the INET
      // cast), so only the canonical host text matches: `2001:DB8::0001` finds nothing.
      address: (row, v) => {
        const have = parseIp(String(row.fields.address));
        if (!have) return false;
        if (!v.includes("/")) return have.host === v;
        const want = parseIp(v);
        return want !== undefined && want.host === have.host && want.prefixLength === have.prefixLength;
      },
      vrf_id: (row, v) => eqId(row.fields.vrf, v),
      status: (row, v) => row.fields.status === v,
      assigned_object_id: (row, v) => String(row.fields.assigned_object_id) === v,
      interface_id: (row, v) => row.fields.assigned_object_type === "dcim.interface" && String(row.fields.assigned_object_id) === v,
      device_id: (row, v, ctx) =>
        row.fields.assigned_object_type === "dcim.interface" &&
        String(ctx.find("dcim.interface", Number(row.fields.assigned_object_id))?.fields.device) === v,
    },
    extraRender: (row, ctx) => {
      const assignedId = idOf(row.fields.assigned_object_id);
      const iface = assignedId === undefined ? undefined : ctx.find("dcim.interface", assignedId);
      return {
        family: family(String(row.fields.address)),
        assigned_object_type: row.fields.assigned_object_type ?? null,
        assigned_object_id: row.fields.assigned_object_id ?? null,
        assigned_object: iface
          ? { ...brief("dcim.interface", iface, ctx), device: nestedOrNull("dcim.device", iface.fields.device, ctx), name: iface.fields.name }
          : null,
      };
    },
  },
};

function networkText(value: unknown): string | undefined {
  const ip = parseIp(String(value));
  return ip && ip.prefixLength !== undefined ? networkOf(ip) : undefined;
}

function family(address: string): { value: number; label: string } {
  const v = parseIp(address)?.family ?? 4;
  return { value: v, label: `IPv${v}` };
}

export function objectUrl(type: SimObjectType, id: number, ctx: ModelContext): string {
  return `${ctx.origin}/api/${MODELS[type].endpoint}/${id}/`;
}

/** NetBox's brief nested representation of a related object. */
function brief(type: SimObjectType, row: Row, ctx: ModelContext): Fields {
  const out: Fields = { id: row.id, url: objectUrl(type, row.id, ctx), display: MODELS[type].display(row, ctx) };
  for (const key of ["name", "slug", "rd", "vid", "address", "prefix"]) if (row.fields[key] !== undefined) out[key] = row.fields[key];
  return out;
}

function nestedOrNull(type: SimObjectType, value: unknown, ctx: ModelContext): Fields | null {
  const id = idOf(value);
  const row = id === undefined ? undefined : ctx.find(type, id);
  return row ? brief(type, row, ctx) : id === undefined ? null : { id };
}

/** The full representation NetBox returns: related objects nested, choices as {value, label}. */
export function renderRow(type: SimObjectType, row: Row, ctx: ModelContext): Fields {
  const spec = MODELS[type];
  const out: Fields = { id: row.id, url: objectUrl(type, row.id, ctx), display: spec.display(row, ctx) };
  for (const [name, kind] of Object.entries(spec.fields)) {
    const value = row.fields[name];
    if (kind.kind === "fk") out[name] = nestedOrNull(kind.to, value, ctx);
    else if (kind.kind === "choice" && typeof value === "string") {
      out[name] = value === "" ? null : { value, label: kind.choices[value] ?? value };
    } else out[name] = value === undefined ? defaultFor(kind) : value;
  }
  return { ...out, ...spec.extraRender?.(row, ctx) };
}

function defaultFor(kind: FieldKind): unknown {
  if (kind.kind === "string") return "";
  if (kind.kind === "any") return null;
  return null;
}
