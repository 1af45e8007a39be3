import { describe, expect, it } from "vitest";
import { NetBoxSimulator } from "../../src/netbox/simulator.js";
import { MODELS, type Row } from "../../src/netbox/simulator-models.js";
import type { SimObjectType } from "../../src/schemas/netbox-state.js";
import { deviceState } from "../helpers/netbox-fixtures.js";

/** The indexed list must answer exactly what testing every row with the model's filters answers. */
const ORIGIN = "http://nb.test";

function state() {
  return deviceState({
    "dcim.site": [{ id: 21, name: "KTG", slug: "ktg" }],
    "ipam.vrf": [{ id: 3, name: "red" }],
    "dcim.interface": [
      { id: 12, device: 1890, name: "xe-0/0/2", type: "virtual" },
      { id: 10, device: 1890, name: "xe-0/0/0", type: "10gbase-x-sfpp" },
      { id: 11, device: 1890, name: "xe-0/0/1", type: "virtual" },
    ],
    "ipam.ipaddress": [
      { id: 20, address: "10.0.0.1/24" },
      { id: 21, address: "10.0.0.1/30", vrf: 3 },
      { id: 22, address: "2001:db8::1/64" },
    ],
    "ipam.prefix": [
      { id: 30, prefix: "10.0.0.0/24" },
      { id: 31, prefix: "2001:db8::/64", vrf: 3 },
    ],
    "ipam.vlan": [
      { id: 40, vid: 310, name: "A", site: 21 },
      { id: 41, vid: 311, name: "B" },
    ],
  });
}

const QUERIES: [SimObjectType, string][] = [
  ["dcim.interface", "device_id=1890&name=xe-0/0/1&name=xe-0/0/2&name=nope"],
  ["dcim.interface", "device_id=1891&name=xe-0/0/1"],
  ["dcim.interface", "device_id=01890&type=virtual"],
  ["dcim.interface", "id=10&id=12&id=99"],
  ["ipam.ipaddress", "address=10.0.0.1&vrf_id=null"],
  ["ipam.ipaddress", "address=10.0.0.1"],
  ["ipam.ipaddress", "address=10.0.0.1/30&vrf_id=3"],
  ["ipam.ipaddress", "address=2001:DB8::1&address=2001:db8::1"],
  ["ipam.ipaddress", "address=10.0.0.1/"],
  ["ipam.prefix", "prefix=10.0.0.0/24&vrf_id=null"],
  ["ipam.prefix", "prefix=10.0.0.7/24"],
  ["ipam.prefix", "prefix=2001:DB8:0::/64&vrf_id=3"],
  ["ipam.vlan", "vid=310&site_id=21"],
  ["ipam.vlan", "vid=311&site_id=null&group_id=null"],
];

function bruteForce(sim: NetBoxSimulator, type: SimObjectType, query: string): number[] {
  const rows = sim.snapshot().objects[type] ?? [];
  const params = new URLSearchParams(query);
  const ctx = { origin: ORIGIN, enforceGlobalUnique: true, find: () => undefined, rows: () => [], rowsKeyed: () => [] };
  return rows
    .filter((object) => {
      const { id, ...fields } = object;
      const row: Row = { id, fields, createdByRequest: undefined };
      return [...new Set(params.keys())].every((key) => {
        const values = params.getAll(key);
        const test = key === "id" ? (r: Row, v: string) => String(r.id) === v : MODELS[type].filters[key];
        return !test || values.some((v) => test(row, v, ctx));
      });
    })
    .map((object) => object.id);
}

describe("simulator list indexes", () => {
  it.each(QUERIES)("%s ?%s answers as the filters do, in id order", (type, query) => {
    const sim = new NetBoxSimulator(state());
    const list = (q: string) =>
      (sim.handle({ method: "GET", path: `/api/${MODELS[type].endpoint}/`, query: new URLSearchParams(q), origin: ORIGIN }).body as { results: { id: number }[] }).results.map((o) => o.id);
    expect(list(query)).toEqual(bruteForce(sim, type, query));
  });

  it("stays current through creates, updates and deletes", () => {
    const sim = new NetBoxSimulator(state());
    const call = (method: string, path: string, body?: unknown, query = "") => sim.handle({ method, path, query: new URLSearchParams(query), body, origin: ORIGIN });
    const names = (q: string) => (call("GET", "/api/dcim/interfaces/", undefined, q).body as { results: { id: number }[] }).results.map((o) => o.id);
    expect(names("device_id=1890&name=xe-0/0/9")).toEqual([]);
    const created = call("POST", "/api/dcim/interfaces/", [{ device: 1890, name: "xe-0/0/9", type: "virtual" }]).body as { id: number }[];
    expect(names("device_id=1890&name=xe-0/0/9")).toEqual([created[0]!.id]);
    call("PATCH", `/api/dcim/interfaces/${created[0]!.id}/`, { name: "xe-0/0/8" });
    expect(names("name=xe-0/0/9")).toEqual([]);
    expect(names("name=xe-0/0/8")).toEqual([created[0]!.id]);
    call("DELETE", "/api/dcim/interfaces/", [{ id: created[0]!.id }]);
    expect(names("name=xe-0/0/8")).toEqual([]);
    expect(names("device_id=1890")).toEqual([10, 11, 12]);
  });
});
