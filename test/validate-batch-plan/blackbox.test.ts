/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- tests mutate untyped fixture JSON on purpose */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jcs, sha256 } from "../helpers/jcs.js";
import { runCli, summaryOf, type CliResult } from "../helpers/cli.js";
import { DEVICE_ARGS, FIXTURES, GOOD_APPROVALS, PINNED, itemById, loadPlan, type Json } from "./helpers.js";

/**
 * The hidden checker's view: each case is the good plan with ONE defect written from the SPEC's
 * wording (§2.2, §3.1, §4, §5), run through the built CLI. Exactly the named check must fail, the
 * report must still be written, and the finding must point at the defect's JSON path.
 */

const WORK = mkdtempSync(join(tmpdir(), "opsgate-vbp-bb-"));
afterAll(() => rmSync(WORK, { recursive: true, force: true }));
let fileCounter = 0;

function writePlanText(text: string | Buffer): string {
  const path = join(WORK, `plan-${fileCounter++}.json`);
  writeFileSync(path, text);
  return path;
}

const writePlan = (plan: unknown): string => writePlanText(JSON.stringify(plan, null, 2));

interface Report {
  schema_version: string;
  status: string;
  plan_sha256: string | null;
  batch_id: string | null;
  checks: { check_id: string; status: string; findings: { item_id?: string; path?: string; message: string }[] }[];
  items: Json[];
  summary: Json;
}

async function validateFile(path: string, extra: string[] = [], env?: Record<string, string>): Promise<{ result: CliResult; report: Report }> {
  const result = await runCli(["validate-batch-plan", "--plan", path, ...DEVICE_ARGS, "--generated-at", PINNED, ...extra], env ? { env } : {});
  return { result, report: JSON.parse(result.stdout) as Report };
}

const failedOf = (report: Report): string[] => report.checks.filter((c) => c.status === "fail").map((c) => c.check_id);
const pathsOf = (report: Report, checkId: string): (string | undefined)[] => report.checks.find((c) => c.check_id === checkId)?.findings.map((f) => f.path) ?? [];

function withCopy(plan: Json, fromId: string, change: (copy: Json) => void): void {
  const copy = structuredClone(itemById(plan, fromId));
  change(copy);
  (plan.items as Json[]).push(copy);
}

type Case = [name: string, mutate: (plan: Json) => void, checkId: string, path: string | undefined];

