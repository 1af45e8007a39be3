import { describe, expect, it } from "vitest";
import { findExisting } from "../../src/netbox/lookup.js";
import { lookupFilters, OBJECT_TYPES } from "../../src/netbox/object-types.js";
import { createSimulatorReadClient } from "../../src/netbox/sim-client.js";
import { NetBoxSimulator } from "../../src/netbox/simulator.js";
import { deviceState } from "../helpers/netbox-fixtures.js";

const ORIGIN = "http://nb.test";

describe("natural-key filters as NetBox's filtersets read them", () => {
  it("sends IP hosts in PostgreSQL's HOST() text form and prefixes as their network", () => {
    const ip = OBJECT_TYPES["ipam.ipaddress"];
    expect(lookupFilters(ip, { address: "2001:DB8:0:0::0001/64", vrf_id: null })).toEqual([
      ["address", "2001:db8::1"],
      ["vrf_id", "null"],
    ]);
    expect(lookupFilters(ip, { address: "::FFFF:10.0.0.1/128" })[0]).toEqual(["address", "::ffff:10.0.0.1"]);
    expect(lookupFilters(ip, { address: "10.0.0.1/30", vrf_id: 2 })).toEqual([
      ["address", "10.0.0.1"],
      ["vrf_id", "2"],
    ]);
    const prefix = OBJECT_TYPES["ipam.prefix"];
    expect(lookupFilters(prefix, { prefix: "10.31.40.7/24" })).toEqual([
      ["prefix", "10.31.40.0/24"],
      ["vrf_id", "null"],
    ]);
    expect(lookupFilters(prefix, { prefix: "2001:DB8:AB::/48", vrf_id: 3 })[0]).toEqual(["prefix", "2001:db8:ab::/48"]);
    // VLANs: site_id or group_id, never a `null` filter for the one not given.
    expect(lookupFilters(OBJECT_TYPES["ipam.vlan"], { vid: 310, group_id: 3 })).toEqual([
      ["vid", "310"],
      ["group_id", "3"],
    ]);
  });

  it("finds an existing IPv6 address and prefix written differently in the plan (the filter compares text)", async () => {
    const sim = new NetBoxSimulator(
      deviceState({
        "ipam.ipaddress": [{ id: 5, address: "2001:db8::1/64" }],
        "ipam.prefix": [{ id: 6, prefix: "10.31.40.0/24" }],
      }),
    );
    // The simulator compares host-only addresses as PostgreSQL's HOST() text, as NetBox did.
    const raw = sim.handle({ method: "GET", path: "/api/ipam/ip-addresses/", query: new URLSearchParams("address=2001:DB8::0001"), origin: ORIGIN });
    expect((raw.body as { count: number }).count).toBe(0);
    const client = createSimulatorReadClient(sim);
    const ips = await findExisting(client, OBJECT_TYPES["ipam.ipaddress"], [{ itemId: "ip", lookup: { address: "2001:DB8:0::0001/127", vrf_id: null } }]);
    expect(ips.matches.map((m) => m.object.id)).toEqual([5]);
    const prefixes = await findExisting(client, OBJECT_TYPES["ipam.prefix"], [{ itemId: "pfx", lookup: { prefix: "10.31.40.9/24" } }]);
    expect(prefixes.matches.map((m) => m.object.id)).toEqual([6]);
  });
});
