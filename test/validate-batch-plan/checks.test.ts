/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- tests mutate untyped fixture JSON on purpose */
import { describe, expect, it } from "vitest";
import { CHECKS } from "../../src/plan/validate.js";
import { failedChecks, findingsOf, goodApprovals, itemById, loadPlan, statuses, validate, type Json } from "./helpers.js";

/** One defect per check, applied to the good plan: exactly that check must fail. */
const DEFECTS: Record<string, (plan: Json) => void> = {
  schema_valid: (plan) => {
    itemById(plan, "if-ae0").priority = 1;
  },
  supported_object_types: (plan) => {
    itemById(plan, "if-xe-0-0-2").object_type = "dcim.cable";
  },
  expected_device_matches: (plan) => {
    plan.device.name = "4WNET-MNS-KTG-RX2";
  },
  item_device_consistent: (plan) => {
    itemById(plan, "if-irb-310").staged_payload.device = 1891;
  },
  payload_complete: (plan) => {
    itemById(plan, "vlan-310-ktg-mgmt").staged_payload.name = "  ";
  },
  values_valid: (plan) => {
    itemById(plan, "pfx-10-31-40-0-24").lookup.prefix = itemById(plan, "pfx-10-31-40-0-24").staged_payload.prefix = "10.31.40.7/24";
  },
  item_ids_unique: (plan) => {
    itemById(plan, "if-xe-0-0-2").item_id = "if-xe-0-0-1";
  },
  natural_keys_unique: (plan) => {
    // Same host under another mask: NetBox refuses it, so the plan must too.
    const copy = structuredClone(itemById(plan, "ip-10-31-41-0-31"));
    copy.item_id = "ip-10-31-41-0-30";
    copy.lookup.address = copy.staged_payload.address = "10.31.41.0/30";
    (plan.items as Json[]).push(copy);
  },
  references_resolve: (plan) => {
    itemById(plan, "if-xe-0-0-1").depends_on = [];
  },
  no_secrets: (plan) => {
    itemById(plan, "if-ae0").staged_payload.description = "uplink; Authorization: Bearer nbt_AbCdEf123456.0123456789abcdefABCDEF0123456789abcdef";
  },
};

describe("validateBatchPlan: each check catches its defect alone", () => {
  it("passes the good plan with every check and keeps the order of SPEC §2.2", () => {
    const report = validate(loadPlan(), goodApprovals());
    expect(report.status).toBe("valid");
    expect(report.checks.map((check) => check.check_id)).toEqual(CHECKS.map(([id]) => id));
    expect(Object.values(statuses(report))).toEqual(Array(11).fill("pass"));
    expect(report.summary).toMatchObject({ item_count: 8, check_count: 11, failed_check_count: 0, finding_count: 0 });
  });

  for (const [checkId, defect] of Object.entries(DEFECTS)) {
    it(`${checkId} fails alone`, () => {
      const plan = loadPlan();
      defect(plan);
      const report = validate(plan);
      expect(failedChecks(report)).toEqual([checkId]);
      expect(report.status).toBe("invalid");
      expect(statuses(report).approvals_bound).toBe("skipped");
    });
  }

  it("approvals_bound fails alone when a payload changed after approval", () => {
    const plan = loadPlan();
    itemById(plan, "if-xe-0-0-2").staged_payload.mtu = 9000;
    const report = validate(plan, goodApprovals());
    expect(failedChecks(report)).toEqual(["approvals_bound"]);
    expect(findingsOf(report, "approvals_bound")).toEqual([
      { item_id: "if-xe-0-0-2", path: "items[4].approval_id", message: 'staged_payload changed since approval "approval-0007" (payload_sha256 differs)' },
    ]);
  });
});

describe("schema_valid findings", () => {
  it("names JSON paths and the item", () => {
    const plan = loadPlan();
    plan.items[3].staged_payload = "xe-0/0/1";
    plan.items[5].depends_on = "vlan-310-ktg-mgmt";
    delete plan.created_by;
    const findings = findingsOf(validate(plan), "schema_valid");
    expect(findings.map((f) => f.path)).toEqual(["created_by", "items[3].staged_payload", "items[5].depends_on"]);
    expect(findings[1]?.item_id).toBe("if-xe-0-0-1");
  });

  it("rejects a malformed $ref and bad ids", () => {
    const plan = loadPlan();
    itemById(plan, "if-xe-0-0-1").staged_payload.lag = { $ref: "../etc", note: 1 };
    plan.batch_id = "bad id";
    const paths = findingsOf(validate(plan), "schema_valid").map((f) => f.path);
    expect(paths).toContain("batch_id");
    expect(paths).toContain("items[3].staged_payload.lag.$ref");
    expect(paths).toContain("items[3].staged_payload.lag.note");
  });

  it("still writes a report for a plan that is not an object", () => {
    const report = validate([1, 2]);
    expect(report.status).toBe("invalid");
    expect(statuses(report).schema_valid).toBe("fail");
    expect(statuses(report).natural_keys_unique).toBe("skipped");
    expect(report.batch_id).toBeNull();
  });
});

