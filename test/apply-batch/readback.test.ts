import { describe, expect, it } from "vitest";
import { payloadMismatches } from "../../src/apply/readback.js";

/**
 * Read-back against objects shaped as a real NetBox 4.x answers them (GET /api/dcim/interfaces/N/
 * etc.: nested brief objects, {value, label} choices, lists of nested objects, and the read-only
 * fields NetBox adds), not as our simulator renders them.
 */
const nb = "https://netbox.example.net/api";
const brief = (path: string, id: number, extra: Record<string, unknown> = {}) => ({ id, url: `${nb}/${path}/${id}/`, display: `#${id}`, description: "", ...extra });

const INTERFACE = {
  id: 4242,
  url: `${nb}/dcim/interfaces/4242/`,
  display_url: "https://netbox.example.net/dcim/interfaces/4242/",
  display: "xe-0/0/1",
  device: brief("dcim/devices", 1890, { name: "4WNET-MNS-KTG-RX" }),
  vdcs: [],
  module: null,
  name: "xe-0/0/1",
  label: "",
  type: { value: "10gbase-x-sfpp", label: "SFP+ (10GE)" },
  enabled: true,
  parent: null,
  bridge: null,
  lag: brief("dcim/interfaces", 9, { name: "ae0", device: brief("dcim/devices", 1890) }),
  mtu: 9000,
  mac_address: "AA:BB:CC:00:11:22",
  speed: null,
  duplex: null,
  wwn: null,
  mgmt_only: false,
  description: "uplink to core",
  mode: { value: "tagged", label: "Tagged" },
  rf_role: null,
  poe_mode: null,
  untagged_vlan: brief("ipam/vlans", 5, { vid: 310, name: "MGMT" }),
  tagged_vlans: [brief("ipam/vlans", 6, { vid: 311, name: "B" }), brief("ipam/vlans", 5, { vid: 310, name: "MGMT" })],
  qinq_svlan: null,
  mark_connected: false,
  cable: null,
  tags: [{ id: 3, url: `${nb}/extras/tags/3/`, display: "core", name: "core", slug: "core", color: "9e9e9e" }],
  custom_fields: { circuit_ref: "C-1", peer: brief("dcim/devices", 77) },
  created: "2026-05-01T02:00:00.123456Z",
  last_updated: "2026-05-01T02:00:00.123456Z",
  count_ipaddresses: 0,
  count_fhrp_groups: 0,
  _occupied: false,
};

const IP = {
  id: 77,
  url: `${nb}/ipam/ip-addresses/77/`,
  display: "2001:db8::1/64",
  family: { value: 6, label: "IPv6" },
  address: "2001:db8::1/64",
  vrf: null,
  tenant: null,
  status: { value: "active", label: "Active" },
  role: null,
  assigned_object_type: "dcim.interface",
  assigned_object_id: 4242,
  assigned_object: { id: 4242, url: `${nb}/dcim/interfaces/4242/`, display: "xe-0/0/1", device: brief("dcim/devices", 1890), name: "xe-0/0/1", cable: null, _occupied: false },
  nat_inside: null,
  nat_outside: [],
  dns_name: "",
  description: "",
  comments: "",
  tags: [],
  custom_fields: {},
  created: "2026-05-01T02:00:00Z",
  last_updated: "2026-05-01T02:00:00Z",
};

const VLAN = {
  id: 5,
  url: `${nb}/ipam/vlans/5/`,
  display: "MGMT (310)",
  site: brief("dcim/sites", 21, { name: "KTG", slug: "ktg" }),
  group: brief("ipam/vlan-groups", 3, { name: "G", slug: "g" }),
  vid: 310,
  name: "MGMT",
  tenant: null,
  status: { value: "active", label: "Active" },
  role: null,
  qinq_role: null,
  tags: [],
  custom_fields: {},
  prefix_count: 0,
};

const PREFIX = { id: 8, url: `${nb}/ipam/prefixes/8/`, family: { value: 4, label: "IPv4" }, prefix: "10.31.40.0/24", vrf: brief("ipam/vrfs", 2, { name: "MGMT", rd: null }), vlan: brief("ipam/vlans", 5), status: { value: "active", label: "Active" }, is_pool: false, mark_utilized: false, _depth: 0, children: 0 };

describe("read-back against real NetBox shapes", () => {
  it("accepts every staged value that landed: ids vs nested, values vs choices, lists, IPv6, whitespace, MAC case", () => {
    expect(
      payloadMismatches("dcim.interface", {
        device: 1890,
        name: " xe-0/0/1 ",
        type: "10gbase-x-sfpp",
        enabled: true,
        lag: 9,
        mtu: "9000",
        mac_address: "aa-bb-cc-00-11-22",
        description: "uplink to core  ",
        mode: "tagged",
        untagged_vlan: { id: 5 },
        tagged_vlans: [5, 6],
        tags: [{ name: "core" }],
        custom_fields: { circuit_ref: "C-1", peer: 77 },
        changelog_message: "opsgate apply-batch B-1",
      }, INTERFACE),
    ).toEqual([]);
    expect(
      payloadMismatches("ipam.ipaddress", {
        address: "2001:DB8:0:0::0001/64",
        status: "active",
        role: "",
        vrf: null,
        assigned_object_type: "dcim.interface",
        assigned_object_id: 4242,
        dns_name: "",
      }, IP),
    ).toEqual([]);
    expect(payloadMismatches("ipam.vlan", { vid: 310, name: "MGMT", site: 21, group: 3, status: "active", tags: [] }, VLAN)).toEqual([]);
    expect(payloadMismatches("ipam.prefix", { prefix: "10.31.40.7/24", vrf: 2, vlan: 5, status: "active", is_pool: "false" }, PREFIX)).toEqual([]);
  });

  it("catches what did not land: a typo, an ignored read-only field, other ids, values and list members", () => {
    const fields = (objectType: string, payload: Record<string, unknown>, object: Record<string, unknown>) => payloadMismatches(objectType, payload, object).map((m) => m.field);
    expect(fields("dcim.interface", { device: 1890, name: "xe-0/0/1", type: "10gbase-x-sfpp", descripton: "typo" }, INTERFACE)).toEqual(["descripton"]);
    // assigned_object is read-only in NetBox: staged alone, the IP is not assigned.
    expect(fields("ipam.ipaddress", { address: "2001:db8::1/64", assigned_object: 4243 }, IP)).toEqual(["assigned_object"]);
    expect(fields("dcim.interface", { device: 1891, type: "1000base-t", mode: "access", tagged_vlans: [5], tags: [4], mtu: "9000x", mac_address: "aa:bb:cc:00:11:23" }, INTERFACE)).toEqual([
      "device",
      "type",
      "mode",
      "tagged_vlans",
      "tags",
      "mtu",
      "mac_address",
    ]);
    expect(fields("ipam.ipaddress", { address: "2001:db8::1/128", vrf: 2, status: "reserved", role: "vip" }, IP)).toEqual(["address", "vrf", "status", "role"]);
    expect(fields("ipam.vlan", { vid: 311, site: 22, group: null }, VLAN)).toEqual(["vid", "site", "group"]);
    expect(fields("ipam.prefix", { prefix: "10.31.41.0/24", vrf: null, is_pool: "yes" }, PREFIX)).toEqual(["prefix", "vrf", "is_pool"]);
  });
});
