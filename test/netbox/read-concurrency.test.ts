import { afterEach, describe, expect, it } from "vitest";
import { readByIds, readbackFields } from "../../src/apply/readback.js";
import { runPreflight } from "../../src/apply/preflight.js";
import { createReadClient } from "../../src/netbox/client.js";
import { mapBounded, readConcurrencyFrom } from "../../src/netbox/lookup.js";
import { UserError } from "../../src/errors.js";
import type { BatchPlan } from "../../src/schemas/batch-plan.js";
import { deviceState } from "../helpers/netbox-fixtures.js";
import { startNetBoxServer, TEST_READ_TOKEN, type NetBoxTestServer } from "../helpers/netbox-server.js";
import { DEVICE, interfaceItem, ipItem } from "../helpers/batch-workspace.js";

function interfaces(count: number): { id: number; [key: string]: unknown }[] {
  return Array.from({ length: count }, (_, i) => ({ id: i + 1, device: 1890, name: `xe-0/0/${i}`, type: "10gbase-x-sfpp", description: `d${i}` }));
}

function plan(count: number): BatchPlan {
  const items = Array.from({ length: count }, (_, i) => interfaceItem(`xe-0/0/${i}`));
  return { schema_version: "batch_staged_apply_plan_v1", batch_id: "B-1", created_at: "2026-05-01T10:00:00+08:00", created_by: "ops", device: DEVICE, items: [...items, ipItem("10.0.0.1/31", items[0]!.item_id)] } as unknown as BatchPlan;
}

describe("bounded concurrent reads", () => {
  let server: NetBoxTestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("keeps input order and never runs more than the bound at once", async () => {
    let running = 0;
    let peak = 0;
    const out = await mapBounded([30, 5, 20, 1, 10, 2], 3, async (ms, i) => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return i;
    });
    expect(out).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(3);
    await expect(mapBounded([1, 2, 3], 2, async (n) => (n === 2 ? Promise.reject(new Error("boom")) : n))).rejects.toThrow("boom");
  });

  it("range-checks OPSGATE_NETBOX_READ_CONCURRENCY", () => {
    expect(readConcurrencyFrom({})).toBe(4);
    expect(readConcurrencyFrom({ OPSGATE_NETBOX_READ_CONCURRENCY: "16" })).toBe(16);
    for (const bad of ["0", "17", "-1", "2.5", "many"]) expect(() => readConcurrencyFrom({ OPSGATE_NETBOX_READ_CONCURRENCY: bad })).toThrow(UserError);
  });

  it("the preflight gives the same answer and request count at any concurrency, asking only for the look-up fields", async () => {
    const outcomes = [];
    for (const concurrency of [1, 4, 16]) {
      server = await startNetBoxServer({ state: deviceState({ "dcim.interface": interfaces(150) }), maxPageSize: 20, faults: { latencyMs: 1 } });
      const client = createReadClient({ baseUrl: server.url, token: TEST_READ_TOKEN });
      const result = await runPreflight(client, plan(200), undefined, { concurrency });
      outcomes.push({ ...result, existing: result.existing.map((e) => ({ ...e, url: e.url?.replace(server!.url, "") })) });
      const lookups = server.log.filter((r) => r.path === "/api/dcim/interfaces/");
      expect(lookups.length).toBeGreaterThan(2);
      for (const r of lookups) expect(new URLSearchParams(r.query).get("fields")).toBe("id,url,display,device,name");
      await server.close();
      server = undefined;
    }
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(outcomes[2]).toEqual(outcomes[0]);
    expect(outcomes[0]!.existing).toHaveLength(150);
    expect(outcomes[0]!.existing.slice(0, 2)).toMatchObject([
      { item_id: "if-xe-0-0-0", netbox_id: 1, display: "xe-0/0/0" },
      { item_id: "if-xe-0-0-1", netbox_id: 2 },
    ]);
  });

  it("sends no fields= to a NetBox before 4.0, and the read-back asks for every staged field", async () => {
    server = await startNetBoxServer({ state: { ...deviceState({ "dcim.interface": interfaces(3) }), netbox_version: "3.7.8" } });
    const old = createReadClient({ baseUrl: server.url, token: TEST_READ_TOKEN });
    await runPreflight(old, plan(3));
    expect(server.log.filter((r) => r.path === "/api/dcim/interfaces/").every((r) => !r.query.includes("fields="))).toBe(true);
    await server.close();

    server = await startNetBoxServer({ state: deviceState({ "dcim.interface": interfaces(3) }) });
    const client = createReadClient({ baseUrl: server.url, token: TEST_READ_TOKEN });
    const fields = readbackFields([{ device: 1890, name: "x", type: "virtual", changelog_message: "m" }, { mtu: 1500 }]);
    expect(fields).toEqual(["id", "device", "name", "type", "mtu"]);
    const read = await readByIds(client, "dcim.interface", [3, 1, 3], { fields });
    expect([...read.objects.keys()]).toEqual([1, 3]);
    expect(Object.keys(read.objects.get(1)!).sort()).toEqual(["device", "id", "mtu", "name", "type"]);
    expect(new URLSearchParams(server.log.at(-1)!.query).get("fields")).toBe("id,device,name,type,mtu");
  });

  it("the test server honours fields= and brief as NetBox 4.x does", async () => {
    server = await startNetBoxServer({ state: deviceState({ "dcim.interface": interfaces(1) }) });
    const client = createReadClient({ baseUrl: server.url, token: TEST_READ_TOKEN });
    expect((await client.list("api/dcim/interfaces/", "fields=id,name,nonsense")).results).toEqual([{ id: 1, name: "xe-0/0/0" }]);
    const brief = (await client.list("api/dcim/interfaces/", "brief=true")).results[0]!;
    expect(Object.keys(brief).sort()).toEqual(["description", "device", "display", "id", "name", "url"]);
    expect((await client.get("api/dcim/interfaces/1/?fields=id,type")).body).toEqual({ id: 1, type: { value: "10gbase-x-sfpp", label: "SFP+ (10GE)" } });
  });
});
