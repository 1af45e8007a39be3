import { describe, expect, it } from "vitest";
import { NetBoxSimulator } from "../../src/netbox/simulator.js";
import { NetBoxStateSchema } from "../../src/schemas/netbox-state.js";
import { deviceState } from "../helpers/netbox-fixtures.js";

const ORIGIN = "http://nb.test";
const call = (sim: NetBoxSimulator, method: string, path: string, body?: unknown, query = "") =>
  sim.handle({ method, path, query: new URLSearchParams(query), body, origin: ORIGIN });

function withInterface(): NetBoxSimulator {
  return new NetBoxSimulator(
    deviceState({
      "dcim.interface": [{ id: 10, device: 1890, name: "xe-0/0/0", type: "10gbase-x-sfpp" }],
      "ipam.ipaddress": [{ id: 20, address: "10.0.0.1/24", assigned_object_type: "dcim.interface", assigned_object_id: 10 }],
    }),
  );
}

describe("NetBox simulator", () => {
  it("requires fields, ignores unknown ones and nests related objects and choices", () => {
    const sim = withInterface();
    expect(call(sim, "POST", "/api/dcim/interfaces/", { name: "x" })).toMatchObject({
      status: 400,
      body: { device: ["This field is required."], type: ["This field is required."] },
    });
    const created = call(sim, "POST", "/api/dcim/interfaces/", {
      device: 1890,
      name: "xe-0/0/1",
      type: "10gbase-x-sfpp",
      typo_field: "dropped",
      changelog_message: "batch B-1",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 11,
      url: `${ORIGIN}/api/dcim/interfaces/11/`,
      device: { id: 1890, name: "4WNET-MNS-KTG-RX", url: `${ORIGIN}/api/dcim/devices/1890/` },
      type: { value: "10gbase-x-sfpp", label: "SFP+ (10GE)" },
    });
    expect(created.body).not.toHaveProperty("typo_field");
    expect(sim.changelog.at(-1)).toMatchObject({ action: "create", objectId: 11, message: "batch B-1" });
    expect(call(sim, "POST", "/api/dcim/interfaces/", { device: 9999, name: "a", type: "virtual" }).body).toEqual({
      device: ["Related object not found using the provided numeric ID: 9999"],
    });
  });

  it("refuses a duplicate interface name per device", () => {
    const sim = withInterface();
    expect(call(sim, "POST", "/api/dcim/interfaces/", { device: 1890, name: "xe-0/0/0", type: "virtual" })).toMatchObject({
      status: 400,
      body: { non_field_errors: ["The fields device, name must make a unique set."] },
    });
  });

  it("enforces global IP uniqueness under any mask, and not inside a VRF", () => {
    const sim = withInterface();
    expect(call(sim, "POST", "/api/ipam/ip-addresses/", { address: "10.0.0.1/30" })).toMatchObject({
      status: 400,
      body: { address: ["Duplicate IP address found in global table: 10.0.0.1/24"] },
    });
    const vrfSim = new NetBoxSimulator({ ...deviceState(), objects: { "ipam.vrf": [{ id: 1, name: "red" }], "ipam.ipaddress": [{ id: 1, address: "10.0.0.1/24" }] } });
    expect(call(vrfSim, "POST", "/api/ipam/ip-addresses/", { address: "10.0.0.1/24", vrf: 1 }).status).toBe(201);
    const loose = new NetBoxSimulator({ ...deviceState(), enforce_global_unique: false, objects: { "ipam.ipaddress": [{ id: 1, address: "10.0.0.1/24" }] } });
    expect(call(loose, "POST", "/api/ipam/ip-addresses/", { address: "10.0.0.1/30" }).status).toBe(201);
  });

  it("keeps uniqueness through creates, updates and deletes, naming the first clash in id order", () => {
    const sim = new NetBoxSimulator(
      deviceState({
        "ipam.vrf": [{ id: 1, name: "red" }],
        "ipam.ipaddress": [
          { id: 5, address: "10.0.0.9/24", vrf: 1 },
          { id: 7, address: "10.0.0.9/25" },
          { id: 8, address: "2001:db8::1/64" },
        ],
      }),
    );
    const ip = (address: string) => call(sim, "POST", "/api/ipam/ip-addresses/", { address });
    const duplicate = (of: string) => ({ status: 400, body: { address: [`Duplicate IP address found in global table: ${of}`] } });
    expect(ip("10.0.0.9/32")).toMatchObject(duplicate("10.0.0.9/25"));
    expect(ip("2001:DB8:0:0::1/128")).toMatchObject(duplicate("2001:db8::1/64"));
    const created = ip("10.0.0.2/24");
    expect(created.status).toBe(201);
    const id = (created.body as { id: number }).id;
    expect(ip("10.0.0.2/30")).toMatchObject(duplicate("10.0.0.2/24"));
    expect(call(sim, "PATCH", `/api/ipam/ip-addresses/${id}/`, { address: "10.0.0.3/24" }).status).toBe(200);
    expect(call(sim, "PATCH", `/api/ipam/ip-addresses/${id}/`, { address: "10.0.0.3/26" }).status).toBe(200);
    expect(ip("10.0.0.3/25")).toMatchObject(duplicate("10.0.0.3/26"));
    expect(ip("10.0.0.2/32").status).toBe(201);
    expect(call(sim, "DELETE", `/api/ipam/ip-addresses/${id}/`).status).toBe(204);
    expect(ip("10.0.0.3/25").status).toBe(201);

    const iface = (name: string) => call(sim, "POST", "/api/dcim/interfaces/", { device: 1890, name, type: "virtual" });
    const clash = { status: 400, body: { non_field_errors: ["The fields device, name must make a unique set."] } };
    const first = (iface("xe-0/0/1").body as { id: number }).id;
    expect(iface("xe-0/0/1")).toMatchObject(clash);
    expect(call(sim, "PATCH", `/api/dcim/interfaces/${first}/`, { name: "xe-0/0/2" }).status).toBe(200);
    expect(iface("xe-0/0/2")).toMatchObject(clash);
    expect(iface("xe-0/0/1").status).toBe(201);
  });

  it("enforces global prefix uniqueness and refuses host bits as NetBox does", () => {
    const sim = new NetBoxSimulator(deviceState({ "ipam.prefix": [{ id: 1, prefix: "10.1.0.0/24" }] }));
    expect(call(sim, "POST", "/api/ipam/prefixes/", { prefix: "10.1.0.0/24" }).body).toEqual({
      prefix: ["Duplicate prefix found in global table: 10.1.0.0/24"],
    });
    expect(call(sim, "POST", "/api/ipam/prefixes/", { prefix: "10.1.0.7/24" })).toMatchObject({
      status: 400,
      body: { prefix: ["10.1.0.7/24 is not a valid prefix. Did you mean 10.1.0.0/24?"] },
    });
    expect(call(sim, "POST", "/api/ipam/prefixes/", { prefix: "2001:DB8:0:1::/64" }).body).toMatchObject({ prefix: "2001:db8:0:1::/64" });
  });

  it("bulk create is all-or-none with one error object per item", () => {
    const sim = withInterface();
    const before = sim.snapshot();
    const response = call(sim, "POST", "/api/dcim/interfaces/", [
      { device: 1890, name: "xe-0/0/5", type: "virtual" },
      { device: 1890, name: "xe-0/0/0", type: "virtual" },
    ]);
    expect(response).toMatchObject({ status: 400, body: [{}, { non_field_errors: ["The fields device, name must make a unique set."] }] });
    expect(sim.snapshot()).toEqual(before);
    const ok = call(sim, "POST", "/api/dcim/interfaces/", [
      { device: 1890, name: "xe-0/0/5", type: "virtual" },
      { device: 1890, name: "xe-0/0/6", type: "virtual" },
    ]);
    expect(ok.status).toBe(201);
    expect((ok.body as { name: string }[]).map((o) => o.name)).toEqual(["xe-0/0/5", "xe-0/0/6"]);
  });

  it("answers 500 and creates nothing for two items with the same natural key in one request", () => {
    const sim = withInterface();
    const before = sim.snapshot();
    const response = call(sim, "POST", "/api/ipam/ip-addresses/", [{ address: "10.9.0.1/24" }, { address: "10.9.0.1/30" }]);
    expect(response.status).toBe(500);
    expect(sim.snapshot()).toEqual(before);
  });

  it("deleting an interface deletes its IPs; bulk delete skips missing ids", () => {
    const sim = withInterface();
    expect(call(sim, "DELETE", "/api/dcim/interfaces/", [{ id: 10 }, { id: 999 }]).status).toBe(204);
    expect(sim.snapshot().objects["ipam.ipaddress"]).toBeUndefined();
    expect(call(sim, "DELETE", "/api/dcim/interfaces/10/").status).toBe(404);
  });

  it("filters with OR'd repeated values, host-only addresses, created_by_request and pages", () => {
    const sim = withInterface();
    const created = call(sim, "POST", "/api/dcim/interfaces/", [
      { device: 1890, name: "a", type: "virtual" },
      { device: 1890, name: "b", type: "virtual" },
    ]);
    const names = (q: string) =>
      (call(sim, "GET", "/api/dcim/interfaces/", undefined, q).body as { results: { name: string }[] }).results.map((r) => r.name);
    expect(names("name=a&name=xe-0/0/0&device_id=1890")).toEqual(["xe-0/0/0", "a"]);
    expect(names(`created_by_request=${created.requestId}`)).toEqual(["a", "b"]);
    const ips = call(sim, "GET", "/api/ipam/ip-addresses/", undefined, "address=10.0.0.1&vrf_id=null").body as { count: number; results: unknown[] };
    expect(ips.count).toBe(1);
    expect(ips.results[0]).toMatchObject({ assigned_object: { id: 10, device: { id: 1890 } }, status: { value: "active" } });
    const page = call(sim, "GET", "/api/dcim/interfaces/", undefined, "limit=2").body as { next: string; count: number };
    expect(page).toMatchObject({ count: 3, next: `${ORIGIN}/api/dcim/interfaces/?limit=2&offset=2` });
    expect(call(sim, "GET", "/api/dcim/interfaces/", undefined, "device_id=abc").status).toBe(400);
  });

  it("answers the status endpoint and rejects a changelog_message over 200 characters", () => {
    const sim = withInterface();
    expect(call(sim, "GET", "/api/status/").body).toMatchObject({ "netbox-version": "4.4.0" });
    expect(call(sim, "POST", "/api/ipam/ip-addresses/", { address: "10.7.0.1/24", changelog_message: "x".repeat(201) }).status).toBe(400);
  });

  it("validates the state file strictly at the top level", () => {
    expect(NetBoxStateSchema.safeParse({ schema_version: "netbox_state_v1", objects: { "dcim.bogus": [] } }).success).toBe(false);
    expect(NetBoxStateSchema.safeParse({ schema_version: "netbox_state_v1", objects: { "dcim.device": [{ name: "x" }] } }).success).toBe(false);
    expect(NetBoxStateSchema.safeParse(deviceState()).success).toBe(true);
  });
});