describe("references_resolve", () => {
  const refFindings = (mutate: (plan: Json) => void): string[] => {
    const plan = loadPlan();
    mutate(plan);
    return findingsOf(validate(plan), "references_resolve").map((f) => f.message);
  };

  it("refuses a $ref of the wrong type for the field", () => {
    const messages = refFindings((plan) => {
      const ip = itemById(plan, "ip-10-31-41-0-31");
      ip.staged_payload.assigned_object_id = { $ref: "vlan-310-ktg-mgmt" };
      ip.depends_on = ["vlan-310-ktg-mgmt"];
    });
    expect(messages).toEqual(['$ref "vlan-310-ktg-mgmt" names a ipam.vlan item, but staged_payload.assigned_object_id needs a dcim.interface']);
  });

  it("refuses a $ref in a field that cannot hold one", () => {
    expect(refFindings((plan) => (itemById(plan, "if-xe-0-0-1").staged_payload.device = { $ref: "if-ae0" }))).toEqual([
      "staged_payload.device cannot hold a $ref (no batch-created object type belongs there)",
    ]);
  });

  it("finds cycles and self-dependencies", () => {
    const messages = refFindings((plan) => {
      itemById(plan, "if-ae0").depends_on = ["if-xe-0-0-1"];
      itemById(plan, "vlan-310-ktg-mgmt").depends_on = ["vlan-310-ktg-mgmt"];
    });
    expect(messages).toEqual(['item depends on itself: "vlan-310-ktg-mgmt"', 'dependency cycle among "if-ae0", "if-xe-0-0-1"']);
  });

  it("handles a 10,000-item dependency chain without overflowing the stack", () => {
    const plan = loadPlan();
    const base = itemById(plan, "vlan-310-ktg-mgmt");
    plan.items = Array.from({ length: 10_000 }, (_, i) => ({
      ...structuredClone(base),
      item_id: `v-${i}`,
      depends_on: [`v-${(i + 1) % 10_000}`],
      lookup: { vid: i, site_id: 21 },
      staged_payload: { ...base.staged_payload, vid: i },
    }));
    const findings = findingsOf(validate(plan), "references_resolve");
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toMatch(/^dependency cycle among "v-0", "v-1", /);
  });
});

describe("payload_complete", () => {
  it("requires the natural key, including site_id or group_id for a VLAN, and a lookup that matches the payload", () => {
    const plan = loadPlan();
    delete itemById(plan, "vlan-310-ktg-mgmt").lookup.site_id;
    itemById(plan, "if-xe-0-0-1").lookup.name = "xe-0/0/9";
    const messages = findingsOf(validate(plan), "payload_complete").map((f) => f.message);
    expect(messages).toEqual([
      "lookup needs one of site_id or group_id for ipam.vlan",
      'lookup.site_id (nothing) disagrees with staged_payload.site ("21")',
      'lookup.name ("xe-0/0/9") disagrees with staged_payload.name ("xe-0/0/1")',
    ]);
  });
});

describe("natural_keys_unique", () => {
  it("catches two items whose payloads create the same object although their lookups differ", () => {
    const plan = loadPlan();
    const copy = structuredClone(itemById(plan, "if-xe-0-0-2"));
    copy.item_id = "if-xe-0-0-2-b";
    copy.lookup.name = "xe-0/0/9";
    (plan.items as Json[]).push(copy);
    const report = validate(plan);
    expect(findingsOf(report, "natural_keys_unique")).toEqual([
      { item_id: "if-xe-0-0-2-b", path: "items[8].lookup", message: "would create the same dcim.interface as items[4] (the same natural key)" },
    ]);
    // The lookup that names another interface than the payload is payload_complete's finding.
    expect(failedChecks(report)).toEqual(["payload_complete", "natural_keys_unique"]);
  });

  it("keeps VLANs of other sites and IPs of other VRFs apart", () => {
    const plan = loadPlan();
    const vlan = structuredClone(itemById(plan, "vlan-310-ktg-mgmt"));
    vlan.item_id = "vlan-310-site-22";
    vlan.lookup.site_id = vlan.staged_payload.site = 22;
    const ip = structuredClone(itemById(plan, "ip-10-31-41-0-31"));
    ip.item_id = "ip-vrf-7";
    ip.lookup.vrf_id = ip.staged_payload.vrf = 7;
    (plan.items as Json[]).push(vlan, ip);
    expect(failedChecks(validate(plan))).toEqual([]);
  });
});

describe("values_valid", () => {
  it("names the item, the path and NetBox's own message (the network meant, for a prefix)", () => {
    const plan = loadPlan();
    itemById(plan, "pfx-10-31-40-0-24").lookup.prefix = itemById(plan, "pfx-10-31-40-0-24").staged_payload.prefix = "10.31.50.7/24";
    itemById(plan, "if-ae0").staged_payload.mtu = "9000";
    itemById(plan, "if-irb-310").staged_payload.mode = "trunk";
    itemById(plan, "vlan-310-ktg-mgmt").lookup.vid = itemById(plan, "vlan-310-ktg-mgmt").staged_payload.vid = 4095;
    expect(findingsOf(validate(plan), "values_valid")).toEqual([
      { item_id: "vlan-310-ktg-mgmt", path: "items[0].staged_payload.vid", message: "NetBox would refuse staged_payload.vid: Ensure this value is less than or equal to 4094." },
      {
        item_id: "pfx-10-31-40-0-24",
        path: "items[1].staged_payload.prefix",
        message: "NetBox would refuse staged_payload.prefix: 10.31.50.7/24 is not a valid prefix. Did you mean 10.31.50.0/24?",
      },
      { item_id: "if-irb-310", path: "items[5].staged_payload.mode", message: "NetBox would refuse staged_payload.mode: trunk is not a valid choice." },
    ]);
  });

  it("leaves a blank required value to payload_complete and a $ref to references_resolve", () => {
    const plan = loadPlan();
    itemById(plan, "if-xe-0-0-2").staged_payload.type = " ";
    itemById(plan, "if-irb-310").staged_payload.mode = { $ref: "vlan-310-ktg-mgmt" };
    expect(findingsOf(validate(plan), "values_valid")).toEqual([]);
  });
});