const CASES: Case[] = [
  // schema_valid: the report is still written, findings carry JSON paths.
  ["wrong schema_version", (p) => (p.schema_version = "batch_staged_apply_plan_v2"), "schema_valid", "schema_version"],
  ["missing batch_id", (p) => delete p.batch_id, "schema_valid", "batch_id"],
  ["missing created_at", (p) => delete p.created_at, "schema_valid", "created_at"],
  ["missing created_by", (p) => delete p.created_by, "schema_valid", "created_by"],
  ["missing device", (p) => delete p.device, "schema_valid", "device"],
  ["missing items", (p) => delete p.items, "schema_valid", "items"],
  ["unknown top-level key", (p) => (p.comment = "x"), "schema_valid", "comment"],
  ["unknown item key", (p) => (itemById(p, "if-ae0").priority = 1), "schema_valid", "items[2].priority"],
  ["batch_id ../x", (p) => (p.batch_id = "../x"), "schema_valid", "batch_id"],
  ["batch_id with a leading dot", (p) => (p.batch_id = ".hidden"), "schema_valid", "batch_id"],
  ["batch_id of 129 characters", (p) => (p.batch_id = "B".repeat(129)), "schema_valid", "batch_id"],
  ["item_id with a slash", (p) => (itemById(p, "ip-10-31-40-1-24").item_id = "ip/10"), "schema_valid", "items[7].item_id"],
  ["batch_id with '..' inside", (p) => (p.batch_id = "BATCH..1"), "schema_valid", "batch_id"],
  ["item_id with '..' inside", (p) => (itemById(p, "ip-10-31-40-1-24").item_id = "ip..10"), "schema_valid", "items[7].item_id"],
  ["approval_id ../x", (p) => (itemById(p, "if-ae0").approval_id = "../x"), "schema_valid", "items[2].approval_id"],
  ["action not a string", (p) => (itemById(p, "if-ae0").action = 1), "schema_valid", "items[2].action"],
  ["items not an array", (p) => (p.items = { a: 1 }), "schema_valid", "items"],
  ["depends_on not an array", (p) => (itemById(p, "if-ae0").depends_on = "vlan-310-ktg-mgmt"), "schema_valid", "items[2].depends_on"],
  ["staged_payload not an object", (p) => (itemById(p, "if-ae0").staged_payload = ["ae0"]), "schema_valid", "items[2].staged_payload"],
  ["device.id as a string", (p) => (p.device.id = "1890"), "schema_valid", "device.id"],
  ["created_at without offset", (p) => (p.created_at = "2026-05-01T10:00:00"), "schema_valid", "created_at"],
  ["a $ref with an extra key", (p) => (itemById(p, "if-xe-0-0-1").staged_payload.lag = { $ref: "if-ae0", id: 1 }), "schema_valid", "items[3].staged_payload.lag.id"],
  // supported_object_types: only that check fails.
  ["object_type dcim.device", (p) => (itemById(p, "if-ae0").object_type = "dcim.device"), "supported_object_types", "items[2].object_type"],
  ["object_type ipam.vrf", (p) => (itemById(p, "vlan-310-ktg-mgmt").object_type = "ipam.vrf"), "supported_object_types", "items[0].object_type"],
  ["action update", (p) => (itemById(p, "if-xe-0-0-2").action = "update"), "supported_object_types", "items[4].action"],
  ["action delete", (p) => (itemById(p, "pfx-10-31-40-0-24").action = "delete"), "supported_object_types", "items[1].action"],
  // expected_device_matches
  ["device.id differs", (p) => (p.device.id = 1891), "expected_device_matches", "device.id"],
  ["device.name differs", (p) => (p.device.name = "4WNET-MNS-KTG-RX2"), "expected_device_matches", "device.name"],
  // item_device_consistent
  ["interface payload device 1891", (p) => (itemById(p, "if-xe-0-0-2").staged_payload.device = 1891), "item_device_consistent", "items[4].staged_payload.device"],
  ["lookup device_id 1891", (p) => (itemById(p, "if-xe-0-0-2").lookup.device_id = 1891), "item_device_consistent", "items[4].lookup.device_id"],
  ["payload device as {id: 1891}", (p) => (itemById(p, "if-irb-310").staged_payload.device = { id: 1891 }), "item_device_consistent", "items[5].staged_payload.device"],
  ["payload device as {name: other}", (p) => (itemById(p, "if-irb-310").staged_payload.device = { name: "4WNET-MNS-KTG-RX2" }), "item_device_consistent", "items[5].staged_payload.device"],
  ["an IP address naming another device_id", (p) => (itemById(p, "ip-10-31-41-0-31").staged_payload.device_id = 7), "item_device_consistent", "items[6].staged_payload.device_id"],
  // payload_complete: missing, null, blank, empty list — per object type of §4.
  ["interface device missing", (p) => delete itemById(p, "if-ae0").staged_payload.device, "payload_complete", "items[2].staged_payload.device"],
  ["interface device empty string", (p) => (itemById(p, "if-ae0").staged_payload.device = ""), "payload_complete", "items[2].staged_payload.device"],
  ["interface name null", (p) => (itemById(p, "if-xe-0-0-1").staged_payload.name = null), "payload_complete", "items[3].staged_payload.name"],
  ["interface name missing", (p) => delete itemById(p, "if-xe-0-0-1").staged_payload.name, "payload_complete", "items[3].staged_payload.name"],
  ["interface type blank", (p) => (itemById(p, "if-xe-0-0-2").staged_payload.type = "   "), "payload_complete", "items[4].staged_payload.type"],
  ["interface type empty list", (p) => (itemById(p, "if-xe-0-0-2").staged_payload.type = []), "payload_complete", "items[4].staged_payload.type"],
  ["ip address missing", (p) => delete itemById(p, "ip-10-31-41-0-31").staged_payload.address, "payload_complete", "items[6].staged_payload.address"],
  ["prefix null", (p) => (itemById(p, "pfx-10-31-40-0-24").staged_payload.prefix = null), "payload_complete", "items[1].staged_payload.prefix"],
  ["vlan vid missing", (p) => delete itemById(p, "vlan-310-ktg-mgmt").staged_payload.vid, "payload_complete", "items[0].staged_payload.vid"],
  ["vlan name empty", (p) => (itemById(p, "vlan-310-ktg-mgmt").staged_payload.name = ""), "payload_complete", "items[0].staged_payload.name"],
  ["lookup lacks the interface name", (p) => delete itemById(p, "if-ae0").lookup.name, "payload_complete", "items[2].lookup.name"],
  // values_valid: what NetBox's serializers and validators refuse, with NetBox's message.
  ["prefix with host bits", (p) => (itemById(p, "pfx-10-31-40-0-24").lookup.prefix = itemById(p, "pfx-10-31-40-0-24").staged_payload.prefix = "10.31.40.7/24"), "values_valid", "items[1].staged_payload.prefix"],
  ["ip address without a mask", (p) => (itemById(p, "ip-10-31-41-0-31").lookup.address = itemById(p, "ip-10-31-41-0-31").staged_payload.address = "10.31.41.0"), "values_valid", "items[6].staged_payload.address"],
  ["ip address that is not one", (p) => (itemById(p, "ip-10-31-41-0-31").lookup.address = itemById(p, "ip-10-31-41-0-31").staged_payload.address = "10.31.41.300/31"), "values_valid", "items[6].staged_payload.address"],
  ["vlan vid 0", (p) => (itemById(p, "vlan-310-ktg-mgmt").lookup.vid = itemById(p, "vlan-310-ktg-mgmt").staged_payload.vid = 0), "values_valid", "items[0].staged_payload.vid"],
  ["vlan vid 4095", (p) => (itemById(p, "vlan-310-ktg-mgmt").lookup.vid = itemById(p, "vlan-310-ktg-mgmt").staged_payload.vid = 4095), "values_valid", "items[0].staged_payload.vid"],
  ["interface type not NetBox's", (p) => (itemById(p, "if-xe-0-0-2").staged_payload.type = "10gbase-x-sfp+"), "values_valid", "items[4].staged_payload.type"],
  ["interface mode trunk", (p) => (itemById(p, "if-irb-310").staged_payload.mode = "trunk"), "values_valid", "items[5].staged_payload.mode"],
  ["vlan status up", (p) => (itemById(p, "vlan-310-ktg-mgmt").staged_payload.status = "up"), "values_valid", "items[0].staged_payload.status"],
  ["prefix status dhcp", (p) => (itemById(p, "pfx-10-31-40-0-24").staged_payload.status = "dhcp"), "values_valid", "items[1].staged_payload.status"],
  ["ip status Active", (p) => (itemById(p, "ip-10-31-41-0-31").staged_payload.status = "Active"), "values_valid", "items[6].staged_payload.status"],
  ["mtu 65537", (p) => (itemById(p, "if-ae0").staged_payload.mtu = 65537), "values_valid", "items[2].staged_payload.mtu"],
  ["mtu 9000.5", (p) => (itemById(p, "if-ae0").staged_payload.mtu = "9000.5"), "values_valid", "items[2].staged_payload.mtu"],
  ["mac address NetBox cannot parse", (p) => (itemById(p, "if-ae0").staged_payload.mac_address = "00:1B:21:3A:4F"), "values_valid", "items[2].staged_payload.mac_address"],
  // item_ids_unique (an unreferenced item takes another's id)
  ["two items share an item_id", (p) => (itemById(p, "if-xe-0-0-2").item_id = "if-xe-0-0-1"), "item_ids_unique", "items[4].item_id"],
  // natural_keys_unique
  ["same interface lookup twice", (p) => withCopy(p, "if-xe-0-0-2", (c) => (c.item_id = "if-xe-0-0-2-again")), "natural_keys_unique", "items[8].lookup"],
  [
    "same IP host under another mask, same VRF",
    (p) => withCopy(p, "ip-10-31-41-0-31", (c) => ((c.item_id = "ip-dup"), (c.lookup.address = c.staged_payload.address = "10.31.41.0/24"))),
    "natural_keys_unique",
    "items[8].lookup",
  ],
  [
    "same VLAN vid and site",
    (p) => withCopy(p, "vlan-310-ktg-mgmt", (c) => ((c.item_id = "vlan-dup"), (c.staged_payload.name = "OTHER"))),
    "natural_keys_unique",
    "items[8].lookup",
  ],
  // references_resolve
  [
    "$ref to a missing item",
    (p) => Object.assign(itemById(p, "if-xe-0-0-1"), { depends_on: ["if-ae0"], staged_payload: { ...itemById(p, "if-xe-0-0-1").staged_payload, parent: { $ref: "if-ghost" } } }),
    "references_resolve",
    "items[3].staged_payload.parent",
  ],
  [
    "$ref to an item of the wrong type",
    (p) => Object.assign(itemById(p, "if-xe-0-0-1"), { depends_on: ["vlan-310-ktg-mgmt"], staged_payload: { ...itemById(p, "if-xe-0-0-1").staged_payload, lag: { $ref: "vlan-310-ktg-mgmt" } } }),
    "references_resolve",
    "items[3].staged_payload.lag",
  ],
  ["$ref not in depends_on", (p) => (itemById(p, "if-xe-0-0-1").depends_on = []), "references_resolve", "items[3].staged_payload.lag"],
  ["2-cycle in depends_on", (p) => (itemById(p, "if-ae0").depends_on = ["if-xe-0-0-1"]), "references_resolve", "items[2].depends_on"],
  ["self-dependency", (p) => (itemById(p, "if-ae0").depends_on = ["if-ae0"]), "references_resolve", "items[2].depends_on"],
  ["depends_on names an unknown item", (p) => (itemById(p, "if-ae0").depends_on = ["if-ghost"]), "references_resolve", "items[2].depends_on[0]"],
  // no_secrets (values never echoed: asserted below)
  ["password key with a value", (p) => (itemById(p, "if-ae0").staged_payload.custom_fields = { password: "hunter2-LEAK" }), "no_secrets", "items[2].staged_payload.custom_fields.password"],
  ["secret key with a value", (p) => (itemById(p, "if-ae0").staged_payload.secret = "LEAK-s3cr3t"), "no_secrets", "items[2].staged_payload.secret"],
  ["token key with a value", (p) => (itemById(p, "if-ae0").staged_payload.token = "LEAKtok"), "no_secrets", "items[2].staged_payload.token"],
  ["short v2 token nbt_abc.def", (p) => (itemById(p, "if-ae0").staged_payload.description = "nbt_abc.def"), "no_secrets", "items[2].staged_payload.description"],
  [
    "40-hex v1 token under a token-like key",
    (p) => (itemById(p, "if-ae0").staged_payload.custom_fields = { netbox_api_token: "c0ffee0123456789abcdef0123456789abcdef01" }),
    "no_secrets",
    "items[2].staged_payload.custom_fields.netbox_api_token",
  ],
  [
    "Authorization: Token <hex> in a description",
    (p) => (itemById(p, "if-ae0").staged_payload.description = "curl -H 'Authorization: Token c0ffee0123456789abcdef0123456789abcdef01'"),
    "no_secrets",
    "items[2].staged_payload.description",
  ],
  [
    "a private key block",
    (p) => (itemById(p, "if-ae0").staged_payload.comments = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----"),
    "no_secrets",
    "items[2].staged_payload.comments",
  ],
  [
    "a v2 token pasted as a key name",
    (p) => (itemById(p, "if-ae0").staged_payload.custom_fields = { "nbt_KeyLEAK9.0123456789abcdef": "x" }),
    "no_secrets",
    "items[2].staged_payload.custom_fields",
  ],
];

/** Secret values planted by the no_secrets cases: none may reach stdout or stderr. */
const PLANTED = ["KeyLEAK9", "hunter2-LEAK", "LEAK-s3cr3t", "LEAKtok", "nbt_abc.def", "c0ffee0123456789abcdef0123456789abcdef01", "MIIEowIBAAKCAQEA"];

describe.concurrent("each check catches its defect alone (built CLI)", () => {
  it.each(CASES.map(([name, mutate, checkId, path]) => [name, checkId, path, mutate] as const))("%s → %s at %s", async (_name, checkId, path, mutate) => {
    const plan = loadPlan();
    mutate(plan);
    const { result, report } = await validateFile(writePlan(plan));
    expect(result.code).toBe(1);
    expect(failedOf(report)).toEqual([checkId]);
    expect(report.status).toBe("invalid");
    expect(pathsOf(report, checkId)).toContain(path);
    expect(summaryOf(result)).toMatch(new RegExp(`^BATCH_PLAN_VALIDATION_FAILED batch_id=\\S+ items=${report.summary.item_count} checks=11 failed=1 findings=${report.summary.finding_count}$`));
    for (const secret of PLANTED) expect(result.stdout + result.stderr).not.toContain(secret);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe.concurrent("near misses pass (exit 0)", () => {
  const NEAR: [string, (plan: Json) => void][] = [
    ["a 40-hex repo_sha256", (p) => (itemById(p, "if-ae0").staged_payload.custom_fields = { repo_sha256: "c0ffee0123456789abcdef0123456789abcdef01" })],
    ["a 64-hex config digest", (p) => (itemById(p, "if-ae0").staged_payload.custom_fields = { config_sha256: "ab".repeat(32) })],
    ["the word token in a description", (p) => (itemById(p, "if-ae0").staged_payload.description = "token ring replacement; rotate the token next week")],
    ["a mac_address", (p) => (itemById(p, "if-ae0").staged_payload.mac_address = "00:1B:21:3A:4F:5C")],
    ["an empty password", (p) => (itemById(p, "if-ae0").staged_payload.custom_fields = { password: "" })],
    ["mtu as a numeric string (NetBox takes it)", (p) => (itemById(p, "if-ae0").staged_payload.mtu = " 9000 ")],
    ["mtu 65536 and vid 4094 (NetBox's upper bounds)", (p) => ((itemById(p, "if-ae0").staged_payload.mtu = 65536), (itemById(p, "vlan-310-ktg-mgmt").lookup.vid = itemById(p, "vlan-310-ktg-mgmt").staged_payload.vid = 4094))],
    ["a Cisco-style mac_address", (p) => (itemById(p, "if-ae0").staged_payload.mac_address = "001b.213a.4f5c")],
    ["a blank mode (NetBox allows it)", (p) => (itemById(p, "if-irb-310").staged_payload.mode = "")],
    ["an IPv6 prefix without host bits, upper case", (p) => (itemById(p, "pfx-10-31-40-0-24").lookup.prefix = itemById(p, "pfx-10-31-40-0-24").staged_payload.prefix = "2001:DB8:0:1::/64")],
    [
      "the same IP host in another VRF",
      (p) => withCopy(p, "ip-10-31-41-0-31", (c) => ((c.item_id = "ip-vrf-7"), (c.lookup.vrf_id = 7), (c.staged_payload.vrf = 7), (c.depends_on = ["if-ae0"]))),
    ],
    [
      "the same VLAN vid at another site",
      (p) => withCopy(p, "vlan-310-ktg-mgmt", (c) => ((c.item_id = "vlan-310-site-22"), (c.lookup.site_id = 22), (c.staged_payload.site = 22))),
    ],
    ["a device given as {id: 1890}", (p) => (itemById(p, "if-ae0").staged_payload.device = { id: 1890 })],
    ["a batch_id of 128 characters", (p) => (p.batch_id = "B".repeat(128))],
    ["an integer beyond 2^53 in a payload", (p) => (itemById(p, "if-ae0").staged_payload.custom_fields = { circuit_ref: 2n ** 64n })],
  ];
  it.each(NEAR)("%s", async (_name, mutate) => {
    const plan = loadPlan();
    mutate(plan);
    const text = JSON.stringify(plan, (_k, v: unknown) => (typeof v === "bigint" ? `__BIG${v}__` : v), 2).replace(/"__BIG(\d+)__"/g, "$1");
    const { result, report } = await validateFile(writePlanText(text));
    expect(failedOf(report)).toEqual([]);
    expect(result.code).toBe(0);
    expect(summaryOf(result)).toMatch(/^BATCH_PLAN_VALIDATION_OK batch_id=\S+ items=\d+ checks=11 failed=0 findings=0$/);
  });
});

describe.concurrent("schema violations in the file's text still give a report (exit 1)", () => {
  const good = (): string => readFileSync(join(FIXTURES, "good/plan.json"), "utf8");
  it.each([
    ["NaN literal", () => good().replace('"mtu": 9192', '"mtu": NaN'), "items[2].staged_payload.mtu"],
    ["a repeated key", () => good().replace('"mtu": 9192', '"mtu": 9192, "mtu": 1500'), "items[2].staged_payload.mtu"],
    ["a repeated device.id", () => good().replace('"id": 1890,', '"id": 1890, "id": 1891,'), "device.id"],
    ["a top-level array", () => "[1, 2]", undefined],
    ["a top-level number", () => "42", undefined],
  ])("%s", async (_name, text, path) => {
    const { result, report } = await validateFile(writePlanText(text()));
    expect(result.code).toBe(1);
    expect(failedOf(report)).toContain("schema_valid");
    const findings = report.checks[0]?.findings ?? [];
    expect(findings.length).toBeGreaterThan(0);
    if (path !== undefined) expect(findings.map((f) => f.path)).toContain(path);
    expect(summaryOf(result)).toMatch(/^BATCH_PLAN_VALIDATION_FAILED batch_id=\S+ items=\d+ checks=11 failed=\d+ findings=\d+$/);
  });
});

describe.concurrent("unreadable input is exit 2, names the file, no stack, no report", () => {
  const good = readFileSync(join(FIXTURES, "good/plan.json"));
  it.each([
    ["empty file", () => writePlanText(""), /batch plan is empty/],
    ["whitespace-only file", () => writePlanText(" \n\t \r\n"), /batch plan is empty/],
    ["UTF-8 BOM", () => writePlanText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), good])), /not valid JSON: unexpected UTF-8 BOM/],
    ["invalid UTF-8", () => writePlanText(Buffer.concat([good.subarray(0, 40), Buffer.from([0xff, 0xfe]), good.subarray(40)])), /not valid JSON: invalid UTF-8/],
    ["truncated JSON", () => writePlanText(good.subarray(0, good.length / 2)), /not valid JSON: .* at line \d+ column \d+/],
    ["a folder", () => mkdtempSync(join(WORK, "dir-")), /batch plan is a folder/],
    ["a missing file", () => join(WORK, "no-such-plan.json"), /batch plan not found/],
  ])("%s", async (_name, makePath, message) => {
    const path = makePath();
    const result = await runCli(["validate-batch-plan", "--plan", path, ...DEVICE_ARGS]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain(path);
    expect(result.stderr).toMatch(/^opsgate: error: /m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("approvals_bound catches each approval defect alone", () => {
  function approvalsWith(change: (record: Json) => void, moveTo?: string): string {
    const dir = mkdtempSync(join(WORK, "approvals-"));
    cpSync(GOOD_APPROVALS, dir, { recursive: true });
    const file = join(dir, "approved", "approval-0007.json");
    const record = JSON.parse(readFileSync(file, "utf8")) as Json;
    change(record);
    writeFileSync(file, JSON.stringify(record, null, 2));
    if (moveTo) {
      mkdirSync(join(dir, moveTo), { recursive: true });
      renameSync(file, join(dir, moveTo, "approval-0007.json"));
    }
    return dir;
  }
  const goodPlanPath = join(FIXTURES, "good/plan.json");
  const past = "2020-01-01T00:00:00+08:00";
  const cases: [string, () => string, RegExp, string?, Record<string, string>?, string[]?][] = [
    ["missing record", () => approvalsWith(() => undefined, undefined), /no approval record "approval-0009"/, "approval-0009"],
    ["state pending", () => approvalsWith((r) => ((r.state = "pending"), (r.decision = null)), "pending"), /is pending, not approved/],
    ["state rejected", () => approvalsWith((r) => (r.state = "rejected"), "rejected"), /is rejected, not approved/],
    ["state revoked", () => approvalsWith((r) => (r.state = "revoked"), "revoked"), /is revoked, not approved/],
    ["already applied", () => approvalsWith((r) => ((r.state = "applied"), (r.applied = { batch_id: "B-0", operator: "ops.lee", at: past })), "applied"), /is applied, not approved/],
    ["approved record moved into applied/", () => approvalsWith(() => undefined, "applied"), /in folder "applied" but its state is "approved"/],
    ["expired", () => approvalsWith((r) => (r.decision.expires_at = past)), /expired at 2020-01-01/],
    [
      "expired, with SOURCE_DATE_EPOCH and --generated-at far in the past",
      () => approvalsWith((r) => (r.decision.expires_at = past)),
      /expired at 2020-01-01/,
      undefined,
      { SOURCE_DATE_EPOCH: "946684800" },
      ["--generated-at", "2000-01-01T00:00:00+00:00"],
    ],
    ["self-approved (case and spacing differ)", () => approvalsWith((r) => (r.decision.actor = " OPS.Maria ")), /approved by its own requester/],
    ["for another device", () => approvalsWith((r) => (r.device = { id: 1891, name: "4WNET-MNS-KTG-RX" })), /is for device 1891/],
  ];
  it.concurrent.each(cases)("%s", async (_name, makeDir, message, approvalId, env, extra = []) => {
    let planPath = goodPlanPath;
    if (approvalId) {
      const plan = loadPlan();
      itemById(plan, "if-ae0").approval_id = approvalId;
      planPath = writePlan(plan);
    }
    const { result, report } = await validateFile(planPath, ["--approvals-dir", makeDir(), ...extra], env);
    expect(result.code).toBe(1);
    expect(failedOf(report)).toEqual(["approvals_bound"]);
    expect(report.checks.find((c) => c.check_id === "approvals_bound")?.findings.map((f) => f.message).join("\n")).toMatch(message);
  });

  it.concurrent("an item the record does not list, and a payload changed after approval", async () => {
    const plan = loadPlan();
    withCopy(plan, "if-xe-0-0-2", (c) => ((c.item_id = "if-xe-0-0-3"), (c.lookup.name = c.staged_payload.name = "xe-0/0/3")));
    itemById(plan, "if-xe-0-0-1").staged_payload.mtu = 1500;
    const { result, report } = await validateFile(writePlan(plan), ["--approvals-dir", GOOD_APPROVALS]);
    expect(result.code).toBe(1);
    expect(failedOf(report)).toEqual(["approvals_bound"]);
    expect(report.checks.find((c) => c.check_id === "approvals_bound")?.findings).toEqual([
      { item_id: "if-xe-0-0-1", path: "items[3].approval_id", message: 'staged_payload changed since approval "approval-0007" (payload_sha256 differs)' },
      { item_id: "if-xe-0-0-3", path: "items[8].approval_id", message: 'approval "approval-0007" does not list item "if-xe-0-0-3"' },
    ]);
  });
});


describe("the report", () => {
  it("hand-written JCS agrees with RFC 8785's key-order vector", () => {
    // RFC 8785 §3.2.3: sorted by UTF-16 code unit, so U+1F600 (D83D DE00) sorts before U+FB33.
    expect(jcs({ "\ufb33": 1, "\u{1f600}": 2, "\r": 3, "1": 4, "\u0080": 5, ö: 6, "€": 7 })).toBe('{"\\r":3,"1":4,"\u0080":5,"ö":6,"€":7,"😀":2,"דּ":1}');
  });

  it("plan_sha256, payload_sha256, items and summary match an independent computation", async () => {
    const plan = loadPlan();
    // Keys that order differently by code point and by UTF-16 unit, and floats in ECMAScript form.
    itemById(plan, "if-ae0").staged_payload.custom_fields = { "\ufb33": "x", "\u{1f600}": "y", ratio: 1.5, big_float: 1e21, tiny: 0.000001 };
    const { result, report } = await validateFile(writePlan(plan));
    expect(result.code).toBe(0);
    expect(report.plan_sha256).toBe(sha256(jcs(plan)));
    expect(report.items).toEqual(
      (plan.items as Json[]).map((item) => ({
        item_id: item.item_id,
        object_type: item.object_type,
        action: item.action,
        approval_id: item.approval_id,
        payload_sha256: sha256(jcs(item.staged_payload)),
        depends_on: item.depends_on,
      })),
    );
    expect(report.summary).toEqual({
      item_count: 8,
      object_type_counts: { "dcim.interface": 4, "ipam.ipaddress": 2, "ipam.prefix": 1, "ipam.vlan": 1 },
      check_count: 11,
      failed_check_count: 0,
      finding_count: 0,
    });
    expect(report.checks.map((c) => [c.check_id, c.status])).toEqual([
      ["schema_valid", "pass"],
      ["supported_object_types", "pass"],
      ["expected_device_matches", "pass"],
      ["item_device_consistent", "pass"],
      ["payload_complete", "pass"],
      ["values_valid", "pass"],
      ["item_ids_unique", "pass"],
      ["natural_keys_unique", "pass"],
      ["references_resolve", "pass"],
      ["approvals_bound", "skipped"],
      ["no_secrets", "pass"],
    ]);
  });

  it("is byte-identical run to run, also with several defects and SOURCE_DATE_EPOCH", async () => {
    const plan = loadPlan();
    plan.device.id = 1891;
    itemById(plan, "if-ae0").depends_on = ["if-xe-0-0-1"];
    itemById(plan, "if-xe-0-0-2").staged_payload.token = "LEAKtok";
    const path = writePlan(plan);
    const args = ["validate-batch-plan", "--plan", path, ...DEVICE_ARGS, "--approvals-dir", GOOD_APPROVALS];
    const env = { SOURCE_DATE_EPOCH: "1777600800" };
    const [first, second] = await Promise.all([runCli(args, { env }), runCli(args, { env })]);
    expect(first.code).toBe(1);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe(first.stderr);
    expect(first.stdout).toContain('"generated_at": "2026-05-01T10:00:00+08:00"');
    expect(first.stdout).not.toContain("LEAKtok");
  });

  it("--help shows examples and exit codes", async () => {
    const result = await runCli(["validate-batch-plan", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Examples:\n\s+\$ opsgate validate-batch-plan --plan /);
    expect(result.stdout).toMatch(/Exit codes:\n\s+0 .*\n\s+1 .*\n\s+2 /);
  });
});
