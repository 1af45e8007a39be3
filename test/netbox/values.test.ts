import { describe, expect, it } from "vitest";
import { INTERFACE_TYPES } from "../../src/netbox/choices.js";
import { parseMac, parseNetBoxInt, valueProblems } from "../../src/netbox/values.js";
import { refusedValues } from "../helpers/netbox-values.js";

/**
 * The product's value rules and the test server's (written separately) must agree with each other
 * and with NetBox: each case is judged by both.
 */
const CASES: [string, string, Record<string, unknown>, string | undefined][] = [
  ["prefix with host bits", "ipam.prefix", { prefix: "10.31.50.7/24" }, "10.31.50.7/24 is not a valid prefix. Did you mean 10.31.50.0/24?"],
  ["IPv6 prefix with host bits", "ipam.prefix", { prefix: "2001:DB8::1/64" }, "2001:db8::1/64 is not a valid prefix. Did you mean 2001:db8::/64?"],
  ["a network", "ipam.prefix", { prefix: "10.31.50.0/24", status: "container" }, undefined],
  ["a prefix that is no address", "ipam.prefix", { prefix: "10.31.500.0/24" }, "Invalid IP prefix format: 10.31.500.0/24"],
  ["address without a mask", "ipam.ipaddress", { address: "10.0.0.1" }, "CIDR mask (e.g. /24) is required."],
  ["address with a mask", "ipam.ipaddress", { address: "2001:db8::1/64", status: "slaac", role: "" }, undefined],
  ["an unknown IP status", "ipam.ipaddress", { address: "10.0.0.1/24", status: "up" }, "up is not a valid choice."],
  ["vid 0", "ipam.vlan", { vid: 0 }, "Ensure this value is greater than or equal to 1."],
  ["vid 4095", "ipam.vlan", { vid: "4095" }, "Ensure this value is less than or equal to 4094."],
  ["vid as text", "ipam.vlan", { vid: " 310 ", status: "reserved" }, undefined],
  ["mtu as text", "dcim.interface", { mtu: "9000", type: "10gbase-x-sfpp", mode: "q-in-q" }, undefined],
  ["mtu 9000.0", "dcim.interface", { mtu: "9000.0" }, undefined],
  ["mtu 65537", "dcim.interface", { mtu: 65537 }, "Ensure this value is less than or equal to 65536."],
  ["mtu as a word", "dcim.interface", { mtu: "jumbo" }, "A valid integer is required."],
  ["mtu true", "dcim.interface", { mtu: true }, "A valid integer is required."],
  ["a made-up type", "dcim.interface", { type: "10gbase-x-sfp+" }, "10gbase-x-sfp+ is not a valid choice."],
  ["a type in capitals", "dcim.interface", { type: "LAG" }, "LAG is not a valid choice."],
  ["a numeric choice", "dcim.interface", { mode: "1" }, "1 is not a valid choice."],
  ["a boolean choice", "dcim.interface", { mode: "TRUE" }, "True is not a valid choice."],
  ["a choice as a dict", "dcim.interface", { type: { value: "lag" } }, 'Value must be passed directly (e.g. "foo": 123); do not use a dictionary or list.'],
];

describe("NetBox value rules", () => {
  it.each(CASES)("%s", (_name, objectType, payload, message) => {
    expect(valueProblems(objectType, payload).map((p) => p.message)).toEqual(message === undefined ? [] : [message]);
    const endpoint = { "ipam.prefix": "/api/ipam/prefixes/", "ipam.ipaddress": "/api/ipam/ip-addresses/", "ipam.vlan": "/api/ipam/vlans/", "dcim.interface": "/api/dcim/interfaces/" }[objectType]!;
    const refused = refusedValues("POST", endpoint, [payload]);
    expect(refused === undefined ? [] : Object.values((refused.body as Record<string, string[]>[])[0]!).flat()).toEqual(message === undefined ? [] : [message]);
  });

  it("takes every interface type NetBox offers, as the test server does", () => {
    expect(INTERFACE_TYPES.length).toBeGreaterThan(200);
    for (const type of INTERFACE_TYPES) {
      expect(valueProblems("dcim.interface", { type })).toEqual([]);
      expect(refusedValues("POST", "/api/dcim/interfaces/", { type })).toBeUndefined();
    }
  });

  it("parses the MAC forms netaddr does, after NetBox drops spaces", () => {
    for (const text of ["00:1b:21:3a:4f:5c", "00-1B-21-3A-4F-5C", "001b.213a.4f5c", "001b:213a:4f5c", "001b21:3a4f5c", "001B213A4F5C", "0:1b:21:3a:4f:5c", "00 1b 21 3a 4f 5c"]) {
      expect(parseMac(text)).toBe("001B213A4F5C");
    }
    for (const text of ["00:1b:21:3a:4f", "001b213a4f5c0", "00:1b:21:3a:4f:5g", "00_1b_21_3a_4f_5c", ""]) expect(parseMac(text)).toBeUndefined();
    expect(valueProblems("dcim.interface", { mac_address: "00:1b:21:3a:4f" })).toEqual([{ field: "mac_address", message: "Invalid MAC address format: 00:1b:21:3a:4f" }]);
  });

  it("reads integers as DRF's IntegerField does", () => {
    expect(["9000", " 9000 ", "9000.0", "9_000", "+9000", 9000].map(parseNetBoxInt)).toEqual(Array(6).fill(9000n));
    expect(["9000.5", "9e3", "", "0x10", true, null, [9000]].map(parseNetBoxInt)).toEqual(Array(7).fill(undefined));
  });

  it("refuses a lone surrogate in a changelog message with a 500, and more than 200 characters with a 400", () => {
    expect(refusedValues("POST", "/api/dcim/interfaces/", [{ changelog_message: "a\ud83c" }])?.status).toBe(500);
    expect(refusedValues("DELETE", "/api/dcim/interfaces/", [{ id: 1, changelog_message: "\udf19" }])?.status).toBe(500);
    expect(refusedValues("POST", "/api/dcim/interfaces/", [{ changelog_message: "🌙".repeat(200) }])).toBeUndefined();
    expect(refusedValues("POST", "/api/dcim/interfaces/", { changelog_message: "🌙".repeat(201) })).toEqual({
      status: 400,
      body: { changelog_message: ["Ensure this field has no more than 200 characters."] },
    });
  });
});
