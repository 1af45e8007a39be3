import type { SimObjectType } from "../schemas/netbox-state.js";
import { networkOf, parseIp } from "./ip.js";
import type { Row } from "./simulator-models.js";

/**
 * Hash indexes for the simulator's list filters, so a look-up costs what it returns instead of
 * rows × filter values. Each indexable filter says under which keys a row is found and which key a
 * filter value asks for; both read exactly what the filter function in simulator-models.ts
 * compares (a value with no key matches nothing, as the filter would answer false for every row).
 */
export interface IndexSpec {
  rowKeys(row: Row): string[];
  valueKey(value: string): string | undefined;
}

/** `?device_id=1890` / `?vrf_id=null`: a foreign key held as a plain id (eqId). */
const foreignKey = (field: string): IndexSpec => ({
  rowKeys: (row) => {
    const value = row.fields[field];
    if (value === null || value === undefined) return ["null"];
    return typeof value === "number" ? [String(value)] : [];
  },
  valueKey: (value) => (value === "null" ? "null" : /^\d+$/.test(value) ? String(Number(value)) : undefined),
});

/** Exact text equality with a string field (`?name=xe-0/0/1`; also a uniqueness check's prefix). */
export const textField = (field: string): IndexSpec => ({
  rowKeys: (row) => (typeof row.fields[field] === "string" ? [row.fields[field]] : []),
  valueKey: (value) => value,
});

/** `String(field) === value` (`?vid=310`). */
const printed = (field: string): IndexSpec => ({
  rowKeys: (row) => [String(row.fields[field])],
  valueKey: (value) => value,
});

/** `?address=10.0.0.1` matches the host under any mask; `?address=10.0.0.1/24` host and mask. */
const address: IndexSpec = {
  rowKeys: (row) => {
    const have = parseIp(String(row.fields.address));
    if (!have) return [];
    return have.prefixLength === undefined ? [`h:${have.host}`] : [`h:${have.host}`, `c:${have.host}/${have.prefixLength}`];
  },
  valueKey: (value) => {
    if (!value.includes("/")) return `h:${value}`;
    const want = parseIp(value);
    return want ? `c:${want.host}/${want.prefixLength}` : undefined;
  },
};

/** `?prefix=` is cast to cidr: a value with host bits matches nothing; case and compression do not matter. */
const prefix: IndexSpec = {
  rowKeys: (row) => {
    const have = parseIp(String(row.fields.prefix));
    return have && have.prefixLength !== undefined ? [networkOf(have)] : [];
  },
  valueKey: (value) => {
    const want = parseIp(value);
    if (!want || want.prefixLength === undefined) return undefined;
    const network = networkOf(want);
    return network === `${want.host}/${want.prefixLength}` ? network : undefined;
  },
};

const COMMON: Record<string, IndexSpec> = {
  id: { rowKeys: (row) => [String(row.id)], valueKey: (value) => value },
  created_by_request: { rowKeys: (row) => (row.createdByRequest === undefined ? [] : [row.createdByRequest]), valueKey: (value) => value },
};

const BY_TYPE: Partial<Record<SimObjectType, Record<string, IndexSpec>>> = {
  "dcim.interface": { device_id: foreignKey("device"), name: textField("name"), type: textField("type") },
  "ipam.ipaddress": { address, vrf_id: foreignKey("vrf"), status: textField("status") },
  "ipam.prefix": { prefix, vrf_id: foreignKey("vrf"), status: textField("status") },
  "ipam.vlan": { vid: printed("vid"), name: textField("name"), site_id: foreignKey("site"), group_id: foreignKey("group"), status: textField("status") },
};

export function indexSpec(type: SimObjectType, filter: string): IndexSpec | undefined {
  const specs = BY_TYPE[type];
  if (specs && Object.hasOwn(specs, filter)) return specs[filter];
  return Object.hasOwn(COMMON, filter) ? COMMON[filter] : undefined;
}

/** One filter's index over one table: key → row ids; kept current on every insert, update and delete. */
export class FilterIndex {
  private readonly byKey = new Map<string, Set<number>>();

  constructor(
    readonly spec: IndexSpec,
    rows: Iterable<Row>,
  ) {
    for (const row of rows) this.add(row);
  }

  add(row: Row): void {
    for (const key of this.spec.rowKeys(row)) {
      let ids = this.byKey.get(key);
      if (!ids) this.byKey.set(key, (ids = new Set()));
      ids.add(row.id);
    }
  }

  remove(row: Row): void {
    for (const key of this.spec.rowKeys(row)) {
      const ids = this.byKey.get(key);
      ids?.delete(row.id);
      if (ids?.size === 0) this.byKey.delete(key);
    }
  }

  /** Ids of rows matching any of the values. */
  lookup(values: readonly string[]): Set<number> {
    const out = new Set<number>();
    for (const value of values) {
      const key = this.spec.valueKey(value);
      const ids = key === undefined ? undefined : this.byKey.get(key);
      if (ids) for (const id of ids) out.add(id);
    }
    return out;
  }

  /** Does this row match any of the values (the same question, asked of one row)? */
  matches(row: Row, valueKeys: ReadonlySet<string>): boolean {
    return this.spec.rowKeys(row).some((key) => valueKeys.has(key));
  }
}
